"""RoBERTa's pretraining changes (Liu et al. 2019) in miniature: masked language modelling,
static versus dynamic masking, the input formats without next-sentence prediction, and a
learning-rate / batch-size sweep, all on the course's reviews with the packaged encoder.

The masking is transformers' own ``DataCollatorForLanguageModeling`` (15% of the tokens
chosen; of those 80% become [MASK], 10% a random token, 10% stay). Training uses the
``Trainer``, so the same code runs on a CPU or a GPU.

The package has one module per part of the lesson, and re-exports all their names here, so
``from course_utils import pretraining as pt; pt.pretrain(...)`` and
``from course_utils.pretraining import FixedMasks`` work whichever module a name lives in:
``masking`` (the collator, masked batches, static masks), ``formats`` (FULL-SENTENCES,
DOC-SENTENCES, SEGMENT-PAIR+NSP), ``model`` (the MLM model), ``training`` (continued
pretraining, static versus dynamic, the sweep), ``figures``, ``fill_mask`` (fill in the
blank) and ``paper`` (the paper's tables).
"""

from .figures import plot_loss_curves, plot_mask_grid
from .fill_mask import (
    ONLINE_MLMS,
    ContextGain,
    check_masked_text,
    context_gain,
    fill_mask_explorer,
    fill_mask_table,
    online_context_gain,
    online_fill_mask,
    online_mlms,
    top_predictions,
    word_rank,
)
from .formats import (
    INPUT_FORMATS,
    format_table,
    input_formats,
    pack_sentences,
    segment_pairs,
    topic_only_nsp,
)
from .masking import (
    HELDOUT_MASK_SEED,
    MASK_PROBABILITY,
    REPLACEMENT,
    mask_batch,
    masking_rates,
    mlm_collator,
    show_masking,
    static_masks,
)
from .model import MaskedPositionsLM, load_mlm_model
from .paper import PAPER_BATCHES, PAPER_DATA, PAPER_FORMATS, PAPER_MASKING
from .training import (
    BLOCK_TOKENS,
    FRESH_STATIC,
    HEAD_WARM_UP,
    HELDOUT_REVIEWS,
    MLM_REVIEWS,
    STATIC_COPIES,
    FixedMasks,
    MLMSettings,
    curve_summary,
    loss_curves,
    mask_grid,
    masking_experiment,
    mlm_corpus,
    pretrain,
    sweep,
)

__all__ = [
    "BLOCK_TOKENS",
    "FRESH_STATIC",
    "HEAD_WARM_UP",
    "HELDOUT_MASK_SEED",
    "HELDOUT_REVIEWS",
    "INPUT_FORMATS",
    "MASK_PROBABILITY",
    "MLM_REVIEWS",
    "ONLINE_MLMS",
    "PAPER_BATCHES",
    "PAPER_DATA",
    "PAPER_FORMATS",
    "PAPER_MASKING",
    "REPLACEMENT",
    "STATIC_COPIES",
    "ContextGain",
    "FixedMasks",
    "MLMSettings",
    "MaskedPositionsLM",
    "check_masked_text",
    "context_gain",
    "curve_summary",
    "fill_mask_explorer",
    "fill_mask_table",
    "format_table",
    "input_formats",
    "load_mlm_model",
    "loss_curves",
    "mask_batch",
    "mask_grid",
    "masking_experiment",
    "masking_rates",
    "mlm_collator",
    "mlm_corpus",
    "online_context_gain",
    "online_fill_mask",
    "online_mlms",
    "pack_sentences",
    "plot_loss_curves",
    "plot_mask_grid",
    "pretrain",
    "segment_pairs",
    "show_masking",
    "static_masks",
    "sweep",
    "top_predictions",
    "topic_only_nsp",
    "word_rank",
]
