"""统计表（一）(policy 附件2): per organization — members, participating, exempt, the count
and share of each grade, and 入党积极分子 scored 参照.

Every number is the rules engine's `Stats`; shares are `Stats.share` (a percentage,
rounded to 0.1) stored as a fraction so the cell reads 33.3% with the format 0.0%.
The half-year form has no grades (see `report`): in their place, when each quarter was
published.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from sitegen.render.tables import GRADES
from sitegen.render.xlsx.fast import table_bytes, table_workbook
from sitegen.render.xlsx.form import Column
from sitegen.render.xlsx.quarterly import Table
from sitegen.render.xlsx.report import H1, Report, StatsRow

SHEET = "统计表（一）"

_HEAD = [
    Column("", "单位", "name", min_width=14, max_width=34),
    Column("", "党员总数", "int", min_width=6),
    Column("", "参加积分管理", "int", min_width=7),
    Column("", "不纳入积分管理", "int", min_width=7),
]
_GRADES = [
    c
    for g in GRADES
    for c in (Column(g.value, "人数", "int", min_width=5), Column(g.value, "占比", "share", min_width=7))
]
_QUARTERS = [
    Column("季度积分公示", "第一季度", "text", min_width=9),
    Column("季度积分公示", "第二季度", "text", min_width=9),
]
_TAIL = [
    Column("", "入党积极分子（参照积分）", "int", min_width=8),
    Column("", "备注", "text", min_width=10, max_width=30),
]

NOTES = [
    "说明：1. 党员总数 = 参加积分管理人数 + 不纳入积分管理人数；参加积分管理人数 = 优秀、良好、合格、不合格人数之和。",
    "2. 占比为占参加积分管理人数的百分比；入党积极分子参照积分，单列，不计入党员总数；流动党员由流入地党组织统计。",
    "3. 各等次为年度综合评定等次（综合分析研判后的评定结果）。",
]
H1_NOTES = [
    "说明：1. 党员总数 = 参加积分管理人数 + 不纳入积分管理人数；入党积极分子参照积分，单列，不计入党员总数；"
    "流动党员由流入地党组织统计。",
    "2. 季度积分公示栏填公示开始日期；合计行为已公示的支部数。积分等次在年度综合评定后统计（见年度统计表）。",
]


def columns(report: Report) -> list[Column]:
    return _HEAD + (_QUARTERS if report.period.key == H1 else _GRADES) + _TAIL


def row_values(report: Report, row: StatsRow) -> list:
    s = row.stats
    n = len(columns(report))
    if s is None:
        return [row.unit] + [None] * (n - 2) + [row.note]
    cells: list = [row.unit, s.total, s.participants, s.exempt]
    if report.period.key == H1:
        cells += list(row.published)
    else:
        for g in GRADES:
            cells += [s.grades.get(g, 0), float(s.share(g) / Decimal(100))]
    return cells + [s.activists, row.note]


def styles(report: Report) -> tuple[str, ...]:
    """Each row's style (see `write_form`): subtotals and the 合计 stand out, the district's
    branches are indented under their committee."""
    indent = "branch-indent" if report.scope.kind == "district" else "normal"
    return tuple({"committee": "subtotal", "total": "total"}.get(r.level, indent) for r in report.stats_rows)


def table(report: Report) -> Table:
    """The form as laid out on paper — the one view both the xlsx and the PDF show."""
    return Table(
        SHEET,
        report.heading,
        tuple(columns(report)),
        tuple(tuple(row_values(report, r)) for r in report.stats_rows),
        tuple(H1_NOTES if report.period.key == H1 else NOTES),
    )


def workbook(report: Report) -> Workbook:
    return table_workbook(table(report), list(styles(report)))


def xlsx_bytes(report: Report) -> bytes:
    return table_bytes(table(report), list(styles(report)), report.stamp, report.heading.title)
