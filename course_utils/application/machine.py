"""The machine's limit, measured live: the FLOP rate of a large matrix product (the practical
peak of this CPU or GPU), and the rate a model reaches on real reviews as a share of it."""

from __future__ import annotations

import torch

from ..architecture import flops_per_token
from ..bench import time_call


def matmul_rate(dtype: torch.dtype = torch.float32, size: int = 2048, repeats: int = 5) -> float:
    """FLOP/s of a ``size`` x ``size`` matrix product in ``dtype`` (2 n^3 FLOPs; the median
    of ``repeats`` after a warm-up): what this machine's kernels reach at best."""
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=generator).to(dtype) for _ in range(2))
    timing = time_call(lambda: a @ b, warmup=2, repeats=repeats)
    return 2 * size ** 3 / timing.median


def review_flops(config, lengths) -> int:
    """Forward-pass FLOPs of the encoder over reviews of ``lengths`` tokens, each computed
    at its own length (:func:`architecture.flops_per_token`): the useful work, no padding."""
    return sum(n * flops_per_token(config, n) for n in lengths)
