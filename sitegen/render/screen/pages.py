"""Lobby screens for every branch, committee and the district (the latest year).

Slides: 光荣榜 (优秀 of the latest year with a published year end), the latest published
quarter's ranking, the year's items, current notices, and for committees and the district
the branches' progress (the committee dashboard's cells: each quarter's state in words with
its dates or deadline, late branches first, as of the build's date). Long lists are split over as many slides as they need — fewer
rows on a landscape screen than on a portrait one — so nothing ever overflows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from sitegen.model.enums import Grade
from sitegen.model.ledger import Notice
from sitegen.model.scored import BranchYearResult, Role, YearResult, light
from sitegen.model.site import Committee, District
from sitegen.render import format as fmt
from sitegen.render.html.common import dashboard, progress
from sitegen.render.html.site_pages import filed_by
from sitegen.render.html.urls import BranchUnit
from sitegen.render.jobs import RenderJob
from sitegen.render.markdown import render as render_markdown
from sitegen.render.screen.views import ScreenView, Slide
from sitegen.render.tables import items_table, quarter_rows

ROWS = {"landscape": 8, "portrait": 17}  # table rows per slide
ITEM_ROWS = {"landscape": 6, "portrait": 12}  # item names are long and may take two lines
NAMES = {"landscape": 24, "portrait": 40}  # names per 光荣榜 slide
NAMES_WITH_BRANCH = {"landscape": 12, "portrait": 22}  # committee screens add the branch to each name
NOTICES = {"landscape": 2, "portrait": 3}
PROGRESS_ROWS = {"landscape": 5, "portrait": 9}  # each branch's row has two lines: state, then dates


class ScreenSettings:
    def __init__(self, data_time: Callable[[str], str]):
        self.data_time = data_time  # a screen's path → 数据更新时间: the date of the data it shows
        # a notice's opening words as plain text (sitegen.render.run keeps the notices' HTML
        # between builds, so that a build need not load the Markdown renderer)
        self.plain: Callable[[str], str] = plain


def branch_screen_jobs(
    s: ScreenSettings, district: District, years: dict[int, YearResult], unit: BranchUnit
) -> Iterator[RenderJob]:
    """A branch's screen goes with the branch's unit of the latest year."""
    year, bid = unit.year, unit.branch
    if not years or year != max(years):
        return
    branch = district.branch(bid)
    if branch is None:
        return
    names = district.short_names()  # (a lookup each: a walk of the district per branch grew with its square)
    honour = _latest_done(years, [bid])
    decks = {
        o: _branch_slides(o, years[year].branches[bid], honour, names, branch.notices + district.notices, s.plain)
        for o in ROWS
    }
    yield _job(s, district, f"screen/b/{bid}.html", branch.info.name, decks)


def committee_screen_jobs(
    s: ScreenSettings, district: District, years: dict[int, YearResult], cid: str, today: date | None = None
) -> Iterator[RenderJob]:
    """A committee's screen (the latest year's, with its committee unit): its branches'
    slides alone."""
    committee = district.committee(cid)
    if not years or committee is None:
        return
    current = years[max(years)]
    ids = [b.id for b in committee.branches if b.id in current.branches]
    if not ids:
        return
    # its own branches' names and 备案 (all its slides show): not the district's, which
    # every committee's screen would walk again
    names: dict[str, Any] = {b.id: b.info.short_name for b in committee.branches}
    filed = _filed((committee,), max(years))
    decks = {
        o: _org_slides(
            o,
            current,
            ids,
            _latest_done(years, ids),
            names,
            committee.notices + district.notices,
            with_names=True,
            today=today,
            filed=filed,
            plain=s.plain,
        )
        for o in ROWS
    }
    yield _job(s, district, f"screen/c/{committee.id}.html", committee.info.name, decks)


def district_screen_jobs(
    s: ScreenSettings, district: District, years: dict[int, YearResult], today: date | None = None
) -> Iterator[RenderJob]:
    """The district's screen (the latest year's, with its district unit)."""
    if not years:
        return
    year = max(years)
    current = years[year]
    ids = list(current.branches)
    decks = {
        o: _org_slides(
            o,
            current,
            ids,
            _latest_done(years, ids),
            _org_names(district),
            district.notices,
            with_names=False,
            today=today,
            filed=_filed(district.committees, year),
            plain=s.plain,
        )
        for o in ROWS
    }
    yield _job(s, district, "screen/index.html", f"{district.info.name}党员积分管理", decks)


def _org_names(district: District) -> dict[str, Any]:
    names: dict[str, Any] = {b.id: b.info.short_name for b in district.branches()}
    names["committees"] = {c.id: c.info.short_name for c in district.committees}
    return names


def _filed(committees: Iterable[Committee], year: int) -> dict[str, dict | None]:
    return {b.id: filed_by(c, year, b.id) for c in committees for b in c.branches}


def _job(s: ScreenSettings, district: District, path: str, title: str, decks) -> RenderJob:
    view = ScreenView(
        path=path,
        root="../" * path.count("/"),
        title=title,
        data_time=s.data_time(path),
        interval=district.info.screen.interval,
        hours=district.info.screen.hours,
        landscape=tuple(decks["landscape"]),
        portrait=tuple(decks["portrait"]),
    )
    return RenderJob("screen/screen.html", view, path)


def _latest_done(years: dict[int, YearResult], ids: list[str]) -> list[BranchYearResult]:
    """The results of the latest year in which these branches' year ends are all published."""
    for year in sorted(years, reverse=True):
        branches = years[year].branches
        found = [i for i in ids if i in branches]
        if found and all(light(branches, i).year_end_done for i in found):
            return [branches[i] for i in found]
    return []


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _pages(title: str, parts: list) -> list[tuple[str, list]]:
    chunks = parts
    if len(chunks) == 1:
        return [(title, chunks[0])]
    return [(f"{title}（{i}/{len(chunks)}）", chunk) for i, chunk in enumerate(chunks, start=1)]


def _honour(o: str, results: list[BranchYearResult], names: dict[str, str], with_branch: bool) -> list[Slide]:
    if not results:
        return []
    year = results[0].year
    people = [
        (r.member.name + (f"（{names.get(res.branch_id, '')}）" if with_branch else ""))
        for res in results
        for r in res.members
        if r.role is Role.SCORED and r.final_grade is Grade.EXCELLENT
    ]
    if not people:
        return []
    size, kind = (NAMES_WITH_BRANCH[o], "honour wide") if with_branch else (NAMES[o], "honour")
    return [
        Slide(kind, title, f"{year}年度评定为“优秀”的党员", names=tuple(chunk))
        for title, chunk in _pages(f"{year}年度光荣榜", _chunks(people, size))
    ]


def _ranking(o: str, result: BranchYearResult) -> list[Slide]:
    published = result.published_quarters
    if not published:
        return []
    q = published[-1]
    members, _ = quarter_rows(result, q)
    rows = [(r.rank, r.name, r.status, r.ytd[0], r.ytd[1], r.ytd[2], r.total) for r in members]
    head = ("排名", "姓名", "身份", "基础积分", "贡献加分", "违规扣分", "累计积分")
    return [
        Slide("ranking", title, f"截至{fmt.quarter(result.year, q)}，按累计积分排名", head, tuple(chunk))
        for title, chunk in _pages(f"{fmt.quarter(result.year, q)}积分排名", _chunks(rows, ROWS[o]))
    ]


def _items(o: str, result: BranchYearResult) -> list[Slide]:
    table = items_table(result)
    rows = [(i.code, i.part, i.name, i.points) for i in table.rows]
    return [
        Slide("items", title, table.caps, ("编号", "类别", "积分项目", "分值"), tuple(chunk))
        for title, chunk in _pages(f"{result.year}年积分项目", _chunks(rows, ITEM_ROWS[o]))
    ]


def _notices(o: str, notices: tuple[Notice, ...], year: int, plain: Callable[[str], str]) -> list[Slide]:
    current = sorted((n for n in notices if n.date.year == year), key=lambda n: (n.date, n.slug), reverse=True)[:6]
    paragraphs = [(f"{n.title}（{fmt.day(n.date)}）", plain(n.body)) for n in current]
    if not paragraphs:
        return []
    return [
        Slide("notices", title, paragraphs=tuple(chunk))
        for title, chunk in _pages("通知公告", _chunks(paragraphs, NOTICES[o]))
    ]


def _progress(
    o: str, current: YearResult, ids: list[str], names: dict, today: date | None, filed: dict[str, dict | None]
) -> list[Slide]:
    """Each branch's quarters and year end as the committee dashboard shows them (the same
    StepCell: state in words, the 公示/报备/备案 dates or the deadline, days late), late
    branches first; as of the build's date."""
    rows = dashboard(
        [progress(light(current.branches, bid), names.get(bid, bid), "", today, filed.get(bid)) for bid in ids]
    )
    head = ("党支部", "第一季度", "第二季度", "第三季度", "第四季度", "年度评定")
    cells = [
        (
            (p.branch.text, *(c.text for c in p.steps)),
            (p.items, *(_note(c) for c in p.steps)),
            ("late" if p.late else "", *(c.state for c in p.steps)),
        )
        for p in rows
    ]
    year = current.year
    late = sum(1 for p in rows if p.late)
    subtitle = "各支部积分管理工作进度"
    if today is not None:
        subtitle += f"（截至{fmt.day(today)}" + (f"，{late} 个支部逾期，排在前面" if late else "") + "）"
    return [
        Slide(
            "progress",
            title,
            subtitle,
            head,
            tuple(c[0] for c in chunk),
            notes=tuple(c[1] for c in chunk),
            states=tuple(c[2] for c in chunk),
        )
        for title, chunk in _pages(f"{year}年工作进度", _chunks(cells, PROGRESS_ROWS[o]))
    ]


def _note(cell) -> str:
    """A cell's dates; a late quarter also says which steps it has taken."""
    if cell.state == "late" and cell.steps:
        return f"{cell.note}；已{cell.steps}"
    return cell.note


def _branch_slides(
    o: str, result: BranchYearResult, honour, names, notices, plain: Callable[[str], str]
) -> list[Slide]:
    return (
        _honour(o, honour, names, with_branch=False)
        + _ranking(o, result)
        + _items(o, result)
        + _notices(o, notices, result.year, plain)
    ) or [Slide("empty", "暂无公示内容")]


def _org_slides(
    o: str,
    current: YearResult,
    ids: list[str],
    honour,
    names,
    notices,
    plain: Callable[[str], str],
    with_names: bool,
    today: date | None = None,
    filed: dict[str, dict | None] | None = None,
) -> list[Slide]:
    slides = _honour(o, honour, names, with_branch=True) if with_names else _honour_counts(honour, names["committees"])
    slides += _progress(o, current, ids, names, today, filed or {}) + _notices(o, notices, current.year, plain)
    return slides or [Slide("empty", "暂无公示内容")]


def _honour_counts(results: list[BranchYearResult], names: dict[str, str]) -> list[Slide]:
    """District screens: a district has too many 优秀 members to list by name; count them."""
    if not results:
        return []
    by_committee: dict[str, list[int]] = {}
    for res in results:
        counts = by_committee.setdefault(res.committee_id, [0, 0])
        counts[0] += res.stats.grades[Grade.EXCELLENT]
        counts[1] += res.stats.participants
    rows = tuple((names.get(cid, cid), str(a), str(b)) for cid, (a, b) in sorted(by_committee.items()))
    year = results[0].year
    return [
        Slide(
            "stats", f"{year}年度优秀党员", "各党(工)委评定为“优秀”的人数", ("党(工)委", "优秀", "参加积分管理"), rows
        )
    ]


_TAG = re.compile(r"<[^>]+>")


@lru_cache(maxsize=4096)  # the district's notices appear on every committee's screen
def plain(markdown_text: str, limit: int = 90) -> str:
    """A notice's opening words as plain text: rendered and sanitized first, then the tags
    dropped, so nothing the sanitizer removed (scripts, link targets) can come back as text."""
    return plain_of(render_markdown(markdown_text), limit)


def plain_of(sanitized_html: str, limit: int = 90) -> str:
    """:func:`plain` of a notice already rendered and sanitized (sitegen.render.markdown)."""
    text = " ".join(html.unescape(_TAG.sub(" ", sanitized_html)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
