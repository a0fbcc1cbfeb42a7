import time

import pytest

from course_utils import runtime


def test_modes_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "offline")
    assert runtime.current_mode() == "offline"
    monkeypatch.setenv("COURSE_MODE", "online")
    assert runtime.current_mode() == "online"
    monkeypatch.setenv("COURSE_MODE", "sideways")
    with pytest.raises(ValueError, match="COURSE_MODE"):
        runtime.current_mode()


def test_auto_without_network_answers_offline_quickly(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(runtime, "_probe_cache", {})
    start = time.perf_counter()
    assert runtime.current_mode() == "offline"  # this machine cannot reach the Hub
    assert time.perf_counter() - start < 3


def test_probe_gives_up_on_a_server_that_never_answers(monkeypatch):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    start = time.perf_counter()
    assert runtime._hub_answers(url, timeout=0.5) is False
    assert time.perf_counter() - start < 1.5
    listener.close()


def test_auto_caches_the_probe(monkeypatch):
    calls = []
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(runtime, "_probe_cache", {})
    monkeypatch.setattr(runtime, "_hub_answers", lambda url, t: calls.append(url) or True)
    assert runtime.current_mode() == "online"
    assert runtime.current_mode() == "online"
    assert len(calls) == 1


def test_hf_hub_offline_forces_offline_in_auto(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(runtime, "_hub_answers", lambda url, t: True)
    assert runtime.current_mode() == "offline"


def test_setup_lesson_reports_and_seeds(capsys):
    import torch

    facts = runtime.setup_lesson(seed=3)
    first = torch.rand(1)
    runtime.setup_lesson(seed=3)
    assert torch.equal(first, torch.rand(1))
    assert facts["mode"] == "offline" and facts["device"] == "cpu"
    assert torch.get_num_threads() == facts["threads"]
    assert "mode: offline" in capsys.readouterr().out
