"""Ledger entries as YAML text in the project's own style, appended to a quarter file.

The existing text is kept byte for byte: new entries go after it (a missing final
newline is added first), so a reviewer's diff shows only added lines. Two shapes need
one line changed: `entries: []` becomes `entries:` followed by the new items, and a
file without an `entries:` key gets one. Anything else we would have to rewrite is
refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from sitegen.load.yamlio import compose
from sitegen.model.enums import Source
from sitegen.model.ledger import Entry
from sitegen.render import format as fmt

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_NULLS = {"", "~", "null", "Null", "NULL"}


class AppendError(Exception):
    """The file's shape does not allow appending without rewriting it."""


def scalar(text: str) -> str:
    """A text value: plain when YAML reads it back unchanged, else double-quoted."""
    plain = (
        text == text.strip()
        and text not in _NULLS
        and "\n" not in text
        and "\t" not in text
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\u3000" not in text[:1]
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _ident(text: str) -> str:
    return text if _ID.match(text) else scalar(text)


def entry_lines(e: Entry, indent: str) -> list[str]:
    """One entry as block-mapping lines, in the order the demo ledgers use."""
    inner = indent + "  "
    lines = [f"{indent}- id: {_ident(e.id)}", f"{inner}date: {e.date.isoformat()}"]
    if e.corrects:
        lines.append(f"{inner}corrects: {_ident(e.corrects)}")
    if e.void:
        lines.append(f"{inner}void: true")
    if e.item:
        lines.append(f"{inner}item: {_ident(e.item)}")
    if e.everyone:
        lines.append(f"{inner}members: 全体")
    elif e.members:
        lines.append(f"{inner}members: [{', '.join(_ident(m) for m in e.members)}]")
    if e.excluding:
        lines.append(f"{inner}excluding: [{', '.join(_ident(m) for m in e.excluding)}]")
    if e.points is not None:
        lines.append(f"{inner}points: {fmt.points(e.points)}")
    if e.source is not Source.BRANCH:
        lines.append(f"{inner}source: {e.source.value}")
    for key, value in (("evidence", e.evidence), ("note", e.note), ("reason", e.reason)):
        if value:
            lines.append(f"{inner}{key}: {scalar(value)}")
    return lines


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
