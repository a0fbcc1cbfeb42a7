"""Lesson 04's figures (matplotlib, imported when a figure is drawn)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plots import finish_figure
from .formulas import break_even_embedding, word_embedding_parameters


def plot_embedding_parameters(vocab: int = 30000, hidden: int = 768, sizes=None):
    """Word-embedding parameters over E: V x H (flat) versus V x E + E x H, and break-even."""
    import matplotlib.pyplot as plt

    sizes = np.array(sizes if sizes is not None else range(16, 1025, 16))
    factorised = [word_embedding_parameters(vocab, hidden, int(e)) / 1e6 for e in sizes]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(sizes, factorised, label="V x E + E x H (factorised)", color="#4C72B0")
    ax.axhline(vocab * hidden / 1e6, color="#C44E52", linestyle="--", label="V x H (BERT)")
    even = break_even_embedding(vocab, hidden)
    ax.axvline(even, color="grey", linewidth=0.8)
    ax.text(even, 1, f" break-even E = {even}", color="grey")
    ax.scatter([128], [word_embedding_parameters(vocab, hidden, 128) / 1e6], color="black",
               zorder=3, label="ALBERT's E = 128")
    ax.set_xlabel("embedding size E")
    ax.set_ylabel("word-embedding parameters (M)")
    ax.set_title(f"Factorised embeddings, V = {vocab:,}, H = {hidden}")
    ax.legend(loc="lower right")
    return finish_figure(fig)


def plot_svd_tradeoff(table: pd.DataFrame, teacher_accuracy: float):
    """Test accuracy against parameters for the factorised students and the teacher."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.8))
    rows = table.drop(index="teacher (V x H)", errors="ignore")
    ax.plot(rows["parameters"] / 1e6, rows["accuracy"], "o-", color="#4C72B0",
            label="factorised (E shown), fine-tuned")
    for label, row in rows.iterrows():
        ax.annotate(f"E = {label}", (row["parameters"] / 1e6, row["accuracy"]),
                    textcoords="offset points", xytext=(5, -12))
    ax.axhline(teacher_accuracy, color="#C44E52", linestyle="--", label="teacher")
    ax.set_xlabel("parameters (M)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.4, 1.0)
    ax.set_title("Factorising the teacher's embeddings: parameters versus accuracy")
    ax.legend(loc="lower right")
    return finish_figure(fig)

