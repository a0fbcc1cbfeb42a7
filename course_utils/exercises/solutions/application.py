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


def fourth_team(table) -> str:
    """Exercise 2: keep the variants with at most 40 MB of weights, take the best challenge
    accuracy."""
    small = table[table["weights MB"] <= 40]
    return small["challenge accuracy"].map(lambda s: float(s.split("%")[0])).idxmax()
