"""The claim ledger, the claims report, timing intervals and the run's seed."""

import json
import time

import pytest
import torch

from course_utils import bench, claims, report, runtime


def _timing(times):
    return bench._timing(list(times))


def test_speedup_of_paired_repeats_is_the_ratio_of_medians_with_an_interval():
    reference = _timing([2.0, 2.2, 1.9, 2.1, 2.4, 2.0, 2.05])
    faster = _timing([1.0, 1.1, 0.95, 1.05, 1.2, 1.0, 1.02])
    ratio = bench.speedup(reference, faster)
    assert ratio.value == pytest.approx(reference.median / faster.median)
    assert 1.8 < ratio.low <= ratio.value <= ratio.high < 2.2
    assert bench.speedup(faster, reference).high < 0.6  # the other way round: slower
    assert "95% CI" in str(ratio)
    with pytest.raises(ValueError, match="same round-robin"):
        bench.speedup(reference, _timing([1.0, 1.1, 1.2]))


def test_interleaved_calls_measure_a_real_difference():
    timings = bench.interleaved_calls({"slow": lambda: time.sleep(0.03),  # 10x, so that a
                                       "fast": lambda: time.sleep(0.003)},  # busy machine's
                                      warmup=1, repeats=5)  # scheduling delays cannot hide it
    ratio = bench.speedup(timings["slow"], timings["fast"])
    assert len(timings["slow"].times) == 5 and ratio.low > 1.5
    with pytest.raises(ValueError, match="at least 3"):
        bench.interleaved_calls({"a": lambda: None}, repeats=2)


class _Toy(torch.nn.Module):
    """A toy 'model' taking token ids: an embedding, then a linear layer of ``width``."""

    config = type("Config", (), {"vocab_size": 64})()

    def __init__(self, width):
        super().__init__()
        self.embed, self.linear = torch.nn.Embedding(64, 64), torch.nn.Linear(64, width)

    def forward(self, input_ids, attention_mask):
        return self.linear(self.embed(input_ids)).sum()


def test_benchmark_table_reports_the_speed_up_interval():
    table = bench.benchmark_models({"large": _Toy(8192), "small": _Toy(64)}, "large",
                                   seq_len=64, repeats=5)
    assert table.loc["large", "speed-up"] == 1.0
    assert table.loc["small", "speed-up low"] > 1.0


def test_assert_all_records_the_ledger_even_when_a_claim_fails(tmp_path):
    check = claims.ClaimCheck("99 Demo lesson")
    check.add("holds", paper="-", measured="1", holds=True)
    check.add("fails as said", paper="-", measured="0", holds=False, expected=False)
    check.add("fails", paper="-", measured="0", holds=False)
    check.anchor("paper only", paper="92.5", why="needs a GPU")
    with pytest.raises(claims.ClaimFailed):
        check.assert_all()
    path = claims.ledger_dir() / "99_demo_lesson.json"
    entry = json.loads(path.read_text())
    assert [c["verdict"] for c in entry["claims"]] == [
        "holds", "does not hold (as the lesson says)", "UNEXPECTED: does not hold",
        "paper's figure, not reproduced here"]
    assert {"device", "precision", "threads", "kernels", "seed"} <= set(entry["machine"])
    ledger = report.load_ledger()
    assert report.summary(ledger) == ("3 claims: 1 hold, 1 do not hold as the lessons say, "
                                      "1 unexpected (+1 paper anchors), 1 lessons")
    assert report.main(["--strict"]) == 1
    assert report.lines(ledger) == [
        "99 | holds | 1 | holds", "99 | does not hold (as the lesson says) | 0 | fails as said",
        "99 | UNEXPECTED: does not hold | 0 | fails"]
    page = (claims.ledger_dir().parent / "claims.html").read_text()
    assert "99 Demo lesson" in page and "UNEXPECTED" in page


def test_report_without_a_ledger_says_what_to_do(tmp_path, capsys):
    with pytest.raises(SystemExit):
        report.main(["--ledger", str(tmp_path / "none")])
    assert "run a lesson first" in capsys.readouterr().err


def test_course_seed_and_mixed_precision_switches(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "3")
    assert runtime.course_seed() == 3
    monkeypatch.setenv("COURSE_SEED", "three")
    with pytest.raises(ValueError, match="COURSE_SEED=1"):
        runtime.course_seed()
    monkeypatch.setenv("COURSE_SEED", "0")
    monkeypatch.setenv("COURSE_MIXED_PRECISION", "0")
    assert runtime.mixed_precision() == {"use_cpu": runtime.device().type == "cpu"}


def test_accuracy_of_no_examples_says_what_is_wrong():
    from course_utils.metrics import accuracy

    with pytest.raises(ValueError, match="at least one label"):
        accuracy([], [])


def test_wilson_interval_matches_the_textbook_formula():
    import math

    from course_utils.metrics import wilson_interval

    z, k, n = 1.959963984540054, 153, 180
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = wilson_interval(k, n)
    assert abs(low - (centre - half)) < 1e-12 and abs(high - (centre + half)) < 1e-12


def test_time_call_waits_for_queued_gpu_work_around_every_timed_call(monkeypatch):
    events = []
    monkeypatch.setattr(bench, "_synchronise", lambda: events.append("sync"))
    bench.time_call(lambda: events.append("call"), warmup=1, repeats=2)
    assert events == ["call", "sync", "call", "sync", "sync", "call", "sync"]


def test_retention_interval_is_paired_and_rejects_a_clearly_worse_student():
    """The GPU run's table (both right 142, teacher only 17, student only 9): 95.0%, and its
    interval still reaches 97%; a student wrong on 20 more reviews (87%) does not reach it."""
    from course_utils.metrics import retention

    truth = [1] * 180
    teacher = [1] * 159 + [0] * 21
    student = [1] * 142 + [0] * 17 + [1] * 9 + [0] * 12
    kept = retention(truth, teacher, student)
    assert kept.value == pytest.approx(151 / 159) and kept.low < kept.value < kept.high
    assert kept.high >= 0.97
    worse = [1] * 122 + [0] * 37 + [1] * 9 + [0] * 12  # 131 right: 82% of the teacher's
    assert retention(truth, teacher, worse).high < 0.97
    assert retention(truth, teacher, teacher).value == 1.0
    with pytest.raises(ValueError, match="predictions"):
        retention(truth, teacher, student[:-1])
