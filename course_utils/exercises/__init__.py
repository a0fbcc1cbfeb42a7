"""Automatic feedback for the lessons' exercises: one module per lesson, sharing these two."""

from __future__ import annotations

import os
from collections.abc import Callable

STRICT_VARIABLE = "COURSE_EXERCISES_STRICT"


class WrongAnswer(AssertionError):
    """A checked answer was wrong while ``COURSE_EXERCISES_STRICT=1`` (the test run)."""


def feedback(passed: bool, success: str, hint: str) -> bool:
    """Print a one-line verdict: the success message, or a hint towards the answer; return
    ``passed``. Under ``COURSE_EXERCISES_STRICT=1`` (set by the test suite) a wrong answer
    raises :class:`WrongAnswer`, so a reference solution that stops passing fails the run."""
    print(f"✅ {success}" if passed else f"❌ Not yet: {hint}")
    if not passed and os.environ.get(STRICT_VARIABLE) == "1":
        raise WrongAnswer(hint)
    return passed


def attempt(solution: Callable, *args, **kwargs):
    """Call the student's ``solution``; ``None`` (with a nudge) while it is still a stub."""
    try:
        return solution(*args, **kwargs)
    except NotImplementedError:
        print("⏳ Not attempted yet: replace `raise NotImplementedError` with your code.")
        return None
