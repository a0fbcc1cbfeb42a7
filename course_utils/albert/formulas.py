"""ALBERT's parameter formulas: factorised embeddings and cross-layer sharing, counted.

The schemes, ALBERT-base's sizes, the paper's parameter figures, and the arithmetic that
matches the instantiated ``transformers`` models to the parameter.
"""

from __future__ import annotations

import pandas as pd
from transformers import AlbertConfig

from ..architecture import dims

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

