"""统计表（一） counts (policy 附件2): totals that add up by construction.

participants = sum of the grade counts; total = participants + exempt. 积极分子 are
counted apart; members floated out are counted by the branch that scores them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.model.enums import Grade
from sitegen.model.scored import MemberResult, Role, Stats


def branch_stats(members: Iterable[MemberResult], final: bool) -> Stats:
    grades = {g: 0 for g in Grade}
    exempt = activists = 0
    for r in members:
        if r.role is Role.EXEMPT:
            exempt += 1
        elif r.role is Role.ACTIVIST:
            activists += 1
        elif r.role is Role.SCORED:
            grade = r.final_grade if final and r.final_grade is not None else r.grade
            grades[grade] += 1
    participants = sum(grades.values())
    return Stats(total=participants + exempt, participants=participants, exempt=exempt, grades=grades,
                 activists=activists, final=final)


def combine(parts: Iterable[Stats]) -> Stats:
    parts = list(parts)
    grades = {g: sum(s.grades[g] for s in parts) for g in Grade}
    participants = sum(grades.values())
    exempt = sum(s.exempt for s in parts)
    return Stats(total=participants + exempt, participants=participants, exempt=exempt, grades=grades,
                 activists=sum(s.activists for s in parts), final=bool(parts) and all(s.final for s in parts))
