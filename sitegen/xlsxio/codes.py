"""Problem codes for spreadsheets brought in (the ledger import). The codes of the
content checks (E0xx–E7xx) are reused where the mistake is the same one; these are the
mistakes only a spreadsheet can make. Stable once released, like every other code.
"""

from __future__ import annotations

from sitegen.problems import CODES as ALL_CODES
from sitegen.problems import Pos, Problem

CODES: dict[str, str] = {code: title for code, title in ALL_CODES.items() if code[1:3] == "90"}


def at_cell(code: str, message: str, label: str, row: int, col: int = 0, column: str = "", hint: str = "") -> Problem:
    """A problem at a cell of the sheet: `label` names the file and sheet, e.g. 台账.xlsx［台账］;
    `column` (e.g. "F列（分值）") starts the message, since people look for letters, not numbers."""
    text = f"{column}：{message}" if column else message
    return Problem(code, text, Pos(label, row, col), hint)


def at_file(code: str, message: str, label: str, hint: str = "") -> Problem:
    return Problem(code, message, Pos(label), hint)
