"""Problem codes for spreadsheets brought in (the ledger import). The codes of the
content checks (E0xx–E7xx) are reused where the mistake is the same one; these are the
mistakes only a spreadsheet can make. Stable once released, like every other code.
"""

from __future__ import annotations

from sitegen.problems import Pos, Problem

CODES: dict[str, str] = {
    "E901": "不是台账模板（打不开，或找不到“台账”工作表）",
    "E902": "台账表头不对，或多出了模板没有的列",
    "E903": "台账数据区有合并单元格",
    "E904": "台账数据中间有空行",
    "E905": "与已有台账条目重复，或编号已被占用",
    "E906": "台账文件无法追加（内容目录本身有错误）",
    "E907": "表格属于另一个支部或年度",
    "W901": "补记到已公示的季度",
}


def at_cell(code: str, message: str, label: str, row: int, col: int = 0, column: str = "", hint: str = "") -> Problem:
    """A problem at a cell of the sheet: `label` names the file and sheet, e.g. 台账.xlsx［台账］;
    `column` (e.g. "F列（分值）") starts the message, since people look for letters, not numbers."""
    text = f"{column}：{message}" if column else message
    return Problem(code, text, Pos(label, row, col), hint)


def at_file(code: str, message: str, label: str, hint: str = "") -> Problem:
    return Problem(code, message, Pos(label), hint)
