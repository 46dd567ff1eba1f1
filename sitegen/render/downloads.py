"""Which printable documents exist for an organization and year, and where they go.

Shared by the renderers that write them (pdf, later xlsx) and the web pages that link to
them, so a link can never point at a file nobody writes. A document exists only for what
is published: a quarter's poster once its 公示 has started, year-end documents once the
year end is recorded, 统计表 for a committee or the district once every branch in it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model.scored import BranchYearResult
from sitegen.render import format as fmt


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # items, quarter, year_end, forms, stats1, stats2
    label: str
    path: str
    quarter: int = 0


def branch_documents(result: BranchYearResult) -> tuple[Document, ...]:
    base = f"{result.year}/pdf/b/{result.branch_id}"
    docs = [Document("items", f"{result.year}年积分项目公示", f"{base}/items.pdf")]
    for q in result.quarters:
        if q.published:
            docs.append(
                Document(
                    "quarter",
                    f"{fmt.quarter(result.year, q.quarter)}积分情况公示",
                    f"{base}/q{q.quarter}.pdf",
                    q.quarter,
                )
            )
    if result.year_end_done:
        docs += [
            Document("year_end", f"{result.year}年度积分评定结果公示", f"{base}/year-end.pdf"),
            Document("forms", "党员积分管理考核表（附件1）", f"{base}/forms.pdf"),
        ]
        docs += stats_documents(result.year, f"{base}/")
    return tuple(docs)


def stats_documents(year: int, folder: str) -> list[Document]:
    return [
        Document("stats1", "积分管理情况统计表（一）（附件2）", f"{folder}stats1.pdf"),
        Document("stats2", "积分管理情况统计表（二）（附件3）", f"{folder}stats2.pdf"),
    ]


def xlsx_documents(
    year: int, results: list[BranchYearResult], committee: str = "", branch: str = ""
) -> tuple[Document, ...]:
    """统计表 spreadsheets for a scope: one per form and period that has published data."""
    from sitegen.render.xlsx import PERIODS, stats_path
    from sitegen.render.xlsx.report import available

    names = {"h1": "上半年", "year": "年度"}
    out = []
    for period in PERIODS:
        if any(available(r, period) for r in results):
            for form in (1, 2):
                out.append(
                    Document(
                        f"xlsx{form}-{period}",
                        f"{names.get(period, period)}统计表（{'一' if form == 1 else '二'}）（Excel）",
                        stats_path(year, form, period, committee=committee, branch=branch),
                    )
                )
    return tuple(out)


def committee_documents(year: int, cid: str, results: list[BranchYearResult]) -> tuple[Document, ...]:
    if not results or not all(r.year_end_done for r in results):
        return ()
    return tuple(stats_documents(year, f"{year}/pdf/c/{cid}/"))


def district_documents(year: int, results: list[BranchYearResult]) -> tuple[Document, ...]:
    if not results or not all(r.year_end_done for r in results):
        return ()
    return tuple(stats_documents(year, f"{year}/pdf/"))
