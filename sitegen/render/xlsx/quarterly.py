"""各季度积分管理情况: what each 党(工)委 reports to the 区委组织部 by the end of June and of
December (policy 五(四)), and the district's own summary — from whatever is published on
the report date.

Two sheets, in the paper form's layout (sitegen.render.xlsx.form):

- 各支部: per branch and quarter ended by the report date — the dates of 汇总审核, 逐人反馈,
  确认, the 公示 period and 报备; the members listed; appeals and how many were upheld; the
  correction entries made in the quarter; on time or how late against the deadline.
- 党员积分: per member listed in the branch's latest published quarter — each published
  quarter's points, the year to date by part, the total and the rank so far. No grades:
  those are the year end's (统计表（一）（二）, due by 10 January).

The result must be scored as of the report date (`sitegen.check.check(today=…)`), so that a
公示 that began later is not in it. Reads only the scored model; no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sitegen.model.enums import Outcome
from sitegen.model.scored import BranchYearResult, Role, YearResult
from sitegen.model.site import District
from sitegen.render import format as fmt
from sitegen.render.xlsx.form import Column, number, write_form
from sitegen.render.xlsx.report import Heading, Scope
from sitegen.render.xlsx.workbook import new_workbook, workbook_bytes
from sitegen.rules.membership import quarter_status
from sitegen.rules.periods import publicity_due, quarter_end, quarter_name

HALVES = {1: (6, 30, "上半年"), 2: (12, 31, "下半年")}


def report_date(year: int, half: int) -> date:
    """The policy's dates: the end of June, the end of December."""
    month, day, _ = HALVES[half]
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of the report, as laid out on paper: the xlsx writes it with
    `write_form`, the PDF (sitegen.render.pdf) prints the same cells."""

    name: str  # the sheet's name
    heading: Heading
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    notes: tuple[str, ...]


def quarterly_tables(district: District, result: YearResult, scope: Scope, half: int, as_of: date) -> tuple[Table, ...]:
    """The report's two tables (各支部, 党员积分) for `scope`, as of the report date."""
    year = result.year
    branches = [
        (c, b)
        for c in district.committees
        if scope.kind == "district" or c.id == scope.id
        for b in c.branches
        if b.id in result.branches
    ]
    if scope.kind == "committee":
        committee = next(c for c in district.committees if c.id == scope.id)
        unit, leader, recorder = committee.info.name, committee.info.leader, committee.info.recorder
    else:
        unit, leader, recorder = district.info.organization, district.info.leader, district.info.recorder
    quarters = [q for q in (1, 2, 3, 4) if quarter_end(year, q) <= as_of]
    subtitle = f"{year}年{HALVES[half][2]}，截至{fmt.day(as_of)}已公示的情况"
    heading = Heading(
        title=f"{district.info.name}党员积分管理各季度情况",
        subtitle=subtitle,
        unit=unit,
        leader=leader,
        recorder=recorder,
        date=fmt.day(as_of),
    )
    steps = Table(
        "各支部",
        heading,
        tuple(_branch_columns(scope)),
        tuple(
            tuple(_branch_row(c.info.short_name, b.info.short_name, result.branches[b.id], q, as_of, scope))
            for c, b in branches
            for q in quarters
        ),
        (
            "说明：1. 季度积分在季度结束后 30 日内公示（第四季度在次年 1 月 10 日前）；“按期”以公示开始日期为准。",
            "2. 参加积分人数为该季度公示名单上的党员（入党积极分子参照积分，另计）；申辩含群众意见，其中“更正”为申辩成立。",
            "3. 只统计报告日期以前已经开始公示的季度；申辩理由等不公开内容不在本表。",
        ),
    )
    members = Table(
        "党员积分",
        replace(heading, title=f"{district.info.name}党员积分管理各季度党员积分情况"),
        tuple(_member_columns(scope, quarters)),
        tuple(
            tuple(row)
            for c, b in branches
            for row in _member_rows(
                c.info.short_name if scope.kind == "district" else None,
                b.info.short_name,
                result.branches[b.id],
                quarters,
            )
        ),
        (
            "说明：1. 各季度积分为该季度公示的本季度积分（基础积分 + 贡献加分 − 违规扣分）；年初至今为最近一次公示的累计。",
            "2. 排名为截至最近一次公示在本支部内的排名，同分同名次；入党积极分子参照积分，单独排名。等次在年度评定后确定，本表不列。",
        ),
    )
    return steps, members


def report_title(district: District, year: int, half: int) -> str:
    return f"{district.info.name}党员积分管理各季度情况（{year}年{HALVES[half][2]}）"


def quarterly_bytes(district: District, result: YearResult, scope: Scope, half: int, as_of: date) -> bytes:
    steps, members = quarterly_tables(district, result, scope, half, as_of)
    wb, _ = new_workbook(steps.name)
    for table in (steps, members):
        ws = wb[steps.name] if table is steps else wb.create_sheet(table.name)
        write_form(
            ws,
            table.heading,
            list(table.columns),
            [list(r) for r in table.rows],
            ["normal"] * len(table.rows),
            list(table.notes),
        )
    return workbook_bytes(wb, as_of, report_title(district, result.year, half))


def _branch_columns(scope: Scope) -> list[Column]:
    cols = [Column("", "党(工)委", "name", min_width=8, max_width=16)] if scope.kind == "district" else []
    return cols + [
        Column("", "党支部", "name", min_width=10, max_width=20),
        Column("", "季度", "text", min_width=8),
        Column("程序（日期）", "汇总审核", "text", min_width=8),
        Column("程序（日期）", "逐人反馈", "text", min_width=8),
        Column("程序（日期）", "确认", "text", min_width=8),
        Column("程序（日期）", "公示期", "text", min_width=14),
        Column("程序（日期）", "报备", "text", min_width=8),
        Column("", "参加积分人数", "int", min_width=6),
        Column("申辩、意见", "件数", "int", min_width=5),
        Column("申辩、意见", "其中更正", "int", min_width=5),
        Column("申辩、意见", "受理中", "int", min_width=5),
        Column("", "更正条目", "int", min_width=5),
        Column("", "按期情况", "text", min_width=10, max_width=24),
    ]


def _branch_row(committee: str, branch: str, res: BranchYearResult, q: int, as_of: date, scope: Scope) -> list:
    status = res.quarters[q - 1]
    p = status.publicity
    listed = sum(1 for r in res.members if len(r.quarters) >= q and r.quarters[q - 1].role is Role.SCORED)
    corrections = len({line.entry_id for r in res.members for line in r.lines if line.corrects and line.quarter == q})
    appeals = status.appeals if p is not None else ()
    due = publicity_due(res.year, q)
    if p is not None:
        timely = "按期" if p.start <= due else f"逾期 {(p.start - due).days} 天公示"
    else:
        timely = f"未公示（逾期 {(as_of - due).days} 天）" if as_of > due else f"未公示（{fmt.short_day(due)}前）"

    def day(value: date | None) -> str:  # a step taken after the report date is not in it
        return fmt.short_day(value) if value is not None and value <= as_of else ""

    cells = [committee] if scope.kind == "district" else []
    return cells + [
        branch,
        quarter_name(q),
        day(status.reviewed),
        day(status.feedback),
        day(status.confirmed),
        f"{fmt.short_day(p.start)}–{fmt.short_day(p.end)}" if p else "未公示",
        day(status.reported) if p else "",
        listed if p else None,
        len(appeals) if p else None,
        sum(1 for a in appeals if a.outcome is Outcome.CORRECTED) if p else None,
        sum(1 for a in appeals if a.outcome is None) if p else None,
        corrections if p else None,
        timely,
    ]


def _member_columns(scope: Scope, quarters: list[int]) -> list[Column]:
    cols = [Column("", "党(工)委", "name", min_width=8, max_width=16)] if scope.kind == "district" else []
    cols += [
        Column("", "党支部", "name", min_width=10, max_width=20),
        Column("", "姓名", "name", min_width=7),
        Column("", "身份", "text", min_width=8),
    ]
    cols += [Column("各季度积分", quarter_name(q), "points", min_width=6) for q in quarters]
    return cols + [
        Column("年初至今", "基础积分", "points", min_width=6),
        Column("年初至今", "贡献加分", "points", min_width=6),
        Column("年初至今", "违规扣分", "points", min_width=6),
        Column("年初至今", "累计积分", "points", min_width=6),
        Column("", "支部内排名", "int", min_width=6),
        Column("", "备注", "text", min_width=10, max_width=30),
    ]


def _member_rows(committee: str | None, branch: str, res: BranchYearResult, quarters: list[int]):
    """The cells of the members listed in the branch's latest published quarter."""
    published = res.published_quarters
    if not published:
        return
    last = max(published)
    listed = [
        r for r in res.members if len(r.quarters) >= last and r.quarters[last - 1].role in (Role.SCORED, Role.ACTIVIST)
    ]
    listed.sort(key=lambda r: (r.quarters[last - 1].role is Role.ACTIVIST, r.quarters[last - 1].rank or 0, r.member.id))
    for r in listed:
        mq = r.quarters[last - 1]
        status = quarter_status(r.member, res.year, last).value
        per_quarter = []
        for q in quarters:
            if q in published and r.quarters[q - 1].role in (Role.SCORED, Role.ACTIVIST):
                p = r.quarters[q - 1].points
                per_quarter.append(number(p.base + p.bonus - p.deduction))
            else:
                per_quarter.append(None)
        note = "一票否决" if mq.ytd.veto else ("参照积分，单独排名" if mq.role is Role.ACTIVIST else "")
        yield ([committee] if committee is not None else []) + [
            branch,
            r.member.name,
            status,
            *per_quarter,
            number(mq.ytd.base),
            number(mq.ytd.bonus),
            number(mq.ytd.deduction),
            number(mq.total),
            mq.rank,
            note,
        ]
