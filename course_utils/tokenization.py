"""WordPiece (BERT, DistilBERT), byte-level BPE (RoBERTa) and Unigram (ALBERT), side by side.

The three algorithms are trained with the ``tokenizers`` library's own trainers on the same
English word frequencies (``wordfreq``), at the same vocabulary size, with the same
normalisation (NFKC, lower-case), and compared with the real bert-base-uncased WordPiece
vocabulary that ships with the packaged encoder (online: also the real roberta-base and
albert-base-v2 tokenizers). Then measured: pieces per word by frequency band, unknown tokens,
sequence lengths, round trips, and typos.

Every tokenizer is wrapped in a :class:`CourseTokenizer` (a name, an algorithm, the
``tokenizers.Tokenizer`` that does the work, and its unknown token), so that one set of
functions measures them all.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import pandas as pd
from tokenizers import (
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)

from .runtime import current_mode

VOCAB_SIZES = (30_000, 8_000)
"""The vocabulary sizes compared: BERT's and ALBERT's 30,000, and a smaller one for the trend."""

TRAINING_WORDS = 60_000
"""Train on the most frequent English words, down to a Zipf frequency of about 2.4."""

COUNT_SCALE = 1_000_000
"""Word counts are frequencies times this (at least 1): a corpus of about a million words."""

ALGORITHMS = ("WordPiece", "byte-level BPE", "Unigram")

ZIPF_BANDS = ((6.0, 8.0), (5.0, 6.0), (4.0, 5.0), (3.0, 4.0), (2.0, 3.0), (1.0, 2.0))
"""Zipf frequency bands (log10 of occurrences per billion words): 7 is "the", 1 is very rare."""

BRAND_NAMES = (
    "airbnb", "spotify", "nespresso", "lululemon", "husqvarna", "peloton", "sennheiser",
    "logitech", "xiaomi", "ryanair", "lufthansa", "zalando", "duolingo", "fitbit", "roomba",
    "vitamix", "kitchenaid", "sephora", "uniqlo", "shopify",
    "aerlume", "skyvane", "velmarrow", "vorlaxx", "brambleforth", "quillstead", "brontelle",
    "fjallmark", "vorrendahl", "grisholm",
)
"""Twenty real brands and the ten invented ones of the challenge reviews (lower-case)."""

PROBES: dict[str, tuple[str, ...]] = {
    "emoji": ("Love it 😍🔥", "Broke on day two 😡👎", "Battery 🪫 dead, 🫠",
              "Best pizza 🍕🇮🇹 ever", "5/5 ⭐⭐⭐⭐⭐", "meh 🤷‍♀️"),
    "accented words": ("café au lait", "a naïve fiancée", "Zürich to São Paulo",
                       "crème brûlée", "Dvořák in Łódź", "piñata for Señor Muñoz"),
    "other scripts": ("你好，很好吃", "とても良い製品です", "정말 좋아요", "Очень хорошо",
                      "ممتاز جدا", "बहुत अच्छा", "πολύ καλό", "ดีมาก"),
    "code": ("def f(x): return x ** 2", "for (int i = 0; i < n; i++) { s += a[i]; }",
             "SELECT * FROM reviews WHERE stars <= 2;", "x = {'a': [1, 2]}  # ok",
             "if err != nil { return err }", "console.log(`${a} ~ ${b}`);"),
    "URLs": ("https://example.com/p?id=42&ref=mail", "www.shop-online.co.uk/returns",
             "http://bit.ly/3xYz_Q9", "mailto:help@kettles.example",
             "https://en.wikipedia.org/wiki/Byte_pair_encoding#History"),
}
"""Short texts that stress a vocabulary: emoji, accents, other scripts, code and URLs."""

ASCII_SYMBOLS = [chr(code) for code in range(33, 127)]
"""Printable ASCII: letters, digits and punctuation. A word list has no punctuation, so the
trained WordPiece and Unigram get these characters up front, as running text would give them."""

UNCASED = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
"""The normalisation shared by the three trained tokenizers (uncased, like bert-base-uncased
and albert-base-v2; accents kept so that accented words can be measured)."""


# --------------------------------------------------------------------------------------------
# One interface for every tokenizer
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseTokenizer:
    """A named tokenizer: ``backend`` is a ``tokenizers.Tokenizer`` (no padding/truncation)."""

    name: str
    algorithm: str
    backend: Tokenizer
    unk_token: str | None = None

    @property
    def vocab_size(self) -> int:
        return self.backend.get_vocab_size(with_added_tokens=True)

    @property
    def unk_id(self) -> int | None:
        return None if self.unk_token is None else self.backend.token_to_id(self.unk_token)

    def pieces(self, text: str) -> list[str]:
        """The pieces of ``text``, without special tokens."""
        return self.backend.encode(text, add_special_tokens=False).tokens

    def ids(self, texts: list[str], special: bool = False) -> list[list[int]]:
        """Token ids of each text (with ``[CLS]``/``<s>`` and friends when ``special``)."""
        return [e.ids for e in self.backend.encode_batch(list(texts), add_special_tokens=special)]

    def decode(self, text: str) -> str:
        """Encode ``text`` and decode it again."""
        ids = self.backend.encode(text, add_special_tokens=False).ids
        return self.backend.decode(ids, skip_special_tokens=False)

    def normalize(self, text: str) -> str:
        """``text`` as the tokenizer's normaliser sees it (lower-cased, accents, ...)."""
        normalizer = self.backend.normalizer
        return normalizer.normalize_str(text) if normalizer is not None else text

    def __repr__(self) -> str:
        return f"CourseTokenizer({self.name!r}, {self.algorithm}, {self.vocab_size:,} tokens)"


def from_transformers(name: str, algorithm: str, tokenizer) -> CourseTokenizer:
    """Wrap a ``transformers`` fast tokenizer (its backend copied, padding switched off)."""
    backend = Tokenizer.from_str(tokenizer.backend_tokenizer.to_str())
    backend.no_padding()
    backend.no_truncation()
    return CourseTokenizer(name, algorithm, backend, tokenizer.unk_token)


def real_tokenizers() -> dict[str, CourseTokenizer]:
    """The real tokenizers available in this mode.

    Offline: bert-base-uncased's WordPiece vocabulary, shipped with the packaged encoder.
    Online: the real bert-base-uncased, roberta-base and albert-base-v2 tokenizers.
    """
    from .models import load_tokenizer

    found = {"BERT (real)": from_transformers("BERT (real)", "WordPiece", load_tokenizer())}
    if current_mode() == "online":
        for name, key, algorithm in (("RoBERTa (real)", "roberta-base", "byte-level BPE"),
                                     ("ALBERT (real)", "albert-base-v2", "Unigram")):
            found[name] = from_transformers(name, algorithm, load_tokenizer(key))
    return found


# --------------------------------------------------------------------------------------------
# Training the three algorithms on wordfreq's English frequencies
# --------------------------------------------------------------------------------------------

def word_counts(n_words: int = TRAINING_WORDS, scale: int = COUNT_SCALE) -> dict[str, int]:
    """The ``n_words`` most frequent English words with counts proportional to frequency."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en", wordlist="best")
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))[:n_words]
    return {word: max(1, round(frequency * scale)) for word, frequency in ranked}


def repeated_words(counts: dict[str, int], batch_size: int = 1000) -> Iterator[list[str]]:
    """Batches of strings in which every word appears ``count`` times, space-separated.

    The trainers count pre-tokenized words themselves, so a string ``" low low low"`` is three
    occurrences of "low": a million occurrences cost a few megabytes, not a text file.
    """
    batch = []
    for word, count in counts.items():
        batch.append(f" {word}" * count)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _alphabet(counts: dict[str, int], normalizer=UNCASED) -> list[str]:
    """Every character of the normalised training words, sorted."""
    return sorted({char for word in counts for char in normalizer.normalize_str(word)}
                  | set(normalizer.normalize_str("".join(ASCII_SYMBOLS))))


def _wordpiece_pipeline(tokenizer: Tokenizer, normalizer) -> Tokenizer:
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return tokenizer


WORDPIECE_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BPE_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
UNIGRAM_SPECIALS = ["<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"]


def train_wordpiece(counts: dict[str, int], vocab_size: int, normalizer=UNCASED,
                    name: str | None = None) -> CourseTokenizer:
    """WordPiece as in BERT: split on spaces and punctuation, ``##`` marks a continuation,
    a word with a character outside the vocabulary becomes ``[UNK]`` as a whole.

    ``tokenizers``' ``WordPieceTrainer`` learns the merges like BPE (the most frequent pair
    first; Google's original scores a pair by the likelihood gain, see :func:`pair_table`).
    The ``##`` form of every character is reserved up front so that token ids do not depend
    on the trainer's hash-map order, which makes the result identical on every run.
    """
    alphabet = _alphabet(counts, normalizer)
    continuation = [f"##{char}" for char in alphabet]
    tokenizer = _wordpiece_pipeline(Tokenizer(models.WordPiece(unk_token="[UNK]")), normalizer)
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, show_progress=False,
                                        special_tokens=WORDPIECE_SPECIALS + continuation,
                                        initial_alphabet=alphabet)
    tokenizer.train_from_iterator(repeated_words(counts), trainer)
    # Rebuild so that the reserved ``##x`` entries are ordinary vocabulary, not special tokens.
    vocab = tokenizer.get_vocab(with_added_tokens=False)
    clean = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", continuing_subword_prefix="##"))
    clean.add_special_tokens(WORDPIECE_SPECIALS)
    name = name or f"WordPiece {size_label(vocab_size)}"
    return CourseTokenizer(name, "WordPiece", _wordpiece_pipeline(clean, normalizer), "[UNK]")


def train_bpe(counts: dict[str, int], vocab_size: int, normalizer=UNCASED,
              name: str | None = None) -> CourseTokenizer:
    """Byte-level BPE as in GPT-2 and RoBERTa: the 256 byte values are the alphabet, so any
    text can be encoded and nothing is ever unknown; ``Ġ`` marks a preceding space.

    A space is put before the first word (RoBERTa's ``add_prefix_space=True``) so that a word
    gets the same pieces at the start of a text as anywhere else; decoding removes it.
    """
    tokenizer = Tokenizer(models.BPE())
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True)
    tokenizer.decoder = decoders.Sequence([decoders.ByteLevel(), decoders.Strip(" ", 1, 0)])
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  special_tokens=BPE_SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(repeated_words(counts), trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    name = name or f"BPE {size_label(vocab_size)}"
    return CourseTokenizer(name, "byte-level BPE", tokenizer, None)


def train_unigram(counts: dict[str, int], vocab_size: int, normalizer=UNCASED,
                  name: str | None = None) -> CourseTokenizer:
    """Unigram as in SentencePiece and ALBERT: ``▁`` marks the start of a word; training
    starts from many candidate pieces and prunes those whose removal costs the least
    likelihood; a character never seen in training becomes ``<unk>`` (no byte fallback).
    Tabs, new lines and runs of spaces separate words, as in ALBERT's tokenizer.
    """
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                       pre_tokenizers.Metaspace()])
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, show_progress=False,
                                      special_tokens=UNIGRAM_SPECIALS, unk_token="<unk>",
                                      initial_alphabet=_alphabet(counts, normalizer))
    tokenizer.train_from_iterator(repeated_words(counts), trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    name = name or f"Unigram {size_label(vocab_size)}"
    return CourseTokenizer(name, "Unigram", tokenizer, "<unk>")


def size_label(vocab_size: int) -> str:
    """30000 -> "30k", 800 -> "0.8k": the suffix of a trained tokenizer's name."""
    return f"{vocab_size / 1000:g}k"


TRAINERS = {"WordPiece": train_wordpiece, "byte-level BPE": train_bpe, "Unigram": train_unigram}


def train_all(vocab_sizes: Iterable[int] = VOCAB_SIZES,
              counts: dict[str, int] | None = None) -> dict[str, CourseTokenizer]:
    """The three algorithms at each vocabulary size, trained on the same counts."""
    counts = word_counts() if counts is None else counts
    trained = {}
    for size in vocab_sizes:
        for train in TRAINERS.values():
            tokenizer = train(counts, size)
            trained[tokenizer.name] = tokenizer
    return trained


# --------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------

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
    decoded = tokenizer.decode(text)
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


# --------------------------------------------------------------------------------------------
# Typos
# --------------------------------------------------------------------------------------------

_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


@lru_cache(maxsize=1)
def _neighbours() -> dict[str, str]:
    """Letters next to each letter on a QWERTY keyboard."""
    where = {c: (r, i) for r, row in enumerate(_KEYBOARD) for i, c in enumerate(row)}
    return {c: "".join(d for d, (r2, i2) in where.items()
                       if d != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1)
            for c, (r, i) in where.items()}


def typo(word: str, rng: random.Random) -> str:
    """One realistic typo: a dropped, doubled, swapped or neighbouring-key letter."""
    for _ in range(10):
        i = rng.randrange(len(word))
        kind = rng.choice(("drop", "double", "swap", "key"))
        if kind == "drop" and len(word) > 2:
            new = word[:i] + word[i + 1:]
        elif kind == "double":
            new = word[:i] + word[i] + word[i:]
        elif kind == "swap" and i + 1 < len(word):
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == "key" and word[i].lower() in _neighbours():
            key = rng.choice(_neighbours()[word[i].lower()])
            new = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1:]
        else:
            continue
        if new != word:
            return new
    return word + word[-1]


def inject_typos(text: str, rate: float = 0.2, seed: int = 0, min_length: int = 3) -> str:
    """``text`` with a typo in each word of at least ``min_length`` letters, with probability
    ``rate``. Seeded by ``seed`` and the text itself, so the same text always gets the same
    typos (in any order, in any process)."""
    rng = random.Random(f"{seed}:{text}")
    pattern = re.compile(rf"[A-Za-z]{{{min_length},}}")
    return pattern.sub(lambda m: typo(m.group(), rng) if rng.random() < rate else m.group(),
                       text)


def changed_words(clean: str, noisy: str) -> list[tuple[str, str]]:
    """(original, typo) pairs of the words that :func:`inject_typos` changed."""
    return [(a, b) for a, b in zip(clean.split(), noisy.split()) if a != b]


# --------------------------------------------------------------------------------------------
# Step by step on a tiny corpus
# --------------------------------------------------------------------------------------------

TINY_CORPUS = {"fast": 9, "faster": 4, "fastest": 5, "fan": 2, "slow": 6, "slower": 2,
               "slowest": 3, "lowest": 1, "new": 2}
"""Word counts of a tiny corpus (review words) on which every step can be followed by eye."""


def train_tiny(algorithm: str, counts: dict[str, int] = TINY_CORPUS,
               vocab_size: int = 30) -> CourseTokenizer:
    """Train ``"BPE"``, ``"WordPiece"`` or ``"Unigram"`` on a handful of words: no
    normalisation, no byte level, split on spaces, so that every step can be read."""
    if algorithm == "BPE":
        tokenizer = Tokenizer(models.BPE())
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False)
        tokenizer.pre_tokenizer, unk = pre_tokenizers.WhitespaceSplit(), None
    elif algorithm == "WordPiece":
        tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=["[UNK]"],
                                            show_progress=False)
        tokenizer.pre_tokenizer, unk = pre_tokenizers.WhitespaceSplit(), "[UNK]"
    elif algorithm == "Unigram":
        tokenizer = Tokenizer(models.Unigram())
        trainer = trainers.UnigramTrainer(vocab_size=vocab_size, special_tokens=["<unk>"],
                                          unk_token="<unk>", show_progress=False)
        tokenizer.pre_tokenizer, unk = pre_tokenizers.Metaspace(), "<unk>"
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose BPE, WordPiece or Unigram")
    tokenizer.train_from_iterator(repeated_words(counts), trainer)
    return CourseTokenizer(f"tiny {algorithm}", algorithm, tokenizer, unk)


def bpe_merges(tokenizer: CourseTokenizer) -> list[tuple[str, str]]:
    """The merges a BPE tokenizer learned, in the order it learned them."""
    merges = json.loads(tokenizer.backend.to_str())["model"]["merges"]
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in merges]


def apply_merges(word: str, merges: list[tuple[str, str]]) -> list[str]:
    """Split ``word`` into characters and replay ``merges`` in order (BPE's encoding)."""
    symbols = list(word)
    for left, right in merges:
        i, merged = 0, []
        while i < len(symbols):
            if i + 1 < len(symbols) and symbols[i] == left and symbols[i + 1] == right:
                merged.append(left + right)
                i += 2
            else:
                merged.append(symbols[i])
                i += 1
        symbols = merged
    return symbols


def merge_steps(counts: dict[str, int], merges: list[tuple[str, str]],
                steps: int = 6) -> pd.DataFrame:
    """How every word of ``counts`` is split after each of the first ``steps`` merges."""
    rows = {"start": {w: " ".join(w) for w in counts}}
    for k in range(1, min(steps, len(merges)) + 1):
        label = f"{k}: {merges[k - 1][0]} + {merges[k - 1][1]}"
        rows[label] = {w: " ".join(apply_merges(w, merges[:k])) for w in counts}
    return pd.DataFrame.from_dict(rows, orient="index")


def pair_table(segmented: dict[tuple[str, ...], int]) -> pd.DataFrame:
    """For each adjacent pair of symbols: its count (BPE's criterion) and WordPiece's score
    count(ab) / (count(a) x count(b)), the likelihood gain of merging it (Schuster & Nakajima
    2012). Sorted by count, then score."""
    pairs, symbols = Counter(), Counter()
    for word, count in segmented.items():
        for symbol in word:
            symbols[symbol] += count
        for pair in pairwise(word):
            pairs[pair] += count
    rows = [{"pair": f"{a} + {b}", "count (BPE)": n,
             "score (WordPiece)": n / (symbols[a] * symbols[b])} for (a, b), n in pairs.items()]
    return (pd.DataFrame(rows).sort_values(["count (BPE)", "score (WordPiece)", "pair"],
                                           ascending=[False, False, True])
            .reset_index(drop=True))


def wordpiece_steps(tokenizer: CourseTokenizer, word: str) -> list[str]:
    """WordPiece's encoding of ``word``: repeatedly take the longest vocabulary entry that
    starts the rest of the word (``##`` inside a word); ``[UNK]`` if none matches."""
    vocab = tokenizer.backend.get_vocab()
    start, pieces = 0, []
    while start < len(word):
        for end in range(len(word), start, -1):
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                pieces.append(piece)
                start = end
                break
        else:
            return [tokenizer.unk_token]
    return pieces


def unigram_scores(tokenizer: CourseTokenizer, decimals: int | None = None) -> dict[str, float]:
    """Piece -> log-probability of a Unigram tokenizer (rounded to ``decimals`` if given:
    the trainer gives single characters scores that differ in the fourth decimal from run to
    run, by hash order)."""
    vocab = json.loads(tokenizer.backend.to_str())["model"]["vocab"]
    return {piece: score if decimals is None else round(score, decimals)
            for piece, score in vocab}


def segmentations(word: str, scores: dict[str, float]) -> pd.DataFrame:
    """Every way to cut ``word`` into vocabulary pieces, with its log-probability (the sum of
    the pieces' log-probabilities), best first: Unigram picks the first row."""
    def cuts(rest: str) -> list[list[str]]:
        if not rest:
            return [[]]
        return [[rest[:i], *tail] for i in range(1, len(rest) + 1) if rest[:i] in scores
                for tail in cuts(rest[i:])]

    rows = [{"pieces": " ".join(c), "log-probability": sum(scores[p] for p in c)}
            for c in cuts(word)]
    return (pd.DataFrame(rows).sort_values(["log-probability", "pieces"], ascending=[False, True])
            .reset_index(drop=True))


def byte_view(text: str) -> pd.DataFrame:
    """Each character of ``text``, its UTF-8 bytes, and the printable stand-ins that
    byte-level BPE (GPT-2, RoBERTa) writes for those bytes (a space is ``Ġ``)."""
    to_symbols = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    rows = [{"character": char, "UTF-8 bytes": " ".join(f"{b:02X}" for b in char.encode()),
             "byte-level symbols": to_symbols.pre_tokenize_str(char)[0][0]}
            for char in text]
    return pd.DataFrame(rows)


def pruning_table(counts: dict[str, int], scores: dict[str, float]) -> pd.DataFrame:
    """Unigram's pruning criterion on a small corpus: for every piece longer than one
    character, how much the corpus log-likelihood drops when the piece is removed and every
    word is re-segmented without it. Training removes the pieces that cost least, 25% at a
    time, until the vocabulary has the requested size."""
    def loglik(vocab: dict[str, float]) -> float:
        total = 0.0
        for word, count in counts.items():
            best = segmentations(f"▁{word}", vocab)
            total += count * (best["log-probability"].iloc[0] if len(best) else float("-inf"))
        return total

    full = loglik(scores)
    rows = [{"piece": piece, "log-probability": score,
             "likelihood lost if removed": full - loglik({p: s for p, s in scores.items()
                                                          if p != piece})}
            for piece, score in scores.items() if len(piece) > 1 and not piece.startswith("<")]
    return (pd.DataFrame(rows).sort_values(["likelihood lost if removed", "piece"])
            .reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# Case, whitespace, downstream effects, figures
# --------------------------------------------------------------------------------------------

def cased_copy(tokenizer: CourseTokenizer, name: str) -> CourseTokenizer:
    """The same vocabulary with lower-casing switched off (NFKC only)."""
    backend = Tokenizer.from_str(tokenizer.backend.to_str())
    backend.normalizer = normalizers.NFKC()
    return CourseTokenizer(name, tokenizer.algorithm, backend, tokenizer.unk_token)


CASE_TEXT = "Great great GREAT"
WHITESPACE_TEXT = "two  spaces,\ta tab\nand a new line"


def case_whitespace_table(tokenizers: dict[str, CourseTokenizer]) -> pd.DataFrame:
    """How each tokenizer treats case (pieces of :data:`CASE_TEXT`, whether the three
    spellings get the same ids) and whitespace (what comes back from :data:`WHITESPACE_TEXT`)."""
    rows = {}
    for name, tok in tokenizers.items():
        spellings = [tok.ids([f" {w}"])[0] for w in CASE_TEXT.split()]
        rows[name] = {"pieces of " + repr(CASE_TEXT): " ".join(tok.pieces(CASE_TEXT)),
                      "same ids for all three": all(s == spellings[0] for s in spellings),
                      "decoded " + repr(WHITESPACE_TEXT): repr(tok.decode(WHITESPACE_TEXT))}
    return pd.DataFrame.from_dict(rows, orient="index")


ALGORITHM_COLOURS = {"WordPiece": "#4C72B0", "BPE": "#55A868", "Unigram": "#C44E52",
                     "BERT": "#222222", "RoBERTa": "#8172B2", "ALBERT": "#CCB974"}
"""One colour per algorithm (trained) or model (real) in the lesson's figures."""


def plot_fertility(table: pd.DataFrame, title: str = "Pieces per word by word frequency"):
    """Fertility (rows: tokenizers, columns: Zipf bands, commonest first) as lines: one colour
    per algorithm, dashed for the smaller vocabulary, square markers for the real ones."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4))
    x = range(len(table.columns))
    for name, row in table.iterrows():
        real = name.endswith("(real)")
        style = "--" if name.endswith(size_label(min(VOCAB_SIZES))) else "-"
        ax.plot(x, row.values, style, marker="s" if real else "o", label=name,
                color=ALGORITHM_COLOURS.get(name.split()[0]), linewidth=2.5 if real else 1.5)
    ax.set_xticks(list(x), [f"Zipf {band}" for band in table.columns])
    ax.set_xlabel("word frequency band (7 = 'the', 1 = seen a few times per billion words)")
    ax.set_ylabel("pieces per word")
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


def evaluate_sets(analyzer, tokenizer: CourseTokenizer,
                  sets: dict[str, tuple[list[str], list[int]]]) -> tuple[pd.DataFrame, dict]:
    """Accuracy (n, 95% interval) of ``analyzer`` on each named set of (texts, labels), with
    the pieces per word of ``tokenizer``; also returns each set's predictions."""
    from .metrics import accuracy

    rows, predictions = {}, {}
    for name, (texts, labels) in sets.items():
        predictions[name] = analyzer.predict_polarity(list(texts))
        result = accuracy(labels, predictions[name])
        words = [word for text in texts for word in text.split()]
        rows[name] = {"accuracy": result.value, "n": result.n, "low": result.low,
                      "high": result.high, "pieces per word": fertility(tokenizer, words)}
    return pd.DataFrame.from_dict(rows, orient="index"), predictions


def flip_counts(labels: list[int], before: list[int], after: list[int]) -> tuple[int, int]:
    """How many predictions went from right to wrong, and from wrong to right."""
    rows = list(zip(labels, before, after))
    return (sum(b == y != a for y, b, a in rows), sum(a == y != b for y, b, a in rows))


def typo_failures(clean: list[str], noisy: list[str], labels: list[int], clean_pred: list[int],
                  noisy_pred: list[int], tokenizer: CourseTokenizer,
                  per_review: int = 3, max_rows: int = 12) -> pd.DataFrame:
    """Reviews read correctly when clean and wrongly with typos: up to ``per_review`` typos
    per review that cut a word into more pieces, and how ``tokenizer`` cuts it before and
    after."""
    rows = []
    for index, (text, typoed, label, before, after) in enumerate(
            zip(clean, noisy, labels, clean_pred, noisy_pred)):
        if before != label or after == label:
            continue
        fragmented = [(word, typo_word, tokenizer.pieces(word), tokenizer.pieces(typo_word))
                      for word, typo_word in changed_words(text, typoed)]
        fragmented = [row for row in fragmented if len(row[3]) > len(row[2])]
        for word, typo_word, pieces, typo_pieces in fragmented[:per_review]:
            rows.append({"review": index, "label": label, "word": word, "typo": typo_word,
                         "pieces before": " ".join(pieces),
                         "pieces after": " ".join(typo_pieces)})
    columns = ["review", "label", "word", "typo", "pieces before", "pieces after"]
    return pd.DataFrame(rows[:max_rows], columns=columns).set_index(["review", "label"])


def rare_word_pieces(texts: Iterable[str], tokenizer: CourseTokenizer,
                     max_zipf: float = 2.5) -> pd.DataFrame:
    """Words of ``texts`` rarer than ``max_zipf`` (wordfreq) and how ``tokenizer`` cuts them."""
    from wordfreq import zipf_frequency

    rows = {}
    for text in texts:
        for word in re.findall(r"[A-Za-z]+", text):
            zipf = zipf_frequency(word, "en", wordlist="best")
            if zipf < max_zipf and word.lower() not in rows:
                rows[word.lower()] = {"Zipf": zipf, "pieces": " ".join(tokenizer.pieces(word))}
    return pd.DataFrame.from_dict(rows, orient="index")
