"""Lobby screens in real headless Chromium: slides advance, nothing overflows in any
orientation, a new build makes the screen reload, and the script is plain ES5."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pyjsparser
import pytest

from tests.browser import Watched, browser
from tests.render.helpers import build_ok
from tests.support import ROOT

SCRIPT = ROOT / "themes/default/assets/screen.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("screens") / "output"
    build_ok(ROOT / "content", out)
    return out


@pytest.fixture
def server(site, tmp_path):
    """The built site served over HTTP on 127.0.0.1 (XHR polling needs http://)."""
    root = tmp_path / "served"
    shutil.copytree(site, root)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_script_is_plain_es5():
    source = SCRIPT.read_text("utf-8")
    pyjsparser.parse(source)  # raises on arrow functions, classes, template strings, …
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)
    for pattern in (
        r"\blet\s",
        r"\bconst\s",
        r"=>",
        r"`",
        r"\bclass\s",
        r"\bimport\b",
        r"\bfetch\(",
        r"classList",
        r"\.\.\.",
        r"\bPromise\b",
    ):
        assert not re.search(pattern, code), f"not ES5 / not for old WebViews: {pattern}"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "width,height,deck", [(1920, 1080, "landscape"), (1080, 1920, "portrait"), (960, 540, "landscape")]
)
def test_every_slide_fits_the_viewport(site, width, height, deck):
    pages = [
        site / "screen/index.html",
        site / "screen/c/qsjd/index.html" if False else site / "screen/c/qsjd.html",
        site / "screen/b/kjy.html",
        site / "screen/b/lysq.html",
    ]
    with browser() as b:
        for page in pages:
            w = Watched(b, width, height)
            w.page.goto(page.as_uri())
            assert w.errors == [], w.errors
            state = w.page.evaluate("""() => {
                const stage = document.querySelector('.stage.active');
                const box = stage.getBoundingClientRect();
                const slides = Array.from(stage.querySelectorAll('section.slide'));
                const over = [];
                slides.forEach((s, i) => {
                    window.sitegenScreen.next();
                    const active = stage.querySelector('section.slide.active');
                    if (active.scrollHeight > active.clientHeight + 1 || active.scrollWidth > active.clientWidth + 1)
                        over.push(active.querySelector('h1').textContent);
                });
                return {id: stage.id, over, slides: slides.length,
                        box: [box.left, box.top, box.right, box.bottom],
                        page: [document.documentElement.scrollWidth, document.documentElement.scrollHeight]};
            }""")
            assert state["id"] == f"stage-{deck}"
            assert state["over"] == [], f"{page.name}: slides overflow: {state['over']}"
            left, top, right, bottom = state["box"]
            assert left >= -8 and top >= -8 and right <= width + 8 and bottom <= height + 8, state
            assert state["page"][0] <= width and state["page"][1] <= height
            w.page.screenshot(path=f"/tmp/sitegen-shots/screen-{page.stem}-{width}x{height}.png")


@pytest.mark.browser
@pytest.mark.slow
def test_slides_advance_by_themselves(server):
    root, base = server
    html = (root / "screen/b/kjy.html").read_text("utf-8").replace('data-interval="15"', 'data-interval="5"')
    (root / "screen/b/kjy.html").write_text(html, "utf-8")
    with browser() as b:
        w = Watched(b, 1920, 1080)
        w.page.goto(f"{base}/screen/b/kjy.html")
        first = w.page.inner_text(".stage.active section.slide.active h1")
        w.page.wait_for_function(
            "t => document.querySelector('.stage.active section.slide.active h1').textContent !== t",
            arg=first,
        )
        counter = w.page.inner_text(".stage.active .counter")
        assert counter.startswith("第 2 /")
        assert w.errors == []


# Counts the screen's answered requests (`loadend` comes after the handler that may reload)
# and notes a reload begun (`beforeunload` fires as location.reload() is called).
WATCH_POLLS = """() => {
    window.__answered = 0; window.__leaving = false;
    window.addEventListener('beforeunload', function () { window.__leaving = true; });
    var send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
        this.addEventListener('loadend', function () { window.__answered += 1; });
        return send.call(this, body);
    };
}"""


def poll_answered(page) -> None:
    """Ask the server now, and wait until its answer has been handled (or a new page,
    without the counter, has replaced this one)."""
    asked = page.evaluate("window.__answered")
    page.evaluate("window.sitegenScreen.poll()")
    page.wait_for_function("n => window.__answered === undefined || window.__answered > n", arg=asked)


@pytest.mark.browser
@pytest.mark.slow
def test_new_build_reloads_the_screen_and_an_error_page_does_not(server):
    root, base = server
    with browser() as b:
        w = Watched(b, 1920, 1080)
        w.page.goto(f"{base}/screen/index.html")
        w.page.evaluate("window.__marker = 1")
        w.page.evaluate(WATCH_POLLS)
        poll_answered(w.page)  # same build: nothing happens
        assert w.page.evaluate("[window.__marker, window.__leaving]") == [1, False]
        info = root / "build-info.json"
        saved = info.read_text("utf-8")
        info.unlink()  # the server answers 404: keep showing what we have
        poll_answered(w.page)
        assert w.page.evaluate("[window.__marker, window.__leaving]") == [1, False]
        data = json.loads(saved)
        data["build_key"] = "another-build"
        info.write_text(json.dumps(data), "utf-8")
        with w.page.expect_navigation():
            w.page.evaluate("window.sitegenScreen.poll()")
        assert w.page.evaluate("typeof window.__marker") == "undefined"  # a fresh page
