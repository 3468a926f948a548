"""The month counting of Appendix J and the EU calendar basis, over :mod:`autoloan.dates`' month arithmetic.

Counting *back* from a payment (App. J (b)(5)) and whole years back (Directive 2008/48/EC Annex I) stop
at the calendar's start instead of raising: a date before year 1 is reported as ``date.min``, which is
before every advance, so the count simply ends there.
"""

from __future__ import annotations

from datetime import date

from autoloan.dates import month_date

__all__ = ["add_years", "full_months", "months_back"]


def months_back(later: date, months: int, day: int | None) -> date:
    """``later`` moved back ``months`` months on day ``day`` (None: the month's last day), clamped;
    ``date.min`` before year 1."""
    total = later.year * 12 + later.month - 1 - months
    year, m0 = divmod(total, 12)
    if year < 1:
        return date.min
    if day is not None and day <= 28:  # every month has the day: no clamp, no month length needed
        return date(year, m0 + 1, day)
    return month_date(year, m0 + 1, day)


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
    """``d`` moved by ``years`` (≤ 0) years, the day clamped to the month; ``date.min`` before year 1."""
    year = d.year + years
    if year < 1:
        return date.min
    return month_date(year, d.month, d.day)
