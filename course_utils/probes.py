"""Probes: what a frozen encoder's sentence vectors know, read by a linear classifier.

Lesson 02 asks whether NSP is a topic test, lesson 04 whether SOP needs more than topic; both
pool a frozen encoder's hidden states (:func:`sentence_vectors`, through the one inference
path) and fit logistic regressions on pair features.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .core.inference import mean_pooled, run_in_batches


def sentence_vectors(encoder, tokenizer, sentences, batch_size: int = 64,
                     max_length: int = 48) -> dict:
    """Mean-pooled hidden states of a frozen encoder, one unit vector per distinct sentence
    (its first ``max_length`` tokens)."""
    unique = sorted(set(sentences))
    ids = tokenizer(unique, truncation=True, max_length=max_length)["input_ids"]
    rows = run_in_batches(encoder.eval(), tokenizer, ids, mean_pooled, batch_size=batch_size)
    return {sentence: row.numpy() for sentence, row in zip(unique, rows)}


def pair_features(examples: pd.DataFrame, vectors: dict, kind: str) -> np.ndarray:
    """``"topic"``: the cosine of the two sentences (symmetric: blind to their order).
    ``"pair"``: both vectors, their product and difference (order visible)."""
    a = np.stack([vectors[s] for s in examples["first"]])
    b = np.stack([vectors[s] for s in examples["second"]])
    if kind == "topic":
        return (a * b).sum(1, keepdims=True)
    return np.hstack([a, b, a * b, np.abs(a - b)])


def order_probe(train: pd.DataFrame, test: pd.DataFrame, vectors: dict) -> pd.DataFrame:
    """Logistic-regression probes trained on one task, tested on both (the paper's Table 5).

    Rows: features and training task; columns: test accuracy on NSP and on SOP.
    """
    from sklearn.linear_model import LogisticRegression

    rows = {}
    for kind in ("topic", "pair"):
        for task in ("NSP", "SOP"):
            part = train[train["task"] == task]
            probe = LogisticRegression(max_iter=2000, C=1.0).fit(
                pair_features(part, vectors, kind), part["label"])
            rows[(f"{kind} features", f"trained on {task}")] = {
                f"{other} accuracy": probe.score(pair_features(
                    test[test["task"] == other], vectors, kind),
                    test[test["task"] == other]["label"])
                for other in ("NSP", "SOP")}
    return pd.DataFrame.from_dict(rows, orient="index")
