"""The whole loaded district: what every later stage reads. Public data only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sitegen.model.enums import Category, Direction
from sitegen.model.lazy import deferrable
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


# a remembered branch's entries are read when first asked for (sitegen.model.lazy)
deferrable(BranchYear, "entries")


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


# a branch taken from the district digest reads its years and notices from its bundle
# when first asked for (sitegen.load.digest)
deferrable(Branch, "years")
deferrable(Branch, "notices")


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
    # lookups made on first use (the district never changes): not compared, not copied
    # by dataclasses.replace
    _index: list[_Lookups] = field(default_factory=list, init=False, repr=False, compare=False)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.schemes))

    def branches(self) -> Iterator[Branch]:
        for committee in self.committees:
            yield from committee.branches

    def _lookups(self) -> _Lookups:
        if not self._index:
            self._index.append(_Lookups(self))
        return self._index[0]

    def branch(self, branch_id: str) -> Branch | None:
        return self._lookups().branches.get(branch_id)

    def committee(self, committee_id: str) -> Committee | None:
        return self._lookups().committees.get(committee_id)

    def short_names(self) -> dict[str, str]:
        """Branch id → the branch's short name. Shared by every caller: never change it."""
        return self._lookups().names


class _Lookups:
    """A district's branches and committees by id (the first of an id, as a walk finds it)."""

    def __init__(self, district: District):
        self.branches: dict[str, Branch] = {}
        for b in district.branches():
            self.branches.setdefault(b.id, b)
        self.committees: dict[str, Committee] = {}
        for c in district.committees:
            self.committees.setdefault(c.id, c)
        self.names = {bid: b.info.short_name for bid, b in self.branches.items()}


def scored_here(member: Member) -> bool:
    """Whether this roster's branch scores the member: not exempt, not floated out."""
    if member.exempt is not None:
        return False
    if member.floating is not None and member.floating.direction is Direction.OUT:
        return False
    return True
