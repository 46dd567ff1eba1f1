"""Sheet rows to model ledger entries.

Each cell is read here, and what only the sheet can get wrong is said at its cell: text
where a number or a date belongs, a name that is not on the roster or is ambiguous, an
item that is not in the branch's list, a date outside the quarter asked for (--quarter).
The ledger rules themselves — dates in the year, items that apply to the category,
points, members who may be scored on the day, corrections — are not repeated here: the
import runs `sitegen.validate.ledger.check_ledger`, the very rules of `check`, on the
entries built here (`importer._rule_problems`), each problem at its cell.

Identity: a row whose 编号 is an existing entry's is that entry — the same content means
it was imported before (left alone); different content is an error (the ledger is not
edited from the sheet). A row without 编号 whose content equals an existing entry's is
also one imported before. A new 编号 with an existing entry's content is a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sitegen.model.enums import Source
from sitegen.model.ledger import EVERYONE, Entry
from sitegen.model.org import Member
from sitegen.model.scheme import Item, Scheme
from sitegen.model.scored import Role
from sitegen.problems import Pos, Problem
from sitegen.rules.periods import quarter_name, quarter_of
from sitegen.rules.score import role_of
from sitegen.validate.ledger import CORRECTION_GRACE
from sitegen.xlsxio import layout as L
from sitegen.xlsxio.codes import at_cell
from sitegen.xlsxio.sheet import Sheet, SheetRow

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_SPLIT = re.compile(r"[、，,；;\s]+")
_NAME_ID = re.compile(r"^(.+?)[（(]\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*[)）]\Z")


@dataclass
class ImportTarget:
    """What a row is checked against: the branch's year as the content has it."""

    year: int
    scheme: Scheme
    members: tuple[Member, ...]
    existing: list[tuple[int, Entry]]  # (file quarter, entry) as written
    quarter: int | None = None  # import only this quarter's dates
    roles: dict[str, Role] = field(init=False)
    by_name: dict[str, list[Member]] = field(init=False)

    def __post_init__(self):
        self.roles = {m.id: role_of(m) for m in self.members}
        self.by_name = {}
        for m in self.members:
            self.by_name.setdefault(m.name, []).append(m)


@dataclass
class Converted:
    entries: list[tuple[int, Entry]] = field(default_factory=list)  # (row, entry) to add; blank ids are ""
    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (row, existing entry id)
    problems: list[Problem] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)  # ids written on rows that were not taken


class _Row:
    """Problems of one row, each at its cell."""

    def __init__(self, sheet: Sheet, row: SheetRow, out: list[Problem]):
        self.sheet, self.row, self.out = sheet, row, out
        self.failed = False

    def error(self, key: str, code: str, message: str, hint: str = "") -> None:
        col = L.BY_KEY[key]
        self.out.append(at_cell(code, message, self.sheet.label, self.row.number, col.index, col.label(), hint))
        self.failed = True

    def text(self, key: str) -> str:
        value = self.row.cells[key]
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (datetime, date)):
            return value.strftime("%Y-%m-%d")
        return str(value).strip()


def convert(sheet: Sheet, ctx: ImportTarget) -> Converted:
    out = Converted()
    by_id = {e.id: e for _, e in ctx.existing}
    existing_keys: dict[tuple, str] = {}
    for _, e in ctx.existing:
        existing_keys.setdefault(content_key(e, ctx.scheme, by_id), e.id)
    sheet_ids: dict[str, int] = {}
    sheet_keys: dict[tuple, int] = {}
    for row in sheet.rows:
        r = _Row(sheet, row, out.problems)
        entry = _entry(r, ctx, by_id, sheet_ids)
        if entry is None or r.failed:
            continue
        key = content_key(entry, ctx.scheme, {**by_id, **{e.id: e for _, e in out.entries if e.id}})
        if entry.id and entry.id in by_id:
            if content_key(by_id[entry.id], ctx.scheme, by_id) == key:
                out.unchanged.append((row.number, entry.id))
            else:
                r.error(
                    "id",
                    "E905",
                    f"台账里已有编号为“{entry.id}”的条目，内容与这一行不同。",
                    "已有条目不能在表格里修改。要更正它，新增一行：“更正条目编号”写原编号并写明“更正理由”；"
                    "如果这是一条新条目，把编号改成别的或留空（自动编号）。",
                )
            continue
        if key in existing_keys:
            if not entry.id:
                out.unchanged.append((row.number, existing_keys[key]))
            else:
                r.error(
                    "id",
                    "E905",
                    f"这一行与台账里已有的条目“{existing_keys[key]}”内容完全相同。",
                    "同一活动只登记一次：删除这一行；如果确实是另一次活动，在“备注”里写明区别（例如日期、内容）。",
                )
            continue
        if key in sheet_keys:
            r.error("id", "E905", f"这一行与第 {sheet_keys[key]} 行内容完全相同。", "删除重复的一行。")
            continue
        sheet_keys[key] = row.number
        if entry.id:
            sheet_ids[entry.id] = row.number
        out.entries.append((row.number, entry))
    taken = {e.id for _, e in out.entries} | {entry_id for _, entry_id in out.unchanged}
    out.failed_ids = {r_id for row in sheet.rows if (r_id := _Row(sheet, row, []).text("id")) and r_id not in taken}
    return out


def content_key(e: Entry, scheme: Scheme, by_id: dict[str, Entry]) -> tuple:
    """What makes two entries the same record: everything but the id, with the item's
    own points standing in for blank points and members compared as sets."""
    code = e.item or (by_id[e.corrects].item if e.corrects in by_id else "")
    item = scheme.items.get(code)
    points = e.points if e.points is not None else (item.points if item is not None and not e.void else None)
    return (
        e.date,
        e.item,
        frozenset(e.members),
        frozenset(e.excluding),
        points.normalize() if points is not None else None,
        e.source,
        e.evidence,
        e.note,
        e.corrects,
        e.reason,
        e.void,
    )


def _entry(r: _Row, ctx: ImportTarget, by_id: dict[str, Entry], sheet_ids: dict[str, int]) -> Entry | None:
    entry_id = _id(r, sheet_ids)
    corrects = r.text("corrects")
    void = _void(r)
    reason = r.text("reason")
    day = _date(r, ctx, bool(corrects))
    item = _item(r, ctx, required=not corrects)
    members, excluding = _members(r, ctx, required=not corrects)
    points = _points(r)
    source = _source(r)
    if void and (item or members or points is not None):
        r.error(
            "void",
            "E408",
            "整条作废的更正条目不再写积分项目、党员或分值。",
            "清空这一行的积分项目、党员和分值，或者不填“作废”。",
        )
    if r.failed or day is None:
        return None
    return Entry(
        id=entry_id,
        date=day,
        pos=Pos(r.sheet.label, r.row.number, 0),  # the row; its cells are found by _SheetCells
        members=members,
        item=item.code if item else "",
        points=points,
        source=source,
        evidence=r.text("evidence"),
        note=r.text("note"),
        corrects=corrects,
        reason=reason,
        void=void,
        excluding=excluding,
    )


def _id(r: _Row, sheet_ids: dict[str, int]) -> str:
    value = r.text("id")
    if not value:
        return ""
    if not _ID.match(value):
        r.error(
            "id",
            "E014",
            f"编号“{value}”只能由英文字母、数字和 - _ . 组成。",
            "例如 2026-015；也可以留空，导入时自动编号。",
        )
        return ""
    if value in sheet_ids:
        r.error("id", "E401", f"编号“{value}”与第 {sheet_ids[value]} 行重复。", "每行用不同的编号，或者留空自动编号。")
    return value


def _date(r: _Row, ctx: ImportTarget, correction: bool) -> date | None:
    value = r.row.cells["date"]
    if value is None:
        r.error("date", "E009", "没有填日期。", f"填写活动或事项的日期，例如 {ctx.year}-03-05。")
        return None
    if isinstance(value, str):
        r.error(
            "date",
            "E011",
            f"日期“{value}”是文本，不是日期。",
            f"把单元格格式设为“日期”后重新输入，例如 {ctx.year}-03-05（输入后应靠右显示）；"
            "也可以选中这一列，用“数据→分列”把文本转换为日期。",
        )
        return None
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            r.error("date", "E011", f"日期里带了时间（{value:%H:%M}）。", "只写日期，例如 2026-03-05，不写几点几分。")
            return None
        value = value.date()
    if not isinstance(value, date):
        r.error(
            "date",
            "E011",
            f"“{value}”不是日期（是一个数字）。",
            "把单元格格式设为“日期”，然后输入日期，例如 2026-03-05。",
        )
        return None
    grace = correction and value.year == ctx.year + 1 and (value.month, value.day) <= CORRECTION_GRACE
    if ctx.quarter is not None and (value.year == ctx.year or grace):
        q = 4 if grace else quarter_of(value)
        if q != ctx.quarter:
            r.error(
                "date",
                "E406",
                f"日期 {value.isoformat()} 属于{quarter_name(q)}，这次只导入{quarter_name(ctx.quarter)}的条目。",
                "检查日期；或者不加 --quarter，导入全年的条目。",
            )
            return None
    return value


def _void(r: _Row) -> bool:
    value = r.row.cells["void"]
    if value is None or value is False:
        return False
    if value is True or r.text("void") in ("是", "true", "TRUE", "True"):
        return True
    if r.text("void") in ("否",):
        return False
    r.error("void", "E013", f"“{r.text('void')}”不是可选的值。", "整条作废原条目时填“是”，否则留空。")
    return False


def _item(r: _Row, ctx: ImportTarget, required: bool) -> Item | None:
    text = r.text("item")
    if not text:
        if required:
            r.error("item", "E009", "没有填积分项目。", "从下拉列表选择积分项目（见“积分项目”表）。")
        return None
    code = text.split()[0]
    scheme = ctx.scheme
    by_name = {i.name: i for i in list(scheme.items.values()) + list(scheme.inapplicable.values())}
    item = scheme.items.get(code) or scheme.inapplicable.get(code) or by_name.get(text)
    if item is None:
        r.error(
            "item",
            "E403",
            f"积分项目“{text}”在本支部 {ctx.year} 年的积分项目里不存在。",
            "从下拉列表选择，或写“积分项目”表里的编号，例如 B01。",
        )
        return None
    return item  # one that does not apply to the branch's category is the ledger rules' E404


def _people(r: _Row, ctx: ImportTarget, key: str) -> list[str] | None:
    """Ids for the names or ids written in the cell; None when any is wrong (reported)."""
    text = r.text(key)
    ids = []
    ok = True
    for token in (t for t in _SPLIT.split(text) if t):
        mid = _person(r, ctx, key, token)
        if mid is None:
            ok = False
        elif mid in ids:
            r.error(key, "E409", f"“{token}”写了两次。", "删去重复的姓名或编号。")
            ok = False
        else:
            ids.append(mid)
    return ids if ok else None


def _person(r: _Row, ctx: ImportTarget, key: str, token: str) -> str | None:
    m = _NAME_ID.match(token)
    if m:
        name, mid = m.group(1), m.group(2)
        member = next((x for x in ctx.members if x.id == mid), None)
        if member is None or member.name != name:
            r.error(
                key,
                "E402",
                f"“{token}”：名册里没有编号为 {mid}、姓名为 {name} 的党员。",
                "检查姓名和编号（见“党员名单”表）。",
            )
            return None
        return mid
    if token in ctx.roles:
        return token
    found = ctx.by_name.get(token, [])
    if len(found) == 1:
        return found[0].id
    if len(found) > 1:
        choices = "、".join(f"{x.name}（{x.id}）" for x in found)
        r.error(
            key, "E402", f"名册里有 {len(found)} 位“{token}”，不知道是哪一位。", f"写成 {choices} 之一，或者只写编号。"
        )
        return None
    if token == L.EVERYONE:
        r.error(
            key,
            "E402",
            "“全体”要单独写，不能和姓名写在一起。",
            "写“全体”并把未参加的党员写在“除外党员”里；或者只列出参加的党员。",
        )
        return None
    r.error(
        key,
        "E402",
        f"“{token}”不在本支部 {ctx.year} 年的名册里。",
        "写名册里的姓名或编号（见“党员名单”表），多人用顿号“、”分隔。",
    )
    return None


def _members(r: _Row, ctx: ImportTarget, required: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = r.text("members")
    excluding_text = r.text("excluding")
    if not text:
        if required:
            r.error("members", "E009", "没有填党员。", "写参加的党员姓名或编号（用顿号分隔），或写“全体”。")
        if excluding_text:
            r.error("excluding", "E409", "“除外党员”只和“全体”一起用。", "清空“除外党员”，或在“党员”里写“全体”。")
        return (), ()
    if text == L.EVERYONE:
        excluding = _people(r, ctx, "excluding") or []
        return (EVERYONE,), tuple(excluding)
    if excluding_text:
        r.error("excluding", "E409", "“除外党员”只和“全体”一起用。", "直接在“党员”里列出参加的党员，清空“除外党员”。")
    ids = _people(r, ctx, "members")
    if ids is None:
        return (), ()
    return tuple(ids), ()  # whether each may be scored on the day is the ledger rules' (E407, E410)


def _points(r: _Row) -> Decimal | None:
    """The 分值 cell as a number. Whether it suits the item (range, fixed points, steps,
    一票否决) is the ledger rule's to say: `check` runs on the imported result
    (`importer._check_copy`, sitegen.validate.ledger), one implementation for both."""
    value = r.row.cells["points"]
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        r.error(
            "points",
            "E012",
            f"分值“{r.text('points')}”是文本，不是数字。",
            "分值只写数字，例如 2 或 0.5，不要写“分”字或空格；单元格格式设为“常规”或“数值”后重新输入。",
        )
        return None
    try:
        points = Decimal(str(value)).normalize()
    except InvalidOperation:  # pragma: no cover - a number from the sheet always converts
        return None
    return points.quantize(Decimal(1)) if points == points.to_integral_value() else points


def _source(r: _Row) -> Source:
    text = r.text("source")
    if not text:
        return Source.BRANCH
    try:
        return Source(text)
    except ValueError:
        r.error(
            "source",
            "E013",
            f"来源“{text}”不是可选的值。",
            "来源是 支部登记、党员申报 或 群众证实（可以留空，默认支部登记）。",
        )
        return Source.BRANCH
