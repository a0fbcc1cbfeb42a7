"""The course on a CUDA GPU: every model it hands a lesson sits on the runtime context's
device, inputs follow it, timings and memory are the GPU's own. Skipped (said once) where
there is no GPU; ``shared/gpu/run.sh`` runs them on one."""

import pytest
import torch

from course_utils.core import runtime

pytestmark = pytest.mark.gpu

CUDA = torch.device("cuda")


def _on_gpu(module: torch.nn.Module) -> bool:
    return all(p.device.type == "cuda" for p in module.parameters())


def test_the_context_chooses_the_gpu_and_its_native_precision():
    run = runtime.context()
    assert run.device.type == "cuda"
    expected = ("bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16")
    assert run.precision == expected
    assert runtime.mixed_precision() == {expected: True, "use_cpu": False}


def test_models_built_or_loaded_by_the_course_sit_on_the_gpu(tiny_bert_classifier):
    from course_utils.albert import albert_from_teacher
    from course_utils.distillation import distilbert_from_teacher
    from course_utils.models import build_reference_model, load_pretrained

    assert _on_gpu(load_pretrained())
    assert _on_gpu(build_reference_model("distilbert-base-uncased"))
    teacher = tiny_bert_classifier(layers=4, vocab_size=30522).to(CUDA)
    assert _on_gpu(distilbert_from_teacher(teacher))
    assert _on_gpu(albert_from_teacher(teacher, embedding=16, shared_layer=0))


def test_the_analyzer_gives_the_cpus_answers_on_the_gpu(tiny_bert_classifier):
    from course_utils.core.sentiment import SentimentAnalyzer
    from course_utils.models import load_tokenizer

    tokenizer = load_tokenizer()
    texts = ["Great kettle.", "Broke in a week, never again.", "fine " * 80]
    cpu = tiny_bert_classifier(vocab_size=tokenizer.vocab_size)
    gpu = tiny_bert_classifier(vocab_size=tokenizer.vocab_size).to(CUDA)
    on_cpu = SentimentAnalyzer(cpu, tokenizer).predict_proba(texts)[0]
    on_gpu = SentimentAnalyzer(gpu, tokenizer).predict_proba(texts)[0]
    assert on_gpu.device.type == "cpu"  # rows come back to the CPU, in fp32
    torch.testing.assert_close(on_gpu, on_cpu, atol=1e-4, rtol=1e-3)


def test_fp16_training_runs_with_the_scaler_on_any_gpu(monkeypatch, tiny_bert_classifier):
    """COURSE_MIXED_PRECISION=fp16 forces a T4's path: fp16 autocast and a gradient scaler."""
    from datasets import Dataset, DatasetDict

    from course_utils import training
    from course_utils.models import load_tokenizer

    monkeypatch.setenv("COURSE_MIXED_PRECISION", "fp16")
    assert runtime.context().precision == "fp16"
    tokenizer = load_tokenizer()
    split = Dataset.from_dict({"text": ["great", "awful"] * 8, "label": [1, 0] * 8})
    model = tiny_bert_classifier(vocab_size=tokenizer.vocab_size)
    model, log = training.fine_tune(model, tokenizer, DatasetDict(train=split, validation=split),
                                    training.Settings(epochs=1, batch_size=8, max_length=8),
                                    seed=0, disable_tqdm=True, **runtime.mixed_precision())
    assert _on_gpu(model) and log[-1]["train_loss"] == log[-1]["train_loss"]  # not NaN


def _fill_gpu(n_bytes):
    return torch.empty(n_bytes, dtype=torch.uint8, device=CUDA).sum().item()


def test_gpu_memory_is_the_allocators_peak_in_a_fresh_process():
    from functools import partial

    from course_utils.core.measurement import MB, in_fresh_processes

    run = in_fresh_processes({"256 MB": partial(_fill_gpu, 256 * MB)})["256 MB"]
    assert 256 * MB <= run.gpu_peak_bytes < 300 * MB


def test_the_matmul_peak_is_measured_on_the_gpu():
    from course_utils.application import machine_peaks, matmul_rate

    assert matmul_rate(torch.float32, "cuda") > 5 * matmul_rate(torch.float32, "cpu", size=512)
    peaks = machine_peaks()
    assert "cuda-fp32" in peaks and f"cuda-{runtime.context().precision}" in peaks


def test_onnx_export_leaves_the_model_on_its_device(tmp_path, tiny_bert_classifier):
    pytest.importorskip("onnxscript")
    from course_utils.deploy.onnx import OnnxClassifier, export
    from course_utils.models import load_tokenizer

    tokenizer = load_tokenizer()
    model = tiny_bert_classifier(vocab_size=tokenizer.vocab_size).to(CUDA)
    path = export(model, tokenizer, tmp_path / "model.onnx")
    assert _on_gpu(model) and not model.training
    session = OnnxClassifier(path, model.config, device="cpu")
    assert session.provider == "CPUExecutionProvider"
