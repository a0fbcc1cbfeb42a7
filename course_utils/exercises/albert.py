"""Checks for the exercises of lesson 04 (ALBERT)."""

from __future__ import annotations

from ..albert import albert_config, break_even_embedding, meta_count
from . import attempt, feedback

PAIRS = ((30000, 768), (30000, 4096), (250000, 1024), (1000, 128), (9, 3))
"""(V, H) pairs the break-even answer is checked on. At realistic sizes the projection's H
biases never change the answer; at (9, 3) they do (E = 1 with them, 2 without), so the checker
tells an answer that forgets them from the right one."""

ALBERT_LARGE = {"vocab": 30000, "embedding": 128, "hidden": 1024, "layers": 24, "ffn": 4096}


def check_break_even(solution) -> None:
    """Exercise 1: the largest E for which V x E + E x H (+ H bias) < V x H."""
    answers = {}
    for vocab, hidden in PAIRS:
        answer = attempt(solution, vocab, hidden)
        if answer is None:
            return
        answers[(vocab, hidden)] = answer
    wrong = {k: v for k, v in answers.items() if v != break_even_embedding(*k)}
    (vocab, hidden), answer = next(iter(wrong.items())) if wrong else ((0, 0), 0)
    feedback(not wrong, f"right for all {len(PAIRS)} (V, H): the break-even E is a little "
             "under H when V is much larger than H.",
             f"for V={vocab:,}, H={hidden} you gave {answer}; solve V*E + E*H + H < V*H "
             "for the largest whole E.")


def check_attention_only(formula) -> None:
    """Exercise 2: ALBERT-large with only the attention blocks shared (checked on a model)."""
    answer = attempt(formula, **ALBERT_LARGE)
    if answer is None:
        return
    config = albert_config(ALBERT_LARGE["vocab"], ALBERT_LARGE["hidden"],
                           ALBERT_LARGE["embedding"], ALBERT_LARGE["layers"],
                           ALBERT_LARGE["ffn"])
    truth = meta_count(config, "attention-only")
    feedback(answer == truth, f"{answer:,} parameters: exactly the instantiated model's.",
             f"{answer:,} is {answer - truth:+,} off {truth:,}: one attention block (4 "
             "projections and a LayerNorm), 24 FFN blocks (2 linears and a LayerNorm), the "
             "E-dimensional embeddings with their LayerNorm, the E x H projection, the pooler.")


CHOICES = ("same", "half")


def check_depth_prediction(prediction: dict | None, model, repeats: int = 10) -> None:
    """Exercise 3: ALBERT applies its one shared layer ``config.num_hidden_layers`` times.
    The student's ``prediction`` (``{"parameters": ..., "latency": ...}``, each one of
    :data:`CHOICES`) for the same weights applied half as many times; then the measurement:
    both counted, and timed round-robin at batch 1 and 128 tokens
    (:func:`core.measurement.benchmark_models`). The latency is "half" where the fewer passes
    run at least 1.5x as fast, "same" where under 1.2x."""
    import copy

    from ..core.measurement import benchmark_models

    keys = ("parameters", "latency")
    if not isinstance(prediction, dict) or any(prediction.get(k) not in CHOICES for k in keys):
        print('⏳ First write your prediction: my_prediction = {"parameters": "same" or '
              '"half", "latency": "same" or "half"}.')
        return
    passes = model.config.num_hidden_layers
    fewer = copy.deepcopy(model)
    fewer.config.num_hidden_layers = passes // 2
    names = (f"{passes} passes", f"{passes // 2} passes")
    bench = benchmark_models(dict(zip(names, (model, fewer))), names[0], batch_size=1,
                             seq_len=128, repeats=repeats)
    counts = [bench.sizes[name]["parameters"] for name in names]
    faster = bench.speedups[names[1]]
    measured = {"parameters": CHOICES[counts[0] != counts[1]],
                "latency": CHOICES[1] if faster.value >= 1.5 else
                CHOICES[0] if faster.value < 1.2 else "in between"}
    facts = (f"parameters {counts[0]:,} and {counts[1]:,}; {names[1]} run {faster} as fast. "
             "The weights are stored once however often the layer is applied, and every "
             "pass is computed: sharing saves memory, not compute")
    feedback(prediction == measured, f"as you predicted: {facts}.",
             f"you predicted {prediction}, measured {measured}: {facts}.")
