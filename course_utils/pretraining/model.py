"""The MLM model: the packaged encoder with a masked-language-modelling head."""

from __future__ import annotations

import torch.nn.functional as F
from transformers import BertForMaskedLM
from transformers.modeling_outputs import MaskedLMOutput


class MaskedPositionsLM(BertForMaskedLM):
    """``BertForMaskedLM`` that projects onto the vocabulary only at the chosen positions when
    it gets ``labels``: the same loss, about 2.4x faster training on a CPU (the projection onto
    30,522 words costs as much as the encoder). Without labels it returns every position's
    logits, as the parent does (fill-mask)."""

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                **kwargs):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        if labels is None:
            return MaskedLMOutput(logits=self.cls(hidden))
        chosen = labels != -100
        logits = self.cls(hidden[chosen])
        return MaskedLMOutput(loss=F.cross_entropy(logits, labels[chosen]), logits=logits)


def load_mlm_model(checkpoint=None):
    """The packaged encoder (or ``checkpoint``) with an MLM head, on the course device.

    The packaged checkpoint has no MLM head (sentence-transformers weights): the head starts
    random (see :data:`HEAD_WARM_UP`).
    """
    from ..models import PACKAGED_ENCODER, load_pretrained

    return load_pretrained(checkpoint or PACKAGED_ENCODER, MaskedPositionsLM)
