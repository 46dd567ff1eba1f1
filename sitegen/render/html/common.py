"""Pieces of view models shared by several pages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sitegen.model.ledger import Notice
from sitegen.model.scored import BranchYearResult, ScoreSummary, YearResult
from sitegen.render import format as fmt
from sitegen.render.html import urls
from sitegen.render.html.views import Link, NoticeLink, Page, Progress, StepCell
from sitegen.render.markdown import render as render_markdown
from sitegen.render.tables import counts
from sitegen.rules.periods import publicity_due, quarter_end, year_end_due

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitegen.history.model import History
    from sitegen.render.versions import DataVersions


class SiteFacts:
    """Site-wide facts every page builder needs (not per-page state). `versions` gives
    each page's footer the version of the data that page shows (never the repository's
    commit: a commit that leaves a page's data alone leaves the page alone)."""

    def __init__(
        self,
        site_name: str,
        versions: DataVersions | None,
        years: tuple[int, ...],
        extra_css: bool,
        pdf: bool = False,
        today: date | None = None,
    ):
        self.today = today  # the build's date: which deadlines have passed (None: lateness not shown)
        self.pdf = pdf  # PDFs are being made: pages link to them
        self.history: History | None = None  # the audit trail, when the build shows it
        self.history_note = ""  # why there is none
        self.site_name = site_name
        self.versions = versions
        self.years = years
        self.extra_css = extra_css
        # a notice's Markdown as sanitized HTML (sitegen.render.markdown; sitegen.render.run
        # keeps it between builds, so that a build need not load the Markdown renderer)
        self.markdown: Callable[[str], str] = render_markdown

    def page(self, path: str, title: str, crumbs: tuple[tuple[str, str], ...] = ()) -> Page:
        root = urls.root_of(path)
        links = (Link("首页", root + urls.home()),) + tuple(Link(text, root + target) for text, target in crumbs)
        return Page(
            path=path,
            title=title,
            root=root,
            crumbs=links,
            site_name=self.site_name,
            provenance=self.versions.note(path) if self.versions is not None else "",
            extra_css=self.extra_css,
        )

    def year_links(self, path: str, target, only=None) -> tuple[Link, ...]:
        """Links to the same page of every year (`only`: the years it exists in, e.g. a branch's)."""
        root = urls.root_of(path)
        return tuple(Link(f"{y}年", root + target(y)) for y in reversed(self.years) if only is None or y in only)


def progress(
    result: BranchYearResult | ScoreSummary, name: str, root: str, today: date | None = None, filed: dict | None = None
) -> Progress:
    """A branch's row on the dashboard: every quarter's steps and the year end, with the
    deadline and the days late as of `today` (the build's date; None: no lateness).
    `filed`: quarter → the committee's 审核备案 date, when the committee keeps that record
    (committees/<c>/filings/<year>.yaml); None: it does not, and 备案 is not shown."""
    scheme = result.scheme
    items = f"{fmt.short_day(scheme.announced)}通报" if scheme.announced else "未通报"
    quarters = tuple(_quarter_cell(result.year, q, today, filed) for q in result.quarters)
    year_end = _year_end_cell(result, today)
    late = max(c.late for c in (*quarters, year_end))
    return Progress(
        branch=Link(name, root + urls.branch(result.year, result.branch_id)),
        category=result.category.value,
        items=items,
        quarters=quarters,
        year_end=year_end,
        counts=counts(result.stats) if result.year_end_done else None,
        late=late,
    )


def dashboard(rows: list[Progress]) -> tuple[Progress, ...]:
    """Late branches first (the latest first), then the others in their order."""
    return tuple(sorted(rows, key=lambda p: -p.late))


def _quarter_cell(year: int, q, today: date | None, filed: dict | None = None) -> StepCell:
    steps = "，".join(
        f"{label} {fmt.short_day(day)}"
        for label, day in (("汇总审核", q.reviewed), ("逐人反馈", q.feedback), ("确认", q.confirmed))
        if day is not None
    )
    due = publicity_due(year, q.quarter)
    appeals = f"；申辩受理中 {q.undecided} 件" if q.undecided else ""
    if q.publicity is not None:
        p = q.publicity
        note = (
            f"公示 {fmt.short_day(p.start)}–{fmt.short_day(p.end)}"
            + (f"（逾期 {(p.start - due).days} 天公示）" if p.start > due else "")
            + (f"，报备 {fmt.short_day(q.reported)}" if q.reported else "")
        )
        steps = "，".join(filter(None, (steps, note)))
        if today is not None and today <= p.end:
            return StepCell(f"公示中{appeals}", "open", note, steps)
        if q.reported is None:
            return StepCell(f"已公示，待报备{appeals}", "open", note, steps)
        if filed is not None:
            day = filed.get(q.quarter)
            if day is None:
                return StepCell(f"已报备，待党(工)委备案{appeals}", "open", note, steps)
            note += f"，备案 {fmt.short_day(day)}"
            return StepCell(
                f"已报备、已备案{appeals}",
                "open" if q.undecided else "done",
                note,
                f"{steps}，备案 {fmt.short_day(day)}",
            )
        return StepCell(f"已公示、已报备{appeals}", "open" if q.undecided else "done", note, steps)
    if q.scheduled is not None:
        start = q.scheduled.start
        note = f"定于 {fmt.short_day(start)} 起公示"
        planned = "，".join(filter(None, (steps, note)))
        if today is not None and today > due:
            late = (today - due).days
            return StepCell(f"待公示，逾期 {late} 天", "late", f"{note}，期限 {fmt.short_day(due)}", steps, late)
        if start > due:  # not late yet, but it will be
            return StepCell("待公示，晚于期限", "late", f"{note}，期限 {fmt.short_day(due)}", steps)
        return StepCell("待公示", "open", note, planned)
    if today is not None and today > due:
        late = (today - due).days
        return StepCell(f"未公示，逾期 {late} 天", "late", f"期限 {fmt.short_day(due)}", steps, late)
    if today is not None and today <= quarter_end(year, q.quarter):
        return StepCell("—", "todo", "", steps)
    return StepCell("未公示", "todo", f"期限 {fmt.short_day(due)}", steps)


def _year_end_cell(result: BranchYearResult | ScoreSummary, today: date | None) -> StepCell:
    due = year_end_due(result.year)
    if result.year_end_done:
        return StepCell(f"已评定（{fmt.short_day(result.assessed)}）" if result.assessed else "已评定", "done")
    if today is not None and today > due:
        late = (today - due).days
        return StepCell(f"未评定，逾期 {late} 天", "late", f"期限 {fmt.short_day(due)}", late=late)
    if today is not None and today < quarter_end(result.year, 4):
        return StepCell("—", "todo")
    return StepCell("未评定", "todo", f"期限 {fmt.short_day(due)}")


def screen_links(district, result: YearResult, root: str) -> tuple[tuple[Link, tuple[Link, ...]], ...]:
    """The lobby screens of the year's committees and branches, by name (home page)."""
    out = []
    for committee in district.committees:
        branches = tuple(
            Link(b.info.short_name, f"{root}screen/b/{b.id}.html")
            for b in committee.branches
            if b.id in result.branches
        )
        if branches:
            out.append((Link(committee.info.short_name, f"{root}screen/c/{committee.id}.html"), branches))
    return tuple(out)


def notice_links(
    notices: tuple[Notice, ...], year: int, root: str, cid: str = "", bid: str = ""
) -> tuple[NoticeLink, ...]:
    return tuple(
        NoticeLink(title=n.title, date=fmt.day(n.date), href=root + urls.notice(year, n.slug, cid, bid))
        for n in notices
        if n.date.year == year
    )


def download_links(ctx: SiteFacts, docs, root: str, sheets=()) -> tuple[Link, ...]:
    """Links to the printable documents (PDFs, when this build makes them) and spreadsheets."""
    shown = (tuple(docs) if ctx.pdf else ()) + tuple(sheets)
    return tuple(Link(d.label, root + d.path) for d in shown)


def change_row(change, what: str, branch: Link | None = None):
    """A row of the audit trail from a sitegen.history Change (dates are the main line's)."""
    from sitegen.render.html.views import ChangeRow

    merge = f"{change.merge.short}（{change.merger} 合并）" if change.merge else "—"
    return ChangeRow(
        date=fmt.day(change.landed.date()),
        author=change.commit.author,
        subject=change.commit.subject,
        commit=change.commit.short,
        merge=merge,
        what=what,
        branch=branch,
    )
