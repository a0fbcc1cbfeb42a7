"""Automatic feedback for the lessons' exercises: one module of checks per lesson, and one of
reference solutions per lesson in :mod:`course_utils.exercises.solutions`, kept out of the
notebooks (and so out of the slides and Colab) until a student asks for one."""

from __future__ import annotations

import contextlib
import io
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


MORE_OR_LESS = ("more", "less")
"""The answers of a prediction about the size of an effect, against a stated line."""


def predicted(prediction, choices) -> bool:
    """Has the student written a prediction, one of ``choices``? If not, a nudge to write it
    first (a predict-then-measure exercise measures only after the prediction)."""
    if prediction in choices:
        return True
    options = (" or ".join(f'"{choice}"' for choice in choices) if len(choices) == 2
               else "one of " + ", ".join(choices))
    print(f"⏳ First write your prediction: my_prediction = {options}.")
    return False


def check_reference(check: Callable, answer, *args, **kwargs) -> None:
    """Run ``check(answer, *args, **kwargs)`` on a reference solution's ``answer`` without
    printing its verdict (which would give the answer away); raise :class:`WrongAnswer` if it
    does not pass. Lessons call it after each exercise so that the test run proves every
    reference solution right, while the notebook shows only that one exists."""
    captured = io.StringIO()
    strict = os.environ.get(STRICT_VARIABLE)
    os.environ[STRICT_VARIABLE] = "1"
    try:
        with contextlib.redirect_stdout(captured):
            check(answer, *args, **kwargs)
    except WrongAnswer as error:
        raise WrongAnswer(f"the reference solution does not pass: {error}") from None
    finally:
        if strict is None:
            del os.environ[STRICT_VARIABLE]
        else:
            os.environ[STRICT_VARIABLE] = strict
    if not captured.getvalue().startswith("✅"):
        raise WrongAnswer(f"the reference solution does not pass: {captured.getvalue().strip()}")
    print("🔒 A reference solution passes this check (its answer stays hidden).")


def show_solution(solution: Callable):
    """The source of a reference solution from :mod:`course_utils.exercises.solutions`."""
    from ..source import show_source

    return show_source(solution)
