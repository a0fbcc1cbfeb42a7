"""One inference path for every lesson: tokenise, sort by length, batch (by a count of texts
or by a budget of padded tokens), run in inference mode, and put the rows back in input order.

The sentiment analyzer, distillation's teacher outputs, the ALBERT lesson's sentence vectors
and the capstone all run their models through :func:`run_in_batches`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch


def length_batches(lengths: Sequence[int], batch_size: int | None = None,
                   token_budget: int | None = None, sort: bool = True) -> list[list[int]]:
    """Indices of texts of ``lengths`` tokens, sorted by length and cut into batches.

    ``batch_size``: at most that many texts per batch. ``token_budget``: at most that many
    positions per batch once it is padded to its longest text (a long text gets a batch of its
    own). Give one of them, or both (both limits then hold). Sorting keeps the padding small;
    ties keep the input order, so the batches are the same in every run. ``sort`` False:
    the texts in their given order (what the sort saves).
    """
    if batch_size is None and token_budget is None:
        raise ValueError("give batch_size or token_budget (or both)")
    for name, value in (("batch_size", batch_size), ("token_budget", token_budget)):
        if value is not None and (not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i]) if sort else range(len(lengths))
    batches, current, widest = [], [], 0
    for i in order:
        too_many = batch_size is not None and len(current) + 1 > batch_size
        too_wide = (token_budget is not None
                    and (len(current) + 1) * max(widest, lengths[i]) > token_budget)
        if current and (too_many or too_wide):
            batches.append(current)
            current, widest = [], 0
        current.append(i)
        widest = max(widest, lengths[i])
    return batches + ([current] if current else [])


def padding_share(lengths: Sequence[int], batches: Sequence[Sequence[int]]) -> float:
    """The share of the positions that are padding when each batch (indices into
    ``lengths``) is padded to its longest text."""
    padded = sum(len(batch) * max(lengths[i] for i in batch) for batch in batches)
    return 1 - sum(lengths[i] for batch in batches for i in batch) / padded


def fingerprint(model: torch.nn.Module, tokenizer) -> str:
    """A digest of everything a model's outputs depend on: its weights (names, shapes,
    values) and its tokenizer's vocabulary and settings. Two models with one digest give the
    same outputs; a re-trained model gets another (a cache key, not a file name)."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(f"{name}{tuple(tensor.shape)}{tensor.dtype}".encode())
        digest.update(tensor.detach().cpu().reshape(-1).view(torch.uint8).numpy().tobytes())
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is not None:  # less its truncation and padding: each call sets them anew
        settings = json.loads(backend.to_str())
        settings.pop("truncation", None), settings.pop("padding", None)
        digest.update(json.dumps(settings, sort_keys=True).encode())
    else:
        digest.update(repr(sorted(tokenizer.get_vocab().items())).encode())
    digest.update(repr((tokenizer.model_input_names, tokenizer.model_max_length)).encode())
    return digest.hexdigest()


def model_device(model: torch.nn.Module) -> torch.device:
    """The device the model's weights are on (the CPU for a model without torch weights, such
    as an ONNX Runtime session behind a module's face)."""
    weight = next(model.parameters(), None)
    return torch.device("cpu") if weight is None else weight.device


@torch.inference_mode()
def run_in_batches(model, tokenizer, ids: Sequence[Sequence[int]],
                   read: Callable[[object, dict], Sequence], batch_size: int | None = None,
                   token_budget: int | None = None, **forward_kwargs) -> list:
    """Run ``model`` on every text of ``ids`` (token ids, already truncated) in length-sorted
    batches, and return ``read(outputs, batch)``'s rows in the order of ``ids``.

    ``read`` turns one batch's model outputs (and the padded batch, for its attention mask)
    into one value per row: a tensor whose first dimension is the batch, or a list.
    ``forward_kwargs`` go to the model (``output_hidden_states=True``, for example).
    """
    device = model_device(model)
    rows: list = [None] * len(ids)
    for chunk in length_batches([len(x) for x in ids], batch_size, token_budget):
        batch = tokenizer.pad({"input_ids": [list(ids[i]) for i in chunk]},
                              return_tensors="pt").to(device)
        for i, row in zip(chunk, read(model(**batch, **forward_kwargs), batch)):
            rows[i] = row
    return rows


def probabilities(outputs, batch) -> torch.Tensor:
    """A ``read`` for :func:`run_in_batches`: class probabilities, on the CPU in fp32."""
    return outputs.logits.float().softmax(dim=-1).cpu()


def mean_pooled(outputs, batch) -> torch.Tensor:
    """A ``read`` for :func:`run_in_batches`: the mean of the last hidden states over each
    text's real (unpadded) tokens, scaled to length 1."""
    hidden = outputs.last_hidden_state.float()
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).cpu()


def logits_and_last_hidden(outputs, batch) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A ``read`` for :func:`run_in_batches` (with ``output_hidden_states=True``): each
    text's logits and its last hidden states without the padding, on the CPU in fp32."""
    logits = outputs.logits.float().cpu()
    last = outputs.hidden_states[-1].float().cpu()
    lengths = batch["attention_mask"].sum(dim=1).tolist()
    return [(logits[row], last[row, :n].clone()) for row, n in enumerate(lengths)]
