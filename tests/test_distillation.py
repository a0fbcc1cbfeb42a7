import math

import pytest
import torch
from datasets import Dataset
from transformers import BertConfig, BertForSequenceClassification

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


def tiny_teacher(layers=4, seed=0):
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=layers,
                        num_attention_heads=4, intermediate_size=64, num_labels=2)
    return BertForSequenceClassification(config).eval()


def test_every_other_layer():
    assert kd.every_other_layer(6) == [0, 2, 4]
    assert kd.every_other_layer(12) == [0, 2, 4, 6, 8, 10]


def test_converted_student_reproduces_the_teacher_where_it_should():
    teacher = tiny_teacher()
    ids = torch.tensor([[101, 2023, 2003, 2307, 102, 0], [101, 2919, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        expected = teacher(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        full = kd.bert_to_distilbert(teacher, layers=[0, 1, 2, 3]).eval()
        got = full(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        for a, b in zip(expected.hidden_states, got.hidden_states):
            assert torch.allclose(a[mask.bool()], b[mask.bool()], atol=1e-5)
        # every other layer = the teacher truncated to layers 0 and 2
        half = kd.bert_to_distilbert(teacher).eval()
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


def test_weight_mapping_covers_every_student_parameter():
    teacher = tiny_teacher()
    student = kd.bert_to_distilbert(teacher)
    mapped = {t for _, t in kd.weight_mapping([0, 2])}
    for name, _ in student.named_parameters():
        assert name.rsplit(".", 1)[0] in mapped, name
    random = kd.bert_to_distilbert(teacher, random_init=True)
    assert not torch.equal(random.distilbert.transformer.layer[0].ffn.lin1.weight,
                           teacher.bert.encoder.layer[0].intermediate.dense.weight)


@pytest.mark.parametrize("cached", [False, True])
def test_distillation_trainer_runs_a_tiny_step(cached):
    teacher = tiny_teacher(seed=1)
    tokenizer = kd.student_tokenizer(load_tokenizer())
    train = Dataset.from_dict({"text": ["good kettle.", "bad kettle, broke.", "fine.", "meh."],
                               "label": [1, 0, -100, -100]})
    validation = Dataset.from_dict({"text": ["great.", "awful."], "label": [1, 0]})
    recipe = kd.Recipe(epochs=1, batch_size=4, max_length=16)
    outputs = kd.teacher_outputs(teacher, kd.encode(train, tokenizer, 16), tokenizer)
    assert outputs[0].shape == (4, 2) and outputs[1].shape[2] == 32
    student = kd.bert_to_distilbert(teacher)
    before = student.distilbert.transformer.layer[1].ffn.lin1.weight.clone()
    student, log = kd.distil(student, tokenizer, train, validation, teacher=teacher,
                             recipe=recipe, cached=outputs if cached else None, warmup_steps=0)
    assert any("eval_accuracy" in entry for entry in log)
    assert math.isfinite(log[-1]["train_loss"])
    assert not torch.equal(before, student.distilbert.transformer.layer[1].ffn.lin1.weight)
