"""ALBERT models with each cross-layer sharing scheme, built and counted."""

from __future__ import annotations

import pandas as pd
import torch
from transformers import AlbertConfig, AlbertModel

from ..core.measurement import parameter_count
from .formulas import ALBERT_BASE, SCHEMES, albert_config, config_parameters


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
        return parameter_count(build_shared_albert(config, scheme))


def sharing_table(sizes=(64, 128, 256, 768), **base) -> pd.DataFrame:
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

