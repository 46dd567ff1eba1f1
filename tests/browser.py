"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for tests that
need a real browser. Playwright's own browser download is never used."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ALLOWED = True  # set per test by tests/conftest.py: only tests marked `browser` start Chromium
PATIENCE_MS = 120_000  # how long a page may take to load, navigate or show something (a loaded machine)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    assert ALLOWED, "this test starts Chromium: mark it @pytest.mark.browser"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class Watched:
    """A page that records console errors, page errors and failed requests."""

    def __init__(self, b, width: int, height: int):
        self.page = b.new_page(viewport={"width": width, "height": height})
        self.page.set_default_timeout(PATIENCE_MS)
        self.page.set_default_navigation_timeout(PATIENCE_MS)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"requestfailed: {r.url} ({r.failure})"))
        self.page.on("request", lambda r: self.requests.append(r.url))
