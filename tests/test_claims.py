"""The claim checks, the ledger each lesson writes, and the report that reads them."""

import json

import pytest

from course_utils import claims, report


def test_claims_pass_and_fail_loudly():
    check = claims.ClaimCheck("demo")
    with pytest.raises(claims.ClaimFailed, match="no claims"):
        check.assert_all()
    speedup = 1.7
    check.add("fast", paper="1.6x", measured="1.7x", holds=speedup >= 1.5)
    check.add("ALBERT saves compute", paper="-", measured="1.0x", holds=False, expected=False)
    check.assert_all()
    assert list(check.table()["verdict"]) == ["holds", "does not hold (as the lesson says)"]
    check.add("accurate", paper="97%", measured="80%", holds=False)
    with pytest.raises(claims.ClaimFailed, match="accurate"):
        check.assert_all()
    assert "UNEXPECTED" in check._repr_html_()


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
    assert report.summary(ledger) == (
        "3 claims: 1 hold, 1 do not hold as the lessons say, 1 unexpected (+1 paper anchors), "
        "1 lessons; controls: 0 told apart, 0 not, 3 missing (0 counts need none)")
    assert report.main(["--strict"]) == 1
    assert report.lines(ledger) == [
        "99 | holds | 1 | no control yet | holds",
        "99 | does not hold (as the lesson says) | 0 | no control yet | fails as said",
        "99 | UNEXPECTED: does not hold | 0 | no control yet | fails"]
    page = (claims.ledger_dir().parent / "claims.html").read_text()
    assert "99 Demo lesson" in page and "UNEXPECTED" in page


def test_report_without_a_ledger_says_what_to_do(tmp_path, capsys):
    with pytest.raises(SystemExit):
        report.main(["--ledger", str(tmp_path / "none")])
    assert "run a lesson first" in capsys.readouterr().err


def test_a_check_that_passes_its_negative_control_too_is_not_a_claim():
    """The claim's own check runs on the control; where it passes there as well (a speed-up
    line two identical models clear), the cell fails as for a claim that does not hold."""
    check = claims.ClaimCheck("99 Demo lesson")
    faster = lambda ratio: ratio >= 1.5
    check.claim("the student is fast", "1.6x", 2.0, faster, ("two identical models", 1.0),
                show=lambda r: f"{r:.1f}x")
    check.claim("popular: ALBERT is fast", "advice", 1.0, faster,
                ("DistilBERT in its place", 2.0), expected=False)
    check.count("ALBERT has 9x fewer parameters", "12M", "9.0x", True)
    check.assert_all()
    assert list(check.table()["control verdict"]) == [
        "told apart: fails on the control", "told apart: holds on the control", "-"]
    assert check.table()["negative control"][0] == "two identical models: 1.0x"

    check.claim("the student is faster than a lax line", "-", 2.0, lambda r: r > 0,
                ("two identical models", 1.0))
    with pytest.raises(claims.ClaimFailed, match="lax line .*control two identical models"):
        check.assert_all()
    assert "NOT A CLAIM: holds on the control too" in check._repr_html_()
    ledger = report.load_ledger()
    assert report.summary(ledger).endswith(
        "controls: 2 told apart, 1 not, 0 missing (1 counts need none)")
    assert report.main(["--strict"]) == 1
    assert "NOT A CLAIM" in (claims.ledger_dir().parent / "claims.html").read_text()
