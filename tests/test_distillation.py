import math

import pytest
import torch
from datasets import Dataset

from course_utils import distillation as kd
from course_utils.models import load_tokenizer


def test_soft_target_loss_matches_a_hand_computed_kl():
    student = torch.tensor([[math.log(3.0), 0.0]])  # softmax: 0.75, 0.25
    teacher = torch.tensor([[0.0, 0.0]])  # 0.5, 0.5
    kl = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)  # 0.143841
    assert kd.soft_target_loss(student, teacher, 1.0).item() == pytest.approx(kl, abs=1e-6)
    # at T = 2 the student's logits [2 ln 3, 0] soften to the same 0.75 / 0.25: KL * 4
    doubled = student * 2
    assert kd.soft_target_loss(doubled, teacher, 2.0).item() == pytest.approx(4 * kl, abs=1e-6)
    assert kd.soft_target_loss(teacher, teacher, 3.0).item() == pytest.approx(0.0, abs=1e-7)


def test_hard_label_loss_skips_unlabelled_examples():
    logits = torch.tensor([[math.log(3.0), 0.0], [5.0, -5.0]])
    labels = torch.tensor([0, -100])
    assert kd.hard_label_loss(logits, labels).item() == pytest.approx(-math.log(0.75), abs=1e-6)
    none = kd.hard_label_loss(logits, torch.tensor([-100, -100]))
    assert none.item() == 0.0 and none.requires_grad is False


def test_hidden_cosine_loss_ignores_padding():
    student = torch.tensor([[[1.0, 0.0], [1.0, 0.0], [5.0, 5.0]]])
    teacher = torch.tensor([[[0.0, 1.0], [2.0, 0.0], [-1.0, 0.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert kd.hidden_cosine_loss(student, teacher, mask).item() == pytest.approx(0.5)
    expected = (1 + 0 + (1 + math.sqrt(0.5))) / 3
    assert kd.hidden_cosine_loss(student, teacher).item() == pytest.approx(expected, abs=1e-6)


def test_every_other_layer():
    assert kd.every_other_layer(6) == [0, 2, 4]
    assert kd.every_other_layer(12) == [0, 2, 4, 6, 8, 10]


def test_converted_student_reproduces_the_teacher_where_it_should(tiny_bert_classifier):
    teacher = tiny_bert_classifier(layers=4, vocab_size=30522)
    ids = torch.tensor([[101, 2023, 2003, 2307, 102, 0], [101, 2919, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        expected = teacher(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        full = kd.distilbert_from_teacher(teacher, layers=[0, 1, 2, 3]).eval()
        got = full(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        for a, b in zip(expected.hidden_states, got.hidden_states):
            assert torch.allclose(a[mask.bool()], b[mask.bool()], atol=1e-5)
        # every other layer = the teacher truncated to layers 0 and 2
        half = kd.distilbert_from_teacher(teacher).eval()
        teacher.bert.encoder.layer = torch.nn.ModuleList(
            [teacher.bert.encoder.layer[i] for i in (0, 2)])
        teacher.config.num_hidden_layers = 2
        truncated = teacher(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        got = half(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        for a, b in zip(truncated.hidden_states, got.hidden_states):
            assert torch.allclose(a[mask.bool()], b[mask.bool()], atol=1e-5)
    assert type(half).__name__ == "DistilBertForSequenceClassification"
    assert not hasattr(half.distilbert.embeddings, "token_type_embeddings")
    assert len(half.distilbert.transformer.layer) == 2


def test_weight_mapping_covers_every_student_parameter(tiny_bert_classifier):
    teacher = tiny_bert_classifier(layers=4, vocab_size=30522)
    student = kd.distilbert_from_teacher(teacher)
    mapped = {t for _, t in kd.weight_mapping([0, 2])}
    for name, _ in student.named_parameters():
        assert name.rsplit(".", 1)[0] in mapped, name
    random = kd.distilbert_from_teacher(teacher, random_init=True)
    assert not torch.equal(random.distilbert.transformer.layer[0].ffn.lin1.weight,
                           teacher.bert.encoder.layer[0].intermediate.dense.weight)


TEXTS = ["good kettle.", "bad kettle, it broke after two weeks and the lid never shut.", "fine.",
         "meh, the handle gets hot.", "great price, and it boils fast, quietly, every time.",
         "awful.", "the spout drips but the kettle itself is sturdy enough.", "ok."]
LABELS = [1, 0, -100, -100, 1, 0, -100, -100]


@pytest.fixture
def tiny_setup(tiny_bert_classifier):
    teacher = tiny_bert_classifier(layers=4, vocab_size=30522, seed=1)
    tokenizer = kd.student_tokenizer(load_tokenizer())
    train = Dataset.from_dict({"text": TEXTS, "label": LABELS})
    return teacher, tokenizer, train


@torch.no_grad()
def test_teacher_outputs_are_in_the_datasets_order_not_the_length_order(tiny_setup):
    teacher, tokenizer, train = tiny_setup
    encoded = kd.encode(train, tokenizer, 32)
    assert encoded["idx"] == list(range(len(TEXTS)))
    logits, hidden = kd.teacher_outputs(teacher, encoded, tokenizer, batch_size=3)
    for i, ids in enumerate(encoded["input_ids"]):  # one example at a time, no padding
        alone = teacher(input_ids=torch.tensor([ids]), output_hidden_states=True)
        assert torch.allclose(logits[i], alone.logits[0], atol=1e-5)
        assert hidden[i].shape == (len(ids), 32)
        assert torch.allclose(hidden[i], alone.hidden_states[-1][0], atol=1e-5)


@torch.no_grad()
def test_every_training_batch_carries_its_own_examples_teacher_outputs(tiny_setup):
    """The Trainer shuffles and groups by length; the collator must still attach, row by
    row, the teacher's outputs of the example in that row."""
    teacher, tokenizer, train = tiny_setup
    encoded = kd.encode(train, tokenizer, 32)
    outputs = kd.teacher_outputs(teacher, encoded, tokenizer)
    trainer = kd.DistillationTrainer(
        model=kd.distilbert_from_teacher(teacher), teacher=teacher, train_dataset=encoded,
        args=_quiet_args(), data_collator=kd.TeacherOutputsCollator(tokenizer, *outputs))
    seen = 0
    for batch in trainer.get_train_dataloader():  # the Trainer put the teacher on its device
        batch = {key: value.to(trainer.args.device) for key, value in batch.items()}
        live = teacher(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       output_hidden_states=True)
        real = batch["attention_mask"].bool()
        assert torch.allclose(batch["teacher_logits"], live.logits, atol=1e-5)
        assert torch.allclose(batch["teacher_hidden"][real], live.hidden_states[-1][real],
                              atol=1e-5)
        seen += len(batch["input_ids"])
    assert seen == len(TEXTS)


def test_the_soft_targets_reach_the_training_loss(tiny_setup):
    """With a soft-target weight the loss depends on the teacher's logits; without, not."""
    teacher, tokenizer, train = tiny_setup
    encoded = kd.encode(train, tokenizer, 32)
    _, hidden = kd.teacher_outputs(teacher, encoded, tokenizer)
    confident = torch.tensor([[4.0, -4.0]]).repeat(len(TEXTS), 1)  # the tiny student: ~uniform
    batch_of = {}
    for name, teacher_logits in {"confident": confident, "uniform": confident * 0}.items():
        collator = kd.TeacherOutputsCollator(tokenizer, teacher_logits, hidden)
        batch_of[name] = collator([encoded[i] for i in range(len(TEXTS))])
    losses = {}
    for soft in (0.0, 1.0):
        weights = kd.LossWeights(soft=soft)
        student = kd.distilbert_from_teacher(teacher).train()
        trainer = kd.DistillationTrainer(model=student, weights=weights,
                                         args=_quiet_args(), data_collator=None)
        for name, batch in batch_of.items():
            torch.manual_seed(0)  # the same dropout masks
            on_device = {k: v.to(trainer.args.device) for k, v in batch.items()}
            losses[soft, name] = trainer.compute_loss(student, on_device).item()
    assert losses[0.0, "confident"] == pytest.approx(losses[0.0, "uniform"], abs=1e-6)
    assert losses[1.0, "confident"] > losses[1.0, "uniform"] + 0.1


def _quiet_args():
    import tempfile

    from course_utils.training import training_arguments

    return training_arguments(tempfile.mkdtemp(), 1, 1e-4, 4, 0, remove_unused_columns=False,
                              eval_strategy="no", save_strategy="no", load_best_model_at_end=False)


def test_transfer_set_is_made_from_the_training_reviews_only():
    from course_utils.data import load_reviews, split_sentences

    reviews = load_reviews()
    train = reviews["train"]
    recipe = kd.MINIATURE
    transfer = kd.transfer_set(train, masked_copies=recipe.masked_copies)
    labelled = [t for t, y in zip(transfer["text"], transfer["label"]) if y != -100]
    assert transfer["text"][:len(train)] == labelled == list(train["text"])
    sources = list(transfer["source"])
    assert sources.count("masked copy") == len(train) * recipe.masked_copies
    assert set(sources[:len(train)]) == {"labelled review"}
    masked = [t for t in transfer["text"] if "[MASK]" in t]
    assert len(masked) >= 0.9 * len(train) * recipe.masked_copies
    sentences = {s for text in train["text"] for s in split_sentences(text)}
    words = [text.split() for text in train["text"]]
    for text in transfer["text"][len(train):]:  # a sentence or a masked copy of a review
        assert text in sentences or any(
            len(w) == len(text.split()) and all(a in (b, "[MASK]") for a, b in
                                                zip(text.split(), w)) for w in words), text
    again = kd.transfer_set(train, masked_copies=recipe.masked_copies)
    assert again["text"] == transfer["text"]  # seeded: the same set on every run


@pytest.mark.parametrize("cached", [False, True])
def test_distillation_trainer_runs_a_tiny_step(cached, tiny_setup):
    teacher, tokenizer, train = tiny_setup
    validation = Dataset.from_dict({"text": ["great.", "awful."], "label": [1, 0]})
    recipe = kd.DistillationSettings(epochs=1, batch_size=4, max_length=16)
    outputs = kd.teacher_outputs(teacher, kd.encode(train, tokenizer, 16), tokenizer)
    assert outputs[0].shape == (len(TEXTS), 2) and outputs[1][0].shape[1] == 32
    student = kd.distilbert_from_teacher(teacher)
    before = {k: v.cpu().clone() for k, v in student.state_dict().items()}
    student, log = kd.distil(student, tokenizer, train, validation, teacher=teacher,
                             recipe=recipe, cached=outputs if cached else None, warmup_steps=0)
    assert any("eval_accuracy" in entry for entry in log)
    assert math.isfinite(log[-1]["train_loss"])
    after = {k: v.cpu() for k, v in student.state_dict().items()}  # the Trainer's device
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert "distilbert.transformer.layer.1.ffn.lin1.weight" in changed
    # the teacher's embeddings and first layer are kept (DistillationSettings.frozen_layers = 1)
    assert not any(k.startswith(("distilbert.embeddings", "distilbert.transformer.layer.0."))
                   for k in changed)


def test_a_random_student_keeps_only_the_teachers_embeddings(tiny_bert_classifier):
    teacher = tiny_bert_classifier(layers=4, vocab_size=30522)
    copied = kd.distilbert_from_teacher(teacher)
    random = kd.distilbert_from_teacher(teacher, random_init=True)
    for name, tensor in random.state_dict().items():
        if tensor.dim() < 2:  # biases and norms start at 0 and 1 either way
            continue
        same = torch.equal(tensor, copied.state_dict()[name])
        assert same == name.startswith("distilbert.embeddings"), name


def test_mixed_precision_settings_are_valid_training_arguments(tmp_path):
    from transformers import TrainingArguments

    from course_utils.core.runtime import context, mixed_precision

    settings = mixed_precision()
    args = TrainingArguments(output_dir=str(tmp_path), report_to="none", **settings)
    precision = context().precision  # the context's 16-bit format, or fp32
    assert (args.bf16, args.fp16) == (precision == "bf16", precision == "fp16")
    assert args.use_cpu == (context().device.type == "cpu")


def test_experiments_are_one_change_apart():
    """(d) "labelled reviews only" is the full recipe without the transfer set; (a) and (c)
    each change one more thing from (d): the loss, or the starting point."""
    def differences(x, y):
        return [f for f in ("weights", "augmented", "random_init")
                if getattr(x, f) != getattr(y, f)]

    reviews_only = kd.EXPERIMENTS["labelled reviews only"]
    assert differences(reviews_only, kd.Experiment()) == ["augmented"]
    assert differences(kd.EXPERIMENTS["hard labels only"], reviews_only) == ["weights"]
    assert differences(kd.EXPERIMENTS["random init"], reviews_only) == ["random_init"]
    assert kd.EXPERIMENTS["hard labels only"].weights.soft == 0


def test_total_ratio_checker_counts_the_student_it_names(capsys, tiny_bert_classifier):
    from course_utils.exercises import distillation as exercises
    from course_utils.exercises.solutions import distillation as solutions
    from course_utils.models import parameter_breakdown

    # a small vocabulary, so that the encoder is most of the model
    teacher = tiny_bert_classifier(layers=6, vocab_size=100)
    row = parameter_breakdown(teacher)
    exercises.check_total_ratio(solutions.total_ratio(teacher, kept_layers=2), teacher,
                                layers=[0, 3])
    exercises.check_total_ratio((row["total"] - row["encoder"] / 2) / row["total"],
                                teacher, layers=[0, 3])  # the 3-layer answer
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("✅") and "33% of the encoder is left" in first
    assert second.startswith("❌") and "67% of the encoder goes" in second
