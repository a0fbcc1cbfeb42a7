"""ALBERT's two parameter reductions, counted, built and tried on the course's teacher.

- Factorised embeddings: a V x H word matrix becomes V x E + E x H.
- Cross-layer sharing: all-shared (ALBERT), attention-only, FFN-only, not-shared.
- Formulas for both, equal to the instantiated ``transformers`` models to the parameter.
- An ALBERT student made from the fine-tuned BERT teacher: its embeddings factorised by a
  truncated SVD, its layers copied (not shared) or one layer repeated (all-shared).
- Sentence-order prediction (SOP) versus next-sentence prediction (NSP), probed.
- A parameter explorer widget with a static fallback table.
"""

from __future__ import annotations

import itertools
import math
import random
from functools import partial

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from IPython.display import display
from transformers import AlbertConfig, AlbertForSequenceClassification, AlbertModel

from .architecture import dims, flops_per_token
from .data import split_sentences
from .evaluation import REVIEW_MAX_TOKENS, evaluate
from .models import parameter_count as count_parameters  # a shared tensor counts once
from .plots import finish_figure
from .probes import order_probe, pair_features, sentence_vectors  # noqa: F401 (lesson 04)

SCHEMES = ("all-shared", "attention-only", "ffn-only", "not-shared")
"""Cross-layer sharing schemes of the paper's Table 4."""

ALBERT_BASE = {"vocab": 30000, "hidden": 768, "layers": 12, "ffn": 3072}
"""ALBERT-base's sizes (E varies in the paper's Tables 3 and 4)."""

PAPER_PARAMETERS_M = {
    (64, "not-shared"): 87, (128, "not-shared"): 89, (256, "not-shared"): 93,
    (768, "not-shared"): 108, (64, "all-shared"): 10, (128, "all-shared"): 12,
    (256, "all-shared"): 16, (768, "all-shared"): 31, (768, "attention-only"): 83,
    (768, "ffn-only"): 57, (128, "attention-only"): 64, (128, "ffn-only"): 38,
}
"""ALBERT-base parameters in millions, (E, sharing) -> Lan et al. 2020, Tables 3 and 4."""


# ---------------------------------------------------------------- formulas


def word_embedding_parameters(vocab: int, hidden: int, embedding: int | None = None) -> int:
    """V x H, or V x E + E x H when factorised (the projection's bias counted too)."""
    if embedding is None:
        return vocab * hidden
    return vocab * embedding + embedding * hidden + hidden


def break_even_embedding(vocab: int, hidden: int) -> int:
    """Largest E for which V x E + E x H (+ bias) is still smaller than V x H."""
    return (vocab * hidden - hidden - 1) // (vocab + hidden)


def attention_parameters(hidden: int) -> int:
    """One attention block: Q, K, V and output projections with biases, and its LayerNorm."""
    return 4 * (hidden * hidden + hidden) + 2 * hidden


def ffn_parameters(hidden: int, ffn: int) -> int:
    """One feed-forward block: H -> F -> H with biases, and the layer's final LayerNorm."""
    return hidden * ffn + ffn + ffn * hidden + hidden + 2 * hidden


def albert_parameters(vocab: int, hidden: int, embedding: int, layers: int, ffn: int,
                      scheme: str = "all-shared", positions: int = 512,
                      token_types: int = 2) -> dict[str, int]:
    """Parameters of an ``AlbertModel`` (with pooler) by part, for a sharing ``scheme``.

    Embeddings live in E dimensions (words, positions, token types, a LayerNorm); the E x H
    projection follows; attention and FFN blocks are stored once when shared, ``layers``
    times when not.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown sharing scheme {scheme!r}; choose from {SCHEMES}")
    copies_attention = 1 if scheme in ("all-shared", "attention-only") else layers
    copies_ffn = 1 if scheme in ("all-shared", "ffn-only") else layers
    parts = {
        "embeddings": (vocab + positions + token_types) * embedding + 2 * embedding,
        "projection": embedding * hidden + hidden,
        "attention": copies_attention * attention_parameters(hidden),
        "ffn": copies_ffn * ffn_parameters(hidden, ffn),
        "pooler": hidden * hidden + hidden,
    }
    return {**parts, "total": sum(parts.values())}


def config_parameters(config: AlbertConfig, scheme: str = "all-shared") -> int:
    """:func:`albert_parameters` total for an ``AlbertConfig`` (via ``architecture.dims``)."""
    d = dims(config)
    return albert_parameters(d["vocab"], d["hidden"], d["embedding"], d["layers"], d["ffn"],
                             scheme, d["positions"], d["token_types"])["total"]


def albert_config(vocab: int = 30000, hidden: int = 768, embedding: int = 128,
                  layers: int = 12, ffn: int | None = None, **overrides) -> AlbertConfig:
    """An ``AlbertConfig`` from sizes (64-dimensional heads, FFN 4H unless given)."""
    fields = {"vocab_size": vocab, "hidden_size": hidden, "embedding_size": embedding,
              "num_hidden_layers": layers, "num_attention_heads": max(1, hidden // 64),
              "intermediate_size": ffn or 4 * hidden, "hidden_act": "gelu_new", **overrides}
    return AlbertConfig(**fields)


# ---------------------------------------------------------------- shared models


def build_shared_albert(config: AlbertConfig, scheme: str = "all-shared") -> AlbertModel:
    """An ``AlbertModel`` with ``scheme``'s sharing (random weights).

    ``transformers`` covers all-shared (``num_hidden_groups=1``) and not-shared (one group per
    layer). For attention-only and FFN-only we build the not-shared model and point every
    layer's attention (or FFN) modules at layer 0's: the weights are then one tensor, counted
    once by ``parameters()`` and updated once by an optimiser.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown sharing scheme {scheme!r}; choose from {SCHEMES}")
    groups = 1 if scheme == "all-shared" else config.num_hidden_layers
    config = AlbertConfig(**{**config.to_dict(), "num_hidden_groups": groups,
                             "inner_group_num": 1})
    model = AlbertModel(config)
    layers = [group.albert_layers[0] for group in model.encoder.albert_layer_groups]
    names = {"attention-only": ("attention",),
             "ffn-only": ("ffn", "ffn_output", "full_layer_layer_norm")}.get(scheme, ())
    for layer in layers[1:]:
        for name in names:
            setattr(layer, name, getattr(layers[0], name))
    return model


def meta_count(config: AlbertConfig, scheme: str) -> int:
    """Parameters of :func:`build_shared_albert` built on the meta device (no memory)."""
    with torch.device("meta"):
        return count_parameters(build_shared_albert(config, scheme))


def sharing_check(sizes=(64, 128, 256, 768), **base) -> pd.DataFrame:
    """Formula versus instantiated ALBERT-base (meta device), for every E and scheme."""
    base = {**ALBERT_BASE, **base}
    rows = []
    for embedding in sizes:
        config = albert_config(embedding=embedding, **base)
        for scheme in SCHEMES:
            formula, built = config_parameters(config, scheme), meta_count(config, scheme)
            rows.append({"E": embedding, "sharing": scheme, "formula": formula,
                         "instantiated": built, "equal": formula == built})
    return pd.DataFrame(rows)


def paper_table() -> pd.DataFrame:
    """The paper's Table 3/4 parameter columns next to our arithmetic (millions).

    The paper rounds to whole millions and quotes BERT-base's usual 108M for the E = 768
    not-shared model; counted exactly (V = 30,000, with pooler) it has 109.7M.
    """
    rows = []
    for (embedding, scheme), paper in PAPER_PARAMETERS_M.items():
        ours = albert_parameters(ALBERT_BASE["vocab"], ALBERT_BASE["hidden"], embedding,
                                 ALBERT_BASE["layers"], ALBERT_BASE["ffn"], scheme)["total"]
        rows.append({"E": embedding, "sharing": scheme, "paper (M)": paper,
                     "formula (M)": round(ours / 1e6, 1),
                     "difference (M)": round(ours / 1e6 - paper, 1),
                     "within 2M": abs(ours / 1e6 - paper) <= 2})
    return pd.DataFrame(rows).sort_values(["E", "sharing"], ignore_index=True)


def plot_embedding_parameters(vocab: int = 30000, hidden: int = 768, sizes=None):
    """Word-embedding parameters over E: V x H (flat) versus V x E + E x H, and break-even."""
    sizes = np.array(sizes if sizes is not None else range(16, 1025, 16))
    factorised = [word_embedding_parameters(vocab, hidden, int(e)) / 1e6 for e in sizes]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(sizes, factorised, label="V x E + E x H (factorised)", color="#4C72B0")
    ax.axhline(vocab * hidden / 1e6, color="#C44E52", linestyle="--", label="V x H (BERT)")
    even = break_even_embedding(vocab, hidden)
    ax.axvline(even, color="grey", linewidth=0.8)
    ax.text(even, 1, f" break-even E = {even}", color="grey")
    ax.scatter([128], [word_embedding_parameters(vocab, hidden, 128) / 1e6], color="black",
               zorder=3, label="ALBERT's E = 128")
    ax.set_xlabel("embedding size E")
    ax.set_ylabel("word-embedding parameters (M)")
    ax.set_title(f"Factorised embeddings, V = {vocab:,}, H = {hidden}")
    ax.legend(loc="lower right")
    return finish_figure(fig)


# ---------------------------------------------------------------- SVD and the student


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
    student = AlbertForSequenceClassification(config).eval()
    emb, target = source.embeddings, student.albert.embeddings
    tables = embedding_tables(teacher)
    rank = min(embedding - 1, config.hidden_size)
    basis = embedding_basis(tables, rank)  # rank x H, orthonormal rows
    # an E x (E - 1) orthonormal basis of the vectors whose entries sum to zero
    helmert = torch.linalg.qr(torch.cat([torch.ones(embedding, 1),
                                         torch.eye(embedding)[:, :embedding - 1]], 1))[0]
    inside = helmert[:, 1:rank + 1].double()  # E x rank
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
    ours, theirs = count_parameters(student), count_parameters(teacher)
    return {"parameters": ours, "saved": 1 - ours / theirs}


def svd_experiment(teacher, tokenizer, splits, sizes=(32, 64, 128), epochs: float = 1,
                   learning_rate: float = 1e-4, max_length: int = 64) -> pd.DataFrame:
    """Factorise the teacher's embeddings at each E (layers not shared), fine-tune briefly
    on the first ``max_length`` tokens of each review (the epoch best on validation), measure
    on the whole test reviews (:func:`review_accuracy`). One row per E, and the teacher's.
    """
    from .training import Settings, fine_tune

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
    from . import zoo
    from .data import load_reviews
    from .training import Settings, fine_tune

    teacher, tokenizer = zoo.load("teacher")
    student = albert_from_teacher(teacher, STUDENT_EMBEDDING, STUDENT_SHARED_LAYER)
    student, _ = fine_tune(student, tokenizer, load_reviews(),
                           Settings(epochs=STUDENT_EPOCHS, learning_rate=1e-4, max_length=64),
                           disable_tqdm=True)
    return student, tokenizer


# ---------------------------------------------------------------- SOP versus NSP


def order_examples(split, seed: int = 0, max_sentences: int = 5) -> pd.DataFrame:
    """NSP and SOP examples from the consecutive sentences of every review (its first
    ``max_sentences``).

    NSP (BERT): the true next sentence (label 1) or a sentence from a review of another
    product category (label 0). SOP (ALBERT): the two sentences in order (1) or swapped (0).
    Each pair gives one positive and one negative example of each task.
    """
    rng = random.Random(seed)
    reviews = [(split_sentences(t)[:max_sentences], c)
               for t, c in zip(split["text"], split["category"])]
    rows = []
    for index, (sentences, category) in enumerate(reviews):
        others = [i for i, (_, c) in enumerate(reviews) if c != category]
        for first, second in itertools.pairwise(sentences):
            random_sentence = rng.choice(reviews[rng.choice(others)][0])
            rows += [("NSP", first, second, 1), ("NSP", first, random_sentence, 0),
                     ("SOP", first, second, 1), ("SOP", second, first, 0)]
    return pd.DataFrame(rows, columns=["task", "first", "second", "label"])


# ---------------------------------------------------------------- widget


def explorer_row(vocab: int, hidden: int, embedding: int, layers: int, scheme: str,
                 seq_len: int = 128) -> dict:
    """Parameters, fp32 weight memory and forward GFLOPs per sequence of one configuration,
    next to BERT of the same V, H and depth (V x H embeddings, nothing shared)."""
    counts = albert_parameters(vocab, hidden, embedding, layers, 4 * hidden, scheme)["total"]
    bert = albert_parameters(vocab, hidden, hidden, layers, 4 * hidden, "not-shared")["total"]
    bert -= hidden * hidden + hidden  # BERT has no E x H projection
    config = albert_config(vocab, hidden, embedding, layers)
    return {"V": vocab, "H": hidden, "E": embedding, "layers": layers, "sharing": scheme,
            "parameters (M)": round(counts / 1e6, 1),
            "weights fp32 (MB)": round(counts * 4 / 2**20, 1),
            "GFLOPs / 128 tokens": round(flops_per_token(config, seq_len) * seq_len / 1e9, 1),
            "parameters vs BERT": round(counts / bert, 3)}


def static_table() -> pd.DataFrame:
    """The explorer's static fallback: the paper's four ALBERT sizes (Table 1)."""
    sizes = {"base": (768, 12), "large": (1024, 24), "xlarge": (2048, 24),
             "xxlarge": (4096, 12)}
    rows = [{"model": f"ALBERT-{name}", **explorer_row(30000, h, 128, n, "all-shared")}
            for name, (h, n) in sizes.items()]
    return pd.DataFrame(rows).set_index("model")


def parameter_explorer() -> widgets.Widget:
    """Sliders for V, H, E, layers and a sharing scheme; parameters, memory and FLOPs live."""
    sliders = {
        "vocab": widgets.IntSlider(30000, 1000, 250000, 1000, description="V"),
        "hidden": widgets.IntSlider(768, 128, 4096, 64, description="H"),
        "embedding": widgets.IntSlider(128, 16, 4096, 16, description="E"),
        "layers": widgets.IntSlider(12, 1, 48, 1, description="layers"),
        "scheme": widgets.Dropdown(options=SCHEMES, description="sharing"),
    }
    output = widgets.Output()

    def show(*_):
        row = explorer_row(**{key: s.value for key, s in sliders.items()})
        output.clear_output(wait=True)
        with output:
            display(pd.DataFrame([row]).set_index("sharing"))

    for slider in sliders.values():
        slider.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox(list(sliders.values())[:3]),
                         widgets.HBox(list(sliders.values())[3:]), output])


# ---------------------------------------------------------------- memory versus compute


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


def comparison_models(seq_len: int = 128) -> dict[str, torch.nn.Module]:
    """BERT-base, ALBERT-base (Hub config and fused GELU) and a 6-layer BERT-base, random
    weights, full size, named by their Hub ids as in lesson 01."""
    from .models import build_reference_model

    return {
        "bert-base-uncased": build_reference_model("bert-base-uncased"),
        "albert-base-v2 (Hub, gelu_new)": build_reference_model("albert-base-v2"),
        "albert-base-v2 (fused GELU)": build_reference_model("albert-base-v2",
                                                             hidden_act="gelu_pytorch_tanh"),
        "bert-base-uncased, 6 layers": build_reference_model("bert-base-uncased",
                                                             num_hidden_layers=6),
    }


TINY = {"vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 1,
        "num_attention_heads": 1, "intermediate_size": 64, "embedding_size": 32}
"""A tiny version of a model: the same code and libraries, almost no weights (the warm-up
of :func:`peak_memory`; BERT ignores ``embedding_size``)."""


def build_and_run(name: str, seq_len: int = 128, **overrides) -> None:
    """Build the model ``name`` (random weights) and run one batch-1 forward pass."""
    from .bench import dummy_inputs
    from .models import build_reference_model

    model = build_reference_model(name, **overrides)
    with torch.inference_mode():
        model(**dummy_inputs(model, 1, seq_len))


def peak_memory(names=("bert-base-uncased", "albert-base-v2"), seq_len: int = 128):
    """For each full-size model, in MB: its parameter bytes, and the peak memory that building
    it and running one forward pass adds, in a fresh process per model that first did the
    same with a tiny version (so imports and first-use costs are not counted)."""
    from .bench import MB, parameter_bytes, peak_memory_in_fresh_processes
    from .models import build_reference_model

    peaks = peak_memory_in_fresh_processes(
        {name: partial(build_and_run, name, seq_len) for name in names},
        warm_ups={name: partial(build_and_run, name, seq_len, **TINY) for name in names})
    def weight_bytes(name):  # built on the meta device: shapes only, no memory here
        with torch.device("meta"):
            return parameter_bytes(build_reference_model(name))

    return pd.DataFrame({
        "parameter MB": {name: weight_bytes(name) / MB for name in names},
        "peak MB (fresh process)": {name: peak / MB for name, peak in peaks.items()}})


def plot_svd_tradeoff(table: pd.DataFrame, teacher_accuracy: float):
    """Test accuracy against parameters for the factorised students and the teacher."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    rows = table.drop(index="teacher (V x H)", errors="ignore")
    ax.plot(rows["parameters"] / 1e6, rows["accuracy"], "o-", color="#4C72B0",
            label="factorised (E shown), fine-tuned")
    for label, row in rows.iterrows():
        ax.annotate(f"E = {label}", (row["parameters"] / 1e6, row["accuracy"]),
                    textcoords="offset points", xytext=(5, -12))
    ax.axhline(teacher_accuracy, color="#C44E52", linestyle="--", label="teacher")
    ax.set_xlabel("parameters (M)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.4, 1.0)
    ax.set_title("Factorising the teacher's embeddings: parameters versus accuracy")
    ax.legend(loc="lower right")
    return finish_figure(fig)
