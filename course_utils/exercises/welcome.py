"""Checks for the exercises of lesson 00 (welcome: the sentiment pipeline)."""

from __future__ import annotations

import torch

from ..baselines import vader_label
from ..core.evaluation import accuracy, accuracy_by_group
from ..core.sentiment import SentimentAnalyzer
from . import MORE_OR_LESS, attempt, feedback, predicted


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


def check_truncation_prediction(prediction: str | None, analyzer: SentimentAnalyzer, split,
                                max_length: int = 16, points: float = 10) -> None:
    """Exercise 4: the student's ``prediction`` (one of :data:`MORE_OR_LESS`): does the accuracy on
    ``split`` fall by more or less than ``points`` when the same model reads only the first
    ``max_length`` tokens of each review? Then the measurement, whole reviews and cut to 64,
    32 and ``max_length`` tokens (an analyzer of ``analyzer``'s type on its model)."""
    if not predicted(prediction, MORE_OR_LESS):
        return
    lengths = (None, 64, 32, max_length)
    scores = {n: accuracy(split["label"], type(analyzer)(analyzer.model, analyzer.tokenizer,
                                                         max_length=n)
                          .predict_polarity(split["text"])).value
              for n in lengths}
    fall = 100 * (scores[None] - scores[max_length])
    measured = MORE_OR_LESS[0] if fall > points else MORE_OR_LESS[1]
    table = ", ".join(f"{'whole' if n is None else n}: {s:.0%}" for n, s in scores.items())
    why = (f"a fall of {fall:.0f} points ({table}). Many reviews say early what they think, "
           "so 64 tokens lose little; the first dozen words miss every verdict that comes "
           "after the scene is set or the story told")
    feedback(prediction == measured, f"{measured} than {points:g} points, as you predicted: "
             f"{why}.", f"you predicted {prediction}; measured {why}.")
