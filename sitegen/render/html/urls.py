"""Where every page lives in the output, and relative links between pages.

Every link is relative (computed from the linking page's depth), so the site works
under any sub-path and opened straight from disk over file://.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
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
# member pages, spreadsheets, PDFs and, for the latest year, its lobby screen) and, above
# the branches, one per committee and year, one per district year, the archive, the
# search index, the change log's index and one per committee's change index. Each has its
# own inputs key (sitegen.render.run), so an edit of one branch re-makes that branch and
# the aggregates that show it, not the other committees' pages. This module, which decides
# where every file goes, also says which unit makes a given path: `sitegen serve` asks it
# for a path a browser wants, and a build records it in its manifest.


class SitePart(str, Enum):
    """Which part of the site above the branches a SiteUnit makes."""

    DISTRICT = "district"  # a year's district pages: year home (and the site home for the latest
    # year), rankings, district notices, 统计表 and PDFs, and for the latest year the district's screen
    COMMITTEE = "committee"  # a committee's year: its page, notices, 统计表, PDFs (latest year: its screen)
    ARCHIVE = "archive"  # archive.html: every year
    SEARCH = "search"  # the name search's index: every branch's latest roster
    CHANGES = "changes"  # changes.html: the change log's index over every committee
    COMMITTEE_CHANGES = "committee-changes"  # changes/c/<id>/: one committee's change index


@dataclass(frozen=True, order=True)
class SiteUnit:
    """A part of everything above the branches (SitePart), for one year and one committee
    where the part has them (0 and "" where it has not)."""

    part: SitePart
    year: int = 0
    committee: str = ""

    @property
    def id(self) -> str:
        return "/".join(
            ["site", self.part.value, *([str(self.year)] if self.year else []), *filter(None, [self.committee])]
        )


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
ARCHIVE = SiteUnit(SitePart.ARCHIVE)
SEARCH = SiteUnit(SitePart.SEARCH)
CHANGES = SiteUnit(SitePart.CHANGES)


def district_unit(year: int) -> SiteUnit:
    return SiteUnit(SitePart.DISTRICT, year)


def committee_unit(year: int, cid: str) -> SiteUnit:
    return SiteUnit(SitePart.COMMITTEE, year, cid)


def committee_changes_unit(cid: str) -> SiteUnit:
    return SiteUnit(SitePart.COMMITTEE_CHANGES, committee=cid)


class Owner(Enum):
    """Files no unit makes."""

    ASSET = "asset"  # the theme's assets and build-info.json: made once per build
    NOWHERE = "nowhere"  # a branch, committee or year that does not exist: no unit makes it


_XLSX_NAME = re.compile(r"-stats[12]-[a-z0-9]+\.xlsx$")


def _year(part: str) -> int | None:
    return int(part) if part.isascii() and part.isdigit() else None


def _owner_of(path: str, latest: int | None, letter: str) -> tuple[int, str] | None:
    """(year, owner id) when `path` is a file of a branch (`letter` "b") or a committee
    ("c"): <year>/<letter>/<id>/…, <year>/pdf/<letter>/<id>/<document>.pdf,
    <year>/xlsx/<letter>/<id>-stats….xlsx, or screen/<letter>/<id>.html (the latest year's)."""
    parts = path.split("/")
    year = _year(parts[0])
    if year is not None and len(parts) >= 4 and parts[1] == letter:
        return year, parts[2]
    if year is not None and len(parts) == 5 and parts[1] == "pdf" and parts[2] == letter:
        return year, parts[3]
    if year is not None and len(parts) == 4 and parts[1] == "xlsx" and parts[2] == letter:
        return year, _XLSX_NAME.sub("", parts[3])
    if len(parts) == 3 and parts[:2] == ["screen", letter] and parts[2].endswith(".html") and latest is not None:
        return latest, parts[2][: -len(".html")]
    return None


def branch_of(path: str, latest: int | None) -> tuple[int, str] | None:
    """(year, branch id) when `path` is a branch's file: <year>/b/<bid>/… (board, member
    pages, notices), <year>/pdf/b/<bid>/<document>.pdf, <year>/xlsx/b/<bid>-stats….xlsx,
    or screen/b/<bid>.html (the latest year's)."""
    return _owner_of(path, latest, "b")


def committee_of_path(path: str, latest: int | None) -> tuple[int, str] | None:
    """(year, committee id) when `path` is a committee's file: <year>/c/<cid>/… (its page,
    notices), <year>/pdf/c/<cid>/<document>.pdf, <year>/xlsx/c/<cid>-stats….xlsx, or
    screen/c/<cid>.html (the latest year's)."""
    return _owner_of(path, latest, "c")


def unit_of(
    path: str, committee_of: Mapping[tuple[int, str], str], years: Collection[int] | None = None
) -> Unit | Owner:
    """The unit that makes `path`. `committee_of`: (year, branch id) → committee id, for
    every branch that has a unit (a branch's year that is not there makes nothing, nor a
    committee's year without a branch in it); `years`: the site's years (default: those
    of `committee_of`)."""
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
    if found is not None:
        committee = committee_of.get(found)
        if committee is None:
            return Owner.NOWHERE
        return BranchUnit(found[0], committee, found[1])
    return _site_unit_of(path, parts, committee_of, set(years) if years is not None else {y for y, _ in committee_of})


def _site_unit_of(
    path: str, parts: list[str], committee_of: Mapping[tuple[int, str], str], years: set[int]
) -> Unit | Owner:
    latest = max(years, default=None)
    committees = {(year, cid) for (year, _), cid in committee_of.items()}
    if path == archive():
        return ARCHIVE
    if path == "search-index.js":
        return SEARCH
    if path == changes():
        return CHANGES
    if len(parts) == 4 and parts[:2] == ["changes", "c"]:
        return committee_changes_unit(parts[2]) if any(cid == parts[2] for _, cid in committees) else Owner.NOWHERE
    found = committee_of_path(path, latest)
    if found is not None:
        return committee_unit(*found) if found in committees else Owner.NOWHERE
    if path in (home(), "screen/index.html"):
        return district_unit(latest) if latest is not None else Owner.NOWHERE
    year = _year(parts[0])
    if year is not None and len(parts) >= 2:
        return district_unit(year) if year in years else Owner.NOWHERE
    return Owner.NOWHERE


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
