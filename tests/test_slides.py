"""The deck builder's preparation of a notebook (tools/slides.py), without a browser."""

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import slides


def test_markers_and_their_reason_leave_the_code():
    source = "# NBVAL_IGNORE_OUTPUT\n# (timings)\nx = 1\n# a real comment\n"
    assert slides.without_markers(source) == "x = 1\n# a real comment\n"


def test_a_long_print_is_cut_and_says_so():
    output = {"output_type": "stream", "name": "stdout", "text": "\n".join(map(str, range(20)))}
    cut = slides.trimmed_stream(output, max_lines=5)["text"]
    assert cut.splitlines()[:5] == ["0", "1", "2", "3", "4"] and "15 more lines" in cut
    assert slides.trimmed_stream(output, max_lines=20) == output


def test_presentable_drops_colab_cells_stderr_and_replaces_a_widget_by_its_saved_view():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("!pip install x", metadata={"tags": ["colab-setup"]}),
                nbformat.v4.new_code_cell("explorer()")]
    table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table/>"}}
    nb.cells[1].outputs = [
        nbformat.from_dict({"output_type": "stream", "name": "stderr", "text": "100%|###|"}),
        nbformat.from_dict({"output_type": "display_data", "metadata": {}, "data": {
            slides.WIDGET_VIEW: {"model_id": "box"}, "text/plain": "VBox()"}})]
    nb.metadata["widgets"] = {slides.WIDGET_STATE: {"state": {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_out"]}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [table]}}}}}
    shown = slides.presentable(nb)
    assert [cell.source for cell in shown.cells] == ["explorer()"]
    outputs = shown.cells[0].outputs
    assert [o["data"].get("text/html") for o in outputs] == [slides.WIDGET_NOTE, "<table/>"]
    assert len(nb.cells) == 2 and "widgets" in nb.metadata  # the notebook itself is untouched


def _notes_cells(nb):
    return [cell for cell in nb.cells
            if cell.metadata.get("slideshow", {}).get("slide_type") == "notes"]


def test_speaker_notes_in_a_cells_metadata_become_a_notes_cell_of_its_slide_in_the_deck_only():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## A point", metadata={
                    "slideshow": {"slide_type": "slide"},
                    "slides": {slides.NOTES_KEY: "Ask the room first."}}),
                nbformat.v4.new_code_cell("x = 1", metadata={"slideshow": {"slide_type": "-"}}),
                nbformat.v4.new_markdown_cell("## No notes here")]
    shown = slides.presentable(nb)
    assert [cell.source for cell in shown.cells] == ["## A point", "Ask the room first.",
                                                     "x = 1", "## No notes here"]
    assert [cell.source for cell in _notes_cells(shown)] == ["Ask the room first."]
    assert _notes_cells(nb) == [] and len(nb.cells) == 3  # the notebook itself is untouched


def test_no_lesson_shows_speaker_notes_to_a_student_and_every_deck_gets_some():
    """A ``notes`` cell, or a paragraph opening with "Notes:" or "Speaker notes:", is visible
    in JupyterLab and Colab (where it can give an exercise away); the notes go in metadata."""
    lessons = sorted(slides.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) == 7
    for path in lessons:
        nb = nbformat.read(path, as_version=4)
        assert _notes_cells(nb) == [], path.name
        visible = [cell.source[:40] for cell in nb.cells if cell.cell_type == "markdown"
                   and any(line.lstrip().startswith(("Notes:", "Speaker notes"))
                           for line in cell.source.splitlines())]
        assert visible == [], (path.name, visible)
        noted = [slides.speaker_notes(cell) for cell in map(slides.cut_to_point, nb.cells)
                 if slides.speaker_notes(cell)]
        assert noted, f"{path.name}: no speaker notes"
        assert [cell.source for cell in _notes_cells(slides.presentable(nb))] == noted


def test_a_slide_keeps_the_pieces_of_its_cells_prose_and_the_notes_get_the_whole_cell():
    text = ("## Static versus dynamic masking\n\nBERT masked its data **before** training. It drew 10\n"
            "masks per sentence. RoBERTa masks **dynamically**: a new mask every time.")
    cell = nbformat.v4.new_markdown_cell(text, metadata={"slides": {
        slides.KEEP_KEY: ["BERT masked its data **before** training.",
                          "RoBERTa masks **dynamically**: a new mask every time."],
        slides.NOTES_KEY: "Ask which one the room would pick."}})
    cut = slides.cut_to_point(cell)
    assert cut.source == ("## Static versus dynamic masking\n\n"
                          "- BERT masked its data **before** training.\n"
                          "- RoBERTa masks **dynamically**: a new mask every time.")
    assert slides.speaker_notes(cut) == text + "\n\nAsk which one the room would pick."
    assert cell.source == text  # the notebook's cell is untouched
    one = nbformat.v4.new_markdown_cell(text, metadata={"slides": {
        slides.KEEP_KEY: ["It drew 10 masks per sentence."]}})  # across a line break
    assert slides.cut_to_point(one).source.endswith("\n\nIt drew 10 masks per sentence.")


def test_a_kept_piece_the_prose_no_longer_has_stops_the_build_naming_the_cell():
    cell = nbformat.v4.new_markdown_cell("RoBERTa masks dynamically.", metadata={"slides": {
        slides.KEEP_KEY: ["RoBERTa masks statically."]}})
    with pytest.raises(ValueError, match=f"cell {cell.id}.*update metadata.slides.keep"):
        slides.cut_to_point(cell)
    plain = nbformat.v4.new_markdown_cell("No keep here.")
    assert slides.cut_to_point(plain) is plain
