"""The course's own checkpoints, and the real SST-2 ones online.

``load("teacher")`` is the packaged MiniLM BERT encoder fine-tuned for sentiment on the
reviews ``train`` split (selected on ``validation``: lesson 00's model);
``load("distilled-student")`` and ``load("albert-student")`` are lesson 03's and lesson 04's
students made from it. Each is a recipe of the course's cache (:mod:`.core.artifacts`),
registered by the lesson module that owns it, built on first use in the run's set-up (seed,
device, precision) and reused after. :func:`load_sst2_model` loads a real checkpoint
fine-tuned on SST-2 from the Hub (online).
"""

from __future__ import annotations

from pathlib import Path

from .core import artifacts
from .core.evaluation import ID2LABEL, LABEL2ID

CHECKPOINTS = ("teacher", "distilled-student", "albert-student")
"""The course's checkpoints, in the order they are made."""


def build_teacher():
    """Lesson 00's teacher: the packaged encoder fine-tuned on the reviews (5 epochs, the
    epoch best on validation kept). Returns (model, tokenizer)."""
    from transformers import AutoModelForSequenceClassification

    from .core.runtime import seed_everything
    from .data import load_reviews
    from .models import PACKAGED_ENCODER, load_pretrained, load_tokenizer
    from .training import Settings, fine_tune

    seed_everything()
    tokenizer = load_tokenizer(PACKAGED_ENCODER)
    model = load_pretrained(PACKAGED_ENCODER, AutoModelForSequenceClassification,
                         num_labels=2, id2label=ID2LABEL, label2id=LABEL2ID)
    model, _ = fine_tune(model, tokenizer, load_reviews(),
                         Settings(epochs=5, learning_rate=1.5e-4))
    return model, tokenizer


artifacts.register(artifacts.Recipe(
    "teacher", artifacts.saved_pretrained(build_teacher), 3,
    "MiniLM-L6-H384 BERT fine-tuned on the reviews train split"))


RECIPE_MODULES = ("course_utils.distillation", "course_utils.albert")
"""The lesson modules that register the students' recipes (importing one registers its)."""


def _lessons_registered() -> None:
    """Import the lesson modules that register the students' recipes."""
    import importlib

    for module in RECIPE_MODULES:
        importlib.import_module(module)


def checkpoint_path(name: str, rebuild: bool = False) -> Path:
    """The folder of the course's checkpoint ``name`` built for this run, building it first
    when needed (:func:`core.artifacts.path`); a one-line error for another name."""
    if name not in CHECKPOINTS:
        raise ValueError(f"unknown checkpoint {name!r}; the zoo has: {', '.join(CHECKPOINTS)}")
    _lessons_registered()
    return artifacts.path(name, rebuild)


def load(name: str, rebuild: bool = False, device: str | None = None):
    """The course's checkpoint ``name`` as ``(model, tokenizer)``, in eval mode, on the
    course's device or on ``device`` (lesson 06 asks for the CPU by name), loaded under the
    course's one weights policy (:func:`models.load_pretrained`)."""
    from transformers import AutoModelForSequenceClassification

    from .models import load_pretrained, load_tokenizer

    folder = str(checkpoint_path(name, rebuild))
    return (load_pretrained(folder, AutoModelForSequenceClassification, device=device),
            load_tokenizer(folder))


def load_sst2_model(key: str = "distilbert"):
    """A real checkpoint fine-tuned on SST-2, from the Hub (online only), and its tokenizer:
    ``key`` is one of :data:`models.SST2_CHECKPOINTS`. Its classes are named NEGATIVE and
    POSITIVE even where the checkpoint calls them LABEL_0 and LABEL_1
    (:data:`models.GENERIC_LABEL_CHECKPOINTS`)."""
    from transformers import AutoModelForSequenceClassification

    from .core.runtime import current_mode
    from .models import SST2_CHECKPOINTS, load_pretrained, load_tokenizer

    if key not in SST2_CHECKPOINTS:
        raise ValueError(f"unknown SST-2 model {key!r}; choose from {', '.join(SST2_CHECKPOINTS)}")
    if current_mode() != "online":
        raise RuntimeError("the SST-2 checkpoints come from the Hugging Face Hub and COURSE_MODE "
                           "is offline: use load('teacher'), or set COURSE_MODE=online")
    checkpoint = SST2_CHECKPOINTS[key]
    return (load_pretrained(checkpoint, AutoModelForSequenceClassification),
            load_tokenizer(checkpoint))
