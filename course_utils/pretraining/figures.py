"""The lesson's figures: the mask grid and the loss curves (matplotlib imported when drawn)."""

from __future__ import annotations

import pandas as pd


def plot_mask_grid(tokenizer, ids: list[int], static, dynamic, copies: int = 1):
    """Which tokens of one sentence are chosen in each epoch, static (``copies`` masks)
    beside dynamic."""
    import matplotlib.pyplot as plt

    from ..plots import finish_figure

    tokens = tokenizer.convert_ids_to_tokens(ids)
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.28 * len(static) + 1.8), sharey=True)
    static_title = (f"static: {copies} masks drawn before training, cycled" if copies > 1
                    else "static: one mask drawn before training, every epoch")
    for ax, grid, title in zip(axes, (static, dynamic),
                               (static_title, "dynamic: a new mask every epoch")):
        ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.4, aspect="auto")
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=7)
        ax.set_title(title)
        ax.set_xlabel("token")
    axes[0].set_yticks(range(len(static)), [str(e + 1) for e in range(len(static))])
    axes[0].set_ylabel("epoch")
    return finish_figure(fig)


def plot_loss_curves(curves: pd.DataFrame):
    """Training and held-out MLM loss per epoch for static and dynamic masking (and the
    control, static masks that never come back, in grey)."""
    import matplotlib.pyplot as plt

    from ..plots import finish_figure

    fig, ax = plt.subplots(figsize=(7, 4))
    colours = {"static": "#C44E52", "dynamic": "#4C72B0"}
    for (masking, kind), values in curves.items():
        ax.plot(values.index, values, marker="o", color=colours.get(masking, "#999999"),
                linestyle="--" if kind == "training loss" else "-",
                label=f"{masking}, {kind}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MLM loss (cross-entropy, nats)")
    ax.set_title("Static masks are memorised; dynamic masks keep generalising")
    ax.legend()
    return finish_figure(fig)
