"""Fill in the blank: a model's top words for one [MASK], the expected word's rank, a table
of models side by side, and a live widget (ipywidgets imported when it is built)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import torch
import torch.nn.functional as F

from ..core.inference import model_device


def check_masked_text(text, mask_token: str = "[MASK]") -> str:
    """``text`` if it is a string with exactly one ``[MASK]``; a one-line error otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"the text must be a string, not {type(text).__name__}")
    if text.count(mask_token) != 1:
        raise ValueError(f"put exactly one {mask_token} where the missing word goes "
                         f"(found {text.count(mask_token)})")
    if len(text) > 2000:
        raise ValueError("the text is too long for fill-in-the-blank: keep it under 2,000 "
                         "characters")
    return text


@torch.inference_mode()
def _mask_logits(model, tokenizer, text: str) -> torch.Tensor:
    """Logits over the vocabulary at the single ``[MASK]`` of ``text`` (RoBERTa's ``<mask>``
    is substituted), special tokens excluded."""
    text = check_masked_text(text).replace("[MASK]", tokenizer.mask_token)
    batch = tokenizer(text, return_tensors="pt", truncation=True, max_length=512)
    batch = batch.to(model_device(model))
    position = (batch["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0, 0]
    logits = model(**batch).logits[0, position].float().cpu()
    logits[tokenizer.all_special_ids] = -float("inf")
    return logits


def top_predictions(model, tokenizer, text: str, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most likely words for the single ``[MASK]`` of ``text``, with probabilities."""
    top = _mask_logits(model, tokenizer, text).softmax(-1).topk(k)
    words = tokenizer.convert_ids_to_tokens(top.indices.tolist())
    return [(w.lstrip("Ġ"), round(p, 3)) for w, p in zip(words, top.values.tolist())]


def word_rank(model, tokenizer, text: str, word: str) -> int:
    """Where ``word`` ranks among the model's guesses for the ``[MASK]`` (1 = first choice)."""
    ids = tokenizer(" " + word.strip(), add_special_tokens=False)["input_ids"]
    if len(ids) != 1:
        raise ValueError(f"{word!r} is {len(ids)} tokens in this vocabulary; pick a word that "
                         "is one token")
    logits = _mask_logits(model, tokenizer, text)
    return int((logits > logits[ids[0]]).sum()) + 1


def fill_mask_table(models: dict, sentences: dict[str, str | None], k: int = 3) -> pd.DataFrame:
    """For each ``text: expected word`` (rows) and each ``name: (model, tokenizer)``: the top
    ``k`` words with probabilities, and the expected word's rank when one is given."""
    rows = {}
    for text, word in sentences.items():
        row = {"expected": word or ""}
        for name, (model, tokenizer) in models.items():
            row[f"{name}: top {k}"] = ", ".join(
                f"{w} {p:.0%}" for w, p in top_predictions(model, tokenizer, text, k))
            if word:
                row[f"{name}: rank of expected"] = word_rank(model, tokenizer, text, word)
        rows[text] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def fill_mask_explorer(models: dict, text: str = "The battery [MASK] all day.",
                       word: str = "lasts"):
    """Type a review with one [MASK] (and, if you like, the word you expect); see each
    model's top words and the expected word's rank (a live widget)."""
    import ipywidgets as widgets
    from IPython.display import display

    box = widgets.Text(value=text, description="review", layout={"width": "60%"})
    expected = widgets.Text(value=word, description="expected")
    output = widgets.Output()

    def show(*_):
        output.clear_output(wait=True)
        with output:
            try:
                display(fill_mask_table(models, {box.value: expected.value or None}, k=5).T)
            except (ValueError, TypeError) as error:
                print(error)

    box.observe(show, "value")
    expected.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox([box, expected]), output])


ONLINE_MLMS = ("bert-base-uncased", "roberta-base")
"""The real pretrained masked-language models the lesson compares with its miniature online."""


def online_mlms() -> dict:
    """Online only: the real :data:`ONLINE_MLMS` with their pretrained MLM heads, as
    ``{name: (model, tokenizer)}``."""
    from transformers import AutoModelForMaskedLM

    from ..models import load_pretrained, load_tokenizer

    return {name: (load_pretrained(name, AutoModelForMaskedLM), load_tokenizer(name))
            for name in ONLINE_MLMS}


def online_fill_mask(sentences: dict[str, str | None], models: dict | None = None
                     ) -> pd.DataFrame:
    """Online only: the real :data:`ONLINE_MLMS` side by side (``models`` as
    :func:`online_mlms` returns them, loaded when not given)."""
    return fill_mask_table(models or online_mlms(), sentences)


def online_context_gain(models: dict | None = None, reviews=None) -> dict:
    """Online only: :class:`ContextGain` of each real MLM (``models`` as :func:`online_mlms`
    returns them) on the lesson's held-out reviews, cut into blocks and masked with the
    model's own tokenizer at the same rates and seed as the miniature's held-out blanks."""
    from ..data import load_reviews
    from .masking import HELDOUT_MASK_SEED, static_masks
    from .training import mlm_corpus

    reviews = reviews or load_reviews()  # read once, cut by each model's tokenizer
    gains = {}
    for name, (model, tokenizer) in (models or online_mlms()).items():
        heldout = mlm_corpus(tokenizer, reviews)[1]
        gains[name] = context_gain(model, tokenizer,
                                   static_masks(heldout, tokenizer, seed=HELDOUT_MASK_SEED))
    return gains


@dataclass(frozen=True)
class ContextGain:
    """What the words around a blank are worth to an MLM on held-out blanks: the mean loss
    per blank (nats) with the context as it is, and with every other word masked too; the
    gain (their difference) with a 95% t interval over the held-out blocks."""

    with_context: float
    without_context: float
    low: float
    high: float
    blocks: int

    @property
    def value(self) -> float:
        return self.without_context - self.with_context

    def __str__(self) -> str:
        return (f"{self.value:.2f} nats (95% CI {self.low:.2f} to {self.high:.2f}, "
                f"{self.blocks} blocks); perplexity {math.exp(self.with_context):.0f} with the "
                f"context, {math.exp(self.without_context):.0f} without")


def _blank_logits(model, input_ids, attention_mask, labels) -> torch.Tensor:
    """Logits at the blanks (``labels`` != -100), row by row, on the CPU in fp32. The course's
    :class:`~.model.MaskedPositionsLM` projects onto the vocabulary at the blanks only when it
    gets ``labels`` (several times faster on a CPU); any other masked LM at every position."""
    from .model import MaskedPositionsLM

    if isinstance(model, MaskedPositionsLM):
        return model(input_ids=input_ids, attention_mask=attention_mask,
                     labels=labels).logits.float().cpu()
    logits = model(input_ids=input_ids, attention_mask=attention_mask).logits
    return logits[labels != -100].float().cpu()


@torch.inference_mode()
def context_gain(model, tokenizer, masked, batch_size: int = 16) -> ContextGain:
    """:class:`ContextGain` of ``model`` on ``masked`` (examples with ``input_ids`` and
    ``labels``, as :func:`masking.static_masks` makes them): each block is scored twice on the
    same blanks, as masked, then with every ordinary token masked (only the special tokens
    left), so the second loss is what the model knows without reading the review."""
    from scipy.stats import ttest_1samp
    from transformers import DataCollatorForTokenClassification

    model.eval()
    device = model_device(model)
    pad = DataCollatorForTokenClassification(tokenizer)  # pads the labels with -100, as training
    examples = [{"input_ids": e["input_ids"], "labels": e["labels"]} for e in masked
                if any(label != -100 for label in e["labels"])]
    losses = {"with": [], "without": []}
    for first in range(0, len(examples), batch_size):
        batch = pad(examples[first:first + batch_size])
        ids, labels, attention = batch["input_ids"], batch["labels"], batch["attention_mask"]
        special = torch.tensor([tokenizer.get_special_tokens_mask(
            row.tolist(), already_has_special_tokens=True) for row in ids], dtype=torch.bool)
        blank = ids.masked_fill(~special, tokenizer.mask_token_id)
        chosen = labels != -100
        for name, inputs in (("with", ids), ("without", blank)):
            logits = _blank_logits(model, inputs.to(device), attention.to(device),
                                   labels.to(device))
            per_token = F.cross_entropy(logits, labels[chosen], reduction="none")
            for row_losses in per_token.split(chosen.sum(dim=1).tolist()):
                losses[name].append(row_losses.mean().item())
    gains = [b - a for a, b in zip(losses["with"], losses["without"])]
    if len(gains) < 2:
        raise ValueError(f"an interval needs at least 2 blocks with a blank, not {len(gains)}: "
                         "mask more held-out blocks")
    low, high = ((gains[0], gains[0]) if len(set(gains)) == 1  # no spread: no t interval
                 else ttest_1samp(gains, 0.0).confidence_interval(0.95))
    return ContextGain(sum(losses["with"]) / len(gains), sum(losses["without"]) / len(gains),
                       float(low), float(high), len(gains))
