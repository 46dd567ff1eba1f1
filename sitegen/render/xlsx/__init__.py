"""The xlsx renderer: 统计表（一） and 统计表（二） for reporting upward.

For every year, period (``h1`` 上半年, ``year`` 年度) and scope (the district, each
committee, each branch) that has published data. Reads only the scored model (the
build's model has no restricted data) and a report date the caller passes in — never
the clock — so the same inputs give byte-identical files.

    xlsx_files(district, years, report_date)   → {relative path: bytes}, for the build
    write_stats_one(path, district, result, …) → one 统计表（一） file
    write_stats_two(path, district, result, …) → one 统计表（二） file
    stats_path(year, form, period, …)          → where the build puts a file (for links)
"""

from __future__ import annotations

from datetime import date

from sitegen.model.scored import YearResult
from sitegen.model.site import District
from sitegen.render.xlsx.report import DISTRICT, H1, PERIODS, YEAR, Report, Scope, build_report

__all__ = [
    "H1",
    "YEAR",
    "PERIODS",
    "Scope",
    "DISTRICT",
    "stats_bytes",
    "write_stats_one",
    "write_stats_two",
    "stats_path",
    "xlsx_files",
]


def stats_path(year: int, form: int, period: str, committee: str = "", branch: str = "") -> str:
    """Relative output path: <year>/xlsx/district-stats1-year.xlsx, <year>/xlsx/c/<cid>-stats1-h1.xlsx,
    <year>/xlsx/b/<bid>-stats2-year.xlsx."""
    name = f"stats{form}-{period}.xlsx"
    if branch:
        return f"{year}/xlsx/b/{branch}-{name}"
    if committee:
        return f"{year}/xlsx/c/{committee}-{name}"
    return f"{year}/xlsx/district-{name}"


def stats_bytes(
    district: District,
    result: YearResult,
    form: int,
    period: str,
    scope: Scope = DISTRICT,
    report_date: date | None = None,
) -> bytes | None:
    """One 统计表 as bytes, or None when the scope has nothing published for the period."""
    report: Report | None = build_report(district, result, period, scope, form, report_date)
    if report is None:
        return None
    from sitegen.render.xlsx import stats_one, stats_two  # openpyxl: only when a workbook is written

    return (stats_one if form == 1 else stats_two).xlsx_bytes(report)


def xlsx_files(district: District, years: dict[int, YearResult], report_date: date | None) -> dict[str, bytes]:
    """Every 统计表 of every year, by relative output path. A file is left out when its
    scope has nothing published for the period (a branch before its second quarter is
    published has no 上半年 file; before its year end, no 年度 file)."""
    out: dict[str, bytes] = {}
    for year, result in sorted(years.items()):
        scopes: list[tuple[Scope, dict[str, str]]] = [(DISTRICT, {})]
        for committee in district.committees:
            scopes.append((Scope("committee", committee.id), {"committee": committee.id}))
        for branch in district.branches():
            if branch.id in result.branches:
                scopes.append((Scope("branch", branch.id), {"branch": branch.id}))
        for scope, where in scopes:
            for period in PERIODS:
                for form in (1, 2):
                    data = stats_bytes(district, result, form, period, scope, report_date)
                    if data is not None:
                        out[stats_path(year, form, period, **where)] = data
    return out
