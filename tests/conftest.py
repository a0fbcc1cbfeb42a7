"""Fixtures for the unit tests (the set-up shared with the notebooks is in ../conftest.py)."""

import pytest


@pytest.fixture(autouse=True)
def lenient_exercises(monkeypatch):
    """Unit tests see the checkers as a student does: a wrong answer prints, never raises."""
    monkeypatch.delenv("COURSE_EXERCISES_STRICT", raising=False)


@pytest.fixture(autouse=True)
def private_output(monkeypatch, tmp_path):
    """Unit tests write claim ledgers to a temporary folder, never to a run's output."""
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "output"))
