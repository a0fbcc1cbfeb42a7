"""A tokenizer explorer: type a text, see every tokenizer's pieces side by side, in colour.

``explorer(tokenizers)`` is the live widget (ipywidgets); ``show_pieces(text, tokenizers)``
is its static fallback, the same table as HTML, for slides and for readers without a kernel.
"""

from __future__ import annotations

import html

from .tokenization import CourseTokenizer

PALETTE = ("#dbeafe", "#fde68a", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa")
UNKNOWN_COLOUR = "#ef4444"
DEFAULT_TEXT = "Teh kettle's auto-shutoff is superb 👍 — café-quality brew, naïve me!"


def _piece_html(piece: str, index: int, unknown: bool) -> str:
    colour = UNKNOWN_COLOUR if unknown else PALETTE[index % len(PALETTE)]
    weight = "font-weight:bold;color:white;" if unknown else ""
    return (f'<span style="background:{colour};{weight}padding:1px 3px;margin:1px;'
            f'border-radius:3px;font-family:monospace;white-space:pre">'
            f"{html.escape(piece)}</span>")


def pieces_html(text: str, tokenizers: dict[str, CourseTokenizer]) -> str:
    """An HTML table: one row per tokenizer with its pieces in alternating colours (unknown
    tokens in red), the number of pieces and the number of unknown tokens."""
    rows = []
    for name, tok in tokenizers.items():
        encoding = tok.backend.encode(text, add_special_tokens=False)
        unknown = [i == tok.unk_id for i in encoding.ids] if tok.unk_id is not None else \
            [False] * len(encoding.ids)
        spans = "".join(_piece_html(p, i, u)
                        for i, (p, u) in enumerate(zip(encoding.tokens, unknown)))
        rows.append(f"<tr><td style='text-align:left'><b>{html.escape(name)}</b><br>"
                    f"<small>{html.escape(tok.algorithm)}</small></td>"
                    f"<td>{len(encoding.ids)}</td><td>{sum(unknown)}</td>"
                    f"<td style='text-align:left;line-height:1.9'>{spans}</td></tr>")
    header = ("<tr><th>tokenizer</th><th>pieces</th><th>unknown</th>"
              "<th style='text-align:left'>pieces (unknown in red)</th></tr>")
    return (f"<p><code>{html.escape(text)}</code></p>"
            f"<table>{header}{''.join(rows)}</table>")


def show_pieces(text: str, tokenizers: dict[str, CourseTokenizer]):
    """The static view: :func:`pieces_html` as a displayable object."""
    from IPython.display import HTML

    return HTML(pieces_html(text, tokenizers))


def explorer(tokenizers: dict[str, CourseTokenizer], text: str = DEFAULT_TEXT):
    """A text box and, below it, every tokenizer's pieces, updated as you type."""
    import ipywidgets as widgets

    box = widgets.Textarea(value=text, description="Text:", continuous_update=True,
                           layout=widgets.Layout(width="95%", height="60px"))
    view = widgets.HTML(pieces_html(text, tokenizers))

    def update(change) -> None:
        view.value = pieces_html(change["new"], tokenizers)

    box.observe(update, names="value")
    return widgets.VBox([box, view])
