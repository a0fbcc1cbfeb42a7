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
