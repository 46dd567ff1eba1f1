"""统计表（一）and（二）read back with openpyxl and compared with the rules engine, number
by number; the layout of the paper form; deterministic bytes; only published data."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sitegen.check import check
from sitegen.model.enums import Grade
from sitegen.model.scored import Role
from sitegen.render.xlsx import DISTRICT, Scope, stats_bytes, stats_path, xlsx_files
from sitegen.render.xlsx.form import FIRST_DATA_ROW
from tests.support import ROOT
from tests.xlsx.helpers import CONTENT, REPORT_DATE, copy_content, demo

GRADES = [Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL]


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    report = demo()
    assert report.loaded.district is not None
    return xlsx_files(report.loaded.district, report.years, REPORT_DATE)


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def data_rows(ws) -> list[list]:
    """The table's rows: from the first data row to the last bordered one (before 说明)."""
    out = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        first = ws.cell(row=r, column=1)
        if first.border.left.style is None:
            break
        out.append([ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)])
    return out


def dec(value) -> Decimal:
    return Decimal(str(value)).normalize()


def check_stats_row(cells: list, stats) -> None:
    unit, total, participants, exempt, *rest = cells
    assert (total, participants, exempt) == (stats.total, stats.participants, stats.exempt), unit
    counts = rest[0:8:2]
    shares = rest[1:8:2]
    assert counts == [stats.grades[g] for g in GRADES], unit
    assert [dec(s) for s in shares] == [dec(stats.share(g) / 100) for g in GRADES], unit
    assert rest[8] == stats.activists, unit
    # the counts add up
    assert participants == sum(counts) and total == participants + exempt, unit


def test_expected_files_only_for_published_periods(files):
    report = demo()
    district = report.loaded.district
    expected = set()
    for year, result in report.years.items():
        for period in ("h1", "year"):
            ready = [
                b
                for b, r in result.branches.items()
                if (r.year_end_done if period == "year" else all(q.published for q in r.quarters[:2]))
            ]
            for form in (1, 2):
                expected |= {stats_path(year, form, period, branch=b) for b in ready}
                if ready:
                    expected.add(stats_path(year, form, period))
                    expected |= {
                        stats_path(year, form, period, committee=c.id)
                        for c in district.committees
                        if any(b.id in ready for b in c.branches)
                    }
    assert set(files) == expected
    # 2026 is in progress: half-year files, no year files; 2025 has both
    assert "2026/xlsx/district-stats1-h1.xlsx" in files and "2026/xlsx/district-stats1-year.xlsx" not in files
    assert "2025/xlsx/district-stats2-year.xlsx" in files
    assert "2025/xlsx/c/qsjd-stats1-year.xlsx" in files and "2025/xlsx/b/jdjg-stats2-year.xlsx" in files


def test_stats_one_year_numbers_equal_the_engine(files):
    report = demo()
    district = report.loaded.district
    result = report.years[2025]
    rows = data_rows(sheet(files["2025/xlsx/district-stats1-year.xlsx"]))
    expected = []
    for c in district.committees:
        expected.append((c.info.short_name, result.committees[c.id]))
        expected += [(b.info.short_name, result.branches[b.id].stats) for b in c.branches if b.id in result.branches]
    expected.append(("合计", result.district))
    assert [r[0].strip() for r in rows] == [name for name, _ in expected]
    for cells, (_, stats) in zip(rows, expected):
        check_stats_row(cells, stats)
    for c in district.committees:
        rows = data_rows(sheet(files[f"2025/xlsx/c/{c.id}-stats1-year.xlsx"]))
        branches = [b for b in c.branches if b.id in result.branches]  # not those founded later
        assert [r[0] for r in rows] == [b.info.short_name for b in branches] + ["合计"]
        for cells, b in zip(rows, branches):
            check_stats_row(cells, result.branches[b.id].stats)
        check_stats_row(rows[-1], result.committees[c.id])
    for b in district.branches():
        if b.id not in result.branches:
            continue
        [cells] = data_rows(sheet(files[f"2025/xlsx/b/{b.id}-stats1-year.xlsx"]))
        check_stats_row(cells, result.branches[b.id].stats)


def test_stats_one_half_year_counts_and_publication(files):
    report = demo()
    district = report.loaded.district
    result = report.years[2026]
    rows = data_rows(sheet(files["2026/xlsx/district-stats1-h1.xlsx"]))
    by_unit = {r[0].strip(): r for r in rows}
    for b in district.branches():
        stats = result.branches[b.id].stats
        unit, total, participants, exempt, q1, q2, activists, note = by_unit[b.info.short_name]
        assert (total, participants, exempt, activists) == (
            stats.total,
            stats.participants,
            stats.exempt,
            stats.activists,
        )
        assert total == participants + exempt
        start = result.branches[b.id].quarters[1].publicity.start
        assert q2 == f"{start.month}月{start.day}日"
    total = by_unit["合计"]
    assert total[1:4] == [result.district.total, result.district.participants, result.district.exempt]
    assert total[4] == total[5] == f"{len(result.branches)}/{len(result.branches)}个支部"


def member_expectations(bres, quarter: int):
    """Rows of 统计表（二） for one branch as the engine has them, in the form's order."""
    shown = [r for r in bres.members if r.role is not Role.FLOATING_OUT]
    order = {r.member.id: i for i, r in enumerate(shown)}

    def rank(r):
        return r.rank if quarter == 4 else (r.quarters[quarter - 1].rank if r.scored else None)

    role_order = {Role.SCORED: 0, Role.ACTIVIST: 1, Role.EXEMPT: 2}
    return sorted(shown, key=lambda r: (role_order[r.role], rank(r) or 0, order[r.member.id])), rank


def test_stats_two_numbers_equal_the_engine(files):
    report = demo()
    district = report.loaded.district
    for year, period, quarter in ((2025, "year", 4), (2025, "h1", 2), (2026, "h1", 2)):
        result = report.years[year]
        for b in district.branches():
            if b.id not in result.branches:
                continue  # a branch founded later (the demo's 区第二中学支部 in 2026)
            rows = data_rows(sheet(files[stats_path(year, 2, period, branch=b.id)]))
            expected, rank = member_expectations(result.branches[b.id], quarter)
            assert len(rows) == len(expected)
            for seq, (cells, r) in enumerate(zip(rows, expected), start=1):
                assert cells[0] == seq and cells[1] == r.member.name
                assert cells[2] == r.category.value and cells[3] == r.member.status.value
                if not r.scored:
                    assert cells[4:9] == [None] * 5 and "不纳入积分管理" in cells[-1]
                    continue
                mq = r.quarters[quarter - 1]
                assert [dec(v) for v in cells[4:8]] == [
                    dec(mq.ytd.base),
                    dec(mq.ytd.bonus),
                    dec(mq.ytd.deduction),
                    dec(mq.total),
                ], (b.id, r.member.id)
                assert cells[8] == rank(r)
                if period == "year":
                    assert dec(cells[7]) == dec(r.total)
                    assert cells[9:12] == [r.grade.value, r.rating.value if r.rating else None, r.final_grade.value]
                else:
                    assert len(cells) == 10  # no grade columns in the half year
        # committee and district forms list the same rows, branch by branch
        whole = data_rows(sheet(files[stats_path(year, 2, period)]))
        assert len(whole) == sum(
            len(member_expectations(result.branches[b.id], quarter)[0])
            for b in district.branches()
            if b.id in result.branches
        )
        assert [r[0] for r in whole] == list(range(1, len(whole) + 1))


def test_grade_counts_in_form_two_match_form_one(files):
    """统计表（二）'s final grades, counted, are 统计表（一）'s numbers."""
    for path in [p for p in files if p.endswith("stats2-year.xlsx")]:
        ws = sheet(files[path])
        headers = [
            ws.cell(row=5, column=c).value or ws.cell(row=4, column=c).value for c in range(1, ws.max_column + 1)
        ]
        final, status = headers.index("评定等次"), headers.index("身份")
        rows = data_rows(ws)
        members = [r for r in rows if r[final] is not None and r[status] != "入党积极分子"]
        one = data_rows(sheet(files[path.replace("stats2", "stats1")]))[-1]
        assert [sum(1 for r in members if r[final] == g.value) for g in GRADES] == one[4:12:2], path
        assert len(members) == one[2]


def test_layout_like_the_paper_form(files):
    report = demo()
    ws = sheet(files["2025/xlsx/c/qsjd-stats1-year.xlsx"])
    assert ws.title == "统计表（一）"
    assert ws["A1"].value == "青松区2025年度党员积分管理情况统计表（一）"
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "（2025年1月至12月，年度综合评定）"
    unit_line = [ws.cell(row=3, column=c).value for c in range(1, 15) if ws.cell(row=3, column=c).value]
    committee = next(c for c in report.loaded.district.committees if c.id == "qsjd")
    assert unit_line == [
        f"单位：{committee.info.name}",
        f"党组织负责人：{committee.info.leader}",
        f"填表人：{committee.info.recorder}",
        "日期：2026年7月15日",
    ]
    # two-level headers: grades span 人数/占比
    assert ws["E4"].value == "优秀" and ws["E5"].value == "人数" and ws["F5"].value == "占比"
    assert "E4:F4" in {str(r) for r in ws.merged_cells.ranges} and "A4:A5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "B6"
    assert ws.print_title_rows == "$4:$5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws["F6"].number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= 16  # room for 青松街道机关支部 and the like
    branch_ws = sheet(files["2025/xlsx/b/jdjg-stats2-year.xlsx"])
    branch = report.loaded.district.branch("jdjg")
    assert branch_ws["A1"].value == "青松区2025年度党员积分管理情况统计表（二）"
    assert f"填表人：{branch.info.recorder}" in [branch_ws.cell(row=3, column=c).value for c in range(1, 15)]
    assert f"党组织负责人：{branch.info.leader}" in [branch_ws.cell(row=3, column=c).value for c in range(1, 15)]


def test_workbook_properties_come_from_the_data(files):
    wb = load_workbook(io.BytesIO(files["2025/xlsx/b/jdjg-stats1-year.xlsx"]))
    assessed = demo().years[2025].branches["jdjg"].assessed
    assert wb.properties.created.date() == assessed and wb.properties.modified.date() == assessed
    assert wb.properties.creator == "sitegen"


def test_two_exports_are_byte_identical(files, tmp_path):
    report = demo()
    again = xlsx_files(report.loaded.district, report.years, REPORT_DATE)
    assert again == files
    # another process, another hash seed, another day on the clock: still the same bytes
    script = (
        "import sys, hashlib; from datetime import date; from sitegen.check import check; "
        "from sitegen.render.xlsx import xlsx_files; r = check(sys.argv[1], restricted=False, cache_dir=None); "
        "f = xlsx_files(r.loaded.district, r.years, date(2026, 7, 15)); "
        "print(hashlib.sha256(b''.join(k.encode() + v for k, v in sorted(f.items()))).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", script, str(CONTENT)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(files.items()))).hexdigest()
    assert out.stdout.strip() == digest


def test_the_clock_does_not_matter(files, monkeypatch):
    import time

    report = demo()
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # zip members would be stamped 2033
    again = stats_bytes(report.loaded.district, report.years[2025], 2, "year", DISTRICT, REPORT_DATE)
    assert again == files["2025/xlsx/district-stats2-year.xlsx"]


def test_a_branch_not_yet_in_the_period_is_pending_and_out_of_the_totals(tmp_path):
    content = copy_content(CONTENT, tmp_path / "content")
    (content / "committees/qsjd/branches/jdjg/2025/year-end.yaml").unlink()
    (content / "committees/qsjd/branches/lysq/2026/quarters/q2.yaml").unlink()
    # nor has the committee filed a report that was never made
    filings = content / "committees/qsjd/filings/2026.yaml"
    text = filings.read_text("utf-8")
    filed_q2 = "  - branch: lysq\n    quarter: 2\n    filed: 2026-07-19\n"
    assert filed_q2 in text
    filings.write_text(text.replace(filed_q2, ""), "utf-8")
    report = check(content, restricted=False, cache_dir=None)
    assert not report.errors, [p.format() for p in report.errors]
    district, r2025, r2026 = report.loaded.district, report.years[2025], report.years[2026]
    assert stats_bytes(district, r2025, 1, "year", Scope("branch", "jdjg")) is None
    rows = data_rows(sheet(stats_bytes(district, r2025, 1, "year", Scope("committee", "qsjd"))))
    pending = next(r for r in rows if r[0] == "青松街道机关支部")
    assert pending[1:13] == [None] * 12 and pending[13] == "年度综合评定尚未完成"
    done = [r2025.branches[b].stats for b in ("hxsq", "kjy", "lysq", "shzz")]
    total = rows[-1]
    assert (
        total[0] == "合计"
        and total[1] == sum(s.total for s in done)
        and total[13] == "不含1个支部（年度综合评定尚未完成）"
    )
    assert total[2] == sum(total[4:12:2])
    # 统计表（二）: the pending branch shows its name and why, no members, no points
    rows = data_rows(sheet(stats_bytes(district, r2025, 2, "year", Scope("committee", "qsjd"))))
    placeholder = [r for r in rows if r[1] == "青松街道机关支部"]
    assert len(placeholder) == 1 and placeholder[0][0] is None and placeholder[0][-1] == "年度综合评定尚未完成"
    assert all(v is None for v in placeholder[0][2:-1])
    # half year: lysq has no published second quarter
    assert stats_bytes(district, r2026, 2, "h1", Scope("branch", "lysq")) is None
    rows = data_rows(sheet(stats_bytes(district, r2026, 1, "h1", DISTRICT)))
    lysq = next(r for r in rows if r[0].strip() == "柳荫社区支部")
    assert lysq[5] == "未公示" and lysq[7] == "第一、二季度积分尚未全部公示"
    committee = next(r for r in rows if r[0] == "青松街道党工委")
    assert committee[5] == "4/5个支部"


def test_nothing_for_a_year_with_nothing_published(mini):
    report = check(mini, restricted=False, cache_dir=None)
    assert xlsx_files(report.loaded.district, report.years, REPORT_DATE) == {}


def test_every_title_names_the_district_and_the_period(files):
    """Issue 15: a 统计表's title says whose and which period — 2025年度, 2026年上半年 —
    and the PDF of the same 统计表 prints the same title (tests/render/test_pdf.py)."""
    titles = {path: sheet(data)["A1"].value for path, data in files.items()}
    assert titles["2026/xlsx/district-stats1-h1.xlsx"] == "青松区2026年上半年党员积分管理情况统计表（一）"
    assert titles["2025/xlsx/c/qsjd-stats2-year.xlsx"] == "青松区2025年度党员积分管理情况统计表（二）"
    for path, title in titles.items():
        year, period = path[:4], "年上半年" if path.endswith("-h1.xlsx") else "年度"
        assert title.startswith(f"青松区{year}{period}党员积分管理情况统计表（"), (path, title)
