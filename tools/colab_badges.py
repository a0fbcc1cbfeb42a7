"""Regenerate every notebook's "Open in Colab" badge and Colab setup cell.

The repository slug lives in one place, ``pyproject.toml`` ``[project.urls] Repository``,
and so does the version Colab opens and installs: the tag ``v<version>`` of ``[project]
version`` (the release the committed notebooks were recorded for, never whatever the
default branch holds that day). Run ``python tools/colab_badges.py`` after changing either
(a test checks that they agree), and tag each release ``v<version>``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BADGE_TAG = "colab-badge"
SETUP_TAG = "colab-setup"
EXTRAS = {"06_application.ipynb": "offline,deploy"}
"""The course's extras a lesson needs in Colab beyond ``offline`` (lesson 06 runs ONNX)."""

COLAB_PREINSTALLED = frozenset({
    "torch", "transformers", "tokenizers", "datasets", "huggingface-hub", "safetensors",
    "accelerate", "scikit-learn", "pandas", "numpy", "matplotlib", "ipywidgets", "tqdm",
    "psutil", "filelock", "sentencepiece", "protobuf",
})
"""Packages Colab's runtime already has: every core dependency of the course is one of them
(a test checks it), so that the setup cell adds only the course package, its ``offline``
(and for lesson 06 ``deploy``) extra and what those need. JupyterLab, which Colab does not
need, is the ``lab`` extra.

Why a plain ``pip install`` and not ``--no-deps`` plus a hand-made list: pip leaves every
requirement that is already satisfied alone (``--upgrade-strategy only-if-needed``, its
default, spelled out in the cell), so Colab's own CUDA build of torch and its transformers
stay as they are, and only a package that is missing or older than the course's lower bound
(transformers 4 on an old runtime, say) is installed. ``--no-deps`` would run the course on
whatever versions Colab happens to have, and would need the extras' own dependencies
(wordfreq's, ONNX Runtime's) listed by hand."""


def repo_slug(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """``owner/name`` of the course repository, read from ``pyproject.toml``."""
    url = tomllib.loads(pyproject.read_text())["project"]["urls"]["Repository"]
    return url.removeprefix("https://github.com/").strip("/")


def release_ref(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The git tag Colab opens and installs: ``v`` and the course's version."""
    return "v" + tomllib.loads(pyproject.read_text())["project"]["version"]


def badge_source(notebook: Path, slug: str) -> str:
    """Markdown of the badge that opens ``notebook`` in Colab, at the release's tag."""
    target = (f"https://colab.research.google.com/github/{slug}/blob/{release_ref()}/"
              f"notebooks/{notebook.name}")
    image = "https://colab.research.google.com/assets/colab-badge.svg"
    return f"[![Open In Colab]({image})]({target})"


def setup_source(slug: str, extras: str = "offline") -> str:
    """Code of the setup cell: installs ``course_utils`` from the repository at the release's
    tag (:func:`release_ref`), in Colab only, with only what Colab lacks
    (:data:`COLAB_PREINSTALLED`)."""
    return "\n".join([
        "# Colab only: install the course's helper package (does nothing elsewhere). Colab",
        "# already has torch, transformers, datasets and the rest: pip keeps them, and adds",
        "# only the course (the release these outputs were recorded with), its extras and",
        "# what they need.",
        "import subprocess",
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        f'    spec = ("bert-descendants-course[{extras}] @ "',
        f'            "git+https://github.com/{slug}@{release_ref()}")',
        '    subprocess.run([sys.executable, "-m", "pip", "install", "-q",',
        '                    "--upgrade-strategy", "only-if-needed", spec], check=True)',
    ])


def expected_cells(notebook: Path, slug: str) -> list:
    """The two cells every notebook starts with."""
    badge = nbformat.v4.new_markdown_cell(badge_source(notebook, slug))
    badge.metadata = {"tags": [BADGE_TAG], "slideshow": {"slide_type": "skip"}}
    setup = nbformat.v4.new_code_cell(setup_source(slug, EXTRAS.get(notebook.name, "offline")))
    setup.metadata = {"tags": [SETUP_TAG], "slideshow": {"slide_type": "skip"}}
    return [badge, setup]


def update(notebook: Path, slug: str) -> bool:
    """Put the current badge and setup cell first in ``notebook``; True if it changed."""
    nb = nbformat.read(notebook, as_version=4)
    kept = [c for c in nb.cells if not {BADGE_TAG, SETUP_TAG} & set(c.metadata.get("tags", []))]
    old = [(c.cell_type, c.source) for c in nb.cells[:2]]
    fresh = expected_cells(notebook, slug)
    if old == [(c.cell_type, c.source) for c in fresh]:
        return False
    nb.cells = fresh + kept
    nbformat.write(nb, notebook)
    return True


README_LINK = re.compile(
    r"colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/notebooks/")


def update_readme(slug: str, readme: Path = ROOT / "README.md") -> bool:
    """Point every Colab link in the README at ``slug``; True if it changed."""
    text = readme.read_text()
    fresh = README_LINK.sub(f"colab.research.google.com/github/{slug}/blob/{release_ref()}/"
                            "notebooks/", text)
    if fresh != text:
        readme.write_text(fresh)
    return fresh != text


def main() -> int:
    slug = repo_slug()
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if update(notebook, slug):
            print(f"updated {notebook.name}")
    if update_readme(slug):
        print("updated README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
