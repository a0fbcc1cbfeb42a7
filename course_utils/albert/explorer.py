"""A parameter explorer widget with a static fallback table (ipywidgets imported when the
widget is built)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..architecture import flops_per_token
from .formulas import SCHEMES, albert_config, albert_parameters

if TYPE_CHECKING:
    import ipywidgets as widgets


def explorer_row(vocab: int, hidden: int, embedding: int, layers: int, scheme: str,
                 seq_len: int = 128) -> dict:
    """Parameters, fp32 weight memory and forward GFLOPs per sequence of one configuration,
    next to BERT of the same V, H and depth (V x H embeddings, nothing shared)."""
    counts = albert_parameters(vocab, hidden, embedding, layers, 4 * hidden, scheme)["total"]
    bert = albert_parameters(vocab, hidden, hidden, layers, 4 * hidden, "not-shared")["total"]
    bert -= hidden * hidden + hidden  # BERT has no E x H projection
    config = albert_config(vocab, hidden, embedding, layers)
    return {"V": vocab, "H": hidden, "E": embedding, "layers": layers, "sharing": scheme,
            "parameters (M)": round(counts / 1e6, 1),
            "weights fp32 (MB)": round(counts * 4 / 2**20, 1),
            f"GFLOPs / {seq_len} tokens": round(flops_per_token(config, seq_len) * seq_len / 1e9, 1),
            "parameters vs BERT": round(counts / bert, 3)}


def static_table() -> pd.DataFrame:
    """The explorer's static fallback: the paper's four ALBERT sizes (Table 1)."""
    sizes = {"base": (768, 12), "large": (1024, 24), "xlarge": (2048, 24),
             "xxlarge": (4096, 12)}
    rows = [{"model": f"ALBERT-{name}", **explorer_row(30000, h, 128, n, "all-shared")}
            for name, (h, n) in sizes.items()]
    return pd.DataFrame(rows).set_index("model")


def parameter_explorer() -> widgets.Widget:
    """Sliders for V, H, E, layers and a sharing scheme; parameters, memory and FLOPs live."""
    import ipywidgets as widgets
    from IPython.display import display

    sliders = {
        "vocab": widgets.IntSlider(30000, 1000, 250000, 1000, description="V"),
        "hidden": widgets.IntSlider(768, 128, 4096, 64, description="H"),
        "embedding": widgets.IntSlider(128, 16, 4096, 16, description="E"),
        "layers": widgets.IntSlider(12, 1, 48, 1, description="layers"),
        "scheme": widgets.Dropdown(options=SCHEMES, description="sharing"),
    }
    output = widgets.Output()

    def show(*_):
        row = explorer_row(**{key: s.value for key, s in sliders.items()})
        output.clear_output(wait=True)
        with output:
            display(pd.DataFrame([row]).set_index("sharing"))

    for slider in sliders.values():
        slider.observe(show, "value")
    show()
    return widgets.VBox([widgets.HBox(list(sliders.values())[:3]),
                         widgets.HBox(list(sliders.values())[3:]), output])

