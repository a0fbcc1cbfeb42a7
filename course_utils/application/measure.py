"""Every variant measured on the same reviews in one run: accuracy, agreement, latency,
throughput, achieved FLOP rate, memory and size (lesson 06's table)."""

from __future__ import annotations

import time
from functools import partial

import pandas as pd

from ..core.evaluation import Scored, accuracy, score
from ..core.inference import model_device
from ..core.measurement import (
    MB,
    disk_bytes,
    in_fresh_processes,
    interleaved_calls,
    time_each,
    weight_bytes,
)
from .machine import review_flops


def latency_percentiles(analyzer, reviews) -> tuple[float, float]:
    """Seconds to score one review on its own (p50 and p90 over ``reviews``, one call each
    after a warm-up call: :func:`core.measurement.time_each`): what a user waits for one
    answer."""
    timing = time_each(lambda review: analyzer.predict([review]), reviews)
    return timing.median, timing.p90


def load_and_score(name: str, texts: list[str]) -> dict[str, float]:
    """Build the variant ``name`` (timed: the load time; the resident memory once it is
    loaded), then score ``texts``: what a server running only this variant does first."""
    import psutil

    from ..deploy import build_analyzer

    start = time.perf_counter()
    analyzer = build_analyzer(name)
    loaded = {"load s": time.perf_counter() - start,
              "resident MB (loaded)": psutil.Process().memory_info().rss / MB}
    analyzer.predict_polarity(texts)
    return loaded


PROFILE_REVIEWS = 32
"""How many of the texts a fresh process scores: the longest, which fill the largest batches
(a token budget's worth of padded positions) and so set the peak; the rest only take time."""


def fresh_profiles(names, texts: list[str]) -> dict[str, dict[str, float]]:
    """:func:`load_and_score` for each variant on the :data:`PROFILE_REVIEWS` longest of
    ``texts``, each in a fresh process (:func:`core.measurement.in_fresh_processes`): the
    load time, the resident memory once loaded, the process's peak resident memory (all it
    held, Python and the libraries included: what a server running only this variant needs)
    and, for a variant on a GPU, the peak of GPU memory its tensors took."""
    longest = sorted(texts, key=len)[-PROFILE_REVIEWS:]
    runs = in_fresh_processes({name: partial(load_and_score, name, longest) for name in names},
                              preload=("course_utils.deploy.variants",
                                       "course_utils.deploy.onnx", "transformers"))
    profiles = {}
    for name, run in runs.items():
        profiles[name] = {**run.value, "peak MB (fresh process)": run.peak_bytes / MB}
        if run.gpu_peak_bytes:
            profiles[name]["GPU peak MB"] = run.gpu_peak_bytes / MB
    return profiles


def _sizes(analyzer) -> dict[str, float]:
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
    from ..core.inference import length_batches, padding_share

    analyzers = {name: analyzer_for(**kw) for name, kw in settings.items()}
    lengths = next(iter(analyzers.values())).token_counts(texts)
    timings = interleaved_calls({n: (lambda a=a: a.predict_polarity(texts))
                                 for n, a in analyzers.items()}, warmup=warmup,
                                repeats=repeats)
    rows = {}
    for name, kw in settings.items():
        batches = length_batches(lengths, kw.get("batch_size"), kw.get("token_budget"))
        rows[name] = {"batches": len(batches), "padding share": padding_share(lengths, batches),
                      "reviews/s": len(texts) / timings[name].median, "_timing": timings[name]}
    return pd.DataFrame.from_dict(rows, orient="index")
