"""Organizations and the roster: district → committee → (总支) → branch, and members."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sitegen.model.enums import Category, Direction, JoinKind, LeaveKind, Paper, Status
from sitegen.model.types import Id, Text
from sitegen.problems import Pos


@dataclass(frozen=True, slots=True)
class ScreenSettings:
    """Lobby screens (site.yaml `screen:`): seconds per slide, and optional screen hours
    such as "07:30-21:30" outside which the screen goes dark."""

    interval: int = 15
    hours: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class DistrictInfo:
    """content/site.yaml"""

    name: Text  # 区名, e.g. 青松区
    organization: Text  # issuing body, e.g. 中共青松区委组织部
    leader: Text = ""  # 党组织负责人 on the district's 统计表
    recorder: Text = ""  # 填表人 on the district's reports
    paper: Paper = Paper.A4  # paper for the printed boards (公示 posters); A3 for large boards
    screen: ScreenSettings = ScreenSettings()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class CommitteeInfo:
    """committees/<id>/committee.yaml — a 党(工)委."""

    name: Text  # full name, e.g. 中共青松区机关工作委员会
    short_name: Text  # e.g. 区直机关工委
    leader: Text = ""  # 党组织负责人
    recorder: Text = ""  # 填表人 on the committee's reports
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class BranchInfo:
    """committees/<c>/branches/<id>/branch.yaml — a 党支部, the unit that scores."""

    name: Text  # full name, e.g. 中共青松区财政局机关第一支部委员会
    short_name: Text
    category: Category
    leader: Text  # 党组织负责人 (支部书记)
    recorder: Text = ""  # 填表人
    general_branch: Text = ""  # 所属党总支, if any
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Exemption:
    """不纳入积分管理: the three dated steps the policy requires. The reason is restricted."""

    applied: date | None = None  # 本人申请
    approved: date | None = None  # 支部研究同意
    filed: date | None = None  # 上级党委备案
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Floating:
    """流动党员. `branch` is a branch id in this district; `org` names one outside it.
    `since`: the day the floating began in this year (absent: all year). Before it, a
    member floated in is scored by the branch they came from, and a member floated out
    is still scored here."""

    direction: Direction
    branch: Id = ""
    org: Text = ""
    since: date | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A dated change of status within the year: 积极分子 → 预备党员 (吸收入党) or
    预备党员 → 正式党员 (转正)."""

    date: date
    status: Status
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Member:
    """One roster line. Membership has dates so that a change during the year never
    reaches back into quarters already published: `status` is the status on 1 January
    (or on `joined`); `joined`/`left` bound the days this branch has the member (left is
    the first day they are no longer here); `changes` are dated status changes; an
    exemption counts from its `filed` date; floating from `floating.since`.
    sitegen.rules.membership says what all this means on a given day."""

    id: Id
    name: Text
    status: Status
    joined: date | None = None  # absent: on the roster since before 1 January
    join: JoinKind | None = None  # required with joined
    left: date | None = None  # absent: still here on 31 December
    leave: LeaveKind | None = None  # required with left
    changes: tuple[StatusChange, ...] = ()
    exempt: Exemption | None = None
    floating: Floating | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Roster:
    """<branch>/<year>/roster.yaml"""

    members: tuple[Member, ...]
    pos: Pos = field(default=Pos(""), compare=False)
