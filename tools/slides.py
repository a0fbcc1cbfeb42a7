"""Build the instructor decks: one reveal.js deck per lesson, from the executed notebooks.

``python tools/slides.py`` (what ``make slides`` runs) writes ``slides/NN_name.slides.html``
(``--pdf``, what ``make slides-pdf`` runs, also prints each to ``slides/NN_name.slides.pdf``)
with nbconvert's slides exporter, the cells' ``slideshow`` metadata and the course template
(``slides/template``), which loads reveal.js and require.js from ``slides/vendor`` only: a
deck opens offline, from the file system or any local web server.

Before export the notebook is made presentable, never edited on disk: the Colab cells go, the
``# NBVAL_...`` markers (and the reason that follows them) leave the code, long printed
outputs are cut to their first lines, and a widget, which needs a live kernel, is replaced by
its static view (the outputs its ``Output`` area held when the notebook was saved); progress
bars and warnings (stderr) are left out. Two cell tags shape a slide: ``slides-hide-input``
(show only the output, e.g. a claim check's table) and ``slides-hide-output`` (only the code,
e.g. a training log), applied by nbconvert's ``TagRemovePreprocessor``.

Speaker notes live in the metadata of the cell whose slide they belong to,
``{"slides": {"notes": "..."}}`` (markdown), so a student's view of the notebook never shows
them; the deck gets them as a ``notes`` cell after that cell, which reveal.js shows in its
speaker view (``S``) only. A markdown cell's ``{"slides": {"keep": [...]}}`` cuts its slide to
its point: the headings and the kept pieces of its own prose, the whole cell moving to the
notes (:func:`cut_to_point`).
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SLIDES = ROOT / "slides"
TEMPLATE = SLIDES / "template"
VENDOR = "vendor"
HIDDEN_TAGS = frozenset({"colab-badge", "colab-setup"})
HIDE_INPUT_TAG = "slides-hide-input"
"""A cell whose output is the point (a claim check's table) shows only its output on a slide."""
HIDE_OUTPUT_TAG = "slides-hide-output"
"""A cell whose output is a long log shows only its code on a slide."""
MAX_STREAM_LINES = 14
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_NOTE = ('<p class="course-widget">A live widget: run this cell in JupyterLab to use it. '
               "What it showed when the lesson was recorded:</p>")
VIEWPORT = {"width": 1280, "height": 720}
"""The decks' canvas (the exporter's ``reveal_width`` and ``reveal_height``), as a browser
window's size."""
NOTES_KEY = "notes"
"""``cell.metadata["slides"][NOTES_KEY]``: the presenter's notes for the cell's slide."""
KEEP_KEY = "keep"
"""``cell.metadata["slides"][KEEP_KEY]``: the pieces of a markdown cell's prose its slide shows
(each an exact piece of the cell, line breaks aside); the whole cell goes to the notes."""
_MARKER = re.compile(r"^# NBVAL_\w+\n(# \(.*\)\n)?", re.MULTILINE)


def without_markers(source: str) -> str:
    """``source`` without nbval's marker comments and the parenthesised reason under each."""
    return _MARKER.sub("", source)


def trimmed_stream(output: dict, max_lines: int = MAX_STREAM_LINES) -> dict:
    """A printed output cut to its first ``max_lines`` lines, saying how many were left out."""
    lines = output["text"].splitlines()
    if len(lines) <= max_lines:
        return output
    kept = "\n".join(lines[:max_lines])
    more = len(lines) - max_lines
    return {**output, "text": f"{kept}\n… ({more} more lines in the notebook)\n"}


def widget_outputs(model_id: str, state: dict) -> list[dict]:
    """The outputs saved in the ``Output`` widgets under ``model_id``, in display order."""
    model = state.get(model_id)
    if model is None:
        return []
    if model["model_name"] == "OutputModel":
        return list(model["state"].get("outputs", []))
    children = model["state"].get("children", [])
    return [out for child in children
            for out in widget_outputs(child.removeprefix("IPY_MODEL_"), state)]


def static_view(output: dict, state: dict) -> list[dict]:
    """What a deck shows for a widget: a line saying it is live, then its saved outputs."""
    model_id = output["data"][WIDGET_VIEW]["model_id"]
    note = {"output_type": "display_data", "metadata": {},
            "data": {"text/html": WIDGET_NOTE, "text/plain": "(a live widget)"}}
    return [note, *(nbformat.from_dict(out) for out in widget_outputs(model_id, state))]


def speaker_notes(cell: nbformat.NotebookNode) -> str:
    """The presenter's notes a cell carries for its slide (empty: none)."""
    return cell.metadata.get("slides", {}).get(NOTES_KEY, "")


def cut_to_point(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A markdown cell with :data:`KEEP_KEY` as its slide shows it: its headings, then the
    kept pieces (one paragraph, or a list if several), then its tables, with the cell's
    whole text put first in its speaker notes. One source: a kept piece that is no longer in
    the cell (its prose was edited) is an error naming the cell, never a stale slide. Other
    cells come back as they are."""
    keep = cell.metadata.get("slides", {}).get(KEEP_KEY)
    if not keep or cell.cell_type != "markdown":
        return cell
    flat = " ".join(cell.source.split())
    pieces = [" ".join(piece.split()) for piece in keep]  # line breaks aside
    for piece in pieces:
        if flat.count(piece) != 1:
            raise ValueError(f"cell {cell.get('id')}: the slide keeps {piece!r}, which is not "
                             "once in the cell's text: update metadata.slides.keep")
    lines = cell.source.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    table = [line for line in lines if line.lstrip().startswith("|")]
    body = pieces if len(pieces) == 1 else [f"- {piece}" for piece in pieces]
    cut = copy.deepcopy(cell)
    cut.source = "\n\n".join(filter(None, map("\n".join, (headings, body, table))))
    cut.metadata["slides"][NOTES_KEY] = "\n\n".join(
        text for text in (cell.source, speaker_notes(cell)) if text)
    return cut


def with_notes_cells(cells: list) -> list:
    """``cells`` with each cell's speaker notes (:func:`speaker_notes`) after it, as the
    ``notes`` cell nbconvert's slides exporter turns into reveal.js' ``<aside class="notes">``."""
    out = []
    for cell in cells:
        out.append(cell)
        if speaker_notes(cell):
            out.append(nbformat.v4.new_markdown_cell(
                speaker_notes(cell), metadata={"slideshow": {"slide_type": "notes"}}))
    return out


def presentable(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` ready for the slides exporter (see the module docstring)."""
    nb = copy.deepcopy(notebook)
    state = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    nb.cells = with_notes_cells([cut_to_point(cell) for cell in nb.cells
                                 if not HIDDEN_TAGS & set(cell.metadata.get("tags", []))])
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = without_markers(cell.source)
        outputs = []
        for output in cell.outputs:
            if WIDGET_VIEW in output.get("data", {}):
                outputs.extend(static_view(output, state))
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                continue  # progress bars and warnings: noise on a slide
            elif output["output_type"] == "stream":
                outputs.append(nbformat.from_dict(trimmed_stream(output)))
            else:
                outputs.append(output)
        cell.outputs = outputs
    return nb


def exporter() -> SlidesExporter:
    """nbconvert's slides exporter with the course template, the vendored reveal.js 5 and a
    1280x720 canvas."""
    tags = Config({"TagRemovePreprocessor": {"enabled": True,
                                             "remove_input_tags": [HIDE_INPUT_TAG],
                                             "remove_all_outputs_tags": [HIDE_OUTPUT_TAG]}})
    slides = SlidesExporter(config=tags, extra_template_basedirs=[str(TEMPLATE.parent)], template_name="template",
                            reveal_url_prefix=f"{VENDOR}/reveal.js", reveal_theme="white",
                            reveal_width=str(VIEWPORT["width"]),
                            reveal_height=str(VIEWPORT["height"]), reveal_number="c/t",
                            reveal_transition="none", exclude_input_prompt=True,
                            exclude_output_prompt=True)
    return slides


def build_deck(notebook_path: Path, out_dir: Path = SLIDES) -> Path:
    """Write the deck of one lesson into ``out_dir`` and return its path."""
    notebook = nbformat.read(notebook_path, as_version=4)
    html, _ = exporter().from_notebook_node(
        presentable(notebook), resources={"reveal": {"vendor": VENDOR}}
    )
    target = out_dir / f"{Path(notebook_path).stem}.slides.html"
    # written whole, then renamed: a browser (or a test in another process) reading the deck
    # while it is rebuilt sees the old file or the new one, never half of one
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return target


def build_all(out_dir: Path = SLIDES) -> list[Path]:
    """Build every lesson's deck (``notebooks/NN_*.ipynb``), in lesson order."""
    return [build_deck(path, out_dir) for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
NO_CHROMIUM = "no Chromium: apt-get install chromium (or set COURSE_CHROMIUM to a Chrome binary)"
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu")


def find_chromium() -> str | None:
    """The system Chromium that Playwright drives (no browser download): ``COURSE_CHROMIUM``,
    or the first of :data:`CHROMIUM_NAMES` on PATH; None if there is none."""
    return os.environ.get("COURSE_CHROMIUM") or next(
        filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


def print_pdf(page, deck_url: str, target: Path) -> Path:
    """Print the deck at ``deck_url`` to the PDF handout ``target`` with a Playwright ``page``
    of Chromium: reveal.js' print view (``?print-pdf``), one page per slide at the page size
    reveal.js sets, a slide's fragments on its page (the template's
    ``pdfSeparateFragments: false``). A slide taller than its page would run onto a second
    page. Returns ``target``."""
    page.goto(f"{deck_url}?print-pdf")
    # reveal.js lays the print view out after it reports ready, all pages at once
    page.wait_for_function("() => window.Reveal && Reveal.isReady() && "
                           "document.querySelector('.reveal .pdf-page')", timeout=60_000)
    page.pdf(path=str(target), print_background=True, prefer_css_page_size=True)
    return target


def print_all(decks: list[Path]) -> list[Path]:
    """Every deck in ``decks`` printed to its PDF handout next to it (:func:`print_pdf`,
    opened from the file system: offline), in one headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("PDF handouts need Playwright: pip install playwright "
                         "(make install puts it in the course's environment)") from None
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(NO_CHROMIUM)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            return [print_pdf(page, deck.resolve().as_uri(), deck.with_suffix(".pdf"))
                    for deck in decks]
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every lesson")
    parser.add_argument("--pdf", action="store_true",
                        help="also print each deck to a PDF handout (needs Chromium)")
    args = parser.parse_args(argv)
    decks = [build_deck(path) for path in args.notebooks] if args.notebooks else build_all()
    built = decks + (print_all(decks) if args.pdf else [])
    for path in built:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
