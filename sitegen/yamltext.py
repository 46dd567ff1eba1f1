"""YAML as text, in the project's own style: the one writer of content YAML.

Used by the xlsx import (appending ledger entries), the synthetic district
(tools/synth.py), the demo generator (tools/demo/generate.py) and the editor to come.

- `scalar`, `ident`, `flow`, `value`: one value as YAML text that the project's loader
  (`sitegen.load.yamlio.compose`, no implicit typing) reads back as exactly that text;
- `block`: a mapping (or a list item) as lines, one key per line;
- `entry_lines`: a model ledger entry in the order the demo ledgers use;
- `append`: entries added to an existing ledger file. The existing text is kept byte
  for byte: new entries go after it (a missing final newline is added first), so a
  reviewer's diff shows only added lines. Two shapes need one line changed:
  `entries: []` becomes `entries:` followed by the new items, and a file without an
  `entries:` key gets one. Anything else we would have to rewrite is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import yaml

from sitegen.load.yamlio import compose
from sitegen.model.enums import Source
from sitegen.model.ledger import Entry
from sitegen.render import format as fmt

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # whole text only (fullmatch: "$" would let "0\n" through)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_NULLS = {"", "~", "null", "Null", "NULL"}
# Characters a plain scalar must not hold: line breaks, tabs, other controls, the BOM.
# (`scalar` also quotes an ideographic space at the start: it reads as indentation to a
# person, though not to YAML.)
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_QUOTE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]')

# A value `value()` writes: text, a number, a date, a flag, or a list of ids.
Value = str | int | Decimal | date | bool | Sequence[str]


class AppendError(Exception):
    """The file's shape does not allow appending without rewriting it."""


def scalar(text: str) -> str:
    """A text value: plain when YAML reads it back unchanged, else double-quoted."""
    plain = (
        text == text.strip()
        and text not in _NULLS
        and not _NOT_PLAIN.search(text)
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\u3000" not in text[:1]
    )
    return text if plain else quoted(text)


def quoted(text: str) -> str:
    """`text` double-quoted, every character that needs it escaped."""
    return '"' + _QUOTE.sub(lambda m: _ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}", text) + '"'


def ident(text: str) -> str:
    """An id (member, entry, item, branch): plain when it is a simple identifier, so it
    is also safe inside a flow list, else quoted."""
    return text if _ID.fullmatch(text) else quoted(text)


def flow(ids: Iterable[str]) -> str:
    """A list of ids on one line: [M0101, M0102]."""
    return "[" + ", ".join(ident(i) for i in ids) + "]"


def value(v: Value) -> str:
    """Any value `block` writes, as YAML text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return fmt.points(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return scalar(v)
    return flow(v)


def block(pairs: Iterable[tuple[str, Value]], indent: str = "", item: bool = False) -> list[str]:
    """A mapping as lines, one `key: value` each, at `indent`; with `item`, the mapping
    is a list item: its first line starts with "- " and the rest line up after it.
    Keys are the schema's field names and are written as given; values through `value`."""
    lines: list[str] = []
    for key, v in pairs:
        lead = indent + ("- " if item and not lines else "  " if item else "")
        lines.append(f"{lead}{key}: {value(v)}")
    return lines


def entry_lines(e: Entry, indent: str) -> list[str]:
    """One entry as a list item, in the order the demo ledgers use."""
    return block(entry_pairs(e), indent, item=True)


def entry_pairs(e: Entry) -> list[tuple[str, Value]]:
    pairs: list[tuple[str, Value]] = [("id", e.id), ("date", e.date)]
    if e.corrects:
        pairs.append(("corrects", e.corrects))
    if e.void:
        pairs.append(("void", True))
    if e.item:
        pairs.append(("item", e.item))
    if e.everyone:
        pairs.append(("members", "全体"))
    elif e.members:
        pairs.append(("members", list(e.members)))
    if e.excluding:
        pairs.append(("excluding", list(e.excluding)))
    if e.points is not None:
        pairs.append(("points", e.points))
    if e.source is not Source.BRANCH:
        pairs.append(("source", e.source.value))
    for key, text in (("evidence", e.evidence), ("note", e.note), ("reason", e.reason)):
        if text:
            pairs.append((key, text))
    return pairs


@dataclass
class Appended:
    text: str
    spans: list[tuple[int, int]]  # per entry: first and last line (1-based) in `text`


def append(existing: str | None, entries: list[Entry], comment: str, header: str) -> Appended:
    """`existing` (None: no file yet) with `entries` added after it."""
    if existing is None:
        return _add(f"{header}\nentries:\n", "  ", entries, comment)
    text = existing[1:] if existing.startswith("\ufeff") else existing
    bom = "\ufeff" if existing is not text else ""
    node, problems = compose(text, "ledger")
    if problems:
        raise AppendError("这个台账文件本身有格式错误")
    if node is None:  # only comments
        base = text if text.endswith("\n") or not text else text + "\n"
        return _shift(_add(base + "entries:\n", "  ", entries, comment), bom)
    if not isinstance(node, yaml.MappingNode):
        raise AppendError("文件顶层不是“entries:”映射")
    value = next((v for k, v in node.value if k.value == "entries"), None)
    if value is None:
        raise AppendError("文件里没有 entries:")
    if node.value[-1][1] is not value:
        raise AppendError("entries: 后面还有别的键")
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        if value.value:
            raise AppendError("entries 写成了 [ … ] 的单行形式")
        line_end = text.find("\n", value.end_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        before = text[: value.start_mark.index].rstrip(" ") + text[value.end_mark.index : line_end] + "\n"
        after = text[line_end + 1 :]
        out = _add(before, "  ", entries, comment)
        if after:
            out.text += after
        return _shift(out, bom)
    if isinstance(value, yaml.SequenceNode):
        indent = " " * value.start_mark.column
    elif isinstance(value, yaml.ScalarNode) and value.value == "":
        indent = "  "
    else:
        raise AppendError("entries: 的值不是列表")
    base = text if text.endswith("\n") else text + "\n"
    return _shift(_add(base, indent, entries, comment), bom)


def _add(base: str, indent: str, entries: list[Entry], comment: str) -> Appended:
    lines = [f"{indent}# {comment}"]
    spans = []
    line_no = base.count("\n") + 2  # the comment is line count+1
    for e in entries:
        block = entry_lines(e, indent)
        spans.append((line_no, line_no + len(block) - 1))
        line_no += len(block)
        lines += block
    return Appended(base + "\n".join(lines) + "\n", spans)


def _shift(out: Appended, bom: str) -> Appended:
    if bom:
        out.text = bom + out.text
    return out
