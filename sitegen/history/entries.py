"""Ledger entries compared by id: what was added, removed or changed between two states.

Shared by the change history (one commit's blobs) and the review report (two trees).
Entries compare on every field but their position, so moving an entry within its file
or re-indenting it is not a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum

from sitegen.model.enums import Source
from sitegen.model.ledger import Entry

# the fields a reader cares about, in the order a change is described
FIELDS = ("date", "item", "points", "members", "excluding", "void", "corrects", "reason", "source", "evidence", "note")
FIELD_NAMES = {
    "date": "日期",
    "item": "积分项目",
    "points": "分值",
    "members": "党员",
    "excluding": "排除的党员",
    "void": "作废",
    "corrects": "更正对象",
    "reason": "更正理由",
    "source": "来源",
    "evidence": "依据",
    "note": "说明",
}


class Kind(str, Enum):
    ADDED = "新增条目"
    REMOVED = "删除条目"
    CHANGED = "修改条目"
    CORRECTION = "更正条目"


def changed_fields(old: Entry, new: Entry) -> tuple[str, ...]:
    return tuple(f for f in FIELDS if getattr(old, f) != getattr(new, f))


def kind_of(old: Entry | None, new: Entry | None) -> Kind:
    if old is None:
        return Kind.CORRECTION if new is not None and new.corrects else Kind.ADDED
    if new is None:
        return Kind.REMOVED
    return Kind.CHANGED


def diff_entries(old: Iterable[Entry], new: Iterable[Entry]) -> list[tuple[Entry | None, Entry | None]]:
    """(before, after) for every entry id whose state differs: after's order, then the
    removed ones in before's order."""
    before = {e.id: e for e in old}
    after = {e.id: e for e in new}
    out: list[tuple[Entry | None, Entry | None]] = []
    for eid, e in after.items():
        was = before.get(eid)
        if was != e:
            out.append((was, e))
    out += [(e, None) for eid, e in before.items() if eid not in after]
    return out


# --------------------------------------------------------------------------- rows
# The history keeps thousands of versions of every ledger file. It holds each entry as a
# row of plain values (ids, strings, ints) in ROW order: rows compare, pickle and travel
# between processes many times faster than dataclasses, and become an Entry only when a
# page asks for that change.

ROW = (
    "id",
    "date",
    "members",
    "item",
    "points",
    "source",
    "evidence",
    "note",
    "corrects",
    "reason",
    "void",
    "excluding",
)
_SOURCES = {s.value: s for s in Source}
_AT = {name: i for i, name in enumerate(ROW)}


def to_row(e: Entry) -> tuple:
    points = None if e.points is None else str(e.points.normalize())  # 2 and 2.0 are the same points
    return (
        e.id,
        e.date.toordinal(),
        e.members,
        e.item,
        points,
        e.source.value,
        e.evidence,
        e.note,
        e.corrects,
        e.reason,
        e.void,
        e.excluding,
    )


def from_row(r: tuple) -> Entry:
    return Entry(
        id=r[0],
        date=date.fromordinal(r[1]),
        members=r[2],
        item=r[3],
        points=None if r[4] is None else Decimal(r[4]),
        source=_SOURCES[r[5]],
        evidence=r[6],
        note=r[7],
        corrects=r[8],
        reason=r[9],
        void=r[10],
        excluding=r[11],
    )


def row_fields(old: tuple, new: tuple) -> tuple[str, ...]:
    """changed_fields for rows."""
    return tuple(f for f in FIELDS if old[_AT[f]] != new[_AT[f]])


def diff_rows(old: Iterable[tuple], new: Iterable[tuple]) -> list[tuple[tuple | None, tuple | None]]:
    """diff_entries for rows (row[0] is the id)."""
    before = {r[0]: r for r in old}
    after = {r[0]: r for r in new}
    out: list[tuple[tuple | None, tuple | None]] = [(before.get(i), r) for i, r in after.items() if before.get(i) != r]
    out += [(r, None) for i, r in before.items() if i not in after]
    return out
