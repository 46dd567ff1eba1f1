"""What goes into each 统计表, read from the scored model (no layout here).

A report covers one scope (the district, a committee or a branch) and one period:

- ``h1``   上半年 — the half-year report due by the end of June: the year to date after
  the second quarter. A branch's points are in it once its first and second quarters
  are published (公示 started). Grades are a year-end matter (a half year's points are
  far below the annual thresholds), so the half-year forms show the members, the
  quarters' publication and each member's points and rank so far — no grades.
- ``year`` 年度 — the annual report: the year's score, the grades and the 综合评定
  (final grade), once the branch has recorded its year end.

Only published data goes into a report: a branch that has not reached the period is
listed as pending, with nothing but its name and why, and its numbers stay out of the
totals. Every number is the rules engine's (`Stats`, `combine`, the members' results);
nothing here adds up points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sitegen.model.enums import Direction
from sitegen.model.scored import (
    BranchYearResult,
    GradedMember,
    MemberResult,
    Role,
    ScoredMember,
    ScoreSummary,
    Stats,
    YearResult,
    light,
    without_grade,
)
from sitegen.model.site import Branch, Committee, District
from sitegen.render import format as fmt
from sitegen.rules.stats import combine

H1 = "h1"
YEAR = "year"
PERIODS = (H1, YEAR)


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # h1 | year
    year: int
    title: str  # the subtitle, under the title that names the period: 第一、二季度累计
    short: str  # 上半年 | 年度
    label: str  # in the form's title: 2026年上半年 | 2025年度
    quarter: int  # the last quarter it covers
    pending: str  # why a branch is not in it yet


def period(key: str, year: int) -> Period:
    if key == H1:
        return Period(
            H1,
            year,
            "第一、二季度累计",
            "上半年",
            f"{year}年上半年",
            2,
            "第一、二季度积分尚未全部公示",
        )
    if key == YEAR:
        return Period(YEAR, year, f"{year}年1月至12月，年度综合评定", "年度", f"{year}年度", 4, "年度综合评定尚未完成")
    raise ValueError(f"unknown period {key!r}")


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose report: the district, one committee or one branch."""

    kind: str  # district | committee | branch
    id: str = ""


DISTRICT = Scope("district")


@dataclass(frozen=True, slots=True)
class Heading:
    """The lines of the paper form above the table."""

    title: str  # ×区2025年度党员积分管理情况统计表（一）: the district and the period
    subtitle: str  # the period
    unit: str  # 单位
    leader: str  # 党组织负责人
    recorder: str  # 填表人
    date: str  # 日期 (as written), "" when the caller gave none


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One line of 统计表（一）. `stats` is None for a branch not yet in the period."""

    unit: str
    level: str  # committee | branch | total
    stats: Stats | None
    note: str = ""
    published: tuple[str, ...] = ()  # half year: when Q1 and Q2 were published (公示 start)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One line of 统计表（二）. Points are the engine's, for the period; None: not scored."""

    branch: str
    name: str
    category: str
    status: str
    base: Decimal | None = None
    bonus: Decimal | None = None
    deduction: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    grade: str = ""
    rating: str = ""
    final: str = ""
    note: str = ""
    pending: bool = False  # a placeholder for a branch not yet in the period
    category_rank: int | None = None  # 分类排名 across the committee or the district (their forms only)


@dataclass(frozen=True, slots=True)
class Report:
    heading: Heading
    period: Period
    scope: Scope
    stats_rows: tuple[StatsRow, ...]
    member_rows: tuple[MemberRow, ...]
    stamp: date  # the latest data date in the report: the workbook's created/modified date


def available(bres: BranchYearResult | ScoreSummary, key: str) -> bool:
    if key == H1:
        return bres.quarters[0].published and bres.quarters[1].published
    return bres.year_end_done


def _stamp(bres: BranchYearResult | ScoreSummary, key: str) -> date | None:
    if key == H1:
        starts = [q.publicity.start for q in bres.quarters[:2] if q.publicity is not None]
        return max(starts) if starts else None
    return bres.assessed


def as_of(r: MemberResult, key: str) -> MemberResult:
    """The member's result as the period's report shows it: for the half year, the
    engine's year to date and rank after the second quarter, and no grades yet."""
    if key == YEAR or not isinstance(r, ScoredMember):
        return r
    mq = r.quarters[1]
    return without_grade(r, total=mq.total, vetoed=mq.ytd.veto, rank=mq.rank, rank_committee=None, rank_district=None)


def _branches_in(district: District, result: YearResult, scope: Scope) -> list[tuple[Committee, Branch]]:
    if scope.kind == "branch":  # a lookup, not a walk of the district (done for every branch)
        branch = district.branch(scope.id)
        committee = district.committee(branch.committee_id) if branch is not None else None
        if committee is None or branch is None or branch.id not in result.branches:
            return []
        return [(committee, branch)]
    out = []
    for committee in district.committees:
        if scope.kind == "committee" and committee.id != scope.id:
            continue
        for branch in committee.branches:
            if scope.kind == "branch" and branch.id != scope.id:
                continue
            if branch.id in result.branches:
                out.append((committee, branch))
    return out


RowsOf = Callable[[Branch, Callable[[], tuple[MemberRow, ...]]], tuple[MemberRow, ...]]


def build_report(
    district: District,
    result: YearResult,
    key: str,
    scope: Scope,
    form: int,
    report_date: date | None = None,
    rows_of: RowsOf | None = None,
) -> Report | None:
    """The report for `scope` and period `key`, or None when it has nothing to show yet
    (a branch before its period; a committee or the district with no branch in it).
    `rows_of(branch, make)`: a branch's rows of 统计表（二）, `make()` or the same rows kept
    from an earlier build (sitegen.render.pieces)."""
    per = period(key, result.year)
    pairs = _branches_in(district, result, scope)
    ready = [(c, b) for c, b in pairs if available(light(result.branches, b.id), key)]
    if not ready:
        return None
    heading = _heading(district, pairs, scope, form, per, report_date)
    stamps = [s for _, b in ready if (s := _stamp(light(result.branches, b.id), key)) is not None]
    stamp = max(stamps) if stamps else date(2000, 1, 1)
    return Report(
        heading=heading,
        period=per,
        scope=scope,
        stats_rows=tuple(_stats_rows(district, result, pairs, scope, key)) if form == 1 else (),
        member_rows=tuple(_member_rows(district, result, pairs, key, scope, rows_of)) if form == 2 else (),
        stamp=stamp,
    )


def _heading(district: District, pairs, scope: Scope, form: int, per: Period, report_date) -> Heading:
    title = f"{district.info.name}{per.label}党员积分管理情况统计表（{'一' if form == 1 else '二'}）"
    if scope.kind == "branch":
        _, branch = pairs[0]
        unit, leader, recorder = branch.info.name, branch.info.leader, branch.info.recorder
    elif scope.kind == "committee":
        committee = pairs[0][0]
        unit, leader, recorder = committee.info.name, committee.info.leader, committee.info.recorder
    else:
        unit, leader, recorder = district.info.organization, district.info.leader, district.info.recorder
    return Heading(
        title=title, subtitle=per.title, unit=unit, leader=leader, recorder=recorder, date=fmt.day(report_date)
    )


def _stats_rows(district: District, result: YearResult, pairs, scope: Scope, key: str):
    """Branch rows; in a committee's report a 合计; in the district's, each committee's
    subtotal above its branches and a 合计 at the end. Totals combine the rows shown.

    Year: a branch without its year end shows only its name and why. Half year: the
    counts of members are the roster's and every branch shows them, with the dates its
    first and second quarters were published."""
    per = period(key, result.year)
    rows_of: dict[str, list[StatsRow]] = {}
    order: list[Committee] = []
    for committee, branch in pairs:
        bres = light(result.branches, branch.id)  # quarters and stats: from the summary if not read
        if committee not in order:
            order.append(committee)
        ok = available(bres, key)
        if key == H1:
            row = StatsRow(
                unit=branch.info.short_name,
                level="branch",
                stats=roster_counts(bres.stats),
                note="" if ok else per.pending,
                published=tuple(_published(q) for q in bres.quarters[:2]),
            )
        else:
            row = StatsRow(
                unit=branch.info.short_name,
                level="branch",
                stats=bres.stats if ok else None,
                note="" if ok else per.pending,
            )
        rows_of.setdefault(committee.id, []).append(row)
    if scope.kind == "branch":
        yield from rows_of[pairs[0][0].id]
        return
    for committee in order:
        if scope.kind == "district":
            yield _total(committee.info.short_name, "committee", rows_of[committee.id], key, per)
        yield from rows_of[committee.id]
    yield _total("合计", "total", [r for c in order for r in rows_of[c.id]], key, per)


def roster_counts(stats: Stats) -> Stats:
    """The half year's counts: the roster's (members, participants, exempt), without the
    provisional grades the half-year form does not show (they would move with entries of
    quarters not yet published)."""
    return replace(stats, grades=dict.fromkeys(stats.grades, 0))


def _published(q) -> str:
    return fmt.short_day(q.publicity.start) if q.publicity is not None else "未公示"


def _total(unit: str, level: str, rows: list[StatsRow], key: str, per: Period) -> StatsRow:
    shown = [r.stats for r in rows if r.stats is not None]
    if key == H1:
        published = tuple(f"{sum(1 for r in rows if r.published[i] != '未公示')}/{len(rows)}个支部" for i in range(2))
        return StatsRow(unit=unit, level=level, stats=combine(shown), published=published)
    pending = len(rows) - len(shown)
    return StatsRow(
        unit=unit,
        level=level,
        stats=combine(shown) if shown else None,
        note=f"不含{pending}个支部（{per.pending}）" if pending else "",
    )


def _member_rows(district: District, result: YearResult, pairs, key: str, scope: Scope = DISTRICT, rows_of=None):
    names = district.short_names()
    for _committee, branch in pairs:

        def make(branch: Branch = branch) -> tuple[MemberRow, ...]:
            return tuple(branch_rows(result.branches[branch.id], branch, key, scope, names))

        yield from (rows_of(branch, make) if rows_of is not None else make())


def branch_rows(bres: BranchYearResult, branch: Branch, key: str, scope: Scope, names: dict[str, str]):
    """A branch's rows of 统计表（二） for period `key` in a report of `scope` (its kind: the
    category rank shown is the committee's or the district's)."""
    per = period(key, bres.year)
    short = branch.info.short_name
    if not available(bres, key):
        yield MemberRow(branch=short, name="", category="", status="", note=per.pending, pending=True)
        return
    shown = [as_of(r, key) for r in bres.members if r.role is not Role.FLOATING_OUT]
    order = {r.member.id: i for i, r in enumerate(shown)}
    ranked = sorted(shown, key=lambda r: (_role_order(r.role), r.rank or 0, order[r.member.id]))
    for r in ranked:
        row = _member_row(r, short, key, names)
        if key == YEAR and scope.kind != "branch":
            # by category across the committee's or the district's branches (policy 四(二)4)
            row = replace(row, category_rank=r.rank_committee if scope.kind == "committee" else r.rank_district)
        yield row


def _role_order(role: Role) -> int:
    return {Role.SCORED: 0, Role.ACTIVIST: 1, Role.EXEMPT: 2}.get(role, 3)


def _member_row(r: MemberResult, branch: str, key: str, names: dict[str, str]) -> MemberRow:
    status = r.member.status.value
    if not isinstance(r, ScoredMember):  # 不纳入积分管理 (those floated out are not listed)
        return MemberRow(
            branch=branch, name=r.member.name, category=r.category.value, status=status, note="不纳入积分管理"
        )
    parts = r.quarters[per_quarter(key) - 1].ytd
    notes = []
    if r.vetoed:
        notes.append("一票否决")
    if r.role is Role.ACTIVIST:
        notes.append("参照积分，单独排名")
    floating = r.member.floating
    if floating is not None and floating.direction is Direction.IN:
        notes.append(f"流入党员（来自{names.get(r.floating_from, r.floating_from)}）")
    if (
        key == YEAR
        and isinstance(r, GradedMember)
        and r.final_grade is not None
        and r.final_grade is not r.grade
        and r.final_reason
    ):
        notes.append(r.final_reason)
    return MemberRow(
        branch=branch,
        name=r.member.name,
        category=r.category.value,
        status=status,
        base=parts.base,
        bonus=parts.bonus,
        deduction=parts.deduction,
        total=r.total,
        rank=r.rank,
        grade=r.grade.value if isinstance(r, GradedMember) else "",
        rating=r.rating.value if r.rating else "",
        final=r.final_grade.value if r.final_grade else "",
        note="；".join(notes),
    )


def per_quarter(key: str) -> int:
    return 2 if key == H1 else 4
