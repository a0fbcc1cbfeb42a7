"""Reference solutions for lesson 05 (tokenization)."""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise


def merge_step(word_counts):
    """Exercise 1: the most frequent adjacent pair, and ``word_counts`` with it merged."""
    pairs = Counter()
    for word, count in word_counts.items():
        for pair in pairwise(word):
            pairs[pair] += count
    best = max(pairs, key=pairs.get)
    merged = {}
    for word, count in word_counts.items():
        symbols, i = [], 0
        while i < len(word):
            step = 2 if word[i:i + 2] == best else 1
            symbols.append("".join(word[i:i + step]))
            i += step
        merged[tuple(symbols)] = count
    return best, merged


def more_pieces_word(wordpiece, bpe, words):
    """Exercise 2: search ``words`` for the first that WordPiece cuts into more pieces."""
    return next(w for w in words if len(wordpiece.pieces(f" {w}")) > len(bpe.pieces(f" {w}")))


def best_segmentation(text, scores):
    """Exercise 3: the pieces of ``text`` whose log-probabilities add up to the most."""
    best = [(0.0, 0)] + [(-math.inf, 0)] * len(text)  # (score, start of the last piece)
    for end in range(1, len(text) + 1):
        for start in range(end):
            piece = text[start:end]
            if piece in scores and best[start][0] + scores[piece] > best[end][0]:
                best[end] = (best[start][0] + scores[piece], start)
    pieces, end = [], len(text)
    while end > 0:
        pieces.append(text[best[end][1]:end])
        end = best[end][1]
    return pieces[::-1]


LOWERCASE_PREDICTION = "less"
"""Exercise 4's reference prediction: reviews are mostly lower case, so lower-casing them
saves the cased BPE 30k under 1% of its tokens on the test reviews (0.9%)."""
