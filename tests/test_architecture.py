import pytest
import torch
from transformers import AlbertConfig, AutoModel, BertConfig, DistilBertConfig

from course_utils import architecture, models
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
    assert architecture.meta_parameter_count(config) == models.REFERENCE_PARAMETER_COUNTS[name]


TINY = {"vocab_size": 100, "max_position_embeddings": 64, "attn_implementation": "eager"}
"""Tiny configs share these; eager attention, so FlopCounterMode sees the two attention
matmuls (it counts no FLOPs inside CPU scaled-dot-product attention)."""

TINY_CONFIGS = {
    "bert": lambda: BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                               intermediate_size=128, **TINY),
    "distilbert": lambda: DistilBertConfig(dim=64, n_layers=3, n_heads=4, hidden_dim=96,
                                           **TINY),
    "albert shared": lambda: AlbertConfig(embedding_size=16, hidden_size=64,
                                          num_hidden_layers=3, num_attention_heads=4,
                                          intermediate_size=128, **TINY),
    "albert not shared": lambda: AlbertConfig(embedding_size=16, hidden_size=64,
                                              num_hidden_layers=3, num_hidden_groups=3,
                                              num_attention_heads=4, intermediate_size=128,
                                              **TINY),
}


def _counted_flops_per_token(config, batch: int, seq_len: int) -> float:
    """Matmul FLOPs (2 m n k) of one forward pass, counted by torch, per input token. The
    bare encoder without its pooler, whose one [CLS] projection is not per token."""
    from torch.utils.flop_counter import FlopCounterMode

    torch.manual_seed(0)
    pooled = {} if config.model_type == "distilbert" else {"add_pooling_layer": False}
    model = AutoModel.from_config(config, **pooled).eval()
    ids = torch.randint(5, config.vocab_size, (batch, seq_len))
    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        model(input_ids=ids)
    return counter.get_total_flops() / (batch * seq_len)


@pytest.mark.parametrize("seq_len", [16, 40])
@pytest.mark.parametrize("name", list(TINY_CONFIGS))
def test_flops_per_token_equal_torchs_flop_counter(name, seq_len):
    """The formula models every matmul (projections, FFN, the two attention products, ALBERT's
    E x H projection) and nothing else; FlopCounterMode counts exactly the matmuls (not
    softmax, LayerNorm or GELU), so the two agree to the FLOP."""
    config = TINY_CONFIGS[name]()
    counted = _counted_flops_per_token(config, batch=2, seq_len=seq_len)
    assert architecture.flops_per_token(config, seq_len) == counted


def test_sharing_layers_changes_no_flops():
    shared, separate = TINY_CONFIGS["albert shared"](), TINY_CONFIGS["albert not shared"]()
    assert architecture.flops_per_token(shared, 16) == architecture.flops_per_token(separate, 16)


def test_trace_shows_one_shared_module_for_albert():
    inputs = {"input_ids": torch.tensor([[2, 10, 11, 12, 3]])}
    torch.manual_seed(0)
    shared = AutoModel.from_config(TINY_CONFIGS["albert shared"]()).eval()
    trace = architecture.trace_shapes(shared, inputs)
    layers = trace[trace["stage"].str.startswith("layer")]
    assert len(layers) == 3 and layers["module"].nunique() == 1
    assert trace.iloc[1]["shape"] == (1, 5, 16) and trace.iloc[-1]["shape"] == (1, 64)
    separate = AutoModel.from_config(TINY_CONFIGS["albert not shared"]()).eval()
    separate_layers = architecture.trace_shapes(separate, inputs)["module"].iloc[2:-1]
    assert separate_layers.nunique() == 3


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


def test_architecture_row_without_timing():
    row = architecture_row("minilm", models.load_pretrained(), 128, measure=False)
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
