"""Quarters of the year (pure date arithmetic)."""

from __future__ import annotations

from datetime import date, timedelta

QUARTERS = (1, 2, 3, 4)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def quarter_name(quarter: int) -> str:
    return "第" + "一二三四"[quarter - 1] + "季度"


QUARTER_GRACE = timedelta(days=30)  # a quarter is published within 30 days of its end


def year_end_due(year: int) -> date:
    """Every member graded by 10 January of the next year (policy 四(二))."""
    return date(year + 1, 1, 10)


def publicity_due(year: int, quarter: int) -> date:
    """A quarter's 公示 is due 30 days after the quarter ends; the fourth quarter's by
    10 January, since the year end needs its points."""
    return min(quarter_end(year, quarter) + QUARTER_GRACE, year_end_due(year))
