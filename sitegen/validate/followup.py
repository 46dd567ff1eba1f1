"""结果运用 for members graded 不合格 (policy 四(三), SPEC 2.7): the branch head talks with
them (谈话) and names a helper (帮教人), recorded in the restricted file (专卷保存).

Read only by `sitegen check` (the build never loads restricted/): a warning names the
member — whose grade is public — and what is missing, never what the record says.
"""

from __future__ import annotations

from datetime import date, timedelta

from sitegen.model.restricted import RestrictedYear
from sitegen.model.scored import ScoreSummary
from sitegen.problems import Pos, Problem

FOLLOW_UP = timedelta(days=30)  # after the 综合评定: talk and helper recorded within this


def check_follow_up(
    result: ScoreSummary,
    record: RestrictedYear | None,
    today: date | None,
    branch_id: str,
    days: timedelta = FOLLOW_UP,
) -> list[Problem]:
    """`result`: the summary of the branch's scored year (which names the members graded
    不合格: the score itself need not be read)."""
    if result.assessed is None:
        return []
    due = result.assessed + days
    where = Pos(f"restricted/{branch_id}/{result.year}.yaml")
    talks = {t.member: t.date for t in record.talks} if record else {}
    helpers = {m.member: m.start for m in record.mentoring} if record else {}
    problems = []
    for m in result.failed:  # party members only: 积极分子 are scored 参照, not 处置
        missing = [what for what, done in (("谈话", talks.get(m.id)), ("帮教人", helpers.get(m.id))) if done is None]
        late = [
            what
            for what, done in (("谈话", talks.get(m.id)), ("帮教人", helpers.get(m.id)))
            if done is not None and done > due
        ]
        if missing and (today is None or today > due - timedelta(days=14)):
            state = f"期限 {due} 已过" if today is not None and today > due else f"期限 {due}"
            problems.append(
                Problem(
                    "W602",
                    f"{m.name}（{m.id}）{result.year} 年度评定为不合格，"
                    f"不公开记录里还没有{'和'.join(missing)}的记录（{state}）。",
                    where,
                    "党支部负责人与其谈话、指定帮教人后，在不公开记录的 talks 和 mentoring 里登记"
                    "（专卷保存，不公开）。",
                )
            )
        elif late:
            problems.append(
                Problem(
                    "W602",
                    f"{m.name}（{m.id}）{result.year} 年度评定为不合格，{'和'.join(late)}的日期晚于期限 {due}。",
                    where,
                    f"评定后 {days.days} 天内完成谈话、指定帮教人；确有原因的，在记录里说明。",
                )
            )
    return problems
