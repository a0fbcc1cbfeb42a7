"""Reference solutions for lesson 03 (knowledge distillation)."""

from __future__ import annotations

import torch.nn.functional as F

from ...models import parameter_breakdown


def my_soft_target_loss(student_logits, teacher_logits, temperature):
    """Exercise 1: KL(teacher_T || student_T) * T^2, averaged over the batch."""
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    p = F.softmax(teacher_logits / temperature, dim=-1)
    return (p * (p.log() - log_q)).sum(dim=-1).mean() * temperature**2


def mapped_module(target: str, layers: list[int]) -> str:
    """Exercise 2: the teacher module that initialises ``target``, by reading the name: student
    layer j is teacher layer ``layers[j]``, and DistilBERT's ``ffn.lin1`` is BERT's
    ``intermediate.dense``."""
    student_layer = int(target.split(".")[3])
    return f"bert.encoder.layer.{layers[student_layer]}.intermediate.dense"


def total_ratio(teacher, kept_layers: int) -> float:
    """Exercise 3: every embedding stays, and ``kept_layers`` of the encoder's layers."""
    row = parameter_breakdown(teacher)
    dropped = row["encoder"] * (1 - kept_layers / teacher.config.num_hidden_layers)
    return (row["total"] - dropped) / row["total"]


TEMPERATURE_PREDICTION = "smaller"
"""Exercise 4's reference prediction: at T = 4 every ratio of two probabilities is the T = 1
ratio to the power 1/4, nearer 1, so the neighbouring star's lead over the far stars shrinks."""
