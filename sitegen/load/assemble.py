"""Parsed files to one :class:`District`: the folder tree becomes the organization tree.

Files that failed to parse were reported already; whatever depends on them is left out
so that later checks do not pile up follow-on errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sitegen.load.layout import SourceFile
from sitegen.load.parse import Parsed
from sitegen.memo import NO_MEMO, Memo
from sitegen.model.ledger import Entry, Filings, LedgerFile, Notice, QuarterRecord, YearEnd
from sitegen.model.org import BranchInfo, CommitteeInfo, DistrictInfo, Member, Roster
from sitegen.model.scheme import BranchPlan, CommitteeRules, DistrictScheme
from sitegen.model.site import Branch, BranchYear, Committee, District
from sitegen.problems import Pos, Problem
from sitegen.rules.membership import everyone_on, reduce_roster


@dataclass
class YearFiles:
    """A branch year's parsed files (those that parsed)."""

    roster: Roster | None = None
    plan: BranchPlan | None = None
    year_end: YearEnd | None = None
    ledger: dict[int, LedgerFile] = field(default_factory=dict)  # by quarter
    quarter: dict[int, QuarterRecord] = field(default_factory=dict)


@dataclass
class _CommitteeFiles:
    info: CommitteeInfo | None = None
    rules: dict[int, CommitteeRules] = field(default_factory=dict)  # by year
    filings: dict[int, Filings] = field(default_factory=dict)


def assemble(
    parsed: list[tuple[SourceFile, Parsed]],
    memo: Memo = NO_MEMO,
    ready: dict[tuple[str, str], Branch] | None = None,
) -> tuple[District | None, list[Problem]]:
    """`parsed`: each file that parsed, with its value (the type its kind parses to).
    `ready`: (committee, branch) -> the branch as assembled from its folder's files in an
    earlier run, those files unchanged (and so not in `parsed`): taken as it is."""
    ready = ready or {}
    problems: list[Problem] = []
    site = None
    schemes: dict[int, DistrictScheme] = {}
    notices: dict[tuple[str, str], list[Notice]] = {}
    committees: dict[str, _CommitteeFiles] = {}
    branches: dict[tuple[str, str], BranchInfo] = {}
    years: dict[tuple[str, str], dict[int, YearFiles]] = {}  # (committee, branch) -> year -> files

    def year_of(sf: SourceFile) -> YearFiles:
        return years.setdefault((sf.committee, sf.branch), {}).setdefault(sf.year, YearFiles())

    for sf, value in parsed:
        match value:
            case DistrictInfo():
                site = value
            case DistrictScheme():
                schemes[sf.year] = value
            case Notice():
                notices.setdefault((sf.committee, sf.branch), []).append(value)
            case CommitteeInfo():
                committees.setdefault(sf.committee, _CommitteeFiles()).info = value
            case CommitteeRules():
                committees.setdefault(sf.committee, _CommitteeFiles()).rules[sf.year] = value
            case Filings():
                committees.setdefault(sf.committee, _CommitteeFiles()).filings[sf.year] = value
            case BranchInfo():
                branches[(sf.committee, sf.branch)] = value
            case Roster():
                year_of(sf).roster = value
            case BranchPlan():
                year_of(sf).plan = value
            case YearEnd():
                year_of(sf).year_end = value
            case LedgerFile():
                year_of(sf).ledger[sf.quarter] = value
            case QuarterRecord():
                year_of(sf).quarter[sf.quarter] = value

    if site is None:
        return None, problems
    for where, done in ready.items():
        branches[where] = done.info

    seen_branch: dict[str, Pos] = {}
    built_committees = []
    for cid in sorted(committees):
        data = committees[cid]
        if data.info is None:
            continue
        built = []
        for (bcid, bid), info in sorted(branches.items()):
            if bcid != cid:
                continue
            if bid in seen_branch:
                problems.append(
                    Problem(
                        "E103",
                        f"支部编号“{bid}”在两个党(工)委下重复出现。",
                        info.pos,
                        "支部文件夹名在全区必须唯一：给其中一个改名。",
                    )
                )
                continue
            seen_branch[bid] = info.pos
            if (cid, bid) in ready:
                built.append(ready[(cid, bid)])
                continue
            branch_years: dict[int, BranchYear] = {}
            for year, ydata in sorted(years.get((cid, bid), {}).items()):
                if ydata.roster is not None:
                    branch_years[year] = memo.get(
                        ("branch_year", cid, bid, year), _year_inputs(ydata), lambda: branch_year(year, ydata)
                    )
            mine = notices.get((cid, bid), [])
            built.append(
                memo.get(
                    ("branch", cid, bid),
                    (info, len(branch_years), *branch_years.values(), *mine),
                    lambda: Branch(
                        id=bid, committee_id=cid, info=info, years=branch_years, notices=_sorted_notices(mine)
                    ),
                )
            )
        built_committees.append(
            Committee(
                id=cid,
                info=data.info,
                rules=dict(sorted(data.rules.items())),
                branches=tuple(built),
                notices=_sorted_notices(notices.get((cid, ""), [])),
                filings=dict(sorted(data.filings.items())),
            )
        )
    district = District(
        info=site,
        schemes=dict(sorted(schemes.items())),
        committees=tuple(built_committees),
        notices=_sorted_notices(notices.get(("", ""), [])),
    )
    return district, problems


def _year_inputs(data: YearFiles) -> tuple[Parsed | None, ...]:
    """The parsed files a branch's year is assembled from, in a fixed order."""
    return (
        data.roster,
        data.plan,
        data.year_end,
        *(data.ledger.get(q) for q in range(1, 5)),
        *(data.quarter.get(q) for q in range(1, 5)),
    )


def _sorted_notices(items: list[Notice]) -> tuple[Notice, ...]:
    return tuple(sorted(items, key=lambda n: (n.date, n.slug), reverse=True))


def branch_year(year: int, data: YearFiles) -> BranchYear:
    """A branch year from its files: `data.roster` is required."""
    assert data.roster is not None, "a branch year is assembled only with its roster"
    members = data.roster.members
    entries = resolve_entries([e for q in sorted(data.ledger) for e in data.ledger[q].entries], members)
    return BranchYear(
        year=year,
        members=members,
        plan=data.plan,
        entries=entries,
        quarters=dict(sorted(data.quarter.items())),
        year_end=data.year_end,
    )


def everyone(members: tuple[Member, ...], day: date) -> tuple[str, ...]:
    """Who `members: 全体` means on `day`: the 正式 and 预备党员 this branch scores that
    day (on the roster, not exempt, not floated out, not 积极分子), in roster order."""
    return everyone_on(reduce_roster(members), day)


def resolve_entries(entries: list[Entry], members: tuple[Member, ...]) -> tuple[Entry, ...]:
    """Expand `全体` as of each entry's date, let corrections inherit what they do not
    restate, sort by (date, id)."""
    reduced = reduce_roster(members)
    on_day: dict[date, tuple[str, ...]] = {}
    dates = {e.id: e.date for e in entries}
    resolved = []
    for e in entries:
        if e.everyone:
            # a correction restates the corrected activity: 全体 as of that activity's date
            day = dates.get(e.corrects, e.date) if e.corrects else e.date
            day = min(day, e.date)
            all_ids = on_day.get(day)
            if all_ids is None:
                all_ids = on_day[day] = everyone_on(reduced, day)
            skip = set(e.excluding)
            e = replace(e, members=tuple(m for m in all_ids if m not in skip))
        resolved.append(e)
    by_id = {e.id: e for e in resolved}
    done: dict[int, Entry] = {}

    def inherit(e: Entry, depth: int = 0) -> Entry:
        """A correction takes what it does not restate from the entry it corrects, as that
        entry counts — itself resolved first, so a correction of a correction inherits
        through the chain (a cycle, reported by validation, stops after a few links)."""
        if id(e) in done:
            return done[id(e)]
        target = by_id.get(e.corrects) if e.corrects else None
        out = e
        if target is not None and not e.void and target is not e and depth < 50:
            target = inherit(target, depth + 1)
            same_item = not e.item or e.item == target.item
            out = replace(
                e,
                item=e.item or target.item,
                members=e.members or target.members,
                points=e.points if e.points is not None or not same_item else target.points,
            )
        done[id(e)] = out
        return out

    out = [inherit(e) for e in resolved]
    return tuple(sorted(out, key=lambda e: (e.date, e.id)))
