"""The lesson's figures: fertility by word-frequency band, one colour per algorithm.

:data:`ALGORITHM_COLOURS` gives each algorithm (trained) or model (real) its colour and
:func:`plot_fertility` draws a fertility table as lines; matplotlib is imported only when a
figure is drawn.
"""

from __future__ import annotations

import pandas as pd

from .interface import VOCAB_SIZES
from .training import size_label

ALGORITHM_COLOURS = {"WordPiece": "#4C72B0", "BPE": "#55A868", "Unigram": "#C44E52",
                     "BERT": "#222222", "RoBERTa": "#8172B2", "ALBERT": "#CCB974"}
"""One colour per algorithm (trained) or model (real) in the lesson's figures."""


def plot_fertility(table: pd.DataFrame, title: str = "Pieces per word by word frequency"):
    """Fertility (rows: tokenizers, columns: Zipf bands, commonest first) as lines: one colour
    per algorithm, dashed for the smaller vocabulary, square markers for the real ones."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4))
    x = range(len(table.columns))
    for name, row in table.iterrows():
        real = name.endswith("(real)")
        style = "--" if name.endswith(size_label(min(VOCAB_SIZES))) else "-"
        ax.plot(x, row.values, style, marker="s" if real else "o", label=name,
                color=ALGORITHM_COLOURS.get(name.split()[0]), linewidth=2.5 if real else 1.5)
    ax.set_xticks(list(x), [f"Zipf {band}" for band in table.columns])
    ax.set_xlabel("word frequency band (7 = 'the', 1 = seen a few times per billion words)")
    ax.set_ylabel("pieces per word")
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig
