"""The ledger (积分台账), the quarterly cycle and the year end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sitegen.model.enums import Appellant, Grade, Outcome, Rating, Source
from sitegen.model.types import Id, Text
from sitegen.problems import Pos

EVERYONE = "全体"  # in `members`: every member this branch scores (not 积极分子)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry: an activity or matter, usually covering many members.

    A correction entry names the entry it `corrects` and gives a `reason`; its own
    item/members/points replace the corrected entry's, or `void: true` cancels it.
    """

    id: Id
    date: date
    members: tuple[str, ...] = ()  # member ids, or 全体
    item: Id = ""
    points: Decimal | None = None
    source: Source = Source.BRANCH
    evidence: str = ""
    note: str = ""
    corrects: Id = ""
    reason: str = ""
    void: bool = False
    excluding: tuple[Id, ...] = ()  # with members: 全体, who did not take part
    pos: Pos = field(default=Pos(""), compare=False)

    @property
    def everyone(self) -> bool:
        return self.members == (EVERYONE,)


@dataclass(frozen=True, slots=True)
class LedgerFile:
    """<branch>/<year>/ledger/q<N>.yaml — the entries dated in quarter N."""

    entries: tuple[Entry, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Period:
    """A 公示 period and where it was posted."""

    start: date
    end: date
    scope: str = ""  # 公示范围, e.g. 支部党务公开栏
    contact: str = ""  # where to raise objections (a public office, not a person's phone)
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Appeal:
    """申辩、问询 by a member, or an objection from 群众 during the 公示 (`by: 群众`; then
    `member` is the member it concerns, if any). The reason is restricted
    (restricted/<branch>/<year>.yaml), and so is who a 群众 is.

    One filed before the 公示 began must be decided before the quarter is confirmed; one
    filed during the 公示 is shown as 受理中 and blocks nothing until the 公示 ends."""

    id: Id
    filed: date
    member: Id = ""
    by: Appellant = Appellant.MEMBER
    entry: Id = ""
    matter: str = ""
    outcome: Outcome | None = None  # absent: undecided
    decided: date | None = None
    correction: Id = ""  # the correction entry, when 更正
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class QuarterRecord:
    """<branch>/<year>/quarters/q<N>.yaml — 汇总审核, 逐人反馈, 申辩, 确认, 公示, 报备."""

    reviewed: date | None = None
    feedback: date | None = None
    appeals: tuple[Appeal, ...] = ()
    confirmed: date | None = None
    publicity: Period | None = None
    reported: date | None = None
    pos: Pos = field(default=Pos(""), compare=False)

    @property
    def published(self) -> bool:
        return self.publicity is not None


@dataclass(frozen=True, slots=True)
class Filing:
    """The committee's 审核备案 of one branch's quarterly report (每季度报上级党(工)委审核备案)
    or, without a quarter, of its year end."""

    branch: Id
    filed: date
    quarter: int | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Filings:
    """committees/<c>/filings/<year>.yaml — kept by the committee, in its own file."""

    filings: tuple[Filing, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class FinalGrade:
    """综合分析研判: a final grade that differs from the score's grade, with its reason."""

    member: Id
    grade: Grade
    reason: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class YearEnd:
    """<branch>/<year>/year-end.yaml — 民主测评 and 综合评定."""

    evaluated: date | None = None  # 民主测评 date
    ratings: dict[Id, Rating] = field(default_factory=dict)
    assessed: date | None = None  # 综合评定 date
    final: tuple[FinalGrade, ...] = ()
    publicity: Period | None = None
    reported: date | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Notice:
    """notices/*.md at district, committee or branch level: Markdown with front matter."""

    slug: str
    title: Text
    date: date
    body: str = ""
    pinned: bool = False
    pos: Pos = field(default=Pos(""), compare=False)
