"""督促提醒 (policy 四(三)): "对一段时间积分落后的党员要督促提醒". Pure.

At the latest published quarter of a branch year, a member listed with points whose
year-to-date score is below the district's pace for that point of the year is lagging:
pace × quarters ÷ 4 (by default 60, the 合格 line, spread evenly over the year). The list
is internal — the branch secretary's, never published, never in a review comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sitegen.model.scheme import Reminders
from sitegen.model.scored import BranchYearResult, Role

CENT = Decimal("0.01")
DEFAULT = Reminders()  # the district did not say: 60, the 合格 line


@dataclass(frozen=True, slots=True)
class Lagging:
    member: str
    name: str
    activist: bool  # 入党积极分子, scored 参照
    ytd: Decimal  # year-to-date score at the quarter
    expected: Decimal  # the pace at that quarter
    quarter_points: Decimal  # what the quarter itself added (base + bonus − deduction)
    vetoed: bool

    @property
    def gap(self) -> Decimal:
        return self.expected - self.ytd


def pace_at(rule: Reminders, quarter: int) -> Decimal:
    """The year-to-date score expected after `quarter` quarters: the pace spread evenly."""
    return (rule.pace * quarter / 4).quantize(CENT).normalize()


def lagging(result: BranchYearResult, quarter: int, rule: Reminders = DEFAULT) -> tuple[Lagging, ...]:
    """Members listed with points in `quarter` whose year to date is below the pace (or who
    have a 一票否决), furthest behind first."""
    expected = pace_at(rule, quarter)
    out = []
    for r in result.members:
        if len(r.quarters) < quarter:
            continue
        mq = r.quarters[quarter - 1]
        if mq.role not in (Role.SCORED, Role.ACTIVIST):
            continue
        if mq.total < expected or mq.ytd.veto:
            p = mq.points
            out.append(
                Lagging(
                    r.member.id,
                    r.member.name,
                    mq.role is Role.ACTIVIST,
                    mq.total,
                    expected,
                    p.base + p.bonus - p.deduction,
                    mq.ytd.veto,
                )
            )
    return tuple(sorted(out, key=lambda x: (not x.vetoed, x.ytd, x.member)))
