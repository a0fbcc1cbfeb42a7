"""The variants a team could ship: one of the course's models, in one number format and one
runtime, behind the analyzer's interface (``predict`` and ``predict_polarity``).

- ``<model>-fp32``: the checkpoint as trained; ``-bf16``: its weights and arithmetic in
  bfloat16 (fast only where the hardware does bf16 natively, :func:`runtime.native_bf16`);
  ``-int8``: torch's dynamic quantisation of every linear layer (int8 weights, activations
  quantised per batch); ``-onnx-fp32`` and ``-onnx-int8``: exported to ONNX and run with ONNX
  Runtime (:mod:`.onnx`), for the teacher and the distilled student.
- ``<model>-cuda-fp32`` and ``<model>-cuda-bf16``/``-cuda-fp16`` (on a GPU only): the
  checkpoint on the GPU, in fp32 and in the GPU's native 16-bit format (bf16 where it has
  it, else fp16: :func:`runtime.context`).
- ``vader``: the lexicon baseline, no model.
- ``sst2-<name>`` (online only): a real checkpoint fine-tuned on SST-2, in fp32.

Every variant but the ``-cuda-`` ones runs on the CPU, whatever the runtime: a budget web
server and an edge device are CPU questions (lesson 06), and their rows stay comparable
between a laptop and a GPU machine.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch

from ..core.evaluation import REVIEW_MAX_TOKENS
from ..core.runtime import HALF_DTYPES
from ..core.sentiment import Prediction, SentimentAnalyzer, validated_texts
from ..models import SST2_CHECKPOINTS

MODELS = {"teacher": "teacher", "student": "distilled-student", "albert": "albert-student"}
"""The course's checkpoints by their short names (values: names in :mod:`course_utils.zoo`)."""

TORCH_FORMATS = ("fp32", "bf16", "int8")
ONNX_FORMATS = ("onnx-fp32", "onnx-int8")
ONNX_MODELS = ("teacher", "student")

VARIANTS = tuple(f"{model}-{fmt}" for model in MODELS
                 for fmt in TORCH_FORMATS + (ONNX_FORMATS if model in ONNX_MODELS else ())
                 ) + ("vader",)
"""Every variant that runs offline, by name."""

CUDA_FORMATS = ("cuda-fp32", "cuda-bf16", "cuda-fp16")

GPU_VARIANTS = tuple(f"{model}-{fmt}" for model in MODELS for fmt in CUDA_FORMATS)
"""The course's checkpoints on a CUDA GPU (:func:`available_variants` offers them on a GPU,
in fp32 and the one 16-bit format the GPU computes in natively)."""

ONLINE_VARIANTS = tuple(f"sst2-{key}" for key in SST2_CHECKPOINTS)
"""The real SST-2 checkpoints (they need the Hugging Face Hub)."""

TOKEN_BUDGET = 1024
"""Padded positions per batch (texts sorted by length; lesson 06 measures the choice)."""


def available_variants() -> tuple[str, ...]:
    """The variants that make sense here: the CPU's, bf16 only where the CPU does it natively
    (emulated, it is dozens of times slower), ONNX only when ONNX Runtime is installed; on a
    GPU (the runtime's device), each model on it in fp32 and in its native 16-bit format."""
    from ..core.runtime import context, native_bf16

    try:
        from .onnx import _require_onnx

        _require_onnx()
        onnx = True
    except ImportError as error:
        print(f"(no ONNX rows: {error})")
        onnx = False
    cpu = tuple(n for n in VARIANTS if (native_bf16("cpu") or not n.endswith("bf16"))
                and (onnx or "-onnx-" not in n))
    run = context()
    if run.device.type != "cuda":
        return cpu
    formats = ["cuda-fp32"] + ([f"cuda-{run.precision}"] if run.precision != "fp32" else [])
    return cpu + tuple(f"{model}-{fmt}" for model in MODELS for fmt in formats)


_MODEL_WORDS = {"teacher": "the course's teacher",
                "student": "the distilled student (lesson 03)",
                "albert": "the ALBERT-style student (lesson 04)"}
_FORMAT_WORDS = {
    "fp32": "fp32, CPU", "bf16": "bf16 weights and arithmetic, CPU (fast where native)",
    "int8": "int8 dynamic quantisation, CPU", "onnx-fp32": "ONNX Runtime fp32, CPU",
    "onnx-int8": "ONNX Runtime int8, CPU", "cuda-fp32": "fp32 on a CUDA GPU",
    "cuda-bf16": "bf16 on a CUDA GPU with native bf16", "cuda-fp16": "fp16 on a CUDA GPU"}


def describe() -> dict[str, str]:
    """Every variant's name and what it is, in words (nothing is built or loaded)."""
    rows = {name: f"{_MODEL_WORDS[model]}: {_FORMAT_WORDS[fmt]}"
            for name in VARIANTS + GPU_VARIANTS if name != "vader"
            for model, fmt in [parse(name)]}
    rows["vader"] = "the VADER lexicon (no model), CPU"
    rows |= {name: f"{SST2_CHECKPOINTS[key]} from the Hugging Face Hub (online only), fp32"
             for name, key in zip(ONLINE_VARIANTS, SST2_CHECKPOINTS)}
    return rows


def _unknown(name) -> ValueError:
    return ValueError(f"unknown variant {name!r}; choose one of: "
                      f"{', '.join(VARIANTS + GPU_VARIANTS + ONLINE_VARIANTS)}")


def parse(name: str) -> tuple[str, str]:
    """``"student-onnx-int8"`` -> ``("student", "onnx-int8")``; a one-line error that lists
    every name otherwise."""
    if not isinstance(name, str):
        raise TypeError(f"a variant name is a string such as 'teacher-fp32', not "
                        f"{type(name).__name__}")
    if name not in VARIANTS + GPU_VARIANTS + ONLINE_VARIANTS:
        raise _unknown(name)
    model, _, fmt = name.partition("-")
    return model, fmt


def quantized_int8(model: torch.nn.Module, inplace: bool = False,
                   embeddings: bool = True) -> torch.nn.Module:
    """A copy of ``model`` with every ``nn.Linear`` dynamically quantised to int8 (torch's
    ``quantize_dynamic``: int8 weights with one scale per output channel, activations
    quantised on the fly) and, with ``embeddings``, the word-embedding table stored in 8 bits
    (one scale and offset per row, looked up and turned back to floats), as ONNX Runtime's
    dynamic quantisation does: in a small model it is most of the weights. One
    scale per channel rather than per matrix: on the course's models it halves the reviews
    whose answer changes (measured in lesson 06)."""
    import warnings

    with warnings.catch_warnings():  # torch.ao.quantization announces its successor
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from torch.ao.quantization import (
            float_qparams_weight_only_qconfig,
            per_channel_dynamic_qconfig,
            quantize_dynamic,
        )

        source = model if inplace else copy.deepcopy(model)
        spec = {torch.nn.Linear: per_channel_dynamic_qconfig}
        if embeddings:  # the word table: positions and segments are small (and looked up
            # through expanded, non-contiguous indices, which the 8-bit lookup refuses)
            spec |= {name: float_qparams_weight_only_qconfig
                     for name, module in source.named_modules()
                     if name.endswith("word_embeddings") and isinstance(module, torch.nn.Embedding)}
        return quantize_dynamic(source.cpu(), spec, dtype=torch.qint8, inplace=inplace).eval()


def in_format(model: torch.nn.Module, fmt: str, inplace: bool = False) -> torch.nn.Module:
    """``model`` as it runs in ``fmt`` (one of :data:`TORCH_FORMATS`, or ``fp16``); fp32 is
    the model itself, the others are copies (``inplace``: converted in place, no second copy
    held). int8 runs on the CPU (torch's dynamic quantisation has CPU kernels only)."""
    if fmt == "fp32":
        return model
    if fmt in HALF_DTYPES:
        return (model if inplace else copy.deepcopy(model)).to(HALF_DTYPES[fmt]).eval()
    if fmt == "int8":
        return quantized_int8(model, inplace)
    raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(TORCH_FORMATS)}")


@dataclass
class LexiconAnalyzer:
    """VADER behind the analyzer's interface. ``score`` is how sure the lexicon is of its
    label, (1 + |compound|) / 2, from 0.5 to 1; ``n_tokens`` counts words."""

    threshold: float = 0.0

    def predict(self, texts) -> list[Prediction]:
        from ..baselines import vader_compound

        texts = validated_texts(texts)
        return [Prediction("POSITIVE" if c >= self.threshold else "NEGATIVE",
                           round((1 + abs(c)) / 2, 4), len(t.split()), False)
                for c, t in zip(vader_compound(texts), texts)]

    def predict_polarity(self, texts) -> list[int]:
        return [int(p.label == "POSITIVE") for p in self.predict(texts)]


def build_analyzer(name: str, token_budget: int = TOKEN_BUDGET):
    """A fresh analyzer for the variant ``name`` (see :func:`load_analyzer`)."""
    model_name, fmt = parse(name)
    if name == "vader":
        return LexiconAnalyzer()
    from .. import zoo

    if model_name == "sst2":
        from ..core.runtime import current_mode

        if current_mode() != "online":
            raise RuntimeError(f"{name} needs the Hugging Face Hub: set COURSE_MODE=online "
                               "on a connected machine, or pick an offline variant")
        model, tokenizer = zoo.load_sst2_model(fmt)
    elif fmt in ONNX_FORMATS:  # the session alone: no torch weights loaded
        from transformers import AutoConfig

        from ..models import load_tokenizer
        from .onnx import OnnxClassifier, exported

        path = exported(MODELS[model_name], int8=fmt == "onnx-int8")
        folder = str(zoo.checkpoint_path(MODELS[model_name]))
        model = OnnxClassifier(path, AutoConfig.from_pretrained(folder), device="cpu")
        tokenizer = load_tokenizer(folder)
    elif fmt in CUDA_FORMATS:
        from ..core.runtime import context

        if context().device.type != "cuda":
            raise RuntimeError(f"{name} runs on a CUDA GPU, and the course's device is "
                               f"{context().device}: pick a CPU variant, or a GPU runtime")
        model, tokenizer = zoo.load(MODELS[model_name], device="cuda")
        model = in_format(model, fmt.removeprefix("cuda-"), inplace=True)
    else:  # the CPU's variants
        model, tokenizer = zoo.load(MODELS[model_name], device="cpu")
        model = in_format(model, fmt, inplace=True)
    return SentimentAnalyzer(model, tokenizer, max_length=REVIEW_MAX_TOKENS,
                             token_budget=token_budget)


def load_analyzer(name: str):
    """The analyzer of the variant ``name`` (one of :data:`VARIANTS`, on a GPU
    :data:`GPU_VARIANTS`, online :data:`ONLINE_VARIANTS`), built on first use, then the same
    object while the run's set-up and the checkpoint's build stay the same (held by the
    course's cache, :func:`core.artifacts.remembered`: a rebuilt checkpoint or another
    ``COURSE_SEED`` builds it anew). It reads reviews up to
    :data:`core.evaluation.REVIEW_MAX_TOKENS` tokens, in length-sorted batches of at most
    :data:`TOKEN_BUDGET` padded positions. It has ``predict(texts)`` and
    ``predict_polarity(texts)``; an unknown name raises a one-line error listing the names."""
    from .. import zoo
    from ..core import artifacts
    from ..core.runtime import context

    model_name, _ = parse(name)
    build = None
    if model_name in MODELS:
        zoo.checkpoint_path(MODELS[model_name])  # registered, and built if needed
        build = artifacts.build_id(MODELS[model_name])
    return artifacts.remembered(f"analyzer {name}", (context(), build),
                                lambda: build_analyzer(name))
