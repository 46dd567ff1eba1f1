"""The whole loaded district: what every later stage reads. Public data only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sitegen.model.enums import Category, Direction
from sitegen.model.ledger import Entry, Filings, Notice, QuarterRecord, YearEnd
from sitegen.model.org import BranchInfo, CommitteeInfo, DistrictInfo, Member
from sitegen.model.scheme import BranchPlan, CommitteeRules, DistrictScheme


@dataclass(frozen=True, slots=True)
class BranchYear:
    year: int
    members: tuple[Member, ...]
    plan: BranchPlan | None
    entries: tuple[Entry, ...]  # all quarters, sorted by (date, id); `全体` resolved
    quarters: dict[int, QuarterRecord]  # 1..4, only those recorded
    year_end: YearEnd | None

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None


@dataclass(frozen=True, slots=True)
class Branch:
    id: str
    committee_id: str
    info: BranchInfo
    years: dict[int, BranchYear]
    notices: tuple[Notice, ...] = ()

    @property
    def category(self) -> Category:
        return self.info.category


@dataclass(frozen=True, slots=True)
class Committee:
    id: str
    info: CommitteeInfo
    rules: dict[int, CommitteeRules]
    branches: tuple[Branch, ...]
    notices: tuple[Notice, ...] = ()
    filings: dict[int, Filings] = field(default_factory=dict)  # year → the committee's 审核备案


@dataclass(frozen=True, slots=True)
class District:
    info: DistrictInfo
    schemes: dict[int, DistrictScheme]
    committees: tuple[Committee, ...]
    notices: tuple[Notice, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.schemes))

    def branches(self) -> Iterator[Branch]:
        for committee in self.committees:
            yield from committee.branches

    def branch(self, branch_id: str) -> Branch | None:
        for b in self.branches():
            if b.id == branch_id:
                return b
        return None


def scored_here(member: Member) -> bool:
    """Whether this roster's branch scores the member: not exempt, not floated out."""
    if member.exempt is not None:
        return False
    if member.floating is not None and member.floating.direction is Direction.OUT:
        return False
    return True
