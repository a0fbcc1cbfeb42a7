"""Sentiment analysis done right: batched, sorted by length, truncated to the model's limit,
labels read from ``config.id2label`` (never assume index 1 means positive).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .inference import model_device, padded_share, probabilities, run_in_batches
from .models import SST2_CHECKPOINTS, load_encoder, load_tokenizer, token_limit
from .runtime import current_mode

MAX_CHARS = 100_000
"""Longer texts are refused: split them into reviews or paragraphs first."""


@dataclass(frozen=True)
class Prediction:
    """One text's predicted label, its probability, and whether the text was truncated."""

    label: str
    score: float
    n_tokens: int
    truncated: bool


def validated_texts(texts) -> list[str]:
    """The input of :meth:`SentimentAnalyzer.predict` as a list of strings, or a one-line error
    that says what to fix; one string is one text."""
    if isinstance(texts, str):
        texts = [texts]
    if isinstance(texts, (bytes, dict)) or not hasattr(texts, "__iter__"):
        raise TypeError(f"texts must be a string or a list of strings, not {type(texts).__name__}")
    texts = list(texts)  # also accepts a datasets column, a pandas Series, a generator
    if not texts:
        raise ValueError("no texts given: pass at least one review")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {i} is a {type(text).__name__}, not a string")
        if not text.strip():
            raise ValueError(f"text {i} is empty: remove it or give it some words")
        if len(text) > MAX_CHARS:
            raise ValueError(f"text {i} has {len(text):,} characters (limit {MAX_CHARS:,}): "
                             "split it into smaller pieces")
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


def padding_share(lengths: list[int], batch_size: int, sort: bool = True) -> float:
    """The share of the positions in batches of ``batch_size`` that are padding, for texts of
    ``lengths`` tokens: each batch is padded to its longest text. ``sort`` batches the texts
    in order of length, as :class:`SentimentAnalyzer` does; otherwise in the given order."""
    indices = list(range(len(lengths)))
    order = sorted(indices, key=lengths.__getitem__) if sort else indices
    return padded_share(lengths, [order[i:i + batch_size]
                                  for i in range(0, len(order), batch_size)])


class SentimentAnalyzer:
    """Wrap a sequence-classification model and its tokenizer for fast, correct prediction.

    Texts are batched ``batch_size`` at a time (default: 8 on a CPU, 64 on a GPU), or by a
    ``token_budget`` of padded positions per batch; ``max_length`` truncates (default and
    at most: the model's limit, :func:`models.token_limit`, 512 for roberta-base).

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
        """Index of the positive class, read from the label names (or given explicitly)."""
        if positive_label is None:
            matches = [i for i, name in enumerate(self.labels) if name.lower().startswith("pos")]
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


def load_sentiment_model(name: str | None = None):
    """A sentiment classifier and its tokenizer for the current mode.

    Online: an SST-2 checkpoint from the Hub (``name`` is a key of ``SST2_CHECKPOINTS``,
    default ``"distilbert"``), its classes named NEGATIVE/POSITIVE even where the checkpoint
    calls them LABEL_0/LABEL_1 (:data:`models.LABEL_NAMES`). Offline: the course's own
    teacher from :mod:`course_utils.zoo`, built on first use.
    """
    from transformers import AutoModelForSequenceClassification

    from . import zoo

    if current_mode() != "online":
        return zoo.load(name or "teacher")
    key = name or "distilbert"
    if key not in SST2_CHECKPOINTS:
        raise ValueError(f"unknown SST-2 model {key!r}; choose from {', '.join(SST2_CHECKPOINTS)}")
    checkpoint = SST2_CHECKPOINTS[key]
    return (load_encoder(checkpoint, AutoModelForSequenceClassification),
            load_tokenizer(checkpoint))
