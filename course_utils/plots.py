"""Figures the lessons share (matplotlib)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd


def plot_accuracy(table: pd.DataFrame, title: str, reference: float | None = None,
                  reference_label: str = "test accuracy"):
    """Horizontal bars of accuracy with 95% intervals, from :func:`metrics.accuracy_by_group`."""
    errors = [table["accuracy"] - table["low"], table["high"] - table["accuracy"]]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(table) + 1.2))
    ax.barh(table.index, table["accuracy"], xerr=errors, color="#4C72B0", capsize=3)
    if reference is not None:
        ax.axvline(reference, color="#C44E52", linestyle="--", label=reference_label)
        ax.legend(loc="lower right")
    ax.set_xlim(0, 1)
    ax.set_xlabel("accuracy (95% interval)")
    ax.set_title(title)
    fig.tight_layout()
    return fig
