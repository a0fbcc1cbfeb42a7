"""Checks for the exercises of lesson 06 (choosing and shipping a model)."""

from __future__ import annotations

import random

from ..application.measure import MARGIN
from ..core.evaluation import difference
from ..core.inference import length_batches
from . import attempt, feedback, predicted


def _cases() -> list[tuple[list[int], int]]:
    rng = random.Random(6)
    cases = [([5, 3, 9, 3, 12, 7], 20), ([40, 10, 600, 25], 512), ([8] * 9, 32), ([], 64)]
    cases += [([rng.randint(3, 300) for _ in range(60)], budget) for budget in (256, 1024)]
    return cases


def _problem(batches, lengths: list[int], budget: int) -> str | None:
    """What is wrong with ``batches`` as token-budget batches of ``lengths``, or ``None``."""
    flat = sorted(i for batch in batches for i in batch)
    if flat != list(range(len(lengths))):
        return "every review must be in exactly one batch"
    for batch in batches:
        if len(batch) > 1 and len(batch) * max(lengths[i] for i in batch) > budget:
            return (f"batch {batch} pads to {len(batch)} x {max(lengths[i] for i in batch)} "
                    f"positions, over the budget of {budget}")
    if len(batches) > len(length_batches(lengths, token_budget=budget)):
        return "sort by length first: sorted, the same budget needs fewer batches"
    return None


def check_budget_batches(solution) -> None:
    """Exercise 1: ``budget_batches(lengths, budget)``, lists of indices, sorted by length,
    each batch at most ``budget`` positions once padded (a longer review alone)."""
    for lengths, budget in _cases():
        answer = attempt(solution, list(lengths), budget)
        if answer is None:
            return
        problem = _problem([list(b) for b in answer], lengths, budget)
        if problem:
            feedback(False, "", f"lengths {lengths[:8]}{'...' if len(lengths) > 8 else ''}, "
                     f"budget {budget}: {problem}.")
            return
    feedback(True, "your batches keep every review once, stay within the budget and are as "
             "few as sorting allows.", "")


def fourth_team_pick(results, max_weights_mb: float = 40.0) -> list[str]:
    """The variants whose weights take at most ``max_weights_mb`` and whose challenge answers
    are not worse than the best of them beyond chance (McNemar p >= 0.05 on the same 135
    reviews): any of them is a defensible pick, since the challenge set cannot tell them apart."""
    from ..core.evaluation import mcnemar

    small = {name: r for name, r in results.items() if r.weights_mb <= max_weights_mb}
    best = max(small, key=lambda name: small[name].challenge.value)
    right = small[best].challenge_right

    def worse(name):
        paired = mcnemar([True] * len(right), right, small[name].challenge_right)
        return paired.significant and paired.only_a > paired.only_b

    return sorted(name for name in small if not worse(name))


def check_fourth_team(answer: str | None, results) -> None:
    """Exercise 2: a fourth team ships to a device with 40 MB for the weights and cares most
    about hard reviews (the challenge set): which variant?"""
    if answer is None:
        print("⏳ Not attempted yet: set `pick` to a variant name from the results.")
        return
    best = fourth_team_pick(results)
    if answer not in results:
        feedback(False, "", f"{answer!r} is not one of the measured variants.")
        return
    r = results[answer]
    feedback(answer in best, f"{answer}: within 40 MB, and no variant that fits is better on "
             f"the challenge reviews beyond chance (equally defensible: {', '.join(best)}).",
             f"{answer} has {r.weights_mb:.1f} MB of weights and {r.challenge.value:.1%} on "
             "the challenge reviews: keep the variants within 40 MB first, then those whose "
             "challenge answers a paired test (McNemar) cannot tell from the best one's.")


YES_OR_NO = ("yes", "no")


def check_fewer_reviews_prediction(prediction: str | None, analyzers: dict, validation,
                                   variant: str = "teacher-int8", keep: int = 4) -> None:
    """Exercise 3: the student's ``prediction`` (one of :data:`YES_OR_NO`): on every
    ``keep``-th validation review only (25 of 100), would even an exact copy of the fp32
    teacher be shown to lose at most the margin against it? Then the measurement: the copy
    (the teacher's answers against themselves: the narrowest interval so few reviews allow),
    and ``variant`` beside it."""
    if not predicted(prediction, YES_OR_NO):
        return
    texts, labels = list(validation["text"])[::keep], list(validation["label"])[::keep]
    teacher = analyzers["teacher-fp32"].predict_polarity(texts)
    copy = difference(labels, teacher, teacher, MARGIN)
    measured = difference(labels, teacher, analyzers[variant].predict_polarity(texts), MARGIN)
    answer = YES_OR_NO[0] if copy.non_inferior else YES_OR_NO[1]
    why = (f"on {len(texts)} reviews, a copy of the teacher: {copy}; {variant}: {measured}. "
           f"No disagreement in {len(texts)} reviews does not prove the two never disagree, so "
           "the interval stays wide: a model that merely ties the teacher needs enough reviews "
           "to be shown within a margin")
    feedback(prediction == answer, f"{answer}, as you predicted: {why}.",
             f"you predicted {prediction}; measured {why}.")
