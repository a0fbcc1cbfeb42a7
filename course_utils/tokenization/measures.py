"""Measurements that compare tokenizers: fertility, unknowns, round trips, lengths.

Pieces per word by Zipf frequency band (:func:`zipf_band_words`, :func:`fertility`,
:func:`fertility_table`), the unknown-token rate (:func:`unknown_counts`,
:func:`unknown_rate`, :func:`unknown_table`), byte coverage and random Unicode
(:func:`missing_bytes`, :func:`random_unicode_texts`), whether decoding gives the text back
(:func:`round_trips`, :func:`round_trip_table`), sequence lengths and their attention cost
(:func:`sequence_length_table`), and :func:`is_monotonic` for the trends the lesson checks.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

import pandas as pd

from .interface import ZIPF_BANDS, CourseTokenizer


@lru_cache(maxsize=1)
def _alphabetic_zipf() -> tuple[tuple[str, float], ...]:
    """(word, Zipf frequency) for every alphabetic English word of wordfreq, sorted by word.
    Zipf = log10 of occurrences per billion words, rounded as ``wordfreq.zipf_frequency``."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en", wordlist="best")
    return tuple((word, round(math.log10(frequency) + 9, 2))
                 for word, frequency in sorted(frequencies.items()) if word.isalpha())


def zipf_band_words(bands=ZIPF_BANDS, per_band: int = 300, seed: int = 0) -> dict[str, list]:
    """A seeded sample of alphabetic English words from each Zipf frequency band."""
    sample = {}
    for low, high in bands:
        members = [word for word, zipf in _alphabetic_zipf() if low <= zipf < high]
        rng = random.Random(f"{seed}:{low}")
        sample[f"{low:g}-{high:g}"] = rng.sample(members, min(per_band, len(members)))
    return sample


def fertility(tokenizer: CourseTokenizer, words: Iterable[str]) -> float:
    """Pieces per word: each word is encoded alone, as it appears inside a sentence."""
    words = list(words)
    encodings = tokenizer.backend.encode_batch([f" {w}" for w in words], add_special_tokens=False)
    return sum(len(e.ids) for e in encodings) / len(words)


def fertility_table(tokenizers: dict[str, CourseTokenizer],
                    word_sets: dict[str, list[str]]) -> pd.DataFrame:
    """Pieces per word, one row per tokenizer, one column per word set."""
    return pd.DataFrame({label: {name: fertility(tok, words) for name, tok in tokenizers.items()}
                         for label, words in word_sets.items()})


def unknown_counts(tokenizer: CourseTokenizer, texts: Iterable[str]) -> tuple[int, int]:
    """(unknown tokens, all tokens) over ``texts``."""
    unk = tokenizer.unk_id
    ids = [i for row in tokenizer.ids(list(texts)) for i in row]
    return (0 if unk is None else sum(i == unk for i in ids)), len(ids)


def unknown_rate(tokenizer: CourseTokenizer, texts: Iterable[str]) -> float:
    """Share of the tokens of ``texts`` that are the unknown token."""
    unknown, total = unknown_counts(tokenizer, texts)
    return unknown / total if total else 0.0


def unknown_table(tokenizers: dict[str, CourseTokenizer],
                  text_sets: dict[str, Iterable[str]]) -> pd.DataFrame:
    """Unknown-token rate, one row per tokenizer, one column per set of texts."""
    text_sets = {label: list(texts) for label, texts in text_sets.items()}
    return pd.DataFrame({label: {name: unknown_rate(tok, texts)
                                 for name, tok in tokenizers.items()}
                         for label, texts in text_sets.items()})


def random_unicode_texts(n: int = 300, length: int = 12, seed: int = 0) -> list[str]:
    """Seeded random strings of code points from every plane (surrogates excluded)."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        chars = []
        while len(chars) < length:
            point = rng.choice((rng.randrange(32, 0x3000), rng.randrange(0x1F000, 0x1FAFF),
                                rng.randrange(0x3000, 0x10FFFF)))
            if not 0xD800 <= point <= 0xDFFF:
                chars.append(chr(point))
        texts.append("".join(chars))
    return texts


def missing_bytes(tokenizer: CourseTokenizer) -> list[str]:
    """The byte-level symbols (one per byte value, ``ByteLevel.alphabet()``) that are not in
    ``tokenizer``'s vocabulary: none for a byte-level BPE, which can then encode any input."""
    from tokenizers.pre_tokenizers import ByteLevel

    return sorted(set(ByteLevel.alphabet()) - set(tokenizer.backend.get_vocab()))


def round_trips(tokenizer: CourseTokenizer, text: str) -> tuple[bool, bool]:
    """Whether decoding the encoded ``text`` gives it back exactly, and up to normalisation."""
    decoded = tokenizer.round_trip(text)
    return decoded == text, decoded == tokenizer.normalize(text)


def round_trip_table(tokenizers: dict[str, CourseTokenizer],
                     texts: Iterable[str]) -> pd.DataFrame:
    """Share of ``texts`` that round-trip exactly and up to the tokenizer's normalisation."""
    texts = list(texts)
    rows = {}
    for name, tok in tokenizers.items():
        results = [round_trips(tok, text) for text in texts]
        rows[name] = {"exact": sum(r[0] for r in results) / len(texts),
                      "up to normalisation": sum(r[1] for r in results) / len(texts)}
    return pd.DataFrame.from_dict(rows, orient="index")


def sequence_length_table(tokenizers: dict[str, CourseTokenizer], texts: Iterable[str],
                          reference: str) -> pd.DataFrame:
    """Tokens per text (special tokens included), and the attention cost relative to
    ``reference`` (self-attention grows with the square of the length)."""
    texts = list(texts)
    rows = {}
    for name, tok in tokenizers.items():
        lengths = [len(ids) for ids in tok.ids(texts, special=True)]
        rows[name] = {"mean tokens": sum(lengths) / len(lengths), "max tokens": max(lengths),
                      "_squares": sum(n * n for n in lengths)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["tokens vs " + reference] = table["mean tokens"] / table.loc[reference, "mean tokens"]
    table["attention vs " + reference] = table["_squares"] / table.loc[reference, "_squares"]
    return table.drop(columns="_squares")


def is_monotonic(values: Iterable[float]) -> bool:
    """True when ``values`` never decrease and the last is larger than the first."""
    values = list(values)
    return all(b >= a for a, b in pairwise(values)) and values[-1] > values[0]
