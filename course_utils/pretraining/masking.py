"""BERT's masking through transformers' ``DataCollatorForLanguageModeling``: the rates, one
masked batch, what was chosen and how, and static (drawn once) masks."""

from __future__ import annotations

import torch
from datasets import Dataset
from transformers import DataCollatorForLanguageModeling

MASK_PROBABILITY = 0.15
REPLACEMENT = {"[MASK]": 0.8, "random token": 0.1, "unchanged": 0.1}
HELDOUT_MASK_SEED = 1234  # one fixed mask for the held-out reviews, the same in every run


def mlm_collator(tokenizer, seed: int | None = None, probability: float = MASK_PROBABILITY,
                 replacement: dict[str, float] = REPLACEMENT) -> DataCollatorForLanguageModeling:
    """transformers' MLM collator with BERT's rates: ``probability`` of the tokens chosen,
    then 80% [MASK] / 10% random / 10% unchanged (``replacement``); special tokens and padding
    never chosen. ``seed`` makes the sequence of masks reproducible."""
    return DataCollatorForLanguageModeling(
        tokenizer, mlm_probability=probability, mask_replace_prob=replacement["[MASK]"],
        random_replace_prob=replacement["random token"], seed=seed)


def mask_batch(collator, examples: list[dict]) -> dict:
    """One masked batch (padded): ``input_ids`` as the model sees them, ``labels`` (-100 where
    the token was not chosen), and the original ids. An example's ``special_tokens_mask``, if
    it has one, tells the collator which of its tokens are special."""
    batch = collator([{k: e[k] for k in ("input_ids", "special_tokens_mask") if k in e}
                      for e in examples])
    plain = [{"input_ids": e["input_ids"]} for e in examples]
    original = collator.tokenizer.pad(plain, return_tensors="pt")["input_ids"]
    return {**batch, "original_ids": original}


def masking_rates(tokenizer, examples: list[dict], rounds: int = 20, seed: int = 0,
                  probability: float = MASK_PROBABILITY,
                  replacement: dict[str, float] = REPLACEMENT,
                  specials_known: bool = True) -> dict:
    """Measured over ``rounds`` maskings of ``examples``: the share of ordinary tokens chosen,
    how the chosen ones were replaced, and how many special tokens were ever chosen, by a
    collator with ``probability`` and ``replacement``. ``specials_known`` False (the
    lesson's control) hands the collator a ``special_tokens_mask`` that marks nothing."""
    collator = mlm_collator(tokenizer, seed=seed, probability=probability,
                            replacement=replacement)
    if not specials_known:
        examples = [{**e, "special_tokens_mask": [0] * len(e["input_ids"])} for e in examples]
    special = set(tokenizer.all_special_ids)
    counts = dict.fromkeys(["ordinary", "chosen", "[MASK]", "random token", "unchanged",
                            "special chosen"], 0)
    for _ in range(rounds):
        batch = mask_batch(collator, examples)
        chosen = batch["labels"] != -100
        is_special = torch.isin(batch["original_ids"], torch.tensor(sorted(special)))
        counts["ordinary"] += int((~is_special).sum())
        counts["chosen"] += int(chosen.sum())
        counts["special chosen"] += int((chosen & is_special).sum())
        shown, original = batch["input_ids"][chosen], batch["original_ids"][chosen]
        counts["[MASK]"] += int((shown == tokenizer.mask_token_id).sum())
        counts["unchanged"] += int((shown == original).sum())
    counts["random token"] = counts["chosen"] - counts["[MASK]"] - counts["unchanged"]
    return {"chosen": counts["chosen"] / counts["ordinary"],
            **{k: counts[k] / counts["chosen"] for k in REPLACEMENT},
            "special chosen": counts["special chosen"], "tokens seen": counts["ordinary"]}


def show_masking(tokenizer, input_ids, labels, original_ids) -> str:
    """The tokens as the model sees them, chosen positions in brackets with the original:
    ``[MASK]→battery`` (masked), ``{toaster→battery}`` (random), ``(battery)`` (unchanged)."""
    pieces = []
    for shown, label, original in zip(input_ids.tolist(), labels.tolist(),
                                      original_ids.tolist()):
        if original == tokenizer.pad_token_id:
            break
        word = tokenizer.convert_ids_to_tokens(original)
        if label == -100:
            pieces.append(word)
        elif shown == tokenizer.mask_token_id:
            pieces.append(f"[MASK]→{word}")
        elif shown == original:
            pieces.append(f"({word})")
        else:
            pieces.append(f"{{{tokenizer.convert_ids_to_tokens(shown)}→{word}}}")
    return " ".join(pieces)


def static_masks(dataset: Dataset, tokenizer, seed: int = 0) -> Dataset:
    """Every example of ``dataset`` masked once, now (seeded): ``input_ids`` and ``labels``."""
    collator = mlm_collator(tokenizer, seed=seed)
    masked = [collator([{"input_ids": ids}]) for ids in dataset["input_ids"]]
    return Dataset.from_dict({"input_ids": [b["input_ids"][0].tolist() for b in masked],
                              "labels": [b["labels"][0].tolist() for b in masked]})
