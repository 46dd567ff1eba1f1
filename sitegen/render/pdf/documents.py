"""The PDF documents, as (template, view) jobs per unit of work (see sitegen/render/run.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sitegen.model.enums import Part
from sitegen.model.scored import BranchYearResult, Role, YearResult, light
from sitegen.model.site import Branch, Committee, District
from sitegen.render import format as fmt
from sitegen.render.downloads import Document, branch_documents, committee_documents, district_documents
from sitegen.render.jobs import JobKind, RenderJob
from sitegen.render.pdf.views import (
    FormLine,
    FormsBook,
    FormTable,
    HeadCell,
    ItemsPoster,
    MemberForm,
    QuarterPoster,
    ReportDocument,
    Sheet,
    YearEndPoster,
)
from sitegen.render.tables import PARTS, counts, items_table, quarter_rows, year_end_rows
from sitegen.render.versions import Event, branch_event, latest
from sitegen.render.xlsx.quarterly import Table
from sitegen.render.xlsx.report import DISTRICT, YEAR, Scope, build_report
from sitegen.render.xlsx.workbook import text_width


@dataclass(frozen=True)
class Settings:
    """What every sheet shares: the paper for boards and the data version line. A value
    (its repr is part of every unit's key: Site.unit_key)."""

    paper: str
    provenance: str

    def sheet(self, doc: Document, issuer: str, day: date | None, *, landscape=False, board=True) -> Sheet:
        return Sheet(
            path=doc.path,
            title=doc.label,
            paper=self.paper if board else "A4",
            landscape=landscape,
            issuer=issuer,
            date=fmt.day(day),
            provenance=self.provenance,
        )


def branch_jobs(
    s: Settings, district: District, committee: Committee, branch: Branch, result: BranchYearResult
) -> Iterator[RenderJob]:
    org = branch.info.name
    view: object
    for doc in branch_documents(result):
        if doc.kind == "items":
            scheme = result.scheme
            intro = (
                f"根据上级党组织明确的积分内容，结合本支部实际，{org}细化、量化了{result.year}年党员积分项目，"
                + (f"已于{fmt.day(scheme.announced)}召开党员大会通报，" if scheme.announced else "")
                + "现予公开，接受党员群众监督。"
            )
            view = ItemsPoster(
                s.sheet(doc, org, scheme.posted or scheme.announced), result.year, intro, items_table(result)
            )
            yield RenderJob("pdf/items.html", view, doc.path, JobKind.PDF)
        elif doc.kind == "quarter":
            status = result.quarters[doc.quarter - 1]
            rows, activists = quarter_rows(result, doc.quarter)
            assert status.publicity is not None  # a quarter's poster is for a published quarter
            contact = status.publicity.contact
            intro = (
                f"经支部汇总审核、逐人反馈审核意见并确认无误，现将{fmt.quarter(result.year, doc.quarter)}"
                "党员积分情况予以公示，接受党员群众监督。"
            )
            view = QuarterPoster(
                s.sheet(doc, org, status.publicity.start),
                intro,
                fmt.period(status.publicity),
                _objections(contact, org),
                rows,
                activists,
            )
            yield RenderJob("pdf/quarter.html", view, doc.path, JobKind.PDF)
        elif doc.kind == "year_end":
            ranked, ranked_activists = year_end_rows(result)
            publicity = result.year_end_publicity
            intro = (
                f"根据党员全年积分情况，结合民主测评和综合分析研判，{org}确定了{result.year}年度党员积分评定等次，"
                "现予公示。"
            )
            view = YearEndPoster(
                s.sheet(doc, org, publicity.start if publicity else result.assessed, landscape=True),
                intro,
                fmt.period(publicity),
                _objections(publicity.contact if publicity else "", org),
                ranked,
                ranked_activists,
                tuple(r.member.name for r in result.members if r.role is Role.EXEMPT),
                counts(result.stats),
            )
            yield RenderJob("pdf/year_end.html", view, doc.path, JobKind.PDF)
        elif doc.kind == "forms":
            forms = tuple(_form(result, branch, r) for r in result.members if r.graded)
            view = FormsBook(s.sheet(doc, org, result.assessed, board=False), result.scheme.title, forms)
            yield RenderJob("pdf/forms.html", view, doc.path, JobKind.PDF)
        elif doc.kind in ("stats1", "stats2"):
            yield from _stats_job(
                s,
                doc,
                district,
                YearResult(result.year, {branch.id: result}, {}, result.stats),
                Scope("branch", branch.id),
                _day(result),
            )


def site_jobs(s: Settings, district: District, years: dict[int, YearResult]) -> Iterator[RenderJob]:
    for year in sorted(years):
        for committee in district.committees:
            yield from committee_stats_jobs(s, district, years[year], committee.id)
        yield from district_stats_jobs(s, district, years[year])


def committee_stats_jobs(
    s: Settings, district: District, result: YearResult, cid: str, rows_of: Callable | None = None
) -> Iterator[RenderJob]:
    """A committee's 统计表 PDFs of one year (with its committee unit). `rows_of(year,
    period, scope kind)`: where each branch's rows of 统计表（二） come from (as for the
    xlsx: sitegen.render.run.Site._rows_of)."""
    committee = district.committee(cid)
    if committee is None:
        return
    mine = [light(result.branches, b.id) for b in committee.branches if b.id in result.branches]
    for doc in committee_documents(result.year, committee.id, mine):
        yield from _stats_job(
            s, doc, district, result, Scope("committee", committee.id), latest(map(branch_event, mine)), rows_of
        )


def district_stats_jobs(
    s: Settings, district: District, result: YearResult, rows_of: Callable | None = None
) -> Iterator[RenderJob]:
    """The district's 统计表 PDFs of one year (with its district unit); `rows_of` as for
    :func:`committee_stats_jobs`."""
    everyone = [light(result.branches, bid) for bid in result.branches]  # not read: summaries suffice
    for doc in district_documents(result.year, everyone):
        yield from _stats_job(s, doc, district, result, DISTRICT, latest(map(branch_event, everyone)), rows_of)


def _day(result: BranchYearResult) -> date | None:
    event = branch_event(result)
    return event.day if event is not None else None


def _stats_job(
    s: Settings,
    doc: Document,
    district: District,
    result: YearResult,
    scope: Scope,
    day: date | Event | None,
    rows_of: Callable | None = None,
) -> Iterator[RenderJob]:
    """A 统计表 PDF, of the half year or the year (doc.period): the very report its xlsx
    shows (sitegen.render.xlsx.report), laid out by the same `table()` — the same heading
    (title with the district and the period, 单位, 负责人, 填表人, and the data's date, as
    the build dates the xlsx: the scope's latest published step), rows, 备注 and notes."""
    from sitegen.render.xlsx import stats_one, stats_two

    if isinstance(day, Event):
        day = day.day
    form = 1 if doc.kind == "stats1" else 2
    period = doc.period or YEAR
    branch_rows = rows_of(result.year, period, scope.kind) if rows_of is not None and form == 2 else None
    report = build_report(district, result, period, scope, form, day, branch_rows)
    if report is None:
        return
    module = stats_one if form == 1 else stats_two
    table = form_table(module.table(report), module.styles(report), annex="附件2" if form == 1 else "附件3")
    sheet = Sheet(
        path=doc.path,
        title=report.heading.title,
        paper="A4",
        landscape=True,
        issuer=report.heading.unit,
        date=report.heading.date,
        provenance=s.provenance,
    )
    yield RenderJob("pdf/report.html", ReportDocument(sheet, (table,)), doc.path, JobKind.PDF)


def _rank(rank: int | None) -> str:
    return "" if rank is None else str(rank)


def _form(result: BranchYearResult, branch: Branch, r) -> MemberForm:
    scheme = result.scheme
    got = dict(r.items)
    vetoed_items = {
        line.item
        for line in r.lines
        if scheme.items.get(line.item) and scheme.items[line.item].part is Part.VETO and not line.reversal
    }
    lines = []
    for code, item in scheme.items.items():
        if item.part is Part.VETO:
            points = "有" if code in vetoed_items and r.vetoed else ""
        else:
            value = got.get(code)
            points = (("−" if item.part is Part.DEDUCTION else "") + fmt.points(value)) if value else ""
        lines.append(FormLine(code, PARTS[item.part], item.name, fmt.item_points(item), points))
    last = r.quarters[-1].ytd
    parts = (
        (PARTS[Part.BASE], fmt.points(last.base)),
        (PARTS[Part.BONUS], fmt.points(last.bonus)),
        (PARTS[Part.DEDUCTION], fmt.points(last.deduction)),
        (PARTS[Part.VETO], "有" if r.vetoed else "无"),
    )
    return MemberForm(
        name=r.member.name,
        status=r.member.status.value,
        category=r.category.value,
        branch=branch.info.name,
        lines=tuple(lines),
        parts=parts,
        total=fmt.points(r.total),
        grade=r.grade.value,
        rating=r.rating.value if r.rating else "",
        final=r.final_grade.value if r.final_grade else "",
        reason=r.final_reason,
    )


def _objections(contact: str, org: str) -> str:
    where = contact or f"{org}"
    return f"公示期间，党员群众如有异议，可向{where}反映。"


def report_job(s: Settings, path: str, title: str, issuer: str, day: date, tables: Iterable[Table]) -> RenderJob:
    """A report upward as a PDF (A4 landscape): the tables of its xlsx, cell for cell."""
    sheet = Sheet(
        path=path, title=title, paper="A4", landscape=True, issuer=issuer, date=fmt.day(day), provenance=s.provenance
    )
    return RenderJob("pdf/report.html", ReportDocument(sheet, tuple(form_table(t) for t in tables)), path, JobKind.PDF)


def form_table(table: Table, styles: tuple[str, ...] = (), annex: str = "") -> FormTable:
    """An xlsx form's table for print: the two header rows (a header without a group spans
    both), and every cell as text — the same value the spreadsheet holds. `styles`: each
    row's style in the xlsx (normal, branch-indent, subtotal, total)."""
    grouped = any(c.group for c in table.columns)
    head1: list[HeadCell] = []
    head2: list[str] = []
    for i, col in enumerate(table.columns):
        if not col.group:
            head1.append(HeadCell(col.name, rowspan=2 if grouped else 1))
            continue
        head2.append(col.name)
        if i > 0 and table.columns[i - 1].group == col.group:
            last = head1[-1]
            head1[-1] = HeadCell(last.text, last.colspan + 1)
        else:
            head1.append(HeadCell(col.group))
    h = table.heading
    rows = tuple(tuple(cell_text(v, c.kind) for v, c in zip(row, table.columns)) for row in table.rows)
    return FormTable(
        title=h.title,
        subtitle=h.subtitle,
        unit=h.unit,
        leader=h.leader,
        recorder=h.recorder,
        date=h.date,
        head1=tuple(head1),
        head2=tuple(head2),
        numeric=tuple(c.kind in ("int", "points", "share") for c in table.columns),
        rows=rows,
        notes=table.notes,
        widths=_widths(table, rows),
        styles=styles,
        annex=annex,
    )


def _widths(table: Table, rows: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Each column's share of the page, as the xlsx sizes its columns: the widest cell (a
    header's longest word included), within the column's least and most width."""
    wanted = []
    for j, col in enumerate(table.columns):
        widest = max([text_width(r[j]) for r in rows if j < len(r)] + [text_width(col.name) / 2, 0])
        wanted.append(min(max(widest, col.min_width), col.max_width))
    total = sum(wanted) or 1
    return tuple(f"{100 * w / total:.2f}%" for w in wanted)


def cell_text(value: object, kind: str = "text") -> str:
    """A spreadsheet cell's value as printed: blank for none, points as the site writes them,
    a share (a fraction the sheet shows with 0.0%) as a percentage with one decimal."""
    if value is None:
        return ""
    if kind == "share" and isinstance(value, (int, float)):
        return f"{Decimal(str(value)) * 100:.1f}%"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return fmt.points(Decimal(str(value)))
    if isinstance(value, Decimal):
        return fmt.points(value)
    return str(value)
