"""Reference solutions for lesson 00 (welcome: the sentiment pipeline)."""

from __future__ import annotations

import torch

from ...baselines import vader_label
from ...core.evaluation import accuracy_by_group

CANDIDATE_REVIEWS = [
    ("Not bad at all, honestly.", 1), ("I was not disappointed.", 1),
    ("I can't find anything wrong with it.", 1), ("I have no complaints.", 1),
    ("I expected to hate it, but I love it.", 1),
    ("Not terrible, not awful, actually quite fine.", 1),
    ("No problems, no issues, no regrets.", 1), ("I don't hate it at all.", 1),
    ("Not a bad price for what you get.", 1), ("It is not great.", 0),
    ("I would not call it comfortable.", 0), ("It is not as good as the reviews say.", 0),
    ("I do not love it.", 0), ("This is not a good product.", 0),
    ("Not the best purchase I have made.", 0), ("Can't say I'm happy with it.", 0),
]
"""Short reviews built on negation ("not bad", "not great"), which a reader understands at
once and a model that learned sentiment words often does not."""


def positive_probability(texts, tokenizer, model):
    """Exercise 1: the probability of the positive class for each text in ``texts``."""
    batch = tokenizer(texts, padding=True, truncation=True, return_tensors="pt").to(model.device)
    with torch.inference_mode():
        probabilities = model(**batch).logits.softmax(dim=-1)
    names = [model.config.id2label[i].lower() for i in range(model.config.num_labels)]
    return probabilities[:, names.index("positive")].tolist()


def hardest_category(analyzer, validation):
    """Exercise 2: the category with the lowest validation accuracy (the table is sorted)."""
    table = accuracy_by_group(validation["label"], analyzer.predict_polarity(validation["text"]),
                              validation["category"])
    return table.index[0]


def fooling_review(analyzer):
    """Exercise 3: the first negation review that the model misreads and VADER reads right."""
    predicted = analyzer.predict_polarity([text for text, _ in CANDIDATE_REVIEWS])
    return next((text, label) for (text, label), guess in zip(CANDIDATE_REVIEWS, predicted)
                if guess != label and vader_label(text) == label)


TRUNCATION_PREDICTION = "more"
"""Exercise 4's reference prediction: 16 tokens are about the first dozen words, and a review
often states its verdict later (the teacher fell from 89% to 71% on validation)."""
