"""Ledger entries compared by id: what was added, removed or changed between two states.

Shared by the change history (one commit's blobs) and the review report (two trees).
Entries compare on every field but their position, so moving an entry within its file
or re-indenting it is not a change.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from sitegen.model.ledger import Entry

# the fields a reader cares about, in the order a change is described
FIELDS = ("date", "item", "points", "members", "excluding", "void", "corrects", "reason", "source", "evidence", "note")
FIELD_NAMES = {
    "date": "日期", "item": "积分项目", "points": "分值", "members": "党员", "excluding": "排除的党员",
    "void": "作废", "corrects": "更正对象", "reason": "更正理由", "source": "来源", "evidence": "依据", "note": "说明",
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
        return Kind.CORRECTION if new.corrects else Kind.ADDED
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
