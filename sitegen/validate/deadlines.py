"""Deadline warnings: pure, with today passed in (the CLI reads the clock, not this).

- 年初设定积分项目: announced at a party meeting by 31 March;
- each quarter: 公示 within 30 days after the quarter ends (the fourth quarter by 10 January,
  since the year end needs its points);
- year end: every member graded by 10 January of the next year (policy 四(二)).
A warning is given from `NEAR` days before a deadline ("near") and after it ("passed").
"""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.model.site import Branch, BranchYear
from sitegen.problems import Pos, Problem
from sitegen.rules.periods import QUARTERS, publicity_due, quarter_end, quarter_name, year_end_due

NEAR = timedelta(days=14)
APPEAL_GRACE = timedelta(days=15)  # an objection raised during the 公示: decided within 15 days of its end


def deadline_warnings(branch: Branch, by: BranchYear, today: date, folder: str) -> list[Problem]:
    problems: list[Problem] = []
    year = by.year
    name = branch.info.short_name

    def warn(code: str, due: date, what: str, hint: str, file: str) -> None:
        if today > due:
            problems.append(Problem(code, f"{name}：{what}，期限 {due} 已过。", Pos(f"{folder}/{file}"), hint))
        elif today >= due - NEAR:
            left = (due - today).days
            problems.append(
                Problem(code, f"{name}：{what}，距期限 {due} 还有 {left} 天。", Pos(f"{folder}/{file}"), hint)
            )

    if by.plan is None or by.plan.announced is None:
        warn(
            "W101",
            date(year, 3, 31),
            f"{year} 年积分项目尚未通报",
            "召开党员大会通报后，在 scheme.yaml 写上 announced 和 posted。",
            "scheme.yaml",
        )
    for q in QUARTERS:
        ended = quarter_end(year, q)
        record = by.quarters.get(q)
        if today > ended and (record is None or record.publicity is None):
            due = publicity_due(year, q)
            warn(
                "W102",
                due,
                f"{year}年{quarter_name(q)}积分尚未公示",
                f"完成汇总审核、反馈和确认后，在 quarters/q{q}.yaml 写上 publicity。",
                f"quarters/q{q}.yaml",
            )
    for q, record in sorted(by.quarters.items()):
        p = record.publicity
        if p is None or today <= p.end:
            continue
        pending = [a for a in record.appeals if a.outcome is None and a.filed >= p.start]
        for a in pending:
            due = p.end + APPEAL_GRACE
            raised = "群众意见" if a.by.value == "群众" else "申辩"
            state = f"期限 {due} 已过" if today > due else f"请在 {due} 前处理"
            problems.append(
                Problem(
                    "W501",
                    f"{name}：{year}年{quarter_name(q)}公示期间提出的{raised}“{a.id}”在公示期结束"
                    f"（{p.end}）后还没有处理结果，{state}。",
                    a.pos,
                    "调查核实后写上 outcome（维持/更正）和 decided；更正的，在当前季度台账里写更正条目，"
                    "并在 correction 写它的编号。",
                )
            )
    if by.year_end is None or by.year_end.assessed is None:
        warn(
            "W103",
            year_end_due(year),
            f"{year} 年度综合评定尚未完成",
            "完成民主测评和综合评定后，在 year-end.yaml 写上 assessed。",
            "year-end.yaml",
        )
    return problems
