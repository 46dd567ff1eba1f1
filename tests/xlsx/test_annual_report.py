"""The annual results by 10 January (issue 14): `sitegen report --annual` writes 统计表（一）
and （二） of the district and each committee as xlsx and as PDF, cell for cell, with the
rules engine's numbers; and a rank across branches is one number everywhere — a branch's
year-end table, the committee's and the district's category rankings, 统计表（二）'s 分类排名."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sitegen.check import check
from sitegen.render import format as fmt
from tests.render.helpers import build_ok, soup
from tests.support import ROOT, sitegen_cli
from tests.xlsx.test_quarterly_pdf import line_of, pdftotext, xlsx_text

pytestmark = pytest.mark.pdf  # the demo's annual report, PDFs included (WeasyPrint, pdftotext)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("annual")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    out = base / "reports"
    proc = sitegen_cli("report", content, "--year", 2025, "--annual", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "截至 2026-01-10" in proc.stdout
    site = base / "site"
    build_ok(content, site)
    return content, out, site


def test_annual_forms_xlsx_and_pdf_with_the_engines_numbers(demo):
    content, out, _ = demo
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 12  # the district and two committees × 统计表（一）（二） × xlsx, pdf
    engine = check(content, today=date(2026, 1, 10), cache_dir=None, history=False).years[2025]

    one = out / "青松区-2025年度党员积分管理情况统计表（一）.pdf"
    text = pdftotext(one)
    d = engine.district
    total = next(line for line in text.splitlines() if line.strip().startswith("合计"))
    assert re.findall(r"\d+(?:\.\d+)?%?", total)[:3] == [str(d.total), str(d.participants), str(d.exempt)]
    assert "日期：2026年1月10日" in text and "填表人：" in text

    two = pdftotext(out / "青松区-2025年度党员积分管理情况统计表（二）.pdf")
    assert "分类排名" in two
    checked = 0
    for res in engine.branches.values():
        for r in res.members:
            if not r.scored:
                continue
            line = line_of(two, r.member.name, r.category.value, r.member.status.value)
            cells = line.split()
            i = cells.index(r.member.name)
            # 基础 贡献 违规 年度积分 排名 分类排名 积分等次 民主测评 评定等次 (blank cells are not in the text)
            last = r.quarters[-1].ytd
            expected = [
                fmt.points(last.base),
                fmt.points(last.bonus),
                fmt.points(last.deduction),
                fmt.points(r.total),
                str(r.rank),
                str(r.rank_district) if r.rank_district is not None else "",
                r.grade.value,
                r.rating.value if r.rating else "",
                r.final_grade.value,
            ]
            expected = [x for x in expected if x]
            assert cells[i + 3 : i + 3 + len(expected)] == expected, r.member.name
            checked += 1
    assert checked == d.participants + d.activists  # 积极分子 are scored 参照, listed with their rank

    # every row of every xlsx is on its PDF, in order
    for book in sorted(out.glob("*.xlsx")):
        pdf = pdftotext(book.with_suffix(".pdf"))
        flowing = "".join(
            subprocess.run(
                ["pdftotext", str(book.with_suffix(".pdf")), "-"], capture_output=True, text=True
            ).stdout.split()
        )  # without -layout: a wrapped cell's lines follow each other
        ws = load_workbook(book).active
        shares = {i for i, c in enumerate(ws[5]) if c.value == "占比"}  # stored as a fraction, shown 0.0%
        rows = 0
        for row in ws.iter_rows(min_row=6, values_only=True):
            if row[0] is None or str(row[0]).startswith(("说明", "2.", "3.")):
                continue
            shown = [_share(v) if i in shares and v is not None else xlsx_text(v) for i, v in enumerate(row)]
            # a long note wraps within its cell over several lines: found in the text as a whole
            long = [c for c in shown if c and len(c) > 24]
            line_of(pdf, *(c for c in shown if c not in long))
            assert all(c in flowing for c in long)
            rows += 1
        assert rows >= 5, book.name


def _share(value: float) -> str:
    return f"{Decimal(str(value)) * 100:.1f}%"


def test_no_annual_report_before_any_year_end(demo, tmp_path):
    content, _, _ = demo
    proc = sitegen_cli("report", content, "--year", 2026, "--annual", "-o", tmp_path / "x")
    assert proc.returncode == 1 and "还没有支部公示年度评定结果" in proc.stderr
    assert not (tmp_path / "x").exists()
    both = sitegen_cli("report", content, "--year", 2026, "--annual", "--half", 1, "-o", "x")
    assert both.returncode == 2 and "只写一个" in both.stderr


def test_a_rank_across_branches_is_one_number_everywhere(demo):
    """Each member's 全区同类排名 on the branch's year-end table is their rank on the district's
    category ranking, their 党(工)委同类排名 the committee page's, and the district's 统计表（二）
    carries the same 分类排名; in 2026, before any year end, no page shows one."""
    content, out, site = demo
    district: dict[tuple[str, str], str] = {}
    for page in (site / "2025/rankings").glob("*.html"):
        for table in soup(page).select("table.ranking"):
            for tr in table.select("tbody tr"):
                rank, name, branch = (c.get_text(strip=True) for c in tr.find_all(["th", "td"])[:3])
                district[(name, branch)] = rank
    committee: dict[tuple[str, str], str] = {}
    for page in (site / "2025/c").glob("*/index.html"):
        for table in soup(page).select("table.ranking"):
            for tr in table.select("tbody tr"):
                rank, name, branch = (c.get_text(strip=True) for c in tr.find_all(["th", "td"])[:3])
                committee[(name, branch)] = rank
    assert len(district) == len(committee) > 90

    seen = 0
    for page in (site / "2025/b").glob("*/index.html"):
        s = soup(page)
        branch = s.select_one("h1").get_text(strip=True) if s.select_one("h1") else ""
        table = s.select_one("#year-end table.ranking")
        assert table is not None, page
        heads = [th.get_text(strip=True) for th in table.select("thead th")]
        c_col, d_col = heads.index("党(工)委同类排名"), heads.index("全区同类排名")
        for tr in table.select("tbody tr"):
            cells = [c.get_text(strip=True) for c in tr.find_all(["td", "th"])]
            key = next(k for k in district if k[0] == cells[1] and k[1] in branch)
            assert cells[d_col] == district[key], (page, cells)
            assert cells[c_col] == committee[key], (page, cells)
            seen += 1
    assert seen == len(district)

    ws = load_workbook(out / "青松区-2025年度党员积分管理情况统计表（二）.xlsx").active
    heads = [c.value for c in ws[5]]
    heads = [h or top for h, top in zip(heads, (c.value for c in ws[4]))]
    name_col, branch_col, rank_col = heads.index("姓名"), heads.index("所在支部"), heads.index("分类排名")
    for row in ws.iter_rows(min_row=6, values_only=True):
        if (row[name_col], row[branch_col]) in district:
            assert str(row[rank_col]) == district[(row[name_col], row[branch_col])]

    # 2026: no year end anywhere yet — no rank across branches on any branch's page
    boards = list((site / "2026/b").glob("*/index.html"))
    assert len(boards) > 10
    for page in boards:
        for table in soup(page).select("table"):
            heads = [th.get_text(strip=True) for th in table.select("thead th")]
            for label in ("党(工)委同类排名", "全区同类排名"):
                if label in heads:
                    col = heads.index(label)
                    cells = [tr.find_all(["th", "td"])[col].get_text(strip=True) for tr in table.select("tbody tr")]
                    assert not any(cells), (page, label)
