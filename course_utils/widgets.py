"""Interactive explorers for the lessons (ipywidgets). Each has a static fallback table in
the lesson, so that the story reads without a live kernel and in slides.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from .architecture import flops_per_token
from .core.measurement import interleaved_latency
from .models import parameter_breakdown


def architecture_row(name: str, model, seq_len: int, measure: bool = True) -> dict:
    """Parameters, GFLOPs per sequence and (optionally) measured batch-1 latency of ``model``."""
    row = {"model": name, "tokens": seq_len,
           "parameters (M)": round(parameter_breakdown(model)["total"] / 1e6, 1),
           "GFLOPs / sequence": round(flops_per_token(model.config, seq_len) * seq_len / 1e9, 2)}
    if measure:
        timing = interleaved_latency({name: model}, 1, seq_len, warmup=1, repeats=3)[name]
        row["latency ms"] = round(timing.median * 1e3, 1)
    return row


def architecture_explorer(models: dict) -> widgets.Widget:
    """Pick a model and a sequence length; see parameters, FLOPs and a live latency."""
    choice = widgets.Dropdown(options=list(models), description="model")
    length = widgets.IntSlider(value=128, min=16, max=512, step=16, description="tokens")
    output = widgets.Output()

    def show(*_):
        row = architecture_row(choice.value, models[choice.value], length.value)
        output.clear_output(wait=True)
        with output:
            display(pd.DataFrame([row]).set_index("model"))

    choice.observe(show, "value")
    length.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox([choice, length]), output])
