"""The variants a team would ship and the ``course-sentiment`` console script."""

import csv
import io

import pytest
import torch

from course_utils import deploy
from course_utils.core import measurement
from course_utils.core.sentiment import SentimentAnalyzer
from course_utils.deploy import cli
from course_utils.models import load_tokenizer

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

    from course_utils.core import runtime

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
    assert measurement.weight_bytes(int8) < measurement.weight_bytes(model)
    fp32_bytes = sum(p.numel() * 4 for p in model.parameters())
    assert fp32_bytes <= measurement.weight_bytes(model) < fp32_bytes * 1.05  # + a few buffers
    assert measurement.disk_bytes(int8) < measurement.disk_bytes(model)
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
    assert measurement.weight_bytes(onnx) == path.stat().st_size
    # int8 answers: close to fp32's probabilities, not equal to them (it did quantise)
    quantised = SentimentAnalyzer(int8, tokenizer, batch_size=3).predict_proba(REVIEWS)[0]
    gap = (quantised - reference).abs().max().item()
    assert 0 < gap < 0.05, gap


class _Fixed:
    """A stand-in analyzer: positive when the text has 'good'."""

    def predict(self, texts):
        from course_utils.core.sentiment import Prediction

        return [Prediction("POSITIVE" if "good" in t else "NEGATIVE", 0.9, 3, False)
                for t in texts]


def _run(tmp_path, monkeypatch, content: str, *extra) -> tuple[int, list[dict], str]:
    monkeypatch.setattr(deploy.variants, "load_analyzer", lambda name: _Fixed())
    source = tmp_path / "in.csv"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
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
               "7,\"a good, long one\"\n8,nan\n9,inf\n")
    status, rows, stderr = _run(tmp_path, monkeypatch, content)
    assert status == 0 and [r["id"] for r in rows] == [str(i) for i in range(1, 10)]
    assert [r["label"] for r in rows] == ["POSITIVE", "", "", "NEGATIVE", "NEGATIVE", "",
                                          "POSITIVE", "NEGATIVE", "NEGATIVE"]
    errors = [r["error"] for r in rows]
    assert errors[1] == "line 3: the 'text' cell is empty: remove it or give it some words"
    assert errors[2].startswith("line 4: no 'text' cell")
    assert errors[5] == "line 7: 1 cell(s) more than the header has"
    assert [i for i, e in enumerate(errors) if e] == [1, 2, 5]  # 42, nan, inf are text
    assert "scored 6 of 9 rows" in stderr and "not scored: line 3" in stderr


@pytest.mark.parametrize("broken, problem", [
    ('2,"an unclosed quote, good\n', "text follows a closing quote: a quote opened on"),
    ('2,"closed" then more good\n', "text follows a closing quote"),
    (b'2,caf\xe9 good\n', "not UTF-8 text"),
])
def test_a_malformed_record_is_an_error_row_for_its_line_and_merges_nothing(
        tmp_path, monkeypatch, broken, problem):
    head = "id,text\n1,good kettle\n"
    tail = "3,awful kettle\n4,\"a good, quoted one\"\n\n5,good again\n"
    content = (head.encode() + (broken if isinstance(broken, bytes) else broken.encode())
               + tail.encode())
    status, rows, stderr = _run(tmp_path, monkeypatch, content)
    assert status == 0 and len(rows) == 5  # five records in, five rows out, in order
    assert [r["id"] for r in rows] == ["1", "", "3", "4", "5"]
    assert rows[1]["error"].startswith(f"line 3: {problem}") and rows[1]["label"] == ""
    assert [r["label"] for r in rows[2:]] == ["NEGATIVE", "POSITIVE", "POSITIVE"]
    assert "scored 4 of 5 rows" in stderr
    # the control: the same file with the record mended reads as five good records
    status, rows, _ = _run(tmp_path, monkeypatch, head + '2,"a closed quote, good"\n' + tail)
    assert [r["error"] for r in rows] == [""] * 5


def test_an_unclosed_quote_on_the_last_record_is_its_own_error(tmp_path, monkeypatch):
    status, rows, _ = _run(tmp_path, monkeypatch, 'id,text\n1,good\n2,"never closed\n3,x')
    assert status == 0
    assert [r["error"][:7] for r in rows] == ["", "line 3:", ""]


def test_an_output_that_cannot_be_written_is_refused_before_scoring(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr(deploy.variants, "load_analyzer", lambda name: built.append(name))
    (tmp_path / "in.csv").write_text("id,text\n1,good\n", encoding="utf-8")
    errors = io.StringIO()
    monkeypatch.setattr("sys.stderr", errors)
    status = cli.main(["score", str(tmp_path / "in.csv"), "--model", "vader", "--output",
                       str(tmp_path / "no-such-folder" / "out.csv")])
    assert status == 2 and built == []  # nothing was loaded or scored
    assert "--output" in errors.getvalue() and "cannot be written" in errors.getvalue()


def test_only_the_csv_goes_to_standard_output(tmp_path, monkeypatch, capsys):
    def noisy(name):
        print("building the checkpoint ...")  # as the zoo does on a first build
        return _Fixed()

    monkeypatch.setattr(deploy.variants, "load_analyzer", noisy)
    (tmp_path / "in.csv").write_text("id,text\n1,good\n2,bad\n", encoding="utf-8")
    assert cli.main(["score", str(tmp_path / "in.csv"), "--model", "vader", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert list(csv.reader(io.StringIO(out))) == [
        ["id", "text", "label", "score", "error"], ["1", "good", "POSITIVE", "0.9", ""],
        ["2", "bad", "NEGATIVE", "0.9", ""]]
    assert "building the checkpoint" in err


def test_models_lists_every_variant_without_building_one(monkeypatch, capsys):
    def refuse(name):
        raise AssertionError(f"built {name}")

    monkeypatch.setattr(deploy.variants, "build_analyzer", refuse)
    monkeypatch.setattr(deploy.variants, "load_analyzer", refuse)
    assert cli.main(["models"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(names) == sorted(deploy.VARIANTS + deploy.GPU_VARIANTS + deploy.ONLINE_VARIANTS)


_STREAM_CHECK = """
import io, resource, sys
from pathlib import Path
from course_utils.deploy import cli
from course_utils.core.sentiment import Prediction

class Stand_in:
    def predict(self, texts):
        return [Prediction("POSITIVE", 0.9, 1, False) for _ in texts]

path = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stream, header, rest = cli.open_records(path, "text")
with stream, open(sys.argv[2], "w", newline="") as out:
    count, failed, _ = cli.write_scored(stream, header, rest, "text", Stand_in(), out)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(count, failed, grown)
"""


@pytest.mark.slow
def test_score_streams_a_million_rows_in_constant_memory(tmp_path):
    """A million records (about 30 MB) through the real reader and writer with a stand-in
    scorer: the process's peak resident memory grows by a few MB, not by the file (the
    whole file read as rows first grew it by 330 MB)."""
    import subprocess
    import sys

    source = tmp_path / "big.csv"
    with source.open("w") as f:
        f.write("id,text\n")
        f.writelines(f"{i},a good kettle number {i}\n" for i in range(1_000_000))
    result = subprocess.run([sys.executable, "-c", _STREAM_CHECK, str(source),
                             str(tmp_path / "out.csv")], capture_output=True, text=True,
                            check=True)
    count, failed, grown_kb = map(int, result.stdout.split())
    assert (count, failed) == (1_000_000, 0)
    assert grown_kb < 20 * 1024, f"peak memory grew by {grown_kb / 1024:.0f} MB"
    with (tmp_path / "out.csv").open() as f:
        assert sum(1 for _ in f) == 1_000_001


def test_score_names_the_column_it_needs(tmp_path, monkeypatch):
    status, rows, stderr = _run(tmp_path, monkeypatch, "id,review\n1,good\n")
    assert status == 2 and rows == []
    assert stderr.strip().endswith("no column 'text'; its columns are id, review: pass "
                                   "--text-column <one of them>")
    status, rows, _ = _run(tmp_path, monkeypatch, "id,review\n1,good\n", "--text-column",
                           "review")
    assert status == 0 and rows[0]["label"] == "POSITIVE"


@pytest.mark.parametrize("content, message", [
    (b"id,t\xe9xt\n1,good\n", "the header row cannot be read: not UTF-8 text"),
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
