"""Build small models in Python for rules tests (the engine takes models, not files)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sitegen.load.assemble import resolve_entries
from sitegen.model.enums import Category, Method, Part, Status
from sitegen.model.ledger import Entry, Period, QuarterRecord, YearEnd
from sitegen.model.org import Member
from sitegen.model.scheme import Caps, Group, Item, Scheme
from sitegen.model.site import BranchYear
from sitegen.rules.score import score_branch_year

D = Decimal


def scheme(*items: Item, base=60, bonus=40, groups=(), method=Method.SUM) -> Scheme:
    return Scheme(
        year=2026,
        title="t",
        method=method,
        caps=Caps(base=D(base), bonus=D(bonus)),
        items={i.code: i for i in items},
        groups={g.code: g for g in groups},
    )


def item(code, part=Part.BASE, points=None, cap=None, group="", lo=None, hi=None) -> Item:
    return Item(
        code=code,
        part=part,
        name=code,
        points=None if points is None else D(points),
        min=None if lo is None else D(lo),
        max=None if hi is None else D(hi),
        cap=None if cap is None else D(cap),
        group=group,
    )


def group(code, cap) -> Group:
    return Group(code=code, name=code, cap=D(cap))


def member(mid, status=Status.FULL, **kw) -> Member:
    return Member(id=mid, name=mid, status=status, **kw)


def entry(eid, day, item_code, members, points=None, **kw) -> Entry:
    return Entry(
        id=eid, date=day, item=item_code, members=tuple(members), points=None if points is None else D(points), **kw
    )


def published(start: date) -> QuarterRecord:
    return QuarterRecord(confirmed=start, publicity=Period(start=start, end=start))


def score(sch: Scheme, members, entries, quarters=None, year_end: YearEnd | None = None, category=Category.GOVERNMENT):
    members = tuple(members)
    by = BranchYear(
        year=2026,
        members=members,
        plan=None,
        entries=resolve_entries(list(entries), members),
        quarters=quarters or {},
        year_end=year_end,
    )
    return score_branch_year("b", "c", category, sch, by)
