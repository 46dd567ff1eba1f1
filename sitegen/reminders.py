"""`sitegen reminders`: the branch secretary's internal list of members to remind (督促提醒).

An edge around the pipeline, like `stats`: it checks and scores the content (reading
restricted/ to show when each member was last reminded), takes the latest quarter whose
公示 has begun, and writes one xlsx for the secretary. The list is internal: it is never
written into a site's output folder nor into the content folder (a pull request would
publish it), and nothing of it reaches the site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.check import build_day, check
from sitegen.model.scheme import Reminders
from sitegen.problems import Pos, Problem
from sitegen.render import format as fmt
from sitegen.rules.periods import quarter_name
from sitegen.rules.reminders import Lagging, lagging, pace_at
from sitegen.write import MANIFEST


@dataclass
class Made:
    path: Path
    quarter: int
    rows: tuple[Lagging, ...]


class RemindersError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def make(content: Path, branch_id: str, output: Path, *, year: int | None = None, today: date | None = None) -> Made:
    today = build_day(today)
    refused = _refuse(content, output)
    if refused:
        raise RemindersError([refused])
    report = check(content, today=today, cache_dir=None, restricted=True)
    if report.errors:
        raise RemindersError(report.errors)
    district = report.loaded.district
    branch = district.branch(branch_id) if district else None
    if district is None or branch is None:
        raise RemindersError(
            [
                Problem(
                    "E102",
                    f"没有编号为“{branch_id}”的支部。",
                    Pos("committees"),
                    "写 committees/<党(工)委>/branches/ 下的支部文件夹名。",
                )
            ]
        )
    year = year or max(branch.years, default=0)
    year_result = report.years.get(year)
    result = year_result.branches.get(branch_id) if year_result is not None else None
    if result is None or not result.published_quarters:
        raise RemindersError(
            [
                Problem(
                    "E102",
                    f"{branch.info.short_name} {year} 年还没有开始公示的季度，没有可以比较的积分。",
                    Pos(f"committees/{branch.committee_id}/branches/{branch_id}/{year}/quarters"),
                    "季度公示开始后再生成督促提醒名单。",
                )
            ]
        )
    quarter = max(result.published_quarters)
    rows = lagging(result, quarter, district.schemes[year].reminders)
    last: dict[str, date] = {}
    record = report.loaded.restricted.get((branch_id, year))
    for r in record.reminders if record else ():
        last[r.member] = max(last.get(r.member, r.date), r.date)
    _write(output, branch.info.name, year, quarter, rows, last, today, district.schemes[year].reminders)
    return Made(output, quarter, rows)


def _refuse(content: Path, output: Path) -> Problem | None:
    out = Path(os.path.realpath(output))
    home = Path(os.path.realpath(content))
    if home == out or home in out.parents:
        return Problem(
            "E977",
            f"不能把督促提醒名单写进内容目录（{output}）：提交后就会公开。",
            Pos(str(output)),
            "写到内容目录以外，例如 -o ~/督促提醒.xlsx；名单是内部材料，不要放进仓库。",
        )
    for folder in out.parents:
        if (folder / MANIFEST).is_file():
            return Problem(
                "E977",
                f"不能把督促提醒名单写进网站的输出目录（{folder}）：网站会把它发布出去。",
                Pos(str(output)),
                "写到网站以外的地方，例如 -o ~/督促提醒.xlsx。",
            )
    return None


def _write(
    path: Path,
    branch_name: str,
    year: int,
    quarter: int,
    rows: tuple[Lagging, ...],
    last: dict[str, date],
    today: date,
    rule: Reminders,
) -> None:
    from openpyxl.styles import Alignment, Font

    from sitegen.render.xlsx.workbook import new_workbook, workbook_bytes

    wb, ws = new_workbook("督促提醒")
    ws.append([(f"{branch_name} {year}年督促提醒名单（内部材料，不公开）")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            (
                f"依据：截至{year}年{quarter_name(quarter)}已公示的积分；年初至今积分低于 {fmt.points(rule.pace)} 分按季度均摊的进度"
                f"（{fmt.points(pace_at(rule, quarter))} 分），或有一票否决事项。生成日期：{fmt.day(today)}。"
            )
        ]
    )
    ws.append(
        [
            "姓名",
            "编号",
            "身份",
            "年初至今积分",
            "应达到",
            "差距",
            f"{quarter_name(quarter)}积分",
            "一票否决",
            "上次督促提醒",
        ]
    )
    for r in rows:
        ws.append(
            [
                (r.name),
                (r.member),
                "入党积极分子" if r.activist else "党员",
                float(r.ytd),
                float(r.expected),
                float(r.gap) if r.gap > 0 else 0,
                float(r.quarter_points),
                "有" if r.vetoed else "",
                fmt.day(last[r.member]) if r.member in last else "",
            ]
        )
    if not rows:
        ws.append(["（没有积分落后的党员）"])
    for col, width in zip("ABCDEFGHI", (12, 10, 12, 12, 10, 8, 12, 10, 16)):
        ws.column_dimensions[col].width = width
    ws["A2"].alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "A4"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(workbook_bytes(wb, today, f"{branch_name}督促提醒名单"))  # formula-looking names stay text
    os.replace(tmp, path)
