import time

import pytest

from course_utils.core import runtime


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
    run = runtime.context()
    assert facts["mode"] == "offline" and facts["device"] == run.device_name()
    assert facts["precision"] == run.precision and facts["device"].startswith(run.device.type)
    assert torch.get_num_threads() == facts["threads"] == run.threads
    out = capsys.readouterr().out
    assert "mode: offline" in out and f"device: {run.device_name()}" in out


def _hardware(monkeypatch, *, cuda=False, cuda_bf16=False, cpu_bf16=False, switch=None,
              device=None):
    """Answer the runtime context's hardware probes (and its switches) as the given machine
    would: a GPU with or without native bf16 (a T4 emulates it: ``including_emulation=False``
    says no), a CPU with or without AVX-512 BF16."""
    import torch

    def cuda_bf16_probe(including_emulation=True):
        return cuda_bf16 or (cuda and including_emulation)  # every GPU emulates bf16

    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", cuda_bf16_probe)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a: "Tesla T4")
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: cpu_bf16,
                        raising=False)
    for name, value in (("COURSE_MIXED_PRECISION", switch), ("COURSE_DEVICE", device)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runtime.refresh()


@pytest.mark.parametrize("cpu_bf16, expected", [
    (True, {"bf16": True, "use_cpu": True}),  # AVX-512 BF16: bf16 on the CPU
    (False, {"use_cpu": True}),  # a laptop without it: full precision
])
def test_mixed_precision_follows_the_cpus_bf16_support(monkeypatch, cpu_bf16, expected):
    run = _hardware(monkeypatch, cpu_bf16=cpu_bf16)
    assert runtime.mixed_precision() == expected
    assert runtime.machine_facts()["precision"] == run.precision == ("bf16" if cpu_bf16
                                                                      else "fp32")


@pytest.mark.parametrize("cuda_bf16, expected", [(True, "bf16"), (False, "fp16")])
def test_a_gpu_trains_in_native_bf16_else_fp16_never_emulated_bf16(monkeypatch, cuda_bf16,
                                                                    expected):
    """An A100/H100/L4 has bf16; a T4 only emulates it (``is_bf16_supported()`` says yes
    unless asked ``including_emulation=False``): fp16 there, with the Trainer's scaler."""
    import torch

    run = _hardware(monkeypatch, cuda=True, cuda_bf16=cuda_bf16, cpu_bf16=True)
    assert run.device == torch.device("cuda") and run.precision == expected
    assert runtime.mixed_precision() == {expected: True, "use_cpu": False}
    assert run.half_dtype == {"bf16": torch.bfloat16, "fp16": torch.float16}[expected]
    assert runtime.native_bf16() is cuda_bf16
    assert runtime.native_bf16("cpu") is True  # the CPU's own answer, for lesson 06's rows


def test_fp16_switch_forces_the_t4_path_on_any_gpu(monkeypatch):
    run = _hardware(monkeypatch, cuda=True, cuda_bf16=True, switch="fp16")
    assert run.precision == "fp16" and runtime.mixed_precision()["fp16"] is True
    with pytest.raises(ValueError, match="needs a CUDA GPU"):
        _hardware(monkeypatch, cpu_bf16=True, switch="fp16")


@pytest.mark.parametrize("switch", ["0", "false", "No ", "FALSE", "off"])
def test_mixed_precision_switched_off_even_where_the_hardware_has_it(monkeypatch, switch):
    assert _hardware(monkeypatch, cpu_bf16=True, switch=switch).precision == "fp32"
    assert runtime.mixed_precision() == {"use_cpu": True}
    assert _hardware(monkeypatch, cuda=True, cuda_bf16=True, switch=switch).precision == "fp32"
    assert runtime.mixed_precision() == {"use_cpu": False}
    assert runtime.native_bf16() is False


@pytest.mark.parametrize("switch", ["1", "yes", "", "auto"])
def test_mixed_precision_switch_left_on_keeps_the_hardware_answer(monkeypatch, switch):
    _hardware(monkeypatch, cpu_bf16=True, switch=switch)
    assert runtime.mixed_precision() == {"bf16": True, "use_cpu": True}


def test_an_unknown_precision_switch_is_a_one_line_error(monkeypatch):
    with pytest.raises(ValueError, match="COURSE_MIXED_PRECISION='half' is not one of"):
        _hardware(monkeypatch, switch="half")


def test_course_device_picks_the_cpu_on_a_gpu_machine(monkeypatch):
    import torch

    run = _hardware(monkeypatch, cuda=True, cuda_bf16=True, cpu_bf16=False, device="cpu")
    assert run.device == torch.device("cpu") and run.precision == "fp32"
    assert runtime.mixed_precision() == {"use_cpu": True}  # the Trainer stays off the GPU
    assert _hardware(monkeypatch, cuda=True, device="cuda").device == torch.device("cuda")
    assert _hardware(monkeypatch, cuda=True).device == torch.device("cuda")  # the default


@pytest.mark.parametrize("wanted, error, message", [
    ("cuda", RuntimeError, ("COURSE_DEVICE=cuda, but torch .* sees no CUDA GPU here; "
                            "available here: cpu")),
    ("tpu", ValueError, "COURSE_DEVICE='tpu' is not one of cpu, cuda; available here: cpu"),
])
def test_a_device_that_is_not_here_is_a_one_line_error(monkeypatch, wanted, error, message):
    with pytest.raises(error, match=message) as raised:
        _hardware(monkeypatch, device=wanted)
    assert "\n" not in str(raised.value)


def test_the_context_is_decided_once_and_again_only_when_a_setting_changes(monkeypatch):
    first = _hardware(monkeypatch)
    assert runtime.context() is first  # the same object: decided once
    monkeypatch.setenv("COURSE_SEED", "7")
    again = runtime.context()
    assert again is not first and again.seed == 7
    monkeypatch.setenv("COURSE_THREADS", "many")
    with pytest.raises(ValueError, match="COURSE_THREADS='many'"):
        runtime.context()


def test_threads_follow_the_cores_this_process_may_use(monkeypatch):
    """A container or ``taskset`` can pin the process to fewer cores than the machine has:
    the default follows the pinning, not the machine (os.cpu_count, the control, says 8)."""
    monkeypatch.setattr(runtime.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(runtime.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert runtime.default_threads() == 1
    monkeypatch.setattr(runtime.os, "sched_getaffinity", lambda pid: set(range(6)), raising=False)
    assert runtime.default_threads() == 4  # at most 4
    monkeypatch.delattr(runtime.os, "sched_getaffinity", raising=False)  # macOS, Windows
    assert runtime.usable_cores() == 8


def test_every_training_run_takes_its_device_from_the_context(monkeypatch):
    """On a GPU machine told COURSE_DEVICE=cpu, the Trainer must stay on the CPU too."""
    from course_utils import training

    _hardware(monkeypatch, cuda=False, device="cpu")
    args = training.training_arguments("/tmp/unused", 1, 1e-4, 8, 0)
    assert args.use_cpu is True and args.bf16 is False and args.fp16 is False


@pytest.mark.parametrize("cpu_bf16", [True, False])
def test_every_training_run_takes_its_precision_from_the_context(monkeypatch, cpu_bf16):
    """The course's one training path (teacher, pretraining, students) trains in bf16 where
    the CPU has it natively, and in fp32 on a laptop without it (the control)."""
    from course_utils import training

    _hardware(monkeypatch, cpu_bf16=cpu_bf16)
    args = training.training_arguments("/tmp/unused", 1, 1e-4, 8, 0)
    assert args.bf16 is cpu_bf16 and args.fp16 is False and args.use_cpu is True


def test_course_seed_and_mixed_precision_switches(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "3")
    assert runtime.course_seed() == 3
    monkeypatch.setenv("COURSE_SEED", "three")
    with pytest.raises(ValueError, match="COURSE_SEED=1"):
        runtime.course_seed()
    monkeypatch.setenv("COURSE_SEED", "0")
    monkeypatch.setenv("COURSE_MIXED_PRECISION", "0")
    assert runtime.mixed_precision() == {"use_cpu": runtime.device().type == "cpu"}
