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

The package has one module per step of the lesson, and re-exports all their names here, so
``from course_utils import tokenization as tk; tk.fertility_table(...)`` and
``from course_utils.tokenization import train_bpe`` work whichever module a name lives in:
``interface`` (:class:`CourseTokenizer`, the real tokenizers, shared constants), ``training``
(the three trainers on wordfreq), ``measures`` (fertility, unknowns, round trips, lengths),
``typos``, ``steps`` (the tiny corpus step by step), ``downstream`` (case, whitespace and the
sentiment classifier) and ``figures``.
"""

from .downstream import (
    CASE_TEXT,
    WHITESPACE_TEXT,
    case_whitespace_table,
    evaluate_sets,
    flip_counts,
    rare_word_pieces,
    typo_failures,
)
from .figures import ALGORITHM_COLOURS, plot_fertility
from .interface import (
    ALGORITHMS,
    ASCII_SYMBOLS,
    BRAND_NAMES,
    COUNT_SCALE,
    PROBES,
    TRAINING_WORDS,
    UNCASED,
    VOCAB_SIZES,
    ZIPF_BANDS,
    CourseTokenizer,
    from_transformers,
    real_tokenizers,
)
from .measures import _alphabetic_zipf as _alphabetic_zipf
from .measures import (
    fertility,
    fertility_table,
    is_monotonic,
    missing_bytes,
    random_unicode_texts,
    round_trip_table,
    round_trips,
    sequence_length_table,
    unknown_counts,
    unknown_rate,
    unknown_table,
    zipf_band_words,
)
from .steps import (
    TINY_CORPUS,
    apply_merges,
    bpe_merges,
    byte_view,
    merge_steps,
    pair_table,
    pruning_table,
    segmentations,
    train_tiny,
    unigram_scores,
    wordpiece_steps,
)
from .training import (
    BPE_SPECIALS,
    CAPITALISED_SHARE,
    TRAINERS,
    UNIGRAM_SPECIALS,
    WORDPIECE_SPECIALS,
    repeated_words,
    size_label,
    train_all,
    train_bpe,
    train_unigram,
    train_wordpiece,
    word_counts,
)
from .training import _alphabet as _alphabet
from .training import _wordpiece_pipeline as _wordpiece_pipeline
from .typos import _KEYBOARD as _KEYBOARD
from .typos import _neighbours as _neighbours
from .typos import changed_words, inject_typos, typo

# The private helpers above are imported with ``as`` so that they stay reachable as
# ``tokenization._alphabet`` etc., as they were when this package was a single module.

__all__ = [
    "ALGORITHMS",
    "ALGORITHM_COLOURS",
    "ASCII_SYMBOLS",
    "BPE_SPECIALS",
    "BRAND_NAMES",
    "CAPITALISED_SHARE",
    "CASE_TEXT",
    "COUNT_SCALE",
    "PROBES",
    "TINY_CORPUS",
    "TRAINERS",
    "TRAINING_WORDS",
    "UNCASED",
    "UNIGRAM_SPECIALS",
    "VOCAB_SIZES",
    "WHITESPACE_TEXT",
    "WORDPIECE_SPECIALS",
    "ZIPF_BANDS",
    "CourseTokenizer",
    "apply_merges",
    "bpe_merges",
    "byte_view",
    "case_whitespace_table",
    "changed_words",
    "evaluate_sets",
    "fertility",
    "fertility_table",
    "flip_counts",
    "from_transformers",
    "inject_typos",
    "is_monotonic",
    "merge_steps",
    "missing_bytes",
    "pair_table",
    "plot_fertility",
    "pruning_table",
    "random_unicode_texts",
    "rare_word_pieces",
    "real_tokenizers",
    "repeated_words",
    "round_trip_table",
    "round_trips",
    "segmentations",
    "sequence_length_table",
    "size_label",
    "train_all",
    "train_bpe",
    "train_tiny",
    "train_unigram",
    "train_wordpiece",
    "typo",
    "typo_failures",
    "unigram_scores",
    "unknown_counts",
    "unknown_rate",
    "unknown_table",
    "word_counts",
    "wordpiece_steps",
    "zipf_band_words",
]
