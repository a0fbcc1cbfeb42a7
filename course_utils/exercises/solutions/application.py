"""Reference solutions for lesson 06 (choosing and shipping a model)."""

from __future__ import annotations


def budget_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Exercise 1: sort the reviews by length, then grow each batch while the padded size
    (reviews x the longest, which is the newest) stays within ``budget``."""
    batches, current = [], []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if current and (len(current) + 1) * lengths[i] > budget:
            batches.append(current)
            current = []
        current.append(i)
    return batches + ([current] if current else [])


def fourth_team(results) -> str:
    """Exercise 2: keep the variants with at most 40 MB of weights, take the best challenge
    accuracy (any that a paired test cannot tell from it would do as well)."""
    small = {name: r for name, r in results.items() if r.weights_mb <= 40}
    return max(small, key=lambda name: small[name].challenge.value)


FEWER_REVIEWS_PREDICTION = "no"
"""Exercise 3: on 25 reviews, even a copy of the teacher gets an interval of +/- 10.3 points
(Bonett and Price: 1.96 x sqrt(2) / 27): not within 8 points."""
