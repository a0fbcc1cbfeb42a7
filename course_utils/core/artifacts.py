"""One cache for everything the course builds and reuses: its checkpoints, their ONNX files,
and the teacher's outputs that distillation trains on.

A lesson registers a :class:`Recipe` (a name, a function that writes the artifact's files
into a folder, a version to bump when the recipe changes, and the recipes it is made from);
:func:`path` returns the folder of the artifact built for this run, building it first if
needed. This module imports no lesson: it knows recipes only by what was registered.

- **Key.** An artifact is reused only for the same recipe version, seed, device type,
  precision and versions of torch and transformers, and the same builds of the artifacts it
  is made from (:func:`key`); each key has its own entry in the cache, so another seed or a
  GPU run never overwrites this one.
- **Complete or rebuilt.** Each build is a folder with a manifest of SHA-256 hashes, checked
  once per process; a build whose files do not match (a crash mid-write, a truncated copy)
  is rebuilt, never used.
- **Rebuilt safely.** A build goes to a new folder; the entry's ``CURRENT`` file then names
  it (an atomic replace), and only builds older than the previous one are deleted: a reader
  that resolved the old build keeps reading whole files.
- **Built once.** A lock makes a second process that needs the same artifact (two lessons
  open at once) wait for the build instead of repeating it; after :data:`LOCK_TIMEOUT`
  seconds it gives up with a one-line error.

The cache lives in ``COURSE_CACHE_DIR`` (default ``~/.cache/bert-descendants-course``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .runtime import cache_root, context

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
LOCK_TIMEOUT = 30 * 60
"""Seconds a process waits for another one's build (the slowest, on a laptop, takes minutes)."""


@dataclass(frozen=True)
class Recipe:
    """How to build one artifact: ``build(folder)`` writes its files into ``folder``; bump
    ``version`` when what it writes changes; ``after``: the artifacts it is made from (their
    builds are part of its key)."""

    name: str
    build: Callable[[Path], None]
    version: int
    description: str
    after: tuple[str, ...] = ()


_RECIPES: dict[str, Recipe] = {}


def saved_pretrained(make: Callable[[], tuple]) -> Callable[[Path], None]:
    """A recipe's ``build`` for a checkpoint: ``make()`` returns ``(model, tokenizer)``, both
    saved with ``save_pretrained`` (the weights as safetensors)."""
    def build(folder: Path) -> None:
        model, tokenizer = make()
        model.save_pretrained(folder, safe_serialization=True)
        tokenizer.save_pretrained(folder)

    build.__name__ = f"saved_pretrained({getattr(make, '__name__', 'make')})"
    return build


def register(recipe: Recipe) -> Recipe:
    """Make ``recipe`` buildable by its name (registering a name again replaces it)."""
    _RECIPES[recipe.name] = recipe
    return recipe


def recipe(name: str) -> Recipe:
    """The registered recipe ``name``; a one-line error listing the registered ones."""
    if name not in _RECIPES:
        raise ValueError(f"unknown artifact {name!r}; the cache has recipes for: "
                         f"{', '.join(_RECIPES) or 'nothing yet'}")
    return _RECIPES[name]


def registered() -> tuple[str, ...]:
    return tuple(_RECIPES)


def key(name: str) -> dict:
    """What an artifact's build depends on: its recipe and version, the run's seed, device
    type and precision, the versions of torch and transformers, and the builds of the
    artifacts it is made from."""
    import torch
    import transformers

    r, run = recipe(name), context()
    return {"recipe": name, "version": r.version, "seed": run.seed,
            "device": run.device.type, "precision": run.precision,
            "torch": torch.__version__, "transformers": transformers.__version__,
            "after": {dep: build_id(dep) for dep in r.after}}


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


def entry(name: str) -> Path:
    """The cache's folder for ``name`` under this run's key (its builds live inside)."""
    return cache_root() / f"{name}-{_digest(key(name))}"


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


@functools.cache
def _verified(build: Path, stamps: tuple) -> bool:  # hashed once per set of file stamps
    try:
        manifest = json.loads((build / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return bool(manifest.get("files")) and _files(build) == manifest["files"]


def is_complete(build: Path) -> bool:
    """True when ``build`` holds exactly the files its manifest names, unchanged (hashed
    once per process, and again only when a file's size or time changes)."""
    try:
        stamps = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                       for p in sorted(build.rglob("*")) if p.is_file())
    except OSError:
        return False
    return any(Path(p).name == MANIFEST for p, _, _ in stamps) and _verified(build, stamps)


def _current(folder: Path) -> Path | None:
    try:
        return folder / (folder / CURRENT).read_text().strip()
    except OSError:
        return None


def path(name: str, rebuild: bool = False) -> Path:
    """The folder of the artifact ``name`` built for this run (:func:`key`), building it
    first when it is missing, incomplete, or ``rebuild`` is asked for."""
    from filelock import FileLock, Timeout

    folder = entry(name)
    build = _current(folder)
    if not rebuild and build is not None and is_complete(build):
        return build
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder) + ".lock", timeout=LOCK_TIMEOUT)
    try:
        with lock:
            build = _current(folder)  # another process may have built it meanwhile
            if rebuild or build is None or not is_complete(build):
                build = _build(recipe(name), folder, stale=build is not None)
    except Timeout:
        raise RuntimeError(f"waited {LOCK_TIMEOUT} s for another process to build {name!r} "
                           f"(lock {lock.lock_file}): if no lesson is running, delete that "
                           "file and run again") from None
    return build


def _build(r: Recipe, folder: Path, stale: bool) -> Path:
    if stale:
        print(f"{r.name} in the cache is incomplete or corrupt: rebuilding it")
    print(f"Building {r.name!r} ({r.description}); it is cached for later lessons.")
    start = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        r.build(staging)
        (staging / MANIFEST).write_text(json.dumps(
            {**key(r.name), "built": time.time_ns(),
             "build_seconds": round(time.perf_counter() - start, 1),
             "files": _files(staging)}, indent=1))
        build = folder / f"build-{time.time_ns()}"
        os.replace(staging, build)
        pointer = folder / f".{CURRENT}-{time.time_ns()}"
        pointer.write_text(build.name)
        os.replace(pointer, folder / CURRENT)  # readers now get the new build
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in sorted(folder.glob("build-*"))[:-2]:  # keep the new build and the one before
        shutil.rmtree(old, ignore_errors=True)
    print(f"Built {r.name!r} in {time.perf_counter() - start:.0f} s (cache: COURSE_CACHE_DIR "
          "or ~/.cache/bert-descendants-course)")
    return build


def build_id(name: str) -> str:
    """The identity of this run's build of ``name`` (the hash of its manifest), built first
    if needed: an artifact made from it is keyed by it."""
    return _sha256(path(name) / MANIFEST)[:12]


# --- in memory ---------------------------------------------------------------------------------

_MEMORY: dict[str, tuple[object, object]] = {}


def remembered(kind: str, identity, compute: Callable[[], object]):
    """What ``compute()`` returns, computed once per process for this ``identity`` (for
    example the build of the checkpoint it comes from and the run's seed); a new identity
    of the same ``kind`` (a rebuilt checkpoint, another seed, a retrained teacher) computes
    it again and drops the old value. For what is cheap to recompute but too large or too
    short-lived to keep on disk: the teacher's outputs for distillation, built analyzers."""
    held = _MEMORY.get(kind)
    if held is None or held[0] != identity:
        _MEMORY.pop(kind, None)  # free the old value before computing the new one
        _MEMORY[kind] = (identity, compute())
    return _MEMORY[kind][1]


def forget() -> None:
    """Drop everything held in memory (the disk cache stays)."""
    _MEMORY.clear()
