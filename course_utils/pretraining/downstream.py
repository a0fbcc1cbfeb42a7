"""Downstream: a sentiment classifier on top of a pretrained MLM encoder, its test predictions."""

from __future__ import annotations

import torch

from ..core.runtime import course_seed
from ..training import freeze


def sentiment_model(mlm_model):
    """A sentiment classifier whose encoder is ``mlm_model``'s (the packaged pooler, a new
    classifier), on the course device."""
    from transformers import AutoModelForSequenceClassification

    from ..core.evaluation import ID2LABEL, LABEL2ID
    from ..models import PACKAGED_ENCODER, load_pretrained

    model = load_pretrained(PACKAGED_ENCODER, AutoModelForSequenceClassification, num_labels=2,
                         id2label=ID2LABEL, label2id=LABEL2ID)
    missing, unexpected = model.bert.load_state_dict(mlm_model.bert.state_dict(), strict=False)
    assert not unexpected and all(k.startswith("pooler.") for k in missing), (missing, unexpected)
    return model


def downstream_predictions(mlm_model, tokenizer, splits, trainable_layers: int = 2,
                           epochs: float = 3, learning_rate: float = 2e-4, max_length: int = 64,
                           seed: int | None = None) -> list[int]:
    """Fine-tune a sentiment classifier on top of ``mlm_model``'s encoder (its top
    ``trainable_layers`` and the head), select on validation; its test-split predictions
    (to compare two encoders on the same reviews with a paired test). Every split is read
    to ``max_length`` tokens: training, selection and the predictions."""
    seed = course_seed() if seed is None else seed
    from ..core.sentiment import SentimentAnalyzer
    from ..training import Settings, fine_tune

    with torch.random.fork_rng(devices=[]):  # the new head, without reseeding the caller
        torch.manual_seed(seed)
        model = freeze(sentiment_model(mlm_model), top=trainable_layers)
    model, _ = fine_tune(model, tokenizer, splits,
                         Settings(epochs, learning_rate, max_length=max_length,
                                  read_length=max_length),
                         seed=seed, disable_tqdm=True)
    analyzer = SentimentAnalyzer(model.eval(), tokenizer, max_length=max_length)
    return analyzer.predict_polarity(splits["test"]["text"])
