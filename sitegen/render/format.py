"""How numbers, dates and periods are written for readers — shared by every renderer."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sitegen.model.enums import Part
from sitegen.model.ledger import Period
from sitegen.model.scheme import Item

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def points(value: Decimal | None) -> str:
    """12, 12.5, 0 — never 12.50 or 1E+1; None as a dash."""
    if value is None:
        return "—"
    try:
        return _POINTS[value]
    except KeyError:
        pass
    except TypeError:  # a signalling NaN has no hash
        return _points(value)
    text = _POINTS[value] = _points(value)
    if len(_POINTS) > 100_000:  # a site writes a few hundred distinct values; never let it grow without end
        _POINTS.clear()
    return text


def _points(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# value -> text: equal values (2.5, 2.50) have one hash and one text, so the cache is exact
_POINTS: dict[Decimal, str] = {}


def signed(value: Decimal) -> str:
    if value > 0:
        return "+" + points(value)
    if value < 0:
        return "−" + points(-value)
    return "0"


def day(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def short_day(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.month}月{value.day}日"


def period(p: Period | None) -> str:
    if p is None:
        return ""
    if p.start.year == p.end.year:
        return f"{day(p.start)}至{short_day(p.end)}"
    return f"{day(p.start)}至{day(p.end)}"


def quarter(year: int, q: int) -> str:
    return f"{year}年{QUARTER_NAMES[q]}"


def item_points(item: Item) -> str:
    """What an item is worth per occurrence, as the board shows it."""
    if item.part is Part.VETO:
        return "一票否决"
    sign = "−" if item.part is Part.DEDUCTION else "+"
    if item.points is not None:
        return sign + points(item.points)
    return f"{sign}{points(item.min)}～{points(item.max)}"


def share(value: Decimal) -> str:
    """A percentage with one decimal, always (25.0%, 58.3%): as the 统计表 spreadsheets show
    it (number format 0.0%), so a page, its PDF and its xlsx agree."""
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
