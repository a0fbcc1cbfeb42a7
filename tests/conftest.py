"""Shared test set-up: offline mode, quiet libraries, a fixed seed."""

import os

import pytest

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# A reference solution whose checker says "Not yet" fails the notebook (see tests/README.md).
os.environ.setdefault("COURSE_EXERCISES_STRICT", "1")


@pytest.fixture(autouse=True)
def lenient_exercises(monkeypatch):
    """Unit tests see the checkers as a student does: a wrong answer prints, never raises."""
    monkeypatch.delenv("COURSE_EXERCISES_STRICT", raising=False)


@pytest.fixture(autouse=True)
def private_output(monkeypatch, tmp_path):
    """Unit tests write claim ledgers to a temporary folder, never to a run's output."""
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "output"))


_lesson_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Add up each notebook's cell times (set-up, call and teardown of every nbval cell)."""
    path = str(report.fspath)
    if path.endswith(".ipynb"):
        name = os.path.basename(path)
        _lesson_seconds[name] = _lesson_seconds.get(name, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """Print the seconds each lesson took to execute (the 3-minute budget, tests/README.md)."""
    if _lesson_seconds:
        terminalreporter.write_sep("-", "seconds per lesson")
        for name, seconds in sorted(_lesson_seconds.items()):
            terminalreporter.write_line(f"{name}: {seconds:.0f} s")
