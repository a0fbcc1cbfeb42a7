"""Continued pretraining of the miniature: the settings, static (:class:`FixedMasks`) versus
dynamic masking, the loss curves, and the learning-rate / batch-size sweep."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from datasets import Dataset, DatasetDict
from transformers import DataCollatorForTokenClassification

from .. import training
from ..core.runtime import course_seed
from ..training import freeze
from .formats import pack_sentences
from .masking import HELDOUT_MASK_SEED, mlm_collator, static_masks


@dataclass(frozen=True)
class MLMSettings:
    """One continued-pretraining run (the lesson's defaults fit 2 CPU cores)."""

    epochs: int = 3
    learning_rate: float = 1e-3
    batch_size: int = 16
    trainable_layers: int | None = 2
    seed: int | None = None  # None: the run's seed when it trains (core.runtime.course_seed)


HEAD_WARM_UP = MLMSettings(epochs=1, learning_rate=3e-3, trainable_layers=0)
"""The packaged encoder has no MLM head: one epoch trains the head alone (encoder frozen)."""

STATIC_COPIES = 1
"""BERT's static scheme at the lesson's scale. The original BERT masked its data once, before
training; it copied the data 10 times with a mask each and trained 40 epochs, so each mask came
back 4 times. Over the lesson's 3 epochs one mask per sequence comes back 3 times. (Two masks
over 4 epochs, each back twice, left the static run's gap only 0.22-0.33 nats above the dynamic
run's over seeds 0-2, against the claim's 0.3; one mask over 3 epochs, 0.81-0.88.)"""

MLM_REVIEWS, HELDOUT_REVIEWS, BLOCK_TOKENS = 100, 40, 64
"""The miniature: 100 training reviews in 64-token FULL-SENTENCES blocks; held-out MLM loss
on 40 validation reviews no run ever trains on."""


def mlm_corpus(tokenizer, reviews=None) -> tuple[Dataset, Dataset]:
    """The (training, held-out) blocks of the miniature, from the reviews corpus."""
    from ..data import load_reviews

    reviews = reviews or load_reviews()
    texts = list(reviews["train"]["text"])[:MLM_REVIEWS]
    heldout = list(reviews["validation"]["text"])[:HELDOUT_REVIEWS]
    return (pack_sentences(texts, tokenizer, BLOCK_TOKENS),
            pack_sentences(heldout, tokenizer, BLOCK_TOKENS))


def pretrain(model, tokenizer, train: Dataset, heldout: Dataset, masking: str = "dynamic",
             settings: MLMSettings = MLMSettings(), copies: int = 1):
    """Continue pretraining ``model`` on ``train`` with ``"static"`` masks (``copies`` masks
    per sequence, drawn once before training, see :class:`FixedMasks`) or ``"dynamic"`` ones
    (drawn afresh each time a sequence is fed).

    ``heldout`` is masked once (seeded) so every run is scored on the same masks, in one
    batch, so that its loss is the mean over every held-out blank. Returns
    the model and a table of the training and held-out MLM loss after each epoch.
    """
    # the embeddings stay frozen: they are tied to the MLM output projection
    freeze(model, top=settings.trainable_layers)
    seed = course_seed() if settings.seed is None else settings.seed
    fixed = DataCollatorForTokenClassification(tokenizer)
    heldout = static_masks(heldout, tokenizer, seed=HELDOUT_MASK_SEED)
    if masking == "static":
        masker = FixedMasks(train, tokenizer, copies, seed=seed)
        train = Dataset.from_dict({"index": list(range(len(train)))})
    elif masking == "dynamic":
        train = train.select_columns(["input_ids"])
        masker = mlm_collator(tokenizer, seed=seed)
    else:
        raise ValueError(f"masking must be 'static' or 'dynamic', not {masking!r}")
    model, history = training.train(model, tokenizer,
                                    DatasetDict(train=train, validation=heldout),
                                    settings, seed, _PremaskedOr(fixed, masker),
                                    quiet=True, save_strategy="no",
                                    load_best_model_at_end=False, metric_for_best_model=None,
                                    train_sampling_strategy="random",
                                    prediction_loss_only=True, remove_unused_columns=False,
                                    disable_tqdm=True, per_device_eval_batch_size=len(heldout))
    return model, loss_curves(history)


class FixedMasks:
    """BERT's static masking (Devlin et al. 2019; RoBERTa §4.1): ``copies`` masks per
    sequence, drawn once before training; the r-th time a sequence is fed it gets mask
    r mod ``copies``. BERT drew 10 and trained 40 epochs, so each mask came back 4 times.
    It collates examples that carry only their ``index`` in ``train``."""

    def __init__(self, train: Dataset, tokenizer, copies: int = 1, seed: int = 0):
        self.masks = [static_masks(train, tokenizer, seed=seed + copy) for copy in range(copies)]
        self.fed = [0] * len(train)
        self.pad = DataCollatorForTokenClassification(tokenizer)

    def __call__(self, examples):
        rows = []
        for example in examples:
            index = example["index"]
            rows.append(self.masks[self.fed[index] % len(self.masks)][index])
            self.fed[index] += 1
        return self.pad(rows)


class _PremaskedOr:
    """Collate pre-masked examples (the held-out ones carry ``labels``) as they are, others
    with ``masker``."""

    def __init__(self, fixed, masker):
        self.fixed, self.masker = fixed, masker

    def __call__(self, examples):
        if "labels" in examples[0]:
            return self.fixed(examples)
        return self.masker(examples)


def mask_grid(tokenizer, ids: list[int], epochs: int, copies: int = 1, seed: int = 0):
    """Which positions of one sequence are chosen in each epoch, static (``copies`` masks
    drawn before training, cycled: :class:`FixedMasks`) versus dynamic: two boolean arrays
    (epochs x tokens)."""
    import numpy as np

    static = FixedMasks(Dataset.from_dict({"input_ids": [ids]}), tokenizer, copies, seed)
    dynamic = mlm_collator(tokenizer, seed=seed)
    return tuple(np.stack([(masker([example])["labels"][0] != -100).numpy()
                           for _ in range(epochs)])
                 for masker, example in ((static, {"index": 0}), (dynamic, {"input_ids": ids})))


def loss_curves(log_history: list[dict]) -> pd.DataFrame:
    """Training loss and held-out loss per epoch from a Trainer's log history."""
    train = {round(e["epoch"]): e["loss"] for e in log_history if "loss" in e}
    heldout = {round(e["epoch"]): e["eval_loss"] for e in log_history if "eval_loss" in e}
    table = pd.DataFrame({"training loss": train, "held-out loss": heldout})
    table.index.name = "epoch"
    return table


FRESH_STATIC = "static, a new mask each epoch"
"""The masking experiment's control: static masks, but as many as there are epochs, so none
comes back; it should behave like dynamic masking, not like BERT's scheme."""


def masking_experiment(start, tokenizer, train: Dataset, heldout: Dataset,
                       settings: MLMSettings = MLMSettings(), copies: int = STATIC_COPIES,
                       control: bool = True):
    """Static (BERT's scheme, ``copies`` masks) and dynamic masking from the same starting
    model, seed and number of steps; with ``control``, also :data:`FRESH_STATIC` (static
    masks, one per epoch, so none comes back). Returns the models and their loss curves
    side by side."""
    import copy

    runs = {"static": ("static", copies), "dynamic": ("dynamic", 1)}
    if control:
        runs[FRESH_STATIC] = ("static", settings.epochs)
    models, curves = {}, {}
    for name, (masking, masks) in runs.items():
        models[name], curves[name] = pretrain(copy.deepcopy(start), tokenizer, train, heldout,
                                              masking, settings, masks)
    return models, pd.concat(curves, axis=1)


def curve_summary(curves: pd.DataFrame) -> pd.DataFrame:
    """Per masking: the epoch of the best held-out loss, the final losses and their gap
    (how much of the training loss is memorisation)."""
    rows = {}
    for masking in curves.columns.get_level_values(0).unique():
        curve, final = curves[masking], curves[masking].iloc[-1]
        rows[masking] = {"best held-out epoch": int(curve["held-out loss"].idxmin()),
                         "final training loss": final["training loss"],
                         "final held-out loss": final["held-out loss"],
                         "gap": final["held-out loss"] - final["training loss"]}
    return pd.DataFrame.from_dict(rows, orient="index")


def sweep(start, tokenizer, train: Dataset, heldout: Dataset, learning_rates=(1e-4, 1e-3),
          batch_sizes=(8, 64), epochs: int = 1) -> pd.DataFrame:
    """Held-out MLM loss after the same number of tokens (``epochs`` over ``train``) for each
    batch size (rows) and learning rate (columns), from the same start, dynamic masking."""
    import copy

    table = pd.DataFrame(index=pd.Index(batch_sizes, name="batch size"),
                         columns=pd.Index(learning_rates, name="learning rate"), dtype=float)
    for batch_size in batch_sizes:
        for rate in learning_rates:
            settings = MLMSettings(epochs=epochs, learning_rate=rate, batch_size=batch_size)
            _, curve = pretrain(copy.deepcopy(start), tokenizer, train, heldout, "dynamic",
                                settings)
            table.loc[batch_size, rate] = curve["held-out loss"].iloc[-1]
    return table
