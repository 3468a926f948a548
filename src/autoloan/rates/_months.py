"""Month arithmetic the rates package needs (Appendix J's month counting, the EU calendar basis).

A thin local stand-in: ``days_in_month`` and ``is_month_end`` belong in :mod:`autoloan.dates` (requested
from its owner); this module will then call through to them. Nothing here is public API.
"""

from __future__ import annotations

from datetime import date

__all__ = ["add_years", "days_in_month", "full_months", "is_month_end", "months_back"]

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month]


def is_month_end(d: date) -> bool:
    return d.day == days_in_month(d.year, d.month)


def months_back(later: date, months: int, day: int | None) -> date:
    """``later`` moved back ``months`` months on day ``day`` (None: the month's last day), clamped."""
    total = later.year * 12 + later.month - 1 - months
    year, m0 = divmod(total, 12)
    if year < 1:
        return date.min
    last = days_in_month(year, m0 + 1)
    return date(year, m0 + 1, last if day is None else min(day, last))


def full_months(start: date, later: date, day: int | None) -> tuple[int, date]:
    """Full months measured back from ``later`` without passing ``start`` (App. J (b)(3)(iv), (b)(5)(ii)),
    and the date they reach back to."""
    k = (later.year - start.year) * 12 + later.month - start.month
    if k <= 0:
        return 0, later
    back = months_back(later, k, day)
    if back < start:  # k months back lands in start's month; k - 1 lands in the next one
        k -= 1
        if k == 0:
            return 0, later
        back = months_back(later, k, day)
    return k, back


def add_years(d: date, years: int) -> date:
    year = d.year + years
    if year < 1:
        return date.min
    return date(year, d.month, min(d.day, days_in_month(year, d.month)))
