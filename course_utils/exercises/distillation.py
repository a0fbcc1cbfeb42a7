"""Checks for the exercises of lesson 03 (knowledge distillation)."""

from __future__ import annotations

import torch

from ..distillation import distilbert_from_teacher, soft_target_loss, weight_mapping
from ..models import parameter_breakdown
from . import attempt, feedback, predicted


def check_soft_target_loss(solution) -> None:
    """Exercise 1: the soft-target loss, KL(teacher_T || student_T) * T², batch mean."""
    generator = torch.Generator().manual_seed(3)
    student = torch.randn(6, 3, generator=generator) * 3
    teacher = torch.randn(6, 3, generator=generator) * 3
    answers = {}
    for temperature in (1.0, 2.0, 5.0):
        answer = attempt(solution, student, teacher, temperature)
        if answer is None:
            return
        answers[temperature] = torch.as_tensor(answer, dtype=torch.float32).reshape(())
    wrong = [t for t, a in answers.items()
             if not torch.allclose(a, soft_target_loss(student, teacher, t), atol=1e-5)]
    feedback(not wrong, "your loss matches at T = 1, 2 and 5.",
             f"wrong at T = {wrong}: soften both with T, KL(teacher || student) averaged over "
             "the batch, times T².")


def check_mapped_module(answer: str | None, target: str, layers: list[int]) -> None:
    """Exercise 2: the teacher module that initialises a given student module."""
    if answer is None:
        print("⏳ Not attempted yet: set `source` to a teacher module name.")
        return
    expected = {t: s for s, t in weight_mapping(layers)}[target]
    feedback(answer.strip() == expected, f"{target} starts as {expected}.",
             "student layer j is teacher layer layers[j]; ffn.lin1 is BERT's "
             "intermediate.dense.")


def check_total_ratio(answer: float | None, teacher, layers: list[int]) -> None:
    """Exercise 3: the total parameters of a student made of the teacher's ``layers``, as a
    fraction of the teacher's (the checker builds that student to count them)."""
    if answer is None:
        print("⏳ Not attempted yet: set `ratio` to a number between 0 and 1.")
        return
    student = distilbert_from_teacher(teacher, layers)
    expected = parameter_breakdown(student)["total"] / parameter_breakdown(teacher)["total"]
    kept = len(layers) / teacher.config.num_hidden_layers
    feedback(abs(float(answer) - expected) < 0.01,
             f"{expected:.3f}: {kept:.0%} of the encoder is left, and every embedding.",
             f"{float(answer):.3f} is off; {1 - kept:.0%} of the encoder goes, every "
             "embedding stays.")


DIRECTIONS = ("larger", "smaller")


def check_temperature_prediction(prediction: str | None, star_logits, classes, stars,
                                 temperature: float = 4.0) -> None:
    """Exercise 4: the student's ``prediction`` (one of :data:`DIRECTIONS`) of the near-miss
    ratio (:func:`dark_knowledge.near_miss_ratio`) at ``temperature`` against T = 1, then the
    measurement at T = 1, 2, 4 and 8."""
    from ..dark_knowledge import near_miss_ratio
    from ..distillation import soften

    if not predicted(prediction, DIRECTIONS):
        return
    ratios = {t: near_miss_ratio(soften(star_logits, t), classes, stars)
              for t in sorted({1.0, 2.0, float(temperature), 8.0})}
    measured = DIRECTIONS[0] if ratios[float(temperature)] > ratios[1.0] else DIRECTIONS[1]
    table = ", ".join(f"T = {t:g}: {r:.1f}x" for t, r in ratios.items())
    why = ("dividing every logit gap by T moves every ratio of two probabilities towards 1: "
           "the near miss keeps its rank but loses its lead, while all the wrong answers gain "
           "a share of the loss (the slider above), so distillation picks a moderate T and "
           "multiplies by T².")
    feedback(prediction == measured, f"{measured}, as you predicted ({table}): {why}",
             f"you predicted {prediction}; measured {table}, so {measured}: {why}")
