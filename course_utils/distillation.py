"""Knowledge distillation, DistilBERT's recipe (Sanh et al. 2019) in miniature.

Three loss terms, each defined once: :func:`soft_target_loss` (KL divergence between the
temperature-softened distributions, times T squared, Hinton et al. 2015 §2),
:func:`hard_label_loss` (cross-entropy on the true labels) and :func:`hidden_cosine_loss`
(aligns the student's last hidden states with the teacher's). :class:`DistillationTrainer`
combines them on top of the ``transformers`` ``Trainer``, so the same code runs on a CPU, a
GPU, or several with ``accelerate``.

The student is a real ``DistilBertForSequenceClassification`` made from the BERT-architecture
teacher by :func:`bert_to_distilbert` (every other layer; no token-type embeddings, no pooler),
with the weight mapping spelled out in :data:`LAYER_MAPPING`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from datasets import Dataset, DatasetDict
from transformers import (
    DataCollatorWithPadding,
    DistilBertConfig,
    DistilBertForSequenceClassification,
    Trainer,
)

from . import training
from .data import split_sentences
from .inference import fingerprint, logits_and_last_hidden, model_device, run_in_batches
from .runtime import course_seed, mixed_precision
from .training import ID2LABEL, LABEL2ID, compute_accuracy, freeze, tokenize_splits

# ---------------------------------------------------------------------------------------------
# The three loss terms
# ---------------------------------------------------------------------------------------------


def soften(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Softmax of ``logits / T``: T = 1 is the usual softmax, larger T flattens it."""
    return torch.softmax(logits / temperature, dim=-1)


def soft_target_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor,
                     temperature: float = 2.0) -> torch.Tensor:
    """KL(teacher_T || student_T) * T², averaged over the batch (Hinton et al. 2015, §2).

    Both distributions are softened with the same temperature; the T² factor keeps the size
    of the gradients independent of T, so the weights of the loss terms need no retuning.
    """
    log_student = F.log_softmax(student_logits / temperature, dim=-1)
    log_teacher = F.log_softmax(teacher_logits / temperature, dim=-1)
    kl = F.kl_div(log_student, log_teacher, reduction="batchmean", log_target=True)
    return kl * temperature**2


def hard_label_loss(student_logits: torch.Tensor, labels: torch.Tensor,
                    ignore_index: int = -100) -> torch.Tensor:
    """Cross-entropy against the true labels; examples labelled ``ignore_index`` (unlabelled
    transfer examples) are skipped, and a batch without any label contributes 0."""
    if not (labels != ignore_index).any():
        return student_logits.sum() * 0.0
    return F.cross_entropy(student_logits, labels, ignore_index=ignore_index)


def hidden_cosine_loss(student_hidden: torch.Tensor, teacher_hidden: torch.Tensor,
                       attention_mask: torch.Tensor | None = None) -> torch.Tensor:
    """Mean of 1 - cos(student, teacher) over the real (unpadded) token positions.

    DistilBERT's L_cos: it pulls the directions of the student's hidden vectors towards the
    teacher's. Shapes ``(batch, tokens, hidden)``; the hidden sizes must match.
    """
    distance = 1.0 - F.cosine_similarity(student_hidden, teacher_hidden.to(student_hidden.dtype),
                                         dim=-1)
    if attention_mask is None:
        return distance.mean()
    mask = attention_mask.to(distance.dtype)
    return (distance * mask).sum() / mask.sum().clamp(min=1.0)


@dataclass(frozen=True)
class LossWeights:
    """Weights of the three terms and the temperature (DistilBERT used 5 : 2 : 1, no MLM
    here since the student learns the task directly)."""

    soft: float = 1.0
    hard: float = 1.0
    cosine: float = 1.0
    temperature: float = 2.0


def distillation_loss(student_logits, teacher_logits, labels, weights: LossWeights,
                      student_hidden=None, teacher_hidden=None, attention_mask=None):
    """The weighted sum of the three terms, and each term's value (for logging)."""
    terms = {"hard": hard_label_loss(student_logits, labels)}
    if weights.soft:
        terms["soft"] = soft_target_loss(student_logits, teacher_logits, weights.temperature)
    if weights.cosine:
        terms["cosine"] = hidden_cosine_loss(student_hidden, teacher_hidden, attention_mask)
    total = sum(getattr(weights, name) * value for name, value in terms.items())
    return total, terms


# ---------------------------------------------------------------------------------------------
# The trainer
# ---------------------------------------------------------------------------------------------


class DistillationTrainer(Trainer):
    """A ``Trainer`` whose training loss is :func:`distillation_loss`.

    The teacher's outputs come from the batch when precomputed (``teacher_logits`` and
    ``teacher_hidden``, see :class:`TeacherOutputsCollator`), otherwise from ``teacher``, run
    without gradients on the same inputs. Evaluation uses the plain cross-entropy.
    """

    def __init__(self, *args, teacher=None, weights: LossWeights = LossWeights(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher.eval() if teacher is not None else None
        self.weights = weights
        if self.teacher is not None:
            self.teacher.to(self.args.device)

    def _teacher_outputs(self, inputs, need_hidden: bool):
        if self.teacher is None:
            raise ValueError("no precomputed teacher outputs in the batch and no teacher given")
        with torch.no_grad():
            out = self.teacher(input_ids=inputs["input_ids"],
                               attention_mask=inputs["attention_mask"],
                               output_hidden_states=need_hidden)
        return out.logits, (out.hidden_states[-1] if need_hidden else None)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        inputs = dict(inputs)
        labels = inputs.pop("labels")
        teacher_logits = inputs.pop("teacher_logits", None)
        teacher_hidden = inputs.pop("teacher_hidden", None)
        if not model.training:  # evaluation: the task loss only
            outputs = model(**inputs)
            loss = hard_label_loss(outputs.logits, labels)
            return (loss, outputs) if return_outputs else loss
        need_hidden = bool(self.weights.cosine)
        need_teacher = bool(self.weights.soft or self.weights.cosine)
        if need_teacher and (teacher_logits is None or (need_hidden and teacher_hidden is None)):
            teacher_logits, teacher_hidden = self._teacher_outputs(inputs, need_hidden)
        outputs = model(**inputs, output_hidden_states=need_hidden)
        loss, _ = distillation_loss(
            outputs.logits, teacher_logits, labels, self.weights,
            student_hidden=outputs.hidden_states[-1] if need_hidden else None,
            teacher_hidden=teacher_hidden, attention_mask=inputs["attention_mask"])
        return (loss, outputs) if return_outputs else loss


class TeacherOutputsCollator(DataCollatorWithPadding):
    """Pads a batch and attaches the teacher's precomputed logits and last hidden states
    (zero-padded like the batch), looked up by each example's ``idx``: the teacher runs once,
    not once per epoch."""

    def __init__(self, tokenizer, logits: torch.Tensor, hidden: list[torch.Tensor] | None = None):
        super().__init__(tokenizer)
        self.logits, self.hidden = logits, hidden

    def __call__(self, features):
        index = [f["idx"] for f in features] if "idx" in features[0] else None
        features = [{k: v for k, v in f.items() if k != "idx"} for f in features]
        batch = super().__call__(features)
        if index is not None:
            batch["teacher_logits"] = self.logits[index]
            if self.hidden is not None:
                width = batch["input_ids"].shape[1]
                hidden = torch.zeros(len(index), width, self.hidden[index[0]].shape[-1])
                for row, i in enumerate(index):
                    hidden[row, :len(self.hidden[i])] = self.hidden[i]
                batch["teacher_hidden"] = hidden
        return batch


# ---------------------------------------------------------------------------------------------
# The student: BERT -> DistilBERT
# ---------------------------------------------------------------------------------------------

EMBEDDING_MAPPING = {
    "embeddings.word_embeddings": "embeddings.word_embeddings",
    "embeddings.position_embeddings (+ token type 0)": "embeddings.position_embeddings",
    "embeddings.LayerNorm": "embeddings.LayerNorm",
}
"""BERT embedding module -> DistilBERT module. DistilBERT has no token types: BERT adds
``token_type_embeddings[0]`` to every position of a single text, so that vector is folded
into the position embeddings and the outputs stay identical."""

LAYER_MAPPING = {
    "attention.self.query": "attention.q_lin",
    "attention.self.key": "attention.k_lin",
    "attention.self.value": "attention.v_lin",
    "attention.output.dense": "attention.out_lin",
    "attention.output.LayerNorm": "sa_layer_norm",
    "intermediate.dense": "ffn.lin1",
    "output.dense": "ffn.lin2",
    "output.LayerNorm": "output_layer_norm",
}
"""Inside one layer: BERT ``encoder.layer.i.<name>`` -> DistilBERT
``transformer.layer.j.<name>``."""

HEAD_MAPPING = {"pooler.dense": "pre_classifier", "classifier": "classifier"}
"""The head: BERT's pooler (tanh) becomes DistilBERT's pre-classifier (ReLU), so the head's
outputs differ at first and are retrained; the encoder's hidden states do not."""


def every_other_layer(n_teacher_layers: int) -> list[int]:
    """Teacher layers the student starts from: 0, 2, 4, ... (half of them)."""
    return list(range(0, n_teacher_layers, 2))


def distilbert_config(teacher_config, n_layers: int) -> DistilBertConfig:
    """A DistilBERT config with the teacher's width, vocabulary and labels, ``n_layers`` deep."""
    return DistilBertConfig(
        vocab_size=teacher_config.vocab_size, dim=teacher_config.hidden_size,
        n_layers=n_layers, n_heads=teacher_config.num_attention_heads,
        hidden_dim=teacher_config.intermediate_size, activation=teacher_config.hidden_act,
        max_position_embeddings=teacher_config.max_position_embeddings,
        dropout=teacher_config.hidden_dropout_prob,
        attention_dropout=teacher_config.attention_probs_dropout_prob,
        pad_token_id=teacher_config.pad_token_id, num_labels=teacher_config.num_labels,
        id2label=dict(teacher_config.id2label), label2id=dict(teacher_config.label2id),
        seq_classif_dropout=0.1,
    )


def weight_mapping(layers: list[int]) -> list[tuple[str, str]]:
    """Every (BERT module, DistilBERT module) pair copied, in order, for the chosen layers."""
    pairs = [(f"bert.{b}", f"distilbert.{d}") for b, d in EMBEDDING_MAPPING.items()]
    for j, i in enumerate(layers):
        pairs += [(f"bert.encoder.layer.{i}.{b}", f"distilbert.transformer.layer.{j}.{d}")
                  for b, d in LAYER_MAPPING.items()]
    pairs += [(f"bert.{b}" if b.startswith("pooler") else b, d) for b, d in HEAD_MAPPING.items()]
    return pairs


def _module(model, name: str):
    return model.get_submodule(name.split(" ")[0])


@torch.no_grad()
def bert_to_distilbert(teacher, layers: list[int] | None = None,
                       random_init: bool = False, seed: int | None = None):
    """A ``DistilBertForSequenceClassification`` built from the BERT teacher's weights.

    ``layers`` are the teacher layers to copy (default: every other one); ``random_init``
    copies only the embeddings (the vocabulary and positions) and leaves every layer and the
    head random (the paper's ablation). ``seed`` (None: the run's) draws the weights not
    copied, without touching the caller's random generators.
    """
    layers = every_other_layer(teacher.config.num_hidden_layers) if layers is None else layers
    config = distilbert_config(teacher.config, len(layers))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(course_seed() if seed is None else seed)
        student = DistilBertForSequenceClassification(config)
    mapping = weight_mapping(layers)
    for source, target in mapping[:len(EMBEDDING_MAPPING)] if random_init else mapping:
        src, dst = _module(teacher, source), _module(student, target)
        for name, tensor in dst.named_parameters(recurse=False):
            tensor.copy_(getattr(src, name))
    token_type = teacher.bert.embeddings.token_type_embeddings.weight[0]
    student.distilbert.embeddings.position_embeddings.weight.add_(token_type)
    return student.to(model_device(teacher))


def student_tokenizer(teacher_tokenizer):
    """The teacher's tokenizer, without token-type ids (DistilBERT takes none)."""
    from copy import deepcopy

    tokenizer = deepcopy(teacher_tokenizer)
    tokenizer.model_input_names = ["input_ids", "attention_mask"]
    return tokenizer


def mapping_table(layers: list[int]):
    """The weight mapping as a table: BERT module, DistilBERT module, parameters copied."""
    import pandas as pd

    rows = [{"teacher (BERT)": s, "student (DistilBERT)": t} for s, t in weight_mapping(layers)]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The transfer set and the distillation run
# ---------------------------------------------------------------------------------------------

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
class Recipe:
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


MINIATURE = Recipe()


def distil(student, tokenizer, train: Dataset, validation: Dataset, teacher=None,
           recipe: Recipe = MINIATURE, seed: int | None = None, cached=None, **overrides):
    """Train ``student`` with :class:`DistillationTrainer` on ``train`` (labels of -100 are
    unlabelled), keep the epoch best on ``validation``. Returns the model and log history.

    ``cached`` = (logits, hidden) precomputed by :func:`teacher_outputs` for ``train``;
    without it the teacher runs at every step. Mixed precision where the hardware does it
    natively (:func:`runtime.mixed_precision`); ``overrides`` go to ``TrainingArguments``.
    """
    freeze(student, bottom=recipe.frozen_layers, embeddings=recipe.freeze_embeddings)
    data = DatasetDict(train=encode(train, tokenizer, recipe.max_length),
                       validation=encode(validation, tokenizer, recipe.max_length)
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
                                          "compute_metrics": compute_accuracy},
                          remove_unused_columns=False, **{**mixed_precision(), **overrides})


_CACHE: dict = {}


def prepared_transfer(teacher, tokenizer, recipe: Recipe = MINIATURE):
    """The transfer set built from the reviews' train split and the teacher's outputs on it,
    computed once per process (the lesson's experiments share them) for one teacher: the key
    holds a fingerprint of its weights and tokenizer, so a re-trained teacher gets its own."""
    from .data import load_reviews

    key = (fingerprint(teacher, tokenizer), recipe.max_length, recipe.masked_copies)
    if key not in _CACHE:
        train = transfer_set(load_reviews()["train"], masked_copies=recipe.masked_copies)
        encoded = encode(train, tokenizer, recipe.max_length)
        _CACHE.clear()
        _CACHE[key] = train, teacher_outputs(teacher, encoded, tokenizer)
    return _CACHE[key]


def build_distilled_student(recipe: Recipe = MINIATURE, seed: int | None = None):
    """The zoo's ``distilled-student``: 3 layers (teacher layers 0, 2, 4) distilled from the
    zoo's teacher with the full loss on the transfer set. Returns (model, tokenizer)."""
    from . import zoo
    from .data import load_reviews

    teacher, teacher_tok = zoo.load("teacher")
    tokenizer = student_tokenizer(teacher_tok)
    train, cached = prepared_transfer(teacher, tokenizer, recipe)
    student = bert_to_distilbert(teacher, seed=seed)
    student, _ = distil(student, tokenizer, train, load_reviews()["validation"],
                        teacher=teacher, recipe=recipe, seed=seed, cached=cached)
    student.config.id2label, student.config.label2id = dict(ID2LABEL), dict(LABEL2ID)
    return student, tokenizer


# ---------------------------------------------------------------------------------------------
# What the lesson shows: the results table (soft targets themselves: dark_knowledge.py)
# ---------------------------------------------------------------------------------------------

def accuracy_row(model, tokenizer, splits, names=("validation", "test", "challenge")):
    """Accuracy (n, 95% interval) of ``model`` on each split, and its predictions on each."""
    from .evaluation import REVIEW_MAX_TOKENS, evaluate_splits

    scored = evaluate_splits(model, tokenizer, splits, REVIEW_MAX_TOKENS, names)
    return ({name: s.accuracy for name, s in scored.items()},
            {name: s.predicted for name, s in scored.items()})


def size_row(model) -> dict:
    """Encoder parameters, total parameters and the safetensors size on disk (MB)."""
    from .bench import MB, checkpoint_bytes
    from .models import parameter_breakdown

    parts = parameter_breakdown(model)
    return {"encoder params (M)": round(parts["encoder"] / 1e6, 2),
            "total params (M)": round(parts["total"] / 1e6, 2),
            "on disk (MB)": round(checkpoint_bytes(model) / MB, 1)}


@torch.no_grad()
def conversion_check(teacher, tokenizer, texts: list[str], atol: float = 1e-4):
    """Does the converted DistilBERT reproduce the teacher's hidden states? Two cases: all
    layers against the teacher, every other layer against the teacher truncated to them."""
    import copy

    import pandas as pd

    batch = tokenizer(texts, padding=True, truncation=True, max_length=128,
                      return_tensors="pt").to(model_device(teacher))
    real = batch["attention_mask"].bool()
    n = teacher.config.num_hidden_layers
    rows = []
    for layers in (list(range(n)), every_other_layer(n)):
        reference = copy.deepcopy(teacher).eval()
        reference.bert.encoder.layer = torch.nn.ModuleList(
            [reference.bert.encoder.layer[i] for i in layers])
        expected = reference(**batch, output_hidden_states=True).hidden_states
        student = bert_to_distilbert(teacher, layers).eval()
        got = student(**batch, output_hidden_states=True).hidden_states
        worst = max((a[real] - b[real]).abs().max().item() for a, b in zip(expected, got))
        rows.append({"student layers": str(layers), "compared with": f"teacher layers {layers}",
                     "hidden states compared": len(got),
                     f"all equal within {atol:g}": worst < atol})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Experiment:
    """One change to the full recipe: the loss, the data or the student's starting point."""

    weights: LossWeights = LossWeights()
    augmented: bool = True
    random_init: bool = False


EXPERIMENTS = {
    "hard labels only": Experiment(LossWeights(soft=0, hard=1, cosine=0), augmented=False),
    "labelled reviews only": Experiment(augmented=False),
    "random init": Experiment(augmented=False, random_init=True),
}
"""The lesson's experiments. ``augmented`` False trains on the labelled reviews alone (the
first rows of the transfer set), the cheap setting that isolates one change at a time."""


def run_experiment(name: str, teacher, tokenizer, recipe: Recipe = MINIATURE,
                   seed: int | None = None):
    """Train the 3-layer student of experiment ``name`` (a key of :data:`EXPERIMENTS`)."""
    from .data import load_reviews

    change = EXPERIMENTS[name]
    recipe = replace(recipe, weights=change.weights)
    if change.random_init:  # nothing to keep from the teacher but the embeddings
        recipe = replace(recipe, frozen_layers=0)
    reviews = load_reviews()
    train, cached = prepared_transfer(teacher, tokenizer, recipe)
    if not change.augmented:
        train = train.select(range(len(reviews["train"])))
    student = bert_to_distilbert(teacher, random_init=change.random_init, seed=seed)
    uses_teacher = bool(change.weights.soft or change.weights.cosine)
    return distil(student, tokenizer, train, reviews["validation"], recipe=recipe, seed=seed,
                  cached=cached if uses_teacher else None)[0]


def results_table(references: dict, students: dict, splits):
    """Accuracy (n, 95% interval) on validation, test and challenge, encoder and total
    parameters and on-disk size for every ``name: (model, tokenizer)``; the hidden columns
    ``_test`` (test accuracy as a number) and ``_predicted`` (test predictions, for paired
    tests) serve the claim check."""
    import pandas as pd

    rows = {}
    for name, (model, tokenizer) in {**references, **students}.items():
        scores, predicted = accuracy_row(model, tokenizer, splits)
        rows[name] = {**{split: str(a) for split, a in scores.items()}, **size_row(model),
                      "_test": scores["test"].value, "_predicted": predicted["test"]}
    return pd.DataFrame.from_dict(rows, orient="index")


def distil_online(layers: list[int] | None = None, epochs: float = 3, seed: int = 0):
    """Online only: distil ``bert-base-uncased`` fine-tuned on SST-2 into a DistilBERT student
    (default: every other layer, 6 of 12) on SST-2's training sentences, on a GPU."""
    from datasets import load_dataset
    from transformers import AutoModelForSequenceClassification

    from .models import SST2_CHECKPOINTS, load_encoder, load_tokenizer

    name = SST2_CHECKPOINTS["bert"]
    teacher = load_encoder(name, AutoModelForSequenceClassification)
    tokenizer = student_tokenizer(load_tokenizer(name))
    sst2 = load_dataset("glue", "sst2").rename_column("sentence", "text")
    student = bert_to_distilbert(teacher, layers, seed=seed)
    recipe = replace(MINIATURE, epochs=epochs, learning_rate=5e-5, batch_size=32,
                     max_length=66, freeze_embeddings=False, frozen_layers=0)
    return distil(student, tokenizer, sst2["train"], sst2["validation"], teacher=teacher,
                  recipe=recipe, seed=seed)
