"""Every measurement the lessons make, each done one way.

- **Time** (:func:`interleaved_calls`, :func:`time_call`, :func:`time_each`): torch's
  benchmark clock (``torch.utils.benchmark``: it waits for queued GPU work before reading the
  time) with torch's threads set to the runtime's for the measurement; warm-up calls first;
  several things compared are timed round-robin, so that repeat ``i`` of each is paired
  (:func:`speedup`: the ratio of medians with a paired bootstrap interval). One quantile
  definition (:func:`quantile`, numpy's linear interpolation) for every median and p90.
- **Memory** (:func:`in_fresh_processes`): each call in a fresh process of its own, one
  after another: its resident memory when the call starts and its high-water mark
  (``resource.getrusage``), and on a GPU the peak of torch's allocator.
- **Size**: :func:`parameter_count` (distinct parameters), :func:`weight_bytes` (the tensors
  a model computes with, in memory), :func:`disk_bytes` (the model as saved: its state dict
  as ``torch.save`` writes it, which holds every format the course uses, int8 included; an
  ONNX model's file).

No claim may hinge on an absolute time: compare ratios measured in one run.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import torch
from torch.utils.benchmark.utils.common import set_torch_threads
from torch.utils.benchmark.utils.timer import timer as benchmark_clock

MB = 1024 * 1024


# --- time ------------------------------------------------------------------------------------

def quantile(times, q: float) -> float:
    """The ``q`` quantile of ``times`` (numpy's linear interpolation: the one definition of a
    median or a p90 in the course)."""
    return float(np.quantile(np.asarray(times, dtype=float), q))


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the median and 90th percentile (:func:`quantile`) of the timed calls,
    and every time."""

    median: float
    p90: float
    times: tuple[float, ...]

    @classmethod
    def of(cls, times) -> Timing:
        times = tuple(float(t) for t in times)
        return cls(quantile(times, 0.5), quantile(times, 0.9), times)


def _threads() -> int:
    from .runtime import context

    return context().threads


def _seconds(call: Callable[[], object]) -> float:
    start = benchmark_clock()
    call()
    return benchmark_clock() - start


def interleaved_calls(calls: dict[str, Callable[[], object]], warmup: int = 2,
                      repeats: int = 10) -> dict[str, Timing]:
    """Time several callables round-robin: ``warmup`` untimed rounds, then ``repeats`` timed
    ones, each running every call once, so a burst of load elsewhere on the machine hits them
    alike and repeat ``i`` of one call is paired with repeat ``i`` of another
    (:func:`speedup`). Torch runs on the runtime's threads while it measures."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    times = {name: [] for name in calls}
    with set_torch_threads(_threads()):
        for step in range(warmup + repeats):
            for name, call in calls.items():
                seconds = _seconds(call)
                if step >= warmup:
                    times[name].append(seconds)
    return {name: Timing.of(values) for name, values in times.items()}


def time_call(fn: Callable[[], object], warmup: int = 2, repeats: int = 10) -> Timing:
    """Time ``fn()``: ``warmup`` untimed calls, then ``repeats`` timed ones."""
    return interleaved_calls({"call": fn}, warmup, repeats)["call"]


def time_each(fn: Callable[[object], object], items, warmup: int = 1) -> Timing:
    """``fn(item)`` timed once per item (what a user waits for each one, one at a time),
    after ``warmup`` untimed calls on the first item."""
    items = list(items)
    with set_torch_threads(_threads()):
        for _ in range(warmup):
            fn(items[0])
        return Timing.of([_seconds(partial(fn, item)) for item in items])


@dataclass(frozen=True)
class Ratio:
    """A speed-up (reference time / time) with a 95% bootstrap interval over paired repeats."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.2f}x (95% CI {self.low:.2f}-{self.high:.2f})"


def speedup(reference: Timing, other: Timing, resamples: int = 2000) -> Ratio:
    """How many times faster ``other`` is than ``reference``: the ratio of their medians, with a
    95% percentile-bootstrap interval resampling the paired repeats of a round-robin run
    (:func:`interleaved_calls`; scipy's ``bootstrap`` with ``paired=True``)."""
    from scipy.stats import bootstrap

    if len(reference.times) != len(other.times):
        raise ValueError("a paired interval needs timings from the same round-robin run")
    if len(reference.times) < 3:
        raise ValueError("an interval on a ratio needs at least 3 paired repeats")

    def ratio(ref, oth, axis=-1):
        return np.quantile(ref, 0.5, axis=axis) / np.quantile(oth, 0.5, axis=axis)

    result = bootstrap((np.array(reference.times), np.array(other.times)), ratio, paired=True,
                       vectorized=True, n_resamples=resamples, method="percentile",
                       random_state=np.random.default_rng(0))
    interval = result.confidence_interval
    return Ratio(reference.median / other.median, float(interval.low), float(interval.high))


# --- models timed side by side -----------------------------------------------------------------

def dummy_inputs(model: torch.nn.Module, batch_size: int, seq_len: int, seed: int = 0) -> dict:
    """Random token ids (no padding) shaped for ``model``, on the model's device."""
    from .inference import model_device

    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, model.config.vocab_size, (batch_size, seq_len), generator=generator)
    device = model_device(model)
    return {"input_ids": ids.to(device), "attention_mask": torch.ones_like(ids).to(device)}


def interleaved_latency(models: dict[str, torch.nn.Module], batch_size: int = 1,
                        seq_len: int = 128, warmup: int = 2,
                        repeats: int = 10) -> dict[str, Timing]:
    """Forward-pass timings of several models on random batches, measured round-robin in
    inference mode (:func:`interleaved_calls`)."""
    inputs = {name: dummy_inputs(m, batch_size, seq_len) for name, m in models.items()}
    with torch.inference_mode():
        return interleaved_calls({name: partial(model, **inputs[name])
                                  for name, model in models.items()}, warmup, repeats)


def with_ratios(table: pd.DataFrame, reference: str, columns: list[str]) -> pd.DataFrame:
    """Add ``<column> ratio`` columns: each row divided by the ``reference`` row."""
    if reference not in table.index:
        raise KeyError(f"reference {reference!r} is not a row; rows: {list(table.index)}")
    out = table.copy()
    for column in columns:
        out[f"{column} ratio"] = out[column] / out.loc[reference, column]
    return out


@dataclass(frozen=True)
class Benchmark:
    """Models timed side by side (:func:`benchmark_models`): each one's timing and its
    speed-up over ``reference`` with its interval (what claims read), and its size;
    :meth:`table` renders them for display."""

    reference: str
    batch_size: int
    timings: dict[str, Timing]
    speedups: dict[str, Ratio]
    sizes: dict[str, dict[str, float]]  # parameters, weights MB (and on disk MB) per model

    def table(self) -> pd.DataFrame:
        """One row per model: its sizes, median and p90 latency in ms, sequences per second,
        the speed-up with its 95% interval, and each figure's ratio to the reference's."""
        rows = {name: {**self.sizes[name],
                       "latency ms": timing.median * 1e3, "p90 ms": timing.p90 * 1e3,
                       "sequences/s": self.batch_size / timing.median,
                       "speed-up": self.speedups[name].value,
                       "speed-up low": self.speedups[name].low,
                       "speed-up high": self.speedups[name].high}
                for name, timing in self.timings.items()}
        table = pd.DataFrame.from_dict(rows, orient="index")
        return with_ratios(table, self.reference, ["parameters", "latency ms", "sequences/s"])


def benchmark_models(models: dict[str, torch.nn.Module], reference: str,
                     batch_size: int = 1, seq_len: int = 128, repeats: int = 10,
                     disk: bool = False) -> Benchmark:
    """Time every model in one run, round-robin on the same random batch, against
    ``reference`` (:class:`Benchmark`). With ``disk``, the sizes include the bytes on disk.
    (No memory figure: the resident-memory growth of one forward pass in a process that
    already holds every model says little: see :func:`in_fresh_processes`.)"""
    if reference not in models:
        raise KeyError(f"reference {reference!r} is not one of the models: {list(models)}")
    timings = interleaved_latency(models, batch_size, seq_len, repeats=repeats)
    sizes = {name: {"parameters": parameter_count(model),
                    "weights MB": weight_bytes(model) / MB,
                    **({"on disk MB": disk_bytes(model) / MB} if disk else {})}
             for name, model in models.items()}
    return Benchmark(reference, batch_size, timings,
                     {name: speedup(timings[reference], t) for name, t in timings.items()},
                     sizes)


# --- memory ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FreshRun:
    """One call in a fresh process: what it returned, the process's resident memory when the
    call started and its high-water mark when it ended (bytes), and on a GPU the peak of the
    memory torch's allocator handed out during the call (else ``None``)."""

    value: object
    start_bytes: int
    peak_bytes: int
    gpu_peak_bytes: int | None

    @property
    def growth_bytes(self) -> int:
        """How far the call took the process's memory above where it started."""
        return max(0, self.peak_bytes - self.start_bytes)


def _resident_bytes() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def _high_water_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS: bytes; Linux: KiB


def _fresh_run(call: Callable[[], object], warm_up: Callable[[], object] | None,
               threads: int) -> FreshRun:
    torch.set_num_threads(threads)  # as many threads as the lesson uses
    if warm_up is not None:
        warm_up()
    gpu = torch.cuda.is_available() and torch.cuda.is_initialized()
    if gpu:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = _resident_bytes()
    value = call()
    gpu = torch.cuda.is_available() and torch.cuda.is_initialized()
    return FreshRun(value, start, max(start, _high_water_bytes()),
                    torch.cuda.max_memory_allocated() if gpu else None)


def in_fresh_processes(calls: dict[str, Callable[[], object]],
                       warm_ups: dict[str, Callable[[], object]] | None = None,
                       preload: tuple[str, ...] = ()) -> dict[str, FreshRun]:
    """Each call in a fresh Python process of its own, one after another (so neither the
    memory nor the times of two mix), measured as :class:`FreshRun`: nothing of this process
    counts (no other model, cache or allocator history), so the order of measurements cannot
    change a result. A call's ``warm_ups`` entry runs first, unmeasured, in the same process,
    to pay first-use costs (lazy imports, thread pools); the high-water mark covers it too, so
    keep it small. Calls must be picklable (module-level functions or partials of them).

    The processes are forked from a server that has imported torch and the ``preload``
    modules and done nothing else (``forkserver``): each starts in a fraction of a second
    instead of importing torch anew. (Where there is no fork, as on Windows, each is spawned.)"""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["torch", __name__, *preload])
    else:
        context = multiprocessing.get_context("spawn")
    threads = _threads()
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        return {name: pool.submit(_fresh_run, call, (warm_ups or {}).get(name), threads).result()
                for name, call in calls.items()}


# --- size ------------------------------------------------------------------------------------

def parameter_count(module: torch.nn.Module) -> int:
    """Number of distinct parameters (a tensor shared or tied between layers counts once)."""
    return sum(p.numel() for p in module.parameters())


def weight_bytes(model) -> int:
    """Bytes of the distinct tensors the model computes with (parameters, buffers, packed
    int8 weights and their scales; a shared or tied tensor once), in memory (a model on the
    meta device: what it would take). An ONNX model: its file, which holds them."""
    if hasattr(model, "session"):
        return model.path.stat().st_size

    def size(value) -> int:
        if isinstance(value, (tuple, list)):  # int8 layers pack (weight, bias)
            return sum(size(v) for v in value)
        if not isinstance(value, torch.Tensor):
            return 0
        data = value.numel() * value.element_size()
        if value.is_quantized and value.qscheme() in (torch.per_channel_affine,
                                                      torch.per_channel_affine_float_qparams):
            data += 16 * value.q_per_channel_scales().numel()  # a scale and a zero point each
        return data

    distinct = {id(v): v for v in model.state_dict(keep_vars=True).values()}
    return sum(size(v) for v in distinct.values())


def disk_bytes(model) -> int:
    """Bytes on disk of the model as a team would ship it: its state dict as ``torch.save``
    writes it (the one format that holds fp32, bf16 and int8 alike), or an ONNX model's file."""
    if hasattr(model, "session"):
        return model.path.stat().st_size
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes
