"""Final grades the review report lists on their own (issue 14, item 5): a 评定等次 more
than one step from the score's grade, or above 不合格 against a 不合格 民主测评. `check`
requires a substantive reason for them (E606); the reviewer reads that reason here, beside
the numbers it overrides. Listed when the change writes or alters them (a final grade
already in the base, unchanged, was reviewed when it was written).

The rule is the validator's own (`sitegen.validate.cycle`), not a copy of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sitegen.check import Report
from sitegen.model.scored import GradedMember, MemberResult
from sitegen.review.published import same_result
from sitegen.validate.cycle import _needs_substance, _why_substance


@dataclass(frozen=True, slots=True)
class FarGrade:
    year: int
    branch: str  # id
    branch_name: str
    member: str  # id
    name: str
    total: Decimal | None
    grade: str  # the score's
    rating: str  # 民主测评 ("" if none)
    final: str
    why: str  # 相差 2 个等次 / 民主测评为不合格
    reason: str  # as written in the year end (published with the grade)


def _written(report: Report) -> dict[tuple[int, str, str], str]:
    """The reasons as written in each year end's `final` (the engine keeps a reason only
    where the grade differs from the score's; a 评定 equal to the score's grade against a
    不合格 测评 needs its reason too, and the reviewer must see it)."""
    district = report.loaded.district
    if district is None:
        return {}
    return {
        (year, b.id, f.member): f.reason
        for b in district.branches()
        for year, by in b.years.items()
        if by.year_end is not None
        for f in by.year_end.final
    }


def _key(r: MemberResult, reason: str) -> tuple:
    return (r.grade if isinstance(r, GradedMember) else None, r.final_grade, reason, r.rating)


def far_grades(base: Report, head: Report) -> tuple[FarGrade, ...]:
    """The far or contrary final grades head has and base has not (or had otherwise)."""
    said_before, said = _written(base), _written(head)
    # a branch year whose result is the very same on both sides (the change did not touch
    # it) has the same grades: skipped on both sides, without reading it
    same = {(year, b) for year in head.years for b in head.years[year].branches if same_result(base, head, year, b)}
    before = {
        (year, b, r.member.id): _key(r, said_before.get((year, b, r.member.id), ""))
        for year, result in base.years.items()
        for b in result.branches
        if (year, b) not in same
        for r in result.branches[b].members
    }
    district = head.loaded.district
    out = []
    for year, result in sorted(head.years.items()):
        for bid in result.branches:
            if (year, bid) in same:
                continue
            res = result.branches[bid]
            for r in res.members:
                if not isinstance(r, GradedMember) or r.final_grade is None:
                    continue
                if not _needs_substance(r.grade, r.final_grade, r.rating):
                    continue
                reason = r.final_reason or said.get((year, bid, r.member.id), "")
                if before.get((year, bid, r.member.id)) == _key(r, said.get((year, bid, r.member.id), "")):
                    continue
                branch = district.branch(bid) if district is not None else None
                out.append(
                    FarGrade(
                        year=year,
                        branch=bid,
                        branch_name=branch.info.short_name if branch is not None else bid,
                        member=r.member.id,
                        name=r.member.name,
                        total=r.total,
                        grade=r.grade.value,
                        rating=r.rating.value if r.rating else "",
                        final=r.final_grade.value,
                        why=_why_substance(r.grade, r.final_grade, r.rating).lstrip("，").replace("而", ""),
                        reason=reason,
                    )
                )
    return tuple(out)
