"""Unit tests of course_utils.tokenization, token_explorer and the lesson 05 exercise checks.

Vocabularies here are tiny (the 3,000 most frequent words, 800 tokens) so the tests are fast;
the lesson trains the full-size ones.
"""

import math
import random
from collections import Counter

import pytest

from course_utils import token_explorer
from course_utils import tokenization as tk
from course_utils.exercises import tokenization as exercises
from course_utils.exercises.solutions import tokenization as solutions

EMOJI_AND_SCRIPTS = ["🪫 🫠 🤷‍♀️", "你好，很好吃", "정말 좋아요", "ดีมาก", "Dvořák in Łódź"]


@pytest.fixture(scope="module")
def counts():
    return tk.word_counts(n_words=3000)


@pytest.fixture(scope="module")
def small(counts):
    return tk.train_all(vocab_sizes=(800,), counts=counts)


@pytest.fixture(scope="module")
def bert():
    return tk.real_tokenizers()["BERT (real)"]


def test_word_counts_follow_frequency():
    counts = tk.word_counts(n_words=3000, capitalised=0)
    values = list(counts.values())
    assert len(counts) == 3000 and min(values) >= 1
    assert values == sorted(values, reverse=True)
    assert next(iter(counts)) == "the"


def test_repeated_words_feed_every_occurrence():
    batches = list(tk.repeated_words({"low": 3, "newest": 2, "a": 1}, batch_size=2))
    words = Counter(w for batch in batches for text in batch for w in text.split())
    assert words == {"low": 3, "newest": 2, "a": 1} and [len(b) for b in batches] == [2, 1]


def test_vocabulary_sizes_and_names(small):
    assert list(small) == ["WordPiece 0.8k", "BPE 0.8k", "Unigram 0.8k"]
    for tokenizer in small.values():
        assert tokenizer.vocab_size == 800
    assert {t.algorithm for t in small.values()} == set(tk.ALGORITHMS)


def test_wordpiece_training_is_reproducible(counts):
    first = tk.train_wordpiece(counts, 600).backend.get_vocab()
    second = tk.train_wordpiece(counts, 600).backend.get_vocab()
    assert first == second


def _by_algorithm(tokenizers, algorithm):
    return next(t for t in tokenizers.values() if t.algorithm == algorithm)


def test_byte_level_bpe_covers_every_byte_and_round_trips_any_text(small, bert):
    bpe = _by_algorithm(small, "byte-level BPE")
    assert tk.missing_bytes(bpe) == []
    assert len(tk.missing_bytes(bert)) > 100  # WordPiece's vocabulary is not byte-complete
    texts = [*EMOJI_AND_SCRIPTS, *(t for v in tk.PROBES.values() for t in v),
             *tk.random_unicode_texts(n=100)]
    assert all(tk.round_trips(bpe, text)[1] for text in texts)
    assert not all(tk.round_trips(bert, text)[1] for text in texts)


def test_wordpiece_emits_unknown_outside_its_vocabulary(small, bert):
    wordpiece = _by_algorithm(small, "WordPiece")
    assert wordpiece.pieces("the 🪫") == ["the", "[UNK]"]
    assert tk.unknown_rate(wordpiece, ["ดีมาก", "정말 좋아요"]) == 1.0
    assert bert.pieces("battery 🪫") == ["battery", "[UNK]"]
    assert tk.unknown_rate(bert, tk.PROBES["emoji"]) > 0


def test_unigram_emits_unknown_for_unseen_characters(small):
    unigram = _by_algorithm(small, "Unigram")
    # the piece keeps its surface form, the id is the unknown token's
    assert unigram.ids(["the 🪫"])[0][-1] == unigram.unk_id
    assert tk.unknown_counts(unigram, ["the 🪫"]) == (1, 3)


def test_fertility_rises_as_words_get_rarer(small, bert):
    bands = tk.zipf_band_words(per_band=100)
    table = tk.fertility_table({**small, "BERT": bert}, bands)
    assert list(table.columns) == list(bands)
    for name in table.index:
        assert tk.is_monotonic(table.loc[name]), table.loc[name]


def test_fertility_counts_pieces(bert):
    assert tk.fertility(bert, ["the", "kettle"]) == 1.0
    assert tk.fertility(bert, ["unbelievably"]) >= 1.0


def test_band_sample_is_seeded():
    assert tk.zipf_band_words(per_band=20) == tk.zipf_band_words(per_band=20)
    assert tk.zipf_band_words(per_band=20, seed=1) != tk.zipf_band_words(per_band=20)


def test_is_monotonic():
    assert tk.is_monotonic([1, 1, 2]) and not tk.is_monotonic([1, 1, 1])
    assert not tk.is_monotonic([1, 3, 2])


def test_word_counts_give_a_tenth_to_capitals_and_keep_each_words_total():
    cased, lower = tk.word_counts(n_words=200), tk.word_counts(n_words=200, capitalised=0)
    assert sum(cased.values()) == sum(lower.values())
    assert all(word.islower() or not word.isalpha() for word in lower)
    assert cased["The"] + cased["the"] == lower["the"]
    assert cased["The"] == round(lower["the"] * tk.CAPITALISED_SHARE)


def test_the_byte_level_bpe_is_cased_and_gives_back_every_text_exactly(counts):
    bpe = tk.train_bpe(counts, 800)
    texts = ["Don't   stop!", "GREAT kettle, great price", "café au lait 😍", "\tTabs\nand lines"]
    assert [bpe.round_trip(text) for text in texts] == texts
    assert bpe.pieces("Great") != bpe.pieces("great")
    lowered = tk.train_bpe(counts, 800, normalizer=tk.UNCASED)  # lesson 05's control
    assert lowered.round_trip("Great") == "great"


def test_round_trip_tables(small, bert):
    texts = ["Don't   stop!", "café au lait"]
    table = tk.round_trip_table({**small, "BERT": bert}, texts)
    assert table.loc["BPE 0.8k", "exact"] == 1.0
    assert table.loc["BERT", "exact"] < 1.0
    assert tk.round_trips(bert, "great kettle") == (True, True)


def test_sequence_length_table(small, bert):
    tokenizers = {**small, "BERT": bert}
    table = tk.sequence_length_table(tokenizers, ["A great kettle.", "Awful."], "BERT")
    assert table.loc["BERT", "tokens vs BERT"] == 1.0
    assert table.loc["BERT", "mean tokens"] == 5.0  # [CLS] a great kettle . [SEP] / 4


def test_case_and_whitespace(small):
    table = tk.case_whitespace_table({"WordPiece": _by_algorithm(small, "WordPiece"),
                                      "BPE": _by_algorithm(small, "byte-level BPE")})
    assert table["same ids for all three"].tolist() == [True, False]


def test_inject_typos_is_seeded_and_changes_words():
    text = "The kettle boils quickly and quietly, a lovely design."
    assert tk.inject_typos(text, rate=0.5) == tk.inject_typos(text, rate=0.5)
    assert tk.inject_typos(text, rate=0.0) == text
    every = tk.inject_typos(text, rate=1.0)
    assert all(a != b for a, b in zip(text.split(), every.split()) if len(a.strip(",.")) >= 3)
    assert len(tk.changed_words(text, every)) == 8
    seeds = {tk.inject_typos(text, rate=0.5, seed=s) for s in range(5)}
    assert len(seeds) > 1


def test_flip_counts():
    assert tk.flip_counts([1, 0, 1, 0], [1, 0, 0, 1], [0, 0, 1, 1]) == (1, 1)


class _AlwaysPositive:
    def predict_polarity(self, texts):
        return [1] * len(texts)


def test_evaluate_sets_and_failures(bert):
    table, predicted = tk.evaluate_sets(_AlwaysPositive(), bert,
                                        {"tiny": (["great kettle", "awful"], [1, 0])})
    assert predicted == {"tiny": [1, 1]}
    assert table.loc["tiny", ["accuracy", "n", "pieces per word"]].tolist() == [0.5, 2, 1.0]
    failures = tk.typo_failures(["a lovely kettle"], ["a lvoely kettle"], [1], [1], [0], bert)
    assert failures["typo"].tolist() == ["lvoely"]
    assert tk.typo_failures(["a lovely kettle"], ["a lvoely kettle"], [1], [1], [1], bert).empty


def test_rare_word_pieces(bert):
    table = tk.rare_word_pieces(["A jejune, sybaritic kettle."], bert)
    assert list(table.index) == ["jejune", "sybaritic"]


def test_typo_always_changes_the_word():
    rng = random.Random(0)
    for word in ["aa", "kettle", "zzz", "ok"]:
        for _ in range(20):
            assert tk.typo(word, rng) != word


def test_bpe_merges_replay_like_the_library():
    tiny = tk.train_tiny("BPE")
    merges = tk.bpe_merges(tiny)
    assert merges[0] == ("s", "t")  # the most frequent pair: 27 occurrences
    for word in [*tk.TINY_CORPUS, "fastlowest", "newslow"]:
        assert tk.apply_merges(word, merges) == tiny.pieces(word)
    steps = tk.merge_steps(tk.TINY_CORPUS, merges, steps=3)
    assert steps.loc["start", "fast"] == "f a s t" and len(steps) == 4


def test_pair_table_scores():
    """BPE ranks a + b first (seen twice); WordPiece divides by how often each part is seen
    (a 3 times, b 2, c 1), so a + c, rarer but always together, ties with it at 1/3."""
    table = tk.pair_table({("a", "b"): 2, ("a", "c"): 1}).set_index("pair")
    assert table.loc["a + b", "count (BPE)"] == 2 and table.loc["a + c", "count (BPE)"] == 1
    assert math.isclose(table.loc["a + b", "score (WordPiece)"], 1 / 3)
    assert math.isclose(table.loc["a + c", "score (WordPiece)"], 1 / 3)


def test_wordpiece_steps_match_the_library():
    tiny = tk.train_tiny("WordPiece")
    for word in ["fastest", "lowest", "slowly", "newfan"]:
        assert tk.wordpiece_steps(tiny, word) == tiny.pieces(word)
    assert tiny.pieces("slowly") == ["[UNK]"]  # "y" is unknown: the whole word is lost


def test_unigram_best_segmentation_is_the_library_one():
    tiny = tk.train_tiny("Unigram")
    scores = tk.unigram_scores(tiny, decimals=2)
    for word in ["slowest", "fastest", "lowest"]:
        best = tk.segmentations(f"▁{word}", scores)["pieces"].iloc[0]
        assert best.split() == tiny.pieces(word)
    pruning = tk.pruning_table(tk.TINY_CORPUS, scores)
    assert (pruning["likelihood lost if removed"] > 0).all()


def test_byte_view():
    view = tk.byte_view("é ")
    assert view["UTF-8 bytes"].tolist() == ["C3 A9", "20"]
    assert view["byte-level symbols"].tolist() == ["Ã©", "Ġ"]


def test_real_tokenizers_offline_is_bert_vocabulary(bert):
    assert list(tk.real_tokenizers()) == ["BERT (real)"]
    assert bert.vocab_size == 30522 and bert.unk_token == "[UNK]"
    assert bert.ids(["hello"], special=True)[0][0] == bert.backend.token_to_id("[CLS]")


def test_explorer_html_and_widget(small):
    html = token_explorer.pieces_html("ok 🪫 <b>", small)
    assert token_explorer.UNKNOWN_COLOUR in html and "&lt;b&gt;" in html
    assert html == token_explorer.pieces_html("ok 🪫 <b>", small)
    widget = token_explorer.explorer(small, text="hello")
    box, view = widget.children
    box.value = "goodbye"
    assert "goodbye" in view.value


# ---- exercise checkers ----

def _stub(*args):
    raise NotImplementedError


def test_merge_step_checker(capsys):
    exercises.check_merge_step(_stub)
    assert "Not attempted" in capsys.readouterr().out
    exercises.check_merge_step(solutions.merge_step)
    assert capsys.readouterr().out.startswith("✅")
    exercises.check_merge_step(lambda counts: (("f", "a"), counts))
    assert capsys.readouterr().out.startswith("❌")


def test_more_pieces_checker(capsys, small):
    wordpiece, bpe = _by_algorithm(small, "WordPiece"), _by_algorithm(small, "byte-level BPE")
    exercises.check_more_pieces(None, wordpiece, bpe)
    assert "Not attempted" in capsys.readouterr().out
    exercises.check_more_pieces("the", wordpiece, bpe)
    assert capsys.readouterr().out.startswith("❌")
    exercises.check_more_pieces("two words", wordpiece, bpe)
    assert capsys.readouterr().out.startswith("❌")
    words = [w for band in tk.zipf_band_words(per_band=100).values() for w in band]
    exercises.check_more_pieces(solutions.more_pieces_word(wordpiece, bpe, words), wordpiece, bpe)
    assert capsys.readouterr().out.startswith("✅")


def test_best_segmentation_checker(capsys, small):
    unigram = _by_algorithm(small, "Unigram")
    exercises.check_best_segmentation(_stub, unigram)
    assert "Not attempted" in capsys.readouterr().out
    exercises.check_best_segmentation(solutions.best_segmentation, unigram)
    assert capsys.readouterr().out.startswith("✅")
    exercises.check_best_segmentation(lambda text, scores: list(text), unigram)
    assert capsys.readouterr().out.startswith("❌")
