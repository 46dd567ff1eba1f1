"""YAML text to a node tree, with PyYAML's C parser and no implicit typing.

We compose nodes (we never let PyYAML construct Python values): every scalar stays the
string the author wrote, with its line and column, and the typed converter decides what
it means from the field it fills. So `NO` stays "NO", `00123` stays "00123" in a text
field and `1:30` is never a sexagesimal number.
"""

from __future__ import annotations

import re

import yaml

from sitegen.load.text import invisible_problem
from sitegen.problems import UNSAFE, Pos, Problem

_Base: type[yaml.CBaseLoader] | type[yaml.BaseLoader]
try:  # PyYAML wheels ship libyaml; fall back to the pure-Python parser only if absent
    _Base = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - exercised only without libyaml
    _Base = yaml.BaseLoader

_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}
assert not _Base.yaml_implicit_resolvers and not _Base.yaml_path_resolvers


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The base loader (every value a string: the model's converter types it), its tags
    given without the resolver's lookups — it has no implicit or path resolvers, so each
    node gets its kind's default tag, as BaseResolver.resolve gives it (called for each of
    the 30,000 nodes of a district's restricted records on every `check`)."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node, current_index):
        pass

    def ascend_resolver(self):
        pass


_MESSAGES = [
    (
        re.compile(r"mapping values are not allowed (here|in this context)"),
        "这里不能出现“: ”。",
        '如果值本身含有冒号加空格，请把整个值用英文引号括起来，例如 note: "时间: 上午"。',
    ),
    (
        re.compile(r"could not find expected ':'"),
        "缺少半角冒号“:”。",
        "每一行写成“键名: 值”，冒号是半角的，后面跟一个空格。",
    ),
    (re.compile(r"found character '\\t' that cannot start any token"), "这里有制表符（Tab）。", "把 Tab 换成空格。"),
    (
        re.compile(
            r"expected <block end>, but found '<block sequence start>'|"
            r"did not find expected '-' indicator|"
            r"expected <block end>, but found"
        ),
        "缩进不一致。",
        "同一层的项目要对齐，每级缩进用 2 个空格。",
    ),
    (
        re.compile(r"did not find expected ',' or '\]'|did not find expected ',' or '\}'"),
        "方括号或花括号没有成对，或者项目之间少了逗号。",
        "写成 [甲, 乙] 的形式：方括号成对，项目之间用半角逗号分隔。",
    ),
    (
        re.compile(r"did not find expected key"),
        "缩进不一致，或者这一行不是“键: 值”的形式。",
        "同一层的项目要对齐，每级缩进用 2 个空格。",
    ),
    (
        re.compile(r"found undefined alias|found unhashable key"),
        "这里的写法 YAML 不支持。",
        "去掉 * 或 & 开头的写法，直接写出值。",
    ),
    (
        re.compile(r"while scanning a quoted scalar|found unexpected end of stream"),
        "引号没有成对。",
        "检查这一行及之后的英文引号是否成对出现。",
    ),
    (
        re.compile(r"found unknown escape character|expected escape sequence"),
        "双引号里的反斜杠“\\”后面不是 YAML 认识的转义写法。",
        "双引号里的反斜杠要写两个（\\\\）；或者改用单引号，或者不加引号。",
    ),
    (
        re.compile(r"found character .* that cannot start any token"),
        "这里的符号不能出现在一个值的开头（例如 @ 或 `）。",
        '把整个值用英文引号括起来，例如 note: "@全体"。',
    ),
    (
        re.compile(r"while scanning an? (anchor|alias)"),
        "& 或 * 后面的写法不对。",
        "去掉 * 或 & 开头的写法，直接写出值；如果值本身以 & 或 * 开头，请用英文引号括起来。",
    ),
    (
        re.compile(r"while scanning a (block scalar|simple key|directive|tag)|while parsing a (block|tag)"),
        "这一行的写法无法识别。",
        "检查这一行和上一行的缩进、冒号和引号；可以对照 docs/ 里的示例。",
    ),
    (
        re.compile(r"expected a single document"),
        "一个文件里只能有一份内容（出现了多个 ---）。",
        "删除多余的 --- 分隔线。",
    ),
]


# A file may use anchors and aliases (& and *) to repeat a list, but the tree they
# stand for must stay about the size of the text: 1,000 aliases of 1,000 aliases fit in
# 27 KB and expand to a million nodes ("billion laughs"), minutes of work and gigabytes.
EXPANSION_ALLOWANCE = 10_000  # nodes any file may expand to, whatever its size
EXPANSION_PER_CHAR = 2  # and beyond that, nodes per character of the text

# Errors where the place to look is where the construct opened (the quote, the bracket),
# not where the parser gave up (often the end of the file).
_OPENED_AT = re.compile(
    r"while scanning a quoted scalar|while parsing a flow|while scanning a block scalar|"
    r"while scanning a simple key"
)


def compose(text: str, file: str, first_line: int = 1) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse text to a node tree. Returns (None, problems) on a syntax error, on an
    invisible character written as an escape (`"\\x1b"`, `"\\u202e"`), and when aliases
    expand to far more than the text holds."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and _OPENED_AT.search(exc.context or ""):
            mark = exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 1
        message, hint = _translate(f"{exc.context or ''} {exc.problem or ''}")
        return None, [Problem("E006", message, Pos(file, line, col), hint)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not accept (the text pass finds most first)
        return None, [_reader_problem(exc, text, file, first_line)]
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error above is marked or a reader error
        return None, [
            Problem(
                "E006",
                "YAML 格式错误，无法读取这个文件。",
                Pos(file, first_line, 1),
                "检查文件里的缩进、冒号和引号；可以对照 docs/ 里的示例。",
            )
        ]
    if node is None:
        return None, []
    if "*" not in text and "\\" not in text:  # no alias to expand, no escape to hide a character
        return node, []
    problems = inspect(node, text, file, first_line)
    return (None if any(p.is_error for p in problems) else node), problems


def _reader_problem(exc, text: str, file: str, first_line: int) -> Problem:
    """PyYAML's reader reports a byte offset of the UTF-8 text; say line and column."""
    data = text.encode("utf-8")
    offset = min(max(exc.position, 0), len(data))
    before = data[:offset].decode("utf-8", "ignore")
    line = before.count("\n") + first_line
    col = len(before) - (before.rfind("\n") + 1) + 1
    ch = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return invisible_problem(ch, Pos(file, line, col))


def inspect(root: yaml.Node, text: str, file: str, first_line: int = 1) -> list[Problem]:
    """What only the composed tree shows: invisible characters that were written as
    escapes in double-quoted strings (the text pass saw only a backslash), and aliases
    that expand beyond EXPANSION_PER_CHAR nodes per character. Each node is visited
    once, however many aliases point at it."""
    problems: list[Problem] = []
    size: dict[int, int] = {}  # id(node) -> nodes in its expanded subtree
    limit = EXPANSION_ALLOWANCE + EXPANSION_PER_CHAR * len(text)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            if isinstance(node, yaml.MappingNode):
                size[key] = 1 + sum(size[id(k)] + size[id(v)] for k, v in node.value)
            else:
                size[key] = 1 + sum(size[id(c)] for c in node.value)
            if size[key] > limit:
                return [
                    Problem(
                        "E020",
                        "文件里的别名（* 和 &）展开后内容过多，远远超过文件本身的大小。",
                        Pos(file, node.start_mark.line + first_line, node.start_mark.column + 1),
                        "不要用 & 和 * 层层引用；直接写出每一项的值。",
                    )
                ]
            continue
        if key in size:
            continue
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            if node.style == '"' and UNSAFE.search(node.value):
                problems.append(_escaped(node, text, file, first_line))
            continue
        size[key] = 0  # in progress: a cycle cannot happen in composed YAML, but never loop
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((k, False))
                stack.append((v, False))
        else:
            stack.extend((c, False) for c in node.value)
    return problems


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}


def _escaped(node: yaml.ScalarNode, text: str, file: str, first_line: int) -> Problem:
    """E018 at the escape sequence that wrote the invisible character (the opening quote
    if it cannot be found)."""
    start, end = node.start_mark.index, node.end_mark.index
    for m in _ESCAPE.finditer(text, start, end):
        code = m.group(1)
        ch = chr(int(code[1:], 16)) if len(code) > 1 else _SHORT.get(code, "")
        if ch and UNSAFE.match(ch):
            line = text.count("\n", 0, m.start()) + first_line
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            return invisible_problem(ch, Pos(file, line, col), escaped=True)
    found = UNSAFE.search(node.value)
    assert found is not None, "called only for a scalar that holds an invisible character"
    ch = found.group(0)
    return invisible_problem(ch, Pos(file, node.start_mark.line + first_line, node.start_mark.column + 1), escaped=True)


def _translate(english: str) -> tuple[str, str]:
    for pattern, message, hint in _MESSAGES:
        if pattern.search(english):
            return f"YAML 格式错误：{message}", hint
    return ("YAML 格式错误：这里的写法无法识别。", "检查这一行和上一行的缩进、冒号和引号；可以对照 docs/ 里的示例。")


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
