"""Node tree to frozen dataclasses, strictly.

The dataclasses in :mod:`sitegen.model` are the schema: a field's type says how its
YAML value is read, a field without a default is required, any other key is rejected
with a did-you-mean. A dataclass field named ``pos`` receives the mapping's position.
Problems are collected, never raised, so one run reports everything.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

import yaml

from sitegen.model.enums import Vocabulary
from sitegen.model.types import IdRule, TextRule
from sitegen.problems import Pos, Problem

INVALID = object()  # a value that failed to convert (a problem was reported)

# re.ASCII: `\d` would also match full-width and other scripts' digits (`４`), which the
# documentation says are an error, and which Decimal/int would then quietly accept.
_DATE = re.compile(
    r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)$", re.ASCII
)
_INT = re.compile(r"^[+-]?\d+$", re.ASCII)
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Ids become file names (a member's page is m/<id>.html, beside it temporary and PDF
# names): far below the 255 bytes a file name may have, and far above any real id.
MAX_ID_LENGTH = 64
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN = (None, "")  # libyaml reports a plain (unquoted) scalar's style as '', PyYAML as None


def _blank(node) -> bool:
    """An unquoted empty value, `~` or `null`: the author left the field unset."""
    return isinstance(node, yaml.ScalarNode) and node.style in _PLAIN and node.value in _NULLS


_TRUE = {"true", "True", "TRUE", "是", "yes", "Yes"}
_FALSE = {"false", "False", "FALSE", "否", "no", "No"}

# Fields that hold private data and must never be written in a public file. Each maps
# to the place in content/restricted/ where it belongs.
PRIVATE_KEYS: dict[str, dict[str, str]] = {
    "Member": {
        "phone": "contacts",
        "mobile": "contacts",
        "tel": "contacts",
        "address": "contacts",
        "contact": "contacts",
        "id_card": "",
        "birthday": "",
        "birth": "",
        "id_number": "",
    },
    "Exemption": {"kind": "exemptions", "reason": "exemptions", "note": "exemptions"},
    "Appeal": {"reason": "appeals"},
}


class FileConversion:
    """The conversion of one file: where it is happening and where its problems go."""

    __slots__ = ("field", "file", "first_line", "private", "problems")

    def __init__(self, file: str, problems: list[Problem], first_line: int = 1, private: bool = False):
        self.file = file
        self.problems = problems
        self.first_line = first_line
        # a file under restricted/: messages say what is wrong and where, never the value,
        # because messages go to CI annotations and review comments on the pull request
        self.private = private
        self.field = ""  # the field being converted, to name it where the value is not said

    def quoted(self, value: str, instead: str = "这个值") -> str:
        """“value” in a message, or, when the file is private, the field's name (or
        `instead`): where and what, never the value."""
        if not self.private:
            return f"“{value}”"
        return f"{self.field} 的值" if self.field and instead else instead

    def pos(self, node: yaml.Node) -> Pos:
        m = node.start_mark
        return Pos(self.file, m.line + self.first_line, m.column + 1)

    def report(self, code: str, node: yaml.Node, message: str, hint: str = "") -> object:
        self.problems.append(Problem(code, message, self.pos(node), hint))
        return INVALID


def convert(tp, node: yaml.Node, ctx: FileConversion):
    """Convert `node` to type `tp`; INVALID (with problems reported) when it does not fit."""
    return _converter(tp)(node, ctx)


@cache
def _converter(tp):
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        inner = _converter(base)
        for rule in meta:
            if isinstance(rule, IdRule):
                return _checked(inner, _check_id)
            if isinstance(rule, TextRule):
                return _checked(inner, _check_text)
        return inner
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _optional(_converter(args[0]))
    if origin is tuple:
        return _tuple(_converter(typing.get_args(tp)[0]))
    if origin is dict:
        key_tp, value_tp = typing.get_args(tp)
        return _dict(_converter(key_tp), _converter(value_tp))
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp)
    if isinstance(tp, type) and issubclass(tp, Vocabulary):
        return _vocabulary(tp)
    scalar = {str: _str, int: _int, Decimal: _decimal, date: _date, bool: _bool}.get(tp)
    if scalar is None:
        raise TypeError(f"no converter for {tp!r}")
    return _scalar(scalar)


def _scalar(parse):
    def convert_scalar(node, ctx):
        if not isinstance(node, yaml.ScalarNode):
            return ctx.report(
                "E010", node, "这里应当是单个值，而不是列表或映射。", "检查缩进：这个值下面不应再有缩进的内容。"
            )
        return parse(node, ctx)

    return convert_scalar


# One value's text: far beyond any name, note or reason, and within what a spreadsheet
# cell holds (Excel: 32,767 characters), so a clean check never makes a broken 统计表.
MAX_TEXT_CHARS = 10_000


def _str(node, ctx):
    if len(node.value) > MAX_TEXT_CHARS:
        return ctx.report(
            "E021",
            node,
            f"这一项的文字有 {len(node.value)} 个字，超过了 {MAX_TEXT_CHARS} 个字的上限。",
            "写简短的说明；长篇内容请写成通知（notices/ 下的 .md 文件）。",
        )
    return node.value


def _int(node, ctx):
    value = node.value.strip()
    if _INT.match(value):
        return int(value)
    return ctx.report("E012", node, f"{ctx.quoted(node.value)}不是整数。", "只写半角阿拉伯数字，例如 2026。")


def _decimal(node, ctx):
    value = node.value.strip()
    if _DECIMAL.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already rules this out
            pass
    return ctx.report(
        "E012",
        node,
        f"{ctx.quoted(node.value)}不是数字。",
        "分值只写半角数字，可以有小数，例如 2 或 0.5；不要写“分”字。",
    )


def _date(node, ctx):
    value = node.value.strip()
    m = _DATE.match(value)
    if m:
        year = int(m.group(1))
        month = int(m.group(2) or m.group(4))
        day = int(m.group(3) or m.group(5))
        try:
            return date(year, month, day)
        except ValueError:
            return ctx.report(
                "E011", node, f"日期{ctx.quoted(value, '')}不存在。", "检查月份和日期，例如 2 月没有 30 日。"
            )
    return ctx.report(
        "E011", node, f"{ctx.quoted(node.value)}不是日期。", "写成 2026-06-05、2026-6-5 或 2026年6月5日。"
    )


def _bool(node, ctx):
    value = node.value.strip()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return ctx.report(
        "E013", node, f"{ctx.quoted(node.value)}应为“是”或“否”。", "写 是 或 否（也可写 true 或 false）。"
    )


def _vocabulary(cls):
    allowed = [m.value for m in cls]

    def convert_vocabulary(node, ctx):
        if not isinstance(node, yaml.ScalarNode):
            return ctx.report("E010", node, "这里应当是单个值。", f"可选值：{'、'.join(allowed)}。")
        try:
            return cls(node.value.strip())
        except ValueError:
            close = [] if ctx.private else difflib.get_close_matches(node.value.strip(), allowed, n=1, cutoff=0.3)
            guess = f"是不是“{close[0]}”？" if close else ""  # a guess would hint at a private value
            return ctx.report(
                "E013", node, f"{ctx.quoted(node.value)}不是可选的值。{guess}", f"可选值：{'、'.join(allowed)}。"
            )

    return convert_vocabulary


def _checked(inner, check):
    def convert_checked(node, ctx):
        value = inner(node, ctx)
        if value is INVALID:
            return value
        return check(value, node, ctx)

    return convert_checked


def _check_id(value, node, ctx):
    value = value.strip()
    if len(value) <= MAX_ID_LENGTH and _ID.match(value):
        return value
    if not value:
        return ctx.report("E015", node, "编号不能为空。", "填写编号，例如 M0101。")
    if len(value) > MAX_ID_LENGTH and _ID.match(value):
        return ctx.report(
            "E022",
            node,
            f"编号有 {len(value)} 个字符，太长（最多 {MAX_ID_LENGTH} 个）。",
            "编号会用作网页的文件名，请改用简短的编号，例如 M0101。",
        )
    return ctx.report(
        "E014",
        node,
        f"编号{ctx.quoted(value, '')}只能由英文字母、数字和 - _ . 组成。",
        "编号用来在文件之间互相引用，例如 M0101、2026-003；中文名称请写在 name 里。",
    )


def _check_text(value, node, ctx):
    value = value.strip()
    if value:
        return value
    return ctx.report("E015", node, "这一项不能为空。", "填写内容，或删除这一行（如果它是可选的）。")


def _optional(inner):
    def convert_optional(node, ctx):
        if _blank(node):
            return None
        return inner(node, ctx)

    return convert_optional


def _tuple(inner):
    def convert_tuple(node, ctx):
        if isinstance(node, yaml.ScalarNode):
            if _blank(node):
                return ()
            value = inner(node, ctx)  # a single value where a list is expected
            return INVALID if value is INVALID else (value,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.report("E010", node, "这里应当是列表。", "每项一行，以“- ”开头；或写成 [甲, 乙]。")
        out = [inner(child, ctx) for child in node.value]
        if any(v is INVALID for v in out):
            return INVALID
        return tuple(out)

    return convert_tuple


def _dict(key_conv, value_conv):
    def convert_dict(node, ctx):
        if _blank(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            return ctx.report("E010", node, "这里应当是映射（“键: 值”的若干行）。", "例如 M0101: 优秀。")
        out = {}
        ok = True
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not _unique_key(key_node, seen, ctx):
                ok = False
                continue
            key = key_conv(key_node, ctx)
            value = value_conv(value_node, ctx)
            if key is INVALID or value is INVALID:
                ok = False
                continue
            out[key] = value
        return out if ok else INVALID

    return convert_dict


def _unique_key(key_node, seen: set[str], ctx) -> bool:
    if not isinstance(key_node, yaml.ScalarNode):
        ctx.report("E010", key_node, "键名应当是单个词。", "检查这一行的缩进和冒号。")
        return False
    if key_node.value in seen:
        ctx.report(
            "E007",
            key_node,
            f"键{ctx.quoted(key_node.value, '')}重复出现。",
            "同一层里每个键只能写一次：删除或合并重复的那一行。",
        )
        return False
    seen.add(key_node.value)
    return True


def _understands_blank(tp) -> bool:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    return origin in (typing.Union, types.UnionType, tuple, dict) or dataclasses.is_dataclass(tp)


def _dataclass(cls):
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = [f for f in dataclasses.fields(cls) if f.name != "pos"]
    wants_pos = any(f.name == "pos" for f in dataclasses.fields(cls))
    by_name = {f.name: (f, _converter(hints[f.name])) for f in fields}
    required = [f.name for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    names = list(by_name)
    private = PRIVATE_KEYS.get(cls.__name__, {})
    # Fields whose converter has its own meaning for a blank (`~`, `null`, nothing):
    # optional values, lists, mappings, nested records. For a single value, a blank in a
    # required field is an error (not the text "~"), and in a field with a default it
    # means the default.
    blank_ok = {f.name for f in fields if _understands_blank(hints[f.name])}

    def convert_dataclass(node, ctx):
        if not isinstance(node, yaml.MappingNode):
            if _blank(node):
                return ctx.report("E017", node, "这里没有内容。", f"应填写：{'、'.join(required) or '至少一个字段'}。")
            return ctx.report(
                "E010", node, "这里应当是映射（“键: 值”的若干行）。", f"应包含的字段：{'、'.join(names)}。"
            )
        values = {}
        ok = True
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not _unique_key(key_node, seen, ctx):
                ok = False
                continue
            key = key_node.value
            spec = by_name.get(key)
            if spec is None:
                ok = False
                if key in private:
                    where = private[key]
                    hint = (
                        f"把它写进 restricted/<支部编号>/<年度>.yaml 的 {where} 部分（contacts 下只有 phone 和 "
                        "address 两项）；restricted 目录的内容不会发布。"
                        if where == "contacts"
                        else f"把它写进 restricted/<支部编号>/<年度>.yaml 的 {where} 部分；restricted 目录的内容不会发布。"
                        if where
                        else "积分管理用不到身份证号、出生日期等个人信息，请删除这一行，不要录入。"
                    )
                    ctx.report("E016", key_node, f"“{key}”属于不公开的个人信息，不能写在公开文件里。", hint)
                    continue
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                guess = f"是不是“{close[0]}”？" if close else ""
                ctx.report(
                    "E008", key_node, f"未知字段{ctx.quoted(key, '')}。{guess}", f"这里可用的字段：{'、'.join(names)}。"
                )
                continue
            if _blank(value_node) and key not in blank_ok:
                if key in required:
                    ctx.report(
                        "E015", value_node, f"必填字段“{key}”没有填写（空白、~ 或 null）。", f"在 {key}: 后面填写内容。"
                    )
                    ok = False
                continue  # the field's default
            outer, ctx.field = ctx.field, key
            value = spec[1](value_node, ctx)
            ctx.field = outer
            if value is INVALID:
                ok = False
            else:
                values[key] = value
        missing = [name for name in required if name not in seen]
        for name in missing:
            ctx.report("E009", node, f"缺少必填字段“{name}”。", f"在这一段里加上 {name}: …")
        if not ok or missing:
            return INVALID
        if wants_pos:
            values["pos"] = ctx.pos(node)
        return cls(**values)

    return convert_dataclass
