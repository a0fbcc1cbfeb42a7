import pytest

from course_utils import architecture, bench, models
from course_utils.exercises import architecture as exercises
from course_utils.widgets import architecture_row


def test_config_table_reads_every_naming_scheme():
    table = architecture.config_table()
    assert table.loc["distilbert-base-uncased", "layers"] == 6
    assert table.loc["distilbert-base-uncased", "hidden"] == 768
    assert table.loc["albert-base-v2", "embedding"] == 128
    assert table.loc["albert-base-v2", "shared_groups"] == 1
    assert table.loc["roberta-base", "positions"] == 514
    assert table.loc["roberta-base", "token_types"] == 1


@pytest.mark.parametrize("name", list(models.REFERENCE_CONFIGS))
def test_meta_count_equals_the_built_model(name):
    config = models.reference_config(name)
    assert architecture.meta_parameter_count(config) == models.PAPER_PARAMETER_COUNTS[name]


def test_flops_follow_the_matmul_weights():
    bert = models.reference_config("bert-base-uncased")
    hidden, ffn, layers = 768, 3072, 12
    assert architecture.flops_per_token(bert, 0) == 2 * layers * (4 * hidden**2 + 2 * hidden * ffn)
    attention = architecture.flops_per_token(bert, 128) - architecture.flops_per_token(bert, 0)
    assert attention == 2 * layers * 2 * 128 * hidden
    distil = models.reference_config("distilbert-base-uncased")
    assert architecture.flops_per_token(distil, 128) * 2 == architecture.flops_per_token(bert, 128)
    albert = models.reference_config("albert-base-v2")
    extra = architecture.flops_per_token(albert, 128) - architecture.flops_per_token(bert, 128)
    assert extra == 2 * 128 * 768  # the E -> H projection; sharing changes nothing


def test_trace_shows_one_shared_module_for_albert():
    tokenizer = models.load_tokenizer()
    inputs = dict(tokenizer("a b c", return_tensors="pt", return_token_type_ids=False))
    trace = architecture.trace_shapes(models.build_reference_model("albert-base-v2"), inputs)
    layers = trace[trace["stage"].str.startswith("layer")]
    assert len(layers) == 12 and layers["module"].nunique() == 1
    assert trace.iloc[1]["shape"] == (1, 5, 128) and trace.iloc[-1]["shape"] == (1, 768)


def test_input_layouts():
    tokenizer = models.load_tokenizer()
    bert = architecture.input_layout("bert-base-uncased", tokenizer, "a b", "c")
    assert list(bert.loc["token"]) == ["[CLS]", "a", "b", "[SEP]", "c", "[SEP]"]
    assert list(bert.loc["token type"]) == [0, 0, 0, 0, 1, 1]
    roberta = architecture.input_layout("roberta-base", tokenizer, "a b", "c")
    assert list(roberta.loc["token"]) == ["<s>", "a", "b", "</s>", "</s>", "c", "</s>"]
    assert "token type" not in roberta.index
    single = architecture.input_layout("distilbert-base-uncased", tokenizer, "a")
    assert list(single.loc["token"]) == ["[CLS]", "a", "[SEP]"]


def test_interleaved_latency_times_every_model():
    encoder = models.load_encoder()
    timings = bench.interleaved_latency({"a": encoder, "b": encoder}, 2, 16, warmup=1, repeats=3)
    assert set(timings) == {"a", "b"} and all(len(t.times) == 3 for t in timings.values())


def test_architecture_row_without_timing():
    row = architecture_row("minilm", models.load_encoder(), 128, measure=False)
    assert row["parameters (M)"] == 22.7 and "latency ms" not in row


def test_exercise_checkers(capsys):
    from course_utils.exercises.solutions.architecture import bert_parameters

    exercises.check_bert_large(bert_parameters)
    exercises.check_bert_large(lambda **sizes: bert_parameters(**sizes) - 1)
    exercises.check_fastest(None, {"a": 1.0})
    exercises.check_fastest("b", {"a": 1.0, "b": 2.0})
    exercises.check_fastest("b", {"a": 9.0, "b": 2.0, "c": 4.0})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("✅") and lines[1].startswith("❌ Not yet: 335,141,887 is -1 off")
    assert lines[2].startswith("⏳") and lines[3].startswith("❌")
    assert lines[4] == "✅ b is the fastest here: 2 ms, against 4 ms for the next, c."
