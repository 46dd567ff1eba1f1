"""PDFs read back as a reader would: text (pdftotext), fonts (pdffonts), page size and count."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.check import check
from sitegen.model.scored import ScoredMember
from sitegen.render import format as fmt
from tests.render.helpers import build_ok, soup, tree_digest
from tests.support import ROOT

pytestmark = pytest.mark.pdf

A4 = (595, 842)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_size(path: Path) -> tuple[int, int]:
    m = re.match(r"\s*([\d.]+) x ([\d.]+)", pdfinfo(path)["Page size"])
    assert m is not None
    return round(float(m.group(1))), round(float(m.group(2)))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, Path]:
    """The demo district (outside git, so the footer is stable) built with PDFs."""
    base = tmp_path_factory.mktemp("pdf")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    out = base / "output"
    build_ok(content, out, pdf=True)
    return content, out


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_quarter_poster_has_every_member_and_their_points(demo):
    content, out = demo
    result = check(content, cache_dir=None).years[2025].branches["kjy"]
    text = pdftotext(out / "2025/pdf/b/kjy/q2.pdf")
    assert "2025年第二季度积分情况公示" in text and "公示期" in text and "第1页" in text
    for r in result.members:
        if r.scored:
            q = r.quarters[1]
            assert re.search(rf"{re.escape(r.member.name)}\s+\S+\s+.*\b{fmt.points(q.total)}\b", text), r.member.name
    assert page_size(out / "2025/pdf/b/kjy/q2.pdf") == A4


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_year_end_forms_and_stats(demo):
    content, out = demo
    report = check(content, cache_dir=None)
    kjy = report.years[2025].branches["kjy"]
    scored = [r for r in kjy.members if r.scored]
    forms = out / "2025/pdf/b/kjy/forms.pdf"
    assert int(pdfinfo(forms)["Pages"]) == len(scored)  # one member per page
    forms_text = pdftotext(forms)
    assert forms_text.count("附件1") == len(scored) and all(r.member.name in forms_text for r in scored)
    year_end = pdftotext(out / "2025/pdf/b/kjy/year-end.pdf")
    vetoed = next(r for r in scored if r.vetoed)
    assert vetoed.member.name in year_end and "一票否决" in year_end
    assert page_size(out / "2025/pdf/b/kjy/year-end.pdf") == A4[::-1]  # landscape for the wide table
    stats = pdftotext(out / "2025/pdf/stats1.pdf")
    district = report.years[2025].district
    total_line = next(line for line in stats.splitlines() if line.strip().startswith("合计"))
    numbers = re.findall(r"\d+(?:\.\d+)?%?", total_line)
    assert numbers[:3] == [str(district.total), str(district.participants), str(district.exempt)]
    assert "单位：" in stats and "党组织负责人：" in stats and "填表人：" in stats and "日期：" in stats
    stats2 = pdftotext(out / "2025/pdf/c/qsjd/stats2.pdf")
    assert vetoed.member.name in stats2
    # a committee's 统计表（二） carries the 分类排名: the engine's rank across the committee's branches
    assert "分类排名" in stats2 and "填表人：" in stats2
    for r in scored:
        if r.role.value == "参加积分管理":
            line = next(line for line in stats2.splitlines() if f" {r.member.name} " in f" {line} ")
            cells = line.split()
            assert isinstance(r, ScoredMember)
            i = cells.index(fmt.points(r.total), cells.index(r.member.name))
            assert cells[i + 1 : i + 3] == [str(r.rank), str(r.rank_committee)], r.member.name


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_only_embedded_cjk_fonts(demo):
    _, out = demo
    for pdf in [out / "2025/pdf/b/kjy/q2.pdf", out / "2025/pdf/b/kjy/forms.pdf", out / "2025/pdf/stats2.pdf"]:
        rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[
            2:
        ]
        assert rows
        for row in rows:
            assert "Noto" in row and "CJK" in row, row
            assert re.search(r"\byes\s+yes\s+yes\b", row), f"{pdf.name}: not embedded/subset/unicode: {row}"


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_rare_character_renders(demo):
    _, out = demo
    assert "张𠮷" in pdftotext(out / "2025/pdf/b/jyjjg/year-end.pdf")


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_pages_link_their_pdfs(demo):
    _, out = demo
    page = out / "2025/b/kjy/index.html"
    links = [str(a["href"]) for a in soup(page).select("section.downloads a")]
    assert len([h for h in links if h.endswith(".pdf")]) == 9
    assert all((page.parent / h).resolve().is_file() for h in links)
    committee = out / "2025/c/qsjd/index.html"
    links = [str(a["href"]) for a in soup(committee).select("section.downloads a")]
    assert links and all((committee.parent / h).resolve().is_file() for h in links)


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_no_change_rebuild_renders_no_pdf_and_one_branch_change_renders_its_own(demo, tmp_path):
    content, out = demo
    again = build(content, out, quiet=True, cache_dir=None, pdf=True, history=False)
    assert again.ok and again.unchanged and again.rendered == 0
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    before = tree_digest(copy)
    ledger = content / "committees/qsjd/branches/hxsq/2026/ledger/q1.yaml"
    original = ledger.read_text("utf-8")
    ledger.write_text(original.replace("points: 2", "points: 3", 1), "utf-8")
    try:
        changed = build(content, copy, quiet=True, cache_dir=None, pdf=True, history=False)
    finally:
        ledger.write_text(original, "utf-8")
    assert changed.ok and 0 < changed.rendered < 80  # its pages and PDFs, the site-level pages, screens and 统计表
    after = tree_digest(copy)
    changed_pdfs = {p for p in after if p.endswith(".pdf") and after[p] != before.get(p)}
    assert changed_pdfs and all(p.startswith("2026/pdf/b/hxsq/") for p in changed_pdfs), changed_pdfs


def test_pdfs_are_byte_identical_across_builds(mini, tmp_path):
    build_ok(mini, tmp_path / "a", pdf=True)
    build_ok(mini, tmp_path / "b", pdf=True)
    a, b = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert [p for p in a if p.endswith(".pdf")] and a == b


def test_a3_boards_by_site_setting(mini, tmp_path):
    (mini / "site.yaml").write_text((mini / "site.yaml").read_text("utf-8") + "paper: A3\n", "utf-8")
    build_ok(mini, tmp_path / "out", pdf=True)
    assert page_size(tmp_path / "out/2026/pdf/b/b1/q1.pdf") == (842, 1191)


def test_a_character_no_font_has_fails_the_build_with_its_place(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out, pdf=True)
    before = tree_digest(out)
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("name: 孙三", "name: 孙\U00030000"), "utf-8")
    result = build(mini, out, quiet=True, cache_dir=None, pdf=True)
    assert not result.ok
    [p] = result.problems
    assert p.code == "E951" and "U+30000" in p.message and "孙\U00030000" in p.message
    assert (p.pos.file, p.pos.line) == ("committees/c1/branches/b1/2026/roster.yaml", 8)
    assert tree_digest(out) == before  # the last good output stays
    html_only = build(mini, out, quiet=True, cache_dir=None, pdf=False)
    assert html_only.ok  # the web site does not need the print fonts


def pdftext_raw(path: Path, page: int | None = None) -> str:
    """The text in content order (a table row by row, cell by cell), optionally of one page."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def xlsx_of(pdf: str) -> str:
    """The spreadsheet of the same 统计表: 2025/pdf/stats1.pdf → 2025/xlsx/district-stats1-year.xlsx,
    2025/pdf/c/qsjd/stats2.pdf → 2025/xlsx/c/qsjd-stats2-year.xlsx, …/pdf/b/kjy/… → …/xlsx/b/kjy-…"""
    year, _, *rest = pdf.split("/")
    form = rest[-1].removesuffix(".pdf")
    if len(rest) == 1:
        return f"{year}/xlsx/district-{form}-year.xlsx"
    return f"{year}/xlsx/{rest[0]}/{rest[1]}-{form}-year.xlsx"


def shown(cell) -> str:
    """A cell as a reader of the spreadsheet sees it: shares with the sheet's 0.0% format."""
    value = cell.value
    if value is None:
        return ""
    if cell.number_format == "0.0%":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def test_every_stats_pdf_prints_its_xlsx(demo):
    """Issue 15: the PDF and the xlsx of one 统计表 are one view: the same title (with the
    district and the period), 单位, 日期, rows in the same order with every number and 备注."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from sitegen.render.xlsx.form import FIRST_DATA_ROW

    _, out = demo
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("stats[12].pdf"))
    assert len(pdfs) >= 20 and "2025/pdf/stats1.pdf" in pdfs and "2025/pdf/c/qsjd/stats2.pdf" in pdfs
    for pdf in pdfs:
        ws = load_workbook(out / xlsx_of(pdf)).active
        assert isinstance(ws, Worksheet)
        title, subtitle = str(ws["A1"].value), str(ws["A2"].value)
        assert title.startswith("青松区") and f"{pdf[:4]}年度" in title, title
        unit_line = [str(c.value) for c in ws[3] if c.value]
        unit = next(v for v in unit_line if v.startswith("单位："))
        day = next(v for v in unit_line if v.startswith("日期："))
        assert re.fullmatch(r"日期：\d{4}年\d{1,2}月\d{1,2}日", day), (pdf, day)
        text = pdftext_raw(out / pdf)
        flat = squeeze(text)
        assert pdfinfo(out / pdf)["Title"].strip() == title
        for expected in (title, subtitle, unit, day):
            assert squeeze(expected) in flat, (pdf, expected)
        rows = []
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            cells = [shown(c) for c in ws[r]]
            if ws.cell(row=r, column=1).border.left.style is None:
                break  # the 说明 lines below the table
            rows.append(cells)
        assert rows, pdf
        at = 0
        for cells in rows:  # every row, in order, cell after cell
            found = flat.find(squeeze("".join(cells)), at)
            assert found >= 0, (pdf, cells)
            at = found + 1
        notes = [c for row in rows for c in row[-1:] if c]
        assert all(squeeze(n) in flat for n in notes)
        # one way of writing a share: one decimal
        assert all(re.fullmatch(r"\d+\.\d%", s) for s in re.findall(r"[\d.]+%", text)), pdf


def test_district_stats_one_lists_every_branch_with_notes(demo):
    content, out = demo
    report = check(content, cache_dir=None)
    district = report.loaded.district
    assert district is not None
    text = squeeze(pdftext_raw(out / "2025/pdf/stats1.pdf"))
    for committee in district.committees:
        assert committee.info.short_name in text
        for branch in committee.branches:
            if branch.id in report.years[2025].branches:
                assert branch.info.short_name in text, branch.id
    assert "备注" in text and f"单位：{district.info.organization}" in text


def test_thirteen_member_year_end_poster_is_one_page(demo):
    content, out = demo
    report = check(content, cache_dir=None)
    result = report.years[2025]
    thirteen = [bid for bid, b in result.branches.items() if len(b.members) == 13]
    assert "kjy" in thirteen and "syxx1" in thirteen  # syxx1 has a four-line 说明 too
    for bid in thirteen:
        pdf = out / f"2025/pdf/b/{bid}/year-end.pdf"
        assert pdfinfo(pdf)["Pages"].strip() == "1", bid
        text = pdftotext(pdf)
        district = report.loaded.district
        assert district is not None and (branch := district.branch(bid)) is not None
        assert branch.info.name in text and "参加积分管理" in text, bid


def test_a_long_poster_keeps_its_signature_with_rows(demo, tmp_path):
    """A branch too large for one page: the signature block is not alone on the last
    page — some rows go over with it — and it is not split."""
    import dataclasses

    from sitegen.render.pdf.documents import Settings, branch_jobs
    from sitegen.render.pdf.render import PdfRenderer
    from sitegen.render.pdf.views import YearEndPoster
    from sitegen.render.theme import Theme

    content, _ = demo
    report = check(content, cache_dir=None)
    district = report.loaded.district
    assert district is not None
    committee = next(c for c in district.committees if any(b.id == "kjy" for b in c.branches))
    branch = next(b for b in committee.branches if b.id == "kjy")
    jobs = branch_jobs(Settings("A4", ""), district, committee, branch, report.years[2025].branches["kjy"])
    job = next(j for j in jobs if j.path.endswith("year-end.pdf"))
    poster = job.view
    assert isinstance(poster, YearEndPoster)
    for copies in (2, 3):
        # every row repeated: 22 and 33 rows, then the activists, the counts and the signature
        view = dataclasses.replace(poster, rows=poster.rows * copies)
        pdf = tmp_path / f"big{copies}.pdf"
        pdf.write_bytes(PdfRenderer(Theme(content)).render(job.template, view))
        pages = int(pdfinfo(pdf)["Pages"])
        assert pages >= 2
        last = pdftext_raw(pdf, pages)
        issuer = view.sheet.issuer
        assert issuer in last and view.sheet.date in last  # issuer and date together
        assert "参加积分管理" in last  # with the counts above them
        names = {r.name for r in view.rows + view.activists}
        assert sum(1 for line in last.splitlines() if any(n in line.split() for n in names)) >= 1, last
