"""Helpers for the hands-on course on RoBERTa, DistilBERT, ALBERT and their tokenizers.

One module per idea: ``runtime`` (mode, device, seeds, banner), ``models`` (reference
configs, loading), ``data`` (the reviews corpus), ``bench`` (honest measurements),
``claims`` (claim-check tables), ``metrics`` (accuracy with intervals), ``training``
(fine-tuning with the ``Trainer``), ``zoo`` (cached course checkpoints), ``sentiment``
(a batched analyzer), ``architecture`` (configs, FLOPs, shape traces), ``tokenization``
and ``token_explorer`` (WordPiece, BPE and Unigram trained and measured), ``plots``,
``widgets``, ``source`` (a function's real source, shown in a lesson), ``dark_knowledge``
(soft targets by star rating) and ``exercises`` (automatic feedback, one module per lesson).
"""

from .runtime import current_mode, device, setup_lesson

__all__ = ["current_mode", "device", "setup_lesson"]
__version__ = "0.1.0"
