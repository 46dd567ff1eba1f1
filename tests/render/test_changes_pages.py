"""The change log (变更记录) after a bulk import: an index of every branch with its count of
changes and the latest few across the district, and per branch a log of every year by
quarter, paged. No page grows with one branch's import: every page holds a bounded number
of rows. Real git history (the demo district committed at once in a temp repository)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from sitegen.render.html.change_pages import CHANGES_PER_PAGE, LATEST_CHANGES, LATEST_PER_BRANCH
from tests.render.changes_demo import TODAY, build_with_history, demo_repo
from tests.render.helpers import soup, tree_digest
from tests.support import ROOT

pytestmark = pytest.mark.slow  # builds the whole demo district with its git history

KJY = ROOT / "content/committees/qsjd/branches/kjy"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    repo = demo_repo(tmp_path_factory.mktemp("changes") / "repo")
    out = repo.path / "out"
    build_with_history(repo.content, out)
    return out


def change_pages(site: Path) -> list[Path]:
    return [site / "changes.html", *sorted((site / "changes").rglob("*.html"))]


def rows(path: Path) -> list[list[str]]:
    doc = soup(path)
    return [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for table in doc.select("table.changes")
        for tr in table.find("tbody").find_all("tr")
    ]


def published_entries(branch: Path) -> dict[tuple[int, int], int]:
    """(year, quarter) → how many entries its ledger has, for the quarters whose 公示 began
    by the build's date: what a bulk import adds to the change log."""
    out = {}
    for ledger in sorted(branch.glob("*/ledger/q*.yaml")):
        year, quarter = int(ledger.parts[-3]), int(ledger.stem[1])
        record = ledger.parent.parent / f"quarters/q{quarter}.yaml"
        publicity = yaml.safe_load(record.read_text("utf-8")).get("publicity") if record.is_file() else None
        if publicity and date.fromisoformat(str(publicity["start"])) <= TODAY:
            entries = yaml.safe_load(ledger.read_text("utf-8")).get("entries") or []
            out[(year, quarter)] = len(entries)
    return out


def test_no_change_log_page_exceeds_its_bound(site):
    pages = change_pages(site)
    assert len(pages) > 12  # the index, and a page or more for every branch
    paged = 0
    for path in pages:
        n = len(rows(path))
        bound = LATEST_CHANGES if path.name == "changes.html" and path.parent == site else CHANGES_PER_PAGE
        assert n <= bound, (path, n)
        assert path.stat().st_size < 120_000, (path, path.stat().st_size)
        paged += path.name != "index.html" and path.parent != site
    assert paged >= 5  # the import is big enough to page most branches: the bound is exercised


def test_index_lists_every_branch_with_its_count_and_a_bounded_latest(site):
    doc = soup(site / "changes.html")
    counts = {}
    for tr in doc.select("table.change-counts tbody tr"):
        link = tr.find("a")
        target = site / link["href"]
        assert target.is_file(), link["href"]
        counts[link.get_text(strip=True)] = (int(tr.find("td").get_text()), target)
    assert len(counts) == 11 and "科技园企业联合支部" in counts
    # every branch's count is what its own log holds, page after page
    for name, (count, first) in counts.items():
        total = 0
        page: Path | None = first
        while page is not None:
            total += len(rows(page))
            nxt = soup(page).find("a", rel="next")
            page = page.parent / nxt["href"] if nxt else None
        assert total == count, name
        assert f"共 {count} 条修改" in soup(first).get_text()
    # the latest changes: a few, a few of each branch at most, each naming its branch
    latest = doc.select("#latest table.changes tbody tr")
    assert 0 < len(latest) <= LATEST_CHANGES
    branches = [tr.find("td", attrs={"data-label": "党支部"}).get_text(strip=True) for tr in latest]
    assert max(branches.count(b) for b in branches) <= LATEST_PER_BRANCH
    assert len(set(branches)) >= LATEST_CHANGES // LATEST_PER_BRANCH
    # committees with their totals
    heads = [h.get_text(" ", strip=True) for h in doc.select("section.change-index h2")]
    assert len(heads) == 2 and all(re.search(r"\d+ 条修改$", h) for h in heads), heads


def test_branch_log_by_quarter_paged_with_every_published_change_once(site):
    expected = published_entries(KJY)
    assert sum(expected.values()) > CHANGES_PER_PAGE  # more than a page
    first = site / "changes/b/kjy/index.html"
    seen: dict[tuple[int, int], int] = {}
    order: list[tuple[int, int]] = []
    pages = []
    page: Path | None = first
    while page is not None:
        doc = soup(page)
        pages.append(page)
        shown = sum(len(s.select("tbody tr")) for s in doc.select("main section[id]"))
        assert 0 < shown <= CHANGES_PER_PAGE
        for section in doc.select("main section[id]"):
            y, q = map(int, re.fullmatch(r"y(\d+)q(\d)", section["id"]).groups())
            title = section.find("h2").get_text(strip=True)
            continued = title.endswith("（续）")
            assert title.startswith(f"{y}年第{'一二三四'[q - 1]}季度")
            assert continued == ((y, q) in seen), (page, title)
            if not continued:
                order.append((y, q))
            seen[(y, q)] = seen.get((y, q), 0) + len(section.select("tbody tr"))
            for tr in section.select("tbody tr"):
                assert tr.find("td", attrs={"data-label": "提交"}).get_text(
                    strip=True
                )  # the commit, for those who look
        nxt = doc.find("a", rel="next")
        prev = doc.find("a", rel="prev")
        assert (prev is None) == (page == first)
        if prev is not None:
            assert page.parent / prev["href"] == pages[-2]
        page = page.parent / nxt["href"] if nxt else None
    assert len(pages) == -(-sum(expected.values()) // CHANGES_PER_PAGE)
    assert seen == expected  # every published change once, and nothing of a quarter not published
    assert order == sorted(expected, reverse=True)  # the latest quarter first
    # the contents on every page point at the page each quarter starts on
    for page in pages:
        for a in soup(page).select("nav.toc a"):
            target, anchor = a["href"].split("#")
            doc = soup(page.parent / target) if target else soup(page)
            assert doc.find(id=anchor) is not None and not doc.find(id=anchor).find("h2").get_text().endswith("（续）")


def test_change_log_linked_from_every_board_and_free_of_folder_paths(site):
    for board in sorted(site.glob("20[0-9][0-9]/b/*/index.html")):
        link = soup(board).find("a", string="本支部变更记录")
        assert link is not None, board
        target = (board.parent / link["href"]).resolve()
        assert target == (site / f"changes/b/{board.parent.name}/index.html").resolve()
    for path in change_pages(site):
        text = soup(path).get_text()
        assert not re.search(r"committees/|branches/|ledger/|\.yaml|restricted", text), path
        # the import also brought restricted/ files: its subject is withheld wherever it shows
        assert "批量导入各支部台账" not in text and "（该提交涉及不公开记录，说明不予显示）" in text, path
        footer = soup(path).find("footer").get_text()
        assert re.search(r"提交 [0-9a-f]{7}", footer), path  # the commit its data goes up to


def test_pages_are_deterministic(site, tmp_path):
    """A second repository made the same way (same people, same clock) gives the same pages."""
    repo = demo_repo(tmp_path / "repo")
    out = tmp_path / "out"
    build_with_history(repo.content, out)
    mine = {k: v for k, v in tree_digest(out).items() if k.startswith("changes")}
    theirs = {k: v for k, v in tree_digest(site).items() if k.startswith("changes")}
    assert mine == theirs and len(mine) > 12
