"""Scoring one branch's year: the heart of the rules engine. Pure: model in, numbers out.

Glossary (policy term → name here): 基础积分 base, 贡献加分 bonus, 违规扣分 deduction,
一票否决 veto, 年度积分 total, 等次 grade, 综合评定 final grade, 民主测评 rating.

How points flow (SPEC 2.3–2.6):
1. Every ledger entry gives each member it covers the entry's points for its item, in
   the quarter of the entry's date. A correction entry takes back the points of the
   entry it corrects and gives its own instead (nothing, when it voids). It counts in the
   corrected entry's quarter if that quarter's 公示 had not started when the correction
   was made, otherwise in the quarter of its own date (the published record stays as
   published; the change shows where it was made).
2. Per member and item the year-to-date sum is held within 0 and the item's yearly cap;
   items in a group share the group's cap; base and bonus are held within their part
   caps; total = clamp(base + bonus − deduction, 0, 100).
3. A quarter's points are what the quarter added to the year to date, so the four
   quarters add up to the year.
4. Scheme option 四季度平均: each quarter is scored on its own (caps per quarter) and
   the year is the mean of the four quarter scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sitegen.model.enums import Category, Direction, Grade, Method, Part, Status
from sitegen.model.ledger import Entry, Period
from sitegen.model.org import Member
from sitegen.model.scheme import Item, PartialYear, Scheme
from sitegen.model.scored import (
    ZERO,
    BranchYearResult,
    GradedMember,
    LedgerLine,
    MemberQuarter,
    MemberResult,
    Parts,
    QuarterStatus,
    Role,
    ScoredMember,
    UnscoredMember,
    with_grade,
)
from sitegen.model.site import BranchYear
from sitegen.rules.grades import grade_of, rank_key
from sitegen.rules.membership import SCORING, quarter_role, role_on, too_short, year_role
from sitegen.rules.periods import QUARTERS, quarter_of
from sitegen.rules.rank import competition_ranks
from sitegen.rules.stats import branch_stats

HUNDRED = Decimal(100)
DEFAULT_PARTIAL_YEAR = PartialYear()  # frozen: one default serves every call
CENT = Decimal("0.01")


def role_of(member: Member) -> Role:
    """The role from the roster line's undated fields alone (the status on 1 January).
    Scoring uses sitegen.rules.membership, which knows the dates."""
    if member.exempt is not None:
        return Role.EXEMPT
    if member.floating is not None and member.floating.direction is Direction.OUT:
        return Role.FLOATING_OUT
    if member.status is Status.ACTIVIST:
        return Role.ACTIVIST
    return Role.SCORED


LEFT_NOTE = "年内离开本支部，不参加本支部年度评定"
JOINED_NOTE = "年内加入，不参加本年度评定"
FLOATED_IN_NOTE = "年内流入，不参加本年度评定"


def score_branch_year(
    branch_id: str,
    committee_id: str,
    category: Category,
    scheme: Scheme,
    by: BranchYear,
    partial_year: PartialYear = DEFAULT_PARTIAL_YEAR,
    as_of: date | None = None,
) -> BranchYearResult:
    """`as_of` is the build's date: a 公示 (of a quarter, of the year end) shows from its
    start on (None: every recorded 公示 shows). The numbers never depend on it.

    Membership over time (sitegen.rules.membership): an entry counts for a member only
    if the branch scored them on its date; each quarter lists the members it had then,
    in the role they had at its end; the year grades those still here on 31 December
    who were here long enough (`partial_year`, a district setting)."""
    quarter_roles = {m.id: tuple(quarter_role(m, by.year, q) for q in QUARTERS) for m in by.members}
    raw, vetoes, lines = _contributions(scheme, by, _Scoring(by.members))

    results: dict[str, MemberResult] = {}
    for member in by.members:
        role = year_role(member, by.year) or role_of(member)
        floating = member.floating
        quarters = _member_quarters(scheme, raw.get(member.id, {}), vetoes.get(member.id, [0] * 4))
        quarters = tuple(replace(mq, role=r) for mq, r in zip(quarters, quarter_roles[member.id]))
        if role not in SCORING:
            results[member.id] = UnscoredMember(
                member=member,
                role=role,
                category=category,
                quarters=quarters,
                lines=tuple(lines.get(member.id, ())),
                scored_at=(floating.branch or floating.org) if role is Role.FLOATING_OUT and floating else "",
            )
            continue
        total = quarters[-1].total
        vetoed = quarters[-1].ytd.veto
        floating_from = ""
        if floating is not None and floating.direction is Direction.IN:
            floating_from = floating.branch or floating.org
        ungraded = _ungraded(member, by.year, partial_year)
        scored = ScoredMember(
            member=member,
            role=role,
            category=category,
            quarters=quarters,
            total=total,
            vetoed=vetoed,
            lines=tuple(lines.get(member.id, ())),
            floating_from=floating_from,
            items=item_points(scheme, raw.get(member.id, {})),
            ungraded=ungraded,
        )
        results[member.id] = scored if ungraded else with_grade(scored, grade_of(total, vetoed))

    results = _rank_within_branch(results)
    results = _final_grades(results, by)
    members = tuple(results[m.id] for m in by.members)
    statuses = tuple(_quarter_status(by, q, as_of) for q in QUARTERS)
    year_end_publicity = by.year_end.publicity if by.year_end else None
    started = year_end_publicity is None or _started(year_end_publicity, as_of)
    year_end_done = by.year_end is not None and by.year_end.assessed is not None and started
    return BranchYearResult(
        branch_id=branch_id,
        committee_id=committee_id,
        year=by.year,
        category=category,
        scheme=scheme,
        members=members,
        quarters=statuses,
        stats=branch_stats(members, final=year_end_done),
        year_end_done=year_end_done,
        assessed=by.year_end.assessed if by.year_end else None,
        year_end_publicity=year_end_publicity if started else None,
    )


def day_phase(by: BranchYear, as_of: date | None) -> tuple[bool, ...] | None:
    """All that :func:`score_branch_year` reads of the build's date `as_of`: whether each of
    the year's 公示 (each quarter record's, the year end's) has begun. Two dates with the
    same phase give the same score, so a remembered score is kept from one day to the next
    (sitegen.rules.district) until a 公示 begins."""
    if as_of is None:
        return None
    publicities = [record.publicity for q in QUARTERS if (record := by.quarters.get(q)) is not None]
    publicities.append(by.year_end.publicity if by.year_end else None)
    return tuple(p is not None and _started(p, as_of) for p in publicities)


def _started(publicity: Period, as_of: date | None) -> bool:
    return as_of is None or publicity.start <= as_of


def _ungraded(member: Member, year: int, partial_year: PartialYear) -> str:
    """Why a member scored here gets no grade from this branch this year ('' if graded)."""
    if member.left is not None and member.left.year == year:
        return LEFT_NOTE
    if too_short(member, year, partial_year.months):
        f = member.floating
        late_float = (
            f is not None
            and f.direction is Direction.IN
            and f.since is not None
            and (member.joined is None or f.since > member.joined)
        )
        return FLOATED_IN_NOTE if late_float else JOINED_NOTE
    return ""


class _Scoring:
    """Whether the branch scored a member (as member or 积极分子) on a day. Most roster
    lines carry no dates: their answer is the same all year and is looked up once."""

    def __init__(self, members: tuple[Member, ...]):
        self._static: dict[str, bool] = {}
        self._dated: dict[str, Member] = {}
        for m in members:
            if m.joined or m.left or m.changes or (m.floating and m.floating.since) or (m.exempt and m.exempt.filed):
                self._dated[m.id] = m
            else:
                self._static[m.id] = role_of(m) in SCORING
        self._memo: dict[tuple[str, object], bool] = {}

    def on(self, member_id: str, day: date) -> bool:
        static = self._static.get(member_id)
        if static is not None:
            return static
        m = self._dated.get(member_id)
        if m is None:
            return False
        key = (member_id, day)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = role_on(m, day) in SCORING
        return found


def effective_quarter(correction: Entry, target: Entry, by: BranchYear) -> int:
    """The quarter a correction counts in (see the module docstring, step 1)."""
    own = quarter_of(correction.date) if correction.date.year == by.year else 4
    target_q = quarter_of(target.date)
    record = by.quarters.get(target_q)
    if record is None or record.publicity is None or record.publicity.start > correction.date:
        return target_q
    return max(own, target_q)


def _entry_points(scheme: Scheme, entry: Entry) -> Decimal:
    if entry.points is not None:
        return entry.points
    item = scheme.items.get(entry.item)
    if item is None or item.points is None:
        return ZERO
    return item.points


def _contributions(
    scheme: Scheme, by: BranchYear, scoring: _Scoring
) -> tuple[dict[str, dict[str, list[Decimal]]], dict[str, list[int]], dict[str, list[LedgerLine]]]:
    """raw[member][item] = [q1..q4] signed points; vetoes[member] = [q1..q4] counts;
    lines[member] = the ledger lines for the member's page."""
    raw: dict[str, dict[str, list[Decimal]]] = defaultdict(dict)
    vetoes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    lines: dict[str, list[LedgerLine]] = defaultdict(list)
    by_id = {e.id: e for e in by.entries}

    def give(entry: Entry, made_by: Entry, quarter: int, sign: int, day: date) -> None:
        """Count `entry`'s own content (sign -1: take it back) as recorded by `made_by`, for
        the members the branch scored on `day` (the activity's date)."""
        if entry.void or not entry.item:
            return
        item = scheme.items.get(entry.item)
        if item is None:  # reported by validation; nothing to count
            return
        points = _entry_points(scheme, entry)
        # one line object serves every member the entry covers: it does not depend on the member
        line = LedgerLine(
            entry_id=made_by.id,
            date=made_by.date,
            quarter=quarter,
            item=entry.item,
            points=points if sign > 0 else -points,
            corrects=made_by.corrects,
            reversal=sign < 0,
            reason=made_by.reason,
            source=made_by.source,
            evidence=made_by.evidence,
            note=made_by.note or entry.note,
        )
        veto = item.part is Part.VETO
        signed_points = sign * points
        q = quarter - 1
        for mid in entry.members:
            if not scoring.on(mid, day):  # not scored here that day: reported by validation
                continue
            if veto:
                vetoes[mid][q] += sign
            else:
                per_item = raw[mid].get(entry.item)
                if per_item is None:
                    per_item = raw[mid][entry.item] = [ZERO, ZERO, ZERO, ZERO]
                per_item[q] += signed_points
            lines[mid].append(line)

    for entry in by.entries:
        if not entry.corrects:
            give(entry, entry, quarter_of(entry.date), +1, entry.date)
            continue
        target = by_id.get(entry.corrects)
        if target is None:  # reported by validation
            continue
        quarter = effective_quarter(entry, target, by)
        day = min(target.date, entry.date)  # a correction restates the corrected activity
        give(target, entry, quarter, -1, day)
        give(entry, entry, quarter, +1, day)
    return raw, vetoes, lines


def item_points(scheme: Scheme, raw: dict[str, list[Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    """Each item's points for the year within its own cap (before group and part caps), in
    scheme order: what the member's 考核表 lists line by line."""
    out = []
    for code, item in scheme.items.items():
        values = raw.get(code)
        if values is None:
            continue
        if scheme.method is Method.QUARTER_MEAN:
            total = sum((_clamp_item(item, v) for v in values), ZERO)
        else:
            total = _clamp_item(item, sum(values, ZERO))
        if total:
            out.append((code, _normal(total)))
    return tuple(out)


def _clamp_item(item: Item, value: Decimal) -> Decimal:
    value = max(value, ZERO)
    return min(value, item.cap) if item.cap is not None else value


def _member_quarters(scheme: Scheme, raw: dict[str, list[Decimal]], vetoes: list[int]) -> tuple[MemberQuarter, ...]:
    if scheme.method is Method.QUARTER_MEAN:
        return _quarters_mean(scheme, raw, vetoes)
    out = []
    previous = Parts()
    for q in QUARTERS:
        sums = {code: sum(values[:q], ZERO) for code, values in raw.items()}
        ytd = _capped_parts(scheme, sums, sum(vetoes[:q]) > 0)
        out.append(MemberQuarter(quarter=q, points=_minus(ytd, previous), ytd=ytd, total=_total(ytd)))
        previous = ytd
    return tuple(out)


def _quarters_mean(scheme: Scheme, raw: dict[str, list[Decimal]], vetoes: list[int]) -> tuple[MemberQuarter, ...]:
    out = []
    running = Parts()
    scores: list[Decimal] = []
    for q in QUARTERS:
        sums = {code: values[q - 1] for code, values in raw.items()}
        points = _capped_parts(scheme, sums, vetoes[q - 1] > 0)
        scores.append(_total(points))
        running = Parts(
            running.base + points.base,
            running.bonus + points.bonus,
            running.deduction + points.deduction,
            running.veto or points.veto,
        )
        mean = (sum(scores, ZERO) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(MemberQuarter(quarter=q, points=points, ytd=running, total=_normal(mean)))
    return tuple(out)


def _capped_parts(scheme: Scheme, sums: dict[str, Decimal], vetoed: bool) -> Parts:
    parts = {Part.BASE: ZERO, Part.BONUS: ZERO, Part.DEDUCTION: ZERO}
    grouped: dict[str, Decimal] = defaultdict(lambda: ZERO)
    group_part: dict[str, Part] = {}
    for code, total in sums.items():
        item = scheme.items[code]
        value = _clamp_item(item, total)
        if item.group:
            grouped[item.group] += value
            group_part[item.group] = item.part
        else:
            parts[item.part] += value
    for code, value in grouped.items():
        group = scheme.groups.get(code)
        parts[group_part[code]] += min(value, group.cap) if group else value
    for part in (Part.BASE, Part.BONUS):
        cap = scheme.part_cap(part)
        if cap is not None:
            parts[part] = min(parts[part], cap)
    return Parts(_normal(parts[Part.BASE]), _normal(parts[Part.BONUS]), _normal(parts[Part.DEDUCTION]), vetoed)


def _total(p: Parts) -> Decimal:
    return _normal(min(max(p.base + p.bonus - p.deduction, ZERO), HUNDRED))


def _minus(a: Parts, b: Parts) -> Parts:
    return Parts(
        _normal(a.base - b.base), _normal(a.bonus - b.bonus), _normal(a.deduction - b.deduction), a.veto and not b.veto
    )


def _normal(value: Decimal) -> Decimal:
    """Drop trailing zeros so 2.50 and 2.5 print alike; keeps integers integral."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _rank_within_branch(results: dict[str, MemberResult]) -> dict[str, MemberResult]:
    """Ranks within the branch, 积极分子 in their own list: each quarter's over the members
    listed in that quarter with that role; the year's over the members graded."""
    out = dict(results)
    per_quarter = []
    for q in QUARTERS:
        ranks: dict[str, int] = {}
        for role in SCORING:
            ranks.update(
                competition_ranks(
                    (r.member.id, rank_key(r.quarters[q - 1].total, r.quarters[q - 1].ytd.veto))
                    for r in results.values()
                    if r.quarters[q - 1].role is role
                )
            )
        per_quarter.append(ranks)
    annual: dict[str, int] = {}
    for role in SCORING:
        annual.update(
            competition_ranks(
                (r.member.id, rank_key(r.total, r.vetoed))
                for r in results.values()
                if r.role is role and isinstance(r, GradedMember)
            )
        )
    for mid, r in results.items():
        quarters = tuple(replace(mq, rank=per_quarter[mq.quarter - 1].get(mid)) for mq in r.quarters)
        out[mid] = replace(r, quarters=quarters, rank=annual.get(mid))
    return out


def _final_grades(results: dict[str, MemberResult], by: BranchYear) -> dict[str, MemberResult]:
    year_end = by.year_end
    if year_end is None:
        return results
    overrides = {f.member: f for f in year_end.final}
    out = dict(results)
    for mid, r in results.items():
        if not isinstance(r, GradedMember):
            continue
        final, reason = r.grade, ""
        override = overrides.get(mid)
        if override is not None:  # its reason is published too, also when it keeps the score's grade
            final, reason = override.grade, override.reason
        if r.vetoed:
            final = Grade.FAIL
        out[mid] = replace(
            r, final_grade=final if year_end.assessed else None, final_reason=reason, rating=year_end.ratings.get(mid)
        )
    return out


def _quarter_status(by: BranchYear, quarter: int, as_of: date | None = None) -> QuarterStatus:
    record = by.quarters.get(quarter)
    if record is None:
        return QuarterStatus(quarter=quarter, recorded=False, confirmed=None, publicity=None)
    undecided = sum(1 for a in record.appeals if a.outcome is None)
    p = record.publicity
    shown = p if p is not None and _started(p, as_of) else None
    return QuarterStatus(
        quarter=quarter,
        recorded=True,
        confirmed=record.confirmed,
        publicity=shown,
        appeals=record.appeals,
        undecided=undecided,
        scheduled=p if shown is None else None,
        reviewed=record.reviewed,
        feedback=record.feedback,
        reported=record.reported,
    )
