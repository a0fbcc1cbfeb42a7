"""Automatic feedback for the lessons' exercises: one module per lesson, sharing these two."""

from __future__ import annotations

from collections.abc import Callable


def feedback(passed: bool, success: str, hint: str) -> None:
    """Print a one-line verdict: the success message, or a hint towards the answer."""
    print(f"✅ {success}" if passed else f"❌ Not yet: {hint}")


def attempt(solution: Callable, *args, **kwargs):
    """Call the student's ``solution``; ``None`` (with a nudge) while it is still a stub."""
    try:
        return solution(*args, **kwargs)
    except NotImplementedError:
        print("⏳ Not attempted yet: replace `raise NotImplementedError` with your code.")
        return None
