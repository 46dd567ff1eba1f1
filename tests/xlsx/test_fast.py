"""The 统计表 written straight to bytes (sitegen.render.xlsx.fast) are the bytes openpyxl
writes for the same form: on every form of the demo and of a generated district, and on
forms with text that looks like a formula, blank cells and empty notes; what the fast
writer does not handle goes to openpyxl."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from sitegen.check import check
from sitegen.render.xlsx import DISTRICT, PERIODS, Scope, stats_one, stats_two
from sitegen.render.xlsx.fast import form_bytes
from sitegen.render.xlsx.form import Column, write_form
from sitegen.render.xlsx.report import Heading, build_report
from sitegen.render.xlsx.workbook import new_workbook, workbook_bytes
from tests.xlsx.helpers import REPORT_DATE, demo
from tools.synth import generate


def reports(district, years, report_date):
    for result in years.values():
        scopes = [DISTRICT, *(Scope("committee", c.id) for c in district.committees)]
        scopes += [Scope("branch", b.id) for b in district.branches() if b.id in result.branches]
        for scope in scopes:
            for period in PERIODS:
                for form in (1, 2):
                    report = build_report(district, result, period, scope, form, report_date)
                    if report is not None:
                        yield form, report


def openpyxl_bytes(form: int, report) -> bytes:
    sheet = stats_one if form == 1 else stats_two
    return workbook_bytes(sheet.workbook(report), report.stamp, report.heading.title)


def assert_same_everywhere(district, years, report_date) -> int:
    compared = 0
    for form, report in reports(district, years, report_date):
        sheet = stats_one if form == 1 else stats_two
        t = sheet.table(report)
        rows = [list(r) for r in t.rows]
        styles = list(sheet.styles(report))
        fast = form_bytes(
            sheet.SHEET, t.heading, list(t.columns), rows, styles, list(t.notes), report.stamp, report.heading.title
        )
        assert fast is not None, (form, report.scope, report.period)  # not left to openpyxl
        assert fast == openpyxl_bytes(form, report) == sheet.xlsx_bytes(report), (form, report.scope, report.period)
        compared += 1
    return compared


def test_every_form_of_the_demo_is_byte_identical():
    report = demo()
    assert report.loaded.district is not None
    assert assert_same_everywhere(report.loaded.district, report.years, REPORT_DATE) > 40


def test_every_form_of_a_generated_district_is_byte_identical(tmp_path):
    content = tmp_path / "district"
    generate(content, branches=12, members=9, seed=5, year=2026)
    report = check(content, restricted=False, cache_dir=None, today=date(2026, 11, 23))
    assert not report.errors and report.loaded.district is not None
    assert assert_same_everywhere(report.loaded.district, report.years, None) > 20


HEADING = Heading("测试区2026年度统计表", "2026年度", "中共测试支部", "张三", "李四", "2026年7月15日")
COLUMNS = [
    Column("", "单位", "name", min_width=14),
    Column("", "人数", "int"),
    Column("等次", "人数", "int"),
    Column("等次", "占比", "share"),
    Column("", "备注", "text"),
]


def both(rows, styles, notes, heading=HEADING, columns=COLUMNS) -> tuple[bytes | None, bytes]:
    fast = form_bytes("表", heading, columns, rows, styles, notes, date(2026, 7, 15), heading.title)
    wb, ws = new_workbook("表")
    write_form(ws, heading, columns, [list(r) for r in rows], styles, notes)
    return fast, workbook_bytes(wb, date(2026, 7, 15), heading.title)


@pytest.mark.parametrize(
    "rows,styles,notes",
    [
        ([["一支部", 3, 2, 0.5, "=HYPERLINK(1)"], ["合计", 3, None, 0.25, "-1"]], ["normal", "total"], ["说明"]),
        ([["@SUM", 1, 1, 1.0, ""], ["二支部", 0, 0, 0.0, "+x"]], ["branch-indent", "subtotal"], []),
        ([], [], ["只有说明", "两行 & <b>"]),
        ([["a < b & c", 12345678901, 1, 1 / 3, None]], ["normal"], []),
    ],
)
def test_odd_forms_are_byte_identical_or_left_to_openpyxl(rows, styles, notes):
    fast, reference = both(rows, styles, notes)
    assert fast == reference
    ws = load_workbook(io.BytesIO(fast)).active
    assert ws.cell(row=1, column=1).value == HEADING.title


@pytest.mark.parametrize(
    "rows",
    [
        [[" 前后有空格 ", 1, 1, 0.5, ""]],  # openpyxl keeps the spaces (xml:space)
        [["一支部", True, 1, 0.5, ""]],  # a bool
        [["一支部", 1, 1, float("nan"), ""]],  # not a number a cell can hold
    ],
)
def test_what_the_fast_writer_does_not_know_is_left_to_openpyxl(rows):
    fast, reference = both(rows, ["normal"], [])
    assert fast is None
    assert load_workbook(io.BytesIO(reference)).active.cell(row=6, column=1).value == rows[0][0]
