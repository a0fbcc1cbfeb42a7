"""RoBERTa's pretraining changes (Liu et al. 2019) in miniature: masked language modelling,
static versus dynamic masking, the input formats without next-sentence prediction, and a
learning-rate / batch-size sweep, all on the course's reviews with the packaged encoder.

The masking is transformers' own ``DataCollatorForLanguageModeling`` (15% of the tokens
chosen; of those 80% become [MASK], 10% a random token, 10% stay). Training uses the
``Trainer``, so the same code runs on a CPU or a GPU.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

import pandas as pd
import torch
import torch.nn.functional as F
from datasets import Dataset, DatasetDict
from transformers import (
    BertForMaskedLM,
    DataCollatorForLanguageModeling,
    DataCollatorForTokenClassification,
)
from transformers.modeling_outputs import MaskedLMOutput

from . import training
from .data import split_sentences
from .inference import model_device
from .runtime import course_seed
from .training import freeze

MASK_PROBABILITY = 0.15
REPLACEMENT = {"[MASK]": 0.8, "random token": 0.1, "unchanged": 0.1}
HELDOUT_MASK_SEED = 1234  # one fixed mask for the held-out reviews, the same in every run

# ---------------------------------------------------------------- masking


def mlm_collator(tokenizer, seed: int | None = None,
                 probability: float = MASK_PROBABILITY) -> DataCollatorForLanguageModeling:
    """transformers' MLM collator with BERT's rates: ``probability`` of the tokens chosen,
    then 80% [MASK] / 10% random / 10% unchanged; special tokens and padding never chosen.
    ``seed`` makes the sequence of masks reproducible."""
    return DataCollatorForLanguageModeling(
        tokenizer, mlm_probability=probability, mask_replace_prob=REPLACEMENT["[MASK]"],
        random_replace_prob=REPLACEMENT["random token"], seed=seed)


def mask_batch(collator, examples: list[dict]) -> dict:
    """One masked batch (padded): ``input_ids`` as the model sees them, ``labels`` (-100 where
    the token was not chosen), and the original ids."""
    plain = [{"input_ids": e["input_ids"]} for e in examples]
    batch = collator(plain)
    original = collator.tokenizer.pad(plain, return_tensors="pt")["input_ids"]
    return {**batch, "original_ids": original}


def masking_rates(tokenizer, examples: list[dict], rounds: int = 20, seed: int = 0) -> dict:
    """Measured over ``rounds`` maskings of ``examples``: the share of ordinary tokens chosen,
    how the chosen ones were replaced, and how many special tokens were ever chosen."""
    collator = mlm_collator(tokenizer, seed=seed)
    special = set(tokenizer.all_special_ids)
    counts = dict.fromkeys(["ordinary", "chosen", "[MASK]", "random token", "unchanged",
                            "special chosen"], 0)
    for _ in range(rounds):
        batch = mask_batch(collator, examples)
        chosen = batch["labels"] != -100
        is_special = torch.isin(batch["original_ids"], torch.tensor(sorted(special)))
        counts["ordinary"] += int((~is_special).sum())
        counts["chosen"] += int(chosen.sum())
        counts["special chosen"] += int((chosen & is_special).sum())
        shown, original = batch["input_ids"][chosen], batch["original_ids"][chosen]
        counts["[MASK]"] += int((shown == tokenizer.mask_token_id).sum())
        counts["unchanged"] += int((shown == original).sum())
    counts["random token"] = counts["chosen"] - counts["[MASK]"] - counts["unchanged"]
    return {"chosen": counts["chosen"] / counts["ordinary"],
            **{k: counts[k] / counts["chosen"] for k in REPLACEMENT},
            "special chosen": counts["special chosen"], "tokens seen": counts["ordinary"]}


def show_masking(tokenizer, input_ids, labels, original_ids) -> str:
    """The tokens as the model sees them, chosen positions in brackets with the original:
    ``[MASK]→battery`` (masked), ``{toaster→battery}`` (random), ``(battery)`` (unchanged)."""
    pieces = []
    for shown, label, original in zip(input_ids.tolist(), labels.tolist(),
                                      original_ids.tolist()):
        if original == tokenizer.pad_token_id:
            break
        word = tokenizer.convert_ids_to_tokens(original)
        if label == -100:
            pieces.append(word)
        elif shown == tokenizer.mask_token_id:
            pieces.append(f"[MASK]→{word}")
        elif shown == original:
            pieces.append(f"({word})")
        else:
            pieces.append(f"{{{tokenizer.convert_ids_to_tokens(shown)}→{word}}}")
    return " ".join(pieces)


def static_masks(dataset: Dataset, tokenizer, seed: int = 0) -> Dataset:
    """Every example of ``dataset`` masked once, now (seeded): ``input_ids`` and ``labels``."""
    collator = mlm_collator(tokenizer, seed=seed)
    masked = [collator([{"input_ids": ids}]) for ids in dataset["input_ids"]]
    return Dataset.from_dict({"input_ids": [b["input_ids"][0].tolist() for b in masked],
                              "labels": [b["labels"][0].tolist() for b in masked]})


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


# ---------------------------------------------------------------- input formats


def _sentence_ids(texts, tokenizer) -> list[list[list[int]]]:
    """Token ids (no special tokens) of every sentence of every text."""
    return [tokenizer(split_sentences(t), add_special_tokens=False)["input_ids"]
            for t in texts]


def _wrap(tokenizer, pieces: list[list[int]]) -> dict:
    """[CLS] a [SEP] (b [SEP]): the ids, token types and attention mask of one example."""
    ids, types = [tokenizer.cls_token_id], [0]
    for segment, piece in enumerate(pieces):
        ids += piece + [tokenizer.sep_token_id]
        types += [segment] * (len(piece) + 1)
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": [1] * len(ids)}


def pack_sentences(texts, tokenizer, max_length: int = 64,
                   cross_documents: bool = True) -> Dataset:
    """FULL-SENTENCES (``cross_documents``) or DOC-SENTENCES: whole contiguous sentences
    packed into examples of at most ``max_length`` tokens, one segment, no NSP.

    FULL-SENTENCES may run on into the next review (a [SEP] marks the boundary);
    DOC-SENTENCES stops at the end of each review, so its examples are shorter. A sentence
    longer than the budget is cut.
    """
    budget = max_length - 2
    examples, current = [], []
    for document in _sentence_ids(texts, tokenizer):
        for sentence in document:
            if current and len(current) + len(sentence) > budget:
                examples.append(current)
                current = []
            current = current + sentence[:budget]
        if not cross_documents:
            examples.append(current)
            current = []
        elif len(current) < budget:
            current = current + [tokenizer.sep_token_id]
    if current:
        examples.append(current)
    return Dataset.from_list([_wrap(tokenizer, [ids[:budget]]) for ids in examples])


def _joined(sentences: list[list[int]]) -> list[int]:
    return list(itertools.chain.from_iterable(sentences))


def segment_pairs(texts, tokenizer, max_length: int = 64, seed: int = 0) -> Dataset:
    """SEGMENT-PAIR+NSP: segment A = the first half of a review's sentences, segment B = the
    rest (``next_sentence_label`` 0, "is next") or the second half of another review (1), half
    and half, each pair cut to ``max_length`` tokens."""
    rng = random.Random(seed)
    documents = [d for d in _sentence_ids(texts, tokenizer) if len(d) >= 2]
    rows = []
    for index, document in enumerate(documents):
        is_random = rng.random() < 0.5
        source = documents[rng.choice([i for i in range(len(documents)) if i != index])
                           ] if is_random else document
        first = _joined(document[:len(document) // 2])
        second = _joined(source[len(source) // 2:])
        budget = max_length - 3
        first = first[:max(budget // 2, budget - len(second))]
        second = second[:budget - len(first)]
        rows.append({**_wrap(tokenizer, [first, second]), "next_sentence_label": int(is_random),
                     "a": tokenizer.decode(first), "b": tokenizer.decode(second)})
    return Dataset.from_list(rows)


def format_table(formats: dict[str, Dataset]) -> pd.DataFrame:
    """Examples and mean real tokens per example of each input format."""
    rows = {}
    for name, dataset in formats.items():
        lengths = [len(ids) for ids in dataset["input_ids"]]
        rows[name] = {"examples": len(lengths),
                      "mean tokens": round(sum(lengths) / len(lengths), 1)}
    return pd.DataFrame.from_dict(rows, orient="index")


def topic_only_nsp(pairs: Dataset, encoder, tokenizer, train_share: float = 0.7):
    """Test accuracy of a one-feature NSP classifier: the cosine between the two segments'
    mean-pooled vectors from a frozen sentence encoder (same topic or not), fed to a logistic
    regression. High = NSP is mostly a topic test. Returns a :class:`metrics.Accuracy`."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .metrics import accuracy
    from .probes import pair_features, sentence_vectors

    examples = pd.DataFrame({"first": pairs["a"], "second": pairs["b"]})
    vectors = sentence_vectors(encoder, tokenizer, list(examples["first"])
                               + list(examples["second"]))
    cosine, labels = pair_features(examples, vectors, "topic"), pairs["next_sentence_label"]
    cut = int(train_share * len(labels))
    probe = make_pipeline(StandardScaler(), LogisticRegression())
    probe.fit(cosine[:cut], labels[:cut])
    return accuracy(labels[cut:], probe.predict(cosine[cut:]))


# ---------------------------------------------------------------- the model


class MaskedPositionsLM(BertForMaskedLM):
    """``BertForMaskedLM`` that projects onto the vocabulary only at the chosen positions when
    it gets ``labels``: the same loss, about 2.4x faster training on a CPU (the projection onto
    30,522 words costs as much as the encoder). Without labels it returns every position's
    logits, as the parent does (fill-mask)."""

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                **kwargs):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        if labels is None:
            return MaskedLMOutput(logits=self.cls(hidden))
        chosen = labels != -100
        logits = self.cls(hidden[chosen])
        return MaskedLMOutput(loss=F.cross_entropy(logits, labels[chosen]), logits=logits)


def load_mlm_model(checkpoint=None):
    """The packaged encoder (or ``checkpoint``) with an MLM head, on the course device.

    The packaged checkpoint has no MLM head (sentence-transformers weights): the head starts
    random (see :data:`HEAD_WARM_UP`).
    """
    from .models import PACKAGED_ENCODER, load_encoder

    return load_encoder(checkpoint or PACKAGED_ENCODER, MaskedPositionsLM)


# ---------------------------------------------------------------- training


@dataclass(frozen=True)
class MLMSettings:
    """One continued-pretraining run (the lesson's defaults fit 2 CPU cores)."""

    epochs: int = 6
    learning_rate: float = 1e-3
    batch_size: int = 16
    trainable_layers: int | None = 2
    seed: int = field(default_factory=course_seed)


HEAD_WARM_UP = MLMSettings(epochs=1, learning_rate=3e-3, trainable_layers=0)
"""The packaged encoder has no MLM head: one epoch trains the head alone (encoder frozen)."""

STATIC_COPIES = 2
"""BERT's static scheme at the lesson's scale: BERT drew 10 masks per sequence for 40 epochs,
so each mask came back 4 times; over the lesson's 6 epochs, 2 masks come back 3 times each."""

MLM_REVIEWS, HELDOUT_REVIEWS, BLOCK_TOKENS = 100, 40, 64
"""The miniature: 100 training reviews in 64-token FULL-SENTENCES blocks; held-out MLM loss
on 40 validation reviews no run ever trains on."""


def mlm_corpus(tokenizer, reviews=None) -> tuple[Dataset, Dataset]:
    """The (training, held-out) blocks of the miniature, from the reviews corpus."""
    from .data import load_reviews

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

    ``heldout`` is masked once (seeded) so every run is scored on the same masks. Returns
    the model and a table of the training and held-out MLM loss after each epoch.
    """
    # the embeddings stay frozen: they are tied to the MLM output projection
    freeze(model, top=settings.trainable_layers)
    fixed = DataCollatorForTokenClassification(tokenizer)
    heldout = static_masks(heldout, tokenizer, seed=HELDOUT_MASK_SEED)
    if masking == "static":
        masker = FixedMasks(train, tokenizer, copies, seed=settings.seed)
        train = Dataset.from_dict({"index": list(range(len(train)))})
    elif masking == "dynamic":
        train = train.select_columns(["input_ids"])
        masker = mlm_collator(tokenizer, seed=settings.seed)
    else:
        raise ValueError(f"masking must be 'static' or 'dynamic', not {masking!r}")
    model, history = training.train(model, tokenizer,
                                    DatasetDict(train=train, validation=heldout),
                                    settings, settings.seed, _PremaskedOr(fixed, masker),
                                    quiet=True, save_strategy="no",
                                    load_best_model_at_end=False, metric_for_best_model=None,
                                    train_sampling_strategy="random",
                                    prediction_loss_only=True, remove_unused_columns=False,
                                    disable_tqdm=True)
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


def loss_curves(log_history: list[dict]) -> pd.DataFrame:
    """Training loss and held-out loss per epoch from a Trainer's log history."""
    train = {round(e["epoch"]): e["loss"] for e in log_history if "loss" in e}
    heldout = {round(e["epoch"]): e["eval_loss"] for e in log_history if "eval_loss" in e}
    table = pd.DataFrame({"training loss": train, "held-out loss": heldout})
    table.index.name = "epoch"
    return table




def masking_experiment(start, tokenizer, train: Dataset, heldout: Dataset,
                       settings: MLMSettings = MLMSettings(), copies: int = STATIC_COPIES):
    """Static (BERT's scheme, ``copies`` masks) and dynamic masking from the same starting
    model, seed and number of steps. Returns the two models and their loss curves side by
    side."""
    import copy

    models, curves = {}, {}
    for masking in ("static", "dynamic"):
        models[masking], curves[masking] = pretrain(copy.deepcopy(start), tokenizer, train,
                                                    heldout, masking, settings, copies)
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


# ---------------------------------------------------------------- figures


def plot_mask_grid(tokenizer, ids: list[int], static, dynamic, copies: int = 1):
    """Which tokens of one sentence are chosen in each epoch, static (``copies`` masks)
    beside dynamic."""
    import matplotlib.pyplot as plt

    from .plots import finish_figure

    tokens = tokenizer.convert_ids_to_tokens(ids)
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.28 * len(static) + 1.8), sharey=True)
    static_title = f"static: {copies} mask{'s' * (copies > 1)} drawn before training, cycled"
    for ax, grid, title in zip(axes, (static, dynamic),
                               (static_title, "dynamic: a new mask every epoch")):
        ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.4, aspect="auto")
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=7)
        ax.set_title(title)
        ax.set_xlabel("token")
    axes[0].set_yticks(range(len(static)), [str(e + 1) for e in range(len(static))])
    axes[0].set_ylabel("epoch")
    return finish_figure(fig)


def plot_loss_curves(curves: pd.DataFrame):
    """Training and held-out MLM loss per epoch for static and dynamic masking."""
    import matplotlib.pyplot as plt

    from .plots import finish_figure

    fig, ax = plt.subplots(figsize=(7, 4))
    colours = {"static": "#C44E52", "dynamic": "#4C72B0"}
    for (masking, kind), values in curves.items():
        ax.plot(values.index, values, marker="o", color=colours[masking],
                linestyle="--" if kind == "training loss" else "-",
                label=f"{masking}, {kind}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MLM loss (cross-entropy, nats)")
    ax.set_title("Static masks are memorised; dynamic masks keep generalising")
    ax.legend()
    return finish_figure(fig)


# ---------------------------------------------------------------- fill in the blank


def check_masked_text(text, mask_token: str = "[MASK]") -> str:
    """``text`` if it is a string with exactly one ``[MASK]``; a one-line error otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"the text must be a string, not {type(text).__name__}")
    if text.count(mask_token) != 1:
        raise ValueError(f"put exactly one {mask_token} where the missing word goes "
                         f"(found {text.count(mask_token)})")
    if len(text) > 2000:
        raise ValueError("the text is too long for fill-in-the-blank: keep it under 2,000 "
                         "characters")
    return text


@torch.inference_mode()
def _mask_logits(model, tokenizer, text: str) -> torch.Tensor:
    """Logits over the vocabulary at the single ``[MASK]`` of ``text`` (RoBERTa's ``<mask>``
    is substituted), special tokens excluded."""
    text = check_masked_text(text).replace("[MASK]", tokenizer.mask_token)
    batch = tokenizer(text, return_tensors="pt", truncation=True, max_length=512)
    batch = batch.to(model_device(model))
    position = (batch["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0, 0]
    logits = model(**batch).logits[0, position].float().cpu()
    logits[tokenizer.all_special_ids] = -float("inf")
    return logits


def top_predictions(model, tokenizer, text: str, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` most likely words for the single ``[MASK]`` of ``text``, with probabilities."""
    top = _mask_logits(model, tokenizer, text).softmax(-1).topk(k)
    words = tokenizer.convert_ids_to_tokens(top.indices.tolist())
    return [(w.lstrip("Ġ"), round(p, 3)) for w, p in zip(words, top.values.tolist())]


def word_rank(model, tokenizer, text: str, word: str) -> int:
    """Where ``word`` ranks among the model's guesses for the ``[MASK]`` (1 = first choice)."""
    ids = tokenizer(" " + word.strip(), add_special_tokens=False)["input_ids"]
    if len(ids) != 1:
        raise ValueError(f"{word!r} is {len(ids)} tokens in this vocabulary; pick a word that "
                         "is one token")
    logits = _mask_logits(model, tokenizer, text)
    return int((logits > logits[ids[0]]).sum()) + 1


def fill_mask_table(models: dict, sentences: dict[str, str | None], k: int = 3) -> pd.DataFrame:
    """For each ``text: expected word`` (rows) and each ``name: (model, tokenizer)``: the top
    ``k`` words with probabilities, and the expected word's rank when one is given."""
    rows = {}
    for text, word in sentences.items():
        row = {"expected": word or ""}
        for name, (model, tokenizer) in models.items():
            row[f"{name}: top {k}"] = ", ".join(
                f"{w} {p:.0%}" for w, p in top_predictions(model, tokenizer, text, k))
            if word:
                row[f"{name}: rank of expected"] = word_rank(model, tokenizer, text, word)
        rows[text] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def fill_mask_explorer(models: dict, text: str = "The battery [MASK] all day.",
                       word: str = "lasts"):
    """Type a review with one [MASK] (and, if you like, the word you expect); see each
    model's top words and the expected word's rank (a live widget)."""
    import ipywidgets as widgets
    from IPython.display import display

    box = widgets.Text(value=text, description="review", layout={"width": "60%"})
    expected = widgets.Text(value=word, description="expected")
    output = widgets.Output()

    def show(*_):
        output.clear_output(wait=True)
        with output:
            try:
                display(fill_mask_table(models, {box.value: expected.value or None}, k=5).T)
            except (ValueError, TypeError) as error:
                print(error)

    box.observe(show, "value")
    expected.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox([box, expected]), output])


def online_fill_mask(sentences: dict[str, str | None]) -> pd.DataFrame:
    """Online only: the real ``bert-base-uncased`` and ``roberta-base`` side by side."""
    from transformers import AutoModelForMaskedLM

    from .models import load_encoder, load_tokenizer

    models = {name: (load_encoder(name, AutoModelForMaskedLM), load_tokenizer(name))
              for name in ("bert-base-uncased", "roberta-base")}
    return fill_mask_table(models, sentences)


# ---------------------------------------------------------------- the paper's figures

PAPER_MASKING = pd.DataFrame(
    {"SQuAD 2.0 F1": [76.3, 78.3, 78.7], "MNLI-m": [84.3, 84.3, 84.0],
     "SST-2": [92.8, 92.5, 92.9]},
    index=["BERT-base (reported)", "static (reimplemented)", "dynamic"])
"""Liu et al. 2019, Table 1: static versus dynamic masking, BERT-base size."""

PAPER_FORMATS = pd.DataFrame(
    {"NSP": ["yes", "yes", "no", "no"], "SQuAD 1.1/2.0": ["90.4/78.7", "88.7/76.2",
                                                         "90.4/79.1", "90.6/79.7"],
     "MNLI-m": [84.0, 82.9, 84.7, 84.7], "SST-2": [92.9, 92.1, 92.5, 92.7],
     "RACE": [64.2, 63.0, 64.8, 65.6]},
    index=["SEGMENT-PAIR", "SENTENCE-PAIR", "FULL-SENTENCES", "DOC-SENTENCES"])
"""Liu et al. 2019, Table 2: input formats with and without next-sentence prediction."""

PAPER_BATCHES = pd.DataFrame(
    {"steps": ["1M", "125K", "31K"], "learning rate": [1e-4, 7e-4, 1e-3],
     "perplexity (held-out)": [3.99, 3.68, 3.77], "MNLI-m": [84.7, 85.2, 84.6],
     "SST-2": [92.7, 92.9, 92.8]},
    index=pd.Index([256, 2048, 8192], name="batch size"))
"""Liu et al. 2019, Table 3: the same number of sequences in bigger batches."""

PAPER_DATA = pd.DataFrame(
    {"data": ["16GB", "160GB", "160GB", "160GB"], "steps": ["100K", "100K", "300K", "500K"],
     "SQuAD 1.1/2.0": ["93.6/87.3", "94.0/87.7", "94.4/88.7", "94.6/89.4"],
     "MNLI-m": [89.0, 89.3, 90.0, 90.2], "SST-2": [95.3, 95.6, 96.1, 96.4]},
    index=["RoBERTa, books + wiki", "+ more data", "+ pretrain longer", "+ longer still"])
"""Liu et al. 2019, Table 4: more data and longer training (RoBERTa-large, batch 8K)."""


# ---------------------------------------------------------------- downstream


def sentiment_model(mlm_model):
    """A sentiment classifier whose encoder is ``mlm_model``'s (the packaged pooler, a new
    classifier), on the course device."""
    from transformers import AutoModelForSequenceClassification

    from .models import PACKAGED_ENCODER, load_encoder
    from .training import ID2LABEL, LABEL2ID

    model = load_encoder(PACKAGED_ENCODER, AutoModelForSequenceClassification, num_labels=2,
                         id2label=ID2LABEL, label2id=LABEL2ID)
    missing, unexpected = model.bert.load_state_dict(mlm_model.bert.state_dict(), strict=False)
    assert not unexpected and all(k.startswith("pooler.") for k in missing), (missing, unexpected)
    return model


def downstream_predictions(mlm_model, tokenizer, splits, trainable_layers: int = 2,
                           epochs: float = 3, learning_rate: float = 2e-4, max_length: int = 64,
                           seed: int | None = None) -> list[int]:
    """Fine-tune a sentiment classifier on top of ``mlm_model``'s encoder (its top
    ``trainable_layers`` and the head), select on validation; its test-split predictions
    (to compare two encoders on the same reviews with a paired test)."""
    seed = course_seed() if seed is None else seed
    from .sentiment import SentimentAnalyzer
    from .training import Settings, fine_tune

    with torch.random.fork_rng(devices=[]):  # the new head, without reseeding the caller
        torch.manual_seed(seed)
        model = freeze(sentiment_model(mlm_model), top=trainable_layers)
    model, _ = fine_tune(model, tokenizer, splits, Settings(epochs, learning_rate,
                                                            max_length=max_length),
                         seed=seed, disable_tqdm=True)
    analyzer = SentimentAnalyzer(model.eval(), tokenizer, max_length=max_length)
    return analyzer.predict_polarity(splits["test"]["text"])
