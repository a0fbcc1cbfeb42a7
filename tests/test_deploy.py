"""The variants a team would ship and the ``course-sentiment`` console script."""

import csv
import io

import pytest
import torch

from course_utils import deploy
from course_utils.deploy import cli
from course_utils.models import load_tokenizer
from course_utils.sentiment import SentimentAnalyzer

REVIEWS = ["Great kettle, boils fast and quietly.", "Broke after a week. Awful.", "Fine.",
           "The hotel was spotless and the staff could not have been kinder. " * 5]


def test_variant_names_are_checked_with_a_list_of_the_names():
    assert "teacher-fp32" in deploy.VARIANTS and "vader" in deploy.VARIANTS
    assert "albert-onnx-int8" not in deploy.VARIANTS  # ONNX: the teacher and the student
    with pytest.raises(ValueError, match="unknown variant 'bert'.*teacher-fp32.*vader"):
        deploy.load_analyzer("bert")
    with pytest.raises(TypeError, match="a variant name is a string"):
        deploy.parse(3)
    assert deploy.parse("student-onnx-int8") == ("student", "onnx-int8")


def test_available_variants_skip_emulated_bf16_and_a_missing_onnx(monkeypatch):
    monkeypatch.setenv("COURSE_MIXED_PRECISION", "0")  # as a laptop without native bf16
    names = deploy.available_variants()
    assert "teacher-int8" in names and not any(n.endswith("bf16") for n in names)

    def missing():
        raise ImportError("ONNX Runtime is missing")

    monkeypatch.setattr("course_utils.deploy.onnx._require_onnx", missing)
    assert not any("-onnx-" in n for n in deploy.available_variants())


def test_a_gpu_adds_gpu_rows_in_its_native_half_format_and_keeps_the_cpu_rows(monkeypatch):
    """On a T4 (bf16 only emulated): each model on the GPU in fp32 and fp16; the CPU's rows
    (the server's and the device's) stay, whatever the GPU."""
    import torch

    from course_utils import runtime

    monkeypatch.delenv("COURSE_MIXED_PRECISION", raising=False)
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    cpu_only = set(deploy.available_variants())
    assert not any("-cuda-" in n for n in cpu_only)
    monkeypatch.delenv("COURSE_DEVICE")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True:
                        including_emulation)
    runtime.refresh()
    names = deploy.available_variants()
    gpu = [n for n in names if "-cuda-" in n]
    assert cpu_only <= set(names)
    assert gpu == [f"{m}-cuda-{f}" for m in deploy.MODELS for f in ("fp32", "fp16")]
    assert set(gpu) <= set(deploy.GPU_VARIANTS)


def test_a_gpu_variant_without_a_gpu_says_so(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    with pytest.raises(RuntimeError, match="runs on a CUDA GPU.*pick a CPU variant"):
        deploy.build_analyzer("student-cuda-fp32")
    assert deploy.parse("student-cuda-fp16") == ("student", "cuda-fp16")


def test_online_variants_say_they_need_the_hub(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "offline")
    with pytest.raises(RuntimeError, match="needs the Hugging Face Hub"):
        deploy.build_analyzer("sst2-distilbert")


def test_vader_behind_the_analyzer_interface():
    analyzer = deploy.load_analyzer("vader")
    predictions = analyzer.predict(REVIEWS[:2])
    assert [p.label for p in predictions] == ["POSITIVE", "NEGATIVE"]
    assert all(0.5 <= p.score <= 1 for p in predictions)
    assert analyzer.predict_polarity(REVIEWS[:2]) == [1, 0]
    with pytest.raises(ValueError, match="text 1 is empty"):
        analyzer.predict(["good", " "])


@pytest.fixture
def classifier(tiny_bert_classifier):
    tokenizer = load_tokenizer()
    return tiny_bert_classifier(vocab_size=tokenizer.vocab_size, max_position_embeddings=512,
                                seed=3), tokenizer


def test_int8_and_bf16_copies_agree_with_fp32_and_leave_it_alone(classifier):
    model, tokenizer = classifier
    before = {k: v.clone() for k, v in model.state_dict().items()}
    reference = SentimentAnalyzer(model, tokenizer).predict_proba(REVIEWS)[0]
    for fmt, atol in (("int8", 0.05), ("bf16", 0.05)):
        copy = deploy.in_format(model, fmt)
        assert copy is not model
        probs = SentimentAnalyzer(copy, tokenizer).predict_proba(REVIEWS)[0]
        assert torch.allclose(probs, reference, atol=atol), fmt
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    int8 = deploy.in_format(model, "int8")
    assert any("quantized" in type(m).__module__ for m in int8.modules())
    assert deploy.weight_bytes(int8) < deploy.weight_bytes(model)
    fp32_bytes = sum(p.numel() * 4 for p in model.parameters())
    assert fp32_bytes <= deploy.weight_bytes(model) < fp32_bytes * 1.05  # + a few buffers
    assert deploy.disk_bytes(int8) < deploy.disk_bytes(model)
    half = deploy.in_format(model, "bf16", inplace=True)
    assert half is model and model.classifier.weight.dtype == torch.bfloat16
    with pytest.raises(ValueError, match="unknown format"):
        deploy.in_format(model, "int4")


def test_onnx_export_reproduces_the_model_at_any_batch_and_length(classifier, tmp_path):
    pytest.importorskip("onnxruntime")
    from course_utils.deploy.onnx import OnnxClassifier, export, quantize

    model, tokenizer = classifier
    path = export(model, tokenizer, tmp_path / "model.onnx")
    assert not model.training  # the export's trap: it would restore a wrapper's train mode
    onnx = OnnxClassifier(path, model.config)
    ours = SentimentAnalyzer(onnx, tokenizer, batch_size=3).predict_proba(REVIEWS)[0]
    reference = SentimentAnalyzer(model, tokenizer, batch_size=3).predict_proba(REVIEWS)[0]
    assert torch.allclose(ours, reference, atol=1e-5)
    int8 = OnnxClassifier(quantize(path, tmp_path / "model.int8.onnx"), model.config)
    assert int8.path.stat().st_size < path.stat().st_size
    assert deploy.weight_bytes(onnx) == path.stat().st_size


class _Fixed:
    """A stand-in analyzer: positive when the text has 'good'."""

    def predict(self, texts):
        from course_utils.sentiment import Prediction

        return [Prediction("POSITIVE" if "good" in t else "NEGATIVE", 0.9, 3, False)
                for t in texts]


def _run(tmp_path, monkeypatch, content: str, *extra) -> tuple[int, list[dict], str]:
    monkeypatch.setattr(deploy.variants, "load_analyzer", lambda name: _Fixed())
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.csv"
    errors = io.StringIO()
    monkeypatch.setattr("sys.stderr", errors)
    status = cli.main(["score", str(source), "--model", "vader", "--output", str(out),
                       "--quiet", *extra])
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return status, rows, errors.getvalue()


def test_score_keeps_every_row_and_says_why_a_row_was_not_scored(tmp_path, monkeypatch):
    content = ("id,text\n1,good kettle\n2,\n3\n4,awful kettle\n5,42\n6,good,extra\n"
               "7,\"a good, long one\"\n")
    status, rows, stderr = _run(tmp_path, monkeypatch, content)
    assert status == 0 and [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [r["label"] for r in rows] == ["POSITIVE", "", "", "NEGATIVE", "", "", "POSITIVE"]
    errors = [r["error"] for r in rows]
    assert errors[0] == errors[3] == errors[6] == ""
    assert errors[1] == "row 3: empty 'text' cell"
    assert errors[2].startswith("row 4: no 'text' cell")
    assert errors[4] == "row 6: 'text' is a number (42), not text"
    assert errors[5] == "row 7: 1 cell(s) more than the header has"
    assert "scored 3 of 7 rows" in stderr and "not scored: row 3" in stderr


def test_score_names_the_column_it_needs(tmp_path, monkeypatch):
    status, rows, stderr = _run(tmp_path, monkeypatch, "id,review\n1,good\n")
    assert status == 2 and rows == []
    assert stderr.strip().endswith("no column 'text'; its columns are id, review: pass "
                                   "--text-column <one of them>")
    status, rows, _ = _run(tmp_path, monkeypatch, "id,review\n1,good\n", "--text-column",
                           "review")
    assert status == 0 and rows[0]["label"] == "POSITIVE"


@pytest.mark.parametrize("content, message", [
    (b"id,text\n1,caf\xe9\n", "not UTF-8 text (byte 13)"),
    (b"", "empty file, no header row"),
])
def test_an_unreadable_file_is_one_line_that_says_what_to_do(tmp_path, monkeypatch, content,
                                                              message):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    errors = io.StringIO()
    monkeypatch.setattr("sys.stderr", errors)
    assert cli.main(["score", str(source), "--model", "vader"]) == 2
    assert message in errors.getvalue() and errors.getvalue().count("\n") == 1
    assert cli.main(["score", str(tmp_path / "missing.csv"), "--model", "vader"]) == 2
    assert "missing.csv: no such file" in errors.getvalue()


def test_an_unknown_model_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        cli.main(["score", "in.csv", "--model", "gpt"])
    assert "invalid choice: 'gpt'" in capsys.readouterr().err


def test_the_console_script_is_declared():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["course-sentiment"] == "course_utils.deploy.cli:main"
    assert {"onnxruntime", "onnx", "onnxscript"} <= {
        d.split(">")[0].split("=")[0] for d in project["project"]["optional-dependencies"]
        ["deploy"]}
