"""The editor's text writers: a file changes only by the lines added or the value edited.

Ledger entries go through the one writer `ledger-import` uses (imported once, here, as
`writer`). The roster and quarter records need a few more shapes: a list item added
after the last one, a key added to a mapping, a scalar value replaced where it stands.
Each is located with the YAML loader's node marks and done on the text, so comments,
order, blank lines and the person's own formatting stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

# THE shared YAML text writer, the one `ledger-import` uses: this is its only import here.
from sitegen import yamltext as writer
from sitegen.load.yamlio import compose
from sitegen.model.ledger import Entry

AppendError = writer.AppendError
scalar = writer.scalar


def ident(text: str) -> str:
    return writer.ident(text)


def append_entries(existing: str | None, entries: list[Entry], comment: str, header: str) -> writer.Appended:
    """Ledger entries appended to a quarter file (or a new file), as `ledger-import` does."""
    return writer.append(existing, entries, comment, header)


# -- locating ----------------------------------------------------------------------------


def _root(text: str, what: str) -> yaml.MappingNode:
    node, problems = compose(text, what)
    if problems or node is None:
        raise AppendError(f"{what} 本身有格式错误，先用 sitegen check 查看并改正")
    if not isinstance(node, yaml.MappingNode):
        raise AppendError(f"{what} 的顶层不是“键: 值”的形式")
    return node


def _get(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in node.value if k.value == key), None)


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The last node written in a block collection: its end mark is where its text ends
    (a block collection's own end mark is past the comments that follow it)."""
    while True:
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            node = node.value[-1]
        else:
            return node


def _after(text: str, node: yaml.Node) -> tuple[str, int]:
    """(text, index) where a line can be inserted right after `node`'s last line; the text
    gains a final newline if it had none."""
    leaf = _last_leaf(node)
    idx = leaf.end_mark.index
    if isinstance(leaf, yaml.ScalarNode) and leaf.style in ("|", ">") and idx > 0 and text[idx - 1] == "\n":
        return text, idx
    nl = text.find("\n", idx)
    if nl < 0:
        return text + "\n", len(text) + 1
    return text, nl + 1


def _insert(text: str, node: yaml.Node, lines: Sequence[str]) -> str:
    text, at = _after(text, node)
    return text[:at] + "".join(line + "\n" for line in lines) + text[at:]


def _indent_of(mapping: yaml.MappingNode) -> str:
    return " " * mapping.value[0][0].start_mark.column if mapping.value else ""


# -- the shapes --------------------------------------------------------------------------


def set_values(text: str, mapping: yaml.MappingNode, values: list[tuple[str, str]]) -> str:
    """Each (key, YAML text) set in `mapping` of `text`: a plain value replaced where it
    stands, a missing key added after the mapping's last line. Values are applied from
    the end of the text backwards so the marks stay valid."""
    indent = _indent_of(mapping)
    missing = []
    replace = []
    for key, value in values:
        node = _get(mapping, key)
        if node is None:
            missing.append(f"{indent}{key}: {value}")
        elif isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"'):
            replace.append((node.start_mark.index, node.end_mark.index, value))
        else:
            raise AppendError(f"“{key}”不是单个值，编辑器不改它；请直接编辑文件")
    if missing:
        text = _insert(text, mapping, missing)  # after every node: the replacements stay valid
    for start, end, value in sorted(replace, reverse=True):
        text = text[:start] + value + text[end:]
    return text


def add_to_list(text: str, key: str, blocks: list[list[str]], what: str) -> str:
    """Items (each a block of lines written at indent 0, the first starting with '- ')
    added to the top-level list `key`; the key is added if missing."""
    if not text.strip():
        return f"{key}:\n" + "".join("  " + line + "\n" for block in blocks for line in block)
    root = _root(text, what)
    value = _get(root, key)
    if value is None:
        lines = [f"{key}:"] + ["  " + line for block in blocks for line in block]
        return _insert(text, root, lines)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        raise AppendError(f"{key} 写成了 [ … ] 的单行形式；请改成每项一行后再用编辑器")
    if not isinstance(value, yaml.SequenceNode) or not value.value:
        raise AppendError(f"{key}: 的值不是列表")
    indent = " " * value.start_mark.column  # the column of its "- "
    return _insert(text, value, [indent + line for block in blocks for line in block])


def find_item(text: str, key: str, item_id: str, what: str, by: str = "id") -> yaml.MappingNode:
    """The mapping in top-level list `key` whose `by` field is `item_id`."""
    found = find_item_or_none(text, key, item_id, what, by)
    if found is None:
        raise AppendError(f"{what} 里找不到编号为 {item_id} 的一项")
    return found


def find_item_or_none(text: str, key: str, item_id: str, what: str, by: str = "id") -> yaml.MappingNode | None:
    root = _root(text, what)
    value = _get(root, key)
    if isinstance(value, yaml.SequenceNode):
        for item in value.value:
            if isinstance(item, yaml.MappingNode):
                got = _get(item, by)
                if isinstance(got, yaml.ScalarNode) and got.value == item_id:
                    return item
    return None


def set_top(text: str | None, values: list[tuple[str, str]], what: str) -> str:
    """Top-level keys set (a new file if `text` is None)."""
    if text is None or not text.strip():
        base = text or ""
        return base + "".join(f"{k}: {v}\n" for k, v in values)
    return set_values(text, _root(text, what), values)


def set_nested(text: str | None, key: str, values: list[tuple[str, str]], what: str) -> str:
    """Keys of the top-level mapping `key` set (the mapping added if missing)."""
    if text is None or not text.strip():
        return (text or "") + f"{key}:\n" + "".join(f"  {k}: {v}\n" for k, v in values)
    root = _root(text, what)
    node = _get(root, key)
    if node is None:
        return _insert(text, root, [f"{key}:"] + [f"  {k}: {v}" for k, v in values])
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise AppendError(f"{key} 不是多行的“键: 值”形式；请直接编辑文件")
    return set_values(text, node, values)


def item_block(pairs: list[tuple[str, str]]) -> list[str]:
    """A list item's lines: '- k: v' then '  k: v'."""
    lines = []
    for i, (k, v) in enumerate(pairs):
        lines.append(("- " if i == 0 else "  ") + f"{k}: {v}")
    return lines


def add_to_nested_list(text: str, mapping: yaml.MappingNode, key: str, pairs: list[tuple[str, str]]) -> str:
    """One item (its `pairs`) added to the list `key` of `mapping` (a roster line's
    `changes`, say): to a block list as one more block item, to a one-line list `[…]`
    as one more `{k: v, …}` before its `]`; the key is added if missing."""
    value = _get(mapping, key)
    if value is None:
        indent = _indent_of(mapping)
        return _insert(text, mapping, [f"{indent}{key}:"] + [indent + "  " + line for line in item_block(pairs)])
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        end = value.end_mark.index - 1  # the "]"
        if text[end] != "]":
            raise AppendError(f"{key} 的写法编辑器不认识；请直接编辑文件")
        flow = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        sep = ", " if value.value else ""
        return text[:end] + sep + flow + text[end:]
    if isinstance(value, yaml.SequenceNode) and value.value:
        indent = " " * value.start_mark.column
        return _insert(text, value, [indent + line for line in item_block(pairs)])
    raise AppendError(f"{key}: 的值不是列表")


def set_in_mapping(text: str, mapping: yaml.MappingNode, key: str, values: list[tuple[str, str]]) -> str:
    """Keys of the mapping under `key` of `mapping` set (e.g. a roster line's `exempt`);
    the nested mapping is added after `mapping`'s last line if missing."""
    node = _get(mapping, key)
    if node is None:
        indent = _indent_of(mapping)
        return _insert(text, mapping, [f"{indent}{key}:"] + [f"{indent}  {k}: {v}" for k, v in values])
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise AppendError(f"{key} 不是多行的“键: 值”形式；请直接编辑文件")
    return set_values(text, node, values)


def add_to_scalar_list(text: str | None, key: str, value: str, what: str) -> str:
    """One value added to the top-level list `key` of scalars (`drop: [B06]`): inside the
    brackets of a one-line list, as one more `- ` line of a block list; the key is added
    as a one-line list if missing."""
    if text is None or not text.strip():
        return (text or "") + f"{key}: [{value}]\n"
    root = _root(text, what)
    node = _get(root, key)
    if node is None:
        return _insert(text, root, [f"{key}: [{value}]"])
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        end = node.end_mark.index - 1  # the "]"
        if text[end] != "]":
            raise AppendError(f"{key} 的写法编辑器不认识；请直接编辑文件")
        return text[:end] + (", " if node.value else "") + value + text[end:]
    if isinstance(node, yaml.SequenceNode) and node.value:
        indent = " " * node.start_mark.column
        return _insert(text, node, [f"{indent}- {value}"])
    raise AppendError(f"{key}: 的值不是列表")
