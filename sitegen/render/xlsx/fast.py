"""The 统计表 forms written straight to xlsx bytes: the same bytes as laying the form out
with openpyxl (`form.write_form`) and packing it (`workbook.workbook_bytes`), at a
fraction of the cost.

A site has two spreadsheets per branch and period; filling openpyxl's cell objects and
serialising them cost more than rendering every HTML page of the branch. Here openpyxl
still decides everything but the cells: for each *shape* of form (its columns, the order
in which its row styles first appear, whether it has notes) one small workbook with a
single row of each style is laid out by `write_form` and written by openpyxl, once per
process; from it come the style sheet, each cell's style number, and every part of the
package that does not depend on the data. The cells, the column widths, the merged
ranges, the print area and the document's title and date are then written here, exactly
as openpyxl writes them (`tests/render/test_xlsx_fast.py` compares the bytes on every
form the demo and a generated district make).

Anything unusual — a value of another type, text openpyxl would refuse or mark to keep
its spaces, a heading that looks like a formula — returns None, and the caller uses
openpyxl itself.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from sitegen.render.xlsx.form import (
    FIRST_DATA_ROW,
    HEAD1,
    HEAD2,
    PERIOD_ROW,
    TITLE_ROW,
    UNIT_ROW,
    Column,
    measure,
    unit_spans,
    write_form,
)
from sitegen.render.xlsx.quarterly import Table
from sitegen.render.xlsx.report import Heading
from sitegen.render.xlsx.workbook import FORMULA_START, new_workbook, workbook_bytes

_SENTINEL_TITLE = "SITEGEN-FAST-TITLE"
_SENTINEL_STAMP = date(2000, 1, 2)
_SENTINEL_MOMENT = "2000-01-02T00:00:00Z"
_AWKWARD = re.compile(r"[\000-\010\013\014\016-\037\r]")  # refused by openpyxl, or not kept as is in XML text


class _Shape:
    """What one shape of form shares, from openpyxl's own output for a small workbook."""

    def __init__(self, sheet: str, columns: list[Column], rows: list[list], styles: list[str], notes: list[str]):
        n = len(columns)
        heading = Heading(_SENTINEL_TITLE, "x", "x", "x", "x", "x")
        wb, ws = new_workbook(sheet)
        write_form(ws, heading, columns, rows, styles, notes)
        data = workbook_bytes(wb, _SENTINEL_STAMP, _SENTINEL_TITLE)
        # every cell's style number, as the writer gave it
        self.style: dict[tuple, int] = {}
        for (r, c), cell in ws._cells.items():
            if not cell.has_style or r not in (HEAD1, HEAD2) and isinstance(cell, MergedCell):
                continue  # not written: the hidden parts of merged cells, blank cells
            sid = cell.style_id
            if r == TITLE_ROW or r == PERIOD_ROW:
                self.style[("top", r)] = sid
            elif r == UNIT_ROW:
                self.style[("unit",)] = sid
            elif r in (HEAD1, HEAD2):
                self.style[("head", r, c)] = sid
            elif r < FIRST_DATA_ROW + len(rows):
                i = r - FIRST_DATA_ROW
                value = rows[i][c - 1]
                quoted = isinstance(value, str) and value.startswith(FORMULA_START)
                self.style[("data", c, styles[i], quoted)] = sid
            else:
                self.style[("note",)] = sid
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.names = [info.filename for info in z.infolist()]
            self.parts = {name: z.read(name) for name in self.names}
        sheet_xml = self.parts["xl/worksheets/sheet1.xml"].decode("utf-8")
        self.head = sheet_xml[: sheet_xml.index("<dimension ")]
        self.middle = sheet_xml[sheet_xml.index("<sheetViews>") : sheet_xml.index("<cols>")]
        self.tail = sheet_xml[sheet_xml.index("</mergeCells>") + len("</mergeCells>") :]
        last_row = (
            FIRST_DATA_ROW + len(rows) + len(notes)
        )  # the print area: to the last note, or one row past the table
        book = self.parts["xl/workbook.xml"].decode("utf-8")
        self.area = f"!$A$1:${get_column_letter(n)}${last_row}<"
        assert book.count(self.area) == 1, "the print area is in the workbook once"
        self.book = book
        core = self.parts["docProps/core.xml"].decode("utf-8")
        assert core.count(_SENTINEL_TITLE) == 1 and core.count(_SENTINEL_MOMENT) == 2, "core properties as expected"
        self.core = core


_SHAPES: dict[tuple, _Shape | None] = {}


def form_bytes(
    sheet: str,
    heading: Heading,
    columns: list[Column],
    rows: list[list],
    styles: list[str],
    notes: list[str],
    stamp: date,
    title: str,
) -> bytes | None:
    """The xlsx bytes of `write_form(...)` packed by `workbook_bytes(wb, stamp, title)`, or
    None when this writer does not handle the form (the caller then uses openpyxl)."""
    n = len(columns)
    texts = [heading.title, heading.subtitle, heading.unit, heading.leader, heading.recorder, heading.date, title]
    texts += notes + [c.name for c in columns] + [c.group for c in columns] + [sheet]
    if not title or not all(_plain(t) and not t.startswith(FORMULA_START) for t in texts):
        return None
    if n < 2 or any(len(values) != n for values in rows) or len(styles) != len(rows):
        return None
    starts = [start for start, _ in unit_spans(n)]
    if starts != sorted(set(starts)) or starts[-1] > n:
        return None  # a form too narrow for the unit line's four cells
    # the shape: columns, the data cells' styles in the order they first appear, notes or not
    seen: set[tuple] = set()
    firsts: list[int] = []
    keys: list[list[tuple]] = []
    for i, values in enumerate(rows):
        row_keys = []
        for j, value in enumerate(values, start=1):
            if value is None or type(value) is int or type(value) is float and math.isfinite(value):
                quoted = False
            elif type(value) is str and _plain(value) and len(value) <= 32767:
                quoted = value.startswith(FORMULA_START)
            else:
                return None
            row_keys.append(("data", j, styles[i], quoted))
        if not seen.issuperset(row_keys):
            seen.update(row_keys)
            firsts.append(i)
        keys.append(row_keys)
    signature = (sheet, tuple(columns), tuple(tuple(keys[i]) for i in firsts), bool(notes))
    if signature in _SHAPES:
        shape = _SHAPES[signature]
    else:
        try:
            shape = _Shape(sheet, columns, [rows[i] for i in firsts], [styles[i] for i in firsts], notes)
        except (AssertionError, KeyError, ValueError):
            shape = None  # not the layout this writer knows: openpyxl for this shape
        _SHAPES[signature] = shape
    if shape is None:
        return None
    try:
        return _assemble(shape, heading, columns, rows, keys, notes, stamp, title)
    except KeyError:  # a cell whose style the small workbook did not show: openpyxl for this one
        return None


def _assemble(
    shape: _Shape,
    heading: Heading,
    columns: list[Column],
    rows: list[list],
    keys: list[list[tuple]],
    notes: list[str],
    stamp: date,
    title: str,
) -> bytes:
    n = len(columns)
    style = shape.style

    last = get_column_letter(n)
    letters = [get_column_letter(j) for j in range(1, n + 1)]
    out: list[str] = [shape.head]
    end = FIRST_DATA_ROW + len(rows)
    last_row = end + len(notes) if notes else max(HEAD2, end - 1)
    out.append(f'<dimension ref="A1:{last}{last_row}" />')
    out.append(shape.middle)
    column_widths, heights = measure(columns, rows)
    out.append("<cols>")
    for j, width in enumerate(column_widths, start=1):
        out.append(f'<col width="{_number(width)}" customWidth="1" min="{j}" max="{j}" />')
    out.append("</cols><sheetData>")

    def row(r: int, height: float, cells: list[str]) -> None:
        out.append(f'<row r="{r}" ht="{_number(height)}" customHeight="1">')
        out.extend(cells)
        out.append("</row>")

    row(TITLE_ROW, 36, [_text(f"A{TITLE_ROW}", style[("top", TITLE_ROW)], heading.title)])
    row(PERIOD_ROW, 22, [_text(f"A{PERIOD_ROW}", style[("top", PERIOD_ROW)], f"（{heading.subtitle}）")])
    unit_texts = [
        f"单位：{heading.unit}",
        f"党组织负责人：{heading.leader}",
        f"填表人：{heading.recorder}",
        f"日期：{heading.date}",
    ]
    spans = unit_spans(n)
    row(
        UNIT_ROW,
        24,
        [
            _text(f"{letters[start - 1]}{UNIT_ROW}", style[("unit",)], text)
            for (start, _), text in zip(spans, unit_texts)
        ],
    )
    merges: list[tuple[int, int, int, int]] = [(TITLE_ROW, 1, TITLE_ROW, n), (PERIOD_ROW, 1, PERIOD_ROW, n)]
    merges += [(UNIT_ROW, start, UNIT_ROW, stop) for start, stop in spans if stop > start]
    head1: list[str | None] = [None] * n
    head2: list[str | None] = [None] * n
    j = 1
    while j <= n:
        col = columns[j - 1]
        if not col.group:
            merges.append((HEAD1, j, HEAD2, j))
            head1[j - 1] = col.name
            j += 1
            continue
        k = j
        while k + 1 <= n and columns[k].group == col.group:
            k += 1
        if k > j:
            merges.append((HEAD1, j, HEAD1, k))
        head1[j - 1] = col.group
        for m in range(j, k + 1):
            head2[m - 1] = columns[m - 1].name
        j = k + 1
    for r, values in ((HEAD1, head1), (HEAD2, head2)):
        cells = []
        for c, value in enumerate(values, start=1):
            sid = style[("head", r, c)]
            ref = f"{letters[c - 1]}{r}"
            cells.append(_text(ref, sid, value) if value is not None else _empty(ref, sid))
        row(r, 24, cells)
    for i, (values, height) in enumerate(zip(rows, heights)):
        r = FIRST_DATA_ROW + i
        cells = []
        for c, (value, key) in enumerate(zip(values, keys[i]), start=1):
            sid = style[key]
            ref = f"{letters[c - 1]}{r}"
            if value is None or value == "":
                cells.append(_empty(ref, sid) if value is None else f'<c r="{ref}" s="{sid}" t="inlineStr" />')
            elif type(value) is str:
                cells.append(_text(ref, sid, value))
            else:
                cells.append(f'<c r="{ref}" s="{sid}" t="n"><v>{_number(value)}</v></c>')
        row(r, height, cells)
    if notes:
        out.append(f'<row r="{end}"></row>')  # the blank row above the notes: openpyxl writes it, empty
    for k, note in enumerate(notes):
        r = end + 1 + k
        merges.append((r, 1, r, n))
        row(r, 18, [_text(f"A{r}", style[("note",)], note)])
    out.append("</sheetData>")
    # openpyxl keeps merged ranges in a set of objects hashed as these tuples: the same
    # insertions give the same order
    merged = set(merges)
    out.append(f'<mergeCells count="{len(merged)}">')
    for r1, c1, r2, c2 in merged:
        out.append(f'<mergeCell ref="{letters[c1 - 1]}{r1}:{letters[c2 - 1]}{r2}" />')
    out.append("</mergeCells>")
    out.append(shape.tail)
    sheet_xml = "".join(out).encode("utf-8")

    moment = f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}T00:00:00Z"
    parts = dict(shape.parts)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    area = f"!$A$1:${last}${end + len(notes)}<"
    parts["xl/workbook.xml"] = shape.book.replace(shape.area, area).encode("utf-8")
    parts["docProps/core.xml"] = (
        shape.core.replace(_SENTINEL_TITLE, escape(title)).replace(_SENTINEL_MOMENT, moment).encode("utf-8")
    )
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in shape.names:
            member = zipfile.ZipInfo(name, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, parts[name])
    return packed.getvalue()


def _plain(text: str) -> bool:
    """Text written as it is: nothing openpyxl refuses, and no spaces at either end that
    it would mark to be kept (xml:space)."""
    if _AWKWARD.search(text):
        return False
    stripped = text.strip()
    return not stripped or stripped == text


def _number(value: Any) -> str:
    return "%.16g" % value  # noqa: UP031 (openpyxl's safe_string, exactly)


def _text(ref: str, sid: int, text: str) -> str:
    if text == "":
        return f'<c r="{ref}" s="{sid}" t="inlineStr" />'
    return f'<c r="{ref}" s="{sid}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _empty(ref: str, sid: int) -> str:
    return f'<c r="{ref}" s="{sid}" t="n" />'


def table_workbook(t: Table, styles: list[str]) -> Workbook:
    """The openpyxl workbook of one form (`write_form` of the table's cells)."""
    wb, ws = new_workbook(t.name)
    write_form(ws, t.heading, list(t.columns), [list(r) for r in t.rows], styles, list(t.notes))
    return wb


def table_bytes(t: Table, styles: list[str], stamp: date, title: str) -> bytes:
    """The form's xlsx bytes: this module's writer, or openpyxl's where it does not handle
    the form — the same bytes either way."""
    rows = [list(r) for r in t.rows]
    fast = form_bytes(t.name, t.heading, list(t.columns), rows, styles, list(t.notes), stamp, title)
    return fast if fast is not None else workbook_bytes(table_workbook(t, styles), stamp, title)
