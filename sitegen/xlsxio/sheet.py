"""Reading a filled ledger template: the sheet's cells as rows, and every problem with
its shape (wrong sheet, headers, merged cells, empty rows in the middle, stray columns).

What the cells mean is decided later (`entries`); here a cell is only its raw value:
text stripped, an empty text cell is blank.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from sitegen.problems import Problem
from sitegen.render.xlsx.workbook import custom_properties
from sitegen.xlsxio import layout as L
from sitegen.xlsxio.codes import at_cell, at_file


@dataclass
class SheetRow:
    number: int  # the row number in the sheet
    cells: dict[str, object]  # column key -> value (None when blank)


@dataclass
class Sheet:
    label: str  # file［台账］, for positions
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    branch: str = ""  # what the template was made for (custom properties), "" when unknown
    year: str = ""


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# A branch records some hundreds of entries a year; a sheet far longer than that is a
# mistake, or a small zip that claims millions of rows and would take minutes and
# gigabytes to open. Checked by streaming (openpyxl read-only) before the real load.
MAX_ROWS = 5000
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip: what its parts claim to unpack to


def _too_large(path: Path, label: str) -> Problem | None:
    """E908 when the file, or any worksheet's declared or actual rows, exceed the bounds;
    stops reading at the first row past the bound."""
    if path.stat().st_size > MAX_FILE_BYTES:
        return at_file(
            "E908",
            f"表格文件太大（{path.stat().st_size // 1024 // 1024} MB），超过了 "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB 的上限。",
            path.name,
            "检查是否选错了文件；台账表格通常只有几十 KB。",
        )
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        return at_file(
            "E908",
            f"表格文件解压后有 {unpacked // 1024 // 1024} MB，远远超出一个支部的台账，没有导入。",
            path.name,
            "检查是否选错了文件；用 sitegen ledger-template 生成的模板重新填写。",
        )
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            declared = getattr(ws, "_max_row", None)  # the sheet's <dimension>, None when it has none
            too_many = declared is not None and declared > MAX_ROWS
            if not too_many:
                for count, _ in enumerate(ws.iter_rows(values_only=True), start=1):
                    if count > MAX_ROWS:
                        too_many = True
                        break
            if too_many:
                return at_file(
                    "E908",
                    f"工作表“{ws.title}”超过 {MAX_ROWS} 行，远远超出一个支部一年的台账，没有导入。",
                    path.name,
                    "删除最后一条条目以下的多余行（选中这些行，右键“删除”），或把条目分成几个表格分别导入。",
                )
    finally:
        wb.close()
    return None


def read(path: Path) -> Sheet:
    path = Path(path)
    label = f"{path.name}［{L.SHEET}］"
    sheet = Sheet(label)
    try:
        too_large = _too_large(path, label)
        if too_large is not None:
            sheet.problems.append(too_large)
            return sheet
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else "不是 Excel 2007 及以后的 .xlsx 文件"
        sheet.problems.append(
            at_file(
                "E901",
                f"无法打开表格：{detail}。",
                path.name,
                "用 Excel 或 WPS 打开后“另存为”.xlsx 格式（Excel 工作簿），不要存成 .xls 或 .csv。",
            )
        )
        return sheet
    props = {p.name: str(p.value) for p in custom_properties(wb).props}
    sheet.branch, sheet.year = props.get(L.PROP_BRANCH, ""), props.get(L.PROP_YEAR, "")
    if L.SHEET not in wb.sheetnames:
        have = "、".join(f"“{n}”" for n in wb.sheetnames)
        sheet.problems.append(
            at_file(
                "E901",
                f"找不到名为“{L.SHEET}”的工作表（这个文件里有：{have}）。",
                path.name,
                "请在 sitegen ledger-template 生成的模板里填写，不要改工作表的名称；"
                f"如果条目写在别的工作表里，把它们复制到“{L.SHEET}”表。",
            )
        )
        return sheet
    ws = wb[L.SHEET]
    if not _headers_ok(ws, sheet):
        return sheet
    _merged(ws, sheet)
    _rows(ws, sheet)
    return sheet


def _headers_ok(ws, sheet: Sheet) -> bool:
    found = [_clean(ws.cell(row=L.HEADER_ROW, column=c.index).value) for c in L.COLUMNS]
    wrong = [(c, f) for c, f in zip(L.COLUMNS, found) if f != c.header]
    for col, value in wrong:
        sheet.problems.append(
            at_cell(
                "E902",
                f"表头应为“{col.header}”，这里是“{value or '（空白）'}”。",
                sheet.label,
                L.HEADER_ROW,
                col.index,
                col.label(),
                f"第 {L.HEADER_ROW} 行的表头依次是：{'、'.join(L.HEADERS)}。不要插入、删除或调换列；"
                "最好重新生成模板，把条目复制进去。",
            )
        )
    return not wrong


def _merged(ws, sheet: Sheet) -> None:
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row < L.FIRST_ROW:
            continue
        col = L.COLUMNS[rng.min_col - 1] if rng.min_col <= len(L.COLUMNS) else None
        sheet.problems.append(
            at_cell(
                "E903",
                f"{rng.coord} 是合并单元格。",
                sheet.label,
                rng.min_row,
                rng.min_col,
                col.label() if col else f"{get_column_letter(rng.min_col)}列",
                "选中后点“合并后居中”取消合并：每条条目占一行，每个单元格只写一个值；"
                "几位党员参加同一活动时，写在同一行的“党员”格里，用顿号分隔。",
            )
        )


def _rows(ws, sheet: Sheet) -> None:
    width = len(L.COLUMNS)
    blank_run: int | None = None  # first row of the current run of empty rows
    stray_reported: set[int] = set()
    for number in range(L.FIRST_ROW, ws.max_row + 1):
        values = [_clean(ws.cell(row=number, column=j).value) for j in range(1, ws.max_column + 1)]
        inside, outside = values[:width], values[width:]
        for j, value in enumerate(outside, start=width + 1):
            if value is not None and j not in stray_reported:
                stray_reported.add(j)
                letter = get_column_letter(j)
                sheet.problems.append(
                    at_cell(
                        "E902",
                        "这一列不在模板里，其中的内容不会被导入。",
                        sheet.label,
                        number,
                        j,
                        f"{letter}列",
                        f"把内容移到“备注”或“依据”列，然后删除 {letter} 列。",
                    )
                )
        if all(v is None for v in inside):
            if blank_run is None:
                blank_run = number
            continue
        if blank_run is not None:
            where = f"第 {blank_run} 行" if blank_run == number - 1 else f"第 {blank_run}～{number - 1} 行"
            sheet.problems.append(
                at_cell(
                    "E904",
                    f"{where}是空行，但下面第 {number} 行还有条目。",
                    sheet.label,
                    blank_run,
                    1,
                    "",
                    "删除空行（选中整行，右键“删除”），条目之间不要留空行。",
                )
            )
            blank_run = None
        sheet.rows.append(SheetRow(number, {c.key: v for c, v in zip(L.COLUMNS, inside)}))
