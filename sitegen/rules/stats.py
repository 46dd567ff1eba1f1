"""统计表（一） counts (policy 附件2): totals that add up by construction.

participants = sum of the grade counts; total = participants + exempt. 积极分子 are
counted apart; members floated out are counted by the branch that scores them.
Membership over time (docs/scoring.md): the counts are of the roster on 31 December.
A member who left during the year is not counted by the branch they left (the branch
they moved to counts them); a member who joined too late to be graded (the district's
partial_year setting) is counted apart as `ungraded`, like 积极分子, so the grade
shares stay shares of those graded.
"""

from __future__ import annotations

from collections.abc import Iterable

from sitegen.model.enums import Grade
from sitegen.model.scored import GradedMember, MemberResult, Role, Stats


def branch_stats(members: Iterable[MemberResult], final: bool) -> Stats:
    grades = {g: 0 for g in Grade}
    exempt = activists = ungraded = 0
    for r in members:
        if r.member.left is not None:
            continue
        if r.ungraded:
            ungraded += 1
        elif r.role is Role.EXEMPT:
            exempt += 1
        elif r.role is Role.ACTIVIST:
            activists += 1
        elif r.role is Role.SCORED and isinstance(r, GradedMember):
            grade = r.final_grade if final and r.final_grade is not None else r.grade
            grades[grade] += 1
    participants = sum(grades.values())
    return Stats(
        total=participants + exempt,
        participants=participants,
        exempt=exempt,
        grades=grades,
        activists=activists,
        ungraded=ungraded,
        final=final,
    )


def combine(parts: Iterable[Stats]) -> Stats:
    parts = list(parts)
    grades = {g: sum(s.grades[g] for s in parts) for g in Grade}
    participants = sum(s.participants for s in parts)  # each part's is the sum of its grades, or its roster's
    exempt = sum(s.exempt for s in parts)
    return Stats(
        total=participants + exempt,
        participants=participants,
        exempt=exempt,
        grades=grades,
        activists=sum(s.activists for s in parts),
        ungraded=sum(s.ungraded for s in parts),
        final=bool(parts) and all(s.final for s in parts),
    )
