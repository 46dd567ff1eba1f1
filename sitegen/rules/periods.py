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
