"""The layered scheme (积分项目): district standard → committee 细则 → branch 年初设定.

Each layer is one YAML file; :mod:`sitegen.rules.scheme` folds them into the effective
scheme of one branch for one year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sitegen.model.enums import Category, Method, Part
from sitegen.model.types import Id, Text
from sitegen.problems import Pos


@dataclass(frozen=True, slots=True)
class Caps:
    """Part caps: how much 基础积分 (base) and 贡献加分 (bonus) may count in a year."""

    base: Decimal | None = None
    bonus: Decimal | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Group:
    """Items that share one cap, e.g. the level variants of 获得表彰 (国家级/省级/市级/区级)."""

    code: Id
    name: Text
    cap: Decimal
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Item:
    """One 积分项目. Fixed `points`, or a range `min`–`max` the branch chooses within
    per entry. 一票否决 items carry no points. `cap` is the item's yearly cap."""

    code: Id
    part: Part
    name: Text
    points: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    step: Decimal | None = None  # ranged items: points go in steps of this from min (absent: whole points)
    cap: Decimal | None = None
    group: Id = ""
    applies_to: tuple[Category, ...] = ()  # empty: every category
    evidence: str = ""  # 所需依据
    pos: Pos = field(default=Pos(""), compare=False)

    def applies(self, category: Category) -> bool:
        return not self.applies_to or category in self.applies_to

    @property
    def ranged(self) -> bool:
        return self.points is None and self.min is not None

    @property
    def bounds(self) -> tuple[Decimal, Decimal] | None:
        """(min, max) of a ranged item; None for a fixed item, a 一票否决 item, or one the
        scheme check refused (a range with one end)."""
        if self.points is None and self.min is not None and self.max is not None:
            return self.min, self.max
        return None


@dataclass(frozen=True, slots=True)
class Narrowing:
    """A lower layer's refinement of an inherited item: fix the points within the range,
    narrow the range, lower the cap, or restrict the categories."""

    code: Id
    points: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    cap: Decimal | None = None
    applies_to: tuple[Category, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class PartialYear:
    """How a member on the roster for part of the year is graded (the policy is silent;
    the district decides). A member who joined (or began to be scored here) too late to
    have `months` months in the year is listed 年内加入，不参加本年度评定 and gets no
    grade; months: 0 grades everyone on the points they actually have. Members who left
    before 31 December are never graded by the branch they left."""

    months: int = 6
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Reminders:
    """督促提醒 (policy 四(三)): a member whose year-to-date score at a published quarter is
    below `pace` × (quarters so far ÷ 4) is on the branch's internal list of members to
    remind — 60, the 合格 line spread over the year, unless the district says otherwise."""

    pace: Decimal = Decimal(60)
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class DistrictScheme:
    """scheme/<year>.yaml — the district's standard 考核表 (附件1)."""

    title: Text
    caps: Caps
    items: tuple[Item, ...]
    method: Method = Method.SUM
    groups: tuple[Group, ...] = ()
    partial_year: PartialYear = PartialYear()
    reminders: Reminders = Reminders()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class CommitteeRules:
    """committees/<c>/scheme/<year>.yaml — the committee's 细则."""

    title: str = ""
    caps: Caps | None = None
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()
    narrow: tuple[Narrowing, ...] = ()
    drop: tuple[Id, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class BranchPlan:
    """<branch>/<year>/scheme.yaml — 年初设定积分项目, with the dates it was made known."""

    announced: date | None = None  # 党员大会通报
    posted: date | None = None  # 党务公开栏公开
    caps: Caps | None = None
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()
    narrow: tuple[Narrowing, ...] = ()
    drop: tuple[Id, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Scheme:
    """The effective scheme of one branch for one year (computed, not loaded)."""

    year: int
    title: str
    method: Method
    caps: Caps
    items: dict[str, Item]  # by code, in scheme order
    groups: dict[str, Group]
    announced: date | None = None
    posted: date | None = None
    inapplicable: dict[str, Item] = field(default_factory=dict)  # inherited, not for this category

    def part_cap(self, part: Part) -> Decimal | None:
        if part is Part.BASE:
            return self.caps.base
        if part is Part.BONUS:
            return self.caps.bonus
        return None
