"""Checks for the exercises of lesson 02 (RoBERTa's pretraining)."""

from __future__ import annotations

import random

import torch

from ..pretraining import INPUT_FORMATS, MASK_PROBABILITY, REPLACEMENT, input_formats
from . import attempt, feedback, predicted

TOLERANCE = 0.01
"""Measured rates must be this close to 15% and 80/10/10 (over about 200,000 tokens)."""


def _sequences(tokenizer, n: int = 2000, length: int = 100, seed: int = 0) -> list[list[int]]:
    """Random sequences of ordinary word ids framed by [CLS] ... [SEP]."""
    rng = random.Random(seed)
    words = [i for i in range(1000, tokenizer.vocab_size)]
    return [[tokenizer.cls_token_id, *rng.sample(words, length), tokenizer.sep_token_id]
            for _ in range(n)]


def check_static_masking(solution, tokenizer) -> None:
    """Exercise 1: ``solution(ids, tokenizer, rng)`` masks one sequence BERT's way and returns
    (inputs, labels); the check measures its rates on 2,000 sequences."""
    rng = torch.Generator().manual_seed(0)
    ordinary = chosen = masked = kept = special = 0
    for ids in _sequences(tokenizer):
        result = attempt(solution, list(ids), tokenizer, rng)
        if result is None:
            return
        inputs, labels = (torch.as_tensor(x) for x in result)
        original = torch.tensor(ids)
        picked = labels != -100
        ordinary += len(ids) - 2
        chosen += int(picked.sum())
        special += int(picked[0] or picked[-1])
        masked += int((inputs[picked] == tokenizer.mask_token_id).sum())
        kept += int((inputs[picked] == original[picked]).sum())
        if not torch.equal(labels[picked], original[picked]):
            return feedback(False, "", "labels must hold the original id at every chosen "
                            "position (and -100 elsewhere).")
    rates = {"chosen": chosen / ordinary, "[MASK]": masked / chosen,
             "unchanged": kept / chosen, "random token": 1 - (masked + kept) / chosen}
    wanted = {"chosen": MASK_PROBABILITY, **REPLACEMENT}
    off = {k: round(v, 3) for k, v in rates.items() if abs(v - wanted[k]) > TOLERANCE}
    shown = ", ".join(f"{k} {v:.3f}" for k, v in rates.items())
    if special:
        return feedback(False, "", f"[CLS] or [SEP] was chosen {special} times; special tokens "
                        "must never be masked.")
    feedback(not off, f"measured {shown}: BERT's recipe (15%, then 80/10/10).",
             f"measured {shown}; off: {off}. Choose each ordinary token with probability "
             "0.15, then replace by [MASK] with 0.8, by a random id with 0.1, keep with 0.1.")


LENGTHS = (64, 256)
"""Exercise 2 measures each format at the lesson's 64 tokens and at 256 (RoBERTa used 512)."""


def check_padding_share(solution, texts, tokenizer, prediction: str) -> None:
    """Exercise 2: ``solution(dataset, max_length)``, the share of a batch's positions that
    are padding when every example is padded to ``max_length``, checked on the three formats
    of ``texts`` at each of :data:`LENGTHS`; then the student's ``prediction`` (the format
    that wastes the most at the longer length) against the measurement."""
    if not predicted(prediction, INPUT_FORMATS):
        return
    truth, wrong = {}, []
    for length in LENGTHS:
        for name, dataset in input_formats(texts, tokenizer, length).items():
            lengths = [len(ids) for ids in dataset["input_ids"]]
            truth[name, length] = 1 - sum(lengths) / (len(lengths) * length)
            answer = attempt(solution, dataset, length)
            if answer is None:
                return
            if abs(float(answer) - truth[name, length]) > 1e-6:
                wrong.append(f"{name} at {length}")
    longest = LENGTHS[-1]
    worst = max(INPUT_FORMATS, key=lambda name: truth[name, longest])
    shares = "; ".join(f"{name} " + " -> ".join(f"{truth[name, n]:.0%}" for n in LENGTHS)
                       for name in INPUT_FORMATS)
    verdict = ("your prediction was right" if prediction == worst else
               f"you predicted {prediction}: the measurement says otherwise")
    feedback(not wrong, f"padding at {' -> '.join(map(str, LENGTHS))} tokens: {shares}. "
             f"{worst} wastes the most at {longest}; {verdict}. Packing sentences across "
             "documents is the only format that fills longer inputs.",
             f"wrong for {wrong}: padding positions are max_length minus each example's "
             "length, over max_length times the number of examples.")
