"""axe-core (WCAG 2.1 A and AA rules) in headless Chromium over every kind of page the demo
site has, at phone and desktop width: no violation of any impact. The kinds are those
urls.py can make plus the lobby screens; every page of the built site must be of a known
kind and every kind must have a sample here, so a new kind of page cannot slip past.

The demo is built with a change history (a bulk import in a temp repository), so the change
log's index and a branch's paged log are real, full pages."""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path

import pytest

from sitegen.render.html import urls
from tests.browser import Watched, browser
from tests.render.changes_demo import build_with_history, demo_repo
from tests.support import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "tests/a11y/node_modules/axe-core/axe.min.js"  # npm ci in tests/a11y (scripts/setup.sh)
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path(os.environ.get("SITEGEN_SHOTS", "/tmp/sitegen-shots"))

# every kind of page: how its path looks, and the pages axe runs over
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "home": (r"index\.html", ("index.html",)),
    "archive": (r"archive\.html", ("archive.html",)),
    "changes": (r"changes\.html", ("changes.html",)),
    "committee_changes": (r"changes/c/\w+/index\.html", ("changes/c/qsjd/index.html", "changes/c/jyw/index.html")),
    "branch_changes": (r"changes/b/\w+/(index|\d+)\.html", ("changes/b/kjy/index.html", "changes/b/kjy/4.html")),
    "year_home": (r"\d{4}/index\.html", ("2026/index.html", "2025/index.html")),
    "rankings": (r"\d{4}/rankings/\w+\.html", ("2025/rankings/shequ.html", "2026/rankings/shequ.html")),
    "committee": (r"\d{4}/c/\w+/index\.html", ("2026/c/qsjd/index.html", "2025/c/jyw/index.html")),
    "branch": (r"\d{4}/b/\w+/index\.html", ("2026/b/hxsq/index.html", "2025/b/hxsq/index.html")),
    "member": (r"\d{4}/b/\w+/m/\w+\.html", ("2026/b/hxsq/m/M0701.html", "2025/b/kjy/m/M0801.html")),
    "notice": (
        r"\d{4}/(c/\w+/|b/\w+/)?notices/[\w-]+\.html",
        (
            "2026/notices/2026-01-08-annual-2026.html",
            "2026/c/qsjd/notices/2026-01-15-rules-2026.html",
            "2026/b/kjy/notices/2026-02-13-plan-2026.html",
        ),
    ),
    "screen": (r"screen/(index|c/\w+|b/\w+)\.html", ("screen/index.html", "screen/c/qsjd.html", "screen/b/kjy.html")),
}
NOT_PAGES = {"root_of"}  # urls.py functions that return a string but name no page


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    repo = demo_repo(tmp_path_factory.mktemp("a11y") / "repo")
    out = repo.path / "out"
    build_with_history(repo.content, out)
    return out


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def kind_of(rel: str) -> list[str]:
    return [kind for kind, (pattern, _) in KINDS.items() if re.fullmatch(pattern, rel)]


def test_every_kind_of_page_has_a_sample(site):
    makers = {
        name
        for name, fn in inspect.getmembers(urls, inspect.isfunction)
        if fn.__module__ == urls.__name__
        and not name.startswith("_")
        and inspect.signature(fn).return_annotation in ("str", str)
        and name not in NOT_PAGES
    }
    assert makers and makers <= KINDS.keys(), makers - KINDS.keys()  # a page kind urls.py knows, without samples
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) > 300
    unknown = [rel for rel in pages if len(kind_of(rel)) != 1]
    assert unknown == [], unknown  # a page of no known kind (or of two)
    for kind, (_, samples) in KINDS.items():
        assert samples, kind
        for rel in samples:
            assert rel in pages and kind_of(rel) == [kind], (kind, rel)


def axe(w: Watched, within: str = "document") -> list[dict]:
    w.page.add_script_tag(path=str(AXE))
    return w.page.evaluate(
        f"""() => axe.run({within}, {{runOnly: {{type: 'tag', values: {RULES!r}}}}})
            .then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}})))"""
    )


@pytest.mark.parametrize("kind", sorted(k for k in KINDS if k != "screen"))
def test_axe_finds_no_violation(site, chromium, kind):
    assert AXE.is_file(), "axe-core is missing: run scripts/setup.sh (npm ci in tests/a11y)"
    found = {}
    for rel in KINDS[kind][1]:
        for width in (360, 1280):
            w = Watched(chromium, width, 800)
            w.page.goto((site / rel).as_uri())
            w.page.wait_for_load_state("load")
            violations = axe(w)
            if violations:
                found[(rel, width)] = violations
            w.page.close()
    assert found == {}, found


def test_axe_over_search_results(site, chromium):
    """The search box's results, shown under the box: links, names and status in words."""
    w = Watched(chromium, 360, 800)
    w.page.goto((site / "2026/b/hxsq/index.html").as_uri())
    w.page.click("#search-q")
    w.page.fill("#search-q", "zjp")
    w.page.wait_for_selector("#search-results li")
    assert w.errors == []  # (before axe, which asks for the style sheets itself)
    assert axe(w) == []


@pytest.mark.parametrize("width,height", [(1920, 1080), (1080, 1920)])
def test_axe_over_every_slide_of_the_lobby_screens(site, chromium, width, height):
    """Each slide of each sampled screen in turn (the screen shows one at a time), landscape
    and portrait."""
    found = {}
    for rel in KINDS["screen"][1]:
        w = Watched(chromium, width, height)
        w.page.clock.install()  # the slides move on only when the test says so
        w.page.goto((site / rel).as_uri())
        w.page.wait_for_load_state("load")
        count = w.page.evaluate("document.querySelectorAll('.stage.active section.slide').length")
        assert count > 1, rel
        assert w.errors == []  # (before axe, which asks for the style sheets itself)
        for n in range(count):
            assert w.page.evaluate("document.querySelectorAll('.stage.active section.slide.active').length") == 1
            violations = axe(w)
            if violations:
                found[(rel, n)] = violations
            w.page.evaluate("window.sitegenScreen.next()")
        w.page.close()
    assert found == {}, found


# -- what axe leaves to a person: text over a gradient, focus, paper ----------------------


def rgb(css: str) -> list[tuple[int, int, int]]:
    """Every colour named in a computed CSS value (rgb() or rgba(), alpha ignored)."""
    return [tuple(int(float(x)) for x in m.split(",")[:3]) for m in re.findall(r"rgba?\(([^)]*)\)", css)]


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def lum(c):
        s = [v / 255 for v in c]
        s = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in s]
        return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


BACKDROP = """el => {
    for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none') return s.backgroundImage + ' ' + s.backgroundColor;
        if (s.backgroundColor !== 'rgba(0, 0, 0, 0)') return s.backgroundColor;
    }
    return 'rgb(255, 255, 255)';
}"""


def test_masthead_text_holds_its_contrast_over_the_whole_gradient(site, chromium):
    """axe cannot judge text over a gradient (it reports it as 'incomplete'): the masthead's
    text against every colour of its gradient, 4.5:1 at least; and nothing else on the page
    is left undecided."""
    w = Watched(chromium, 1280, 800)
    w.page.goto((site / "2026/b/hxsq/index.html").as_uri())
    checked = w.page.eval_on_selector_all(
        ".masthead .site-name, .masthead .site-kind, .masthead label",
        f"els => els.map(e => [getComputedStyle(e).color, ({BACKDROP})(e.parentElement)])",
    )
    assert len(checked) == 3
    for color, backdrop in checked:
        stops = rgb(backdrop)
        assert len(stops) >= 3, backdrop  # the gradient's two colours and the colour under it
        for stop in stops:
            assert contrast(rgb(color)[0], stop) >= 4.5, (color, stop)
    w.page.add_script_tag(path=str(AXE))
    undecided = w.page.evaluate(
        f"""() => axe.run(document, {{runOnly: {{type: 'tag', values: {RULES!r}}}}})
            .then(r => r.incomplete.flatMap(v => v.nodes.map(n => v.id + ' ' + n.target.join(' '))))"""
    )
    masthead = w.page.eval_on_selector_all(".masthead *", "els => els.length")
    assert masthead and all(u.startswith("color-contrast ") for u in undecided), undecided
    assert len(undecided) <= 3, undecided  # the three above


@pytest.mark.parametrize(
    "rel", ["index.html", "2026/b/hxsq/index.html", "2026/b/hxsq/m/M0701.html", "changes/b/kjy/4.html"]
)
def test_focus_is_visible_everywhere_the_keyboard_goes(site, chromium, rel):
    """Tab through the page: every element reached shows an outline of 2 px at least, 3:1
    against what it is drawn on (WCAG 2.4.7, 1.4.11)."""
    w = Watched(chromium, 1280, 800)
    w.page.goto((site / rel).as_uri())
    w.page.wait_for_load_state("load")
    seen = []
    for _ in range(40):
        w.page.keyboard.press("Tab")
        state = w.page.evaluate(
            f"""() => {{
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const s = getComputedStyle(el);
                return [el.tagName + ' ' + (el.textContent || el.id).trim().slice(0, 20), s.outlineStyle,
                        parseFloat(s.outlineWidth), s.outlineColor, ({BACKDROP})(el.parentElement)];
            }}"""
        )
        if state is None:
            break
        seen.append(state)
    assert len(seen) >= 5, seen
    for what, style, width, color, backdrop in seen:
        assert style == "solid" and width >= 2, (what, style, width)
        for under in rgb(backdrop):
            assert contrast(rgb(color)[0], under) >= 3, (what, color, backdrop)


@pytest.mark.parametrize("kind", sorted(k for k in KINDS if k != "screen"))
def test_pages_print_on_the_paper(site, chromium, kind):
    """Printed (A4 width, print media): no table wider than the paper, no search box, no
    crumbs, black text."""
    for rel in KINDS[kind][1]:
        w = Watched(chromium, 700, 1000)  # A4 less its margins, at 96 px an inch
        w.page.emulate_media(media="print")
        w.page.goto((site / rel).as_uri())
        wide = w.page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
        )
        assert wide == [], (rel, wide)
        hidden = w.page.eval_on_selector_all(
            "form.search, nav.crumbs", "els => els.every(e => getComputedStyle(e).display === 'none')"
        )
        assert hidden, rel
        assert w.page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        if kind == "branch":  # the items the points come from print, though folded on screen
            assert w.page.evaluate(
                "(() => { const d = document.querySelector('#items details'); "
                "return !d.open && d.querySelector('table').checkVisibility(); })()"
            )
        w.page.close()


@pytest.mark.parametrize(
    "rel", ["changes.html", "changes/c/qsjd/index.html", "changes/b/kjy/index.html", "changes/b/kjy/4.html"]
)
def test_change_log_reads_on_a_phone(site, chromium, rel):
    """At 360 px: no sideways scroll, each change a stacked card with what changed across the
    card, and a page a phone can scroll through (one branch's import does not make it huge)."""
    w = Watched(chromium, 360, 740)
    w.page.goto((site / rel).as_uri())
    w.page.wait_for_load_state("load")
    assert w.errors == []
    assert w.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    cards = w.page.eval_on_selector_all(
        "table.changes tbody tr",
        """rows => rows.map(tr => {
            const what = tr.querySelector('td.what').getBoundingClientRect();
            return [getComputedStyle(tr).display, what.left >= 0 && what.right <= window.innerWidth,
                    what.width / window.innerWidth];
        })""",
    )
    assert cards and all(d == "flex" and inside and share > 0.8 for d, inside, share in cards), cards[:3]
    assert w.page.evaluate("document.documentElement.scrollHeight") < 25_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    w.page.screenshot(path=str(SHOTS / f"changes-{rel.replace('/', '-')}-360.png"))
