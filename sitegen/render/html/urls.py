"""Where every page lives in the output, and relative links between pages.

Every link is relative (computed from the linking page's depth), so the site works
under any sub-path and opened straight from disk over file://.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


def home() -> str:
    return "index.html"


def archive() -> str:
    return "archive.html"


def changes() -> str:
    return "changes.html"


def branch_changes(bid: str, page: int = 1) -> str:
    """A branch's change log, every year, by quarter; paged (page 1 first)."""
    return f"changes/b/{bid}/index.html" if page == 1 else f"changes/b/{bid}/{page}.html"


def committee_changes(cid: str) -> str:
    """A committee's change index: its branches with their counts, and its latest changes."""
    return f"changes/c/{cid}/index.html"


def year_home(year: int) -> str:
    return f"{year}/index.html"


def rankings(year: int, category_slug: str) -> str:
    return f"{year}/rankings/{category_slug}.html"


def committee(year: int, cid: str) -> str:
    return f"{year}/c/{cid}/index.html"


def branch(year: int, bid: str) -> str:
    return f"{year}/b/{bid}/index.html"


def member(year: int, bid: str, mid: str) -> str:
    return f"{year}/b/{bid}/m/{mid}.html"


def notice(year: int, slug: str, cid: str = "", bid: str = "") -> str:
    if bid:
        return f"{year}/b/{bid}/notices/{slug}.html"
    if cid:
        return f"{year}/c/{cid}/notices/{slug}.html"
    return f"{year}/notices/{slug}.html"


def root_of(page: str) -> str:
    """The relative prefix from `page` back to the site root ('' at the top)."""
    return "../" * page.count("/")


CATEGORY_SLUGS = {"机关": "jiguan", "社区": "shequ", "学校": "xuexiao", "两新": "liangxin"}


# -- which unit of work makes a file ---------------------------------------------------
#
# The output is made in independent units: one per branch and year (its board, notices,
# member pages, spreadsheets, PDFs and, for the latest year, its lobby screen) and one
# for everything above the branches. This module, which decides where every file goes,
# also says which unit makes a given path: `sitegen serve` asks it for a path a browser
# wants, and a build records it in its manifest.


@dataclass(frozen=True, order=True)
class SiteUnit:
    """Everything above the branches: district, committee, ranking, notice, archive and
    change-log pages, the committees' and the district's spreadsheets, PDFs and screens."""

    @property
    def id(self) -> str:
        return "site"


@dataclass(frozen=True, order=True)
class BranchUnit:
    """One branch's output for one year."""

    year: int
    committee: str
    branch: str

    @property
    def id(self) -> str:
        return f"branch/{self.year}/{self.committee}/{self.branch}"


Unit = SiteUnit | BranchUnit
SITE = SiteUnit()


class Owner(Enum):
    """Files no unit makes."""

    ASSET = "asset"  # the theme's assets and build-info.json: made once per build
    NOWHERE = "nowhere"  # a branch or year that does not exist: no unit makes it


_XLSX_NAME = re.compile(r"-stats[12]-[a-z0-9]+\.xlsx$")


def _year(part: str) -> int | None:
    return int(part) if part.isascii() and part.isdigit() else None


def branch_of(path: str, latest: int | None) -> tuple[int, str] | None:
    """(year, branch id) when `path` is a branch's file: <year>/b/<bid>/… (board, member
    pages, notices), <year>/pdf/b/<bid>/<document>.pdf, <year>/xlsx/b/<bid>-stats….xlsx,
    or screen/b/<bid>.html (the latest year's)."""
    parts = path.split("/")
    year = _year(parts[0])
    if year is not None and len(parts) >= 4 and parts[1] == "b":
        return year, parts[2]
    if year is not None and len(parts) == 5 and parts[1] == "pdf" and parts[2] == "b":
        return year, parts[3]
    if year is not None and len(parts) == 4 and parts[1] == "xlsx" and parts[2] == "b":
        return year, _XLSX_NAME.sub("", parts[3])
    if len(parts) == 3 and parts[:2] == ["screen", "b"] and parts[2].endswith(".html") and latest is not None:
        return latest, parts[2][: -len(".html")]
    return None


def unit_of(path: str, committee_of: Mapping[tuple[int, str], str]) -> Unit | Owner:
    """The unit that makes `path`. `committee_of`: (year, branch id) → committee id, for
    every branch that has a unit (a branch's year that is not there makes nothing)."""
    if path.split("/", 1)[0] == "assets" or path == "build-info.json":
        return Owner.ASSET
    latest = max((year for year, _ in committee_of), default=None)
    found = branch_of(path, latest)
    parts = path.split("/")
    if found is None and len(parts) == 4 and parts[:2] == ["changes", "b"]:
        # a branch's change log: made with its latest year's unit (that of its board)
        mine = [year for year, bid in committee_of if bid == parts[2]]
        if not mine:
            return Owner.NOWHERE
        found = (max(mine), parts[2])
    if found is None:
        return SITE
    committee = committee_of.get(found)
    if committee is None:
        return Owner.NOWHERE
    return BranchUnit(found[0], committee, found[1])


# -- what a page shows: the scope of its data, for the footer's data version -----------


class ScopeKind(Enum):
    BRANCH = "branch"  # one branch's year: its board, member pages, lobby screen
    COMMITTEE = "committee"  # a committee's year: its page and screen
    YEAR = "year"  # the district's year: year home, rankings
    ALL = "all"  # every year: site home's years, archive
    CHANGES = "changes"  # the change log: the repository's history (id: one branch's or committee's)
    NOTICE = "notice"  # a notice: its own date, no ledger data


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    year: int | None = None
    id: str = ""  # the branch's or committee's id


def scope_of(path: str, latest: int | None) -> Scope:
    """Whose data the page at `path` shows (the site home shows the latest year)."""
    parts = path.split("/")
    if "notices" in parts[:-1]:
        return Scope(ScopeKind.NOTICE)
    if path == changes():
        return Scope(ScopeKind.CHANGES)
    if len(parts) == 4 and parts[:2] == ["changes", "b"]:
        return Scope(ScopeKind.CHANGES, id=parts[2])  # a branch's change log: its own latest change
    if len(parts) == 4 and parts[:2] == ["changes", "c"]:
        return Scope(ScopeKind.CHANGES, id=parts[2])  # a committee's change index: its branches' latest
    branch_year = branch_of(path, latest)
    if branch_year is not None:
        return Scope(ScopeKind.BRANCH, *branch_year)
    year = _year(parts[0])
    if year is not None and len(parts) >= 3 and parts[1] == "c":
        return Scope(ScopeKind.COMMITTEE, year, parts[2])
    if len(parts) == 3 and parts[:2] == ["screen", "c"] and parts[2].endswith(".html"):
        return Scope(ScopeKind.COMMITTEE, latest, parts[2][: -len(".html")])
    if year is not None:
        return Scope(ScopeKind.YEAR, year)
    if path in (home(), "screen/index.html"):
        return Scope(ScopeKind.YEAR, latest)
    return Scope(ScopeKind.ALL)
