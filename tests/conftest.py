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
