"""The change log's indexes at scale: on a generated district of many branches over several
committees (tools/synth.py, committed at once in a real git repository), changes.html holds
a row per committee and the district's latest few changes, never a row per branch, and each
committee's change index holds its own branches and its latest few, never another
committee's. So no index grows with the district beyond the committee it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.render.html.change_pages import LATEST_CHANGES, LATEST_PER_BRANCH
from tests.history.gitrepo import Repo
from tests.render.changes_demo import CLERK, IMPORTED, build_with_history
from tests.render.helpers import soup
from tools.synth import generate

pytestmark = pytest.mark.slow  # a 75-branch district built with its history

BRANCHES = 75  # three committees of 25 (synth makes one committee per 25 branches)


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> tuple[Path, dict]:
    repo = Repo(tmp_path_factory.mktemp("scale") / "repo")
    made = generate(repo.content, branches=BRANCHES, members=3, seed=11, year=2026)
    repo.commit("全区台账导入", who=CLERK, when=IMPORTED)
    out = repo.path / "out"
    build_with_history(repo.content, out)
    return out, made


def body_rows(path: Path, table: str) -> list:
    return soup(path).select(f"table.{table} tbody tr")


def test_no_change_index_grows_beyond_its_committee(district):
    site, made = district
    assert made["committees"] >= 3 and made["branches"] == BRANCHES
    logs = sorted((site / "changes/b").glob("*/index.html"))
    assert len(logs) == BRANCHES  # every branch has its log…

    # …but the site-wide index has a row per committee and the latest few, nothing per branch
    index = site / "changes.html"
    committees = body_rows(index, "change-committees")
    assert len(committees) == made["committees"]
    assert body_rows(index, "change-counts") == []
    latest = body_rows(index, "changes")
    assert 0 < len(latest) <= LATEST_CHANGES
    assert len(soup(index).select("tbody tr")) == len(committees) + len(latest)

    # each committee's index: its own branches (together every branch once) and its latest few
    seen: list[str] = []
    pages = sorted((site / "changes/c").glob("*/index.html"))
    assert len(pages) == made["committees"]
    for page in pages:
        branches = body_rows(page, "change-counts")
        names = [tr.find("a").get_text(strip=True) for tr in branches]
        assert 0 < len(branches) < BRANCHES
        seen.extend(tr.find("a")["href"] for tr in branches)
        mine = [tr.find("td", attrs={"data-label": "党支部"}).get_text(strip=True) for tr in body_rows(page, "changes")]
        assert 0 < len(mine) <= LATEST_CHANGES and set(mine) <= set(names), page
        assert max(mine.count(b) for b in mine) <= LATEST_PER_BRANCH
        assert len(soup(page).select("tbody tr")) == len(branches) + len(mine) <= len(branches) + LATEST_CHANGES
        # the committee's page links to it
        board = site / f"2026/c/{page.parent.name}/index.html"
        link = soup(board).find("a", string="本党(工)委变更记录")
        assert link is not None and (board.parent / link["href"]).resolve() == page.resolve()
    assert sorted(h.rsplit("/", 2)[-2] for h in seen) == sorted(p.parent.name for p in logs)
