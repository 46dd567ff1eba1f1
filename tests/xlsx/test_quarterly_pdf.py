"""各季度积分管理情况 as PDF (issue 14): `sitegen report` writes, beside each xlsx, a PDF
with the same tables. Read back with pdftotext, every number is the rules engine's (as of
the report date) and every row of the xlsx is on the PDF, cell for cell, in order."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sitegen.check import check
from sitegen.model.scored import Role
from sitegen.render import format as fmt
from sitegen.rules.membership import quarter_status
from tests.support import sitegen_cli


def report(content: Path, out: Path, half: int) -> subprocess.CompletedProcess:
    return sitegen_cli("report", content, "--year", 2026, "--half", half, "-o", out)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def line_of(text: str, *cells: object) -> str:
    """The one line of the PDF's text holding these cells in this order (blank cells skipped)."""
    shown = [str(c) for c in cells if c not in (None, "")]
    pattern = re.compile(r"(^|\s)" + r"\s+".join(re.escape(s) for s in shown) + r"(\s|$)")
    found = [line for line in text.splitlines() if pattern.search(line)]
    assert len(found) == 1, (shown, found)
    return found[0]


def xlsx_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return fmt.points(Decimal(str(value)))
    return str(value)


@pytest.mark.pdf  # sitegen report writes its PDFs with WeasyPrint
def test_june_report_pdf_beside_the_xlsx_with_the_engines_numbers(mini, tmp_path):
    out = tmp_path / "out"
    proc = report(mini, out, 1)
    assert proc.returncode == 0, proc.stderr
    assert "每份一个 Excel 和一个 PDF" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "测试区-2026年上半年各季度积分管理情况.pdf",
        "测试区-2026年上半年各季度积分管理情况.xlsx",
        "第一工委-2026年上半年各季度积分管理情况.pdf",
        "第一工委-2026年上半年各季度积分管理情况.xlsx",
    ]
    pdf = out / "测试区-2026年上半年各季度积分管理情况.pdf"
    assert pdfinfo(pdf)["Page size"].split()[:3] == ["841.89", "x", "595.276"]  # A4 landscape
    text = pdftotext(pdf)
    assert "测试区党员积分管理各季度情况" in text and "截至2026年6月30日已公示的情况" in text
    assert "填表人：" in text and "日期：2026年6月30日" in text

    # the steps of 甲支部's first quarter, hand-read from the fixture: 汇总审核 4-1, 反馈 4-2,
    # 确认 4-6, 公示 4-7–13, not yet 报备; 3 members listed; one appeal, upheld; E06 a correction
    line_of(
        text, "第一工委", "甲支部", "第一季度", "4月1日", "4月2日", "4月6日", "4月7日–4月13日", 3, 1, 1, 0, 1, "按期"
    )
    line_of(text, "第一工委", "乙支部", "第一季度", "未公示", "未公示（逾期", "61", "天）")  # due 30 April

    # every member: the engine's quarter points, year to date by part, total and rank
    engine = check(mini, today=date(2026, 6, 30), cache_dir=None).years[2026].branches["b1"]
    seen = 0
    for r in engine.members:
        mq = r.quarters[0]
        if mq.role not in (Role.SCORED, Role.ACTIVIST):
            continue
        seen += 1
        line_of(
            text,
            "第一工委",
            "甲支部",
            r.member.name,
            quarter_status(r.member, 2026, 1).value,
            fmt.points(mq.points.base + mq.points.bonus - mq.points.deduction),  # 第一季度; 第二季度 not published
            fmt.points(mq.ytd.base),
            fmt.points(mq.ytd.bonus),
            fmt.points(mq.ytd.deduction),
            fmt.points(mq.total),
            mq.rank,
        )
    assert seen == 4  # 赵一、钱二、孙三 and the 积极分子 李四


@pytest.mark.pdf  # sitegen report writes its PDFs with WeasyPrint
def test_the_pdf_has_every_row_of_the_xlsx_cell_for_cell(mini, tmp_path):
    q2 = mini / "committees/c1/branches/b1/2026/quarters/q2.yaml"
    q2.write_text(
        "reviewed: 2026-07-01\nfeedback: 2026-07-02\nconfirmed: 2026-07-06\n"
        "publicity:\n  start: 2026-08-07\n  end: 2026-08-13\nreported: 2026-08-14\n",
        "utf-8",
    )
    out = tmp_path / "out"
    proc = report(mini, out, 2)
    assert proc.returncode == 0, proc.stderr
    for book in sorted(out.glob("*.xlsx")):
        text = pdftotext(book.with_suffix(".pdf"))
        wb = load_workbook(book)
        rows = 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=6, values_only=True):
                if row[0] is None or str(row[0]).startswith(("说明", "2.", "3.")):
                    continue
                line_of(text, *(xlsx_text(v) for v in row))
                rows += 1
        assert rows > 8, book.name
    text = pdftotext(out / "第一工委-2026年下半年各季度积分管理情况.pdf")
    # the second quarter published on 7 August, 8 days after its deadline (30 July); the three
    # members listed, no appeal, no correction (E06, dated in April, corrects a Q1 entry)
    line_of(
        text,
        "甲支部",
        "第二季度",
        "7月1日",
        "7月2日",
        "7月6日",
        "8月7日–8月13日",
        "8月14日",
        3,
        0,
        0,
        0,
        0,
        "逾期 8 天公示",
    )
    line_of(text, "乙支部", "第二季度", "未公示", "未公示（逾期", "154", "天）")  # 31 December − 30 July


def test_a_report_refuses_content_with_errors_and_writes_nothing(mini, tmp_path):
    (mini / "committees/c1/branches/b1/2026/roster.yaml").write_text("members: [\n", "utf-8")
    out = tmp_path / "out"
    proc = report(mini, out, 1)
    assert proc.returncode == 1 and "没有生成报告" in proc.stderr
    assert not out.exists()
