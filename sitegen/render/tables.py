"""Tables every renderer shows the same way (the board on screen, on paper, in a sheet):
built once from the scored model, with numbers already written as text.

Links are the caller's business: `href_of(member_id)` gives one, or "" for paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitegen.model.enums import Direction, Grade, JoinKind, Part, Status
from sitegen.model.org import Member
from sitegen.model.scored import BranchYearResult, GradedMember, Role, Stats
from sitegen.render import format as fmt
from sitegen.rules.membership import SCORING, quarter_status

PARTS = {Part.BASE: "基础积分", Part.BONUS: "贡献加分", Part.DEDUCTION: "违规扣分", Part.VETO: "一票否决"}
GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)


def _no_link(_member_id: str) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class GradeCounts:
    total: str
    participants: str
    exempt: str
    activists: str
    cells: tuple[tuple[str, str], ...]  # (count, share) for 优秀, 良好, 合格, 不合格
    final: bool
    ungraded: str = "0"  # joined during the year, too late to be graded: counted apart


@dataclass(frozen=True, slots=True)
class RankRow:
    rank: str
    name: str
    href: str
    detail: str  # branch or status
    total: str
    grade: str
    final: str = ""
    rating: str = ""
    note: str = ""
    vetoed: bool = False
    rank_committee: str = ""
    rank_district: str = ""


@dataclass(frozen=True, slots=True)
class RankTable:
    title: str
    rows: tuple[RankRow, ...]
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class ItemRow:
    code: str
    part: str
    name: str
    points: str
    cap: str
    group: str
    applies: str
    evidence: str


@dataclass(frozen=True, slots=True)
class ItemsView:
    announced: str
    posted: str
    caps: str
    method: str
    rows: tuple[ItemRow, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuarterRow:
    rank: str
    name: str
    href: str
    status: str
    points: tuple[str, str, str]  # this quarter: base, bonus, deduction
    ytd: tuple[str, str, str]
    total: str
    vetoed: bool = False


def counts(stats: Stats) -> GradeCounts:
    """The counts a page shows. The grades only once final (the year end recorded and its
    公示 begun): before that they are the engine's provisional grades of year-to-date
    totals, which include entries not yet published — no page shows them, and no view
    carries them (a theme could not show them either, and an aggregate's view does not
    change with an entry in an open quarter: sitegen.render.run.Site._aggregate_part)."""
    return GradeCounts(
        total=str(stats.total),
        participants=str(stats.participants),
        exempt=str(stats.exempt),
        activists=str(stats.activists),
        cells=tuple((str(stats.grades[g]), fmt.share(stats.share(g))) for g in GRADES) if stats.final else (),
        final=stats.final,
        ungraded=str(stats.ungraded),
    )


def items_table(result: BranchYearResult) -> ItemsView:
    s = result.scheme
    rows = tuple(
        ItemRow(
            code=i.code,
            part=PARTS[i.part],
            name=i.name,
            points=fmt.item_points(i),
            cap=fmt.points(i.cap) if i.cap is not None else "",
            group=s.groups[i.group].name if i.group in s.groups else "",
            applies="、".join(c.value for c in i.applies_to) or "全部",
            evidence=i.evidence,
        )
        for i in s.items.values()
    )
    caps = f"基础积分最高 {fmt.points(s.caps.base)} 分，贡献加分最高 {fmt.points(s.caps.bonus)} 分，总分 100 分"
    groups = tuple(
        f"{g.name}（合计最高 {fmt.points(g.cap)} 分）"
        for g in s.groups.values()
        if any(i.group == g.code for i in s.items.values())
    )
    return ItemsView(
        announced=fmt.day(s.announced) or "尚未通报",
        posted=fmt.day(s.posted) or "尚未公开",
        caps=caps,
        method=s.method.value,
        rows=rows,
        groups=groups,
    )


def quarter_rows(
    result: BranchYearResult, q: int, href_of: Callable[[str], str] = _no_link
) -> tuple[tuple[QuarterRow, ...], tuple[QuarterRow, ...]]:
    """(members, 积极分子) listed in quarter q (their role in that quarter), in rank order;
    the status shown is the one they had at the quarter's end (or when they left)."""
    rows: list[QuarterRow] = []
    activists: list[QuarterRow] = []
    listed = [r for r in result.members if r.quarters and r.quarters[q - 1].role in SCORING]
    for r in sorted(listed, key=lambda r: (r.quarters[q - 1].rank or 0, r.member.id)):
        mq = r.quarters[q - 1]
        status = quarter_status(r.member, result.year, q)
        row = QuarterRow(
            rank=str(mq.rank),
            name=r.member.name,
            href=href_of(r.member.id),
            status=status.value,
            points=(fmt.points(mq.points.base), fmt.points(mq.points.bonus), fmt.points(mq.points.deduction)),
            ytd=(fmt.points(mq.ytd.base), fmt.points(mq.ytd.bonus), fmt.points(mq.ytd.deduction)),
            total=fmt.points(mq.total),
            vetoed=mq.ytd.veto,
        )
        (activists if mq.role is Role.ACTIVIST else rows).append(row)
    return tuple(rows), tuple(activists)


def quarter_others(result: BranchYearResult, q: int, names: dict[str, str] | None = None) -> tuple[str, ...]:
    """The members listed in quarter q without points: 不纳入积分管理 (by name only: the
    reason is restricted) and 流出 (with where they are scored)."""
    out = []
    for r in result.members:
        role = r.quarters[q - 1].role if r.quarters else None
        if role is Role.EXEMPT:
            out.append(f"{r.member.name}（不纳入积分管理）")
        elif role is Role.FLOATING_OUT:
            f = r.member.floating
            where = (f.branch or f.org) if f else ""
            out.append(f"{r.member.name}（流出，由{(names or {}).get(where, where)}积分）")
    return tuple(out)


_JOINED = {
    JoinKind.ADMITTED: "入党，加入本支部",
    JoinKind.TRANSFER_IN: "转入本支部",
    JoinKind.RESTORED: "恢复党籍，加入本支部",
}
_BECAME = {Status.PROBATIONARY: "吸收为预备党员", Status.FULL: "转为正式党员", Status.ACTIVIST: "列为入党积极分子"}


def membership_events(m: Member, year: int) -> tuple[str, ...]:
    """The member's dated changes in the year, in date order, as the board publishes them.
    Every way of leaving (转出, 出党, 去世) is published neutrally as 离开本支部."""
    events: list[tuple] = []
    if m.joined is not None:
        events.append((m.joined, _JOINED.get(m.join, "加入本支部") if m.join is not None else "加入本支部"))
    events += [(c.date, _BECAME[c.status]) for c in m.changes]
    f = m.floating
    if f is not None and f.since is not None and f.since.year == year:
        events.append((f.since, "起流入本支部积分" if f.direction is Direction.IN else "起流出，由流入地党组织积分"))
    if m.exempt is not None and m.exempt.filed is not None and m.exempt.filed.year == year:
        events.append((m.exempt.filed, "起不纳入积分管理"))
    if m.left is not None:
        events.append((m.left, "离开本支部"))
    events.sort(key=lambda event: event[0])
    return tuple(f"{fmt.day(day)}{'' if text.startswith('起') else ' '}{text}" for day, text in events)


def year_end_row(r: GradedMember, href: str = "") -> RankRow:
    return RankRow(
        rank=str(r.rank),
        name=r.member.name,
        href=href,
        detail=r.member.status.value,
        total=fmt.points(r.total),
        grade=r.grade.value,
        final=r.final_grade.value if r.final_grade else "",
        rating=r.rating.value if r.rating else "",
        note="一票否决" if r.vetoed else r.final_reason,
        vetoed=r.vetoed,
        rank_committee=str(r.rank_committee) if r.rank_committee else "",
        rank_district=str(r.rank_district) if r.rank_district else "",
    )


def ungraded_rows(result: BranchYearResult) -> tuple[str, ...]:
    """Members scored here during the year but not graded by this branch, with why."""
    return tuple(f"{r.member.name}（{r.ungraded}）" for r in result.members if r.ungraded and r.role in SCORING)


def year_end_rows(
    result: BranchYearResult, href_of: Callable[[str], str] = _no_link
) -> tuple[tuple[RankRow, ...], tuple[RankRow, ...]]:
    """(members, 积极分子) graded, ranked by the year's score."""
    members: list[RankRow] = []
    activists: list[RankRow] = []
    graded = [r for r in result.members if isinstance(r, GradedMember)]
    for r in sorted(graded, key=lambda r: (r.rank or 0, r.member.id)):
        (activists if r.role is Role.ACTIVIST else members).append(year_end_row(r, href_of(r.member.id)))
    return tuple(members), tuple(activists)
