"""PDFs read back as a reader would: text (pdftotext), fonts (pdffonts), page size and count."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.check import check
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
    links = [a["href"] for a in soup(page).select("section.downloads a")]
    assert len([h for h in links if h.endswith(".pdf")]) == 9
    assert all((page.parent / h).resolve().is_file() for h in links)
    committee = out / "2025/c/qsjd/index.html"
    links = [a["href"] for a in soup(committee).select("section.downloads a")]
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
