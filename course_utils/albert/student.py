"""An ALBERT student made from the fine-tuned BERT teacher: its embeddings factorised by a
truncated SVD, its layers copied (not shared) or one layer repeated (all-shared)."""

from __future__ import annotations

import math

import pandas as pd
import torch
from transformers import AlbertConfig, AlbertForSequenceClassification

from .. import zoo  # the teacher's recipe, which the students are made from
from ..core import artifacts
from ..core.evaluation import REVIEW_MAX_TOKENS, evaluate
from ..core.inference import model_device
from ..core.measurement import parameter_count


def truncated_svd(matrix: torch.Tensor, rank: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(A, B)`` with ``A @ B`` the best rank-``rank`` approximation of ``matrix``.

    ``A = U_r S_r`` (rows x rank), ``B = V_r^T`` (rank x columns): a V x H embedding becomes
    a V x E lookup table and an E x H projection.
    """
    u, s, vt = torch.linalg.svd(matrix.double(), full_matrices=False)
    return (u[:, :rank] * s[:rank]).to(matrix.dtype), vt[:rank].to(matrix.dtype)


def _centred(matrix: torch.Tensor) -> torch.Tensor:
    """Rows minus their mean: LayerNorm removes the mean anyway, so nothing is lost."""
    return matrix - matrix.mean(dim=1, keepdim=True)


def student_config(teacher, embedding: int, shared: bool) -> AlbertConfig:
    """The ALBERT config that mirrors ``teacher`` (a BERT classifier) with embedding size E."""
    t = teacher.config
    return AlbertConfig(
        vocab_size=t.vocab_size, embedding_size=embedding, hidden_size=t.hidden_size,
        num_hidden_layers=t.num_hidden_layers,
        num_hidden_groups=1 if shared else t.num_hidden_layers, inner_group_num=1,
        num_attention_heads=t.num_attention_heads, intermediate_size=t.intermediate_size,
        hidden_act=t.hidden_act, hidden_dropout_prob=t.hidden_dropout_prob,
        attention_probs_dropout_prob=t.attention_probs_dropout_prob,
        max_position_embeddings=t.max_position_embeddings, type_vocab_size=t.type_vocab_size,
        layer_norm_eps=t.layer_norm_eps, classifier_dropout_prob=t.hidden_dropout_prob,
        pad_token_id=t.pad_token_id, id2label=t.id2label, label2id=t.label2id)


def _copy_layer(albert_layer, bert_layer) -> None:
    """BERT and ALBERT layers compute the same function: copy the weights across."""
    pairs = {
        "attention.query": "attention.self.query", "attention.key": "attention.self.key",
        "attention.value": "attention.self.value", "attention.dense": "attention.output.dense",
        "attention.LayerNorm": "attention.output.LayerNorm", "ffn": "intermediate.dense",
        "ffn_output": "output.dense", "full_layer_layer_norm": "output.LayerNorm",
    }
    for target, source in pairs.items():
        albert_layer.get_submodule(target).load_state_dict(
            bert_layer.get_submodule(source).state_dict())


def embedding_tables(teacher) -> list[torch.Tensor]:
    """The teacher's word, position and token-type tables, rows mean-centred."""
    emb = teacher.bert.embeddings
    return [_centred(m.weight.detach().float()) for m in (
        emb.word_embeddings, emb.position_embeddings, emb.token_type_embeddings)]


def embedding_basis(tables: list[torch.Tensor], rank: int) -> torch.Tensor:
    """Top ``rank`` right singular vectors (rank x H) of the tables stacked, each table scaled
    to unit norm first: 512 position vectors then weigh as much as 30,522 word vectors
    (without this, the positions are lost at small E and the model with them)."""
    stacked = torch.cat([table / table.norm() for table in tables])
    return truncated_svd(stacked, rank)[1]


@torch.no_grad()
def albert_from_teacher(teacher, embedding: int = 128,
                        shared_layer: int | None = None) -> AlbertForSequenceClassification:
    """An ALBERT classifier made from the BERT ``teacher`` without training.

    Embeddings: the teacher's (mean-centred) word, position and token-type vectors projected
    on their top E - 1 singular directions (a truncated SVD), stored in E dimensions
    orthogonal to the all-ones vector, so that ALBERT's LayerNorm over E then the E x H
    projection reproduce the teacher's LayerNorm over H exactly on that subspace.
    (E - 1 >= H - 1 reproduces the teacher's embeddings exactly.)
    Layers: all the teacher's layers (not shared) or layer ``shared_layer`` run at every depth.
    """
    source = teacher.bert
    config = student_config(teacher, embedding, shared=shared_layer is not None)
    student = AlbertForSequenceClassification(config).to(model_device(teacher)).eval()
    emb, target = source.embeddings, student.albert.embeddings
    tables = embedding_tables(teacher)
    rank = min(embedding - 1, config.hidden_size)
    basis = embedding_basis(tables, rank)  # rank x H, orthonormal rows
    # an E x (E - 1) orthonormal basis of the vectors whose entries sum to zero
    helmert = torch.linalg.qr(torch.cat([torch.ones(embedding, 1),
                                         torch.eye(embedding)[:, :embedding - 1]], 1))[0]
    inside = helmert[:, 1:rank + 1].double().to(basis.device)  # E x rank, where the tables are
    for table, module in zip(tables, (target.word_embeddings, target.position_embeddings,
                                      target.token_type_embeddings)):
        module.weight.copy_((table.double() @ basis.double().T @ inside.T).float())
    target.LayerNorm.weight.fill_(1.0)
    target.LayerNorm.bias.zero_()
    mapping = student.albert.encoder.embedding_hidden_mapping_in
    scale = math.sqrt(config.hidden_size / embedding)
    projection = basis.double().T @ inside.T * scale  # H x E
    mapping.weight.copy_((emb.LayerNorm.weight.double()[:, None] * projection).float())
    mapping.bias.copy_(emb.LayerNorm.bias)
    groups = student.albert.encoder.albert_layer_groups
    sources = [shared_layer] if shared_layer is not None else range(len(groups))
    for group, index in zip(groups, sources):
        _copy_layer(group.albert_layers[0], source.encoder.layer[index])
    student.albert.pooler.load_state_dict(source.pooler.dense.state_dict())
    student.classifier.load_state_dict(teacher.classifier.state_dict())
    return student


def parameter_savings(student, teacher) -> dict[str, float]:
    """Parameters of ``student`` and the share of the teacher's it saves."""
    ours, theirs = parameter_count(student), parameter_count(teacher)
    return {"parameters": ours, "saved": 1 - ours / theirs}


def svd_experiment(teacher, tokenizer, splits, sizes=(32, 64, 128), epochs: float = 1,
                   learning_rate: float = 1e-4, max_length: int = 64) -> pd.DataFrame:
    """Factorise the teacher's embeddings at each E (layers not shared), fine-tune briefly
    on the first ``max_length`` tokens of each review (:func:`training.fine_tune`: the epoch
    best on validation, where there are several epochs to choose from), measure on the whole
    test reviews (:func:`review_accuracy`). One row per E, and the teacher's.
    """
    from ..training import Settings, fine_tune

    settings = Settings(epochs=epochs, learning_rate=learning_rate, max_length=max_length)
    rows = {"teacher (V x H)": {**parameter_savings(teacher, teacher),
                                "accuracy": review_accuracy(teacher, tokenizer,
                                                            splits["test"]).value}}
    for embedding in sizes:
        student = albert_from_teacher(teacher, embedding)
        student, _ = fine_tune(student, tokenizer, splits, settings, disable_tqdm=True)
        rows[embedding] = {**parameter_savings(student, teacher),
                           "accuracy": review_accuracy(student, tokenizer,
                                                       splits["test"]).value}
    return pd.DataFrame.from_dict(rows, orient="index")


def review_accuracy(model, tokenizer, split, max_length: int = REVIEW_MAX_TOKENS):
    """Accuracy of ``model`` on a reviews split, the first ``max_length`` tokens of each
    (:func:`evaluation.evaluate`; by default the whole review, as in every lesson)."""
    return evaluate(model, tokenizer, split, max_length).accuracy


STUDENT_EMBEDDING = 128
STUDENT_SHARED_LAYER = 0
STUDENT_EPOCHS = 4


def build_albert_student():
    """The zoo's ``albert-student``: E = 128, one teacher layer shared across all six depths,
    fine-tuned on the reviews train split (selected on validation). Returns (model, tokenizer).
    """
    from ..data import load_reviews
    from ..training import Settings, fine_tune

    teacher, tokenizer = zoo.load("teacher")
    student = albert_from_teacher(teacher, STUDENT_EMBEDDING, STUDENT_SHARED_LAYER)
    student, _ = fine_tune(student, tokenizer, load_reviews(),
                           Settings(epochs=STUDENT_EPOCHS, learning_rate=1e-4, max_length=64),
                           disable_tqdm=True)
    return student, tokenizer


def reconstruction_error(teacher, sizes=(32, 64, 128, 256)) -> pd.DataFrame:
    """Relative error of the teacher's (centred) word and position tables projected on the
    rank E - 1 basis that :func:`albert_from_teacher` keeps, for each E."""
    words, positions, types = embedding_tables(teacher)
    rows = {}
    for embedding in sizes:
        basis = embedding_basis([words, positions, types], embedding - 1)
        rows[embedding] = {name: float((t - t @ basis.T @ basis).norm() / t.norm())
                           for name, t in (("word table", words), ("position table", positions))}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("E")


artifacts.register(artifacts.Recipe(
    "albert-student", artifacts.saved_pretrained(build_albert_student), 4,
    "ALBERT-style student: factorised embeddings, shared layers", after=("teacher",)))
