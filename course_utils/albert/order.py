"""Sentence-order prediction (SOP) versus next-sentence prediction (NSP): the examples.

The probes themselves live in :mod:`course_utils.probes` (re-exported here for lesson 04).
"""

from __future__ import annotations

import itertools
import random

import pandas as pd

from ..data import split_sentences
from ..probes import order_probe, pair_features, sentence_vectors  # noqa: F401 (lesson 04)


def order_examples(split, seed: int = 0, max_sentences: int = 5) -> pd.DataFrame:
    """NSP and SOP examples from the consecutive sentences of every review (its first
    ``max_sentences``).

    NSP (BERT): the true next sentence (label 1) or a sentence from a review of another
    product category (label 0). SOP (ALBERT): the two sentences in order (1) or swapped (0).
    Each pair gives one positive and one negative example of each task.
    """
    rng = random.Random(seed)
    reviews = [(split_sentences(t)[:max_sentences], c)
               for t, c in zip(split["text"], split["category"])]
    rows = []
    for index, (sentences, category) in enumerate(reviews):
        others = [i for i, (_, c) in enumerate(reviews) if c != category]
        for first, second in itertools.pairwise(sentences):
            random_sentence = rng.choice(reviews[rng.choice(others)][0])
            rows += [("NSP", first, second, 1), ("NSP", first, random_sentence, 0),
                     ("SOP", first, second, 1), ("SOP", second, first, 0)]
    return pd.DataFrame(rows, columns=["task", "first", "second", "label"])

