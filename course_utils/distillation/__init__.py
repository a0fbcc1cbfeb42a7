"""Knowledge distillation, DistilBERT's recipe (Sanh et al. 2019) in miniature.

Three loss terms, each defined once: :func:`soft_target_loss` (KL divergence between the
temperature-softened distributions, times T squared, Hinton et al. 2015 §2),
:func:`hard_label_loss` (cross-entropy on the true labels) and :func:`hidden_cosine_loss`
(aligns the student's last hidden states with the teacher's). :class:`DistillationTrainer`
combines them on top of the ``transformers`` ``Trainer``, so the same code runs on a CPU, a
GPU, or several with ``accelerate``.

The student is a real ``DistilBertForSequenceClassification`` made from the BERT-architecture
teacher by :func:`distilbert_from_teacher` (every other layer; no token-type embeddings, no pooler),
with the weight mapping spelled out in :data:`LAYER_MAPPING`.
"""

from .losses import (
    LossWeights,
    distillation_loss,
    hard_label_loss,
    hidden_cosine_loss,
    soft_target_loss,
    soften,
)
from .recipe import (
    MINIATURE,
    DistillationSettings,
    build_distilled_student,
    distil,
    distil_online,
    encode,
    masked_copy,
    prepared_transfer,
    teacher_outputs,
    transfer_examples,
    transfer_set,
)
from .results import (
    EXPERIMENTS,
    ONE_CHANGE_EPOCHS,
    Experiment,
    ModelResult,
    evaluate_models,
    results_table,
    run_experiment,
    size_row,
)
from .student import (
    EMBEDDING_MAPPING,
    HEAD_MAPPING,
    LAYER_MAPPING,
    conversion_table,
    distilbert_config,
    distilbert_from_teacher,
    every_other_layer,
    mapping_table,
    student_tokenizer,
    weight_mapping,
)
from .trainer import DistillationTrainer, TeacherOutputsCollator

__all__ = [
    "EMBEDDING_MAPPING",
    "EXPERIMENTS",
    "HEAD_MAPPING",
    "LAYER_MAPPING",
    "MINIATURE",
    "ONE_CHANGE_EPOCHS",
    "DistillationSettings",
    "DistillationTrainer",
    "Experiment",
    "LossWeights",
    "ModelResult",
    "TeacherOutputsCollator",
    "build_distilled_student",
    "conversion_table",
    "distil",
    "distil_online",
    "distilbert_config",
    "distilbert_from_teacher",
    "distillation_loss",
    "encode",
    "evaluate_models",
    "every_other_layer",
    "hard_label_loss",
    "hidden_cosine_loss",
    "mapping_table",
    "masked_copy",
    "prepared_transfer",
    "results_table",
    "run_experiment",
    "size_row",
    "soft_target_loss",
    "soften",
    "student_tokenizer",
    "teacher_outputs",
    "transfer_examples",
    "transfer_set",
    "weight_mapping",
]
