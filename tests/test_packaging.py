"""The install files agree with each other, and every notebook's Colab badge is current."""

import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import colab_badges


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = project["dependencies"] + [
        r for extra in ("offline", "deploy", "dev", "lab") for r in extras[extra]]
    return {r.replace(" ", "") for r in wanted}


def _environment_requirements() -> set[str]:
    text = (ROOT / "environment.yml").read_text()
    pip_section = text.split("- pip:", 1)[1]
    entries = re.findall(r"^\s+- (.+)$", pip_section, flags=re.MULTILINE)
    return {e.strip().strip('"').replace(" ", "") for e in entries if not e.startswith("-e")}


def test_environment_yml_mirrors_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_constraints_pin_every_dependency():
    pinned = {_name(line) for line in (ROOT / "constraints.txt").read_text().splitlines()
              if line and not line.startswith("#")}
    assert {_name(r) for r in _pyproject_requirements()} <= pinned


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_badge_and_setup_cell_agree_with_pyproject(notebook):
    slug = colab_badges.repo_slug()
    cells = nbformat.read(notebook, as_version=4).cells
    expected = colab_badges.expected_cells(notebook, slug)
    assert [c.source for c in cells[:2]] == [c.source for c in expected], (
        "run `python tools/colab_badges.py`")
    assert f"github/{slug}/blob/main/notebooks/{notebook.name}" in cells[0].source


def test_readme_colab_links_use_the_slug_and_exist():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/main/"
                       r"notebooks/([\w.]+)\)", readme)
    assert links, "the README has no Colab badges"
    for slug, notebook in links:
        assert slug == colab_badges.repo_slug(), "run `python tools/colab_badges.py`"
        assert (ROOT / "notebooks" / notebook).exists()


def test_there_are_notebooks():
    assert NOTEBOOKS, "no lesson notebooks found"
