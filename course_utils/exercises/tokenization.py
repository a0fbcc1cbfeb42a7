"""Checks for the exercises of lesson 05 (tokenization: WordPiece, BPE, SentencePiece)."""

from __future__ import annotations

from ..tokenization import (
    TINY_CORPUS,
    CourseTokenizer,
    apply_merges,
    bpe_merges,
    train_tiny,
    unigram_scores,
)
from . import MORE_OR_LESS, attempt, feedback, predicted

MERGE_CORPORA = (TINY_CORPUS, {"hug": 10, "pug": 5, "pun": 12, "bun": 4, "hugs": 5})
"""The merge step is checked on the lesson's tiny corpus and on a second one."""

VITERBI_WORDS = ("unbelievable", "tokenization", "refurbished", "sybaritic", "brambleforth",
                 "kettle", "disappointing")
"""Words the Unigram segmentation is checked on."""


def library_first_merge(counts: dict[str, int]) -> tuple[str, str]:
    """The first merge that ``tokenizers``' BPE trainer learns from ``counts``."""
    return bpe_merges(train_tiny("BPE", counts, vocab_size=40))[0]


def check_merge_step(merge_step) -> None:
    """Exercise 1: one BPE merge step, compared with the library's first merge."""
    for counts in MERGE_CORPORA:
        segmented = {tuple(word): count for word, count in counts.items()}
        answer = attempt(merge_step, dict(segmented))
        if answer is None:
            return
        pair, merged = answer
        expected_pair = library_first_merge(counts)
        expected = {tuple(apply_merges(w, [expected_pair])): n for w, n in counts.items()}
        if tuple(pair) != expected_pair:
            feedback(False, "", f"on {sorted(counts)} the library merges {expected_pair} first, "
                                f"you merged {tuple(pair)}: count every adjacent pair, "
                                "weighted by the word's count, and take the most frequent.")
            return
        if {tuple(k): v for k, v in dict(merged).items()} != expected:
            feedback(False, "", f"the pair {expected_pair} is right, but the words after the "
                                "merge differ: replace each adjacent occurrence, left to right.")
            return
    feedback(True, "your merge step picks the same pair as the tokenizers library "
                   "and rewrites the words the same way, on both corpora.", "")


def check_more_pieces(word: str | None, wordpiece: CourseTokenizer,
                      bpe: CourseTokenizer) -> None:
    """Exercise 2: a word that WordPiece cuts into more pieces than byte-level BPE."""
    if not isinstance(word, str) or not word.strip():
        print("⏳ Not attempted yet: set `word` to a single word.")
        return
    if len(word.split()) != 1:
        feedback(False, "", f"{word!r} is not a single word: no spaces, please.")
        return
    wp, bp = wordpiece.pieces(f" {word}"), bpe.pieces(f" {word}")
    feedback(len(wp) > len(bp),
             f"{word!r}: {wordpiece.name} {wp} ({len(wp)}) vs {bpe.name} {bp} ({len(bp)}).",
             f"{word!r}: {wordpiece.name} {wp} ({len(wp)}) vs {bpe.name} {bp} ({len(bp)}); "
             "try rare words, and look at where ## pieces must restart.")


def check_best_segmentation(best_segmentation, unigram: CourseTokenizer,
                            words=VITERBI_WORDS) -> None:
    """Exercise 3: Unigram's best segmentation (Viterbi), compared with the library's."""
    scores = unigram_scores(unigram)
    for word in words:
        answer = attempt(best_segmentation, f"▁{word}", scores)
        if answer is None:
            return
        expected = unigram.pieces(word)
        if list(answer) != expected:
            feedback(False, "", f"for {word!r} the library gives {expected}, you gave "
                                f"{list(answer)}: maximise the sum of log-probabilities.")
            return
    feedback(True, f"your segmentations match {unigram.name} on all {len(words)} words.", "")


def check_lowercase_prediction(prediction: str | None, tokenizers: dict[str, CourseTokenizer],
                               texts, percent: float = 2) -> None:
    """Exercise 4: the student's ``prediction`` (one of :data:`MORE_OR_LESS`): lower-casing ``texts``
    first, do they get shorter in the cased byte-level ``BPE 30k`` by more or less than
    ``percent``? Then the measurement, for each of ``tokenizers`` (the uncased ones lower-case
    anyway, so they must not move)."""
    if not predicted(prediction, MORE_OR_LESS):
        return
    texts = list(texts)
    change = {}
    for name, tokenizer in tokenizers.items():
        written = sum(len(ids) for ids in tokenizer.ids(texts, special=False))
        lowered = sum(len(ids) for ids in tokenizer.ids([t.lower() for t in texts],
                                                        special=False))
        change[name] = 100 * (written - lowered) / written
    measured = MORE_OR_LESS[0] if change["BPE 30k"] > percent else MORE_OR_LESS[1]
    table = ", ".join(f"{name} {value:.1f}%" for name, value in change.items())
    why = (f"shorter by {table}. The cased BPE spends merges on capitalised words too, but "
           "reviews are mostly lower case, so casing costs it little")
    feedback(prediction == measured, f"{measured} than {percent:g}%, as you predicted: {why}.",
             f"you predicted {prediction}; measured {why}.")
