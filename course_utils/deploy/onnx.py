"""The course's checkpoints exported to ONNX and run with ONNX Runtime, in fp32 and int8.

An exported model is cached next to the course's checkpoints, under a name that holds the
digest of the weights it was exported from (a re-trained checkpoint gets a new export).
:class:`OnnxClassifier` makes an ONNX Runtime session look like a ``transformers`` classifier,
so the course's one inference path (:func:`inference.run_in_batches`, through the
``SentimentAnalyzer``) runs it unchanged.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers.modeling_outputs import SequenceClassifierOutput

from ..core import artifacts
from ..core.inference import model_device
from ..core.runtime import default_threads

EXPORT_VERSION = 3
"""Bumped when the export or the quantisation changes, so cached files are made again."""

MISSING = ("ONNX Runtime is missing: pip install onnxruntime onnx onnxscript "
           "(or the course's [deploy] extra, which `make course` installs)")


def _require_onnx():
    try:
        import onnx  # noqa: F401
        import onnxruntime
        import onnxscript  # noqa: F401
    except ImportError as error:
        raise ImportError(MISSING) from error
    return onnxruntime


INPUTS = ("input_ids", "attention_mask")
"""What the exported graph takes (one segment per review: BERT's token types are all 0,
which the model fills in itself)."""


class _Logits(torch.nn.Module):
    """What is exported: token ids and attention mask in, logits out."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


def export(model, tokenizer, path: Path) -> Path:
    """Export ``model`` (a sequence classifier) to ``path`` with batch and length dynamic.

    ``torch.onnx.export`` restores the training mode of the module it was given: the
    wrapper is put in eval mode first, and the model again afterwards (a fresh wrapper is in
    training mode, which would switch the model's dropout back on). The graph is traced on
    the CPU; the model is back on its own device afterwards."""
    _require_onnx()
    example = tokenizer(["an example review", "a second, longer example review"],
                        padding=True, return_tensors="pt")
    args = tuple(example[n].cpu() for n in INPUTS)
    batch, tokens = torch.export.Dim("batch"), torch.export.Dim("tokens", max=512)
    shapes = {n: {0: batch, 1: tokens} for n in INPUTS}
    where = model_device(model)  # exported from the CPU; the caller's model goes back after
    wrapper = _Logits(model.cpu()).eval()
    try:
        torch.onnx.export(wrapper, args, str(path), input_names=list(INPUTS),
                          output_names=["logits"], dynamo=True, dynamic_shapes=shapes,
                          external_data=False, verbose=False)
    finally:
        model.to(where).eval()
    return path


def quantize(fp32: Path, int8: Path) -> Path:
    """ONNX Runtime's dynamic int8 quantisation with its defaults: the weights of every matrix
    product (one scale per output channel) and, unlike torch's, the embedding tables too (the
    activations are quantised on the fly, per batch)."""
    _require_onnx()
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The shapes the exporter recorded for intermediate values trip the quantiser's own shape
    # inference ("inferred shape and existing shape differ"): drop them, it infers them anew.
    graph = onnx.load(str(fp32))
    del graph.graph.value_info[:]
    plain = int8.with_name(int8.stem + ".shapeless.onnx")
    onnx.save(graph, str(plain))
    try:
        quantize_dynamic(str(plain), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        plain.unlink(missing_ok=True)
    return int8


def exported(checkpoint: str, int8: bool = False) -> Path:
    """The ONNX file of the zoo checkpoint ``checkpoint`` (fp32, or dynamically quantised to
    int8), exported on first use and kept in the course's cache (:mod:`..core.artifacts`,
    keyed by the checkpoint's build: a rebuilt checkpoint is exported again)."""
    from .. import zoo

    zoo.checkpoint_path(checkpoint)  # registered and built: the export's key names its build
    fp32 = f"{checkpoint}-onnx"
    if fp32 not in artifacts.registered():
        def build_fp32(folder: Path) -> None:
            model, tokenizer = zoo.load(checkpoint, device="cpu")
            export(model, tokenizer, folder / "model.onnx")

        def build_int8(folder: Path) -> None:
            quantize(artifacts.path(fp32) / "model.onnx", folder / "model.int8.onnx")

        artifacts.register(artifacts.Recipe(fp32, build_fp32, EXPORT_VERSION,
                                            f"{checkpoint} exported to ONNX",
                                            after=(checkpoint,)))
        artifacts.register(artifacts.Recipe(f"{fp32}-int8", build_int8, EXPORT_VERSION,
                                            f"{checkpoint} in ONNX, int8", after=(fp32,)))
    if int8:
        return artifacts.path(f"{fp32}-int8") / "model.int8.onnx"
    return artifacts.path(fp32) / "model.onnx"


def providers_for(device=None) -> list[str]:
    """ONNX Runtime's execution providers for ``device``: CUDA's where the device is a GPU
    (asked for by name: the installed ONNX Runtime must have it, the ``onnxruntime-gpu``
    build; by default, the course's device: CUDA's where this ONNX Runtime has it), else
    the CPU's."""
    from ..core.runtime import device as course_device

    ort = _require_onnx()
    cuda = "CUDAExecutionProvider" in ort.get_available_providers()
    if device is None:
        device = "cuda" if course_device().type == "cuda" and cuda else "cpu"
    if torch.device(device).type == "cuda":
        if not cuda:
            raise RuntimeError("this ONNX Runtime has no CUDA provider: pip install "
                               "onnxruntime-gpu, or run the ONNX variants on the CPU")
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return ["CPUExecutionProvider"]


class OnnxClassifier(torch.nn.Module):
    """An ONNX Runtime session with the face of a ``transformers`` classifier: ``config``,
    ``eval()``, and ``forward(**batch)`` returning ``.logits``. It holds no torch weights;
    ``provider`` says which of ONNX Runtime's execution providers runs it (for ``device``, by
    default the course's: :func:`providers_for`)."""

    def __init__(self, path: Path, config, threads: int | None = None, device=None):
        super().__init__()
        ort = _require_onnx()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or default_threads()
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(path), options, providers=providers_for(device))
        self.provider = self.session.get_providers()[0]
        self.config = config
        self.path = Path(path)

    def forward(self, input_ids, attention_mask, **_):
        feeds = {"input_ids": input_ids.cpu().numpy(),
                 "attention_mask": attention_mask.cpu().numpy()}
        (logits,) = self.session.run(["logits"], feeds)
        return SequenceClassifierOutput(logits=torch.from_numpy(logits))
