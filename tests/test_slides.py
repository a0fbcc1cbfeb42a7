"""The deck builder's preparation of a notebook (tools/slides.py), without a browser."""

import sys
from pathlib import Path

import nbformat

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
