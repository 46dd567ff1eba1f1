"""The built pages in real headless Chromium over file://: no console errors, no request
leaving the site, nothing wider than a phone, and screenshots to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import Watched, browser
from tests.render.helpers import build_ok
from tests.support import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # the whole demo district, in Chromium

SHOTS = Path(os.environ.get("SITEGEN_SHOTS", "/tmp/sitegen-shots"))


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "output"
    build_ok(ROOT / "content", out)
    return out


def pages(site: Path) -> dict[str, Path]:
    year = sorted(int(p.name) for p in site.iterdir() if p.name.isdigit())[0]  # the completed year
    branch = sorted((site / str(year) / "b").iterdir())[0]
    return {
        "branch": branch / "index.html",
        "year": site / str(year) / "index.html",
        "committee": next((site / str(year) / "c").iterdir()) / "index.html",
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_render_cleanly_at_desktop_and_phone_width(demo_site, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as b:
        for name, path in pages(demo_site).items():
            w = Watched(b, width, 900)
            w.page.goto(path.as_uri())
            w.page.wait_for_load_state("load")
            assert w.errors == [], f"{name}: {w.errors}"
            assert all(u.startswith("file://") for u in w.requests), w.requests
            overflow = w.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} is {overflow}px wider than the {width}px viewport"
            w.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
            assert (SHOTS / f"{name}-{width}.png").stat().st_size > 10_000
