"""The course in a real browser (Debian's headless Chromium, driven by Playwright): every
instructor deck, and every lesson in the course's own JupyterLab as a student meets it.

Screenshots go to ``COURSE_ARTIFACTS_DIR`` (default ``artifacts/`` in the repository), which
CI keeps. Without Chromium these tests are skipped, and fail when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import browser_page, course_jupyterlab, deck_facts, deck_measures, serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import slides

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSONS = sorted(p.name for p in slides.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SLIDE_RANGE = range(15, 31)
CUT_DECKS = ("00_welcome.slides.html",)
"""Decks whose slides are cut to their point (``slides.keep``): their prose is held to a
presenter's limits (a deck's median at most 40 words on a slide, none over 60). The others
follow, deck by deck (issue 28)."""


@pytest.fixture(scope="module")
def playwright():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def artifacts() -> Path:
    folder = Path(os.environ.get("COURSE_ARTIFACTS_DIR", ROOT / "artifacts")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def decks() -> list[Path]:
    """Every lesson's deck, built as ``make slides`` builds it."""
    return slides.build_all()


def test_every_deck_in_chromium(playwright, decks, artifacts):
    """Each deck, served from 127.0.0.1, loads nothing from elsewhere, reports ready with no
    console error, has 15-30 slides and speaker notes, and no slide overflows 1280x720."""
    assert [deck.name for deck in decks] == [n.replace(".ipynb", ".slides.html") for n in LESSONS]
    report = {}
    with serve(slides.SLIDES) as base, browser_page(playwright) as page:
        for deck in decks:
            facts = deck_facts(page, f"{base}/{deck.name}")
            page.screenshot(path=artifacts / f"{deck.stem}.png")
            report[deck.name] = {"measures": deck_measures(facts), **facts}
            assert facts["total"] in SLIDE_RANGE, f"{deck.name}: {facts['total']} slides"
            assert facts["notes"] >= 1, f"{deck.name}: no speaker notes"
            assert facts["overflow"] == [], f"{deck.name}: {facts['overflow']}"
            if deck.name in CUT_DECKS:
                measures = report[deck.name]["measures"]
                assert measures["median words"] <= 40, (deck.name, measures)
                assert measures["slides over 60 words"] == 0, (deck.name, [
                    (s["where"], s["words"]) for s in facts["slides"] if s["words"] > 60])
        assert page.problems == []
    (artifacts / "decks.json").write_text(json.dumps(report, indent=1))


def test_every_deck_prints_to_a_pdf_handout_one_page_per_slide(playwright, decks, tmp_path):
    """``make slides-pdf``'s printing (``slides.print_pdf``): each handout has exactly one page
    per slide, so no slide ran onto a second page and no fragment got a page of its own
    (lesson 05's deck has fragments), and the pages keep the 16:9 canvas."""
    from pypdf import PdfReader

    with serve(slides.SLIDES) as base, browser_page(playwright) as page:
        for deck in decks:
            total = deck_facts(page, f"{base}/{deck.name}")["total"]
            pdf = PdfReader(slides.print_pdf(page, f"{base}/{deck.name}",
                                             tmp_path / f"{deck.stem}.pdf"))
            assert len(pdf.pages) == total, f"{deck.name}: {len(pdf.pages)} pages, {total} slides"
            box = pdf.pages[0].mediabox
            assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.02, (deck.name, box)
        assert page.problems == []


FIRST_NOTES = """() => {
  for (const slide of Reveal.getSlides()) {
    const notes = slide.querySelector('aside.notes');
    if (notes) { const {h, v} = Reveal.getIndices(slide); Reveal.slide(h, v);
                 return notes.textContent.trim(); }
  }
  return null;
}"""
SPEAKER_NOTES = r"""(text) => {
  const notes = document.querySelector('.speaker-controls-notes .value');
  return !!notes && notes.textContent.replace(/\s+/g, ' ').includes(text);
}"""


def test_the_speaker_view_opens_offline_with_the_slides_notes_and_the_next_slide(playwright,
                                                                                 decks):
    """``s`` on a slide with notes opens reveal.js' speaker view (the vendored notes plugin):
    it shows that slide's notes, the upcoming slide and the clock, loading nothing from
    elsewhere."""
    with serve(slides.SLIDES) as base, browser_page(playwright) as page:
        for deck in decks:
            deck_facts(page, f"{base}/{deck.name}")
            notes = page.evaluate(FIRST_NOTES)
            assert notes, f"{deck.name}: no slide with notes"
            with page.expect_popup() as opened:
                page.keyboard.press("s")
            view = opened.value
            view.wait_for_function(SPEAKER_NOTES, arg=" ".join(notes.split())[:60],
                                   timeout=30_000)
            assert view.locator("#upcoming-slide iframe").count() == 1, deck.name
            assert view.locator(".speaker-controls-time .clock-value").inner_text().strip()
            view.close()
        assert page.problems == []


def test_decks_hold_no_solution_no_colab_cell_no_live_widget(decks):
    """What must never reach a slide: the Colab set-up, a reference solution's code, a widget
    that needs a kernel (its static view stands in), an absolute URL a deck would load."""
    from course_utils.exercises import solutions

    solution_lines = {line.strip() for module in Path(solutions.__file__).parent.glob("*.py")
                      for line in module.read_text().splitlines()
                      if line.strip().startswith(("return ", "for ", "if ")) and len(line) > 40}
    assert len(solution_lines) > 10
    for deck in decks:
        html = deck.read_text()
        assert "pip install" not in html and "colab-badge" not in html
        assert "application/vnd.jupyter.widget-view+json" not in html
        assert not [line for line in solution_lines if line in html], deck.name
        assert 'src="http' not in html and 'href="http' not in html.split("<body", 1)[0]


def _lesson_notebooks(tmp: Path) -> Path:
    """A copy of the lessons, so that a run in JupyterLab never touches the committed ones."""
    folder = tmp / "notebooks"
    folder.mkdir()
    for name in LESSONS:
        shutil.copy(slides.NOTEBOOKS / name, folder / name)
    return folder


READY = """(name) => {
  const panel = window.jupyterapp && jupyterapp.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== name || !panel.context.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
}"""
SELECT = """(text) => {
  const notebook = jupyterapp.shell.currentWidget.content;
  const index = notebook.widgets.findIndex(
    cell => cell.model.type === 'code' && cell.model.sharedModel.getSource().includes(text));
  notebook.activeCellIndex = index;
  if (index >= 0) notebook.widgets[index].node.setAttribute('data-course-cell', String(index));
  notebook.mode = 'command';
  notebook.node.focus();
  return index;
}"""
OUTPUT = "(i) => jupyterapp.shell.currentWidget.content.widgets[i].outputArea.node.innerText"


def _open_lesson(page, base: str, token: str, name: str) -> None:
    """Open ``name`` alone: ``reset`` empties the workspace, which would otherwise reopen
    every lesson opened before and start a kernel for each (several starting at once met a
    race in jupyter_server: a 500 on GET /api/kernels while a kernel was still starting)."""
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
    page.wait_for_function(READY, arg=name, timeout=120_000)


def _run_cell(page, text: str, expected: str, timeout_s: float = 180) -> int:
    """Select the code cell containing ``text``, run it with Shift+Enter as a student does,
    and wait for ``expected`` in its output; returns the cell's index."""
    index = page.evaluate(SELECT, text)
    assert index >= 0, f"no cell contains {text!r}"
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(f"() => ({OUTPUT})({index}).includes({json.dumps(expected)})",
                           timeout=timeout_s * 1000)
    return index


def _no_dialogs(page, name: str) -> None:
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert dialogs == [], f"{name}: dialogs {dialogs}"
    assert not [t for t in toasts if "news" in t.lower() or "error" in t.lower()], toasts


def _shut_down_kernels(base: str, token: str) -> None:
    """Stop every kernel (one lesson's kernel holds torch; seven at once would not fit 3 GB)."""
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels",
                                                       headers=headers)) as answer:
        kernels = json.load(answer)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}", method="DELETE",
                                         headers=headers)
        urllib.request.urlopen(request).close()


def test_every_lesson_in_the_course_jupyterlab(playwright, tmp_path, artifacts):
    """The course's JupyterLab on 127.0.0.1: every lesson renders, its kernel starts and its
    banner cell runs offline; lesson 01's explorer runs and answers a new dropdown choice; no
    dialog, no news prompt, no request leaves the machine but the Colab badge's (blocked)."""
    root, seconds = _lesson_notebooks(tmp_path), {}
    badge = tuple(re.findall(r"\(([^()]*colab-badge\.svg)\)", (root / LESSONS[0]).read_text()))
    assert badge
    with (course_jupyterlab(root, tmp_path / "jupyterlab.log") as (base, token),
          browser_page(playwright, expected_elsewhere=badge) as page):
        for name in LESSONS:
            start = time.monotonic()
            _open_lesson(page, base, token, name)
            _run_cell(page, "setup_lesson", "mode: offline")
            if name.startswith("01_"):
                _explore_architecture(page)
            _no_dialogs(page, name)
            page.screenshot(path=artifacts / f"jupyterlab-{Path(name).stem}.png")
            _shut_down_kernels(base, token)
            seconds[name] = round(time.monotonic() - start, 1)
        assert page.problems == []
    (artifacts / "jupyterlab.json").write_text(json.dumps(seconds, indent=1))


def _explore_architecture(page) -> None:
    """Lesson 01: build the four models (the cell the explorer needs), run the explorer, pick
    another model in its dropdown and see its table change."""
    _run_cell(page, "models = {name: build_reference_model", "albert-base-v2")
    index = _run_cell(page, "architecture_explorer(models)", "bert-base-uncased")
    widget = page.locator(f'[data-course-cell="{index}"]')
    table = widget.locator(".widget-output")
    before = table.inner_text()
    assert "bert-base-uncased" in before and "109.5" in before, before
    widget.locator(".widget-dropdown select").select_option("distilbert-base-uncased")
    page.wait_for_function(
        f"""() => document.querySelector('[data-course-cell="{index}"] .widget-output')
                    .innerText.includes('distilbert-base-uncased')""", timeout=60_000)
    after = table.inner_text()
    assert "66.4" in after and "109.5" not in after, after  # DistilBERT's 66.4 M parameters
