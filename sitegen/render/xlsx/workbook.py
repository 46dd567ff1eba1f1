"""Workbooks as deterministic bytes, and the widths Chinese text needs.

openpyxl stamps a workbook with the clock twice: the core properties' modified time and
every zip member's date. The same data must give the same bytes, so we write the
package ourselves: properties set to a date taken from the data, and the zip re-packed
with that date on every member.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.packaging.custom import CustomPropertyList
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

CREATOR = "sitegen"

# A text cell starting with one of these is taken for a formula by Excel and WPS
# (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`; tab and CR hide such a start). Every value
# in our workbooks comes from content a pull request can change, and no workbook we
# write has a formula of its own: such text is written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its one sheet, named `title`."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet), "a new workbook starts with one worksheet"
    ws.title = title
    return wb, ws


def custom_properties(wb: Workbook) -> CustomPropertyList:
    """The workbook's custom document properties (where the xlsx template keeps its
    branch and year)."""
    props: CustomPropertyList = wb.custom_doc_props  # type: ignore[attr-defined]  # missing from openpyxl's stubs
    return props


def as_text_cells(wb: Workbook) -> None:
    """Make every string cell that looks like a formula a plain string cell, with the
    quote prefix Excel uses for text typed as `'=…` (so editing it keeps it text too).
    Done once here, for every workbook sitegen writes, not in each place that fills one."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(wb: Workbook, stamp: date, title: str = "") -> bytes:
    """The workbook's .xlsx bytes; identical for identical content and stamp. Text that
    looks like a formula is written as text (`as_text_cells`)."""
    as_text_cells(wb)
    moment = datetime(stamp.year, stamp.month, stamp.day)
    props = wb.properties
    props.creator = CREATOR
    props.lastModifiedBy = CREATOR
    props.created = moment
    props.modified = moment
    props.title = title or None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:  # compressed once, below
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    when = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def text_width(text: str) -> float:
    """Column width (in Excel's character units) that shows `text` on one line: CJK and
    full-width characters take about two units, others one."""
    return _width(str(text))


@lru_cache(maxsize=1 << 16)  # a form measures each cell twice (widths, then heights); names and numbers repeat
def _width(text: str) -> float:
    width = 0.0
    for ch in text:
        unit = _UNITS.get(ch)
        if unit is None:
            unit = _UNITS[ch] = 2.1 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.1
        width += unit
    return width


_UNITS: dict[str, float] = {}  # character -> its width in units
