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
    """Every kind of PDF: one embedded font subset, every character of its text drawn by
    a glyph of it (no tofu)."""
    _, out = demo
    for name in ("b/kjy/q2.pdf", "b/kjy/items.pdf", "b/kjy/year-end.pdf", "b/kjy/forms.pdf", "stats2.pdf"):
        assert_no_tofu(out / "2025/pdf" / name)
    assert_no_tofu(out / "2025/pdf/b/jyjjg/year-end.pdf")  # 张𠮷: a character beyond the BMP
    assert_no_tofu(out / "2026/pdf/stats1-h1.pdf")


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_demo_quarter_posters_are_one_page_under_150_kb(demo):
    _, out = demo
    posters = sorted(out.glob("*/pdf/b/*/q[1-4].pdf"))
    assert len(posters) >= 40
    for pdf in posters:
        assert pdf.stat().st_size < 150_000, (pdf, pdf.stat().st_size)
        assert pdfinfo(pdf)["Pages"].strip() == "1", pdf


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_rare_character_renders(demo):
    _, out = demo
    assert "张𠮷" in pdftotext(out / "2025/pdf/b/jyjjg/year-end.pdf")


@pytest.mark.slow  # the whole demo district, with its PDFs
def test_pages_link_their_pdfs(demo):
    _, out = demo
    page = out / "2025/b/kjy/index.html"
    links = [str(a["href"]) for a in soup(page).select("section.downloads a")]
    pdfs = [h.rsplit("/", 1)[-1] for h in links if h.endswith(".pdf")]
    assert len(pdfs) == 11 and {"stats1-h1.pdf", "stats2-h1.pdf", "stats1.pdf", "year-end.pdf"} <= set(pdfs)
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
    # the branch's own, and the 上半年 统计表 of its committee and the district, which count it
    aggregates = {f"2026/pdf/{c}stats{f}-h1.pdf" for c in ("", "c/qsjd/") for f in (1, 2)}
    assert changed_pdfs and all(p.startswith("2026/pdf/b/hxsq/") or p in aggregates for p in changed_pdfs), changed_pdfs


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


def test_the_font_preflight_is_kept_per_branch(mini, tmp_path, monkeypatch):
    """The preflight's findings are kept in each branch's bundle (an unchanged branch is not
    walked again, nor its ledger entries read): a remembered finding still stops the next
    build, and mending the file lets it through."""
    import sitegen.render.pdf.fonts as fonts_module

    walked: list[str] = []
    real = fonts_module.missing_glyphs

    def counted(model, fonts):
        walked.append(getattr(model, "id", "above"))
        return real(model, fonts)

    monkeypatch.setattr(fonts_module, "missing_glyphs", counted)
    out, cache = tmp_path / "out", tmp_path / "cache"
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    good = roster.read_text("utf-8")
    roster.write_text(good.replace("name: 孙三", "name: 孙\U00030000"), "utf-8")
    for run in range(2):  # found, then remembered
        walked.clear()
        result = build(mini, out, quiet=True, cache_dir=cache, pdf=True)
        assert [p.code for p in result.problems] == ["E951"]
        assert result.problems[0].pos.file == "committees/c1/branches/b1/2026/roster.yaml"
        assert ("b1" in walked) == (run == 0) and "above" in walked
    roster.write_text(good, "utf-8")
    walked.clear()
    assert build(mini, out, quiet=True, cache_dir=cache, pdf=True).ok
    assert "b1" in walked and "b2" not in walked  # the mended branch walked again, the other not


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
    2025/pdf/c/qsjd/stats2-h1.pdf → 2025/xlsx/c/qsjd-stats2-h1.xlsx, …/pdf/b/kjy/… → …/xlsx/b/kjy-…"""
    year, _, *rest = pdf.split("/")
    form = rest[-1].removesuffix(".pdf")
    if "-" not in form:
        form += "-year"
    if len(rest) == 1:
        return f"{year}/xlsx/district-{form}.xlsx"
    return f"{year}/xlsx/{rest[0]}/{rest[1]}-{form}.xlsx"


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
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("stats[12]*.pdf"))
    assert len(pdfs) >= 20 and "2025/pdf/stats1.pdf" in pdfs and "2025/pdf/c/qsjd/stats2.pdf" in pdfs
    assert "2026/pdf/stats1-h1.pdf" in pdfs and "2025/pdf/b/kjy/stats2-h1.pdf" in pdfs  # 上半年 too
    # every 统计表 the site publishes as xlsx has its PDF, and no PDF is without its xlsx
    sheets = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    assert sorted(xlsx_of(pdf) for pdf in pdfs) == sheets
    linked = {str(a["href"]).rsplit("/", 1)[-1] for a in soup(out / "2026/index.html").select("section.downloads a")}
    assert {"stats1-h1.pdf", "stats2-h1.pdf", "district-stats1-h1.xlsx"} <= linked, linked
    for pdf in pdfs:
        ws = load_workbook(out / xlsx_of(pdf)).active
        assert isinstance(ws, Worksheet)
        title, subtitle = str(ws["A1"].value), str(ws["A2"].value)
        period = "年上半年" if pdf.endswith("-h1.pdf") else "年度"
        assert title.startswith(f"青松区{pdf[:4]}{period}党员积分管理情况统计表（"), (pdf, title)
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
    for copies in (4, 5):
        # every row repeated: 44 and 55 rows (more than the densest layout holds on a
        # page), then the activists, the counts and the signature
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


def pdf_streams(path: Path) -> list[tuple[bytes, bytes]]:
    """Every stream of a PDF as written by WeasyPrint (each a top-level object): its
    dictionary and its data, inflated."""
    import zlib

    raw = path.read_bytes()
    out = []
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", raw, re.S):
        head = m.group(1)
        length = re.search(rb"/Length (\d+)", head)
        assert length is not None
        data = raw[m.end() : m.end() + int(length.group(1))]
        out.append((head, zlib.decompress(data) if b"FlateDecode" in head else data))
    return out


def drawn_characters(path: Path) -> dict[str, bool]:
    """Each character the PDF's text maps to (its ToUnicode CMap), and whether the glyph
    it is drawn with has an outline in the embedded font program (a bare CID-keyed CFF:
    code = CID, found through the CFF's charset)."""
    import io

    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.boundsPen import BoundsPen

    streams = pdf_streams(path)
    [cff] = [data for head, data in streams if b"/CIDFontType0C" in head]
    [cmap] = [data for _, data in streams if b"begincmap" in data]
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    glyphs = top.CharStrings
    outlined = set()
    for name in top.charset:
        pen = BoundsPen(None)
        glyphs[name].draw(pen)
        if pen.bounds is not None and name != ".notdef":
            outlined.add(int(name[3:]))
    chars: dict[str, bool] = {}
    for code, text in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap):
        for char in bytes.fromhex(text.decode()).decode("utf-16-be"):
            chars[char] = chars.get(char, False) or int(code, 16) in outlined
    return chars


def assert_no_tofu(path: Path) -> None:
    """Every character pdftotext reads from the PDF is drawn by a glyph with an outline
    in the font the PDF embeds, and that font is the one CJK font, embedded as a subset."""
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(rows) == 1, rows
    assert "Noto-Sans-CJK-SC" in rows[0] and "CID Type 0C" in rows[0], rows[0]
    assert re.search(r"\byes\s+yes\s+yes\b", rows[0]), rows[0]
    drawn = drawn_characters(path)
    text = set(pdftotext(path)) - set(" \n\f\u3000")
    assert text, path
    assert not {c for c in text if not drawn.get(c)}, path


def test_quarter_poster_is_one_page_under_150_kb_without_tofu(mini, tmp_path):
    """Issue 15/17: a one-page poster embeds one font with just the glyphs it draws (not
    the 63,000 empty ones a retain-gids subset of Noto CJK carries): far under 150 KB."""
    out = tmp_path / "out"
    build_ok(mini, out, pdf=True)
    for name in ("b1/q1.pdf", "b1/items.pdf", "b2/items.pdf"):
        pdf = out / "2026/pdf/b" / name
        assert pdfinfo(pdf)["Pages"].strip() == "1", name
        assert pdf.stat().st_size < 150_000, (name, pdf.stat().st_size)
        assert_no_tofu(pdf)
    text = pdftotext(out / "2026/pdf/b/b1/q1.pdf")
    assert all(name in text for name in ("赵一", "钱二", "孙三", "李四"))


def test_the_compact_font_draws_exactly_what_weasyprint_draws(mini, tmp_path):
    """The same poster through plain WeasyPrint and through sitegen (its font re-subset as
    a bare CFF) looks the same to the pixel (poppler, with FreeType), and is smaller."""
    import weasyprint

    from sitegen.render.pdf.documents import Settings, branch_jobs
    from sitegen.render.pdf.render import PdfRenderer
    from sitegen.render.theme import Theme

    report = check(mini, cache_dir=None)
    district = report.loaded.district
    assert district is not None
    [committee] = [c for c in district.committees if any(b.id == "b1" for b in c.branches)]
    [branch] = [b for b in committee.branches if b.id == "b1"]
    result = report.years[2026].branches["b1"]
    theme = Theme(mini)
    for job in branch_jobs(Settings("A4", "数据版本：测试"), district, committee, branch, result):
        ours = tmp_path / "ours.pdf"
        ours.write_bytes(PdfRenderer(theme).render(job.template, job.view))
        plain = tmp_path / "plain.pdf"
        plain.write_bytes(weasyprint.HTML(string=theme.text(job.template, v=job.view, fit=0)).write_pdf())
        assert ours.stat().st_size < plain.stat().st_size / 3, job.path
        pngs = []
        for pdf in (ours, plain):
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
            pngs.append(sorted(tmp_path.glob(f"{pdf.stem}-*.png")))
        assert len(pngs[0]) == len(pngs[1]) >= 1
        for a, b in zip(*pngs):
            assert a.read_bytes() == b.read_bytes(), job.path
        for png in pngs[0] + pngs[1]:
            png.unlink()


# 17 more members for 科技园企业联合支部 (13 on its 2025 roster): a branch of 30
MORE = "蔡文涛 丁雅琴 段志刚 方晓燕 冯国栋 高丽娟 龚建军 郝春梅 侯振宇 黄晓东 姜文静 孔德明 雷红英 黎国强 林晓燕 刘振华 罗秀英".split()


def thirty_members(content: Path) -> None:
    """The demo's kjy 2025 grown to 30 members: each new one a 正式党员 in every 全体
    activity of the year, rated 合格 at the year end."""
    year = content / "committees/qsjd/branches/kjy/2025"
    roster = year / "roster.yaml"
    roster.write_text(
        roster.read_text("utf-8")
        + "".join(f"  - id: M08{50 + i}\n    name: {name}\n    status: 正式党员\n" for i, name in enumerate(MORE)),
        "utf-8",
    )
    year_end = year / "year-end.yaml"
    text = year_end.read_text("utf-8")
    ratings = "".join(f"  M08{50 + i}: 合格\n" for i in range(len(MORE)))
    year_end.write_text(text.replace("assessed:", ratings + "assessed:", 1), "utf-8")


def test_a_thirty_member_branch_fits_its_posters_on_one_page(tmp_path):
    """Issue 15: a branch of up to 30 members has its year-end 公示 (and each quarter's)
    on one page, every name and the signature (issuer and date) on it; set denser
    (style.css, html.fit-N) only as far as needed."""
    import weasyprint

    from sitegen.render.pdf.documents import Settings, branch_jobs
    from sitegen.render.pdf.render import PdfRenderer
    from sitegen.render.pdf.views import QuarterPoster, YearEndPoster
    from sitegen.render.theme import Theme

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".sitegen-cache"))
    thirty_members(content)
    report = check(content, cache_dir=None)
    assert not report.errors, [p.format() for p in report.errors]
    district = report.loaded.district
    assert district is not None
    committee = next(c for c in district.committees if any(b.id == "kjy" for b in c.branches))
    branch = next(b for b in committee.branches if b.id == "kjy")
    result = report.years[2025].branches["kjy"]
    assert len(result.members) == 30
    theme = Theme(content)
    renderer = PdfRenderer(theme)
    jobs = {Path(j.path).name: j for j in branch_jobs(Settings("A4", ""), district, committee, branch, result)}
    for name in ("year-end.pdf", "q4.pdf", "q1.pdf"):
        job = jobs[name]
        view = job.view
        assert isinstance(view, (YearEndPoster, QuarterPoster))
        pdf = tmp_path / name
        pdf.write_bytes(renderer.render(job.template, view))
        assert pdfinfo(pdf)["Pages"].strip() == "1", name
        text = pdftext_raw(pdf)
        lines = text.splitlines()
        names = [r.name for r in (*view.rows, *view.activists)]
        assert len(names) >= 29 and set(MORE) <= set(names), name
        for n in names:
            assert any(n in line.split() for line in lines), (name, n)
        issuer, day = view.sheet.issuer, view.sheet.date
        # the signature: the issuing body, then the date, last on the page (above the page number)
        last = len(lines) - 1 - lines[::-1].index(issuer)
        last_row = max(i for i, line in enumerate(lines) if set(line.split()) & set(names))
        assert lines[last + 1] == day and last > last_row, (name, lines[-5:])
        assert_no_tofu(pdf)
        # set denser only as far as needed: one level less runs over a page
        fit = re.search(r'<html lang="zh-CN" class="A4(?: fit-(\d))?">', renderer.html(job.template, view))
        assert fit is not None and fit.group(1), name
        looser = int(fit.group(1)) - 1
        html = theme.text(job.template, v=view, fit=looser)
        assert len(weasyprint.HTML(string=html).render().pages) > 1, (name, looser)
    year_end = pdftext_raw(tmp_path / "year-end.pdf")
    assert all(r.member.name in year_end for r in result.members)
    assert "参加积分管理" in year_end
