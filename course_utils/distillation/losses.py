"""The three loss terms of knowledge distillation, each defined once, and their weighted sum."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


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
