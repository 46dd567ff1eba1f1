"""The version of a page's own data, in plain words, for its footer.

A page names the version of the data it shows, never the repository's commit: a
branch's pages name the branch's latest published step (the quarter the branch
confirmed and the day its 公示 began, or the year-end assessment); a page over several
branches (a committee, the district, the rankings, the archive) names the latest such
step among them. So a commit that touches one branch changes the footer of that
branch's pages and of the aggregates that include it, and of nothing else. Only the
change log, which lists commits, names the repository's commit it goes up to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cached_property

from sitegen.model.scored import BranchYearResult, ScoreSummary, YearResult, light
from sitegen.render import format as fmt
from sitegen.render.html import urls
from sitegen.render.html.urls import Scope, ScopeKind


class Step(Enum):
    PUBLICITY = "公示"
    YEAR_END = "年度评定"


@dataclass(frozen=True, order=True)
class Event:
    """A branch's latest published step: its day, which step, and how a branch's own
    pages say it."""

    day: date
    step: Step
    text: str


def _md(day: date, ref: date | None) -> str:
    """'10月16日' when in the same year as `ref`, else the full date."""
    if ref is not None and ref.year == day.year:
        return f"{day.month}月{day.day}日"
    return fmt.day(day)


def branch_event(result: BranchYearResult | ScoreSummary) -> Event | None:
    """The latest published step of a branch's year (None: nothing published yet); from
    its summary when the result is not read (an unchanged branch's never is)."""
    events: list[Event] = []
    for q in result.quarters:
        if q.publicity is None:
            continue
        start = q.publicity.start
        if q.confirmed is not None:
            text = f"{fmt.day(q.confirmed)}支部确认，{_md(start, q.confirmed)}起公示"
        else:
            text = f"{fmt.day(start)}起公示"
        events.append(Event(start, Step.PUBLICITY, text))
    if result.year_end_done:
        assessed = result.assessed or (result.year_end_publicity.start if result.year_end_publicity else None)
        if assessed is not None:
            text = f"{fmt.day(assessed)}年度评定"
            if result.year_end_publicity is not None:
                text += f"，{_md(result.year_end_publicity.start, assessed)}起公示"
            day = result.year_end_publicity.start if result.year_end_publicity is not None else assessed
            events.append(Event(max(day, assessed), Step.YEAR_END, text))
    return max(events, key=lambda e: (e.day, e.step is Step.YEAR_END), default=None)


def latest(events: Iterable[Event | None]) -> Event | None:
    return max((e for e in events if e is not None), key=lambda e: (e.day, e.step is Step.YEAR_END), default=None)


class DataVersions:
    """Every branch's latest published step, and the words each page's footer uses.
    `changes_note`: the change log's (the repository's commit it goes up to)."""

    def __init__(self, years: Mapping[int, YearResult], changes_note: str = ""):
        self.latest_year = max(years, default=None)
        self.changes_note = changes_note
        # worked out when a page asks (a build after one edit renders one branch's pages
        # and perhaps its committee's: the other branches' steps are never needed)
        self._years = years
        self._branch: dict[tuple[int, str], Event | None] = {}
        self._committees: dict[int, dict[str, list[str]]] = {}  # year -> committee -> its branches
        self._year: dict[int, Event | None] = {}

    def _branch_event(self, year: int, bid: str) -> Event | None:
        key = (year, bid)
        if key not in self._branch:
            result = self._years.get(year)
            self._branch[key] = (
                branch_event(light(result.branches, bid)) if result is not None and bid in result.branches else None
            )
        return self._branch[key]

    def _committee_of(self, year: int, cid: str) -> list[str]:
        if year not in self._committees:
            grouped: dict[str, list[str]] = {}
            result = self._years.get(year)
            branches = result.branches if result is not None else {}
            for bid in branches:
                grouped.setdefault(light(branches, bid).committee_id, []).append(bid)
            self._committees[year] = grouped
        return self._committees[year].get(cid, [])

    def _year_event(self, year: int) -> Event | None:
        if year not in self._year:
            result = self._years.get(year)
            self._year[year] = latest(self._branch_event(year, bid) for bid in (result.branches if result else ()))
        return self._year[year]

    @cached_property
    def _all(self) -> Event | None:
        return latest(self._year_event(year) for year in self._years)

    def event(self, scope: Scope) -> Event | None:
        """The latest published step among the branches the scope shows."""
        if scope.kind is ScopeKind.BRANCH and scope.year is not None:
            return self._branch_event(scope.year, scope.id)
        if scope.kind is ScopeKind.COMMITTEE and scope.year is not None:
            return latest(self._branch_event(scope.year, bid) for bid in self._committee_of(scope.year, scope.id))
        if scope.kind is ScopeKind.YEAR and scope.year is not None:
            return self._year_event(scope.year)
        if scope.kind is ScopeKind.ALL:
            return self._all
        return None

    def day(self, scope: Scope) -> date | None:
        event = self.event(scope)
        return event.day if event is not None else None

    def note(self, path: str) -> str:
        """The footer line of the page at `path`: the version of what it shows."""
        scope = urls.scope_of(path, self.latest_year)
        if scope.kind is ScopeKind.NOTICE:
            return ""  # a notice shows its own date; no ledger data
        if scope.kind is ScopeKind.CHANGES:
            # a branch's change log names its own latest change (the page sets it), not
            # the repository's commit: a commit elsewhere leaves the page alone
            return "" if scope.id else self.changes_note
        event = self.event(scope)
        if scope.kind is ScopeKind.BRANCH:
            if event is None:
                return "本页数据：本年度尚无已公示的季度。"
            return f"本页数据：{event.text}。"
        if event is None:
            return "本页数据：所列支部尚无已公示的季度。"
        return f"本页数据：截至{fmt.day(event.day)}（所列支部最近一次{event.step.value}）。"

    def screen_time(self, path: str) -> str:
        """数据更新时间 on a lobby screen: the latest published step's day among what it shows."""
        day = self.day(urls.scope_of(path, self.latest_year))
        return fmt.day(day) if day is not None else "尚无已公示的数据"
