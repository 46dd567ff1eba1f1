"""统计表（二）(policy 附件3): per member — name, category, status, points by part, total,
rank, the score's grade, 民主测评 and the final grade.

Members appear in rank order within their branch (积极分子 in their own list after
them, then those 不纳入积分管理, by name only). A committee's or the district's form
adds the 所在支部 column and lists every branch in turn.
"""

from __future__ import annotations

from openpyxl import Workbook

from sitegen.render.xlsx.fast import table_bytes, table_workbook
from sitegen.render.xlsx.form import Column, number
from sitegen.render.xlsx.quarterly import Table
from sitegen.render.xlsx.report import H1, MemberRow, Report

SHEET = "统计表（二）"


def columns(report: Report) -> list[Column]:
    total = "上半年累计" if report.period.key == H1 else "年度积分"
    cols = [Column("", "序号", "int", min_width=4)]
    if report.scope.kind != "branch":
        cols.append(Column("", "所在支部", "name", min_width=10, max_width=26))
    cols += [
        Column("", "姓名", "name", min_width=7, max_width=14),
        Column("", "类别", "text", min_width=5),
        Column("", "身份", "text", min_width=8),
        Column("积分情况", "基础积分", "points", min_width=6),
        Column("积分情况", "贡献加分", "points", min_width=6),
        Column("积分情况", "违规扣分", "points", min_width=6),
        Column("积分情况", total, "points", min_width=6),
        Column("", "排名", "int", min_width=5),
    ]
    if report.period.key != H1 and report.scope.kind != "branch":
        cols.append(Column("", "分类排名", "int", min_width=6))
    if report.period.key != H1:
        cols += [
            Column("等次评定", "积分等次", "text", min_width=6),
            Column("等次评定", "民主测评", "text", min_width=6),
            Column("等次评定", "评定等次", "text", min_width=6),
        ]
    cols.append(Column("", "备注", "text", min_width=12, max_width=40))
    return cols


def row_values(report: Report, index: int | None, row: MemberRow) -> list:
    cells: list = [index]
    if report.scope.kind != "branch":
        cells.append(row.branch)
    cells += [
        row.name,
        row.category,
        row.status,
        number(row.base),
        number(row.bonus),
        number(row.deduction),
        number(row.total),
        row.rank,
    ]
    if report.period.key != H1 and report.scope.kind != "branch":
        cells.append(row.category_rank)
    if report.period.key != H1:
        cells += [row.grade, row.rating, row.final]
    return cells + [row.note]


def notes(report: Report) -> list[str]:
    lines = [
        "说明：1. 年度积分 = 基础积分（不超过上限）+ 贡献加分（不超过上限）− 违规扣分，在 0 至 100 分之间；"
        "有一票否决事项的为不合格。",
        "2. 排名为在本支部内的排名，同分同名次；入党积极分子参照积分，单独排名；不纳入积分管理的党员只列姓名。"
        + (
            "分类排名为同一类别党员在本党(工)委（全区报表：全区）各支部间的排名，全部支部完成年度评定后才有。"
            if report.period.key != H1 and report.scope.kind != "branch"
            else ""
        ),
    ]
    if report.period.key == H1:
        lines[0] = lines[0].replace("年度积分", "上半年累计积分")
        lines.append(
            "3. 上半年为第一、二季度累计积分和截至第二季度的排名；积分等次、民主测评和评定等次在年度综合评定后填报。"
        )
    else:
        lines.append("3. 评定等次为综合分析研判后的结果，与积分等次不同的在备注中写明理由。")
    return lines


def styles(report: Report) -> tuple[str, ...]:
    return ("normal",) * len(report.member_rows)


def table(report: Report) -> Table:
    """The form as laid out on paper — the one view both the xlsx and the PDF show. A
    branch not yet in the period has a row without a 序号."""
    rows = []
    seq = 0
    for row in report.member_rows:
        if row.pending:
            rows.append(tuple(row_values(report, None, row)))
        else:
            seq += 1
            rows.append(tuple(row_values(report, seq, row)))
    return Table(SHEET, report.heading, tuple(columns(report)), tuple(rows), tuple(notes(report)))


def workbook(report: Report) -> Workbook:
    return table_workbook(table(report), list(styles(report)))


def xlsx_bytes(report: Report) -> bytes:
    return table_bytes(table(report), list(styles(report)), report.stamp, report.heading.title)
