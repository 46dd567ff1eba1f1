"""`sitegen report`: the reports upward, by the policy's calendar (五(四)).

By the end of June and of December each 党(工)委 reports its branches' 各季度积分管理情况
to the 区委组织部: for the district and for each committee, one xlsx (to fill in and
forward) and one PDF (to print, sign and file) with the same tables, cell for cell —
the PDF prints the xlsx's own rows (sitegen.render.xlsx.quarterly.quarterly_tables).
Both come from what was published on the report date: the content is checked and
scored as of 30 June or 31 December, so a 公示 that began later is in neither.

Files are written outside the content and the site (they are the committee's papers);
nothing here reads the clock.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.problems import Pos, Problem

HALF_NAMES = {1: "上半年", 2: "下半年"}


@dataclass(frozen=True)
class Made:
    as_of: date
    files: tuple[Path, ...]


class ReportError(Exception):
    def __init__(self, problems: list[Problem], message: str):
        super().__init__(message)
        self.problems = problems
        self.message = message


def run_report(args) -> int:
    """The command: `sitegen report CONTENT --year Y (--half 1|2 | --annual) -o DIR`."""
    annual = bool(getattr(args, "annual", False))
    if annual == (args.half is not None):
        print(
            "sitegen report：写 --half 1 或 --half 2（6月底、12月底的报告），或写 --annual（次年1月10日的年度结果），只写一个。",
            file=sys.stderr,
        )
        return 2
    try:
        if annual:
            made = make_annual(Path(args.content), args.year, Path(args.output))
        else:
            made = make(Path(args.content), args.year, args.half, Path(args.output))
    except ReportError as exc:
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        print(("\n" if exc.problems else "") + exc.message, file=sys.stderr)
        return 1
    if annual:
        print(
            f"已生成{args.year}年度积分评定结果：{len(made.files) // 2} 份统计表（全区和各党(工)委的统计表（一）（二）），"
            f"截至 {made.as_of}，每份一个 Excel 和一个 PDF，写入 {args.output}。"
        )
        return 0
    half = HALF_NAMES[args.half]
    print(
        f"已生成 {len(made.files) // 2} 份{args.year}年{half}各季度积分管理情况（截至 {made.as_of}），"
        f"每份一个 Excel 和一个 PDF，写入 {args.output}。"
    )
    return 0


def annual_date(year: int) -> date:
    """The annual results are reported by 10 January of the next year (policy 五(四))."""
    return date(year + 1, 1, 10)


def _scored(content: Path, year: int, as_of: date):
    """The district and its year, checked and scored as of the report date."""
    from sitegen.check import check

    report = check(content, today=as_of, restricted=False)
    if report.errors or report.loaded.district is None:
        raise ReportError(
            report.errors, f"内容有 {len(report.errors)} 个错误，没有生成报告。请先按提示改正（sitegen check）。"
        )
    if year not in report.years:
        raise ReportError([], f"sitegen：没有 {year} 年的积分记录。")
    return report.loaded.district, report.years[year]


def _write(out: Path, written: list[tuple[str, bytes]]) -> tuple[Path, ...]:
    try:
        out.mkdir(parents=True, exist_ok=True)
        for file, data in written:
            (out / file).write_bytes(data)
    except OSError as exc:
        raise ReportError([], f"sitegen：无法写入“{out}”：{exc.strerror}。") from None
    return tuple(out / file for file, _ in written)


def make(content: Path, year: int, half: int, out: Path) -> Made:
    from sitegen.render.xlsx.quarterly import quarterly_bytes, quarterly_tables, report_date, report_title
    from sitegen.render.xlsx.report import DISTRICT, Scope

    as_of = report_date(year, half)
    district, result = _scored(content, year, as_of)
    name = f"{year}年{HALF_NAMES[half]}各季度积分管理情况"
    scopes = [(district.info.name, district.info.organization, DISTRICT)] + [
        (c.info.short_name, c.info.name, Scope("committee", c.id)) for c in district.committees
    ]
    renderer, settings = _pdf(content, district)
    written: list[tuple[str, bytes]] = []
    for short, issuer, scope in scopes:
        written.append((f"{short}-{name}.xlsx", quarterly_bytes(district, result, scope, half, as_of)))
        tables = quarterly_tables(district, result, scope, half, as_of)
        pdf = _render(
            renderer, settings, f"{short}-{name}.pdf", report_title(district, year, half), issuer, as_of, tables
        )
        written.append((f"{short}-{name}.pdf", pdf))
    return Made(as_of, _write(out, written))


def make_annual(content: Path, year: int, out: Path) -> Made:
    """The annual results by 10 January: 统计表（一） and （二） of the district and of each
    committee (the branches' own are on the site), each as xlsx and as a PDF of the same
    cells — the 分类排名 included — from the year ends published by that day."""
    from sitegen.render.xlsx import stats_one, stats_two
    from sitegen.render.xlsx.report import DISTRICT, YEAR, Scope, build_report

    as_of = annual_date(year)
    district, result = _scored(content, year, as_of)
    scopes = [(district.info.name, district.info.organization, DISTRICT)] + [
        (c.info.short_name, c.info.name, Scope("committee", c.id)) for c in district.committees
    ]
    renderer, settings = _pdf(content, district)
    written: list[tuple[str, bytes]] = []
    for short, issuer, scope in scopes:
        for form in (1, 2):
            report = build_report(district, result, YEAR, scope, form, as_of)
            if report is None:
                continue  # no branch of the scope has published its year end
            # the same one view of the form that the site's 统计表 use for both xlsx and PDF
            sheet = stats_one if form == 1 else stats_two
            table, data = sheet.table(report), sheet.xlsx_bytes(report)
            name = f"{short}-{year}年度党员积分管理情况统计表（{'一' if form == 1 else '二'}）"
            written.append((f"{name}.xlsx", data))
            written.append((f"{name}.pdf", _render(renderer, settings, f"{name}.pdf", name, issuer, as_of, (table,))))
    if not written:
        raise ReportError([], f"sitegen：{year} 年还没有支部公示年度评定结果（截至 {as_of}），没有生成统计表。")
    return Made(as_of, _write(out, written))


def _pdf(content: Path, district):
    """The district's theme (its PDF templates may be overridden) and the fonts, checked
    as a build checks them: a character the fonts lack stops the report, with its place."""
    from sitegen import provenance
    from sitegen.render.pdf.documents import Settings
    from sitegen.render.pdf.fonts import load_fonts, missing_glyphs
    from sitegen.render.pdf.render import PdfRenderer
    from sitegen.render.theme import Theme

    theme = Theme(content)
    problems = [p for p in theme.problems() if p.is_error]
    fonts = load_fonts()
    if fonts.missing:
        problems.append(
            Problem(
                "E953",
                f"没有安装生成 PDF 所需的字体：{'、'.join(fonts.missing)}。",
                Pos("site.yaml"),
                "在 Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk。",
            )
        )
    else:
        problems += missing_glyphs(district, fonts)
    if problems:
        raise ReportError(problems, "没有生成报告（PDF 无法生成）。请按提示处理后再运行。")
    return PdfRenderer(theme), Settings("A4", provenance.read(content).footer())


def _render(renderer, settings, path: str, title: str, issuer: str, as_of: date, tables) -> bytes:
    from sitegen.render.pdf.documents import report_job
    from sitegen.render.pdf.render import MissingGlyphError
    from sitegen.render.theme import TemplateFailed

    job = report_job(settings, path, title, issuer, as_of, tables)
    try:
        return renderer.render(job.template, job.view)
    except TemplateFailed as exc:
        raise ReportError([exc.problem], "没有生成报告（PDF 模板出错）。") from None
    except MissingGlyphError as exc:
        raise ReportError([], f"没有生成报告：PDF 里有字体没有的字符（{exc}）。") from None
