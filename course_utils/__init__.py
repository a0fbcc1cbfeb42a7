"""Helpers for the hands-on course on RoBERTa, DistilBERT, ALBERT and their tokenizers.

``core`` is the layer the lessons stand on (:mod:`course_utils.core`: runtime, measurement,
inference, evaluation, artifacts); it imports nothing above it. Above it, one module per
idea: ``models`` (reference configs, loading), ``data`` (the reviews corpus), ``claims``
(claim-check tables), ``training`` (fine-tuning with the ``Trainer``), ``zoo`` (the course's
checkpoints), ``architecture`` (configs, FLOPs, shape traces), ``tokenization``
and ``token_explorer`` (WordPiece, BPE and Unigram trained and measured), ``plots``,
``widgets``, ``source`` (a function's real source, shown in a lesson), ``dark_knowledge``
(soft targets by star rating), ``exercises`` (automatic feedback, one module per lesson),
and one package per lesson (``pretraining``, ``distillation``, ``albert``, ``application``,
``deploy``).
"""

from .core.runtime import current_mode, device, setup_lesson

__all__ = ["current_mode", "device", "setup_lesson"]
__version__ = "0.1.0"
