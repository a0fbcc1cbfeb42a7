"""What the lesson shows: the experiments and the results table (soft targets themselves:
``dark_knowledge.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .losses import LossWeights
from .recipe import MINIATURE, Recipe, distil, prepared_transfer
from .student import distilbert_from_teacher


def accuracy_row(model, tokenizer, splits, names=("validation", "test", "challenge")):
    """Accuracy (n, 95% interval) of ``model`` on each split, and its predictions on each."""
    from ..core.evaluation import REVIEW_MAX_TOKENS, evaluate_splits

    scored = evaluate_splits(model, tokenizer, splits, REVIEW_MAX_TOKENS, names)
    return ({name: s.accuracy for name, s in scored.items()},
            {name: s.predicted for name, s in scored.items()})


def size_row(model) -> dict:
    """Encoder parameters, total parameters and the size on disk (MB,
    :func:`core.measurement.disk_bytes`)."""
    from ..core.measurement import MB, disk_bytes
    from ..models import parameter_breakdown

    parts = parameter_breakdown(model)
    return {"encoder params (M)": round(parts["encoder"] / 1e6, 2),
            "total params (M)": round(parts["total"] / 1e6, 2),
            "on disk MB": round(disk_bytes(model) / MB, 1)}


@dataclass(frozen=True)
class Experiment:
    """One change to the full recipe: the loss, the data or the student's starting point."""

    weights: LossWeights = LossWeights()
    augmented: bool = True
    random_init: bool = False


EXPERIMENTS = {
    "hard labels only": Experiment(LossWeights(soft=0, hard=1, cosine=0), augmented=False),
    "labelled reviews only": Experiment(augmented=False),
    "random init": Experiment(augmented=False, random_init=True),
}
"""The lesson's experiments. ``augmented`` False trains on the labelled reviews alone (the
first rows of the transfer set), the cheap setting that isolates one change at a time."""


def run_experiment(name: str, teacher, tokenizer, recipe: Recipe = MINIATURE,
                   seed: int | None = None):
    """Train the 3-layer student of experiment ``name`` (a key of :data:`EXPERIMENTS`)."""
    from ..data import load_reviews

    change = EXPERIMENTS[name]
    recipe = replace(recipe, weights=change.weights)
    if change.random_init:  # nothing to keep from the teacher but the embeddings
        recipe = replace(recipe, frozen_layers=0)
    reviews = load_reviews()
    train, cached = prepared_transfer(teacher, tokenizer, recipe)
    if not change.augmented:
        train = train.select(range(len(reviews["train"])))
    student = distilbert_from_teacher(teacher, random_init=change.random_init, seed=seed)
    uses_teacher = bool(change.weights.soft or change.weights.cosine)
    return distil(student, tokenizer, train, reviews["validation"], recipe=recipe, seed=seed,
                  cached=cached if uses_teacher else None)[0]


def results_table(references: dict, students: dict, splits):
    """Accuracy (n, 95% interval) on validation, test and challenge, encoder and total
    parameters and on-disk size for every ``name: (model, tokenizer)``; the hidden columns
    ``_test`` (test accuracy as a number) and ``_predicted`` (test predictions, for paired
    tests) serve the claim check."""
    import pandas as pd

    rows = {}
    for name, (model, tokenizer) in {**references, **students}.items():
        scores, predicted = accuracy_row(model, tokenizer, splits)
        rows[name] = {**{split: str(a) for split, a in scores.items()}, **size_row(model),
                      "_test": scores["test"].value, "_predicted": predicted["test"]}
    return pd.DataFrame.from_dict(rows, orient="index")
