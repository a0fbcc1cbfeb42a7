"""The transfer set and the distillation run: the miniature's :class:`DistillationSettings`, the
teacher's outputs computed once, and the zoo's ``distilled-student``."""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from datasets import Dataset, DatasetDict
from transformers import DataCollatorWithPadding

from .. import (
    training,
    zoo,  # the teacher's recipe, which the students are made from
)
from ..core import artifacts
from ..core.evaluation import ID2LABEL, LABEL2ID, REVIEW_MAX_TOKENS, compute_metrics
from ..core.inference import fingerprint, logits_and_last_hidden, run_in_batches
from ..core.runtime import course_seed
from ..data import split_sentences
from ..training import freeze, tokenize_splits
from .losses import LossWeights
from .student import distilbert_from_teacher, student_tokenizer
from .trainer import DistillationTrainer, TeacherOutputsCollator


def masked_copy(text: str, rng, probability: float = 0.1, mask: str = "[MASK]") -> str:
    """``text`` with each word replaced by ``mask`` with ``probability`` (Tang et al. 2019's
    masking augmentation: the teacher says how much the missing words mattered)."""
    return " ".join(mask if rng.random() < probability else w for w in text.split())


def transfer_set(train: Dataset, masked_copies: int = 1, mask_probability: float = 0.1,
                 min_words: int = 4, seed: int = 0) -> Dataset:
    """The labelled reviews, then unlabelled text (label -100) for the teacher to score, all
    made from ``train`` (Tang et al. 2019 augment the transfer set the same way): every
    sentence of at least ``min_words`` words, and ``masked_copies`` copies of every review
    with words masked at random. The labelled reviews are the first ``len(train)`` rows; the
    ``source`` column says where each row comes from."""
    import random

    rng = random.Random(seed)
    texts, labels = list(train["text"]), list(train["label"])
    sentences = [s for text in texts for s in split_sentences(text) if len(s.split()) >= min_words]
    copies = [masked_copy(text, rng, mask_probability)
              for _ in range(masked_copies) for text in texts]
    extra = sentences + copies
    source = (["labelled review"] * len(texts) + ["sentence"] * len(sentences)
              + ["masked copy"] * len(copies))
    return Dataset.from_dict({"text": texts + extra, "label": labels + [-100] * len(extra),
                              "source": source})


def encode(dataset: Dataset, tokenizer, max_length: int) -> Dataset:
    """Token ids and labels (:func:`training.tokenize_splits`; the student's tokenizer makes
    no token types), plus an ``idx`` column: each example's row in the teacher's outputs."""
    encoded = tokenize_splits(DatasetDict(data=dataset), tokenizer, max_length)["data"]
    return encoded.add_column("idx", list(range(len(encoded))))


def teacher_outputs(teacher, encoded: Dataset, tokenizer, batch_size: int = 32):
    """The teacher's logits ``(n, labels)`` and last hidden states (a list of ``(tokens,
    hidden)`` tensors, one per example, unpadded) for every example of ``encoded``, in its
    order, computed once through the course's inference path (length-sorted batches)."""
    rows = run_in_batches(teacher.eval(), tokenizer, encoded["input_ids"],
                          logits_and_last_hidden, batch_size, output_hidden_states=True)
    if not rows:
        return torch.zeros(0, teacher.config.num_labels), []
    return torch.stack([logits for logits, _ in rows]), [hidden for _, hidden in rows]


@dataclass(frozen=True)
class DistillationSettings:
    """The miniature's settings. ``masked_copies`` = 3 is what makes the student keep 97% of
    the teacher's test accuracy on every seed checked (seeds 0, 1, 2: 98.1%, 98.8%, 98.7%;
    with one copy, seed 1 kept 95.0%): a student short of data needs a bigger transfer set
    more than another loss (Tang et al. 2019). A lower learning rate, more epochs, a larger
    soft-target weight or joined sentence pairs did not help.

    The student keeps the teacher's embeddings (``freeze_embeddings``) and its first
    ``frozen_layers`` layers: student layer 0 *is* teacher layer 0 with the same input, so it
    already computes what the teacher does there, and freezing it saves its backward pass.
    """

    epochs: float = 3
    learning_rate: float = 2e-4
    batch_size: int = 32
    max_length: int = 128
    weights: LossWeights = LossWeights()
    masked_copies: int = 3
    freeze_embeddings: bool = True
    frozen_layers: int = 1


MINIATURE = DistillationSettings()


def distil(student, tokenizer, train: Dataset, validation: Dataset, teacher=None,
           recipe: DistillationSettings = MINIATURE, seed: int | None = None, cached=None,
           **overrides):
    """Train ``student`` with :class:`DistillationTrainer` on ``train`` (labels of -100 are
    unlabelled), keep the epoch best on ``validation``. Returns the model and log history.

    ``cached`` = (logits, hidden) precomputed by :func:`teacher_outputs` for ``train``;
    without it the teacher runs at every step. In the run's mixed precision, as every
    training run (:func:`training.training_arguments`); ``overrides`` go to ``TrainingArguments``.
    """
    freeze(student, bottom=recipe.frozen_layers, embeddings=recipe.freeze_embeddings)
    data = DatasetDict(train=encode(train, tokenizer, recipe.max_length),
                       validation=encode(validation, tokenizer, REVIEW_MAX_TOKENS)
                       .remove_columns("idx"))
    if cached is not None:
        collator = TeacherOutputsCollator(tokenizer, *cached)
    else:
        collator = DataCollatorWithPadding(tokenizer)
        data["train"] = data["train"].remove_columns("idx")
    return training.train(student, tokenizer, data, recipe,
                          course_seed() if seed is None else seed, collator,
                          DistillationTrainer,
                          trainer_kwargs={"teacher": teacher, "weights": recipe.weights,
                                          "compute_metrics": compute_metrics},
                          remove_unused_columns=False, **overrides)


SST2_DATASET = ("nyu-mll/glue", "sst2")
"""SST-2 on the Hub: the ``sst2`` configuration of GLUE, by the dataset's current name
(``huggingface_hub`` 2 refuses the legacy one-part name ``glue`` in its file paths)."""


def transfer_examples(recipe: DistillationSettings = MINIATURE,
                      labelled_only: bool = False) -> Dataset:
    """The run's transfer set: :func:`transfer_set` on the reviews' train split, its masked
    copies drawn with the run's seed; ``labelled_only``: its first rows, the labelled reviews
    alone."""
    from ..data import load_reviews

    train = load_reviews()["train"]
    examples = transfer_set(train, masked_copies=recipe.masked_copies, seed=course_seed())
    return examples.select(range(len(train))) if labelled_only else examples


def prepared_transfer(teacher, tokenizer, recipe: DistillationSettings = MINIATURE,
                      labelled_only: bool = False):
    """:func:`transfer_examples` and the teacher's outputs on them, computed once per process
    (the lesson's experiments share them; held in memory by the course's cache,
    :func:`core.artifacts.remembered`) for one teacher: the key holds a fingerprint of its
    weights and tokenizer, so a re-trained teacher gets its own, and the run's seed, which
    draws the masked copies. ``labelled_only``: the teacher scores the 400 labelled reviews,
    not all 3,342 texts (what the experiments trained on the reviews alone need)."""
    train = transfer_examples(recipe, labelled_only)
    key = (fingerprint(teacher, tokenizer), recipe.max_length, recipe.masked_copies,
           course_seed(), labelled_only)
    return train, artifacts.remembered(
        "distillation targets", key,
        lambda: teacher_outputs(teacher, encode(train, tokenizer, recipe.max_length), tokenizer))


def build_distilled_student(recipe: DistillationSettings = MINIATURE, seed: int | None = None):
    """The zoo's ``distilled-student``: 3 layers (teacher layers 0, 2, 4) distilled from the
    zoo's teacher with the full loss on the transfer set. Returns (model, tokenizer)."""
    from ..data import load_reviews

    teacher, teacher_tok = zoo.load("teacher")
    tokenizer = student_tokenizer(teacher_tok)
    train, cached = prepared_transfer(teacher, tokenizer, recipe)
    student = distilbert_from_teacher(teacher, seed=seed)
    student, _ = distil(student, tokenizer, train, load_reviews()["validation"],
                        teacher=teacher, recipe=recipe, seed=seed, cached=cached)
    student.config.id2label, student.config.label2id = dict(ID2LABEL), dict(LABEL2ID)
    return student, tokenizer


ONLINE_EXAMPLES = {"cuda": 20_000, "cpu": 2_000}
"""Training sentences of SST-2 that :func:`distil_online` uses by default, per device: about
3 minutes for one epoch on a Colab T4 (fp16), and on a 2-core CPU. All 67,349 sentences
for 3 epochs, the real recipe, is ``examples=None`` (hours on a CPU)."""


def distil_online(layers: list[int] | None = None, epochs: float = 1, seed: int = 0,
                  examples: int | None | str = "bounded"):
    """Online only: distil ``bert-base-uncased`` fine-tuned on SST-2 into a DistilBERT student
    (default: every other layer, 6 of 12) on SST-2's training sentences, on the course's
    device. ``examples``: the first that many sentences of each split; by default a subset
    sized to about 3 minutes (:data:`ONLINE_EXAMPLES`); ``None``: all of them."""
    from datasets import load_dataset
    from transformers import AutoModelForSequenceClassification

    from ..core.runtime import device
    from ..models import SST2_CHECKPOINTS, load_pretrained, load_tokenizer

    if examples == "bounded":
        examples = ONLINE_EXAMPLES[device().type]
        print(f"distilling on the first {examples:,} of SST-2's 67,349 training sentences "
              f"for {epochs:g} epoch(s) on the {device().type} (about 3 minutes; "
              "examples=None for all of them)")
    name = SST2_CHECKPOINTS["bert"]
    teacher = load_pretrained(name, AutoModelForSequenceClassification)
    tokenizer = student_tokenizer(load_tokenizer(name))
    sst2 = load_dataset(*SST2_DATASET).rename_column("sentence", "text")
    train, validation = (sst2[split] if examples is None
                         else sst2[split].select(range(min(examples, len(sst2[split]))))
                         for split in ("train", "validation"))
    student = distilbert_from_teacher(teacher, layers, seed=seed)
    recipe = replace(MINIATURE, epochs=epochs, learning_rate=5e-5, batch_size=32,
                     max_length=66, freeze_embeddings=False, frozen_layers=0)
    return distil(student, tokenizer, train, validation, teacher=teacher, recipe=recipe,
                  seed=seed)


artifacts.register(artifacts.Recipe(
    "distilled-student", artifacts.saved_pretrained(build_distilled_student), 3,
    "3-layer DistilBERT student distilled from the teacher", after=("teacher",)))
