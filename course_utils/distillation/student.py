"""The student made from the teacher: BERT -> DistilBERT (every other layer; no token-type
embeddings, no pooler), with the weight mapping spelled out, and the check that the converted
model reproduces the teacher's hidden states."""

from __future__ import annotations

import torch
from transformers import DistilBertConfig, DistilBertForSequenceClassification

from ..core.inference import model_device
from ..core.runtime import course_seed

EMBEDDING_MAPPING = {
    "embeddings.word_embeddings": "embeddings.word_embeddings",
    "embeddings.position_embeddings (+ token type 0)": "embeddings.position_embeddings",
    "embeddings.LayerNorm": "embeddings.LayerNorm",
}
"""BERT embedding module -> DistilBERT module. DistilBERT has no token types: BERT adds
``token_type_embeddings[0]`` to every position of a single text, so that vector is folded
into the position embeddings and the outputs stay identical."""

LAYER_MAPPING = {
    "attention.self.query": "attention.q_lin",
    "attention.self.key": "attention.k_lin",
    "attention.self.value": "attention.v_lin",
    "attention.output.dense": "attention.out_lin",
    "attention.output.LayerNorm": "sa_layer_norm",
    "intermediate.dense": "ffn.lin1",
    "output.dense": "ffn.lin2",
    "output.LayerNorm": "output_layer_norm",
}
"""Inside one layer: BERT ``encoder.layer.i.<name>`` -> DistilBERT
``transformer.layer.j.<name>``."""

HEAD_MAPPING = {"pooler.dense": "pre_classifier", "classifier": "classifier"}
"""The head: BERT's pooler (tanh) becomes DistilBERT's pre-classifier (ReLU), so the head's
outputs differ at first and are retrained; the encoder's hidden states do not."""


def every_other_layer(n_teacher_layers: int) -> list[int]:
    """Teacher layers the student starts from: 0, 2, 4, ... (half of them)."""
    return list(range(0, n_teacher_layers, 2))


def distilbert_config(teacher_config, n_layers: int) -> DistilBertConfig:
    """A DistilBERT config with the teacher's width, vocabulary and labels, ``n_layers`` deep."""
    return DistilBertConfig(
        vocab_size=teacher_config.vocab_size, dim=teacher_config.hidden_size,
        n_layers=n_layers, n_heads=teacher_config.num_attention_heads,
        hidden_dim=teacher_config.intermediate_size, activation=teacher_config.hidden_act,
        max_position_embeddings=teacher_config.max_position_embeddings,
        dropout=teacher_config.hidden_dropout_prob,
        attention_dropout=teacher_config.attention_probs_dropout_prob,
        pad_token_id=teacher_config.pad_token_id, num_labels=teacher_config.num_labels,
        id2label=dict(teacher_config.id2label), label2id=dict(teacher_config.label2id),
        seq_classif_dropout=0.1,
    )


def weight_mapping(layers: list[int]) -> list[tuple[str, str]]:
    """Every (BERT module, DistilBERT module) pair copied, in order, for the chosen layers."""
    pairs = [(f"bert.{b}", f"distilbert.{d}") for b, d in EMBEDDING_MAPPING.items()]
    for j, i in enumerate(layers):
        pairs += [(f"bert.encoder.layer.{i}.{b}", f"distilbert.transformer.layer.{j}.{d}")
                  for b, d in LAYER_MAPPING.items()]
    pairs += [(f"bert.{b}" if b.startswith("pooler") else b, d) for b, d in HEAD_MAPPING.items()]
    return pairs


def _module(model, name: str):
    return model.get_submodule(name.split(" ")[0])


@torch.no_grad()
def distilbert_from_teacher(teacher, layers: list[int] | None = None,
                       random_init: bool = False, seed: int | None = None):
    """A ``DistilBertForSequenceClassification`` built from the BERT teacher's weights.

    ``layers`` are the teacher layers to copy (default: every other one); ``random_init``
    copies only the embeddings (the vocabulary and positions) and leaves every layer and the
    head random (the paper's ablation). ``seed`` (None: the run's) draws the weights not
    copied, without touching the caller's random generators.
    """
    layers = every_other_layer(teacher.config.num_hidden_layers) if layers is None else layers
    config = distilbert_config(teacher.config, len(layers))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(course_seed() if seed is None else seed)
        student = DistilBertForSequenceClassification(config)
    student.to(model_device(teacher))  # copied across on the teacher's device
    mapping = weight_mapping(layers)
    for source, target in mapping[:len(EMBEDDING_MAPPING)] if random_init else mapping:
        src, dst = _module(teacher, source), _module(student, target)
        for name, tensor in dst.named_parameters(recurse=False):
            tensor.copy_(getattr(src, name))
    token_type = teacher.bert.embeddings.token_type_embeddings.weight[0]
    student.distilbert.embeddings.position_embeddings.weight.add_(token_type)
    return student


def student_tokenizer(teacher_tokenizer):
    """The teacher's tokenizer, without token-type ids (DistilBERT takes none)."""
    from copy import deepcopy

    tokenizer = deepcopy(teacher_tokenizer)
    tokenizer.model_input_names = ["input_ids", "attention_mask"]
    return tokenizer


def mapping_table(layers: list[int]):
    """The weight mapping as a table: BERT module, DistilBERT module, parameters copied."""
    import pandas as pd

    rows = [{"teacher (BERT)": s, "student (DistilBERT)": t} for s, t in weight_mapping(layers)]
    return pd.DataFrame(rows)


@torch.no_grad()
def conversion_table(teacher, tokenizer, texts: list[str], atol: float = 1e-4):
    """Does the converted DistilBERT reproduce the teacher's hidden states? Two cases: all
    layers against the teacher, every other layer against the teacher truncated to them."""
    import copy

    import pandas as pd

    batch = tokenizer(texts, padding=True, truncation=True, max_length=128,
                      return_tensors="pt").to(model_device(teacher))
    real = batch["attention_mask"].bool()
    n = teacher.config.num_hidden_layers
    rows = []
    for layers in (list(range(n)), every_other_layer(n)):
        reference = copy.deepcopy(teacher).eval()
        reference.bert.encoder.layer = torch.nn.ModuleList(
            [reference.bert.encoder.layer[i] for i in layers])
        expected = reference(**batch, output_hidden_states=True).hidden_states
        student = distilbert_from_teacher(teacher, layers).eval()
        got = student(**batch, output_hidden_states=True).hidden_states
        worst = max((a[real] - b[real]).abs().max().item() for a, b in zip(expected, got))
        rows.append({"student layers": str(layers), "compared with": f"teacher layers {layers}",
                     "hidden states compared": len(got),
                     f"all equal within {atol:g}": worst < atol})
    return pd.DataFrame(rows)
