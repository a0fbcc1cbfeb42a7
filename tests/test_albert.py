"""Lesson 04: ALBERT's parameter formulas, the SVD factorisation, the student, SOP/NSP."""

import subprocess
import sys

import pytest
import torch
from transformers import AlbertModel, AutoModelForSequenceClassification

from course_utils import albert
from course_utils.core.measurement import parameter_count

SMALL = {"vocab": 500, "hidden": 32, "layers": 3, "ffn": 48}


@pytest.mark.parametrize("embedding", [8, 16, 32, 64])
@pytest.mark.parametrize("scheme", albert.SCHEMES)
def test_formula_equals_instantiated_model(embedding, scheme):
    config = albert.albert_config(embedding=embedding, max_position_embeddings=64, **SMALL)
    model = albert.build_shared_albert(config, scheme)
    assert parameter_count(model) == albert.config_parameters(config, scheme)


def test_all_shared_matches_transformers_own_sharing():
    config = albert.albert_config(embedding=16, **SMALL)
    native = AlbertModel(config)  # num_hidden_groups=1 by default
    assert parameter_count(native) == albert.config_parameters(config, "all-shared")


def test_partial_sharing_ties_the_same_tensor():
    config = albert.albert_config(embedding=16, **SMALL)
    model = albert.build_shared_albert(config, "attention-only")
    layers = [g.albert_layers[0] for g in model.encoder.albert_layer_groups]
    assert layers[0].attention.query.weight is layers[2].attention.query.weight
    assert layers[0].ffn.weight is not layers[2].ffn.weight


def test_paper_table_agrees():
    table = albert.paper_table()
    assert table["within 2M"].all()
    assert albert.sharing_table(sizes=(128,))["equal"].all()


def test_break_even():
    vocab, hidden = 30000, 768
    even = albert.break_even_embedding(vocab, hidden)
    assert albert.word_embedding_parameters(vocab, hidden, even) < vocab * hidden
    assert albert.word_embedding_parameters(vocab, hidden, even + 1) >= vocab * hidden


def test_break_even_checker_fails_an_answer_without_the_projection_biases(monkeypatch, capsys):
    from course_utils.exercises import albert as exercises
    from course_utils.exercises.solutions import albert as answers

    monkeypatch.delenv("COURSE_EXERCISES_STRICT", raising=False)
    exercises.check_break_even(lambda vocab, hidden: (vocab * hidden - 1) // (vocab + hidden))
    exercises.check_break_even(answers.break_even)
    wrong, right = capsys.readouterr().out.splitlines()
    assert wrong.startswith("❌") and "V=9, H=3 you gave 2" in wrong
    assert right.startswith("✅")


def test_svd_full_rank_reproduces_the_matrix():
    matrix = torch.randn(40, 12, generator=torch.Generator().manual_seed(0))
    a, b = albert.truncated_svd(matrix, 12)
    assert a.shape == (40, 12) and b.shape == (12, 12)
    assert torch.allclose(a @ b, matrix, atol=1e-5)
    a, b = albert.truncated_svd(matrix, 4)
    assert (a @ b - matrix).norm() < matrix.norm()


def test_student_at_full_rank_reproduces_the_teacher(tiny_bert_classifier):
    teacher = tiny_bert_classifier()
    ids = torch.randint(1, 200, (2, 10), generator=torch.Generator().manual_seed(1))
    student = albert.albert_from_teacher(teacher, embedding=33)
    with torch.no_grad():
        assert torch.allclose(student(input_ids=ids).logits, teacher(input_ids=ids).logits,
                              atol=1e-4)


def test_shared_student_saves_and_reloads(tmp_path, tiny_bert_classifier):
    teacher = tiny_bert_classifier()
    student = albert.albert_from_teacher(teacher, embedding=8, shared_layer=1)
    assert len(student.albert.encoder.albert_layer_groups) == 1
    student.save_pretrained(tmp_path, safe_serialization=True)
    loaded = AutoModelForSequenceClassification.from_pretrained(tmp_path).eval()
    ids = torch.randint(1, 200, (1, 7), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert torch.equal(loaded(input_ids=ids).logits, student(input_ids=ids).logits)
    assert loaded.config.embedding_size == 8 and loaded.config.num_hidden_groups == 1


def test_order_examples_are_balanced():
    split = {"text": ["One. Two. Three.", "Alpha! Beta?", "Single sentence."],
             "category": ["a", "b", "a"]}
    examples = albert.order_examples(split)
    assert set(examples["task"]) == {"NSP", "SOP"}
    assert len(examples) == 4 * 3  # three consecutive pairs, four examples each
    assert examples.groupby("task")["label"].mean().eq(0.5).all()
    swapped = examples[(examples["task"] == "SOP") & (examples["label"] == 0)]
    assert list(swapped.iloc[0][["first", "second"]]) == ["Two.", "One."]


def test_explorer_row_and_static_table():
    row = albert.explorer_row(30000, 768, 128, 12, "all-shared")
    assert row["parameters (M)"] == pytest.approx(11.7, abs=0.1)
    assert row["parameters vs BERT"] < 0.11
    assert len(albert.static_table()) == 4


def test_import_needs_no_widget_or_plotting_stack():
    """The zoo builds the ALBERT student from this package: importing it must not pull in
    ipywidgets or matplotlib (only the widget and the figures import them)."""
    code = ("import sys, course_utils.albert; "
            "from course_utils.albert import albert_from_teacher, build_albert_student; "
            'assert "ipywidgets" not in sys.modules and "matplotlib" not in sys.modules, '
            '[m for m in ("ipywidgets", "matplotlib") if m in sys.modules]')
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr

