import pytest
import torch
from transformers import AutoModelForSequenceClassification

from course_utils import models
from course_utils.core.measurement import parameter_count
from course_utils.core.sentiment import token_limit


def _on_meta(name: str) -> torch.nn.Module:
    """The full-size reference model built on the meta device: every parameter's shape, no
    memory and no initialisation (counts do not depend on the weights' values)."""
    with torch.device("meta"):
        return models.build_reference_model(name)


@pytest.mark.parametrize("name", list(models.REFERENCE_CONFIGS))
def test_reference_models_have_the_hub_parameter_counts(name):
    model = _on_meta(name)
    parts = models.parameter_breakdown(model)
    assert parts["total"] == models.REFERENCE_PARAMETER_COUNTS[name]
    assert parts["embeddings"] + parts["encoder"] + parts["head"] == parts["total"]
    assert model.config.model_type == models.REFERENCE_CONFIGS[name]["model_type"]


def test_breakdown_of_known_parts():
    parts = models.parameter_breakdown(_on_meta("distilbert-base-uncased"))
    assert parts["head"] == 0  # DistilBERT has no pooler
    bert = models.parameter_breakdown(_on_meta("bert-base-uncased"))
    assert bert["head"] == 768 * 768 + 768  # the pooler
    assert bert["embeddings"] == (30522 + 512 + 2) * 768 + 2 * 768


def test_a_real_build_has_the_meta_count_and_leaves_the_callers_generator_alone():
    """Lessons count parameters on the meta device; a real build (a small one) has the count
    of the same build on meta, and drawing its weights does not move the caller's seed."""
    small = {"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 2,
             "intermediate_size": 128}
    with torch.device("meta"):
        counted = parameter_count(models.build_reference_model("bert-base-uncased", **small))
    torch.manual_seed(7)
    expected = torch.rand(1)
    torch.manual_seed(7)
    model = models.build_reference_model("bert-base-uncased", **small)
    assert torch.rand(1) == expected  # the build drew from its own generator
    assert parameter_count(model) == counted and not model.training


def test_reference_builds_are_seeded():
    tiny = {"vocab_size": 100, "num_hidden_layers": 1, "hidden_size": 32,
            "num_attention_heads": 2, "intermediate_size": 64}
    first, again, other = (models.build_reference_model("bert-base-uncased", seed=s, **tiny)
                           for s in (1, 1, 2))
    assert not first.training
    assert torch.equal(first.pooler.dense.weight, again.pooler.dense.weight)
    assert not torch.equal(first.pooler.dense.weight, other.pooler.dense.weight)


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match="known models: bert-base-uncased"):
        models.reference_config("bert-huge")
    with pytest.raises(ValueError, match="known models"):
        models.load_pretrained("no-such-model")
    with pytest.raises(TypeError, match="string"):
        models.load_tokenizer(42)


def test_hub_names_need_online_mode():
    with pytest.raises(RuntimeError, match="COURSE_MODE is offline"):
        models.resolve_checkpoint("roberta-base")


def test_online_mode_resolves_hub_names(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "online")
    assert models.resolve_checkpoint() == "google-bert/bert-base-uncased"
    assert models.resolve_checkpoint("albert-base-v2") == "albert/albert-base-v2"
    assert models.resolve_checkpoint("FacebookAI/roberta-base") == "FacebookAI/roberta-base"
    sst2 = models.SST2_CHECKPOINTS["roberta"]
    assert models.resolve_checkpoint(sst2) == sst2  # textattack's were never renamed


def test_canonical_names_work_offline_where_no_download_is_needed():
    config = models.reference_config("google-bert/bert-base-uncased")
    assert config.to_dict() == models.reference_config("bert-base-uncased").to_dict()
    with pytest.raises(RuntimeError, match="COURSE_MODE is offline"):
        models.resolve_checkpoint("distilbert/distilbert-base-uncased")


def test_offline_default_is_the_packaged_encoder():
    tokenizer = models.load_tokenizer()
    encoder = models.load_pretrained()
    assert tokenizer.tokenize("Unbelievable!") == ["unbelievable", "!"]
    assert encoder.config.hidden_size == 384 and encoder.config.num_hidden_layers == 6
    with torch.inference_mode():
        out = encoder(**tokenizer("a fine kettle", return_tensors="pt").to(encoder.device))
    assert out.last_hidden_state.shape == (1, 5, 384)


def test_local_folders_load_through_the_same_path(tmp_path):
    model = models.load_pretrained(None, AutoModelForSequenceClassification, num_labels=2)
    model.save_pretrained(tmp_path)
    assert (tmp_path / "model.safetensors").exists()
    again = models.load_pretrained(str(tmp_path), AutoModelForSequenceClassification)
    assert torch.equal(again.classifier.weight, model.classifier.weight)


RAN: list[str] = []


def _ran() -> None:
    RAN.append("code in a pickle")


class _Payload:
    """Unpickled, it runs code: what a malicious ``pytorch_model.bin`` would hold."""

    def __reduce__(self):
        return _ran, ()


def test_a_bin_checkpoint_loads_only_as_tensors(tmp_path, tiny_bert_classifier):
    """A checkpoint without safetensors loads from its ``.bin`` under ``weights_only``: the
    tensors load, a pickle that would run code is refused (and the code never runs)."""
    model = tiny_bert_classifier()
    model.save_pretrained(tmp_path)
    (tmp_path / "model.safetensors").unlink()
    torch.save(model.state_dict(), tmp_path / "pytorch_model.bin")
    loaded = models.load_pretrained(str(tmp_path), AutoModelForSequenceClassification)
    assert loaded.device.type == models.course_device().type  # the course's device
    assert torch.equal(loaded.classifier.weight.cpu(), model.classifier.weight)
    torch.save({**model.state_dict(), "payload": _Payload()}, tmp_path / "pytorch_model.bin")
    with pytest.raises(Exception, match="[Ww]eights only load failed"):
        models.load_pretrained(str(tmp_path), AutoModelForSequenceClassification)
    assert RAN == []


def test_generic_labels_are_named_from_the_one_table():
    from transformers import BertConfig

    config = BertConfig(num_labels=2)
    assert config.id2label == {0: "LABEL_0", 1: "LABEL_1"}
    models.name_generic_labels(config, models.SST2_CHECKPOINTS["albert"])
    assert config.id2label == {0: "NEGATIVE", 1: "POSITIVE"}
    assert config.label2id == {"NEGATIVE": 0, "POSITIVE": 1}
    named = BertConfig(id2label={0: "bad", 1: "good"})
    models.name_generic_labels(named, models.SST2_CHECKPOINTS["albert"])
    assert named.id2label == {0: "bad", 1: "good"}  # a config that names them is left alone
    other = BertConfig(num_labels=2)
    models.name_generic_labels(other, "someone/else")
    assert other.id2label == {0: "LABEL_0", 1: "LABEL_1"}


def test_token_limit_leaves_out_robertas_padding_offset():
    """roberta-base has 514 positions, but its position ids start after the padding id (1),
    so 512 tokens at most; BERT-style tables use every position."""
    from transformers import AutoModel, BertConfig, RobertaConfig

    tiny = {"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 32, "vocab_size": 50}
    roberta = AutoModel.from_config(RobertaConfig(max_position_embeddings=514, **tiny))
    bert = AutoModel.from_config(BertConfig(max_position_embeddings=512, **tiny))

    class Unlimited:
        model_max_length = int(1e30)  # what a tokenizer without a limit reports

    assert token_limit(roberta, Unlimited) == 512
    assert token_limit(bert, Unlimited) == 512
    Unlimited.model_max_length = 128
    assert token_limit(roberta, Unlimited) == 128


def test_load_encoder_keeps_its_weights_policy():
    with pytest.raises(TypeError, match="weights policy"):
        models.load_pretrained(None, use_safetensors=False)
    with pytest.raises(TypeError, match="weights_only"):
        models.load_pretrained(None, weights_only=False)


def test_online_mode_with_the_hub_libraries_offline_says_so(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "online")
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    with pytest.raises(RuntimeError, match="HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE"):
        models.resolve_checkpoint("roberta-base")
