"""Which published numbers a pull request would alter, and what a newcomer brings.

SPEC 2.9: once a quarter's 公示 has started, its public numbers change only through
correction entries made after it (which count in a later quarter, so they leave the
published table as it was). The reviewer is shown every number of every started 公示
that differs between base and head — whatever the cause: an entry, the roster, a scheme
layer, a quarter record. The tables are the rules engine's (`sitegen.rules.published`),
the same that `check`'s history checks compare, so the review and the check agree on
what "published" means.

Only base decides which 公示 had started, so a pull request cannot escape the comparison
by un-publishing a quarter; withdrawing or re-dating a started 公示 is itself listed (as
the 公示's start, old → new, with no member).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from sitegen.check import Report
from sitegen.model.scored import BranchYearResult, MemberResult, Results, ScoredMember
from sitegen.model.site import BranchYear
from sitegen.rules.published import YEAR_END, Row, quarter_role, row_changes, table

LISTED = "列出"
PUBLICITY = "公示开始日期"  # a started 公示 withdrawn (new: None) or re-dated


@dataclass(frozen=True, slots=True)
class PublishedChange:
    """One public number of a started 公示 that head shows otherwise than base."""

    committee: str
    branch: str
    branch_name: str
    year: int
    quarter: int  # 1–4, or YEAR_END (5)
    start: date  # the 公示's start, at base
    member: str
    name: str
    what: str  # 累计总分, 排名, 列出 …
    old: object  # None: not listed / no value
    new: object


@dataclass(frozen=True, slots=True)
class NewcomerQuarter:
    quarter: int
    listed: bool  # shown in that quarter's table at all
    points: tuple[Decimal, Decimal, Decimal] | None  # base, bonus, deduction the quarter added; None: not scored
    veto: bool = False
    published: bool = False  # that quarter's 公示 had started at base


@dataclass(frozen=True, slots=True)
class Newcomer:
    """A member on head's roster who was not on base's: their points in every quarter,
    so that a November newcomer with Q1–Q3 points stands out."""

    year: int
    member: str
    name: str
    role: str
    quarters: tuple[NewcomerQuarter, ...]
    total: Decimal | None


def started(by: BranchYear | None, today: date) -> dict[int, date]:
    """Quarter (or YEAR_END) → 公示 start, for the 公示 that had started by `today`."""
    if by is None:
        return {}
    out = {
        q: r.publicity.start
        for q, r in sorted(by.quarters.items())
        if r.publicity is not None and r.publicity.start <= today
    }
    ye = by.year_end
    if ye is not None and ye.publicity is not None and ye.publicity.start <= today:
        out[YEAR_END] = ye.publicity.start
    return out


def published_changes(base: Report, head: Report, today: date) -> list[PublishedChange]:
    d0, d1 = base.loaded.district, head.loaded.district
    if d0 is None:
        return []
    out: list[PublishedChange] = []
    for branch in d0.branches():
        later = d1.branch(branch.id) if d1 is not None else None
        for year, by in sorted(branch.years.items()):
            quarters = started(by, today)
            if not quarters:
                continue
            same = same_result(base, head, year, branch.id)  # then neither is read
            old = None if same else result_of(base, year, branch.id)
            new = None if same else result_of(head, year, branch.id)
            if old is None and not same:
                continue  # base could not score it (its own errors): nothing published to compare with
            names = {m.id: str(m.name) for m in by.members}
            if later is not None and year in later.years:
                names |= {m.id: str(m.name) for m in later.years[year].members}
            name = (later or branch).info.short_name
            now = started(later.years.get(year) if later is not None else None, date.max)
            for quarter, start in quarters.items():
                # branch, year and quarter of every change found below
                change = partial(PublishedChange, branch.committee_id, branch.id, name, year, quarter, start)
                if now.get(quarter) != start:
                    out.append(change("", "", PUBLICITY, start, now.get(quarter)))
                if old is None or new is old:
                    continue  # the very same result, unread (`same`) or read: a branch the change did not touch
                before = table(old, quarter)
                after = table(new, quarter) if new is not None else {}
                for mid in [*before, *(m for m in after if m not in before)]:
                    for what, a, b in _row_changes(before.get(mid), after.get(mid), quarter):
                        out.append(change(mid, names.get(mid, mid), what, a, b))
    return out


def same_result(base: Report, head: Report, year: int, branch: str) -> bool:
    """Whether both versions hold the very same remembered, unread result of the branch's
    year (sitegen.model.scored.Results.same_unread): a branch the change did not touch."""
    a, b = base.years.get(year), head.years.get(year)
    return (
        a is not None
        and b is not None
        and isinstance(a.branches, Results)
        and a.branches.same_unread(branch, b.branches)
    )


def result_of(report: Report, year: int, branch: str) -> BranchYearResult | None:
    result = report.years.get(year)
    return result.branches.get(branch) if result is not None else None


def _row_changes(old: Row | None, new: Row | None, quarter: int) -> list[tuple[str, object, object]]:
    if old is None or new is None:
        return [(LISTED, old is not None, new is not None)]
    return row_changes(old, new, quarter)


def newcomers(base: Report, head: Report, branch_id: str, today: date) -> tuple[Newcomer, ...]:
    d0, d1 = base.loaded.district, head.loaded.district
    later = d1.branch(branch_id) if d1 is not None else None
    if later is None:
        return ()
    earlier = d0.branch(branch_id) if d0 is not None else None
    out = []
    for year, _by in sorted(later.years.items()):
        before = earlier.years.get(year) if earlier is not None else None
        if before is None:
            continue  # a new branch year: every member is new, nothing of it was published
        if same_result(base, head, year, branch_id):
            continue  # the same files: the same roster, nobody new
        known = {m.id for m in before.members}
        result = result_of(head, year, branch_id)
        if result is None:
            continue
        published = started(before, today)
        for r in result.members:
            if r.member.id not in known:
                out.append(
                    Newcomer(
                        year,
                        r.member.id,
                        str(r.member.name),
                        r.role.value,
                        _quarters(r, published),
                        r.total if isinstance(r, ScoredMember) else None,
                    )
                )
    return tuple(out)


def _quarters(r: MemberResult, published: dict[int, date]) -> tuple[NewcomerQuarter, ...]:
    out = []
    for q in (1, 2, 3, 4):
        role = quarter_role(r, q)
        mq = r.quarters[q - 1] if len(r.quarters) >= q else None
        points = (mq.points.base, mq.points.bonus, mq.points.deduction) if mq is not None and r.scored else None
        out.append(
            NewcomerQuarter(
                q, role is not None, points if role is not None else None, bool(mq and mq.points.veto), q in published
            )
        )
    return tuple(out)
