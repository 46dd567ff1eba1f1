"""The output's manifest as text: canonical JSON, written again from what changed.

The manifest (`.sitegen-manifest.json`, read by `publish`, `serve` and the next build)
is one deterministic line: four sorted objects, `{"pages":{…},"units":{…},"files":{…},
"hashes":{…}}`, byte-identical for the same content. At a thousand branches it is
~8 MB for ~35,000 files, and serialising it (sorting and encoding four objects of that
size) cost a one-edit build a tenth of a second — for entries nearly all the same as the
last build's. So the last manifest's text is kept (read at the start of the build, its
sections' places recorded beside the output when it was written), and each section is
written again as runs of its old text with only the changed entries put in, taken out
or replaced: the same bytes `json.dumps` gives (every located entry is checked against
the value the last manifest held; anything unexpected falls back to the full encoding).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from itertools import filterfalse

SECTIONS = ("pages", "units", "files", "hashes")
_DECODER = json.JSONDecoder()
SPLICE_AT_MOST = 8  # changed entries per this many: more, and the full encoding is as quick


class Unexpected(Exception):
    """The old text is not what the old values say: encode in full instead."""


def encode(value: object) -> str:
    """One value (a section, or an entry's key or value) as the manifest writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def section(new: dict, old: dict | None = None, text: str | None = None, same: set[str] | None = None) -> str:
    """The canonical text of a section whose entries are `new` (unsorted): `text`, the
    canonical text of `old` (the last manifest's same section, in its file's order),
    with the changed entries spliced in, or — without them, or with too many changes —
    the full encoding. `same`: keys known to have their old value (not compared; only
    if every one is among the old keys)."""
    if old is not None and text is not None:
        if same is not None and old.keys() >= same:  # the others: few (filterfalse: no big sets made)
            maybe: Iterable[str] = {*filterfalse(same.__contains__, new), *filterfalse(same.__contains__, old)}
        else:
            maybe = {*new, *old}
        # (a loop without calls: quicker than set operations on the items, which also
        # make a tuple per entry for the garbage collector to count)
        changed = [key for key in maybe if key not in old or key not in new or old[key] != new[key]]
        if len(changed) * SPLICE_AT_MOST <= len(new):
            try:
                return _splice(new, old, text, sorted(changed))
            except Unexpected:
                pass
    return encode(dict(sorted(new.items())))


def _splice(new: dict, old: dict, text: str, changed: list[str]) -> str:
    """`text` (`old` encoded, sorted) with the entries of `changed` (sorted keys) made as
    in `new`: copied runs of whole old entries, joined by commas with the new ones."""
    if not (text.startswith("{") and text.endswith("}")):
        raise Unexpected
    keys = list(old)  # the file's order: sorted, as written
    end = len(text) - 1  # the closing brace
    cursor = 1  # the start of the next old entry not yet copied
    pieces: list[str] = []

    def locate(key: str) -> tuple[int, int]:
        """Where the old entry of `key` starts and ends (checked against its old value)."""
        needle = encode(key) + ":"
        at = text.find(needle, cursor, end)
        while at != -1 and text[at - 1] not in "{,":
            at = text.find(needle, at + 1, end)  # the same characters inside another key
        if at == -1:
            raise Unexpected
        try:
            value, stop = _DECODER.raw_decode(text, at + len(needle))
        except ValueError:
            raise Unexpected from None
        if value != old[key] or stop > end or text[stop] not in ",}":
            raise Unexpected
        return at, stop

    def copy_to(at: int) -> None:
        if at > cursor:
            pieces.append(text[cursor : at - 1])  # the run before `at`, without its comma

    for key in changed:
        if key in old:
            at, stop = locate(key)
            copy_to(at)
            cursor = stop + 1
        else:
            following = bisect_right(keys, key)
            if following < len(keys):
                at = locate(keys[following])[0]
                copy_to(at)
                cursor = at
            else:
                copy_to(end + 1)
                cursor = end + 1
        if key in new:
            pieces.append(encode(key) + ":" + encode(new[key]))
    if cursor < end:
        pieces.append(text[cursor:end])
    return "{" + ",".join(pieces) + "}"


def encode_manifest(
    new: dict[str, dict],
    old: dict[str, dict] | None = None,
    texts: dict[str, str] | None = None,
    same: set[str] | None = None,
) -> str:
    """The whole manifest: each section through `section`, with the last manifest's
    values (`old`) and texts (`texts`) where known; `same`: the files whose entries
    (in every section keyed by file) are the old ones."""
    parts = []
    for name in SECTIONS:
        keyed_by_file = name != "units"
        text = section(new[name], (old or {}).get(name), (texts or {}).get(name), same if keyed_by_file else None)
        parts.append(encode(name) + ":" + text)
    return "{" + ",".join(parts) + "}"


def places(text: str) -> list[int] | None:
    """Where each section's text starts and ends in a manifest written by `manifest`
    ([start, end] for each of SECTIONS in turn), found from the known layout; None if the
    text is not laid out so."""
    found: list[int] = []
    at = 0
    for i, name in enumerate(SECTIONS):
        head = ("{" if i == 0 else ",") + encode(name) + ":"
        if i == 0:
            if not text.startswith(head):
                return None
            start = len(head)
        else:
            marker = "}" + head
            at = text.find(marker, at)
            if at == -1:
                return None
            found.append(at + 1)  # the previous section ends after its brace
            start = at + len(marker)
        found.append(start)
        at = start
    if not text.endswith("}}"):
        return None
    found.append(len(text) - 1)
    return found
