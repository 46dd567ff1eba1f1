"""The ledger template for one branch and year, optionally filled with its entries.

Sheets: 台账 (the entries, with drop-downs for items, members, sources), 说明 (how to
fill it in and bring it back), 积分项目 (the branch's effective items, points and caps)
and 党员名单 (who can be given points). The drop-down lists live on a hidden sheet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import date

from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from sitegen.model.enums import Source
from sitegen.model.ledger import Entry
from sitegen.model.org import Member
from sitegen.model.scheme import Scheme
from sitegen.model.scored import Role
from sitegen.model.site import Branch, District
from sitegen.render import format as fmt
from sitegen.render.xlsx.workbook import custom_properties, new_workbook, text_width, workbook_bytes
from sitegen.rules.district import branch_scheme
from sitegen.rules.score import role_of
from sitegen.xlsxio import layout as L

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="FCE4D6")
FONT = "宋体"
ROLE_TEXT = {
    Role.SCORED: "参加积分管理",
    Role.ACTIVIST: "入党积极分子（参照积分）",
    Role.EXEMPT: "不纳入积分管理（不能记分）",
    Role.FLOATING_OUT: "已流出（由流入地积分，不能记分）",
}


class TemplateError(Exception):
    """The template cannot be made (unknown branch, no roster for the year): the message
    says what to do."""


def find_branch(district: District, branch_id: str, year: int):
    """(committee, branch, branch year) or TemplateError with a helpful message."""
    for committee in district.committees:
        for branch in committee.branches:
            if branch.id == branch_id:
                by = branch.years.get(year)
                if by is None:
                    have = "、".join(str(y) for y in sorted(branch.years)) or "无"
                    raise TemplateError(
                        f"支部“{branch_id}”没有 {year} 年的名册（已有年度：{have}）。请先建立 {year}/roster.yaml。"
                    )
                if year not in district.schemes:
                    raise TemplateError(f"没有 {year} 年的全区考核表 scheme/{year}.yaml。")
                return committee, branch, by
    ids = "、".join(b.id for b in district.branches())
    raise TemplateError(f"找不到支部“{branch_id}”。本区的支部编号有：{ids}。")


def member_tokens(members: Iterable[Member]) -> dict[str, str]:
    """How each member is written in the sheet: the name, or 姓名（编号） when two members
    of the roster share the name."""
    members = list(members)
    counts = Counter(m.name for m in members)
    return {m.id: m.name if counts[m.name] == 1 else f"{m.name}（{m.id}）" for m in members}


def item_choice(code: str, name: str) -> str:
    return f"{code} {name}"


def template(district: District, branch_id: str, year: int, entries: Iterable[Entry] = ()) -> bytes:
    """The template's .xlsx bytes. `entries` (as written in the ledger, before 全体 is
    expanded) fill the 台账 sheet, e.g. to move a ledger into Excel."""
    committee, branch, by = find_branch(district, branch_id, year)
    scheme, _ = branch_scheme(district, committee, branch, year)
    tokens = member_tokens(by.members)
    wb, ws = new_workbook(L.SHEET)
    lists = wb.create_sheet(L.LISTS_SHEET)
    _ledger_sheet(ws, branch, year, scheme, tokens, list(entries))
    _help_sheet(wb.create_sheet(L.HELP_SHEET), branch, year)
    _items_sheet(wb.create_sheet(L.ITEMS_SHEET), scheme)
    _members_sheet(wb.create_sheet(L.MEMBERS_SHEET), by.members, tokens)
    wb.move_sheet(lists, offset=len(wb.sheetnames))
    _lists(lists, scheme, by.members, tokens)
    _validations(ws, year, scheme, by.members)
    custom_properties(wb).append(StringProperty(name=L.PROP_BRANCH, value=branch.id))
    custom_properties(wb).append(StringProperty(name=L.PROP_YEAR, value=str(year)))
    wb.active = 0
    return workbook_bytes(wb, date(year, 1, 1), f"{branch.info.short_name}{year}年积分台账")


def _ledger_sheet(ws, branch: Branch, year: int, scheme: Scheme, tokens: dict[str, str], entries: list[Entry]) -> None:
    last = get_column_letter(len(L.COLUMNS))
    ws.merge_cells(f"A{L.TITLE_ROW}:{last}{L.TITLE_ROW}")
    title = ws.cell(
        row=L.TITLE_ROW,
        column=1,
        value=f"{branch.info.short_name} {year}年党员积分台账（每行一条；填写方法见“说明”表）",
    )
    title.font = Font(name=FONT, size=14, bold=True)
    title.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[L.TITLE_ROW].height = 28
    for col in L.COLUMNS:
        cell = ws.cell(row=L.HEADER_ROW, column=col.index, value=col.header)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dim = ws.column_dimensions[col.letter]
        dim.width = col.width
        dim.number_format = "yyyy-mm-dd" if col.key == "date" else ("General" if col.key == "points" else "@")
    ws.row_dimensions[L.HEADER_ROW].height = 22
    ws.freeze_panes = f"A{L.FIRST_ROW}"
    for i, e in enumerate(entries):
        r = L.FIRST_ROW + i
        for key, value in _entry_cells(e, scheme, tokens).items():
            col = L.BY_KEY[key]
            cell = ws.cell(row=r, column=col.index, value=value)
            cell.number_format = "yyyy-mm-dd" if key == "date" else ("General" if key == "points" else "@")
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    _fit_width(ws)


def _fit_width(ws, landscape: bool = True) -> None:
    """Print on A4, as wide as the page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _entry_cells(e: Entry, scheme: Scheme, tokens: dict[str, str]) -> dict[str, object]:
    def people(ids) -> str:
        return "、".join(tokens.get(m, m) for m in ids)

    item = scheme.items.get(e.item) or scheme.inapplicable.get(e.item)
    cells: dict[str, object] = {
        "id": e.id,
        "date": e.date,
        "item": item_choice(item.code, item.name) if item else (e.item or None),
        "members": L.EVERYONE if e.everyone else (people(e.members) or None),
        "excluding": people(e.excluding) or None,
        "points": _number(e.points),
        "source": e.source.value if e.source is not Source.BRANCH else None,
        "evidence": e.evidence or None,
        "note": e.note or None,
        "corrects": e.corrects or None,
        "reason": e.reason or None,
        "void": L.YES if e.void else None,
    }
    return {k: v for k, v in cells.items() if v is not None}


def _number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _lists(ws, scheme: Scheme, members: tuple[Member, ...], tokens: dict[str, str]) -> None:
    """Column A: item choices; B: 全体 and the members who can be given points; C: every
    member (for 除外党员)."""
    ws.sheet_state = "hidden"
    for i, item in enumerate(scheme.items.values(), start=1):
        ws.cell(row=i, column=1, value=item_choice(item.code, item.name))
    scorable = [m for m in members if role_of(m) in (Role.SCORED, Role.ACTIVIST)]
    for i, text in enumerate([L.EVERYONE] + [tokens[m.id] for m in scorable], start=1):
        ws.cell(row=i, column=2, value=text)
    everyone = [m for m in members if role_of(m) is Role.SCORED]
    for i, m in enumerate(everyone, start=1):
        ws.cell(row=i, column=3, value=tokens[m.id])


def _validations(ws, year: int, scheme: Scheme, members: tuple[Member, ...]) -> None:
    first, last = L.FIRST_ROW, L.FIRST_ROW + L.TEMPLATE_ROWS - 1

    def column(key: str) -> str:
        letter = L.BY_KEY[key].letter
        return f"{letter}{first}:{letter}{last}"

    def add(key: str, dv: DataValidation) -> None:
        col = L.BY_KEY[key]
        dv.promptTitle = col.header
        dv.prompt = col.help
        dv.showInputMessage = True
        dv.add(column(key))
        ws.add_data_validation(dv)

    n_items = max(len(scheme.items), 1)
    scorable = sum(1 for m in members if role_of(m) in (Role.SCORED, Role.ACTIVIST))
    everyone = max(sum(1 for m in members if role_of(m) is Role.SCORED), 1)
    lists = f"'{L.LISTS_SHEET}'"
    add("id", DataValidation(type="textLength", operator="lessThanOrEqual", formula1="40", allow_blank=True))
    add(
        "date",
        DataValidation(
            type="date",
            operator="between",
            allow_blank=True,
            formula1=str(int(to_excel(date(year, 1, 1)))),
            formula2=str(int(to_excel(date(year + 1, 1, 31)))),
            showErrorMessage=True,
            errorTitle="日期不对",
            error=f"请输入 {year} 年内的日期，例如 {year}-03-05（更正上一年第四季度的条目可到次年1月31日）。",
        ),
    )
    # a warning, not a stop: a bare code (B01) is not in the list but imports fine
    add(
        "item",
        DataValidation(
            type="list",
            formula1=f"{lists}!$A$1:$A${n_items}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="积分项目",
            error="请从下拉列表选择本支部本年度的积分项目（见“积分项目”表），或只写编号，例如 B01。",
        ),
    )
    # several names in one cell are not in the list: offer the list, accept any text
    add(
        "members",
        DataValidation(
            type="list", formula1=f"{lists}!$B$1:$B${scorable + 1}", allow_blank=True, showErrorMessage=False
        ),
    )
    add(
        "excluding",
        DataValidation(type="list", formula1=f"{lists}!$C$1:$C${everyone}", allow_blank=True, showErrorMessage=False),
    )
    add(
        "points",
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="分值",
            error="分值只写数字（可以有小数），不要写“分”字；扣分也写正数。",
        ),
    )
    add(
        "source",
        DataValidation(
            type="list",
            formula1='"' + ",".join(s.value for s in Source) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="来源",
            error="来源是 支部登记、党员申报 或 群众证实。",
        ),
    )
    add("evidence", DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True))
    add("note", DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True))
    add("corrects", DataValidation(type="textLength", operator="lessThanOrEqual", formula1="40", allow_blank=True))
    add("reason", DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True))
    add(
        "void",
        DataValidation(
            type="list",
            formula1=f'"{L.YES}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="作废",
            error="整条作废原条目时填“是”，否则留空。",
        ),
    )


def _table(ws, headers: list[str], rows: list[list], widths: list[float], first_row: int) -> None:
    for j, (h, w) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=first_row, column=j, value=h)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = w
    for i, values in enumerate(rows, start=first_row + 1):
        for j, v in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=v)
            cell.font = Font(name=FONT, size=11)
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[i].height = _height(max(_lines(str(v or ""), w) for v, w in zip(values, widths)))
    ws.freeze_panes = f"A{first_row + 1}"


def _lines(text: str, width: float) -> int:
    """How many lines wrapped text takes in a column `width` characters wide."""
    return max(1, math.ceil(text_width(text) / max(width - 1.5, 1)))


def _height(lines: int) -> float:
    # spreadsheet programs do not all re-measure wrapped rows on opening: give the height
    return 16 * lines + 4


def _items_sheet(ws, scheme: Scheme) -> None:
    caps = (
        f"{scheme.year}年：基础积分最高 {fmt.points(scheme.caps.base)} 分，贡献加分最高 "
        f"{fmt.points(scheme.caps.bonus)} 分，年度积分 0～100 分；一票否决项目不记分值，有一项即为不合格。"
    )
    ws.cell(row=1, column=1, value=caps).font = Font(name=FONT, size=11, bold=True)
    headers = ["编号", "分项", "项目名称", "每次分值", "年度上限", "共用上限", "适用类别", "所需依据", "台账里填写"]
    rows = []
    for item in scheme.items.values():
        group = scheme.groups.get(item.group)
        rows.append(
            [
                item.code,
                item.part.value,
                item.name,
                fmt.item_points(item),
                fmt.points(item.cap) if item.cap is not None else "",
                f"{group.name}：合计最高 {fmt.points(group.cap)} 分" if group else "",
                "、".join(c.value for c in item.applies_to) or "全部",
                item.evidence,
                item_choice(item.code, item.name),
            ]
        )
    widths = [
        7,
        10,
        max([12.0] + [min(text_width(r[2]) + 2, 40) for r in rows]),
        10,
        9,
        18,
        12,
        26,
        max([14.0] + [min(text_width(r[8]) + 2, 44) for r in rows]),
    ]
    _table(ws, headers, rows, widths, first_row=2)
    note = len(rows) + 4
    ws.cell(
        row=note,
        column=1,
        value="扣分项目的分值在台账里写正数（例如扣2分写 2）；“每次分值”带范围的，台账里必须写分值。",
    )
    ws.print_title_rows = "2:2"
    _fit_width(ws)


def _members_sheet(ws, members: tuple[Member, ...], tokens: dict[str, str]) -> None:
    rows = [[m.id, m.name, m.status.value, ROLE_TEXT[role_of(m)], tokens[m.id]] for m in members]
    _table(ws, ["编号", "姓名", "身份", "积分情况", "台账里填写"], rows, [10, 12, 14, 32, 18], first_row=1)
    ws.print_title_rows = "1:1"
    _fit_width(ws, landscape=False)


HELP_WIDTH = 64
HELP = [
    "一、这个表格做什么",
    "在 Excel（或 WPS、LibreOffice）里登记积分台账，填好后由管理员用 sitegen ledger-import 导入，"
    "自动写入本支部的台账文件（ledger/q1～q4.yaml，按日期所在季度）。",
    "二、怎么填",
    "1. 在“台账”表里每行登记一条：一次活动或一件事项一行，参加的党员都写在同一行的“党员”格里。",
    "2. 党员：写姓名或编号，多人用顿号“、”分隔，例如：苏建明、魏丽、丁文斌。本支部参加积分管理的党员都参加时写“全体”，"
    "未参加的写在“除外党员”里。入党积极分子不包括在“全体”里，要单独写。",
    "3. 积分项目：从下拉列表选择（编号 名称），可选的项目和分值见“积分项目”表。项目必须适用于本支部党员的类别。",
    "4. 分值：只写数字，不要写“分”字；固定分值的项目可以留空；有分值范围的项目必须在范围内填写。扣分项目也写正数。",
    "5. 日期：写成 2026-03-05 这样，必须是本年度内的日期。请确认单元格显示为日期而不是文本（文本通常靠左、带绿色小三角）。",
    "6. 来源：支部登记（默认，可以留空）、党员申报或群众证实；党员申报和群众证实的要在“依据”里写明证明材料。",
    "7. 编号可以留空，导入时自动编号；已导入的条目保留原编号，不要改动。",
    "8. 更正已公示的条目：不要修改原来那一行，而是新增一行，在“更正条目编号”写原条目编号、写明“更正理由”，"
    "再写更正后的积分项目、党员和分值；整条作废时在“作废”填“是”。",
    "三、注意",
    "• 不要改动表头和工作表名称，不要合并单元格，条目之间不要留空行，不要在右侧另加列。",
    "• 同一个表格可以反复导入：已经导入过的条目不会重复写入；与台账里已有条目内容相同的新条目会被报告为重复。",
    "• 导入时只要有一处错误，整个表格都不会写入；按提示（工作表、行、列）改正后重新导入即可。",
    "• 谈话、帮教、联系方式等不公开的信息不要写在这里：这个台账会在党务公开中使用。",
    "四、导入命令（由管理员在内容仓库里运行）",
]


def _help_sheet(ws, branch: Branch, year: int) -> None:
    ws.column_dimensions["A"].width = HELP_WIDTH
    ws.cell(row=1, column=1, value=f"{branch.info.name} {year}年积分台账 填写说明").font = Font(
        name=FONT, size=14, bold=True
    )
    lines = HELP + [
        f"sitegen ledger-import content --branch {branch.id} --year {year} 本文件.xlsx",
        f"（本模板由 sitegen ledger-template 为支部“{branch.id}”{year}年生成，用于其他支部或年度会被拒绝。）",
    ]
    for i, text in enumerate(lines, start=3):
        cell = ws.cell(row=i, column=1, value=text)
        heading = text[:2] in ("一、", "二、", "三、", "四、")
        cell.font = Font(name=FONT, size=12 if heading else 11, bold=heading)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = _height(_lines(text, HELP_WIDTH))
    _fit_width(ws, landscape=False)
