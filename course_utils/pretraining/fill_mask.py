"""Fill in the blank: a model's top words for one [MASK], the expected word's rank, a table
of models side by side, and a live widget (ipywidgets imported when it is built)."""

from __future__ import annotations

import pandas as pd
import torch

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


def online_fill_mask(sentences: dict[str, str | None]) -> pd.DataFrame:
    """Online only: the real ``bert-base-uncased`` and ``roberta-base`` side by side."""
    from transformers import AutoModelForMaskedLM

    from ..models import load_pretrained, load_tokenizer

    models = {name: (load_pretrained(name, AutoModelForMaskedLM), load_tokenizer(name))
              for name in ("bert-base-uncased", "roberta-base")}
    return fill_mask_table(models, sentences)
