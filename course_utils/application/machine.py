"""The machine's limit, measured live: the FLOP rate of a large matrix product (the practical
peak of this CPU or GPU), and the rate a model reaches on real reviews as a share of it."""

from __future__ import annotations

import torch

from ..architecture import flops_per_token
from ..core.measurement import time_call
from ..core.runtime import device as course_device


def matmul_rate(dtype: torch.dtype = torch.float32, device=None, size: int | None = None,
                repeats: int = 5) -> float:
    """FLOP/s of a ``size`` x ``size`` matrix product in ``dtype`` on ``device`` (default: the
    course's; 2 n^3 FLOPs; the median of ``repeats`` after a warm-up, the GPU synchronised):
    what this device's kernels reach at best. ``size``: 2048 on a CPU, 8192 on a GPU (a
    smaller product leaves most of a GPU idle)."""
    where = torch.device(device) if device is not None else course_device()
    size = size or (8192 if where.type == "cuda" else 2048)
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=generator).to(where, dtype) for _ in range(2))
    timing = time_call(lambda: a @ b, warmup=2, repeats=repeats)
    return 2 * size ** 3 / timing.median


def machine_peaks() -> dict[str, float]:
    """The matmul peak of every number format lesson 06's variants compute in, keyed as their
    formats are named: ``fp32`` (and ``bf16`` where native) on the CPU, whatever the runtime;
    on a GPU also ``cuda-fp32`` and ``cuda-bf16`` or ``cuda-fp16`` (its native 16-bit
    format)."""
    from ..core.runtime import context, native_bf16

    peaks = {"fp32": matmul_rate(torch.float32, "cpu")}
    if native_bf16("cpu"):
        peaks["bf16"] = matmul_rate(torch.bfloat16, "cpu")
    run = context()
    if run.device.type == "cuda":
        peaks["cuda-fp32"] = matmul_rate(torch.float32, run.device)
        if run.half_dtype is not None:
            peaks[f"cuda-{run.precision}"] = matmul_rate(run.half_dtype, run.device)
    return peaks


def review_flops(config, lengths) -> int:
    """Forward-pass FLOPs of the encoder over reviews of ``lengths`` tokens, each computed
    at its own length (:func:`architecture.flops_per_token`): the useful work, no padding."""
    return sum(n * flops_per_token(config, n) for n in lengths)
