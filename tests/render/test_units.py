"""Which unit makes a path, whose data a page shows, and the words of each page's data
version (sitegen/render/html/urls.py, sitegen/render/versions.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sitegen.check import check
from sitegen.render.html import urls
from sitegen.render.html.urls import (
    ARCHIVE,
    CHANGES,
    SEARCH,
    BranchUnit,
    Owner,
    Scope,
    ScopeKind,
    committee_unit,
    district_unit,
)
from sitegen.render.versions import DataVersions, branch_event
from tests.support import MINI

COMMITTEES = {(2026, "b1"): "c1", (2026, "b2"): "c1", (2025, "b1"): "c1"}


def test_unit_of_every_kind_of_path():
    b1 = BranchUnit(2026, "c1", "b1")
    assert urls.unit_of("2026/b/b1/index.html", COMMITTEES) == b1
    assert urls.unit_of("2026/b/b1/m/M1.html", COMMITTEES) == b1
    assert urls.unit_of("2026/b/b1/notices/x.html", COMMITTEES) == b1
    assert urls.unit_of("2026/pdf/b/b1/quarter-1.pdf", COMMITTEES) == b1
    assert urls.unit_of("2026/xlsx/b/b1-stats2-h1.xlsx", COMMITTEES) == b1
    assert urls.unit_of("screen/b/b1.html", COMMITTEES) == b1  # the latest year's unit
    assert urls.unit_of("2025/b/b1/index.html", COMMITTEES) == BranchUnit(2025, "c1", "b1")
    # above the branches: each year's district pages, each committee's year, the archive,
    # the search index, the change log's indexes
    y2026, y2025, c1 = district_unit(2026), district_unit(2025), committee_unit(2026, "c1")
    for path in ("index.html", "2026/index.html", "2026/rankings/jiguan.html", "2026/notices/x.html"):
        assert urls.unit_of(path, COMMITTEES) == y2026, path
    for path in ("2026/xlsx/district-stats1-year.xlsx", "2026/pdf/stats2-h1.pdf", "screen/index.html"):
        assert urls.unit_of(path, COMMITTEES) == y2026, path
    assert urls.unit_of("2025/index.html", COMMITTEES) == y2025
    for path in ("2026/c/c1/index.html", "2026/c/c1/notices/x.html", "2026/xlsx/c/c1-stats1-year.xlsx"):
        assert urls.unit_of(path, COMMITTEES) == c1, path
    for path in ("2026/pdf/c/c1/stats1.pdf", "screen/c/c1.html"):  # the latest year's screen
        assert urls.unit_of(path, COMMITTEES) == c1, path
    assert urls.unit_of("2025/c/c1/index.html", COMMITTEES) == committee_unit(2025, "c1")
    assert urls.unit_of("changes.html", COMMITTEES) == CHANGES
    assert urls.unit_of("changes/c/c1/index.html", COMMITTEES) == urls.committee_changes_unit("c1")
    assert urls.unit_of("archive.html", COMMITTEES) == ARCHIVE
    assert urls.unit_of("search-index.js", COMMITTEES) == SEARCH
    for path in ("2026/c/c9/index.html", "screen/c/c9.html", "changes/c/c9/index.html", "1999/index.html", "x.html"):
        assert urls.unit_of(path, COMMITTEES) is Owner.NOWHERE, path  # no such committee, year or page
    assert urls.unit_of("2027/index.html", COMMITTEES, years=(2025, 2026, 2027)) == district_unit(2027)
    assert urls.unit_of("index.html", COMMITTEES, years=(2025, 2026, 2027)) == district_unit(2027)
    assert urls.unit_of("assets/style.css", COMMITTEES) is Owner.ASSET
    assert urls.unit_of("build-info.json", COMMITTEES) is Owner.ASSET
    assert urls.unit_of("2026/b/zz/index.html", COMMITTEES) is Owner.NOWHERE
    assert urls.unit_of("2025/b/b2/index.html", COMMITTEES) is Owner.NOWHERE  # b2 had no 2025
    assert b1.id == "branch/2026/c1/b1" and c1.id == "site/committee/2026/c1" and ARCHIVE.id == "site/archive"
    assert sorted([b1, BranchUnit(2025, "c1", "b2")])[0].year == 2025  # units order


def test_scope_of_pages():
    assert urls.scope_of("2026/b/b1/m/M1.html", 2026) == Scope(ScopeKind.BRANCH, 2026, "b1")
    assert urls.scope_of("screen/b/b1.html", 2026) == Scope(ScopeKind.BRANCH, 2026, "b1")
    assert urls.scope_of("2026/c/c1/index.html", 2026) == Scope(ScopeKind.COMMITTEE, 2026, "c1")
    assert urls.scope_of("screen/c/c1.html", 2026) == Scope(ScopeKind.COMMITTEE, 2026, "c1")
    assert urls.scope_of("2026/rankings/jiguan.html", 2026) == Scope(ScopeKind.YEAR, 2026)
    assert urls.scope_of("index.html", 2026) == Scope(ScopeKind.YEAR, 2026)
    assert urls.scope_of("archive.html", 2026) == Scope(ScopeKind.ALL)
    assert urls.scope_of("changes.html", 2026) == Scope(ScopeKind.CHANGES)
    for path in ("2026/notices/x.html", "2026/c/c1/notices/x.html", "2026/b/b1/notices/x.html"):
        assert urls.scope_of(path, 2026) == Scope(ScopeKind.NOTICE), path


def test_data_version_words():
    report = check(MINI, restricted=False, cache_dir=None, today=date(2026, 6, 1))
    years = report.years
    versions = DataVersions(years, changes_note="本页数据：截至2026年6月1日的提交 abcdef0。")
    # b1 published its first quarter: confirmed 4月6日, 公示 from 4月7日; b2 nothing yet
    assert versions.note("2026/b/b1/index.html") == "本页数据：2026年4月6日支部确认，4月7日起公示。"
    assert versions.note("2026/b/b1/m/M1.html") == versions.note("2026/b/b1/index.html")
    assert versions.note("2026/b/b2/index.html") == "本页数据：本年度尚无已公示的季度。"
    aggregate = "本页数据：截至2026年4月7日（所列支部最近一次公示）。"
    for path in ("index.html", "2026/index.html", "2026/c/c1/index.html", "archive.html", "2026/rankings/jiguan.html"):
        assert versions.note(path) == aggregate, path
    assert versions.note("changes.html") == "本页数据：截至2026年6月1日的提交 abcdef0。"
    assert versions.note("2026/notices/2026-01-01-hello.html") == ""
    assert versions.screen_time("screen/b/b1.html") == "2026年4月7日"
    assert versions.screen_time("screen/b/b2.html") == "尚无已公示的数据"

    # a later year end outranks the quarters; without a confirmation date only the 公示
    b1 = years[2026].branches["b1"]
    q1 = b1.quarters[0]
    assert q1.publicity is not None
    unconfirmed = replace(b1, quarters=(replace(q1, confirmed=None), *b1.quarters[1:]))
    event = branch_event(unconfirmed)
    assert event is not None and event.text == "2026年4月7日起公示"
    assessed = replace(b1, year_end_done=True, assessed=date(2027, 1, 5), year_end_publicity=None)
    event = branch_event(assessed)
    assert event is not None and event.text == "2027年1月5日年度评定" and event.day == date(2027, 1, 5)
