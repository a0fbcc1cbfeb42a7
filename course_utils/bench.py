"""Honest measurements: latency (warm-up, then median and p90), throughput, parameter bytes,
on-disk safetensors size, peak memory, and side-by-side tables with ratios against a
reference measured in the same run. No claim may hinge on an absolute time.
"""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
import psutil
import torch

from .inference import model_device

MB = 1024 * 1024


@dataclass(frozen=True)
class Timing:
    """Seconds per call: the median and 90th percentile of ``repeats`` calls after warm-up."""

    median: float
    p90: float
    times: tuple[float, ...]


def time_call(fn: Callable[[], object], warmup: int = 2, repeats: int = 10) -> Timing:
    """Time ``fn()``: ``warmup`` untimed calls, then ``repeats`` timed ones (queued GPU work
    is waited for before the timer starts and before it stops, so a GPU time is the work's)."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        _synchronise()
        start = time.perf_counter()
        fn()
        _synchronise()
        times.append(time.perf_counter() - start)
    return _timing(times)


def _timing(times: list[float]) -> Timing:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return Timing(statistics.median(times), p90, tuple(times))


def dummy_inputs(model: torch.nn.Module, batch_size: int, seq_len: int, seed: int = 0) -> dict:
    """Random token ids (no padding) shaped for ``model``, on the model's device."""
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(5, model.config.vocab_size, (batch_size, seq_len), generator=generator)
    device = model_device(model)
    return {"input_ids": ids.to(device), "attention_mask": torch.ones_like(ids).to(device)}


def model_latency(model: torch.nn.Module, batch_size: int = 1, seq_len: int = 128,
                  warmup: int = 2, repeats: int = 10) -> Timing:
    """Forward-pass time of ``model`` on a random batch, in inference mode."""
    return interleaved_latency({"model": model}, batch_size, seq_len, warmup, repeats)["model"]


def parameter_bytes(model: torch.nn.Module) -> int:
    """Bytes held by the model's parameters and buffers in memory."""
    tensors = [*model.parameters(), *model.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors)


def checkpoint_bytes(model) -> int:
    """Size on disk of the model saved with ``save_pretrained`` as safetensors."""
    with tempfile.TemporaryDirectory() as folder:
        model.save_pretrained(folder, safe_serialization=True)
        return sum(f.stat().st_size for f in Path(folder).glob("*.safetensors"))


def peak_memory_during(fn: Callable[[], object], interval: float = 0.002,
                       device=None) -> int:
    """Peak growth of memory (bytes) while ``fn()`` runs, on ``device`` (default: the course's).
    On the CPU: this process's resident memory, sampled every ``interval`` seconds; what else
    the process holds shifts it (allocations reuse freed pages): call it through
    :func:`peak_memory_in_fresh_processes`. On a GPU: the peak of the memory torch's
    allocator handed out, above what it held before (exact, no sampling)."""
    from .runtime import device as course_device

    where = torch.device(device) if device is not None else course_device()
    if where.type == "cuda":
        torch.cuda.synchronize(where)
        torch.cuda.reset_peak_memory_stats(where)
        held = torch.cuda.memory_allocated(where)
        fn()
        torch.cuda.synchronize(where)
        return torch.cuda.max_memory_allocated(where) - held
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = baseline
    running = True

    def sample():
        nonlocal peak
        while running:
            peak = max(peak, process.memory_info().rss)
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        fn()
    finally:
        running = False
        sampler.join()
    return max(peak, process.memory_info().rss) - baseline


def peak_memory_in_fresh_processes(calls: dict[str, Callable[[], object]],
                                   warm_ups: dict[str, Callable[[], object]] | None = None,
                                   device=None) -> dict[str, int]:
    """Peak growth of memory (bytes, :func:`peak_memory_during`: resident memory on the CPU,
    the allocator's peak on a GPU) while each call runs, each in a fresh Python
    process of its own: nothing of this process counts (no other model, no cache, no
    allocator history), so the order of measurements cannot change the result. A call's
    ``warm_ups`` entry runs first, unmeasured, in the same process, to pay first-use costs
    (lazy imports, thread pools). The processes run side by side: memory, not time, is
    measured. Calls must be picklable (module-level functions or partials of them).
    ``device``: where the memory is counted (default: the course's device)."""
    context = multiprocessing.get_context("spawn")
    pools = {name: ProcessPoolExecutor(max_workers=1, mp_context=context) for name in calls}
    try:
        futures = {name: pools[name].submit(_warm_then_measure, call,
                                            (warm_ups or {}).get(name), device)
                   for name, call in calls.items()}
        return {name: future.result() for name, future in futures.items()}
    finally:
        for pool in pools.values():
            pool.shutdown()


def _warm_then_measure(call: Callable[[], object], warm_up: Callable[[], object] | None,
                       device=None) -> int:
    if warm_up is not None:
        warm_up()
    return peak_memory_during(call, device=device)


def with_ratios(table: pd.DataFrame, reference: str, columns: list[str]) -> pd.DataFrame:
    """Add ``<column> ratio`` columns: each row divided by the ``reference`` row."""
    if reference not in table.index:
        raise KeyError(f"reference {reference!r} is not a row; rows: {list(table.index)}")
    out = table.copy()
    for column in columns:
        out[f"{column} ratio"] = out[column] / out.loc[reference, column]
    return out


def _synchronise() -> None:
    """Wait for queued GPU work, so a timer stops when the work is done (no-op on a CPU)."""
    if torch.cuda.is_initialized():
        torch.cuda.synchronize()


def interleaved_calls(calls: dict[str, Callable[[], object]], warmup: int = 2,
                      repeats: int = 10) -> dict[str, Timing]:
    """Time several callables round-robin: each repeat runs every call once, so a burst of
    load elsewhere on the machine hits them alike, and repeat ``i`` of one call is paired with
    repeat ``i`` of another (see :func:`speedup`)."""
    if repeats < 3:
        raise ValueError("repeats must be at least 3 for an interval on a ratio")
    times = {name: [] for name in calls}
    for step in range(warmup + repeats):
        for name, call in calls.items():
            _synchronise()
            start = time.perf_counter()
            call()
            _synchronise()
            if step >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: _timing(values) for name, values in times.items()}


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
    import numpy as np
    from scipy.stats import bootstrap

    if len(reference.times) != len(other.times):
        raise ValueError("a paired interval needs timings from the same round-robin run")

    def ratio(ref, oth, axis=-1):
        return np.median(ref, axis=axis) / np.median(oth, axis=axis)

    result = bootstrap((np.array(reference.times), np.array(other.times)), ratio, paired=True,
                       vectorized=True, n_resamples=resamples, method="percentile",
                       random_state=np.random.default_rng(0))
    interval = result.confidence_interval
    return Ratio(reference.median / other.median, float(interval.low), float(interval.high))


def interleaved_latency(models: dict[str, torch.nn.Module], batch_size: int = 1,
                        seq_len: int = 128, warmup: int = 2,
                        repeats: int = 10) -> dict[str, Timing]:
    """Forward-pass timings of several models on random batches, measured round-robin in
    inference mode (:func:`interleaved_calls`)."""
    inputs = {name: dummy_inputs(m, batch_size, seq_len) for name, m in models.items()}
    with torch.inference_mode():
        return interleaved_calls({name: partial(model, **inputs[name])
                                  for name, model in models.items()}, warmup, repeats)


def _speedup_columns(reference: Timing, other: Timing) -> dict[str, float]:
    ratio = speedup(reference, other)
    return {"speed-up": ratio.value, "speed-up low": ratio.low, "speed-up high": ratio.high}


def benchmark_models(models: dict[str, torch.nn.Module], reference: str,
                     batch_size: int = 1, seq_len: int = 128, repeats: int = 10,
                     disk: bool = False) -> pd.DataFrame:
    """Measure every model in one run and return a table with ratios against ``reference``.

    Columns: parameters, parameter MB, (checkpoint MB), median and p90 latency in ms,
    throughput in sequences per second, and the speed-up against ``reference`` with its 95%
    interval over the paired repeats. (No memory column: the resident-memory growth of one
    forward pass in a process that already holds every model says little.)
    """
    timings = interleaved_latency(models, batch_size, seq_len, repeats=repeats)
    rows = {}
    for name, model in models.items():
        rows[name] = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "parameter MB": parameter_bytes(model) / MB,
            **({"checkpoint MB": checkpoint_bytes(model) / MB} if disk else {}),
            "latency ms": timings[name].median * 1e3,
            "p90 ms": timings[name].p90 * 1e3,
            "sequences/s": batch_size / timings[name].median,
            **_speedup_columns(timings[reference], timings[name]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    return with_ratios(table, reference, ["parameters", "latency ms", "sequences/s"])
