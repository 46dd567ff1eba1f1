"""Restricted records (专卷保存): kept in content/restricted/, loaded only by `check`.

Nothing in this module is reachable from :class:`sitegen.model.site.District`, so no
renderer can publish it by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sitegen.model.enums import ExemptKind
from sitegen.model.types import Id, Text
from sitegen.problems import Pos


@dataclass(frozen=True, slots=True)
class ExemptionReason:
    kind: ExemptKind
    note: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str = ""
    address: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Talk:
    """谈话 with a member graded 不合格."""

    member: Id
    date: date
    by: Text
    summary: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Mentoring:
    """帮教: the helper named for a member, and the plan."""

    member: Id
    helper: Text
    start: date
    plan: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class Reminder:
    """督促提醒 of a member whose points lag."""

    member: Id
    date: date
    summary: str = ""
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True, slots=True)
class RestrictedYear:
    """restricted/<branch>/<year>.yaml"""

    exemptions: dict[Id, ExemptionReason] = field(default_factory=dict)
    appeals: dict[Id, Text] = field(default_factory=dict)  # appeal id -> reason
    contacts: dict[Id, Contact] = field(default_factory=dict)
    talks: tuple[Talk, ...] = ()
    mentoring: tuple[Mentoring, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)
