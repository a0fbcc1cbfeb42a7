"""Training WordPiece, byte-level BPE and Unigram on wordfreq's English frequencies.

:func:`word_counts` turns wordfreq's frequencies into a corpus of about a million words,
:func:`repeated_words` feeds it to the ``tokenizers`` trainers without writing a text file, and
:func:`train_wordpiece`, :func:`train_bpe` and :func:`train_unigram` build each algorithm with
the same counts, WordPiece and Unigram uncased (as BERT's and ALBERT's), the byte-level BPE
cased (as RoBERTa's). :data:`TRAINERS` maps algorithm names to them, :func:`train_all`
trains all three at each vocabulary size. The special tokens of each algorithm and
:func:`size_label` (the "30k" suffix of a trained tokenizer's name) live here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

from .interface import (
    ASCII_SYMBOLS,
    COUNT_SCALE,
    TRAINING_WORDS,
    UNCASED,
    VOCAB_SIZES,
    CourseTokenizer,
)

CAPITALISED_SHARE = 0.1
"""The share of each word's count that :func:`word_counts` gives its capitalised form."""


def word_counts(n_words: int = TRAINING_WORDS, scale: int = COUNT_SCALE,
                capitalised: float = CAPITALISED_SHARE) -> dict[str, int]:
    """The ``n_words`` most frequent English words with counts proportional to frequency.

    wordfreq's list is lower-cased, and running text is not: ``capitalised`` of each word's
    count goes to its capitalised form ("Great", as a sentence's first word), the rest to the
    word as listed. A cased tokenizer (the byte-level BPE, as GPT-2's and RoBERTa's) then
    learns capitals too; an uncased one lower-cases them back and sees each word's whole
    count, as if there were no capitals."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict("en", wordlist="best")
    ranked = sorted(frequencies.items(), key=lambda item: (-item[1], item[0]))[:n_words]
    counts: dict[str, int] = {}
    for word, frequency in ranked:
        count = max(1, round(frequency * scale))
        upper = round(count * capitalised) if word[:1].islower() else 0
        counts[word] = counts.get(word, 0) + count - upper
        if upper:
            counts[word.capitalize()] = counts.get(word.capitalize(), 0) + upper
    return counts


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


def train_bpe(counts: dict[str, int], vocab_size: int, normalizer=None,
              name: str | None = None) -> CourseTokenizer:
    """Byte-level BPE as in GPT-2 and RoBERTa: the 256 byte values are the alphabet, so any
    text can be encoded and nothing is ever unknown; ``Ġ`` marks a preceding space. Cased
    and with no normaliser, as theirs: decoding gives back every text exactly ("Great" and
    "great" are different pieces). ``normalizer``: one to apply first (lesson 05's control:
    lower-casing, as BERT's uncased WordPiece does, loses that).

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
