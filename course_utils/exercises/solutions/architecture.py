"""Reference solutions for lesson 01 (architecture)."""

from __future__ import annotations


def bert_parameters(vocab, hidden, layers, ffn, positions, token_types):
    """Exercise 1: parameters of a BERT encoder with its pooler."""
    embeddings = (vocab + positions + token_types) * hidden + 2 * hidden  # + LayerNorm
    attention = 4 * (hidden * hidden + hidden) + 2 * hidden  # Q, K, V, output + LayerNorm
    feed_forward = hidden * ffn + ffn + ffn * hidden + hidden + 2 * hidden  # + LayerNorm
    pooler = hidden * hidden + hidden
    return embeddings + layers * (attention + feed_forward) + pooler


def albert_parameters(vocab, embedding, hidden, ffn, positions, token_types):
    """Exercise 2: parameters of an ALBERT encoder (one shared layer) with its pooler."""
    embeddings = (vocab + positions + token_types) * embedding + 2 * embedding
    projection = embedding * hidden + hidden
    one_layer = bert_parameters(0, hidden, 1, ffn, 0, 0) - (2 * hidden + hidden * hidden + hidden)
    pooler = hidden * hidden + hidden
    return embeddings + projection + one_layer + pooler


def fastest(models: dict):
    """Exercise 3, reasoned before measuring: the model with the fewest layers to run (the
    four are equally wide, and ALBERT runs its one shared layer twelve times)."""
    return min(models, key=lambda name: models[name].config.num_hidden_layers)
