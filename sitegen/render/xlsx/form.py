"""The paper form's layout, shared by 统计表（一） and （二）.

    row 1  title, merged across the table            ×区党员积分管理情况统计表（一）
    row 2  the period, merged                         （2026年度）
    row 3  单位：…   党组织负责人：…   填表人：…   日期：…
    row 4  headers, first level (groups merged across their columns)
    row 5  headers, second level (single headers merged down over rows 4–5)
    row 6… the data, with borders
    then   说明 lines

Printed on A4 landscape, fitted to the page width, rows 4–5 repeated on every page;
the header and the first column stay frozen on screen.
"""

from __future__ import annotations

import math
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sitegen.render.xlsx.report import Heading
from sitegen.render.xlsx.workbook import text_width

TITLE_ROW, PERIOD_ROW, UNIT_ROW, HEAD1, HEAD2 = 1, 2, 3, 4, 5
FIRST_DATA_ROW = 6

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
NUMBER_FORMATS = {"int": "0", "points": "General", "share": "0.0%", "text": "@", "name": "@"}


@dataclass(frozen=True, slots=True)
class Column:
    group: str  # first-level header; "" when the header spans both levels
    name: str  # second-level header (or the whole header)
    kind: str = "text"  # text | name | int | points | share
    min_width: float = 6.0
    max_width: float = 36.0


def number(value: Decimal | int | None):
    """A Decimal as the plain int or float a spreadsheet stores (12, 12.5); None stays blank."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def write_form(
    ws: Worksheet, heading: Heading, columns: list[Column], rows: list[list], styles: list[str], notes: list[str]
) -> None:
    """Lay out one form. `styles[i]` is normal | branch-indent | subtotal | total for rows[i]."""
    n = len(columns)
    last = get_column_letter(n)
    _title(ws, heading, n, last)
    _unit_line(ws, heading, n)
    _headers(ws, columns)
    # a style is built once per (column, row style) and copied to the other cells: setting
    # fonts and borders cell by cell costs more than everything else in a long form
    protos: dict[tuple[int, str], object] = {}
    for i, values in enumerate(rows):
        r = FIRST_DATA_ROW + i
        style = styles[i]
        for j, (col, value) in enumerate(zip(columns, values), start=1):
            cell = ws.cell(row=r, column=j, value=value)
            proto = protos.get((j, style))
            if proto is not None:
                cell._style = copy(proto)
                continue
            _data_style(cell, col, style, j, n)
            protos[(j, style)] = copy(cell._style)
    end = FIRST_DATA_ROW + len(rows)
    for k, note in enumerate(notes):
        r = end + 1 + k
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        cell = ws.cell(row=r, column=1, value=note)
        cell.font = Font(name=BODY_FONT, size=10)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 18
    column_widths = widths(columns, rows)
    for j, width in enumerate(column_widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, height in enumerate(row_heights(columns, rows, column_widths)):
        ws.row_dimensions[FIRST_DATA_ROW + i].height = height
    _print_setup(ws, n, end + len(notes))


def _data_style(cell, col: Column, style: str, j: int, n: int) -> None:
    cell.border = BOX
    cell.font = Font(name=BODY_FONT, size=11, bold=style in ("subtotal", "total"))
    cell.number_format = NUMBER_FORMATS[col.kind]
    left = col.kind == "name" or (col.kind == "text" and j == n)
    indent = 2 if style == "branch-indent" and j == 1 else (1 if left else 0)
    cell.alignment = Alignment(
        horizontal="left" if left else "center", vertical="center", indent=indent, wrap_text=True
    )
    if style in ("subtotal", "total"):
        cell.fill = TOTAL_FILL


def _title(ws: Worksheet, heading: Heading, n: int, last: str) -> None:
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    cell = ws.cell(row=TITLE_ROW, column=1, value=heading.title)
    cell.font = Font(name=TITLE_FONT, size=18, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 36
    ws.merge_cells(f"A{PERIOD_ROW}:{last}{PERIOD_ROW}")
    cell = ws.cell(row=PERIOD_ROW, column=1, value=f"（{heading.subtitle}）")
    cell.font = Font(name=BODY_FONT, size=12)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[PERIOD_ROW].height = 22


def unit_spans(n: int) -> list[tuple[int, int]]:
    """Column spans of 单位 / 党组织负责人 / 填表人 / 日期 on row 3, wide to narrow."""
    a = max(1, round(n * 0.4))
    b = min(n - 2, a + max(1, round(n * 0.22)))
    c = min(n - 1, b + max(1, round(n * 0.18)))
    return [(1, a), (a + 1, b), (b + 1, c), (c + 1, n)]


def _unit_line(ws: Worksheet, heading: Heading, n: int) -> None:
    texts = [
        f"单位：{heading.unit}",
        f"党组织负责人：{heading.leader}",
        f"填表人：{heading.recorder}",
        f"日期：{heading.date}",
    ]
    for (start, end), text in zip(unit_spans(n), texts):
        if end > start:
            ws.merge_cells(start_row=UNIT_ROW, start_column=start, end_row=UNIT_ROW, end_column=end)
        cell = ws.cell(row=UNIT_ROW, column=start, value=text)
        cell.font = Font(name=BODY_FONT, size=11)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[UNIT_ROW].height = 24


def _headers(ws: Worksheet, columns: list[Column]) -> None:
    font = Font(name=BODY_FONT, size=11, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    j = 1
    while j <= len(columns):
        col = columns[j - 1]
        if not col.group:
            ws.merge_cells(start_row=HEAD1, start_column=j, end_row=HEAD2, end_column=j)
            ws.cell(row=HEAD1, column=j, value=col.name)
            j += 1
            continue
        k = j
        while k + 1 <= len(columns) and columns[k].group == col.group:
            k += 1
        if k > j:
            ws.merge_cells(start_row=HEAD1, start_column=j, end_row=HEAD1, end_column=k)
        ws.cell(row=HEAD1, column=j, value=col.group)
        for m in range(j, k + 1):
            ws.cell(row=HEAD2, column=m, value=columns[m - 1].name)
        j = k + 1
    for r in (HEAD1, HEAD2):
        for c in range(1, len(columns) + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = font
            cell.alignment = center
            cell.border = BOX
            cell.fill = HEAD_FILL
        ws.row_dimensions[r].height = 24


def _shown(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "share":
        return "100.0%"
    return str(value)


def widths(columns: list[Column], rows: list[list]) -> list[float]:
    """Each column's width: its widest value, or its header, within the column's limits."""
    out = []
    for j, col in enumerate(columns, start=1):
        data = max((text_width(_shown(row[j - 1], col.kind)) for row in rows), default=0.0)
        # a header may wrap onto two lines; a group header spreads over its columns
        head = text_width(col.name)
        head = head / 2 + 1 if len(col.name) > 4 else head
        width = min(max(data, head, col.min_width) + 2, col.max_width)
        out.append(round(width, 1))
    return out


def row_heights(columns: list[Column], rows: list[list], column_widths: list[float]) -> list[int]:
    """Each data row's height: wrapped text needs a taller row; a fixed height keeps the
    layout the same everywhere."""
    out = []
    for values in rows:
        lines = max(
            (
                math.ceil(text_width(_shown(v, c.kind)) / max(w - 1.5, 1))
                for v, c, w in zip(values, columns, column_widths)
            ),
            default=1,
        )
        out.append(20 if lines <= 1 else 15 * lines + 5)
    return out


def measure(columns: list[Column], rows: list[list]) -> tuple[list[float], list[int]]:
    """`widths` and `row_heights` at once, each cell's text measured once (rows as long as
    the columns)."""
    kinds = [c.kind for c in columns]
    cells = [[text_width(_shown(v, k)) for v, k in zip(values, kinds)] for values in rows]
    out = []
    for j, col in enumerate(columns):
        data = max((row[j] for row in cells), default=0.0)
        head = text_width(col.name)
        head = head / 2 + 1 if len(col.name) > 4 else head
        width = min(max(data, head, col.min_width) + 2, col.max_width)
        out.append(round(width, 1))
    room = [max(w - 1.5, 1) for w in out]
    heights = []
    for row in cells:
        lines = max((math.ceil(t / r) for t, r in zip(row, room)), default=1)
        heights.append(20 if lines <= 1 else 15 * lines + 5)
    return out, heights


def _print_setup(ws: Worksheet, n: int, last_row: int) -> None:
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2).coordinate
    ws.print_title_rows = f"{HEAD1}:{HEAD2}"
    ws.print_area = f"A1:{get_column_letter(n)}{last_row}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    odd = ws.oddFooter
    footer = odd.center if odd is not None else None
    assert footer is not None, "a worksheet's footer has its three parts"
    footer.text = "第 &P 页，共 &N 页"
    footer.size = 9
