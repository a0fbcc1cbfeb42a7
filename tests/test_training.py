"""The one training path (``training.train``), the one freezing helper, seeding left to the
caller, and the fingerprint that keys cached teacher outputs."""

import math

import pytest
import torch
from datasets import Dataset, DatasetDict

from course_utils import distillation as kd
from course_utils import training
from course_utils.architecture import encoder_layers
from course_utils.core import artifacts
from course_utils.core.inference import fingerprint
from course_utils.models import load_tokenizer


def _trainable(module) -> bool:
    flags = {p.requires_grad for p in module.parameters()}
    assert len(flags) == 1, "a module half frozen"
    return flags.pop()


@pytest.mark.parametrize("student", [False, True])
def test_freeze_bottom_and_top_say_the_same_thing(tiny_bert_classifier, student):
    model = tiny_bert_classifier(layers=4)
    if student:  # DistilBERT keeps its layers under .transformer, BERT under .encoder
        model = kd.distilbert_from_teacher(model, layers=[0, 1, 2, 3])
    layers = encoder_layers(model)
    training.freeze(model, bottom=1)
    assert [_trainable(layer) for layer in layers] == [False, True, True, True]
    assert not _trainable(model.base_model.embeddings)
    training.freeze(model, top=1, embeddings=False)
    assert [_trainable(layer) for layer in layers] == [False, False, False, True]
    assert _trainable(model.base_model.embeddings)
    training.freeze(model, top=0)  # the head alone
    assert not any(_trainable(layer) for layer in layers)
    assert all(p.requires_grad for p in model.classifier.parameters())
    training.freeze(model, top=None, bottom=0)  # every layer again
    assert all(_trainable(layer) for layer in layers)


def test_library_functions_leave_the_callers_random_generators_alone(tiny_bert_classifier):
    teacher = tiny_bert_classifier(layers=4)
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    first = kd.distilbert_from_teacher(teacher, random_init=True, seed=5)
    assert torch.equal(torch.rand(3), expected)  # the caller's stream goes on untouched
    second = kd.distilbert_from_teacher(teacher, random_init=True, seed=5)
    other = kd.distilbert_from_teacher(teacher, random_init=True, seed=6)
    name = "distilbert.transformer.layer.0.ffn.lin1.weight"
    assert torch.equal(first.state_dict()[name], second.state_dict()[name])  # seeded
    assert not torch.equal(first.state_dict()[name], other.state_dict()[name])


def test_fine_tune_trains_through_the_one_path_and_keeps_the_best_epoch(tiny_bert_classifier):
    tokenizer = load_tokenizer()
    model = tiny_bert_classifier(vocab_size=tokenizer.vocab_size)
    text = ["great kettle", "awful kettle", "love it", "broke at once"] * 4
    split = Dataset.from_dict({"text": text, "label": [1, 0, 1, 0] * 4})
    before = model.classifier.weight.detach().cpu().clone()
    model, log = training.fine_tune(model, tokenizer, DatasetDict(train=split, validation=split),
                                    training.Settings(epochs=2, batch_size=8, max_length=8),
                                    seed=0, disable_tqdm=True)
    assert [e["epoch"] for e in log if "eval_accuracy" in e] == [1, 2]
    assert math.isfinite(log[-1]["train_loss"]) and not model.training
    assert not torch.equal(before, model.classifier.weight.detach().cpu())


@pytest.mark.parametrize("read_length", [training.Settings().read_length, 6])
def test_fine_tune_selects_on_validation_read_as_the_lesson_reads(monkeypatch, tiny_bert_classifier,
                                                                  read_length):
    """The epoch kept is chosen on validation reviews truncated where the lesson reads the
    model afterwards (lesson 02's downstream classifiers at 64 tokens, the rest whole)."""
    seen = {}
    monkeypatch.setattr(training, "train", lambda model, tokenizer, data, *a, **k: seen.update(
        data=data) or (model, []))
    long = " ".join(["kettle"] * 40)
    split = Dataset.from_dict({"text": [long, "good"], "label": [1, 0]})
    training.fine_tune(tiny_bert_classifier(), load_tokenizer(),
                       DatasetDict(train=split, validation=split),
                       training.Settings(max_length=8, read_length=read_length), seed=0)
    assert max(map(len, seen["data"]["train"]["input_ids"])) == 8
    assert max(map(len, seen["data"]["validation"]["input_ids"])) == min(42, read_length)


def test_one_epoch_skips_the_validation_pass_and_two_choose_on_it(monkeypatch,
                                                                   tiny_bert_classifier):
    """One epoch leaves nothing to choose on validation (no pass, no checkpoint to reload);
    with two, the course's default chooses the better epoch; a caller may still ask."""
    asked = []
    monkeypatch.setattr(training, "train", lambda model, *a, **kw: asked.append(kw) or (model, []))
    split = Dataset.from_dict({"text": ["good", "bad"], "label": [1, 0]})
    for epochs, overrides in ((1, {}), (2, {}), (1, {"eval_strategy": "epoch"})):
        training.fine_tune(tiny_bert_classifier(), load_tokenizer(),
                           DatasetDict(train=split, validation=split),
                           training.Settings(epochs=epochs, max_length=8), seed=0, **overrides)
    assert asked[0]["eval_strategy"] == "no" and not asked[0]["load_best_model_at_end"]
    assert "eval_strategy" not in asked[1] and "load_best_model_at_end" not in asked[1]
    assert asked[2]["eval_strategy"] == "epoch"


def test_fingerprint_tells_a_retrained_model_and_another_tokenizer(tiny_bert_classifier):
    tokenizer = load_tokenizer()
    model = tiny_bert_classifier()
    same = fingerprint(model, tokenizer)
    assert fingerprint(tiny_bert_classifier(), tokenizer) == same  # same weights, same digest
    with torch.no_grad():
        model.bert.encoder.layer[0].output.dense.weight[0, 0] += 1e-3  # "re-trained"
    assert fingerprint(model, tokenizer) != same
    other = kd.student_tokenizer(tokenizer)  # same vocabulary, no token types
    assert fingerprint(tiny_bert_classifier(), other) != same


def test_fingerprint_ignores_the_truncation_a_call_left_behind(tiny_bert_classifier):
    """Encoding at 128 tokens, then at 512, leaves the fast tokenizer's truncation changed:
    the digest stays (lesson 03's experiments each recomputed the teacher's outputs, 20 s
    each, when it did not)."""
    tokenizer, model = load_tokenizer(), tiny_bert_classifier()
    tokenizer(["a review"], truncation=True, max_length=512)
    same = fingerprint(model, tokenizer)
    tokenizer(["a review"], truncation=True, max_length=128)
    tokenizer(["a review", "two"], padding=True)
    assert fingerprint(model, tokenizer) == same


def test_cached_teacher_outputs_follow_the_teachers_weights(monkeypatch, tiny_bert_classifier):
    """A re-trained teacher loaded from the same folder (same name) gets fresh soft targets."""
    tokenizer = kd.student_tokenizer(load_tokenizer())
    reviews = DatasetDict(train=Dataset.from_dict({"text": ["good.", "bad."], "label": [1, 0]}))
    monkeypatch.setattr("course_utils.data.load_reviews", lambda: reviews)
    artifacts.forget()
    recipe = kd.DistillationSettings(masked_copies=0, max_length=8)
    teacher = tiny_bert_classifier(vocab_size=tokenizer.vocab_size, seed=0)
    _, (first, _) = kd.prepared_transfer(teacher, tokenizer, recipe)
    retrained = tiny_bert_classifier(vocab_size=tokenizer.vocab_size, seed=1)
    retrained.config.name_or_path = teacher.config.name_or_path
    _, (second, _) = kd.prepared_transfer(retrained, tokenizer, recipe)
    assert not torch.equal(first, second)
    _, (again, _) = kd.prepared_transfer(retrained, tokenizer, recipe)
    assert again is second  # the same teacher: computed once


def test_the_transfer_sets_masks_follow_the_runs_seed(monkeypatch, tiny_bert_classifier):
    """Another COURSE_SEED draws other masked copies (a seed check varies the whole recipe);
    the same seed, the same set."""
    tokenizer = kd.student_tokenizer(load_tokenizer())
    text = " ".join(f"word{i}" for i in range(60))
    reviews = DatasetDict(train=Dataset.from_dict({"text": [text], "label": [1]}))
    monkeypatch.setattr("course_utils.data.load_reviews", lambda: reviews)
    recipe = kd.DistillationSettings(masked_copies=1, max_length=8)
    teacher = tiny_bert_classifier(vocab_size=tokenizer.vocab_size, seed=0)
    texts = {}
    for seed in ("0", "1", "0"):
        monkeypatch.setenv("COURSE_SEED", seed)
        train, _ = kd.prepared_transfer(teacher, tokenizer, recipe)
        texts.setdefault(seed, []).append(train["text"][-1])
    assert texts["0"][0] == texts["0"][1] != texts["1"][0]
