"""Lobby screens for every branch, committee and the district (the latest year).

Slides: 光荣榜 (优秀 of the latest year with a published year end), the latest published
quarter's ranking, the year's items, current notices, and for committees and the district
the branches' progress. Long lists are split over as many slides as they need — fewer
rows on a landscape screen than on a portrait one — so nothing ever overflows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from sitegen.model.enums import Grade
from sitegen.model.ledger import Notice
from sitegen.model.scored import BranchYearResult, Role, YearResult
from sitegen.model.site import District
from sitegen.render import format as fmt
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


class ScreenSettings:
    def __init__(self, data_time: Callable[[str], str]):
        self.data_time = data_time  # a screen's path → 数据更新时间: the date of the data it shows


def branch_screen_jobs(
    s: ScreenSettings, district: District, years: dict[int, YearResult], unit: BranchUnit
) -> Iterator[RenderJob]:
    """A branch's screen goes with the branch's unit of the latest year."""
    year, bid = unit.year, unit.branch
    if not years or year != max(years):
        return
    branch = next(b for b in district.branches() if b.id == bid)
    names = {b.id: b.info.short_name for b in district.branches()}
    honour = _latest_done(years, [bid])
    decks = {
        o: _branch_slides(o, years[year].branches[bid], honour, names, branch.notices + district.notices) for o in ROWS
    }
    yield _job(s, district, f"screen/b/{bid}.html", branch.info.name, decks)


def screen_jobs(s: ScreenSettings, district: District, years: dict[int, YearResult]) -> Iterator[RenderJob]:
    """The committees' and the district's screens (they depend on every branch)."""
    if not years:
        return
    year = max(years)
    current = years[year]
    names = {b.id: b.info.short_name for b in district.branches()}
    names["committees"] = {c.id: c.info.short_name for c in district.committees}
    for committee in district.committees:
        ids = [b.id for b in committee.branches if b.id in current.branches]
        if ids:
            decks = {
                o: _org_slides(
                    o,
                    current,
                    ids,
                    _latest_done(years, ids),
                    names,
                    committee.notices + district.notices,
                    with_names=True,
                )
                for o in ROWS
            }
            yield _job(s, district, f"screen/c/{committee.id}.html", committee.info.name, decks)
    ids = list(current.branches)
    decks = {
        o: _org_slides(o, current, ids, _latest_done(years, ids), names, district.notices, with_names=False)
        for o in ROWS
    }
    yield _job(s, district, "screen/index.html", f"{district.info.name}党员积分管理", decks)


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
        found = [years[year].branches[i] for i in ids if i in years[year].branches]
        if found and all(r.year_end_done for r in found):
            return found
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


def _notices(o: str, notices: tuple[Notice, ...], year: int) -> list[Slide]:
    current = sorted((n for n in notices if n.date.year == year), key=lambda n: (n.date, n.slug), reverse=True)[:6]
    paragraphs = [(f"{n.title}（{fmt.day(n.date)}）", _plain(n.body)) for n in current]
    if not paragraphs:
        return []
    return [
        Slide("notices", title, paragraphs=tuple(chunk))
        for title, chunk in _pages("通知公告", _chunks(paragraphs, NOTICES[o]))
    ]


def _progress(o: str, current: YearResult, ids: list[str], names: dict[str, str]) -> list[Slide]:
    rows = []
    for bid in ids:
        r = current.branches[bid]
        rows.append(
            (
                names.get(bid, bid),
                r.category.value,
                "已通报" if r.scheme.announced else "未通报",
                *("✓" if q.published else "—" for q in r.quarters),
                "已完成" if r.year_end_done else "—",
            )
        )
    head = ("党支部", "类别", "积分项目", "一季度", "二季度", "三季度", "四季度", "年度评定")
    year = current.year
    return [
        Slide("progress", title, "各支部积分管理工作进度", head, tuple(chunk))
        for title, chunk in _pages(f"{year}年工作进度", _chunks(rows, ROWS[o]))
    ]


def _branch_slides(o: str, result: BranchYearResult, honour, names, notices) -> list[Slide]:
    return (
        _honour(o, honour, names, with_branch=False)
        + _ranking(o, result)
        + _items(o, result)
        + _notices(o, notices, result.year)
    ) or [Slide("empty", "暂无公示内容")]


def _org_slides(o: str, current: YearResult, ids: list[str], honour, names, notices, with_names: bool) -> list[Slide]:
    slides = _honour(o, honour, names, with_branch=True) if with_names else _honour_counts(honour, names["committees"])
    slides += _progress(o, current, ids, names) + _notices(o, notices, current.year)
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
def _plain(markdown_text: str, limit: int = 90) -> str:
    """A notice's opening words as plain text: rendered and sanitized first, then the tags
    dropped, so nothing the sanitizer removed (scripts, link targets) can come back as text."""
    text = " ".join(html.unescape(_TAG.sub(" ", render_markdown(markdown_text))).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
