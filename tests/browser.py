"""Drive the system's Chromium from the tests (Playwright, no browser download): a local web
server for the decks, a guard that fails any request to another host, and the measurements
the deck test asserts (slides, notes, overflow)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

VIEWPORT = {"width": 1280, "height": 720}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str:
    """The system Chromium (``COURSE_CHROMIUM`` or the first on PATH). Missing: the browser
    tests fail in CI (``CI`` set) and are skipped elsewhere, with what to install."""
    found = os.environ.get("COURSE_CHROMIUM") or next(
        filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if found:
        return found
    message = "no Chromium: apt-get install chromium (or set COURSE_CHROMIUM to a Chrome binary)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


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
def browser_page(playwright):
    """A 1280x720 page in the system Chromium that records console errors, page errors and
    failed requests, and aborts (and records) every request to a host other than 127.0.0.1."""
    browser = playwright.chromium.launch(executable_path=chromium_path(),
                                         args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport=VIEWPORT)
    page.problems = []

    def guard(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            page.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(
        f"console error: {msg.text}"))
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: page.problems.append(
        f"failed request: {request.url} ({request.failure})"))
    try:
        yield page
    finally:
        browser.close()


DECK_FACTS = """() => {
  const height = Reveal.getConfig().height;
  const facts = {total: Reveal.getTotalSlides(), notes: 0, overflow: []};
  for (const slide of Reveal.getSlides()) {
    const {h, v} = Reveal.getIndices(slide);
    Reveal.slide(h, v);
    if (slide.querySelector('aside.notes')) facts.notes += 1;
    const title = (slide.querySelector('h1,h2,h3') || slide).textContent.trim().slice(0, 60);
    const where = `slide ${h}.${v || 0} "${title}"`;
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
    notes and list every slide whose content overflows the 1280x720 canvas."""
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    return page.evaluate(DECK_FACTS)
