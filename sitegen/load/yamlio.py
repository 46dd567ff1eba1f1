"""YAML text to a node tree, with PyYAML's C parser and no implicit typing.

We compose nodes (we never let PyYAML construct Python values): every scalar stays the
string the author wrote, with its line and column, and the typed converter decides what
it means from the field it fills. So `NO` stays "NO", `00123` stays "00123" in a text
field and `1:30` is never a sexagesimal number.
"""

from __future__ import annotations

import re

import yaml

from sitegen.problems import Pos, Problem

try:  # PyYAML wheels ship libyaml; fall back to the pure-Python parser only if absent
    _Loader = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - exercised only without libyaml
    _Loader = yaml.BaseLoader

_MESSAGES = [
    (re.compile(r"mapping values are not allowed (here|in this context)"),
     "这里不能出现“: ”。", "如果值本身含有冒号加空格，请把整个值用英文引号括起来，例如 note: \"时间: 上午\"。"),
    (re.compile(r"could not find expected ':'"),
     "缺少半角冒号“:”。", "每一行写成“键名: 值”，冒号是半角的，后面跟一个空格。"),
    (re.compile(r"found character '\\t' that cannot start any token"),
     "这里有制表符（Tab）。", "把 Tab 换成空格。"),
    (re.compile(r"expected <block end>, but found '<block sequence start>'|"
                r"did not find expected '-' indicator|"
                r"expected <block end>, but found"),
     "缩进不一致。", "同一层的项目要对齐，每级缩进用 2 个空格。"),
    (re.compile(r"did not find expected ',' or '\]'|did not find expected ',' or '\}'"),
     "方括号或花括号没有成对，或者项目之间少了逗号。", "写成 [甲, 乙] 的形式：方括号成对，项目之间用半角逗号分隔。"),
    (re.compile(r"did not find expected key"),
     "缩进不一致，或者这一行不是“键: 值”的形式。", "同一层的项目要对齐，每级缩进用 2 个空格。"),
    (re.compile(r"found undefined alias|found unhashable key"),
     "这里的写法 YAML 不支持。", "去掉 * 或 & 开头的写法，直接写出值。"),
    (re.compile(r"while scanning a quoted scalar|found unexpected end of stream"),
     "引号没有成对。", "检查这一行及之后的英文引号是否成对出现。"),
    (re.compile(r"expected a single document"),
     "一个文件里只能有一份内容（出现了多个 ---）。", "删除多余的 --- 分隔线。"),
]


def compose(text: str, file: str, first_line: int = 1) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse text to a node tree. Returns (None, problems) on a syntax error."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 1
        message, hint = _translate(f"{exc.context or ''} {exc.problem or ''}")
        return None, [Problem("E006", message, Pos(file, line, col), hint)]
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        return None, [Problem("E006", f"YAML 无法读取：{exc}", Pos(file, first_line, 1),
                              "删除文件里的不可见控制字符后再试。")]
    return node, []


def _translate(english: str) -> tuple[str, str]:
    for pattern, message, hint in _MESSAGES:
        if pattern.search(english):
            return f"YAML 格式错误：{message}", hint
    return (f"YAML 格式错误（{english.strip()}）。",
            "检查这一行和上一行的缩进、冒号和引号；可以对照 docs/ 里的示例。")


def node_pos(node: yaml.Node, file: str, first_line: int = 1) -> Pos:
    mark = node.start_mark
    return Pos(file, mark.line + first_line, mark.column + 1)


def descend(node: yaml.Node, path: tuple) -> yaml.Node:
    """The node at `path` (keys and list indexes) below `node`, or the deepest that exists.

    Used only when reporting a problem found after loading, so the model need not carry
    a position for every scalar."""
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node
