"""One file's bytes to one typed object: decode → text lint → YAML → dataclass.

Pure given (kind, path, bytes), so results can be cached by content hash and files can
be parsed in worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, TypeVar, Union, overload

import yaml

from sitegen.load import privacy
from sitegen.load import text as textpass
from sitegen.load.convert import INVALID, FileConversion, convert
from sitegen.load.layout import FileKind
from sitegen.load.yamlio import compose
from sitegen.model.ledger import Filings, LedgerFile, Notice, QuarterRecord, YearEnd
from sitegen.model.org import BranchInfo, CommitteeInfo, DistrictInfo, Roster
from sitegen.model.scheme import BranchPlan, CommitteeRules, DistrictScheme
from sitegen.model.types import Text
from sitegen.problems import Pos, Problem

if TYPE_CHECKING:
    from sitegen.model.restricted import RestrictedYear

SCHEMAS: dict[FileKind, type] = {
    FileKind.SITE: DistrictInfo,
    FileKind.SCHEME: DistrictScheme,
    FileKind.COMMITTEE: CommitteeInfo,
    FileKind.RULES: CommitteeRules,
    FileKind.FILINGS: Filings,
    FileKind.BRANCH: BranchInfo,
    FileKind.ROSTER: Roster,
    FileKind.PLAN: BranchPlan,
    FileKind.LEDGER: LedgerFile,
    FileKind.QUARTER: QuarterRecord,
    FileKind.YEAR_END: YearEnd,
    # FileKind.RESTRICTED: RestrictedYear, added by _schema when first asked for (a build
    # never reads restricted records: it does not import their model)
}


def _schema(kind: FileKind) -> type:
    found = SCHEMAS.get(kind)
    if found is None and kind is FileKind.RESTRICTED:
        from sitegen.model.restricted import RestrictedYear

        found = SCHEMAS[kind] = RestrictedYear
    if found is None:
        raise KeyError(kind)
    return found


# What a content file parses to: one type per kind (SCHEMAS, and Notice for notices).
# (RestrictedYear by name: a build never reads restricted records, nor imports their model)
Parsed = Union[  # noqa: UP007
    DistrictInfo,
    DistrictScheme,
    CommitteeInfo,
    CommitteeRules,
    Filings,
    BranchInfo,
    Roster,
    BranchPlan,
    LedgerFile,
    QuarterRecord,
    YearEnd,
    "RestrictedYear",
    Notice,
]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NoticeHead:
    title: Text
    date: date
    pinned: bool = False


@overload
def parse(kind: Literal[FileKind.SITE], path: str, raw: bytes) -> tuple[DistrictInfo | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.SCHEME], path: str, raw: bytes) -> tuple[DistrictScheme | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.COMMITTEE], path: str, raw: bytes) -> tuple[CommitteeInfo | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.RULES], path: str, raw: bytes) -> tuple[CommitteeRules | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.FILINGS], path: str, raw: bytes) -> tuple[Filings | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.BRANCH], path: str, raw: bytes) -> tuple[BranchInfo | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.ROSTER], path: str, raw: bytes) -> tuple[Roster | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.PLAN], path: str, raw: bytes) -> tuple[BranchPlan | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.LEDGER], path: str, raw: bytes) -> tuple[LedgerFile | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.QUARTER], path: str, raw: bytes) -> tuple[QuarterRecord | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.YEAR_END], path: str, raw: bytes) -> tuple[YearEnd | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.RESTRICTED], path: str, raw: bytes) -> tuple[RestrictedYear | None, list[Problem]]: ...
@overload
def parse(kind: Literal[FileKind.NOTICE], path: str, raw: bytes) -> tuple[Notice | None, list[Problem]]: ...
@overload
def parse(kind: FileKind | str, path: str, raw: bytes) -> tuple[Parsed | None, list[Problem]]: ...
def parse(kind: FileKind | str, path: str, raw: bytes) -> tuple[Parsed | None, list[Problem]]:
    """A file's bytes as the model type of its kind (None if it does not parse: the
    problems say why). `kind` may be given as its string ("roster")."""
    text, problems = textpass.decode(raw, path)
    if text is None:
        return None, problems
    hidden = textpass.invisible(text, path)
    if hidden:  # refused before YAML or Markdown sees them (YAML's own message is English and at line 1)
        return None, problems + hidden
    value: Parsed | None
    if kind == FileKind.NOTICE:
        value, more = _parse_notice(path, text)
    else:
        value, more = _parse_yaml(_schema(FileKind(kind)), path, text)
    return value, problems + more


def _parse_yaml(schema: type[T], path: str, text: str, first_line: int = 1) -> tuple[T | None, list[Problem]]:
    problems = textpass.lint(text, path, first_line)
    if any(p.is_error for p in problems):
        return None, problems  # YAML would only repeat the same mistake more cryptically
    node, more = compose(text, path, first_line)
    problems += more
    if node is None:
        if not more:
            problems.append(
                Problem("E017", "文件是空的。", Pos(path, 1, 1), "参照 docs/ 里的示例填写，或删除这个文件。")
            )
        return None, problems
    too_many = _too_many(schema, node, path, first_line)
    if too_many is not None:
        return None, problems + [too_many]
    private = path.startswith("restricted/")
    value = convert(schema, node, FileConversion(path, problems, first_line, private=private))
    if not private and privacy.suspicious(text):
        problems += privacy.scan_nodes(node, path, first_line)
    return (None if value is INVALID else value), problems


# Far beyond any real branch (the largest have a few hundred members): a list this long
# is a mistake or an attack, and refusing it early saves minutes of checking and building.
MAX_LIST = {Roster: ("members", 5000, "名册里的党员"), LedgerFile: ("entries", 20000, "台账条目")}


def _too_many(schema: type, node: yaml.Node, path: str, first_line: int) -> Problem | None:
    bound = MAX_LIST.get(schema)
    if bound is None or not isinstance(node, yaml.MappingNode):
        return None
    key, limit, what = bound
    for k, v in node.value:
        if (
            isinstance(k, yaml.ScalarNode)
            and k.value == key
            and isinstance(v, yaml.SequenceNode)
            and len(v.value) > limit
        ):
            return Problem(
                "E021",
                f"{what}有 {len(v.value)} 项，超过了 {limit} 项的上限，远远超出一个支部的实际规模。",
                Pos(path, v.start_mark.line + first_line, v.start_mark.column + 1),
                "检查文件是否被误复制或重复粘贴了内容；一个支部的名册、台账不会有这么多项。",
            )
    return None


def _parse_notice(path: str, text: str) -> tuple[Notice | None, list[Problem]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (line.strip() for line in lines[1:]):
        return None, [
            Problem(
                "E801",
                "通知开头缺少文件头（以 --- 开始和结束的标题、日期）。",
                Pos(path, 1, 1),
                "在第一行写 ---，然后写 title: 标题 和 date: 2026-04-10，再写一行 ---，正文写在后面。",
            )
        ]
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    head_text = "\n".join(lines[1:end])
    head, problems = _parse_yaml(NoticeHead, path, head_text, first_line=2)
    if head is None:
        return None, problems
    slug = path.rsplit("/", 1)[-1][: -len(".md")]
    body = "\n".join(lines[end + 1 :]).strip("\n") + "\n"
    body_text = "\n".join(lines[end + 1 :])
    if privacy.suspicious(body_text):
        problems += privacy.scan_lines(body_text, path, first_line=end + 2)
    return Notice(
        slug=slug, title=head.title, date=head.date, body=body, pinned=head.pinned, pos=Pos(path, 1, 1)
    ), problems
