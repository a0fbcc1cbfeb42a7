"""Every variant measured on the same reviews in one run: accuracy on validation (what the
teams choose by) and on test (reported once, for the picks), agreement, latency, throughput,
achieved FLOP rate, memory and size (lesson 06's table)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from ..core.evaluation import Accuracy, Difference, accuracy, difference, score
from ..core.inference import model_device
from ..core.measurement import (
    MB,
    Timing,
    disk_bytes,
    in_fresh_processes,
    interleaved_calls,
    time_each,
    weight_bytes,
)
from ..zoo import RECIPE_MODULES
from .machine import review_flops


def load_and_score(name: str, texts: list[str]) -> dict[str, float]:
    """Build the variant ``name`` (timed: the load time; the resident memory once it is
    loaded), then score ``texts``: what a server running only this variant does first."""
    import psutil
    from transformers.utils import logging

    from ..deploy import build_analyzer

    logging.disable_progress_bar()  # a fresh process: no "Loading weights" bars in the lesson
    start = time.perf_counter()
    analyzer = build_analyzer(name)
    loaded = {"load s": time.perf_counter() - start,
              "resident MB (loaded)": psutil.Process().memory_info().rss / MB}
    analyzer.predict_polarity(texts)
    return loaded


MARGIN = 0.08
"""Lesson 06's non-inferiority margin: the budget server and the device accept a variant that
loses at most 8 points of accuracy against the fp32 teacher, shown on the validation reviews
(:func:`core.evaluation.difference`). Chosen after trying seeds, as lesson 06 says: a 5-point
margin turned the teacher's own int8 forms away on some seeds (the torch int8 changed 6
answers for seed 1, 4 of them for the worse: -7.4 points at the interval's lower end), and 8
let every cheaper format of the teacher through in the runs tried."""

PROFILE_REVIEWS = 16
"""How many of the texts a fresh process scores: the longest (here about 200 tokens and up),
which fill the largest batches (a token budget's worth of padded positions) and so set the
peak; more of them would only take time."""

SERVER_IMPORTS = ("transformers", "transformers.models.bert.modeling_bert", "onnxruntime",
                  "course_utils.deploy.variants", "course_utils.deploy.onnx", *RECIPE_MODULES)
"""What a server imports once when it starts, before it loads a variant: the libraries, the
model code of the course's checkpoints and the modules that register their recipes (one
missing, such as ONNX Runtime without the deploy extra, is skipped). The fresh processes
start from them, so a variant's load time is its own (reading the weights, quantising,
building an ONNX Runtime session), not Python importing the same modules again; their
memory is in every row (the lexicon's row is that base). A real SST-2 checkpoint's model
code (online) is imported when it loads."""


def fresh_profiles(names, texts: list[str]) -> dict[str, dict[str, float]]:
    """:func:`load_and_score` for each variant on the :data:`PROFILE_REVIEWS` longest of
    ``texts``, each in a fresh process (:func:`core.measurement.in_fresh_processes`) started
    from the :data:`SERVER_IMPORTS`: the load time, the resident memory once loaded, the
    process's peak resident memory (all it held, Python and the libraries included: what a
    server running only this variant needs) and, for a variant on a GPU, the peak of GPU
    memory its tensors took."""
    longest = sorted(texts, key=len)[-PROFILE_REVIEWS:]
    runs = in_fresh_processes({name: partial(load_and_score, name, longest) for name in names},
                              preload=SERVER_IMPORTS)
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
        return {"weights_mb": lexicon / MB, "on_disk_mb": lexicon / MB}
    return {"weights_mb": weight_bytes(model) / MB, "on_disk_mb": disk_bytes(model) / MB}


@dataclass(frozen=True)
class VariantResult:
    """One variant measured in this run (:func:`measure_variants`)."""

    validation: Accuracy
    vs_reference: Difference  # on validation: its accuracy minus the reference's, paired
    test: Accuracy
    challenge: Accuracy
    predicted: tuple[int, ...]  # on the test reviews, in their order
    timing: Timing  # scoring the timed half of the test reviews, round-robin with the rest
    latency: Timing  # one review at a time
    reviews_per_s: float
    agrees_with_teacher: float
    agrees_with_its_fp32: float  # NaN for a variant that is its own fp32 (or the lexicon)
    runs_on: str
    gflops_per_s: float
    share_of_peak: float
    weights_mb: float
    on_disk_mb: float
    profile: dict = field(default_factory=dict)  # from a fresh process (:func:`fresh_profiles`)
    challenge_right: tuple[bool, ...] = ()  # which challenge reviews it got right, in order


def measure_variants(analyzers: dict, splits, peaks: dict[str, float],
                     reference: str = "teacher-fp32", latency_reviews: int = 20,
                     repeats: int = 1, profiles: dict | None = None,
                     margin: float = MARGIN) -> dict[str, VariantResult]:
    """Every variant of ``analyzers`` (name: analyzer), measured in this run on the
    validation, test and challenge reviews. On validation, each variant's accuracy is also
    compared with the ``reference``'s on the same reviews, against the non-inferiority
    ``margin`` (what the teams choose by). ``peaks``: the machine's FLOP rate per number
    format (:func:`machine.machine_peaks`) for the share of peak. Throughput: every other test
    review (:func:`timed_half`, the lesson's race) scored round-robin across the variants,
    ``repeats`` times (the challenge and validation passes before are the warm-up; once by
    default: the lesson's race times the picks again, with an interval); the other
    half is scored in one pass, and the test accuracy is that of both halves' predictions.
    ``profiles``: each variant's fresh-process profile (:func:`fresh_profiles`), kept with it.
    :func:`variants_table` shows the results."""
    validation, test, challenge = splits["validation"], splits["test"], splits["challenge"]
    texts = list(test["text"])
    timed, untimed = timed_half(texts), texts[1::2]
    on_challenge = {name: score(a, challenge["text"], challenge["label"])  # also the warm-up
                    for name, a in analyzers.items()}
    chosen_on = {name: score(a, validation["text"], validation["label"])
                 for name, a in analyzers.items()}
    rest = {name: a.predict_polarity(untimed) for name, a in analyzers.items()}
    half: dict[str, list[int]] = {}  # the timed passes' own predictions, scored below
    timings = interleaved_calls(
        {name: (lambda a=a, n=name: half.__setitem__(n, a.predict_polarity(timed)))
         for name, a in analyzers.items()}, warmup=0, repeats=repeats)
    predicted = {name: _interleaved(half[name], rest[name]) for name in analyzers}
    sample = texts[::max(1, len(texts) // latency_reviews)][:latency_reviews]
    teacher = predicted[reference]
    results = {}
    for name, analyzer in analyzers.items():
        own = predicted.get(fp32_of(name)) if fp32_of(name) != name else None
        seconds = timings[name].median
        results[name] = VariantResult(
            validation=chosen_on[name].accuracy,
            vs_reference=difference(validation["label"], chosen_on[reference].predicted,
                                    chosen_on[name].predicted, margin),
            test=accuracy(test["label"], predicted[name]),
            challenge=on_challenge[name].accuracy, predicted=tuple(predicted[name]),
            timing=timings[name],
            latency=time_each(lambda review, a=analyzer: a.predict([review]), sample),
            reviews_per_s=len(timed) / seconds,
            agrees_with_teacher=_agreement(predicted[name], teacher),
            agrees_with_its_fp32=_agreement(predicted[name], own) if own else float("nan"),
            runs_on=runs_on(analyzer), **_flop_rate(analyzer, timed, seconds, name, peaks),
            **_sizes(analyzer), profile=(profiles or {}).get(name, {}),
            challenge_right=_right(on_challenge[name].predicted, challenge["label"]))
    return results


def _right(predicted, labels) -> tuple[bool, ...]:
    return tuple(p == y for p, y in zip(predicted, labels))


def timed_half(texts: list) -> list:
    """Every other review of ``texts``: spread over the lengths as the whole split is, so a
    throughput or a ratio of throughputs measured on it holds for the split, at half the
    time (lesson 06 times its variants and batchings on it)."""
    return texts[::2]


def _interleaved(even: list, odd: list) -> list:
    """The predictions of :func:`timed_half` and of the other half back in the split's order."""
    merged = [None] * (len(even) + len(odd))
    merged[::2], merged[1::2] = even, odd
    return merged


def variants_table(results: dict[str, VariantResult]) -> pd.DataFrame:
    """The results as a table to read: one row per variant (the validation accuracy with n
    and its 95% interval, and its paired difference from the reference's; times in ms, sizes
    in MB, the fresh-process profile where there is one). No test accuracy: the teams choose
    on validation, and the test accuracy of each pick is reported once
    (:func:`choose.decisions`)."""
    rows = {name: {
        "validation accuracy": str(r.validation),
        "vs teacher (points, 95% CI)": _points(r.vs_reference),
        "challenge accuracy": str(r.challenge),
        "agrees with teacher fp32": round(r.agrees_with_teacher, 3),
        "agrees with its fp32": round(r.agrees_with_its_fp32, 3),
        "latency p50 ms": round(r.latency.median * 1e3, 1),
        "latency p90 ms": round(r.latency.p90 * 1e3, 1),
        "reviews/s": round(r.reviews_per_s, 1), "runs on": r.runs_on,
        "GFLOP/s": round(r.gflops_per_s, 1),
        "share of its format's peak": round(r.share_of_peak, 2),
        "weights MB": round(r.weights_mb, 1), "on disk MB": round(r.on_disk_mb, 1),
        **{k: round(v, 2 if k == "load s" else 0) for k, v in r.profile.items()}}
        for name, r in results.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def _points(d: Difference) -> str:
    return f"{d.value * 100:+.0f} ({d.low * 100:+.1f} to {d.high * 100:+.1f})"


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
        return {"gflops_per_s": float("nan"), "share_of_peak": float("nan")}
    from ..deploy import parse

    rate = review_flops(model.config, analyzer.token_counts(texts)) / seconds
    peak = peaks.get(parse(name)[1].removeprefix("onnx-"), float("nan"))
    return {"gflops_per_s": rate / 1e9, "share_of_peak": rate / peak}


def padding_and_speed(analyzer_for, texts, settings: dict[str, dict], repeats: int = 1,
                      warmup: int = 0):
    """Throughput of one model under several batching ``settings`` (name: ``batch_size``
    and/or ``token_budget``), measured round-robin, with each setting's padding share and
    its largest batch in padded positions (reviews x longest: what one forward pass holds in
    memory). No warm-up and one timed pass by default: the model has run before, and the
    padding shares, not the speeds, are what the lesson asserts."""
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
                      "largest batch (positions)": max(len(b) * max(lengths[i] for i in b)
                                                       for b in batches),
                      "reviews/s": len(texts) / timings[name].median}
    return pd.DataFrame.from_dict(rows, orient="index")
