"""The course's own checkpoints, built on first use and cached on disk.

``load("teacher")`` is the packaged MiniLM BERT encoder fine-tuned for sentiment on the
reviews ``train`` split (selected on ``validation``). Each checkpoint is saved with
``save_pretrained`` (safetensors) next to a manifest of SHA-256 hashes; a folder whose files
do not match its manifest (a crash mid-write, a truncated copy) is rebuilt, never used.
The cache lives in ``COURSE_CACHE_DIR`` (default ``~/.cache/bert-descendants-course``).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from .data import load_reviews
from .models import PACKAGED_ENCODER, load_encoder, load_tokenizer
from .runtime import cache_root, course_seed, seed_everything
from .runtime import device as course_device
from .training import ID2LABEL, LABEL2ID, Settings, fine_tune

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Recipe:
    """How to build one cached checkpoint; bump ``version`` when the recipe changes.

    ``build`` returns ``(model, tokenizer)``; it is a callable, or ``"module:function"`` in
    this package, imported only when the checkpoint is built (lessons own their recipes).
    """

    build: Callable[[], tuple] | str
    version: int
    description: str

    def run(self) -> tuple:
        if callable(self.build):
            return self.build()
        module, function = self.build.split(":")
        return getattr(importlib.import_module(module, __package__), function)()


def _build_teacher():
    seed = course_seed()
    seed_everything(seed)
    tokenizer = load_tokenizer(PACKAGED_ENCODER)
    model = load_encoder(PACKAGED_ENCODER, AutoModelForSequenceClassification,
                         num_labels=2, id2label=ID2LABEL, label2id=LABEL2ID)
    model, _ = fine_tune(model, tokenizer, load_reviews(),
                         Settings(epochs=5, learning_rate=1.5e-4), seed=seed)
    return model, tokenizer


RECIPES: dict[str, Recipe] = {
    "teacher": Recipe(_build_teacher, 1,
                      "MiniLM-L6-H384 BERT fine-tuned on the reviews train split"),
    "distilled-student": Recipe(".distillation:build_distilled_student", 2,
                                "3-layer DistilBERT student distilled from the teacher"),
    "albert-student": Recipe(".albert:build_albert_student", 2,
                             "ALBERT-style student: factorised embeddings, shared layers"),
}


def cache_dir() -> Path:
    """Root folder of the cache (``COURSE_CACHE_DIR`` or ``~/.cache/...``)."""
    return cache_root()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(folder: Path, recipe: Recipe, seconds: float) -> None:
    files = {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}
    manifest = {"version": recipe.version, "seed": course_seed(),
                "build_seconds": round(seconds, 1), "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))


def is_complete(folder: Path, recipe: Recipe) -> bool:
    """True when ``folder`` holds every file its manifest names, unchanged, for this recipe
    and the run's seed."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError):
        return False
    if manifest.get("version") != recipe.version or manifest.get("seed", 0) != course_seed():
        return False
    if not files:
        return False
    present = {p.name for p in folder.iterdir() if p.is_file()} - {MANIFEST}
    return present == set(files) and all(_sha256(folder / n) == h for n, h in files.items())


def checkpoint_path(name: str, rebuild: bool = False) -> Path:
    """Folder of the cached checkpoint ``name`` for the run's seed (``COURSE_SEED``; each seed
    has its own folder), building it first when needed. A lock file makes a second process
    that wants the same checkpoint (two lessons open at once) wait for the build, not repeat it.
    """
    if name not in RECIPES:
        raise ValueError(f"unknown checkpoint {name!r}; the zoo has: {', '.join(RECIPES)}")
    recipe = RECIPES[name]
    seed = course_seed()
    folder = cache_dir() / (name if seed == 0 else f"{name}-seed{seed}")
    if not rebuild and is_complete(folder, recipe):
        return folder
    cache_dir().mkdir(parents=True, exist_ok=True)
    with FileLock(folder.with_name(folder.name + ".lock")):
        if rebuild or not is_complete(folder, recipe):  # another process may have built it
            _build(name, recipe, folder)
    return folder


def _build(name: str, recipe: Recipe, folder: Path) -> None:
    """Run ``recipe`` and save its checkpoint to ``folder`` through a staging folder, so a crash
    mid-write never leaves a half-written checkpoint under the final name."""
    if folder.exists():
        print(f"{folder.name} in the cache is incomplete, stale or corrupt: rebuilding it")
    print(f"Building {name!r} ({recipe.description}); it is cached for later lessons.")
    start = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir()))
    try:
        model, tokenizer = recipe.run()
        model.save_pretrained(staging, safe_serialization=True)
        tokenizer.save_pretrained(staging)
        _write_manifest(staging, recipe, time.perf_counter() - start)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Built {name!r} in {time.perf_counter() - start:.0f} s (cache: COURSE_CACHE_DIR or "
          "~/.cache/bert-descendants-course)")


def load(name: str, rebuild: bool = False, device: str | None = None):
    """The cached checkpoint ``name`` as ``(model, tokenizer)``, in eval mode, on the course's
    device (:func:`runtime.device`) or on ``device`` (lesson 06 asks for the CPU by name)."""
    folder = checkpoint_path(name, rebuild)
    model = AutoModelForSequenceClassification.from_pretrained(
        folder, use_safetensors=True, trust_remote_code=False)
    return model.to(device or course_device()).eval(), AutoTokenizer.from_pretrained(folder)
