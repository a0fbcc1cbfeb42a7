"""The seed course's own code: one review at a time, as it wrote it. The baseline that the
course's analyzer must match (the same predictions) and beat (the throughput)."""

from __future__ import annotations

import torch


def analyze_sentiment(text, model, tokenizer, truncation=False):
    """The seed course's function, line for line, but for two fixes: ``truncation`` (without
    it, a review longer than the model's 512 positions crashes the model) and the inputs sent
    to the model's device (on a GPU, token ids left on the CPU crash it too)."""
    inputs = tokenizer(text, return_tensors="pt", truncation=truncation).to(model.device)
    with torch.no_grad():
        outputs = model(**inputs)
    probabilities = torch.nn.functional.softmax(outputs.logits, dim=-1)
    predicted_class = torch.argmax(probabilities, dim=-1).item()
    return model.config.id2label[predicted_class], probabilities[0][predicted_class].item()


def seed_loop(texts, model, tokenizer, truncation: bool = True) -> list[str]:
    """The seed's loop over the reviews: ``analyze_sentiment`` on each, one at a time."""
    return [analyze_sentiment(text, model, tokenizer, truncation)[0] for text in texts]


def text_classifier(model, tokenizer):
    """The same model as ``transformers.pipeline("text-classification")``."""
    from transformers import pipeline

    return pipeline("text-classification", model=model, tokenizer=tokenizer,
                    device=model.device)


def pipeline_labels(classify, texts, batch_size: int = 8) -> list[str]:
    """The labels of a :func:`text_classifier` pipeline, batched, truncated at the model's
    limit."""
    return [p["label"] for p in classify(list(texts), batch_size=batch_size, truncation=True)]
