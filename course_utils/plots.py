"""Figures the lessons share (matplotlib).

Each function returns a closed figure: the notebook shows it once, as the cell's value.
"""

from __future__ import annotations

import pandas as pd


def plot_accuracy(table: pd.DataFrame, title: str, reference: float | None = None,
                  reference_label: str = "test accuracy"):
    """Horizontal bars of accuracy with 95% intervals, from :func:`core.evaluation.accuracy_by_group`."""
    import matplotlib.pyplot as plt

    errors = [table["accuracy"] - table["low"], table["high"] - table["accuracy"]]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(table) + 1.2))
    ax.barh(table.index, table["accuracy"], xerr=errors, color="#4C72B0", capsize=3)
    if reference is not None:
        ax.axvline(reference, color="#C44E52", linestyle="--", label=reference_label)
        ax.legend(loc="lower right")
    ax.set_xlim(0, 1)
    ax.set_xlabel("accuracy (95% interval)")
    ax.set_title(title)
    return finish_figure(fig)


def plot_parameter_breakdown(table: pd.DataFrame, title: str = "Where the parameters are"):
    """Stacked bars of embeddings / encoder / head parameters (millions) per model."""
    import matplotlib.pyplot as plt

    parts = table[["embeddings", "encoder", "head"]] / 1e6
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(parts) + 1.5))
    parts.plot.barh(stacked=True, ax=ax, color=["#DD8452", "#4C72B0", "#55A868"])
    for row, total in enumerate(parts.sum(axis=1)):
        ax.text(total + 1, row, f"{total:.1f}M", va="center")
    ax.set_xlabel("parameters (millions)")
    ax.set_title(title)
    ax.invert_yaxis()
    return finish_figure(fig)


def plot_ratios(table: pd.DataFrame, columns: list[str], reference: str, title: str):
    """Grouped bars of ``<column> ratio`` columns (1.0 = the reference model)."""
    import matplotlib.pyplot as plt

    ratios = table[[f"{c} ratio" for c in columns]].rename(columns=lambda c: c[:-6])
    fig, ax = plt.subplots(figsize=(8, 4))
    ratios.plot.bar(ax=ax, rot=0)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_ylabel(f"ratio to {reference}")
    ax.set_title(title)
    return finish_figure(fig)


def finish_figure(fig):
    """Tidy the layout and close the figure so that only the returned value displays it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    plt.close(fig)
    return fig
