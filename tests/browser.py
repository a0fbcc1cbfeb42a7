"""Drive the system's Chromium from the tests (Playwright, no browser download): a local web
server for the decks, a guard that fails any request to another host, and the measurements
the deck test asserts (slides, notes, overflow)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import slides

VIEWPORT = slides.VIEWPORT
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def chromium_path() -> str:
    """The system Chromium (``slides.find_chromium``: ``COURSE_CHROMIUM`` or the first on
    PATH). Missing: the browser tests fail in CI (``CI`` set) and are skipped elsewhere, with
    what to install."""
    found = slides.find_chromium()
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(slides.NO_CHROMIUM)
    pytest.skip(slides.NO_CHROMIUM)


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test reports what matters
        pass


@contextlib.contextmanager
def browser_page(playwright, expected_elsewhere: tuple[str, ...] = ()):
    """A 1280x720 page in the system Chromium that records console errors, page errors and
    failed requests, and aborts (and records) every request to a host other than 127.0.0.1.
    ``expected_elsewhere``: URLs that are aborted too but not recorded (the Colab badge image,
    which a notebook shows from colab.research.google.com)."""
    browser = playwright.chromium.launch(executable_path=chromium_path(),
                                         args=list(slides.CHROMIUM_ARGS))
    page = browser.new_page(viewport=VIEWPORT)
    page.problems = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in LOCAL_HOSTS:
            route.continue_()
            return
        if route.request.url not in expected_elsewhere:
            page.problems.append(f"request to another host: {route.request.url}")
        route.abort()

    def console(message):
        if message.type == "error" and message.location.get("url") not in expected_elsewhere:
            page.problems.append(f"console error: {message.text} ({message.location})")

    def failed(request):
        if request.url not in expected_elsewhere:
            page.problems.append(f"failed request: {request.url} ({request.failure})")

    page.route("**/*", guard)
    page.on("console", console)
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("requestfailed", failed)
    try:
        yield page
    finally:
        browser.close()


DECK_FACTS = r"""() => {
  const height = Reveal.getConfig().height;
  const facts = {total: Reveal.getTotalSlides(), notes: 0, overflow: [], slides: []};
  for (const slide of Reveal.getSlides()) {
    const {h, v} = Reveal.getIndices(slide);
    Reveal.slide(h, v);
    if (slide.querySelector('aside.notes')) facts.notes += 1;
    const title = (slide.querySelector('h1,h2,h3') || slide).textContent.trim().slice(0, 60);
    const where = `slide ${h}.${v || 0} "${title}"`;
    const prose = slide.cloneNode(true);
    prose.querySelectorAll('table, pre, aside.notes, script, style').forEach(e => e.remove());
    const code = Array.from(slide.querySelectorAll('.jp-InputArea pre'));
    facts.slides.push({
      where,
      words: prose.textContent.split(/\s+/).filter(w => /\w/.test(w)).length,
      table_rows: Math.max(0, ...Array.from(slide.querySelectorAll('table'),
                                             t => t.querySelectorAll('tbody tr').length)),
      code_lines: Math.max(0, ...code.map(p => p.textContent.replace(/\n$/, '').split('\n').length)),
      notes: !!slide.querySelector('aside.notes'),
      figure: !!slide.querySelector('.jp-OutputArea img, .jp-OutputArea svg'),
    });
    if (slide.scrollHeight > height + 2)
      facts.overflow.push(`${where}: ${slide.scrollHeight}px tall (canvas ${height}px)`);
    for (const box of slide.querySelectorAll('pre, table, .jp-OutputArea-output, img')) {
      if (box.scrollWidth > box.clientWidth + 2 || box.offsetWidth > slide.offsetWidth + 2)
        facts.overflow.push(`${where}: a ${box.tagName.toLowerCase()} is cut off at the side ` +
                            `(${box.scrollWidth}px in ${Math.min(box.clientWidth, slide.offsetWidth)}px)`);
    }
  }
  Reveal.slide(0, 0);
  return facts;
}"""


def deck_facts(page, url: str) -> dict:
    """Open a deck, wait for reveal.js to report ready, then count its slides and speaker
    notes, list every slide whose content overflows the 1280x720 canvas, and measure each
    (leaf) slide: its words outside tables, code and notes, its largest table's rows, its
    longest code cell's lines, whether it has notes and a figure (:func:`deck_measures`)."""
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    return page.evaluate(DECK_FACTS)


def deck_measures(facts: dict) -> dict:
    """One deck's measures from :func:`deck_facts`, as a presenter would judge the deck: its
    slides, the median and largest word count on a slide and how many slides pass 60 words,
    the largest table (rows) and the longest code (lines) on any slide, and how many slides
    have speaker notes and a figure."""
    import statistics

    slides_ = facts["slides"]
    words = [s["words"] for s in slides_]
    return {"slides": len(slides_), "median words": statistics.median(words),
            "most words": max(words), "slides over 60 words": sum(w > 60 for w in words),
            "largest table (rows)": max(s["table_rows"] for s in slides_),
            "longest code (lines)": max(s["code_lines"] for s in slides_),
            "slides with notes": sum(s["notes"] for s in slides_),
            "slides with a figure": sum(s["figure"] for s in slides_)}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def course_jupyterlab(root: Path, log: Path, timeout_s: float = 90):
    """The course's own JupyterLab (this environment's, with the settings ``make install``
    puts in it) serving ``root`` on 127.0.0.1, offline, with a fresh user config; yields
    ``(base_url, token)`` once the server answers, and stops it afterwards."""
    import secrets
    import subprocess
    import sys
    import time
    import urllib.request

    port, token = free_port(), secrets.token_hex(16)
    home = root.parent / "home"
    env = {**os.environ, "COURSE_MODE": "offline", "HOME": str(home),
           "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "lab-workspaces")}
    command = [str(Path(sys.prefix) / "bin" / "jupyter"), "lab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; its log: {log}") from None
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
