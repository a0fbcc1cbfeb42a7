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
    ref = colab_badges.release_ref()
    assert f"github/{slug}/blob/{ref}/notebooks/{notebook.name}" in cells[0].source
    assert f"github.com/{slug}@{ref}" in cells[1].source  # the recorded release, not main


def test_readme_colab_links_use_the_slug_and_exist():
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/"
                       r"notebooks/([\w.]+)\)", readme)
    assert links, "the README has no Colab badges"
    for slug, ref, notebook in links:
        assert slug == colab_badges.repo_slug(), "run `python tools/colab_badges.py`"
        assert ref == colab_badges.release_ref(), "run `python tools/colab_badges.py`"
        assert (ROOT / "notebooks" / notebook).exists()


def test_core_dependencies_include_what_albert_tokenizers_need():
    """A repository with only ``spiece.model`` (albert-base-v2) needs sentencepiece and
    protobuf to build its tokenizer (tests/test_online.py loads one)."""
    core = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())[
        "project"]["dependencies"]}
    assert {"sentencepiece", "protobuf"} <= core


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_colab_setup_cell_installs_only_what_colab_lacks(notebook, monkeypatch):
    """Every core dependency is one Colab has (pip keeps those; JupyterLab is the ``lab``
    extra), and the lesson's setup cell, run as Colab would, installs the course with exactly
    the extras the lesson uses (``deploy`` where it imports course_utils.deploy), nothing
    outside Colab."""
    import subprocess
    import types

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {_name(r) for r in project["dependencies"]}
    assert core <= colab_badges.COLAB_PREINSTALLED, core - colab_badges.COLAB_PREINSTALLED
    assert "jupyterlab" not in core
    assert "jupyterlab" in {_name(r) for r in project["optional-dependencies"]["lab"]}

    cells = nbformat.read(notebook, as_version=4).cells
    uses_deploy = any("course_utils.deploy" in c.source or "import deploy" in c.source
                      for c in cells[2:] if c.cell_type == "code")
    extras = "offline,deploy" if uses_deploy else "offline"
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    exec(cells[1].source, {})  # noqa: S102 (the cell itself) outside Colab: nothing
    assert calls == []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(cells[1].source, {})  # noqa: S102 (the cell itself, as Colab runs it)
    spec = (f"bert-descendants-course[{extras}] @ git+https://github.com/"
            f"{colab_badges.repo_slug()}@{colab_badges.release_ref()}")
    assert calls == [[sys.executable, "-m", "pip", "install", "-q", "--upgrade-strategy",
                      "only-if-needed", spec]]


def test_the_core_layer_imports_nothing_above_it():
    """``course_utils.core`` is what the lessons stand on: none of its modules imports a
    module of ``course_utils`` outside ``core`` (at the top or inside a function)."""
    import ast

    core = ROOT / "course_utils" / "core"
    outside = []
    for path in sorted(core.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                outside.append(f"{path.name}: from {'.' * node.level}{node.module or ''}")
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            outside += [f"{path.name}: {n}" for n in names
                        if n.startswith("course_utils") and not n.startswith("course_utils.core")]
    assert not outside, outside
