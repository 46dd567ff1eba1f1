"""What the rules engine computes: the scored model every renderer reads.

Renderers never recompute a score; they read these values. All numbers are Decimal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sitegen.model.enums import Category, Grade, Rating, Source
from sitegen.model.ledger import Appeal, Period
from sitegen.model.org import Member
from sitegen.model.scheme import Scheme

ZERO = Decimal(0)


class Role(str, Enum):
    SCORED = "参加积分管理"
    ACTIVIST = "入党积极分子（参照积分）"
    EXEMPT = "不纳入积分管理"
    FLOATING_OUT = "流出"


@dataclass(frozen=True, slots=True)
class Parts:
    """Points by part. `veto` is whether any 一票否决 matter is recorded."""

    base: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    veto: bool = False


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One ledger entry as it touched one member (for the member's page)."""

    entry_id: str
    date: date
    quarter: int  # the quarter it counts in
    item: str  # item code ('' for a voiding correction)
    points: Decimal  # as recorded, before caps; deductions positive
    corrects: str = ""  # the entry this line corrects
    reversal: bool = False  # True: this line takes back the corrected entry's points
    reason: str = ""
    source: Source = Source.BRANCH
    evidence: str = ""
    note: str = ""  # the entry's public note (a correction without one: the corrected entry's)


@dataclass(frozen=True, slots=True)
class MemberQuarter:
    quarter: int
    points: Parts  # what the quarter added, after caps (quarters add up to the year)
    ytd: Parts  # year to date, after caps
    total: Decimal  # year-to-date score (0–100)
    rank: int | None = None  # rank so far within the branch among those listed with this role
    # the role in this quarter's published table: None = not on the roster any day of the
    # quarter (not listed); otherwise the role on the quarter's last day or the day before leaving
    role: Role | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberResult:
    """A roster member's year in one branch. What a member is decides the type:
    :class:`UnscoredMember` (不纳入积分管理, floated out: no points of their own here),
    :class:`ScoredMember` (scored, with a year's total, but not graded here: joined too
    late or left) and :class:`GradedMember` (scored and graded). Code that reads a total
    or a grade narrows first (`isinstance`); the fields below are every member's."""

    member: Member
    role: Role  # at year end, or on the last day before leaving
    category: Category
    quarters: tuple[MemberQuarter, ...] = ()  # 1..4
    vetoed: bool = False
    final_grade: Grade | None = None  # after 综合评定 (None until the year end is recorded, or not graded)
    final_reason: str = ""
    rating: Rating | None = None  # 民主测评
    rank: int | None = None  # within the branch (积极分子: in their own list); graded members only
    rank_committee: int | None = None  # by category across the committee
    rank_district: int | None = None  # by category across the district
    lines: tuple[LedgerLine, ...] = ()
    scored_at: str = ""  # FLOATING_OUT: the branch id or organization that scores them
    floating_from: str = ""  # floating in: where from
    items: tuple[tuple[str, Decimal], ...] = ()  # item code → the year's points within the item cap
    # why a member scored here during the year gets no grade from this branch ('' if graded
    # or not scored): joined too late (the district's partial_year setting) or left before 31 December
    ungraded: str = ""

    @property
    def scored(self) -> bool:
        """Scored by this branch at the end of the year (or when they left): has points."""
        return self.role in (Role.SCORED, Role.ACTIVIST)

    @property
    def graded(self) -> bool:
        """Takes part in this branch's year end: graded and ranked (积极分子 参照, in their
        own list). Not those who left during the year or joined too late (`ungraded`)."""
        return isinstance(self, GradedMember)

    @property
    def listed(self) -> bool:
        """Scored in at least one quarter here: has points and a member page."""
        return any(mq.role in (Role.SCORED, Role.ACTIVIST) for mq in self.quarters)

    def listed_in(self, quarter: int) -> Role | None:
        """The role in quarter `quarter`'s table (None: not listed)."""
        return self.quarters[quarter - 1].role if self.quarters else None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnscoredMember(MemberResult):
    """不纳入积分管理 or floated out at the end of the year (or when they left): no year's
    score from this branch (quarters they were scored in keep their points)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoredMember(MemberResult):
    """Scored by this branch (as 正式/预备党员 or 积极分子): the year's score, and `ungraded`
    says why there is no grade. A member who is graded is a :class:`GradedMember`."""

    total: Decimal  # the year's score


@dataclass(frozen=True, slots=True, kw_only=True)
class GradedMember(ScoredMember):
    """Scored and graded by this branch at the year end."""

    grade: Grade  # the score's grade


@cache
def _scored_fields() -> tuple[str, ...]:
    """ScoredMember's field names (dataclasses.fields looks them up anew at every call: the
    统计表 take tens of thousands of members through without_grade)."""
    return tuple(f.name for f in fields(ScoredMember))


def with_grade(r: ScoredMember, grade: Grade) -> GradedMember:
    """`r`, graded."""
    return GradedMember(**{name: getattr(r, name) for name in _scored_fields()}, grade=grade)


def without_grade(r: GradedMember | ScoredMember, **changes: Any) -> ScoredMember:
    """`r` as a scored member with no grade (what a report shows before the year end), with
    `changes` applied; the final grade and rating go too."""
    values = {name: getattr(r, name) for name in _scored_fields()}
    values.update(final_grade=None, final_reason="", rating=None)
    values.update(changes)
    return ScoredMember(**values)


@dataclass(frozen=True, slots=True)
class QuarterStatus:
    """A quarter's procedure as of the build's date. `publicity` is the 公示 once it has
    started (the site shows a quarter from its start date on); one recorded with a start
    still to come is `scheduled` instead."""

    quarter: int
    recorded: bool  # a quarter record exists
    confirmed: date | None
    publicity: Period | None
    appeals: tuple[Appeal, ...] = ()
    undecided: int = 0
    scheduled: Period | None = None
    reviewed: date | None = None  # 汇总审核
    feedback: date | None = None  # 逐人反馈
    reported: date | None = None  # 报上级党(工)委备案

    @property
    def published(self) -> bool:
        return self.publicity is not None


@dataclass(frozen=True, slots=True)
class Stats:
    """统计表（一） for one organization and year. Shares are percentages of participants."""

    total: int  # 党员总数 in scope: participants + exempt
    participants: int  # 参加积分管理
    exempt: int  # 不纳入积分管理
    grades: dict[Grade, int]
    activists: int = 0  # 入党积极分子 scored 参照 (not in the totals above)
    ungraded: int = 0  # joined during the year, too late to be graded (not in the totals above)
    final: bool = False  # grades are final (year end recorded) rather than provisional

    def share(self, grade: Grade) -> Decimal:
        from decimal import ROUND_HALF_UP

        if not self.participants:
            return ZERO
        return (Decimal(100) * self.grades.get(grade, 0) / self.participants).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True, slots=True)
class BranchYearResult:
    branch_id: str
    committee_id: str
    year: int
    category: Category
    scheme: Scheme
    members: tuple[MemberResult, ...]  # roster order
    quarters: tuple[QuarterStatus, ...]  # 1..4
    stats: Stats
    year_end_done: bool = False
    assessed: date | None = None  # 综合评定 date
    year_end_publicity: Period | None = None

    @property
    def published_quarters(self) -> tuple[int, ...]:
        return tuple(q.quarter for q in self.quarters if q.published)

    @property
    def procedure(self) -> str:
        """What the year's procedure is as of the build's date, hashed (as the summary's)."""
        return procedure(self.quarters, self.year_end_done, self.year_end_publicity)

    @property
    def ranks(self) -> tuple[tuple[int | None, int | None], ...]:
        """Each member's (rank_committee, rank_district), in roster order (as the summary's)."""
        return tuple((r.rank_committee, r.rank_district) for r in self.members)

    @property
    def failed(self) -> tuple[Member, ...]:
        """The party members (not 积极分子) whose final grade is 不合格, in roster order (as the summary's)."""
        return tuple(r.member for r in self.members if r.role is Role.SCORED and r.final_grade is Grade.FAIL)

    def result(self, member_id: str) -> MemberResult | None:
        for r in self.members:
            if r.member.id == member_id:
                return r
        return None


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """What the steps across branches read of a branch's scored year (the ranks, the
    committee's and district's 统计表, the follow-up checks) and what the renderers need
    to decide whether a page changed (each quarter's procedure and 公示, the year end's:
    the footers' data version and the units' keys, sitegen.render): kept next to the
    score, so that a branch whose score is remembered is ranked, counted and keyed without
    reading it. Its fields are a :class:`BranchYearResult`'s of the same names (`ranks`:
    its members')."""

    branch_id: str
    committee_id: str
    year: int
    category: Category
    year_end_done: bool
    assessed: date | None
    stats: Stats
    scheme: Scheme
    quarters: tuple[QuarterStatus, ...]  # 1..4, as of the build's date
    year_end_publicity: Period | None
    # (member id, category, total, vetoed) of each member in roster order that the ranks
    # across branches count (scored 正式/预备党员, graded), else None
    ranked: tuple[tuple[str, Category, Decimal, bool] | None, ...]
    ranks: tuple[tuple[int | None, int | None], ...]  # each member's (rank_committee, rank_district)
    failed: tuple[Member, ...]  # scored members whose final grade is 不合格 (sitegen.validate.followup)
    # two facts of `quarters` and the year end that the renderers' keys read of every
    # branch, kept apart so that they are read without the quarters (sitegen.load.digest
    # keeps them with the eager fields): the quarters published, and :func:`procedure`
    published_quarters: tuple[int, ...]
    procedure: str


def procedure(quarters: tuple[QuarterStatus, ...], year_end_done: bool, year_end_publicity: Period | None) -> str:
    """A year's procedure as of the build's date — each quarter's status and 公示, the year
    end's — hashed: what a branch's pages show besides its files and the ranks (the units'
    keys, sitegen.render.run)."""
    return hashlib.sha256(repr((quarters, year_end_done, year_end_publicity)).encode()).hexdigest()[:32]


def summarize(res: BranchYearResult) -> ScoreSummary:
    return ScoreSummary(
        branch_id=res.branch_id,
        committee_id=res.committee_id,
        year=res.year,
        category=res.category,
        year_end_done=res.year_end_done,
        assessed=res.assessed,
        stats=res.stats,
        scheme=res.scheme,
        quarters=res.quarters,
        year_end_publicity=res.year_end_publicity,
        ranked=tuple(
            (r.member.id, r.category, r.total, r.vetoed)
            if r.role is Role.SCORED and isinstance(r, GradedMember)
            else None
            for r in res.members
        ),
        ranks=res.ranks,
        failed=res.failed,
        published_quarters=res.published_quarters,
        procedure=res.procedure,
    )


class Later:
    """A branch's scored year not read yet: its summary now, the result when asked for."""

    __slots__ = ("summary", "read")

    def __init__(self, summary: ScoreSummary, read: Callable[[], BranchYearResult]) -> None:
        self.summary = summary
        self.read = read


class Results(Mapping[str, BranchYearResult]):
    """A year's branch results by branch id, in district order. A branch whose score was
    remembered (sitegen.memo.Remembered.deferred) is read only when looked up: `check`
    never reads an unchanged branch's; everything else sees a mapping of results.
    :meth:`summary` gives what the steps across branches need without reading it."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, BranchYearResult | Later]) -> None:
        self._items: dict[str, BranchYearResult | Later] = dict(items)

    def __getitem__(self, bid: str) -> BranchYearResult:
        value = self._items[bid]
        if isinstance(value, Later):
            value = self._items[bid] = value.read()
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, bid: object) -> bool:
        return bid in self._items

    def summary(self, bid: str) -> ScoreSummary:
        value = self._items[bid]
        return value.summary if isinstance(value, Later) else summarize(value)

    def light(self, bid: str) -> BranchYearResult | ScoreSummary:
        """The branch's result if read, else its summary, without reading it: for what
        both carry (committee, category, stats, quarters, year end, ranks)."""
        value = self._items[bid]
        return value.summary if isinstance(value, Later) else value

    def same_unread(self, bid: str, other: Mapping[str, BranchYearResult]) -> bool:
        """Whether `other` (another version's results, made with the same memo: `sitegen
        diff`) holds the very same unread result for `bid`: one remembered summary, so the
        same score from the same files, its ranks unchanged (new ranks make a new summary).
        Equal without reading either."""
        mine = self._items.get(bid)
        theirs = other._items.get(bid) if isinstance(other, Results) else None
        return isinstance(mine, Later) and isinstance(theirs, Later) and mine.summary is theirs.summary

    def unread(self) -> int:
        """How many results are still to be read."""
        return sum(isinstance(v, Later) for v in self._items.values())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))

    def __repr__(self) -> str:
        return f"Results({len(self)} branches, {self.unread()} unread)"


def light(branches: Mapping[str, BranchYearResult], bid: str) -> BranchYearResult | ScoreSummary:
    """`branches[bid]`, or its summary if it is not read yet (:meth:`Results.light`)."""
    return branches.light(bid) if isinstance(branches, Results) else branches[bid]


@dataclass(frozen=True, slots=True)
class YearResult:
    year: int
    branches: Mapping[str, BranchYearResult]  # by branch id, district order (a dict or Results)
    committees: dict[str, Stats]
    district: Stats
