"""Lesson 02's helpers: masking rates, static masks, input formats, the MLM model, fill-mask."""

import io
import subprocess
import sys
from contextlib import redirect_stdout
from types import SimpleNamespace

import pytest
import torch
from transformers import BertConfig, BertForMaskedLM

from course_utils import pretraining as pt
from course_utils.claims import ClaimCheck
from course_utils.data import load_reviews
from course_utils.exercises import pretraining as exercises
from course_utils.models import PACKAGED_ENCODER, load_tokenizer


@pytest.fixture(scope="module")
def tokenizer():
    return load_tokenizer(PACKAGED_ENCODER)


@pytest.fixture(scope="module")
def texts():
    return tuple(load_reviews()["train"]["text"][:60])  # a tuple: no test can change it


@pytest.fixture
def tiny_mlm(tokenizer):
    """A fresh, untrained model for every test (50 ms): tests freeze its layers and train it,
    so a shared one would hand each test whatever the tests before it left behind."""
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64)
    torch.manual_seed(0)
    return pt.MaskedPositionsLM(config).eval()


def test_collator_masks_15_percent_then_80_10_10(tokenizer, texts):
    blocks = pt.pack_sentences(texts, tokenizer, max_length=64)
    rates = pt.masking_rates(tokenizer, [{"input_ids": ids} for ids in blocks["input_ids"]],
                             rounds=30)
    assert rates["tokens seen"] > 50_000
    assert rates["chosen"] == pytest.approx(0.15, abs=0.005)
    assert rates["[MASK]"] == pytest.approx(0.8, abs=0.01)
    assert rates["random token"] == pytest.approx(0.1, abs=0.01)
    assert rates["unchanged"] == pytest.approx(0.1, abs=0.01)
    assert rates["special chosen"] == 0


def test_masking_rates_measure_the_collator_they_are_given(tokenizer, texts):
    """Lesson 02's controls: another rate, another split, specials not marked."""
    blocks = pt.pack_sentences(texts[:20], tokenizer, max_length=64)
    rows = [{"input_ids": ids} for ids in blocks["input_ids"]]
    assert pt.masking_rates(tokenizer, rows, probability=0.3)["chosen"] == pytest.approx(
        0.3, abs=0.01)
    split = pt.masking_rates(tokenizer, rows, replacement={"[MASK]": 0.5, "random token": 0.4})
    assert split["[MASK]"] == pytest.approx(0.5, abs=0.02)
    assert split["random token"] == pytest.approx(0.4, abs=0.02)
    assert pt.masking_rates(tokenizer, rows, specials_known=False)["special chosen"] > 0


def test_padding_and_special_tokens_never_chosen(tokenizer):
    examples = [{"input_ids": tokenizer("short")["input_ids"]},
                {"input_ids": tokenizer("a much longer review " * 20)["input_ids"]}]
    for seed in range(20):
        batch = pt.mask_batch(pt.mlm_collator(tokenizer, seed=seed), examples)
        special = torch.isin(batch["original_ids"], torch.tensor(tokenizer.all_special_ids))
        assert not (batch["labels"] != -100)[special].any()


def test_static_masks_are_fixed_and_dynamic_ones_are_not(tokenizer, texts):
    blocks = pt.pack_sentences(texts[:10], tokenizer, max_length=64)
    assert pt.static_masks(blocks, tokenizer, seed=3)["labels"] == \
        pt.static_masks(blocks, tokenizer, seed=3)["labels"]
    static, dynamic = pt.mask_grid(tokenizer, blocks["input_ids"][0], epochs=5)
    assert (static == static[0]).all() and not (dynamic == dynamic[0]).all()


def test_fixed_masks_cycle_through_their_copies_as_bert_did(tokenizer, texts):
    blocks = pt.pack_sentences(texts[:10], tokenizer, max_length=64)
    masker = pt.FixedMasks(blocks, tokenizer, copies=2, seed=3)
    fed = [masker([{"index": 0}])["labels"][0].tolist() for _ in range(4)]
    assert fed[0] == fed[2] and fed[1] == fed[3] and fed[0] != fed[1]
    assert fed[0] == pt.static_masks(blocks, tokenizer, seed=3)["labels"][0]


def test_full_sentences_fill_blocks_and_doc_sentences_stay_in_a_document(tokenizer, texts):
    full = pt.pack_sentences(texts, tokenizer, max_length=64)
    doc = pt.pack_sentences(texts, tokenizer, max_length=64, cross_documents=False)
    full_ids, doc_ids = list(full["input_ids"]), list(doc["input_ids"])
    assert max(len(ids) for ids in full_ids + doc_ids) <= 64
    assert len(doc_ids) > len(full_ids)  # every review ends an example
    sep = tokenizer.sep_token_id
    assert all(ids.count(sep) == 1 for ids in doc_ids)
    assert any(ids.count(sep) > 1 for ids in full_ids)  # ran on into the next review
    words = [i for ids in doc_ids for i in ids
             if i not in (tokenizer.cls_token_id, sep)]
    assert words == tokenizer(" ".join(texts), add_special_tokens=False)["input_ids"]


def test_segment_pairs_have_two_segments_and_balanced_labels(tokenizer, texts):
    pairs = pt.segment_pairs(texts, tokenizer, max_length=64)
    assert all(len(ids) <= 64 for ids in pairs["input_ids"])
    assert all(types[0] == 0 and types[-1] == 1 for types in pairs["token_type_ids"])
    assert 0.3 < sum(pairs["next_sentence_label"]) / len(pairs) < 0.7


def test_swapped_negatives_are_the_same_review_in_the_wrong_order(tokenizer, texts):
    nsp = pt.segment_pairs(texts, tokenizer, max_length=512)
    order = pt.segment_pairs(texts, tokenizer, max_length=512, negatives="swapped")
    assert nsp["next_sentence_label"] == order["next_sentence_label"]
    for a, b, swapped_a, swapped_b, label in zip(nsp["a"], nsp["b"], order["a"], order["b"],
                                                 order["next_sentence_label"]):
        if label == 0:
            assert (swapped_a, swapped_b) == (a, b)
        else:  # b was another review's second half; now a is this review's second half
            assert swapped_b == a and swapped_a != b
    with pytest.raises(ValueError, match="negatives must be"):
        pt.segment_pairs(texts, tokenizer, negatives="random")


def test_masked_positions_lm_has_the_parent_loss(tokenizer, tiny_mlm):
    batch = pt.mask_batch(pt.mlm_collator(tokenizer, seed=0),
                          [{"input_ids": tokenizer("the battery lasts all day " * 5)["input_ids"]}])
    with torch.no_grad():
        ours = tiny_mlm(input_ids=batch["input_ids"], labels=batch["labels"]).loss
        parent = BertForMaskedLM.forward(tiny_mlm, input_ids=batch["input_ids"],
                                         labels=batch["labels"]).loss
        full = tiny_mlm(input_ids=batch["input_ids"]).logits
    assert torch.allclose(ours, parent, atol=1e-5)
    assert full.shape[:2] == batch["input_ids"].shape


def test_loss_curves_and_summary_from_a_log_history():
    history = [{"loss": 5.0, "epoch": 1.0}, {"eval_loss": 6.0, "epoch": 1.0},
               {"loss": 3.0, "epoch": 2.0}, {"eval_loss": 6.5, "epoch": 2.0},
               {"train_runtime": 1.0, "epoch": 2.0}]
    curve = pt.loss_curves(history)
    assert curve.to_dict("list") == {"training loss": [5.0, 3.0], "held-out loss": [6.0, 6.5]}
    summary = pt.curve_summary(__import__("pandas").concat({"static": curve}, axis=1))
    assert summary.loc["static", "best held-out epoch"] == 1
    assert summary.loc["static", "gap"] == pytest.approx(3.5)


def test_fill_mask_answers_and_rejects_bad_text(tokenizer, tiny_mlm):
    top = pt.top_predictions(tiny_mlm, tokenizer, "The battery [MASK] all day.", k=4)
    assert len(top) == 4 and all(0 <= p <= 1 for _, p in top)
    assert 1 <= pt.word_rank(tiny_mlm, tokenizer, "The battery [MASK] all day.", "lasts") \
        <= tokenizer.vocab_size
    table = pt.fill_mask_table({"tiny": (tiny_mlm, tokenizer)}, {"I [MASK] it.": "love"})
    assert list(table.columns) == ["expected", "tiny: top 3", "tiny: rank of expected"]
    with pytest.raises(ValueError, match="exactly one"):
        pt.top_predictions(tiny_mlm, tokenizer, "no blank here")
    with pytest.raises(ValueError, match="exactly one"):
        pt.top_predictions(tiny_mlm, tokenizer, "[MASK] and [MASK]")
    with pytest.raises(TypeError, match="string"):
        pt.top_predictions(tiny_mlm, tokenizer, 42)
    with pytest.raises(ValueError, match="under 2,000"):
        pt.top_predictions(tiny_mlm, tokenizer, "[MASK] " + "word " * 600)
    with pytest.raises(ValueError, match="one token"):
        pt.word_rank(tiny_mlm, tokenizer, "I [MASK] it.", "unbelievably-long-word")


def _favour(model, tokenizer, biases: dict[str, float]):
    """Add ``biases`` to the output bias of these words: their logits then dominate the tiny
    random model's (whose own logits are within about 0.5 of 0)."""
    ids = tokenizer.convert_tokens_to_ids(list(biases))
    with torch.no_grad():
        model.cls.predictions.bias[ids] += torch.tensor(list(biases.values()))
    return model


def test_fill_mask_ranks_the_most_likely_word_first(tokenizer, tiny_mlm):
    text = "The battery [MASK] all day."
    _favour(tiny_mlm, tokenizer, {"lasts": 12.0, "works": 11.0, "dies": 10.0, "broke": -12.0,
                                  "[UNK]": 50.0})  # a special token never counts
    top = pt.top_predictions(tiny_mlm, tokenizer, text, k=5)
    words, probabilities = zip(*top)
    assert words[:3] == ("lasts", "works", "dies")
    assert list(probabilities) == sorted(probabilities, reverse=True)
    assert probabilities[0] > 0.4 and sum(probabilities) <= 1.001
    assert [pt.word_rank(tiny_mlm, tokenizer, text, w) for w in ("lasts", "works", "dies")] \
        == [1, 2, 3]
    answerable = tokenizer.vocab_size - len(set(tokenizer.all_special_ids))
    assert pt.word_rank(tiny_mlm, tokenizer, text, "broke") == answerable  # the very last
    table = pt.fill_mask_table({"tiny": (tiny_mlm, tokenizer)}, {text: "works"})
    assert table.loc[text, "tiny: rank of expected"] == 2
    shown = [entry.rsplit(" ", 1) for entry in table.loc[text, "tiny: top 3"].split(", ")]
    assert [word for word, _ in shown] == ["lasts", "works", "dies"]
    percents = [int(share.rstrip("%")) for _, share in shown]
    assert percents == sorted(percents, reverse=True) and percents[0] > 40


class _KnowsTheBlank(torch.nn.Module):
    """A stand-in MLM whose logits favour ``at_blank`` at the [MASK] and ``elsewhere`` at every
    other position: only a reading of the blank's own logits answers ``at_blank``."""

    def __init__(self, tokenizer, at_blank: str, elsewhere: str):
        super().__init__()
        self.mask_id, self.vocab = tokenizer.mask_token_id, tokenizer.vocab_size
        self.at_blank, self.elsewhere = tokenizer.convert_tokens_to_ids([at_blank, elsewhere])
        self.unused = torch.nn.Parameter(torch.zeros(1))  # gives the model a device

    def forward(self, input_ids, **_):
        logits = torch.zeros(*input_ids.shape, self.vocab)
        blank = input_ids == self.mask_id
        logits[..., self.at_blank] = torch.where(blank, 10.0, -10.0)
        logits[..., self.elsewhere] = torch.where(blank, -10.0, 10.0)
        return SimpleNamespace(logits=logits)


def test_fill_mask_reads_the_blanks_position(tokenizer):
    model = _KnowsTheBlank(tokenizer, at_blank="lasts", elsewhere="dies")
    for text in ("The battery [MASK] all day.", "[MASK] it.", "It really, truly [MASK]."):
        assert pt.top_predictions(model, tokenizer, text, k=1)[0][0] == "lasts"
        assert pt.word_rank(model, tokenizer, text, "lasts") == 1
        assert pt.word_rank(model, tokenizer, text, "dies") > 1000


def test_pretrain_rejects_an_unknown_masking(tokenizer, tiny_mlm, texts):
    blocks = pt.pack_sentences(texts[:2], tokenizer)
    with pytest.raises(ValueError, match="static' or 'dynamic"):
        pt.pretrain(tiny_mlm, tokenizer, blocks, blocks, masking="sometimes")


def test_a_short_static_run_memorises(tokenizer, tiny_mlm, texts):
    blocks = pt.pack_sentences(texts[:20], tokenizer, max_length=32)
    settings = pt.MLMSettings(epochs=3, learning_rate=3e-3, trainable_layers=None)
    _, curve = pt.pretrain(tiny_mlm, tokenizer, blocks, blocks.select(range(8)), "static",
                           settings)
    assert list(curve.index) == [1, 2, 3]
    assert curve["training loss"].iloc[0] > 9  # it started untrained: about ln(30,522) = 10.3
    assert curve["training loss"].iloc[-1] < curve["training loss"].iloc[0]


def test_the_seed_is_the_runs_when_it_trains_not_at_import(monkeypatch, tokenizer, tiny_mlm,
                                                            texts):
    """HEAD_WARM_UP and the default settings were made at import: a COURSE_SEED set later
    (another run of the lesson) still decides the masks and the Trainer's seed."""
    seen = []
    monkeypatch.setattr(pt.training.training, "train", lambda model, tok, data, settings, seed,
                        *a, **k: seen.append(seed) or (model, []))
    monkeypatch.setattr(pt.training, "loss_curves", lambda history: history)
    blocks = pt.pack_sentences(texts[:2], tokenizer)
    for seed in ("3", "4"):
        monkeypatch.setenv("COURSE_SEED", seed)
        pt.pretrain(tiny_mlm, tokenizer, blocks, blocks, "dynamic", pt.HEAD_WARM_UP)
    pt.pretrain(tiny_mlm, tokenizer, blocks, blocks, "dynamic", pt.MLMSettings(seed=9))
    assert seen == [3, 4, 9]


def _output(check, *args) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        check(*args)
    return buffer.getvalue()


def test_exercise_checkers_pass_the_reference_and_fail_a_wrong_answer(tokenizer, texts):
    from course_utils.exercises.solutions import pretraining as solutions

    def all_masked(ids, tok, rng):
        inputs, labels = solutions.my_mask(ids, tok, rng)
        inputs[labels != -100] = tok.mask_token_id
        return inputs, labels

    check = exercises.check_static_masking
    assert _output(check, solutions.my_mask, tokenizer).startswith("✅")
    assert _output(check, all_masked, tokenizer).startswith("❌")

    predicted = _output(exercises.check_padding_share, solutions.padding_share, texts,
                        tokenizer, solutions.PREDICTION)
    assert predicted.startswith("✅") and "your prediction was right" in predicted
    wrong_guess = _output(exercises.check_padding_share, solutions.padding_share, texts,
                          tokenizer, "FULL-SENTENCES")
    assert wrong_guess.startswith("✅") and "the measurement says otherwise" in wrong_guess
    unpadded = _output(exercises.check_padding_share, lambda dataset, length: 0.0, texts,
                       tokenizer, solutions.PREDICTION)
    assert unpadded.startswith("❌")
    assert _output(exercises.check_padding_share, solutions.padding_share, texts, tokenizer,
                   "...").startswith("⏳")


def test_anchors_are_shown_but_never_asserted():
    check = ClaimCheck("demo")
    check.add("holds", "x", "x", True)
    check.anchor("a paper figure", "3.68 vs 3.99", "needs GPUs")
    check.assert_all()
    assert check.table()["verdict"].tolist()[-1] == "paper's figure, not reproduced here"


def test_importing_the_package_does_not_import_plotting_or_widgets():
    """matplotlib and ipywidgets are imported inside the functions that draw or build a widget,
    so ``import course_utils.pretraining`` stays light (a fresh interpreter, to be sure)."""
    code = ("import sys, course_utils.pretraining; "
            "assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_the_masking_control_draws_one_static_mask_per_epoch(monkeypatch):
    import pandas as pd

    seen = {}

    def fake_pretrain(model, tokenizer, train, heldout, masking, settings, copies):
        seen[(masking, copies)] = settings.epochs
        return model, pd.DataFrame({"training loss": [1.0], "held-out loss": [1.0]})

    monkeypatch.setattr(pt.training, "pretrain", fake_pretrain)
    models, curves = pt.masking_experiment(object(), None, None, None,
                                           pt.MLMSettings(epochs=6), copies=2)
    assert list(models) == ["static", "dynamic", pt.FRESH_STATIC]
    assert seen == {("static", 2): 6, ("dynamic", 1): 6, ("static", 6): 6}
    assert list(curves.columns.get_level_values(0).unique()) == list(models)


class _ReadsTheClue(torch.nn.Module):
    """A stand-in MLM that answers "lasts" at every [MASK] when "battery" is in its input
    (it reads the context) or, with ``frequencies``, whatever the input (it does not)."""

    def __init__(self, tokenizer, frequencies: bool = False):
        super().__init__()
        self.mask_id, self.vocab, self.frequencies = (tokenizer.mask_token_id,
                                                      tokenizer.vocab_size, frequencies)
        self.clue, self.answer = tokenizer.convert_tokens_to_ids(["battery", "lasts"])
        self.unused = torch.nn.Parameter(torch.zeros(1))  # gives the model a device

    def forward(self, input_ids, **_):
        logits = torch.zeros(*input_ids.shape, self.vocab)
        reads = (input_ids == self.clue).any(dim=1, keepdim=True) | self.frequencies  # per row
        logits[..., self.answer] = torch.where((input_ids == self.mask_id) & reads, 20.0, 0.0)
        return SimpleNamespace(logits=logits)


def test_context_gain_tells_a_reader_of_context_from_a_frequency_model(tokenizer):
    blanks = []
    for text in ("The battery [MASK] all day.", "My battery [MASK] a week.", "This battery [MASK].",
                 "Its battery [MASK] well.", "The new battery [MASK] long.", "It [MASK]."):
        ids = tokenizer(text.replace("[MASK]", tokenizer.mask_token))["input_ids"]
        blanks.append({"input_ids": ids, "labels": [
            tokenizer.convert_tokens_to_ids("lasts") if i == tokenizer.mask_token_id else -100
            for i in ids]})
    reader = pt.context_gain(_ReadsTheClue(tokenizer), tokenizer, blanks, batch_size=4)
    assert reader.blocks == 6 and reader.low > 0  # "It [MASK]." has no clue: a spread
    assert reader.value == pytest.approx(5 / 6 * torch.log(torch.tensor(30522.0)).item(),
                                         abs=0.01)
    assert "nats" in str(reader) and "perplexity" in str(reader)
    frequencies = pt.context_gain(_ReadsTheClue(tokenizer, frequencies=True), tokenizer, blanks)
    assert frequencies.value == 0 and not frequencies.low > 0
    with pytest.raises(ValueError, match="at least 2 blocks"):
        pt.context_gain(_ReadsTheClue(tokenizer), tokenizer, blanks[:1])


def test_context_gain_is_the_same_through_the_fast_path(tokenizer, tiny_mlm, texts):
    blanks = pt.static_masks(pt.pack_sentences(list(texts[:12]), tokenizer, 64), tokenizer)
    plain = BertForMaskedLM(tiny_mlm.config).eval()
    plain.load_state_dict(tiny_mlm.state_dict())
    fast, slow = (pt.context_gain(m, tokenizer, blanks, batch_size=5) for m in (tiny_mlm, plain))
    assert fast.blocks == slow.blocks >= 2
    for field in ("with_context", "without_context", "low", "high"):
        assert getattr(fast, field) == pytest.approx(getattr(slow, field), abs=1e-4)
