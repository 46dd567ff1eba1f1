"""Real spreadsheets for the xlsx tests: the demo district scored once, templates
filled in with openpyxl the way a secretary's Excel would save them."""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import date, datetime
from functools import cache
from pathlib import Path

from openpyxl import load_workbook

from sitegen.check import Report, check
from sitegen.xlsxio import layout as L
from sitegen.xlsxio.template import template
from tests.support import MINI, ROOT

CONTENT = ROOT / "content"
REPORT_DATE = date(2026, 7, 15)


@cache
def demo() -> Report:
    """The demo district, checked and scored (public data only, as the build sees it)."""
    report = check(CONTENT, restricted=False, cache_dir=None)
    assert not report.errors, "\n".join(p.format() for p in report.errors)
    return report


def copy_content(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".sitegen-cache"))
    return dest


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def mini_template(content: Path = MINI, branch: str = "b1", year: int = 2026) -> bytes:
    report = check(content, restricted=False, cache_dir=None)
    return template(report.loaded.district, branch, year)


def fill(data: bytes, rows: list[dict], path: Path, edit=None) -> Path:
    """Write `rows` (column header → value) into the 台账 sheet from row 3, then let
    `edit(workbook)` spoil it, and save to `path`."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[L.SHEET]
    for i, values in enumerate(rows):
        for header, value in values.items():
            col = L.HEADERS.index(header) + 1
            ws.cell(row=L.FIRST_ROW + i, column=col, value=value)
    if edit is not None:
        edit(wb)
    wb.save(path)
    return path


def row(day=date(2026, 5, 20), item="B01", members="赵一、钱二", **more) -> dict:
    out = {
        "日期": datetime(day.year, day.month, day.day) if isinstance(day, date) else day,
        "积分项目": item,
        "党员": members,
    }
    names = {
        "id": "编号",
        "points": "分值",
        "source": "来源",
        "evidence": "依据",
        "note": "备注",
        "excluding": "除外党员",
        "corrects": "更正条目编号",
        "reason": "更正理由",
        "void": "作废",
    }
    for key, value in more.items():
        out[names[key]] = value
    return out
