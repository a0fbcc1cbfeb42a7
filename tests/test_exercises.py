"""The exercise machinery: reference solutions checked out of sight, lesson 00's checkers."""

from __future__ import annotations

import os

import pytest

from course_utils.exercises import (
    STRICT_VARIABLE,
    WrongAnswer,
    check_reference,
    show_solution,
    welcome,
)
from course_utils.exercises.solutions import welcome as solutions


class _ReadsEverythingPositive:
    """A stand-in analyzer that calls every review positive."""

    def predict_polarity(self, texts):
        return [1 for _ in texts]


def _check_equals_two(answer):
    welcome.feedback(answer == 2, "two.", "not two.")


def test_check_reference_hides_the_verdict_and_fails_a_wrong_reference(capsys, monkeypatch):
    monkeypatch.delenv(STRICT_VARIABLE, raising=False)
    check_reference(_check_equals_two, 2)
    assert capsys.readouterr().out.startswith("🔒 A reference solution passes this check")
    with pytest.raises(WrongAnswer, match="does not pass: not two"):
        check_reference(_check_equals_two, 3)
    assert STRICT_VARIABLE not in os.environ


def test_show_solution_shows_the_source_that_runs():
    code = show_solution(solutions.hardest_category)
    assert "def hardest_category(analyzer, validation):" in code.data
    assert code.data.startswith("# course_utils.exercises.solutions.welcome.hardest_category")


def test_a_mislabelled_review_does_not_fool_the_checker(capsys):
    analyzer = _ReadsEverythingPositive()
    welcome.check_fooling_review(("This is great, I love it.", 0), analyzer)  # mislabelled
    welcome.check_fooling_review(("It is not great.", 0), analyzer)
    welcome.check_fooling_review(("Lovely.", 1), analyzer)  # read correctly
    welcome.check_fooling_review(None, analyzer)
    wrong_label, fooled, correct, stub = capsys.readouterr().out.splitlines()
    assert wrong_label.startswith("❌") and "VADER reads it as positive" in wrong_label
    assert fooled.startswith("✅") and correct.startswith("❌") and stub.startswith("⏳")


def test_the_reference_review_is_written_for_the_exercise_not_taken_from_the_corpus():
    from course_utils.data import load_reviews

    text, label = solutions.fooling_review(_ReadsEverythingPositive())
    assert label == 0 and text in dict(solutions.CANDIDATE_REVIEWS)
    assert all(text not in split["text"] for split in load_reviews().values())
