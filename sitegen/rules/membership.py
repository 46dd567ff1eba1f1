"""Membership over time: what a roster line means on a given day. Pure date logic.

A roster is valid for a year, but people join, leave, are admitted, become 正式, are
exempted and float during it. Every question "is this person scored here, and how?"
is asked *as of a date* — an entry's date, a quarter's last day — so that a change
recorded in November never reaches back into quarters already published (SPEC 2.2).

Conventions (docs/content-format.md says the same in Chinese):
- `joined` is the first day on the roster; `left` is the first day *no longer* on it,
  so a transfer out on 5 May here and in on 5 May there never overlaps;
- `status` holds from 1 January (or `joined`); each change holds from its date;
- an exemption counts from `filed`, its last step (a missing step is an error, E302;
  meanwhile the exemption is taken as counting all year, as before dates existed);
- floating counts from `floating.since` (absent: all year). Before it a member floated
  in is scored by the branch they came from, so this branch does not list them yet.

Used by the loader (`全体`), the ledger checks, the scorer and the change history, so
all of them agree on who `全体` meant on a day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sitegen.model.enums import Direction, Status
from sitegen.model.org import Member
from sitegen.model.scored import Role
from sitegen.rules.periods import quarter_end, quarter_start

SCORING = (Role.SCORED, Role.ACTIVIST)
# spans are (first day, first day after) as ordinals; these stand for "no bound"
OPEN_START = date.min.toordinal()
OPEN_END = date.max.toordinal()


def on_roster(m: Member, day: date) -> bool:
    """Whether `day` lies within [joined, left)."""
    return (m.joined is None or m.joined <= day) and (m.left is None or day < m.left)


def status_on(m: Member, day: date) -> Status:
    status = m.status
    for change in m.changes:
        if change.date <= day:
            status = change.status
    return status


def exempt_on(m: Member, day: date) -> bool:
    ex = m.exempt
    return ex is not None and (ex.filed is None or ex.filed <= day)


def _floating_from(m: Member, direction: Direction, day: date) -> bool:
    f = m.floating
    return f is not None and f.direction is direction and (f.since is None or f.since <= day)


def role_on(m: Member, day: date) -> Role | None:
    """How this branch has the member on `day`; None: not this branch's member that day
    (not yet joined, already left, or floated in but still scored where they came from)."""
    if not on_roster(m, day):
        return None
    f = m.floating
    if f is not None and f.direction is Direction.IN and not _floating_from(m, Direction.IN, day):
        return None
    if exempt_on(m, day):
        return Role.EXEMPT
    if _floating_from(m, Direction.OUT, day):
        return Role.FLOATING_OUT
    if status_on(m, day) is Status.ACTIVIST:
        return Role.ACTIVIST
    return Role.SCORED


def last_day(m: Member, year: int, end: date | None = None) -> date:
    """The last day in `year` (up to `end`) the member is on the roster."""
    last = end or date(year, 12, 31)
    if m.left is not None and m.left <= last:
        last = m.left - timedelta(days=1)
    return last


def quarter_status(m: Member, year: int, quarter: int) -> Status:
    """The status a quarter's table shows: the one on the quarter's last day, or the day
    before the member left."""
    return status_on(m, last_day(m, year, quarter_end(year, quarter)))


def period_role(m: Member, first: date, last: date) -> Role | None:
    """The role in a period (a quarter, the year): None when the member is not this
    branch's member on any day of it, otherwise the role on its last day on the roster."""
    start = max(first, m.joined) if m.joined else first
    end = last_day(m, last.year, last)
    if start > end:
        return None
    return role_on(m, end)  # None also when floated in only after the period


def quarter_role(m: Member, year: int, quarter: int) -> Role | None:
    """The role in quarter `quarter`'s published table (see period_role)."""
    return period_role(m, quarter_start(year, quarter), quarter_end(year, quarter))


def year_role(m: Member, year: int) -> Role | None:
    """The role at year end, or on the last day before leaving."""
    return period_role(m, date(year, 1, 1), date(year, 12, 31))


def first_scored_day(m: Member, year: int) -> date:
    """From when this branch scores the member in `year` (joined, or floated in)."""
    first = date(year, 1, 1)
    if m.joined is not None and m.joined > first:
        first = m.joined
    f = m.floating
    if f is not None and f.direction is Direction.IN and f.since is not None and f.since > first:
        first = f.since
    return first


def too_short(m: Member, year: int, months: int) -> bool:
    """Whether the member was this branch's for fewer than `months` months of the year:
    counted from the first scored day to 31 December, so months 6 means joined on or
    before 1 July. months 0: never too short."""
    if months <= 0:
        return False
    latest = date(year, 13 - months, 1) if months <= 12 else date(year, 1, 1)
    return first_scored_day(m, year) > latest


# --------------------------------------------------------------------------- 全体
# `members: 全体` is everyone the branch scores as 正式/预备党员 on the entry's date.
# A roster reduces to, per member, the spans of days they are in it; the change
# history keeps exactly this (sitegen.history.blobs), so it expands 全体 as the
# loader does.

Spans = tuple[tuple[int, int], ...]


def _event_days(m: Member) -> list[date]:
    days = [d for d in (m.joined, m.left) if d is not None]
    days += [c.date for c in m.changes]
    if m.exempt is not None and m.exempt.filed is not None:
        days.append(m.exempt.filed)
    if m.floating is not None and m.floating.since is not None:
        days.append(m.floating.since)
    return sorted(set(days))


def spans_where(m: Member, roles: tuple[Role, ...]) -> Spans:
    """The spans of days on which the member's role is one of `roles`. The role can only
    change on the roster's event days, so it is asked once per event."""
    starts = [date.min, *_event_days(m)]
    spans: list[list[int]] = []
    for i, day in enumerate(starts):
        end = starts[i + 1].toordinal() if i + 1 < len(starts) else OPEN_END
        if role_on(m, day) not in roles:
            continue
        begin = OPEN_START if day == date.min else day.toordinal()
        if spans and spans[-1][1] == begin:
            spans[-1][1] = end
        else:
            spans.append([begin, end])
    return tuple((a, b) for a, b in spans)


def everyone_spans(m: Member) -> Spans:
    """The days on which the member is in `全体` (role SCORED)."""
    return spans_where(m, (Role.SCORED,))


def scoring_spans(m: Member) -> Spans:
    """The days on which this branch scores the member (as member or 积极分子)."""
    return spans_where(m, SCORING)


def reduce_roster(members: Iterable[Member]) -> tuple[tuple[str, Spans], ...]:
    """What `全体` needs of a roster: (member id, spans), in roster order."""
    return tuple((m.id, everyone_spans(m)) for m in members)


ALWAYS: Spans = ((OPEN_START, OPEN_END),)


def everyone_on(reduced: tuple[tuple[str, Spans], ...], day: date) -> tuple[str, ...]:
    """Who `全体` means on `day`, in roster order."""
    d = day.toordinal()
    return tuple(mid for mid, spans in reduced if any(a <= d < b for a, b in spans))
