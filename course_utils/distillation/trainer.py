"""The trainer: :class:`DistillationTrainer` (the ``transformers`` ``Trainer`` with
:func:`~course_utils.distillation.losses.distillation_loss`) and the collator that hands it the
teacher's precomputed outputs."""

from __future__ import annotations

import torch
from transformers import DataCollatorWithPadding, Trainer

from .losses import LossWeights, distillation_loss, hard_label_loss


class DistillationTrainer(Trainer):
    """A ``Trainer`` whose training loss is :func:`distillation_loss`.

    The teacher's outputs come from the batch when precomputed (``teacher_logits`` and
    ``teacher_hidden``, see :class:`TeacherOutputsCollator`), otherwise from ``teacher``, run
    without gradients on the same inputs. Evaluation uses the plain cross-entropy.
    """

    def __init__(self, *args, teacher=None,
                 weights: LossWeights = LossWeights(),
                 **kwargs):
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
