"""Fine-tuning for sentiment with the transformers ``Trainer`` (so the same code runs on a
CPU, a GPU or several with ``accelerate``): select on validation, never on test.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from datasets import DatasetDict
from transformers import DataCollatorWithPadding, PrinterCallback, Trainer, TrainingArguments

from .core.evaluation import REVIEW_MAX_TOKENS, compute_metrics
from .core.runtime import context, course_seed


def tokenize_splits(splits: DatasetDict, tokenizer, max_length: int = 128) -> DatasetDict:
    """Token ids for every split, truncated to ``max_length`` (padding happens per batch)."""
    def encode(batch):
        return tokenizer(batch["text"], truncation=True, max_length=max_length)

    keep = {"input_ids", "attention_mask", "token_type_ids", "label"}
    drop = [c for c in next(iter(splits.values())).column_names if c not in keep]
    return splits.map(encode, batched=True, remove_columns=drop)


EVAL_BATCH_SIZE = 8
"""The Trainer's validation batches. Its length-grouped sampler (``group_by_length``, as in
training) gives each batch reviews of like length; 8 of them, on a 2-core CPU, evaluate the
course's validation reviews (whole, up to about 230 tokens) about twice as fast as 16 or 64
(measured with lesson 04's factorised teacher: 2.6 s against 5-6 s and 7-8 s; not measured on
a GPU). Accuracy does not depend on the batching."""


def training_arguments(output_dir: str, epochs: float, learning_rate: float,
                       batch_size: int, seed: int, **overrides) -> TrainingArguments:
    """The course's defaults: evaluate each epoch, keep the best on validation accuracy; on
    the runtime context's device and in its mixed precision (:func:`runtime.context`: bf16
    where the hardware has it natively, fp16 on a GPU without it, else fp32)."""
    run = context()
    settings = {**run.training_arguments(),
        "output_dir": output_dir, "num_train_epochs": epochs, "learning_rate": learning_rate,
        "per_device_train_batch_size": batch_size,
        "per_device_eval_batch_size": EVAL_BATCH_SIZE,
        "warmup_steps": 0.1, "weight_decay": 0.01, "eval_strategy": "epoch",
        "save_strategy": "epoch", "save_only_model": True, "save_total_limit": 1,
        "load_best_model_at_end": True, "metric_for_best_model": "accuracy",
        "logging_strategy": "epoch", "report_to": "none", "seed": seed, "data_seed": seed,
        "dataloader_num_workers": 0, "dataloader_pin_memory": run.device.type == "cuda",
        # less padding per batch: about 1.5x faster training on a CPU
        "train_sampling_strategy": "group_by_length",
    }
    settings.update(overrides)
    return TrainingArguments(**settings)


def freeze(model, bottom: int = 0, top: int | None = None, embeddings: bool = True):
    """The course's one way to freeze: the embeddings (``embeddings`` True) and the bottom
    ``bottom`` encoder layers are frozen, every other layer trains. ``top`` says it the other
    way round: only the top ``top`` layers train (0: the head alone). Returns ``model``."""
    from .architecture import encoder_layers

    layers = encoder_layers(model)
    if top is not None:
        bottom = len(layers) - min(top, len(layers))
    model.base_model.embeddings.requires_grad_(not embeddings)
    for index, layer in enumerate(layers):
        layer.requires_grad_(index >= bottom)
    return model


def train(model, tokenizer, data: DatasetDict, settings, seed: int, collator=None,
          trainer_class=Trainer, quiet: bool = False, trainer_kwargs: dict | None = None,
          **overrides):
    """The course's one training path: a ``trainer_class`` (the transformers ``Trainer`` or a
    subclass) on ``data["train"]``, evaluated on ``data["validation"]`` each epoch, in a
    temporary folder. ``settings`` gives ``epochs``, ``learning_rate`` and ``batch_size``
    (:class:`Settings`, ``pretraining.MLMSettings``, ``distillation.DistillationSettings``); ``overrides``
    go to :func:`training_arguments`; ``quiet`` drops the per-epoch printout (the log history
    comes back). Returns the trained model (in eval mode) and the log history."""
    with tempfile.TemporaryDirectory() as output_dir:
        args = training_arguments(output_dir, settings.epochs, settings.learning_rate,
                                  settings.batch_size, seed, **overrides)
        trainer = trainer_class(
            model=model, args=args, train_dataset=data["train"],
            eval_dataset=data["validation"],
            data_collator=collator or DataCollatorWithPadding(tokenizer),
            processing_class=tokenizer, **(trainer_kwargs or {}))
        if quiet:
            trainer.remove_callback(PrinterCallback)
        trainer.train()
    return trainer.model.eval(), trainer.state.log_history


@dataclass(frozen=True)
class Settings:
    """One fine-tuning run for sentiment (:func:`fine_tune`)."""

    epochs: float = 4
    learning_rate: float = 1e-4
    batch_size: int = 16
    max_length: int = 128  # the training reviews are read to this many tokens
    read_length: int = REVIEW_MAX_TOKENS  # validation's, as the lesson reads the model after


def fine_tune(model, tokenizer, splits: DatasetDict, settings: Settings = Settings(),
              seed: int | None = None, **overrides):
    """Fine-tune ``model`` on ``splits["train"]`` (read to ``settings.max_length`` tokens),
    keep the epoch best on ``validation`` by the accuracy the lesson reports
    (:func:`core.evaluation.compute_metrics`), reading reviews as the lesson reads the model
    afterwards: to ``settings.read_length`` tokens (whole by default,
    :data:`core.evaluation.REVIEW_MAX_TOKENS`).
    One epoch (or less) leaves nothing to choose: no validation pass and no checkpoint to
    save and reload (``overrides`` may still ask for them).
    Returns the trained model and the Trainer's log history (loss and accuracy per epoch).
    ``seed`` None: the run's seed (:func:`core.runtime.course_seed`).
    """
    if settings.epochs <= 1:
        overrides = {"eval_strategy": "no", "save_strategy": "no",
                     "load_best_model_at_end": False, "metric_for_best_model": None,
                     **overrides}
    encoded = DatasetDict(
        train=tokenize_splits(DatasetDict(data=splits["train"]), tokenizer,
                              settings.max_length)["data"],
        validation=tokenize_splits(DatasetDict(data=splits["validation"]), tokenizer,
                                   settings.read_length)["data"])
    return train(model, tokenizer, encoded, settings,
                 course_seed() if seed is None else seed,
                 trainer_kwargs={"compute_metrics": compute_metrics}, **overrides)
