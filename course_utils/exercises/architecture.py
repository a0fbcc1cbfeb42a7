"""Checks for the exercises of lesson 01 (architecture)."""

from __future__ import annotations

from transformers import AlbertConfig, BertConfig

from ..architecture import meta_parameter_count
from . import attempt, feedback

BERT_LARGE = {"vocab": 30522, "hidden": 1024, "layers": 24, "ffn": 4096, "positions": 512,
              "token_types": 2}
ALBERT_XXLARGE = {"vocab": 30000, "embedding": 128, "hidden": 4096, "ffn": 16384,
                  "positions": 512, "token_types": 2}


def _check_count(formula, sizes: dict, config, name: str) -> None:
    answer = attempt(formula, **sizes)
    if answer is None:
        return
    truth = meta_parameter_count(config)
    feedback(answer == truth, f"{answer:,} parameters: exactly {name}'s count.",
             f"{answer:,} is {answer - truth:+,} off {name}'s {truth:,}; remember the biases, "
             "the two LayerNorms per layer, the embedding LayerNorm and the pooler.")


def check_bert_large(formula) -> None:
    """Exercise 1: BERT-large's parameters by formula (checked against the real model)."""
    config = BertConfig(vocab_size=30522, hidden_size=1024, num_hidden_layers=24,
                        num_attention_heads=16, intermediate_size=4096)
    _check_count(formula, BERT_LARGE, config, "BERT-large")


def check_albert_xxlarge(formula) -> None:
    """Exercise 2: ALBERT-xxlarge's parameters by formula (one shared layer, E = 128)."""
    config = AlbertConfig(vocab_size=30000, embedding_size=128, hidden_size=4096,
                          num_hidden_layers=12, num_attention_heads=64,
                          intermediate_size=16384)
    _check_count(formula, ALBERT_XXLARGE, config, "ALBERT-xxlarge")


def check_fastest(guess: str | None, latency_ms: dict[str, float]) -> None:
    """Exercise 3: which of the four models is fastest at batch 1 (checked against the run)."""
    if guess is None:
        print("⏳ Not attempted yet: set `fastest` to a model name.")
        return
    fastest, runner_up = sorted(latency_ms, key=latency_ms.get)[:2]
    feedback(guess == fastest,
             f"{fastest} is the fastest here: {latency_ms[fastest]:.0f} ms, against "
             f"{latency_ms[runner_up]:.0f} ms for the next, {runner_up}.",
             f"{guess} is not the fastest here; which model has fewer layers to run?")
