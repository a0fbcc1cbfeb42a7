"""Sentiment analysis done right: batched, sorted by length, truncated to the model's limit,
labels read from ``config.id2label`` (never assume index 1 means positive).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .evaluation import POSITIVE
from .inference import model_device, probabilities, run_in_batches

MAX_CHARS = 100_000
"""Longer texts are refused: split them into reviews or paragraphs first."""


@dataclass(frozen=True)
class Prediction:
    """One text's predicted label, its probability, and whether the text was truncated."""

    label: str
    score: float
    n_tokens: int
    truncated: bool


def text_problem(text) -> str | None:
    """Why ``text`` cannot be scored (not a string, empty, over :data:`MAX_CHARS`
    characters), or ``None``: the one input check, of the analyzer and of the console script."""
    if not isinstance(text, str):
        return f"a {type(text).__name__}, not a string"
    if not text.strip():
        return "empty: remove it or give it some words"
    if len(text) > MAX_CHARS:
        return f"{len(text):,} characters (limit {MAX_CHARS:,}): split it into smaller pieces"
    return None


def validated_texts(texts) -> list[str]:
    """The input of :meth:`SentimentAnalyzer.predict` as a list of strings, or a one-line error
    that says what to fix (:func:`text_problem`); one string is one text."""
    if isinstance(texts, str):
        texts = [texts]
    if isinstance(texts, (bytes, dict)) or not hasattr(texts, "__iter__"):
        raise TypeError(f"texts must be a string or a list of strings, not {type(texts).__name__}")
    texts = list(texts)  # also accepts a datasets column, a pandas Series, a generator
    if not texts:
        raise ValueError("no texts given: pass at least one review")
    for i, text in enumerate(texts):
        problem = text_problem(text)
        if problem:
            raise (TypeError if not isinstance(text, str) else ValueError)(
                f"text {i} is {problem}")
    return texts


def is_length_error(error: Exception, n_tokens: int, limit: int) -> bool:
    """Is ``error`` the model refusing a text of ``n_tokens`` tokens, longer than its ``limit``
    positions (torch's shape error names both sizes), and not another failure that happens
    to be a ``RuntimeError`` too (token ids on the CPU for a model on a GPU)?"""
    message = str(error)
    return (isinstance(error, (RuntimeError, IndexError)) and f"({n_tokens})" in message
            and f"({limit})" in message)


def default_batch_size(device: torch.device) -> int:
    """Small batches on a CPU, where every padded position costs compute (lesson 00 shows how
    the padding share grows with the batch size); large ones on a GPU."""
    return 64 if device.type == "cuda" else 8


class SentimentAnalyzer:
    """Wrap a sequence-classification model and its tokenizer for fast, correct prediction.

    Texts are batched ``batch_size`` at a time (default: 8 on a CPU, 64 on a GPU), or by a
    ``token_budget`` of padded positions per batch; ``max_length`` truncates (default and
    at most: the model's limit, :func:`token_limit`, 512 for roberta-base).

    >>> analyzer = SentimentAnalyzer(model, tokenizer)            # doctest: +SKIP
    >>> analyzer.predict(["Great kettle!", "Broke in a week."])   # doctest: +SKIP
    """

    def __init__(self, model, tokenizer, batch_size: int | None = None,
                 max_length: int | None = None, positive_label: str | None = None,
                 token_budget: int | None = None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.token_budget = token_budget
        self.batch_size = batch_size or (None if token_budget else default_batch_size(self.device))
        limit = token_limit(model, tokenizer)
        self.max_length = min(max_length or limit, limit)
        self.labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
        self.positive_index = self._find_positive(positive_label)

    def _find_positive(self, positive_label: str | None) -> int:
        """Index of the positive class: the one named as the course's label table names it
        (:data:`core.evaluation.POSITIVE`, in any case), or ``positive_label``."""
        if positive_label is None:
            matches = [i for i, name in enumerate(self.labels) if name.upper() == POSITIVE]
            if len(matches) != 1:
                raise ValueError(f"cannot tell which of {self.labels} is positive: "
                                 "pass positive_label=<one of them>")
            return matches[0]
        if positive_label not in self.labels:
            raise ValueError(f"positive_label {positive_label!r} is not one of {self.labels}")
        return self.labels.index(positive_label)

    @property
    def device(self) -> torch.device:
        return model_device(self.model)

    def _encode(self, texts: list[str]) -> tuple[list[list[int]], list[int]]:
        """Token ids truncated to the limit, and each text's full length in tokens."""
        full = self.tokenizer(texts, truncation=False, verbose=False)["input_ids"]
        kept = self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]
        return kept, [len(ids) for ids in full]

    def token_counts(self, texts) -> list[int]:
        """How many tokens of each text the model sees (after truncation to the limit)."""
        return [len(ids) for ids in self._encode(validated_texts(texts))[0]]

    def predict_proba(self, texts) -> tuple[torch.Tensor, list[int]]:
        """Class probabilities (rows in input order, columns as ``labels``) and token counts,
        through the course's one inference path (:func:`inference.run_in_batches`)."""
        ids, lengths = self._encode(validated_texts(texts))
        rows = run_in_batches(self.model, self.tokenizer, ids, probabilities,
                              self.batch_size, self.token_budget)
        return torch.stack(rows), lengths

    def predict(self, texts) -> list[Prediction]:
        """Label, probability, token count and truncation flag for every text, in order."""
        probs, lengths = self.predict_proba(texts)
        scores, indices = probs.max(dim=-1)
        return [
            Prediction(self.labels[k], round(float(s), 4), n, n > self.max_length)
            for k, s, n in zip(indices.tolist(), scores.tolist(), lengths)
        ]

    def predict_polarity(self, texts) -> list[int]:
        """1 for positive, 0 for negative: the reviews corpus's label convention."""
        predicted = self.predict_proba(texts)[0].argmax(dim=-1)
        return (predicted == self.positive_index).long().tolist()


def token_limit(model, tokenizer) -> int:
    """The most tokens ``model`` takes in one text: its position table, less the positions
    a RoBERTa-style table reserves (its position ids start after the padding id, the table's
    ``padding_idx``, so roberta-base's 514 positions hold 512 tokens), and at most the
    tokenizer's own limit (which a tokenizer without one reports as about 1e30)."""
    positions = model.config.max_position_embeddings
    base = getattr(model, "base_model", model)
    table = getattr(getattr(base, "embeddings", None), "position_embeddings", None)
    reserved = getattr(table, "padding_idx", None)
    if reserved is not None:
        positions -= reserved + 1
    return min(tokenizer.model_max_length, positions)
