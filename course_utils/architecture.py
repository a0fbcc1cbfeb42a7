"""Reading the four architectures: their configs side by side, FLOPs per token from a config,
parameter counts without memory (the meta device), shapes through a forward pass, and the
input layout (special tokens, token types) of each model.
"""

from __future__ import annotations

import pandas as pd
import torch
from transformers import AutoModel, PretrainedConfig

from .core.inference import model_device
from .models import REFERENCE_CONFIGS, parameter_count, reference_config

SPECIAL_TOKENS = {
    "bert-base-uncased": ("[CLS]", "[SEP]", "[SEP]"),
    "distilbert-base-uncased": ("[CLS]", "[SEP]", "[SEP]"),
    "albert-base-v2": ("[CLS]", "[SEP]", "[SEP]"),
    "roberta-base": ("<s>", "</s></s>", "</s>"),
}
"""(start, between the two texts, end) as each model's tokenizer writes a pair of texts."""

TOKENIZERS = {
    "bert-base-uncased": "WordPiece (uncased)",
    "distilbert-base-uncased": "WordPiece (uncased, BERT's)",
    "roberta-base": "byte-level BPE (cased)",
    "albert-base-v2": "SentencePiece Unigram (uncased)",
}


def dims(config: PretrainedConfig) -> dict[str, int]:
    """Layers, hidden size, heads, FFN size, vocabulary and embedding size, whatever the names.

    DistilBERT calls them ``n_layers``, ``dim``, ``n_heads``, ``hidden_dim``; ALBERT has a
    separate ``embedding_size`` E; the others embed straight into the hidden size.
    """
    get = config.to_dict().get
    hidden = get("hidden_size") or get("dim")
    return {
        "layers": get("num_hidden_layers") or get("n_layers"),
        "hidden": hidden,
        "heads": get("num_attention_heads") or get("n_heads"),
        "ffn": get("intermediate_size") or get("hidden_dim"),
        "vocab": get("vocab_size"),
        "embedding": get("embedding_size") or hidden,
        "positions": get("max_position_embeddings"),
        "token_types": get("type_vocab_size", 0),
        "shared_groups": get("num_hidden_groups") or get("num_hidden_layers") or get("n_layers"),
    }


def config_table(names=tuple(REFERENCE_CONFIGS)) -> pd.DataFrame:
    """The reference configs side by side: one row per model."""
    rows = {}
    for name in names:
        config = reference_config(name)
        rows[name] = {**dims(config), "activation": config.to_dict().get("hidden_act")
                      or config.to_dict().get("activation"), "tokenizer": TOKENIZERS[name]}
    return pd.DataFrame.from_dict(rows, orient="index")


def meta_parameter_count(config: PretrainedConfig) -> int:
    """Parameters of ``AutoModel.from_config(config)``, built on the meta device (no memory)."""
    with torch.device("meta"):
        return parameter_count(AutoModel.from_config(config))


def flops_per_token(config: PretrainedConfig, seq_len: int) -> int:
    """Forward-pass FLOPs per token of the encoder (2 per multiply-add).

    Per layer: the Q, K, V and output projections (4 H^2), the feed-forward block (2 H F) and
    attention itself (scores and weighted sum, 2 L H). ALBERT adds the E x H projection of its
    factorised embeddings. Sharing layers changes none of this: a shared layer still runs once
    per depth.
    """
    d = dims(config)
    hidden, per_layer = d["hidden"], 4 * d["hidden"] ** 2 + 2 * d["hidden"] * d["ffn"]
    per_layer += 2 * seq_len * hidden
    projection = d["embedding"] * hidden if d["embedding"] != hidden else 0
    return 2 * (d["layers"] * per_layer + projection)


def trace_shapes(model: torch.nn.Module, inputs: dict) -> pd.DataFrame:
    """Shapes at each stage of a forward pass, and which module computed them.

    ALBERT's twelve layers all point at the same module: one set of weights, run twelve times.
    """
    base = getattr(model, "base_model", model)
    names = {module: name for name, module in base.named_modules()}
    rows = [("input ids", "-", tuple(inputs["input_ids"].shape))]
    inputs = {key: value.to(model_device(model)) for key, value in inputs.items()}

    def record(_module, _args, output):
        tensor = output[0] if isinstance(output, tuple) else output
        depth = sum(stage.startswith("layer") for stage, _, _ in rows)
        label = "embeddings" if _module is base.embeddings else f"layer {depth + 1}"
        rows.append((label, names[_module], tuple(tensor.shape)))

    modules = [base.embeddings, *encoder_layers(base)]
    handles = [module.register_forward_hook(record) for module in modules]
    try:
        with torch.inference_mode():
            hidden = model(**inputs).last_hidden_state
    finally:
        for handle in handles:
            handle.remove()
    rows.append(("[CLS] vector", "last_hidden_state[:, 0]", tuple(hidden[:, 0].shape)))
    return pd.DataFrame(rows, columns=["stage", "module", "shape"])


def encoder_layers(model: torch.nn.Module) -> list[torch.nn.Module]:
    """The modules of a BERT, RoBERTa, DistilBERT or ALBERT encoder (with any head, or none)
    that run once per depth, bottom first (ALBERT: its shared layer groups)."""
    base = model.base_model
    stack = getattr(base, "encoder", None) or base.transformer
    if hasattr(stack, "albert_layer_groups"):
        return list(stack.albert_layer_groups)
    return list(stack.layer)


def input_layout(name: str, tokenizer, first: str, second: str | None = None) -> pd.DataFrame:
    """How model ``name`` lays out one or two texts: tokens, and token types where it has them.

    ``tokenizer`` provides the word pieces (offline: BERT's WordPiece for every model); the
    special tokens and token-type ids follow ``name``'s own template. RoBERTa (one token type)
    and DistilBERT (no token-type embeddings) have no token types.
    """
    start, separator, end = SPECIAL_TOKENS[name]
    pieces_a = [start, *tokenizer.tokenize(first), end]
    pieces_b = []
    if second is not None:
        pieces_a[-1:] = separator.replace("><", "> <").split()
        pieces_b = [*tokenizer.tokenize(second), end]
    frame = pd.DataFrame({"token": pieces_a + pieces_b})
    if dims(reference_config(name))["token_types"] > 1:
        frame["token type"] = [0] * len(pieces_a) + [1] * len(pieces_b)
    return frame.T
