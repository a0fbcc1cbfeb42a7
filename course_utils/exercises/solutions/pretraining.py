"""Reference solutions for lesson 02 (RoBERTa's pretraining)."""

from __future__ import annotations

import torch


def my_mask(ids, tokenizer, rng):
    """Exercise 1: BERT's masking of one sequence, ``(inputs, labels)``."""
    inputs, labels = torch.tensor(ids), torch.tensor(ids)
    ordinary = torch.ones(len(ids), dtype=torch.bool)
    ordinary[[0, -1]] = False  # [CLS] and [SEP]
    chosen = (torch.rand(len(ids), generator=rng) < 0.15) & ordinary
    labels[~chosen] = -100
    draw = torch.rand(len(ids), generator=rng)
    inputs[chosen & (draw < 0.8)] = tokenizer.mask_token_id
    randomised = chosen & (draw >= 0.8) & (draw < 0.9)
    inputs[randomised] = torch.randint(len(tokenizer), (len(ids),), generator=rng)[randomised]
    return inputs, labels


PREDICTION = "DOC-SENTENCES"
"""Exercise 2's reference prediction: every review still ends an example, and most reviews
are shorter than 256 tokens (SEGMENT-PAIR+NSP comes close: its pairs are one review long)."""


def padding_share(dataset, max_length):
    """Exercise 2: the share of a ``max_length`` batch's positions that are padding."""
    lengths = [len(ids) for ids in dataset["input_ids"]]
    return 1 - sum(lengths) / (len(lengths) * max_length)
