"""How the course scores a sentiment model, one way everywhere: the label table, accuracy with
its n and 95% interval, paired comparisons of two models on the same reviews (McNemar's test,
the kept share of accuracy), and the one scorer, used by the lessons and, as its
``compute_metrics``, by every ``Trainer`` that picks an epoch on validation, at the same
truncation (:data:`REVIEW_MAX_TOKENS`: the same model scored at 128 and at 512 tokens gives
different accuracies)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LABELS = ("NEGATIVE", "POSITIVE")
"""The course's classes, by id (0 negative, 1 positive): its datasets, its checkpoints and
its analyzers all name them so."""
ID2LABEL = dict(enumerate(LABELS))
LABEL2ID = {name: i for i, name in ID2LABEL.items()}
POSITIVE = LABELS[1]

REVIEW_MAX_TOKENS = 512
"""The truncation every accuracy of the course is measured at, in the lessons and when a
``Trainer`` picks its best epoch: the course's models' limit, so every validation and test
review is read whole (the longest has 231 tokens) and only the challenge's few very long
reviews are cut."""


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (well behaved near 0 and 1, unlike Wald), from
    scipy's ``binomtest(...).proportion_ci(method="wilson")``."""
    from scipy.stats import binomtest

    if n <= 0:
        raise ValueError("an interval needs at least one observation")
    interval = binomtest(successes, n).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


@dataclass(frozen=True)
class Accuracy:
    """An accuracy measured on ``n`` examples, with its 95% Wilson interval."""

    value: float
    n: int
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.1%} (n={self.n}, 95% CI {self.low:.1%}-{self.high:.1%})"


def accuracy(y_true, y_pred) -> Accuracy:
    """Accuracy of ``y_pred`` against ``y_true``, with n and a 95% interval."""
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} labels but {len(y_pred)} predictions")
    if not y_true:
        raise ValueError("no examples to score: an accuracy needs at least one label")
    value = sum(t == p for t, p in zip(y_true, y_pred)) / len(y_true)
    low, high = wilson_interval(round(value * len(y_true)), len(y_true))
    return Accuracy(value, len(y_true), low, high)


@dataclass(frozen=True)
class Paired:
    """Two models scored on the same examples: how many only ``a`` got right, how many only
    ``b`` did, and the exact McNemar p-value (a two-sided binomial test on those discordant
    examples; the examples both got right or both got wrong say nothing about the difference).
    """

    only_a: int
    only_b: int
    p_value: float

    @property
    def significant(self) -> bool:
        """The difference is beyond chance at the 5% level."""
        return self.p_value < 0.05

    def __str__(self) -> str:
        return f"{self.only_b} vs {self.only_a} reviews (McNemar p = {self.p_value:.3f})"


def mcnemar(y_true, pred_a, pred_b) -> Paired:
    """Exact McNemar test of models ``a`` and ``b`` on the same examples (scipy's
    ``binomtest``): is one of them right more often than chance would make it?"""
    from scipy.stats import binomtest

    y_true, pred_a, pred_b = list(y_true), list(pred_a), list(pred_b)
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(f"{len(y_true)} labels but {len(pred_a)} and {len(pred_b)} predictions")
    right_a = [a == y for a, y in zip(pred_a, y_true)]
    right_b = [b == y for b, y in zip(pred_b, y_true)]
    only_a = sum(a and not b for a, b in zip(right_a, right_b))
    only_b = sum(b and not a for a, b in zip(right_a, right_b))
    p_value = binomtest(only_b, only_a + only_b, 0.5).pvalue if only_a + only_b else 1.0
    return Paired(only_a, only_b, float(p_value))


def worse_by(y_true, predicted, k: int) -> list[int]:
    """``predicted`` (binary labels) with its first ``k`` right answers made wrong: a rival
    just ``k`` examples worse, built as a claim's negative control near its threshold (the
    teacher a few reviews worse for a retention line, a rival for a "beats" test)."""
    y_true, predicted = list(y_true), list(predicted)
    if len(y_true) != len(predicted):
        raise ValueError(f"{len(y_true)} labels but {len(predicted)} predictions")
    right = [i for i, (p, y) in enumerate(zip(predicted, y_true)) if p == y][:k]
    if len(right) < k:
        raise ValueError(f"only {len(right)} right answers: cannot make {k} of them wrong")
    flip = set(right)
    return [1 - p if i in flip else p for i, p in enumerate(predicted)]


@dataclass(frozen=True)
class Difference:
    """How much more accurate ``other`` is than ``reference`` on the same ``n`` examples
    (negative: less accurate), with a paired 95% interval, judged against a non-inferiority
    ``margin``: ``other`` is shown to lose at most ``margin`` when the whole interval lies above
    ``-margin``."""

    value: float
    low: float
    high: float
    n: int
    margin: float

    @property
    def non_inferior(self) -> bool:
        """The interval's lower end is above ``-margin``: ``other`` loses less than the margin
        (at the 2.5% level, one-sided)."""
        return self.low > -self.margin

    def __str__(self) -> str:
        verdict = "within" if self.non_inferior else "not shown within"
        return (f"{self.value * 100:+.1f} points (n={self.n}, paired 95% CI "
                f"{self.low * 100:+.1f} to {self.high * 100:+.1f}): {verdict} "
                f"{self.margin * 100:.0f} points")


def difference(y_true, reference, other, margin: float) -> Difference:
    """``other``'s accuracy minus ``reference``'s on the same examples, with the adjusted Wald
    interval for paired proportions of Bonett and Price (2012): one success added to each kind
    of disagreement, which keeps the interval honest when the models disagree on few examples
    (the plain Wald interval of two models that never disagree would be a single point). A
    non-inferiority test with ``margin`` (a share: 0.05 is 5 points) reads its lower end."""
    y_true, reference, other = list(y_true), list(reference), list(other)
    if not len(y_true) == len(reference) == len(other):
        raise ValueError(f"{len(y_true)} labels but {len(reference)} and {len(other)} "
                         "predictions")
    if not y_true:
        raise ValueError("no examples to compare: a difference needs at least one label")
    if not 0 <= margin < 1:
        raise ValueError(f"margin {margin!r}: give it as a share between 0 and 1 (0.05 is 5 "
                         "points)")
    paired = mcnemar(y_true, reference, other)
    n = len(y_true)
    gain, loss = (paired.only_b + 1) / (n + 2), (paired.only_a + 1) / (n + 2)
    shift = gain - loss
    half = 1.959964 * np.sqrt((gain + loss - shift ** 2) / (n + 2))
    return Difference((paired.only_b - paired.only_a) / n, float(shift - half),
                      float(shift + half), n, margin)


@dataclass(frozen=True)
class Retention:
    """The share of a reference model's accuracy that another keeps on the same examples,
    with a paired 95% interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.value:.1%} (paired 95% CI {self.low:.1%}-{self.high:.1%})"


def retention(y_true, reference, other, resamples: int = 2000) -> Retention:
    """How much of ``reference``'s accuracy ``other`` keeps (its accuracy / the reference's),
    with a 95% percentile-bootstrap interval that resamples the examples, both models' answers
    on an example together (paired: scipy's ``bootstrap``). On 180 reviews the interval spans
    about ten points: a kept share of 94% and one of 100% cannot be told apart."""
    from scipy.stats import bootstrap

    y_true, reference, other = list(y_true), list(reference), list(other)
    if not len(y_true) == len(reference) == len(other):
        raise ValueError(f"{len(y_true)} labels but {len(reference)} and {len(other)} "
                         "predictions")
    right_ref = np.array([p == y for p, y in zip(reference, y_true)], dtype=float)
    right_other = np.array([p == y for p, y in zip(other, y_true)], dtype=float)
    if not right_ref.any():
        raise ValueError("the reference got no example right: nothing to keep a share of")

    def kept(ref, oth, axis=-1):
        return oth.mean(axis=axis) / np.maximum(ref.mean(axis=axis), 1e-12)

    result = bootstrap((right_ref, right_other), kept, paired=True, vectorized=True,
                       n_resamples=resamples, method="percentile",
                       random_state=np.random.default_rng(0))
    interval = result.confidence_interval
    return Retention(float(kept(right_ref, right_other)), float(interval.low),
                     float(interval.high))


def accuracy_by_group(y_true, y_pred, groups) -> pd.DataFrame:
    """Accuracy, n and 95% interval for each group (a category, a phenomenon), worst first."""
    frame = pd.DataFrame({"true": list(y_true), "pred": list(y_pred), "group": list(groups)})
    rows = {}
    for group, part in frame.groupby("group"):
        result = accuracy(part["true"], part["pred"])
        rows[group] = {"accuracy": result.value, "n": result.n,
                       "low": result.low, "high": result.high}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values(["accuracy", "n"])


@dataclass(frozen=True)
class Scored:
    """An accuracy and the predictions it was computed from (1 positive, 0 negative), kept
    for paired tests (:func:`mcnemar`)."""

    accuracy: Accuracy
    predicted: list[int]


def score(analyzer, texts, labels) -> Scored:
    """``analyzer``'s predictions on ``texts`` and their accuracy against ``labels``."""
    predicted = analyzer.predict_polarity(list(texts))
    return Scored(accuracy(labels, predicted), predicted)


def evaluate(model, tokenizer, split, max_length: int = REVIEW_MAX_TOKENS) -> Scored:
    """Accuracy of ``model`` on a reviews split (``text`` and ``label`` columns), reading the
    first ``max_length`` tokens of each review."""
    from .sentiment import SentimentAnalyzer

    analyzer = SentimentAnalyzer(model, tokenizer, max_length=max_length)
    return score(analyzer, split["text"], split["label"])


def evaluate_splits(model, tokenizer, splits, max_length: int = REVIEW_MAX_TOKENS,
                    names=("validation", "test", "challenge")) -> dict[str, Scored]:
    """:func:`evaluate` on each of the named splits."""
    return {name: evaluate(model, tokenizer, splits[name], max_length) for name in names}


def compute_metrics(prediction) -> dict[str, float]:
    """The ``Trainer``'s ``compute_metrics``: the accuracy of the arg-max class, as
    :func:`accuracy` computes it (the Trainer's validation split is encoded at
    :data:`REVIEW_MAX_TOKENS`, :func:`training.tokenize_splits`), so the epoch a Trainer keeps
    is the best by the number the lessons report."""
    logits, labels = prediction
    logits = logits[0] if isinstance(logits, tuple) else logits
    return {"accuracy": accuracy(labels, np.argmax(logits, axis=-1)).value}
