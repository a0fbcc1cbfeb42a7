"""One way to score a sentiment model on labelled reviews: the analyzer's predictions, their
accuracy with n and a 95% interval, and the truncation stated at every call site (the same
model scored at 64 and at 512 tokens gives different accuracies)."""

from __future__ import annotations

from dataclasses import dataclass

from .metrics import Accuracy, accuracy
from .sentiment import SentimentAnalyzer

REVIEW_MAX_TOKENS = 512
"""The truncation the lessons report accuracy at: the course's models' limit, so every
validation and test review is read whole (the longest has 231 tokens) and only the
challenge's few very long reviews are cut."""


@dataclass(frozen=True)
class Scored:
    """An accuracy and the predictions it was computed from (1 positive, 0 negative), kept
    for paired tests (:func:`metrics.mcnemar`)."""

    accuracy: Accuracy
    predicted: list[int]


def score(analyzer: SentimentAnalyzer, texts, labels) -> Scored:
    """``analyzer``'s predictions on ``texts`` and their accuracy against ``labels``."""
    predicted = analyzer.predict_polarity(list(texts))
    return Scored(accuracy(labels, predicted), predicted)


def evaluate(model, tokenizer, split, max_length: int) -> Scored:
    """Accuracy of ``model`` on a reviews split (``text`` and ``label`` columns), reading the
    first ``max_length`` tokens of each review."""
    analyzer = SentimentAnalyzer(model, tokenizer, max_length=max_length)
    return score(analyzer, split["text"], split["label"])


def evaluate_splits(model, tokenizer, splits, max_length: int,
                    names=("validation", "test", "challenge")) -> dict[str, Scored]:
    """:func:`evaluate` on each of the named splits."""
    return {name: evaluate(model, tokenizer, splits[name], max_length) for name in names}
