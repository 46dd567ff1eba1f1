"""Grades from scores (policy 四(一)): ≥90 优秀, 80–<90 良好, 60–<80 合格, <60 不合格;
any 一票否决 makes the grade 不合格 whatever the points."""

from __future__ import annotations

from decimal import Decimal

from sitegen.model.enums import Grade

EXCELLENT_FROM = Decimal(90)
GOOD_FROM = Decimal(80)
PASS_FROM = Decimal(60)


def grade_of(score: Decimal, vetoed: bool = False) -> Grade:
    if vetoed:
        return Grade.FAIL
    if score >= EXCELLENT_FROM:
        return Grade.EXCELLENT
    if score >= GOOD_FROM:
        return Grade.GOOD
    if score >= PASS_FROM:
        return Grade.PASS
    return Grade.FAIL


def rank_key(score: Decimal, vetoed: bool) -> tuple[bool, Decimal]:
    """Sort key for ranking: members with a 一票否决 after all others, then by score, high first."""
    return (vetoed, -score)
