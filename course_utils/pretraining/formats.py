"""The input formats: FULL-SENTENCES and DOC-SENTENCES (no NSP) versus SEGMENT-PAIR+NSP, and
how much of NSP a topic test alone solves."""

from __future__ import annotations

import itertools
import random

import pandas as pd
from datasets import Dataset

from ..data import split_sentences


def _sentence_ids(texts, tokenizer) -> list[list[list[int]]]:
    """Token ids (no special tokens) of every sentence of every text."""
    return [tokenizer(split_sentences(t), add_special_tokens=False)["input_ids"]
            for t in texts]


def _wrap(tokenizer, pieces: list[list[int]]) -> dict:
    """[CLS] a [SEP] (b [SEP]): the ids, token types and attention mask of one example."""
    ids, types = [tokenizer.cls_token_id], [0]
    for segment, piece in enumerate(pieces):
        ids += piece + [tokenizer.sep_token_id]
        types += [segment] * (len(piece) + 1)
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": [1] * len(ids)}


def pack_sentences(texts, tokenizer, max_length: int = 64,
                   cross_documents: bool = True) -> Dataset:
    """FULL-SENTENCES (``cross_documents``) or DOC-SENTENCES: whole contiguous sentences
    packed into examples of at most ``max_length`` tokens, one segment, no NSP.

    FULL-SENTENCES may run on into the next review (a [SEP] marks the boundary);
    DOC-SENTENCES stops at the end of each review, so its examples are shorter. A sentence
    longer than the budget is cut.
    """
    budget = max_length - 2
    examples, current = [], []
    for document in _sentence_ids(texts, tokenizer):
        for sentence in document:
            if current and len(current) + len(sentence) > budget:
                examples.append(current)
                current = []
            current = current + sentence[:budget]
        if not cross_documents:
            examples.append(current)
            current = []
        elif len(current) < budget:
            current = current + [tokenizer.sep_token_id]
    if current:
        examples.append(current)
    return Dataset.from_list([_wrap(tokenizer, [ids[:budget]]) for ids in examples])


def _joined(sentences: list[list[int]]) -> list[int]:
    return list(itertools.chain.from_iterable(sentences))


def segment_pairs(texts, tokenizer, max_length: int = 64, seed: int = 0,
                  negatives: str = "another review") -> Dataset:
    """SEGMENT-PAIR+NSP: segment A = the first half of a review's sentences, segment B = the
    rest (``next_sentence_label`` 0, "is next") or, half the time, a negative (1), each pair
    cut to ``max_length`` tokens. ``negatives``: ``"another review"`` (BERT's NSP: B is the
    second half of another review) or ``"swapped"`` (ALBERT's sentence order, lesson 04: the
    review's own halves in the wrong order, so A and B share their topic)."""
    if negatives not in ("another review", "swapped"):
        raise ValueError(f"negatives must be 'another review' or 'swapped', not {negatives!r}")
    rng = random.Random(seed)
    documents = [d for d in _sentence_ids(texts, tokenizer) if len(d) >= 2]
    rows = []
    for index, document in enumerate(documents):
        is_random = rng.random() < 0.5
        source = documents[rng.choice([i for i in range(len(documents)) if i != index])
                           ] if is_random else document
        first = _joined(document[:len(document) // 2])
        second = _joined(source[len(source) // 2:])
        if is_random and negatives == "swapped":
            first, second = _joined(document[len(document) // 2:]), first
        budget = max_length - 3
        first = first[:max(budget // 2, budget - len(second))]
        second = second[:budget - len(first)]
        rows.append({**_wrap(tokenizer, [first, second]), "next_sentence_label": int(is_random),
                     "a": tokenizer.decode(first), "b": tokenizer.decode(second)})
    return Dataset.from_list(rows)


INPUT_FORMATS = ("SEGMENT-PAIR+NSP", "FULL-SENTENCES", "DOC-SENTENCES")
"""RoBERTa's names for the three input formats of its Table 2, in :func:`input_formats`'
order."""


def input_formats(texts, tokenizer, max_length: int = 64) -> dict[str, Dataset]:
    """RoBERTa's three input formats (Table 2, :data:`INPUT_FORMATS`) built from ``texts``:
    SEGMENT-PAIR+NSP (:func:`segment_pairs`), FULL-SENTENCES and DOC-SENTENCES
    (:func:`pack_sentences`, across documents or stopping at each one's end)."""
    pairs, full, doc = INPUT_FORMATS
    return {pairs: segment_pairs(texts, tokenizer, max_length=max_length),
            full: pack_sentences(texts, tokenizer, max_length),
            doc: pack_sentences(texts, tokenizer, max_length, cross_documents=False)}


def format_table(formats: dict[str, Dataset]) -> pd.DataFrame:
    """Examples and mean real tokens per example of each input format."""
    rows = {}
    for name, dataset in formats.items():
        lengths = [len(ids) for ids in dataset["input_ids"]]
        rows[name] = {"examples": len(lengths),
                      "mean tokens": round(sum(lengths) / len(lengths), 1)}
    return pd.DataFrame.from_dict(rows, orient="index")


def topic_only_nsp(pairs: Dataset, encoder, tokenizer, train_share: float = 0.7):
    """Test accuracy of a one-feature NSP classifier: the cosine between the two segments'
    mean-pooled vectors from a frozen sentence encoder (same topic or not), fed to a logistic
    regression. High = NSP is mostly a topic test. Returns a :class:`metrics.Accuracy`."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..core.evaluation import accuracy
    from ..probes import pair_features, sentence_vectors

    examples = pd.DataFrame({"first": pairs["a"], "second": pairs["b"]})
    vectors = sentence_vectors(encoder, tokenizer, list(examples["first"])
                               + list(examples["second"]))
    cosine, labels = pair_features(examples, vectors, "topic"), pairs["next_sentence_label"]
    cut = int(train_share * len(labels))
    probe = make_pipeline(StandardScaler(), LogisticRegression())
    probe.fit(cosine[:cut], labels[:cut])
    return accuracy(labels[cut:], probe.predict(cosine[cut:]))
