"""Every variant measured on the same reviews in one run: accuracy, agreement, latency,
throughput, achieved FLOP rate, memory and size (lesson 06's table)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from ..bench import MB, interleaved_calls
from ..evaluation import Scored, score
from ..inference import model_device
from ..metrics import accuracy
from .machine import review_flops


def latency_percentiles(analyzer, reviews) -> tuple[float, float]:
    """Seconds to score one review on its own (p50 and p90 over ``reviews``, one call each
    after a warm-up call): what a user waits for one answer."""
    analyzer.predict([reviews[0]])
    times = []
    for review in reviews:
        start = time.perf_counter()
        analyzer.predict([review])
        times.append(time.perf_counter() - start)
    series = pd.Series(times)
    return float(series.quantile(0.5)), float(series.quantile(0.9))


def fresh_process_profile(name: str, texts: list[str]) -> dict[str, float]:
    """Run in a fresh process: build the variant ``name`` (timed: the load time; the resident
    memory once it is loaded), score ``texts``, and return the process's peak resident memory
    (all it held, Python and the libraries included: what a server running only this variant
    needs); for a variant on a GPU also the peak of GPU memory its tensors took (torch's
    allocator statistics)."""
    import psutil
    import torch

    from ..bench import peak_memory_during
    from ..deploy import build_analyzer
    from ..runtime import default_threads

    torch.set_num_threads(default_threads())  # as many threads as the lesson uses
    process = psutil.Process()
    before, loaded = process.memory_info().rss, {}

    def load_and_score():
        start = time.perf_counter()
        analyzer = build_analyzer(name)
        loaded["s"] = time.perf_counter() - start
        loaded["rss"] = process.memory_info().rss
        analyzer.predict_polarity(texts)

    growth = peak_memory_during(load_and_score, device="cpu")
    profile = {"load s": loaded["s"], "resident MB (loaded)": loaded["rss"] / MB,
               "peak MB (fresh process)": (before + growth) / MB}
    if torch.cuda.is_available() and torch.cuda.max_memory_allocated() > 0:
        profile["GPU peak MB"] = torch.cuda.max_memory_allocated() / MB
    return profile


PROFILE_REVIEWS = 32
"""How many of the texts a fresh process scores: the longest, which fill the largest batches
(a token budget's worth of padded positions) and so set the peak; the rest only take time."""


def fresh_profiles(names, texts: list[str]) -> dict[str, dict[str, float]]:
    """:func:`fresh_process_profile` for each variant on the :data:`PROFILE_REVIEWS` longest
    of ``texts``, one fresh process after another (one at a time, so neither the load times
    nor the memory of two processes mix).

    The processes are forked from a server that has imported the libraries and done nothing
    else (``forkserver``, with the course's modules preloaded): each starts in a fraction of a
    second instead of importing torch anew, and holds no model, cache or allocator history of
    this one. (Where there is no fork, as on Windows, each is spawned from scratch.)"""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "course_utils.deploy.variants",
                                        "course_utils.deploy.onnx", "transformers"])
    else:
        context = multiprocessing.get_context("spawn")
    longest = sorted(texts, key=len)[-PROFILE_REVIEWS:]
    with ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1) as pool:
        return {name: pool.submit(fresh_process_profile, name, longest).result()
                for name in names}


def _sizes(analyzer) -> dict[str, float]:
    from ..deploy import disk_bytes, weight_bytes

    model = getattr(analyzer, "model", None)
    if model is None:  # the lexicon: its word list
        from pathlib import Path

        from vaderSentiment import vaderSentiment

        lexicon = Path(vaderSentiment.__file__).with_name("vader_lexicon.txt").stat().st_size
        return {"weights MB": lexicon / MB, "on disk MB": lexicon / MB}
    return {"weights MB": weight_bytes(model) / MB, "on disk MB": disk_bytes(model) / MB}


def measure_variants(analyzers: dict, splits, peaks: dict[str, float],
                     reference: str = "teacher-fp32", latency_reviews: int = 20,
                     repeats: int = 3) -> pd.DataFrame:
    """One row per variant of ``analyzers`` (name: analyzer), all measured in this run on the
    test and challenge reviews. ``peaks``: the machine's FLOP rate per number format
    (:func:`machine.machine_peaks`) for the share-of-peak column. Throughput: the test
    reviews scored round-robin across the variants, ``repeats`` times (the challenge pass
    before is the warm-up; the test accuracy is that of the timed passes' predictions).
    ``runs on``: the device or ONNX Runtime provider of each row. Hidden columns (``_``
    prefix) keep what the claims need: accuracies, predictions and timings."""
    test, challenge = splits["test"], splits["challenge"]
    texts = list(test["text"])
    on_challenge = {name: score(a, challenge["text"], challenge["label"])  # also the warm-up
                    for name, a in analyzers.items()}
    predicted: dict[str, list[int]] = {}  # the timed passes' own predictions, scored below
    timings = interleaved_calls(
        {name: (lambda a=a, n=name: predicted.__setitem__(n, a.predict_polarity(texts)))
         for name, a in analyzers.items()}, warmup=0, repeats=repeats)
    scored = {name: (Scored(accuracy(test["label"], predicted[name]), predicted[name]),
                     on_challenge[name]) for name in analyzers}
    sample = texts[::max(1, len(texts) // latency_reviews)][:latency_reviews]
    teacher = scored[reference][0].predicted
    rows = {}
    for name, analyzer in analyzers.items():
        on_test, on_challenge = scored[name]
        own = scored.get(fp32_of(name))
        p50, p90 = latency_percentiles(analyzer, sample)
        seconds = timings[name].median
        rows[name] = {
            "test accuracy": str(on_test.accuracy),
            "challenge accuracy": str(on_challenge.accuracy),
            "agrees with teacher fp32": _agreement(on_test.predicted, teacher),
            "agrees with its fp32": (_agreement(on_test.predicted, own[0].predicted)
                                     if own else float("nan")),
            "latency p50 ms": p50 * 1e3, "latency p90 ms": p90 * 1e3,
            "reviews/s": len(texts) / seconds, "runs on": runs_on(analyzer),
            **_flop_rate(analyzer, texts, seconds, name, peaks), **_sizes(analyzer),
            "_test": on_test.accuracy, "_predicted": on_test.predicted, "_timing": timings[name],
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def fp32_of(name: str) -> str | None:
    """The fp32 torch variant a variant was made from, on the same device (``None`` for the
    lexicon)."""
    from ..deploy import parse

    if name == "vader":
        return None
    model, fmt = parse(name)
    return f"{model}-cuda-fp32" if fmt.startswith("cuda-") else f"{model}-fp32"


def runs_on(analyzer) -> str:
    """Where a variant computes: a torch device, ONNX Runtime's provider, or the lexicon."""
    model = getattr(analyzer, "model", None)
    if model is None:
        return "cpu (Python)"
    if hasattr(model, "provider"):
        return f"onnxruntime {model.provider}"
    return str(model_device(model))


def _agreement(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b)) / len(a)


def _flop_rate(analyzer, texts, seconds: float, name: str, peaks: dict) -> dict[str, float]:
    """The achieved FLOP rate, and its share of the matmul peak of the variant's own number
    format (fp32 or bf16; none for int8, whose integer peak is not measured here)."""
    model = getattr(analyzer, "model", None)
    if model is None:
        return {"GFLOP/s": float("nan"), "share of its format's peak": float("nan")}
    from ..deploy import parse

    rate = review_flops(model.config, analyzer.token_counts(texts)) / seconds
    peak = peaks.get(parse(name)[1].removeprefix("onnx-"), float("nan"))
    return {"GFLOP/s": rate / 1e9, "share of its format's peak": rate / peak}


def padding_and_speed(analyzer_for, texts, settings: dict[str, dict], repeats: int = 3,
                      warmup: int = 0):
    """Throughput of one model under several batching ``settings`` (name: ``batch_size``
    and/or ``token_budget``), measured round-robin, with each setting's padding share (no
    warm-up by default: the model has run before)."""
    from ..inference import length_batches, padded_share

    analyzers = {name: analyzer_for(**kw) for name, kw in settings.items()}
    lengths = next(iter(analyzers.values())).token_counts(texts)
    timings = interleaved_calls({n: (lambda a=a: a.predict_polarity(texts))
                                 for n, a in analyzers.items()}, warmup=warmup,
                                repeats=repeats)
    rows = {}
    for name, kw in settings.items():
        batches = length_batches(lengths, kw.get("batch_size"), kw.get("token_budget"))
        rows[name] = {"batches": len(batches), "padding share": padded_share(lengths, batches),
                      "reviews/s": len(texts) / timings[name].median, "_timing": timings[name]}
    return pd.DataFrame.from_dict(rows, orient="index")
