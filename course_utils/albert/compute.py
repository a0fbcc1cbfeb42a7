"""Memory versus compute: full-size BERT and ALBERT built, run and measured."""

from __future__ import annotations

from functools import partial

import pandas as pd
import torch


def comparison_models(seq_len: int = 128) -> dict[str, torch.nn.Module]:
    """BERT-base, ALBERT-base (Hub config and fused GELU) and a 6-layer BERT-base, random
    weights, full size, named by their Hub ids as in lesson 01."""
    from ..models import build_reference_model

    return {
        "bert-base-uncased": build_reference_model("bert-base-uncased"),
        "albert-base-v2 (Hub, gelu_new)": build_reference_model("albert-base-v2"),
        "albert-base-v2 (fused GELU)": build_reference_model("albert-base-v2",
                                                             hidden_act="gelu_pytorch_tanh"),
        "bert-base-uncased, 6 layers": build_reference_model("bert-base-uncased",
                                                             num_hidden_layers=6),
    }


TINY = {"vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 1,
        "num_attention_heads": 1, "intermediate_size": 64, "embedding_size": 32,
        "num_hidden_groups": 1}
"""A tiny version of a model: the same code and libraries, almost no weights (the warm-up
of :func:`peak_memory`; BERT ignores ``embedding_size`` and ``num_hidden_groups``)."""

MEMORY_MODELS = {"bert-base-uncased": ("bert-base-uncased", {}),
                 "albert-base-v2": ("albert-base-v2", {}),
                 "albert-base-v2, layers not shared": ("albert-base-v2",
                                                       {"num_hidden_groups": 12})}
"""The models whose memory :func:`peak_memory` measures: name, (Hub config, overrides).
ALBERT-base with a group per layer keeps the factorised embedding and shares nothing (89M
parameters, Table 3's "not-shared" row): the control that tells sharing's saving from the
embedding's."""


def build_and_run(name: str, seq_len: int = 128, **overrides) -> None:
    """Build the model ``name`` (random weights) and run one batch-1 forward pass."""
    from ..core.measurement import dummy_inputs
    from ..models import build_reference_model

    model = build_reference_model(name, **overrides)
    with torch.inference_mode():
        model(**dummy_inputs(model, 1, seq_len))


MEMORY_IMPORTS = (__name__, "course_utils.models", "transformers.models.bert.modeling_bert",
                  "transformers.models.albert.modeling_albert")
"""What the processes of :func:`peak_memory` find imported: the server they are forked from
imports these once (about 6 s on a slow CPU), not each process."""


def peak_memory(models: dict = MEMORY_MODELS, seq_len: int = 128):
    """For each full-size model (name: (Hub config, overrides)), in MB: its weights, and the
    peak memory that building it and running one forward pass adds, in a fresh process per
    model that first did the same with a tiny version (so imports and first-use costs are not
    counted): :func:`core.measurement.in_fresh_processes`."""
    from ..core.measurement import MB, in_fresh_processes, weight_bytes
    from ..models import build_reference_model

    runs = in_fresh_processes(
        {name: partial(build_and_run, hub, seq_len, **kw) for name, (hub, kw) in models.items()},
        warm_ups={name: partial(build_and_run, hub, seq_len, **{**kw, **TINY})
                  for name, (hub, kw) in models.items()},
        preload=MEMORY_IMPORTS)

    def weights(hub, kw):  # built on the meta device: shapes only, no memory here
        with torch.device("meta"):
            return weight_bytes(build_reference_model(hub, **kw))

    return pd.DataFrame({
        "weights MB": {name: weights(hub, kw) / MB for name, (hub, kw) in models.items()},
        "peak MB (fresh process)": {name: run.growth_bytes / MB for name, run in runs.items()}})
