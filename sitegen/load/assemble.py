"""Parsed files to one :class:`District`: the folder tree becomes the organization tree.

Files that failed to parse were reported already; whatever depends on them is left out
so that later checks do not pile up follow-on errors.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sitegen.load.layout import SourceFile
from sitegen.memo import NO_MEMO, Memo
from sitegen.model.ledger import Entry, LedgerFile
from sitegen.model.org import Member
from sitegen.model.site import Branch, BranchYear, Committee, District
from sitegen.problems import Pos, Problem
from sitegen.rules.membership import everyone_on, reduce_roster


def assemble(parsed: list[tuple[SourceFile, object]], memo: Memo = NO_MEMO) -> tuple[District | None, list[Problem]]:
    problems: list[Problem] = []
    site = None
    schemes: dict[int, object] = {}
    notices: dict[tuple, list] = {}
    committees: dict[str, dict] = {}
    branches: dict[tuple[str, str], dict] = {}
    years: dict[tuple[str, str], dict[int, dict]] = {}  # (committee, branch) -> year -> files

    for sf, value in parsed:
        if value is None:
            continue
        kind = sf.kind
        if kind == "site":
            site = value
        elif kind == "scheme":
            schemes[sf.year] = value
        elif kind == "notice":
            notices.setdefault((sf.committee, sf.branch), []).append(value)
        elif kind == "committee":
            committees.setdefault(sf.committee, {"rules": {}, "filings": {}})["info"] = value
        elif kind == "rules":
            committees.setdefault(sf.committee, {"rules": {}, "filings": {}})["rules"][sf.year] = value
        elif kind == "filings":
            committees.setdefault(sf.committee, {"rules": {}, "filings": {}})["filings"][sf.year] = value
        elif kind == "branch":
            branches[(sf.committee, sf.branch)] = {"info": value, "pos": value.pos}
        elif kind in ("roster", "plan", "year_end"):
            years.setdefault((sf.committee, sf.branch), {}).setdefault(sf.year, {})[kind] = value
        elif kind in ("ledger", "quarter"):
            years.setdefault((sf.committee, sf.branch), {}).setdefault(sf.year, {}).setdefault(kind, {})[sf.quarter] = (
                value
            )

    if site is None:
        return None, problems

    seen_branch: dict[str, Pos] = {}
    built_committees = []
    for cid in sorted(committees):
        data = committees[cid]
        if "info" not in data:
            continue
        built = []
        for (bcid, bid), bdata in sorted(branches.items()):
            if bcid != cid:
                continue
            if bid in seen_branch:
                problems.append(
                    Problem(
                        "E103",
                        f"支部编号“{bid}”在两个党(工)委下重复出现。",
                        bdata["pos"],
                        "支部文件夹名在全区必须唯一：给其中一个改名。",
                    )
                )
                continue
            seen_branch[bid] = bdata["pos"]
            branch_years = {}
            for year, ydata in sorted(years.get((cid, bid), {}).items()):
                if "roster" in ydata:
                    branch_years[year] = memo.get(
                        ("branch_year", cid, bid, year), _year_inputs(ydata), lambda: _branch_year(year, ydata)
                    )
            mine = notices.get((cid, bid), [])
            built.append(
                memo.get(
                    ("branch", cid, bid),
                    (bdata["info"], len(branch_years), *branch_years.values(), *mine),
                    lambda: Branch(
                        id=bid, committee_id=cid, info=bdata["info"], years=branch_years, notices=_sorted_notices(mine)
                    ),
                )
            )
        built_committees.append(
            Committee(
                id=cid,
                info=data["info"],
                rules=dict(sorted(data["rules"].items())),
                branches=tuple(built),
                notices=_sorted_notices(notices.get((cid, ""), [])),
                filings=dict(sorted(data.get("filings", {}).items())),
            )
        )
    district = District(
        info=site,
        schemes=dict(sorted(schemes.items())),
        committees=tuple(built_committees),
        notices=_sorted_notices(notices.get(("", ""), [])),
    )
    return district, problems


def _year_inputs(data: dict) -> tuple:
    """The parsed files a branch's year is assembled from, in a fixed order."""
    ledgers, quarters = data.get("ledger", {}), data.get("quarter", {})
    return (
        data["roster"],
        data.get("plan"),
        data.get("year_end"),
        *(ledgers.get(q) for q in range(1, 5)),
        *(quarters.get(q) for q in range(1, 5)),
    )


def _sorted_notices(items) -> tuple:
    return tuple(sorted(items, key=lambda n: (n.date, n.slug), reverse=True))


def _branch_year(year: int, data: dict) -> BranchYear:
    members = data["roster"].members
    ledgers: dict[int, LedgerFile] = data.get("ledger", {})
    entries = [e for q in sorted(ledgers) for e in ledgers[q].entries]
    entries = resolve_entries(entries, members)
    return BranchYear(
        year=year,
        members=members,
        plan=data.get("plan"),
        entries=entries,
        quarters=dict(sorted(data.get("quarter", {}).items())),
        year_end=data.get("year_end"),
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
