"""ALBERT's two parameter reductions, counted, built and tried on the course's teacher.

- Factorised embeddings: a V x H word matrix becomes V x E + E x H.
- Cross-layer sharing: all-shared (ALBERT), attention-only, FFN-only, not-shared.
- Formulas for both, equal to the instantiated ``transformers`` models to the parameter.
- An ALBERT student made from the fine-tuned BERT teacher: its embeddings factorised by a
  truncated SVD, its layers copied (not shared) or one layer repeated (all-shared).
- Sentence-order prediction (SOP) versus next-sentence prediction (NSP), probed.
- A parameter explorer widget with a static fallback table.
"""

from .compute import MEMORY_MODELS, TINY, build_and_run, comparison_models, peak_memory
from .explorer import explorer_row, parameter_explorer, static_table
from .figures import plot_embedding_parameters, plot_svd_tradeoff
from .formulas import (
    ALBERT_BASE,
    PAPER_PARAMETERS_M,
    SCHEMES,
    albert_config,
    albert_parameters,
    attention_parameters,
    break_even_embedding,
    config_parameters,
    ffn_parameters,
    paper_table,
    word_embedding_parameters,
)
from .order import order_examples, order_probe, pair_features, sentence_vectors
from .sharing import build_shared_albert, meta_count, sharing_table
from .student import (
    STUDENT_EMBEDDING,
    STUDENT_EPOCHS,
    STUDENT_SHARED_LAYER,
    albert_from_teacher,
    build_albert_student,
    embedding_basis,
    embedding_tables,
    parameter_savings,
    reconstruction_error,
    review_accuracy,
    student_config,
    svd_experiment,
    truncated_svd,
)

__all__ = [
    "ALBERT_BASE",
    "MEMORY_MODELS",
    "PAPER_PARAMETERS_M",
    "SCHEMES",
    "STUDENT_EMBEDDING",
    "STUDENT_EPOCHS",
    "STUDENT_SHARED_LAYER",
    "TINY",
    "albert_config",
    "albert_from_teacher",
    "albert_parameters",
    "attention_parameters",
    "break_even_embedding",
    "build_albert_student",
    "build_and_run",
    "build_shared_albert",
    "comparison_models",
    "config_parameters",
    "embedding_basis",
    "embedding_tables",
    "explorer_row",
    "ffn_parameters",
    "meta_count",
    "order_examples",
    "order_probe",
    "pair_features",
    "paper_table",
    "parameter_explorer",
    "parameter_savings",
    "peak_memory",
    "plot_embedding_parameters",
    "plot_svd_tradeoff",
    "reconstruction_error",
    "review_accuracy",
    "sentence_vectors",
    "sharing_table",
    "static_table",
    "student_config",
    "svd_experiment",
    "truncated_svd",
    "word_embedding_parameters",
]
