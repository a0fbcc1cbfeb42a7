"""Checks for the exercises of lesson 00 (welcome: the sentiment pipeline)."""

from __future__ import annotations

import torch

from ..baselines import vader_label
from ..core.evaluation import accuracy_by_group
from ..core.sentiment import SentimentAnalyzer
from . import attempt, feedback


def check_positive_probability(positive_probability, analyzer: SentimentAnalyzer,
                               texts: list[str]) -> None:
    """Exercise 1: ``positive_probability(texts, tokenizer, model)``, the probability of the
    positive class, found through ``id2label``."""
    answer = attempt(positive_probability, texts, analyzer.tokenizer, analyzer.model)
    if answer is None:
        return
    expected = analyzer.predict_proba(texts)[0][:, analyzer.positive_index]
    got = torch.as_tensor(answer, dtype=torch.float32).flatten()
    feedback(got.shape == expected.shape and torch.allclose(got, expected, atol=1e-4),
                    "your probabilities match the analyzer's positive column.",
                    "softmax the logits, then take the column whose id2label name is positive.")


def hardest_category(analyzer: SentimentAnalyzer, split) -> tuple[str, dict]:
    """The category with the lowest accuracy on ``split``, and every category's accuracy."""
    table = accuracy_by_group(split["label"], analyzer.predict_polarity(split["text"]),
                              split["category"])
    scores = table["accuracy"].to_dict()
    return min(scores, key=scores.get), scores


def check_hardest_category(answer: str | None, analyzer: SentimentAnalyzer, split) -> None:
    """Exercise 2: name the category where the model does worst."""
    if answer is None:
        print("⏳ Not attempted yet: set `hardest` to a category name.")
        return
    worst, scores = hardest_category(analyzer, split)
    ties = [c for c, s in scores.items() if s == scores[worst]]
    feedback(answer in ties, f"{answer!r} is the hardest category ({scores[worst]:.1%}).",
                    f"{answer!r} scores {scores.get(answer, float('nan')):.1%}; "
                    "compute accuracy per category and take the minimum.")


def check_fooling_review(answer: tuple[str, int] | None, analyzer: SentimentAnalyzer) -> None:
    """Exercise 3: ``(text, true_label)``, a review of your own that the model misreads. A
    wrong label would pass trivially, so VADER, a rule-based judge that handles negation,
    must read the review as ``true_label`` too."""
    text, label = answer if isinstance(answer, tuple) and len(answer) == 2 else ("", None)
    if not isinstance(text, str) or not text.strip() or label not in (0, 1):
        print("⏳ Not attempted yet: set `my_review` to (a review, its true label 0 or 1).")
        return
    judge = vader_label(text)
    if judge != label:
        reading = {None: "neutral", 0: "negative", 1: "positive"}[judge]
        return feedback(False, "", f"VADER reads it as {reading}, not as your label {label}: "
                        "make the sentiment plain to a reader (try negation: 'not bad').")
    predicted = analyzer.predict_polarity([text])[0]
    feedback(predicted != label, f"the model reads it as {predicted}, VADER and you as "
             f"{label}: you found a blind spot.",
             f"the model read it correctly (label {predicted}); try negation "
             "('not bad', 'not great') or a contrast ('I expected to hate it, but...').")
