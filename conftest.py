"""Set-up shared by the unit tests and the nbval run of the lessons (tests/README.md): offline
mode, no Hub but a closed local port, quiet tokenizers, strict exercise checkers, and the
seconds each lesson took."""

import os

import pytest

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Any Hub request of a test, or of a lesson's kernel, goes to a closed port on this machine
# and fails at once (tests/test_online.py points its own processes at a local stand-in).
os.environ.setdefault("HF_ENDPOINT", "http://127.0.0.1:9")
# A reference solution whose checker says "Not yet" fails the notebook (see tests/README.md).
os.environ.setdefault("COURSE_EXERCISES_STRICT", "1")

_lesson_seconds: dict[str, float] = {}


def pytest_collection_modifyitems(items):
    """Every lesson cell is ``serial``: a lesson asserts timing claims, which another test
    running beside it would break (``make test`` runs the unit tests two at a time first)."""
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.serial)


def pytest_runtest_logreport(report):
    """Add up each notebook's cell times (set-up, call and teardown of every nbval cell)."""
    path = str(report.fspath)
    if path.endswith(".ipynb"):
        name = os.path.basename(path)
        _lesson_seconds[name] = _lesson_seconds.get(name, 0.0) + report.duration


LESSON_BUDGET_S = 180
"""A lesson's budget on a 2-core CPU without a network (tests/README.md, "Recording")."""


@pytest.fixture
def lesson_budget_s() -> int:
    """:data:`LESSON_BUDGET_S`, for a test that runs a lesson in a process of its own."""
    return LESSON_BUDGET_S


def pytest_terminal_summary(terminalreporter):
    """Print the seconds each lesson took to execute, and which went over its budget."""
    if _lesson_seconds:
        terminalreporter.write_sep("-", "seconds per lesson")
        for name, seconds in sorted(_lesson_seconds.items()):
            over = f" (over the {LESSON_BUDGET_S} s budget)" if seconds > LESSON_BUDGET_S else ""
            terminalreporter.write_line(f"{name}: {seconds:.0f} s{over}")
