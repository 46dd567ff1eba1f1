"""Which printable documents exist for an organization and year, and where they go.

Shared by the renderers that write them (pdf, xlsx) and the web pages that link to
them, so a link can never point at a file nobody writes. A document exists only for what
is published: a quarter's poster once its 公示 has started, year-end documents once the
year end is recorded, a 统计表 for a period (上半年, 年度) once a branch in its scope has
the period published — the PDF of a 统计表 exactly where its xlsx is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.model.scored import BranchYearResult, ScoreSummary
from sitegen.render import format as fmt


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # items, quarter, year_end, forms, stats1, stats2 (PDFs); xlsx1-h1, xlsx2-year, …
    label: str
    path: str
    quarter: int = 0
    period: str = ""  # a 统计表's: h1 (上半年) or year (年度)


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
    docs += stats_documents([result], f"{base}/")
    return tuple(docs)


_PERIOD_NAMES = {"h1": "上半年", "year": "年度"}


def stats_documents(results: Sequence[BranchYearResult | ScoreSummary], folder: str) -> list[Document]:
    """The 统计表 PDFs of a scope: one per form and period that has published data (the
    same condition as its xlsx, xlsx_documents). The year's keep their first names,
    stats1.pdf and stats2.pdf; the half year's are stats1-h1.pdf and stats2-h1.pdf."""
    from sitegen.render.xlsx import PERIODS, YEAR
    from sitegen.render.xlsx.report import available

    out = []
    for period in PERIODS:
        if any(available(r, period) for r in results):
            suffix = "" if period == YEAR else f"-{period}"
            for form, numeral, annex in ((1, "一", 2), (2, "二", 3)):
                out.append(
                    Document(
                        f"stats{form}",
                        f"{_PERIOD_NAMES.get(period, period)}统计表（{numeral}）（附件{annex}）",
                        f"{folder}stats{form}{suffix}.pdf",
                        period=period,
                    )
                )
    return out


def xlsx_documents(
    year: int, results: Sequence[BranchYearResult | ScoreSummary], committee: str = "", branch: str = ""
) -> tuple[Document, ...]:
    """统计表 spreadsheets for a scope: one per form and period that has published data."""
    from sitegen.render.xlsx import PERIODS, stats_path
    from sitegen.render.xlsx.report import available

    out = []
    for period in PERIODS:
        if any(available(r, period) for r in results):
            for form in (1, 2):
                out.append(
                    Document(
                        f"xlsx{form}-{period}",
                        f"{_PERIOD_NAMES.get(period, period)}统计表（{'一' if form == 1 else '二'}）（Excel）",
                        stats_path(year, form, period, committee=committee, branch=branch),
                        period=period,
                    )
                )
    return tuple(out)


def committee_documents(
    year: int, cid: str, results: Sequence[BranchYearResult | ScoreSummary]
) -> tuple[Document, ...]:
    return tuple(stats_documents(results, f"{year}/pdf/c/{cid}/"))


def district_documents(year: int, results: Sequence[BranchYearResult | ScoreSummary]) -> tuple[Document, ...]:
    return tuple(stats_documents(results, f"{year}/pdf/"))
