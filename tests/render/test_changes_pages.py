"""The change log (变更记录) after a bulk import: an index of the committees with their
counts of branches and changes and the latest few changes across the district; per committee
an index of its branches with their counts and its latest few; and per branch a log of every
year by quarter, paged. No page grows with one branch's import: every page holds a bounded number
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


def is_index(site: Path, path: Path) -> bool:
    """changes.html or a committee's change index (changes/c/<id>/index.html)."""
    rel = path.relative_to(site).as_posix()
    return rel == "changes.html" or re.fullmatch(r"changes/c/\w+/index\.html", rel) is not None


def test_no_change_log_page_exceeds_its_bound(site):
    pages = change_pages(site)
    assert len(pages) > 12  # the index, a page for every committee, a page or more for every branch
    paged = indexes = 0
    for path in pages:
        n = len(rows(path))
        bound = LATEST_CHANGES if is_index(site, path) else CHANGES_PER_PAGE
        assert n <= bound, (path, n)
        assert path.stat().st_size < 120_000, (path, path.stat().st_size)
        paged += path.name != "index.html" and path.parent != site
        indexes += is_index(site, path)
    assert paged >= 5  # the import is big enough to page most branches: the bound is exercised
    assert indexes == 3  # changes.html and the demo's two committees


def counts_table(path: Path, table: str) -> dict[str, list]:
    """A change index's table of committees or branches: name → [its cells…, the page it links to]."""
    out = {}
    for tr in soup(path).select(f"table.{table} tbody tr"):
        link = tr.find("a")
        target = path.parent / link["href"]
        assert target.is_file(), link["href"]
        out[link.get_text(strip=True)] = [td.get_text(strip=True) for td in tr.find_all("td")] + [target]
    return out


def day(text: str) -> date:
    y, m, d = map(int, re.fullmatch(r"(\d+)年(\d+)月(\d+)日", text).groups())
    return date(y, m, d)


def latest_branches(path: Path) -> list[str]:
    return [
        tr.find("td", attrs={"data-label": "党支部"}).get_text(strip=True)
        for tr in soup(path).select("#latest table.changes tbody tr")
    ]


def test_index_lists_the_committees_and_each_committee_its_branches(site):
    index = site / "changes.html"
    committees = counts_table(index, "change-committees")
    assert len(committees) == 2 and "中共青松区青松街道工作委员会" in committees
    assert not soup(index).select("table.change-counts")  # no branch rows on the index: it grows with committees
    branches_seen = 0
    for name, (n_branches, count, latest, page) in committees.items():
        assert page.resolve().parent.parent == (site / "changes/c").resolve(), page
        doc = soup(page)
        assert doc.find("h1").get_text(" ", strip=True).startswith(name)
        branches = counts_table(page, "change-counts")
        assert len(branches) == int(n_branches) > 0
        branches_seen += len(branches)
        assert sum(int(c) for c, _, _ in branches.values()) == int(count)
        assert max(day(d) for _, d, _ in branches.values()) == day(latest)
        assert f"共 {count} 条修改" in doc.get_text()
        # every branch's count is what its own log holds, page after page
        for branch, (n, _, first) in branches.items():
            total = 0
            log: Path | None = first
            while log is not None:
                total += len(rows(log))
                nxt = soup(log).find("a", rel="next")
                log = log.parent / nxt["href"] if nxt else None
            assert total == int(n), branch
            assert f"共 {n} 条修改" in soup(first).get_text()
            # the log's crumbs lead back through its committee's index
            crumbs = [(first.parent / a["href"]).resolve() for a in soup(first).select("nav.crumbs a")]
            assert page.resolve() in crumbs, (branch, crumbs)
        # the committee's latest changes: its own branches', a few of each at most
        mine = latest_branches(page)
        assert 0 < len(mine) <= LATEST_CHANGES and set(mine) <= branches.keys()
        assert max(mine.count(b) for b in mine) <= LATEST_PER_BRANCH
        assert len(set(mine)) == len(branches)  # the demo's branches were all imported at once
        # the committee's page of every year links to its change index
        cid = page.parent.name
        for board in sorted(site.glob(f"20[0-9][0-9]/c/{cid}/index.html")):
            link = soup(board).find("a", string="本党(工)委变更记录")
            assert link is not None and (board.parent / link["href"]).resolve() == page.resolve(), board
    assert branches_seen == 11
    # the district's latest changes: a few, a few of each branch at most, each naming its branch
    latest = latest_branches(index)
    assert 0 < len(latest) <= LATEST_CHANGES
    assert max(latest.count(b) for b in latest) <= LATEST_PER_BRANCH
    assert len(set(latest)) >= LATEST_CHANGES // LATEST_PER_BRANCH


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
