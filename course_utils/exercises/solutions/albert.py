"""Reference solutions for lesson 04 (ALBERT)."""

from __future__ import annotations


def break_even(vocab, hidden):
    """Exercise 1: the largest E with V*E + E*H + H < V*H."""
    return (vocab * hidden - hidden - 1) // (vocab + hidden)


def attention_only(vocab, embedding, hidden, layers, ffn):
    """Exercise 2: parameters of an AlbertModel (with pooler) whose layers share only their
    attention."""
    embeddings = (vocab + 512 + 2) * embedding + 2 * embedding  # words, positions, types, LN
    projection = embedding * hidden + hidden
    attention = 4 * (hidden * hidden + hidden) + 2 * hidden  # stored once
    feed_forward = hidden * ffn + ffn + ffn * hidden + hidden + 2 * hidden  # once per layer
    pooler = hidden * hidden + hidden
    return embeddings + projection + attention + layers * feed_forward + pooler


DEPTH_PREDICTION = {"parameters": "same", "latency": "half"}
"""Exercise 3's reference prediction: the shared layer is stored once, whatever the number of
passes; each pass costs the same compute, so half the passes take about half the time."""
