"""Spreadsheets are data in both directions (issue 12, item 6): text that looks like a
formula is written as text in every workbook sitegen writes; a sheet far longer than a
branch's year is refused before it is read whole; an unreadable roster is named."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from sitegen.check import check
from sitegen.render.xlsx import xlsx_files
from sitegen.render.xlsx.workbook import workbook_bytes
from sitegen.xlsxio import import_ledger
from sitegen.xlsxio import layout as L
from sitegen.xlsxio.sheet import MAX_ROWS
from tests.support import B1_2026
from tests.xlsx.helpers import CONTENT, fill, mini_template, row, tree_digest

FORMULA = '=HYPERLINK("http://x.example/","陆浩")'
LOOKS_LIKE = [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def cells_with(data: bytes, values) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value in values]


def test_formula_looking_text_is_written_as_text():
    wb = Workbook()
    for i, value in enumerate(LOOKS_LIKE, start=1):
        wb.active.cell(row=i, column=1, value=value)
    wb.active.cell(row=len(LOOKS_LIKE) + 1, column=1, value=-5)  # a real number stays a number
    data = workbook_bytes(wb, date(2026, 1, 1))
    found = cells_with(data, LOOKS_LIKE)
    assert len(found) == len(LOOKS_LIKE) and all(c.data_type == "s" and c.quotePrefix for c in found)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert load_workbook(io.BytesIO(data)).active.cell(row=len(LOOKS_LIKE) + 1, column=1).data_type == "n"


def test_a_member_named_like_a_formula_in_the_stats_and_the_template(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("restricted"))
    roster = content / "committees/qsjd/branches/kjy/2026/roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("name: 陆浩", "name: '" + FORMULA + "'"), "utf-8")
    report = check(content, restricted=False, cache_dir=None)
    assert not report.errors, [p.format() for p in report.errors]
    files = xlsx_files(report.loaded.district, {2026: report.years[2026]}, date(2026, 7, 15))
    stats = [data for rel, data in files.items() if "/b/kjy-stats2" in rel]
    assert stats
    for data in stats:
        found = cells_with(data, [FORMULA])
        assert found and all(c.data_type == "s" for c in found)
    template = mini_template(content, "kjy", 2026)
    found = cells_with(template, [FORMULA])
    assert found and all(c.data_type == "s" for c in found)


def test_a_sheet_claiming_millions_of_rows_is_refused_quickly(mini, tmp_path):
    path = fill(mini_template(mini), [row()], tmp_path / "台账.xlsx")
    claimed = tmp_path / "claimed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(claimed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                data = (text[:start] + "A1:K2000000" + text[end:]).encode()
            dst.writestr(info, data)
    before = tree_digest(mini)
    result = import_ledger(mini, "b1", 2026, claimed, cache_dir=None)
    assert [p.code for p in result.problems] == ["E908"] and str(MAX_ROWS) in result.problems[0].message
    assert tree_digest(mini) == before


def test_a_sheet_with_too_many_rows_is_refused(mini, tmp_path):
    def grow(wb):
        ws = wb[L.SHEET]
        for r in range(L.FIRST_ROW + 1, MAX_ROWS + 10):
            ws.cell(row=r, column=1, value="x")

    path = fill(mini_template(mini), [row()], tmp_path / "台账.xlsx", edit=grow)
    result = import_ledger(mini, "b1", 2026, path, cache_dir=None)
    assert [p.code for p in result.problems] == ["E908"]


def test_a_gbk_roster_is_named_not_called_missing(mini, tmp_path):
    path = fill(mini_template(mini), [row()], tmp_path / "台账.xlsx")
    roster = mini / f"{B1_2026}/roster.yaml"
    roster.write_bytes(roster.read_text("utf-8").encode("gb18030"))
    result = import_ledger(mini, "b1", 2026, path, cache_dir=None)
    codes = [p.code for p in result.problems]
    assert codes[0] == "E001" and codes[-1] == "E909", codes
    assert result.problems[0].pos.file == f"{B1_2026}/roster.yaml" and "GBK" in result.problems[0].message
    assert not any("不存在" in p.message for p in result.problems)


def test_template_for_a_branch_whose_roster_is_gbk_names_the_file(mini, tmp_path):
    roster = mini / f"{B1_2026}/roster.yaml"
    roster.write_bytes(roster.read_text("utf-8").encode("gb18030"))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "ledger-template",
            str(mini),
            "--branch",
            "b1",
            "--year",
            "2026",
            "-o",
            str(tmp_path / "t.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{B1_2026}/roster.yaml:3:11: 错误[E001]" in out.stderr and "错误[E909]" in out.stderr
    assert "没有 2026 年的名册" not in out.stderr and not (tmp_path / "t.xlsx").exists()


def test_a_zip_that_unpacks_to_far_more_is_refused(mini, tmp_path):
    path = fill(mini_template(mini), [row()], tmp_path / "台账.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (201 * 1024 * 1024))  # compresses to about 200 KB
    result = import_ledger(mini, "b1", 2026, bomb, cache_dir=None)
    assert [p.code for p in result.problems] == ["E908"] and "MB" in result.problems[0].message
