"""Fixtures for the unit tests (the set-up shared with the notebooks is in ../conftest.py)."""

import os

import pytest

# The unit tests run offline whatever the caller's shell exported (the Hub libraries read
# their offline switches once, at import: they are cleared before anything imports them).
# Online code is tested in child processes pointed at the local stand-in (test_online.py).
for _switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.pop(_switch, None)
os.environ["COURSE_MODE"] = "offline"

from hub_standin import NetworkGuard


@pytest.fixture(autouse=True)
def only_this_machine():
    """Fail a test that tried to reach any host but this one (name look-ups and connections
    are refused by :class:`hub_standin.NetworkGuard`, and listed here, even when the code
    that tried swallowed the error)."""
    guard = NetworkGuard()
    uninstall = guard.install()
    yield
    uninstall()
    assert not guard.blocked, f"the test tried to reach {guard.blocked}:\n{guard.stacks[0]}"


@pytest.fixture(autouse=True)
def lenient_exercises(monkeypatch):
    """Unit tests see the checkers as a student does: a wrong answer prints, never raises."""
    monkeypatch.delenv("COURSE_EXERCISES_STRICT", raising=False)


@pytest.fixture(autouse=True)
def private_output(monkeypatch, tmp_path):
    """Unit tests write claim ledgers to a temporary folder, never to a run's output."""
    monkeypatch.setenv("COURSE_OUTPUT_DIR", str(tmp_path / "output"))


@pytest.fixture
def tiny_bert_classifier():
    """Build a seeded, tiny ``BertForSequenceClassification`` (hidden 32, 4 heads): a teacher or
    a sentiment model that runs in milliseconds. Keyword arguments override config fields."""

    def build(layers: int = 2, vocab_size: int = 200, seed: int = 0, **config):
        import torch
        from transformers import BertConfig, BertForSequenceClassification

        fields = {"hidden_size": 32, "num_attention_heads": 4, "intermediate_size": 64,
                  "max_position_embeddings": 64, "id2label": {0: "NEGATIVE", 1: "POSITIVE"},
                  "label2id": {"NEGATIVE": 0, "POSITIVE": 1}, **config}
        torch.manual_seed(seed)
        config = BertConfig(vocab_size=vocab_size, num_hidden_layers=layers, **fields)
        return BertForSequenceClassification(config).eval()

    return build


CALLERS_SETTINGS = ("COURSE_DEVICE", "COURSE_MIXED_PRECISION", "COURSE_THREADS", "COURSE_SEED",
                    "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")
"""What a caller's shell may export that would change what a unit test sees: each test
starts without them (it sets what it needs), so no test depends on the caller's shell."""


@pytest.fixture(autouse=True)
def fresh_runtime_context(monkeypatch):
    """Each test decides the runtime context from its own environment (offline mode and the
    hardware as it is, unless the test says otherwise, whatever the caller's shell
    exported); the next test starts afresh."""
    from course_utils.core import artifacts, runtime

    for name in CALLERS_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COURSE_MODE", "offline")
    runtime.forget()
    yield
    runtime.forget()  # decided afresh by the next test, from its own environment
    artifacts.forget()


def pytest_collection_modifyitems(config, items):
    """A ``gpu`` test needs CUDA: on a machine without it, skip them, and say so once."""
    import torch

    if torch.cuda.is_available():
        return
    gpu = [item for item in items if "gpu" in item.keywords]
    reason = "no CUDA GPU here (torch.cuda.is_available() is False): gpu tests skipped"
    for item in gpu:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_report_header(config):
    import torch

    return ("gpu tests: run (CUDA GPU present)" if torch.cuda.is_available()
            else "gpu tests: skipped (no CUDA GPU here)")
