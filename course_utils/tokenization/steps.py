"""The three algorithms step by step on a tiny corpus that can be followed by eye.

:func:`train_tiny` trains BPE, WordPiece or Unigram on :data:`TINY_CORPUS`; then BPE's merges
(:func:`bpe_merges`, :func:`apply_merges`, :func:`merge_steps`), the pair counts and
WordPiece scores that choose them (:func:`pair_table`), WordPiece's longest-match encoding
(:func:`wordpiece_steps`), Unigram's scores, segmentations and pruning criterion
(:func:`unigram_scores`, :func:`segmentations`, :func:`pruning_table`), and the bytes behind
byte-level BPE's symbols (:func:`byte_view`).
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise

import pandas as pd
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

from .interface import CourseTokenizer
from .training import repeated_words

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
