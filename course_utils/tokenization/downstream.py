"""Case, whitespace, and what tokenization does to a downstream sentiment classifier.

:func:`case_whitespace_table` shows how each tokenizer treats case and whitespace;
:func:`evaluate_sets` scores an analyzer on named sets of reviews with the tokenizer's pieces
per word, :func:`flip_counts` counts the predictions that typos flipped, :func:`typo_failures`
shows the typos behind them and :func:`rare_word_pieces` how rare words are cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from .interface import CourseTokenizer
from .measures import fertility
from .typos import changed_words

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
                      "decoded " + repr(WHITESPACE_TEXT): repr(tok.round_trip(WHITESPACE_TEXT))}
    return pd.DataFrame.from_dict(rows, orient="index")


def evaluate_sets(analyzer, tokenizer: CourseTokenizer,
                  sets: dict[str, tuple[list[str], list[int]]]) -> tuple[pd.DataFrame, dict]:
    """Accuracy (n, 95% interval) of ``analyzer`` on each named set of (texts, labels), with
    the pieces per word of ``tokenizer``; also returns each set's predictions."""
    from ..core.evaluation import score

    rows, predictions = {}, {}
    for name, (texts, labels) in sets.items():
        scored = score(analyzer, texts, labels)
        result, predictions[name] = scored.accuracy, scored.predicted
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
