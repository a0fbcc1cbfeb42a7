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
    """No Hub (here: nothing listening on the endpoint's port): offline, at once."""
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(runtime, "_probe_cache", {})
    start = time.perf_counter()
    assert runtime.current_mode() == "offline"
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
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    monkeypatch.setattr(runtime, "_probe_cache", {})
    monkeypatch.setattr(runtime, "_hub_answers", lambda url, t: calls.append(url) or True)
    assert runtime.current_mode() == "online"
    assert runtime.current_mode() == "online"
    assert len(calls) == 1


def test_hub_libraries_offline_switch_forces_offline_in_auto(monkeypatch):
    """huggingface_hub reads HF_HUB_OFFLINE/TRANSFORMERS_OFFLINE once, on import: the course
    asks it (test_online.py sets the variables before the import, in a fresh process)."""
    from huggingface_hub import constants

    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.setattr(runtime, "_probe_cache", {})
    monkeypatch.setattr(runtime, "_hub_answers", lambda url, t: True)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    assert runtime.current_mode() == "offline"
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    assert runtime.current_mode() == "online"


def test_setup_lesson_reports_and_seeds(capsys):
    import torch

    facts = runtime.setup_lesson(seed=3)
    first = torch.rand(1)
    runtime.setup_lesson(seed=3)
    assert torch.equal(first, torch.rand(1))
    assert facts["mode"] == "offline" and facts["device"] == "cpu"
    assert torch.get_num_threads() == facts["threads"]
    assert "mode: offline" in capsys.readouterr().out


def _hardware(monkeypatch, *, cuda=False, cuda_bf16=False, cpu_bf16=False, switch=None):
    """Answer mixed_precision()'s hardware probes (and its switch) as the given machine would."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: cuda_bf16)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: cpu_bf16,
                        raising=False)
    if switch is None:
        monkeypatch.delenv("COURSE_MIXED_PRECISION", raising=False)
    else:
        monkeypatch.setenv("COURSE_MIXED_PRECISION", switch)


@pytest.mark.parametrize("cpu_bf16, expected", [
    (True, {"bf16": True, "use_cpu": True}),  # AVX-512 BF16: bf16 on the CPU
    (False, {}),  # a laptop without it: full precision
])
def test_mixed_precision_follows_the_cpus_bf16_support(monkeypatch, cpu_bf16, expected):
    _hardware(monkeypatch, cpu_bf16=cpu_bf16)
    assert runtime.mixed_precision() == expected
    assert runtime.machine_facts()["mixed precision"] == ("bf16/fp16" if expected else "off")


@pytest.mark.parametrize("cuda_bf16, expected", [(True, {"bf16": True}),
                                                 (False, {"fp16": True})])
def test_mixed_precision_on_a_gpu_prefers_bf16_else_fp16(monkeypatch, cuda_bf16, expected):
    _hardware(monkeypatch, cuda=True, cuda_bf16=cuda_bf16, cpu_bf16=True)
    assert runtime.mixed_precision() == expected


@pytest.mark.parametrize("switch", ["0", "false", "No ", "FALSE"])
def test_mixed_precision_switched_off_even_where_the_hardware_has_it(monkeypatch, switch):
    _hardware(monkeypatch, cpu_bf16=True, switch=switch)
    assert runtime.mixed_precision() == {}
    _hardware(monkeypatch, cuda=True, cuda_bf16=True, switch=switch)
    assert runtime.mixed_precision() == {}


@pytest.mark.parametrize("switch", ["1", "yes", ""])
def test_mixed_precision_switch_left_on_keeps_the_hardware_answer(monkeypatch, switch):
    _hardware(monkeypatch, cpu_bf16=True, switch=switch)
    assert runtime.mixed_precision() == {"bf16": True, "use_cpu": True}
