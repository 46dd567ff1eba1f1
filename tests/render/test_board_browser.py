"""The board as a member reads it, in real headless Chromium: the member page's score and
every activity's note on screen at phone and desktop width, the branch board's current
period first, stacked tables on phones with the total and rank inside the screen, the
name search from file:// and from a sub-path over HTTP, and a lobby screen opened from
disk that stays quiet."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from tests.browser import Watched, browser
from tests.render.helpers import build_ok, soup
from tests.support import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium, over the whole demo district

SHOTS = Path(os.environ.get("SITEGEN_SHOTS", "/tmp/sitegen-shots"))
HXSQ = ROOT / "content/committees/qsjd/branches/hxsq"
MEMBER = "2026/b/hxsq/m/M0701.html"  # 邹建平, 和西社区支部
BOARD = "2026/b/hxsq/index.html"
CLOSED_BOARD = "2025/b/hxsq/index.html"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("board") / "output"
    build_ok(ROOT / "content", out)
    return out


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def open_page(b, path_or_url: str, width: int, height: int = 800) -> Watched:
    w = Watched(b, width, height)
    w.page.goto(path_or_url)
    w.page.wait_for_load_state("load")
    return w


def inside(w: Watched, selector: str) -> list[dict]:
    """Every match's box, with whether it lies within the viewport's width."""
    return w.page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const r = e.getBoundingClientRect();
            return {text: e.textContent.trim(), left: r.left, right: r.right, width: r.width,
                    ok: r.left >= 0 && r.right <= window.innerWidth && r.width > 0};
        })""",
    )


def no_sideways_scroll(w: Watched) -> None:
    assert w.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), w.page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )


def published_notes(member: str) -> list[str]:
    """The notes of the published quarters' entries (Q1–Q3 of 2026) that name `member` or 全体."""
    notes = []
    for q in (1, 2, 3):
        data = yaml.safe_load((HXSQ / f"2026/ledger/q{q}.yaml").read_text("utf-8"))
        for e in data["entries"]:
            members = e.get("members")
            if e.get("note") and (
                members == "全体" and member not in e.get("excluding", []) or member in (members or [])
            ):
                notes.append(e["note"])
    return notes


@pytest.mark.parametrize("width,height", [(360, 800), (360, 740), (1280, 800)])
def test_member_page_shows_score_first_and_every_note(demo_site, chromium, width, height):
    w = open_page(chromium, (demo_site / MEMBER).as_uri(), width, height)
    assert w.errors == []
    no_sideways_scroll(w)
    # the score card comes first, within the screen: total, rank
    for selector in (".card dd.total", ".card dd.rank"):
        boxes = inside(w, selector)
        assert boxes and all(b["ok"] for b in boxes), (selector, boxes)
    first = w.page.evaluate("document.querySelector('main section').id")
    assert first == "score"
    total = w.page.text_content(".card dd.total")
    assert total and total.strip().rstrip("分").isdigit()
    assert "第" in w.page.text_content(".card dd.rank") and "共" in w.page.text_content(".card dd.rank")
    # every activity's note is on the page, inside the screen's width
    titles = inside(w, "ol.activities .act-title")
    notes = published_notes("M0701")
    assert len(notes) > 20
    shown = [t["text"] for t in titles]
    for note in notes:
        assert note in shown, note
    assert all(t["ok"] for t in titles), [t for t in titles if not t["ok"]][:3]
    # the change history is last and folded
    assert w.page.evaluate("[...document.querySelectorAll('main > section')].pop().id") == "changes"
    assert w.page.evaluate("Array.from(document.querySelectorAll('#changes details')).every(d => !d.open)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.page.screenshot(path=str(SHOTS / f"member-{width}x{height}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_branch_board_current_period_first_with_totals_on_screen(demo_site, chromium, width):
    w = open_page(chromium, (demo_site / BOARD).as_uri(), width)
    assert w.errors == []
    no_sideways_scroll(w)
    sections = w.page.evaluate("[...document.querySelectorAll('main > section')].map(s => s.id)")
    assert sections[0] == "q3" and sections.index("items") > sections.index("q1")  # the latest published quarter first
    assert w.page.evaluate("!document.querySelector('#items details').open")  # the items table folded
    # the current quarter starts within the first screens, not below the items table
    top = w.page.evaluate("document.getElementById('q3').getBoundingClientRect().top + window.scrollY")
    assert top < (1100 if width == 360 else 600), top
    for selector in ("#q3 table.quarter td.total", "#q3 table.quarter td.rank", "#q3 table.quarter th a"):
        boxes = inside(w, selector)
        assert len(boxes) >= 10 and all(b["ok"] for b in boxes), (selector, [b for b in boxes if not b["ok"]][:3])
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.page.screenshot(path=str(SHOTS / f"board-{width}.png"), full_page=True)


def test_closed_year_board_shows_the_year_end_first(demo_site, chromium):
    w = open_page(chromium, (demo_site / CLOSED_BOARD).as_uri(), 360)
    no_sideways_scroll(w)
    assert w.page.evaluate("document.querySelector('main > section').id") == "year-end"
    for selector in ("#year-end table.ranking td.total", "#year-end table.ranking td.rank"):
        boxes = inside(w, selector)
        assert boxes and all(b["ok"] for b in boxes), selector


def search(w: Watched, text: str) -> list[str]:
    w.page.click("#search-q")
    w.page.fill("#search-q", text)
    w.page.wait_for_selector("#search-results li")
    return [
        li.strip() for li in w.page.eval_on_selector_all("#search-results li", "els => els.map(e => e.textContent)")
    ]


def test_search_by_initials_pinyin_and_name_from_file(demo_site, chromium):
    w = open_page(chromium, (demo_site / "2026/index.html").as_uri(), 360)
    assert not [u for u in w.requests if u.endswith("search-index.js")]  # loaded only when the box is used
    found = search(w, "zjp")
    assert any(r.startswith("邹建平") and "和西社区" in r and "正式党员" in r for r in found), found
    assert [u for u in w.requests if u.endswith("search-index.js")]
    for query in ("zoujianping", "zou jian ping", "邹建", "jianping"):
        w.page.fill("#search-q", "")
        assert any(r.startswith("邹建平") for r in search(w, query)), query
    # exempt and floating members are found too, with what the board says of them
    w.page.fill("#search-q", "")
    assert any(r.startswith("龙守仁") and "不纳入积分管理" in r for r in search(w, "lsr"))
    w.page.fill("#search-q", "")
    assert any(r.startswith("侯佳慧") and "流入党员" in r for r in search(w, "houjiahui"))
    # the result's link works
    w.page.fill("#search-q", "")
    search(w, "zjp")
    w.page.click("#search-results li a:text-is('邹建平')")
    w.page.wait_for_load_state("load")
    assert w.page.url.endswith(MEMBER)
    assert "邹建平" in w.page.text_content("h1")
    assert w.errors == []


@pytest.fixture
def sub_path_server(demo_site, tmp_path):
    """The site served over HTTP under a sub-path: http://127.0.0.1:<port>/some/where/."""
    root = tmp_path / "served"
    shutil.copytree(demo_site, root / "some/where")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the base class's name)
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/some/where/"
    httpd.shutdown()


def test_search_from_a_sub_path_over_http(sub_path_server, chromium):
    w = open_page(chromium, sub_path_server + BOARD, 1280)
    found = search(w, "zjp")
    assert any(r.startswith("邹建平") for r in found), found
    w.page.click("#search-results li a:text-is('邹建平')")
    w.page.wait_for_load_state("load")
    assert w.page.url == sub_path_server + MEMBER
    assert w.errors == []


def test_screen_from_file_is_quiet(demo_site, chromium):
    """Opened from disk, a lobby screen never asks for build-info.json: no console error
    every three minutes."""
    w = Watched(chromium, 1280, 720)
    w.page.clock.install()
    w.page.goto((demo_site / "screen/index.html").as_uri())
    w.page.wait_for_load_state("load")
    w.page.clock.run_for("10:00")
    assert w.errors == []
    assert not [u for u in w.requests if "build-info.json" in u]


def test_page_structure(demo_site):
    """One <main> per page, no id twice, every table with a caption and every header cell
    with a scope (two-level headers: colgroup above col)."""
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        doc = soup(path)
        assert len(doc.find_all("main")) == 1, path
        ids = [e["id"] for e in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))
        if "screen" in path.parts:
            continue
        for table in doc.find_all("table"):
            # a notice's tables are written by hand in Markdown: no caption to give them, but
            # their header cells head columns (sitegen/render/markdown.py)
            assert table.find("caption") or "notices" in path.parts, (path, table.get("class"))
            for th in table.find_all("th"):
                assert th.get("scope") in ("col", "row", "colgroup"), (path, th)
            for th in table.find_all("th", colspan=True):
                if th.find_parent("thead"):
                    assert th["scope"] == "colgroup", (path, th)
    # one percentage format, as the 统计表 spreadsheets have it (0.0%)
    shares = [td.get_text() for td in soup(demo_site / CLOSED_BOARD).select("td[data-label$='占比']")]
    assert shares and all(re.fullmatch(r"\d+\.\d%", x) for x in shares), shares
    home = (demo_site / "index.html").read_text("utf-8")
    assert "screen/c/" not in soup(demo_site / "index.html").get_text() and "和西社区" in home


# axe-core over every kind of page and the Nu HTML checker over every page: tests/render/test_a11y.py
# and tests/render/test_vnu.py (the demo built with a change history, so the change log's pages are full).
