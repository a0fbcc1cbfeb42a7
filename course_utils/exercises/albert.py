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
