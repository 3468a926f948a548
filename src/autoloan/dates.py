"""Dates: payment frequencies, due-date stepping and day-count conventions.

Due dates are anchored to one date and clamped to the month end, never chained
from the previous (possibly clamped) date, so a loan due on the 31st is due on
Feb 28/29 and back on Mar 31:

>>> from datetime import date
>>> from autoloan.dates import Frequency, due_dates, DayCount, year_fraction
>>> [d.isoformat() for d in due_dates(date(2024, 1, 31), 4, "monthly")]
['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']
>>> year_fraction(date(2024, 1, 1), date(2024, 7, 1), "30/360")
Decimal('0.5')
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

from autoloan._enums import parse_member
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, to_int

__all__ = [
    "ACT_ACT_BASIS",
    "DayCount",
    "Frequency",
    "add_months",
    "coerce_date",
    "day_count_basis",
    "day_count_numerator",
    "days_in_month",
    "due_dates",
    "is_month_end",
    "month_date",
    "months_between",
    "step",
    "year_fraction",
    "year_fraction_exact",
]


@dataclass(frozen=True, slots=True)
class _FrequencySpec:
    periods_per_year: int
    months: int  # > 0 for month-based frequencies
    days: int  # > 0 for day-based frequencies
    label_en: str
    label_zh: str


class Frequency(str, Enum):
    """How often installments fall due. Accepts its string value (``"monthly"``)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    FOUR_WEEKLY = "four_weekly"
    SEMI_MONTHLY = "semi_monthly"
    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"

    @property
    def _spec(self) -> _FrequencySpec:
        return _FREQ[self]

    @property
    def periods_per_year(self) -> int:
        """Installments in a year: 52, 26, 13, 24, 12, 6, 4, 2 or 1."""
        return self._spec.periods_per_year

    @property
    def months(self) -> int:
        """Months per period for month-based frequencies, else 0."""
        return self._spec.months

    @property
    def days(self) -> int:
        """Days per period for week-based frequencies, else 0 (semi-monthly: 0)."""
        return self._spec.days

    @property
    def label_en(self) -> str:
        return self._spec.label_en

    @property
    def label_zh(self) -> str:
        return self._spec.label_zh

    @property
    def offset(self) -> relativedelta:
        """One period as a ``relativedelta`` (semi-monthly: 15 days, an approximation)."""
        if self.months:
            return relativedelta(months=self.months)
        return relativedelta(days=self.days or 15)

    @classmethod
    def parse(cls, value: Frequency | str, field: str = "frequency") -> Frequency:
        """Accept a member or its value (also ``semimonthly``, ``fortnightly``, ``yearly``)."""
        return parse_member(cls, value, field, aliases=_FREQ_ALIASES)


_FREQ = {
    Frequency.WEEKLY: _FrequencySpec(52, 0, 7, "weekly", "每周"),
    Frequency.BIWEEKLY: _FrequencySpec(26, 0, 14, "every two weeks", "每两周"),
    Frequency.FOUR_WEEKLY: _FrequencySpec(13, 0, 28, "every four weeks", "每四周"),
    Frequency.SEMI_MONTHLY: _FrequencySpec(24, 0, 0, "twice a month", "每半月"),
    Frequency.MONTHLY: _FrequencySpec(12, 1, 0, "monthly", "每月"),
    Frequency.BIMONTHLY: _FrequencySpec(6, 2, 0, "every two months", "每两月"),
    Frequency.QUARTERLY: _FrequencySpec(4, 3, 0, "quarterly", "每季"),
    Frequency.SEMI_ANNUAL: _FrequencySpec(2, 6, 0, "semi-annually", "每半年"),
    Frequency.ANNUAL: _FrequencySpec(1, 12, 0, "annually", "每年"),
}
_FREQ_ALIASES = {
    "semimonthly": "semi_monthly",
    "fortnightly": "biweekly",
    "bi_weekly": "biweekly",
    "fourweekly": "four_weekly",
    "every_four_weeks": "four_weekly",
    "yearly": "annual",
    "annually": "annual",
    "semiannual": "semi_annual",
    "semi_annually": "semi_annual",
    "month": "monthly",
}


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _whole(value: Any, field: str, low: int | None = None, high: int | None = None) -> int:
    return to_int(value, field, low, high)


def _date(value: Any, field: str) -> date:
    return value if type(value) is date else coerce_date(value, field)


def days_in_month(year: int, month: int) -> int:
    """The number of days (28 to 31) in ``month`` of ``year`` (proleptic Gregorian calendar).

    >>> days_in_month(2024, 2), days_in_month(2023, 2), days_in_month(1900, 2), days_in_month(2026, 12)
    (29, 28, 28, 31)
    """
    year = _whole(year, "year", 1, 9999)
    month = _whole(month, "month", 1, 12)
    return 29 if month == 2 and _leap(year) else _MONTH_DAYS[month - 1]


def is_month_end(day: date) -> bool:
    """Whether ``day`` is the last day of its month.

    >>> is_month_end(date(2024, 2, 29)), is_month_end(date(2023, 2, 28)), is_month_end(date(2024, 2, 28))
    (True, True, False)
    """
    d = _date(day, "day")
    return d.day == (29 if d.month == 2 and _leap(d.year) else _MONTH_DAYS[d.month - 1])


def month_date(year: int, month: int, day: int | None = None) -> date:
    """The date ``day`` of ``month``, clamped to the month's length; ``day=None`` is the last day.

    This is the clamp behind every month step: the 31st of a 30-day month is its 30th.

    >>> month_date(2023, 2, 31), month_date(2024, 2, None), month_date(2026, 4, 15)
    (datetime.date(2023, 2, 28), datetime.date(2024, 2, 29), datetime.date(2026, 4, 15))
    """
    last = days_in_month(year, month)
    year, month = int(year), int(month)  # validated whole numbers (numpy integers included)
    if day is None:
        return date(year, month, last)
    day = _whole(day, "day", 1, 31)
    return date(year, month, min(day, last))


def add_months(anchor: date, months: int) -> date:
    """``anchor`` plus ``months`` calendar months, clamped to the month's last day.

    Equal to ``anchor + relativedelta(months=months)``, without the per-call cost. Step a series from
    one anchor (``add_months(anchor, k)``), never from the previous, possibly clamped, date.

    >>> add_months(date(2023, 1, 31), 1), add_months(date(2023, 1, 31), 2)
    (datetime.date(2023, 2, 28), datetime.date(2023, 3, 31))
    >>> add_months(date(2024, 3, 31), -1)
    datetime.date(2024, 2, 29)
    """
    if type(anchor) is not date:
        anchor = coerce_date(anchor, "anchor")
    if type(months) is not int:
        months = _whole(months, "months")
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise InvalidInput("months", months, f"moving {anchor.isoformat()} by it leaves the calendar")
    day = anchor.day
    if day > 28:
        last = _MONTH_DAYS[month0]
        if month0 == 1 and _leap(year):
            last = 29
        day = min(day, last)
    return date(year, month0 + 1, day)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``.

    The largest ``k`` with ``add_months(start, k) <= end``; negative when ``end`` is before ``start``
    (then the smallest ``k`` with ``add_months(start, k) >= end``).
    Month-end safe: Jan 31 to Feb 29 is one month, as ``add_months`` clamps.

    >>> months_between(date(2024, 1, 31), date(2024, 2, 29))
    1
    >>> months_between(date(2024, 1, 15), date(2024, 4, 14))
    2
    >>> months_between(date(2024, 4, 14), date(2024, 1, 15))
    -2
    """
    a = _date(start, "start")
    b = _date(end, "end")
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if months > 0 and add_months(a, months) > b:
        months -= 1
    elif months < 0 and add_months(a, months) < b:
        months += 1
    return months


def step(anchor: date, k: int, frequency: Frequency | str = Frequency.MONTHLY) -> date:
    """The date ``k`` periods after ``anchor``, always computed from the anchor.

    Semi-monthly dates alternate between the anchor's day and 15 days later
    (anchor 1st → 1st/16th; anchor 15th → 15th/30th, Feb 28/29; anchor 31st →
    31st/16th of the next month).

    >>> step(date(2024, 1, 15), 3, "semi_monthly")
    datetime.date(2024, 2, 29)
    """
    freq = frequency if isinstance(frequency, Frequency) else Frequency.parse(frequency)
    if type(anchor) is not date:
        anchor = coerce_date(anchor, "anchor")
    if type(k) is not int:
        k = _whole(k, "k")
    spec = _FREQ[freq]
    try:
        if spec.months:
            return add_months(anchor, k * spec.months)
        if spec.days:
            return anchor + timedelta(days=k * spec.days)
        half, odd = divmod(k, 2)
        base = add_months(anchor, half)
        if not odd:
            return base
        if anchor.day <= 15:
            last = calendar.monthrange(base.year, base.month)[1]
            return base.replace(day=min(anchor.day + 15, last))
        nxt = add_months(date(base.year, base.month, 1), 1)
        return nxt.replace(day=anchor.day - 15)
    except (OverflowError, InvalidInput):
        raise InvalidInput(
            "k", k, f"moving {anchor.isoformat()} by {k} periods leaves the calendar"
        ) from None


def due_dates(
    first_due: date, count: int, frequency: Frequency | str = Frequency.MONTHLY, *, skip: int = 0
) -> list[date]:
    """``count`` due dates anchored to ``first_due`` (periods ``skip`` … ``skip + count - 1`` from it).

    >>> [d.isoformat() for d in due_dates(date(2024, 1, 31), 3, "monthly", skip=1)]
    ['2024-02-29', '2024-03-31', '2024-04-30']
    """
    freq = frequency if isinstance(frequency, Frequency) else Frequency.parse(frequency)
    if type(first_due) is not date:
        first_due = coerce_date(first_due, "first_due")
    if type(count) is not int or count < 0:
        count = _whole(count, "count", 0)
    if type(skip) is not int:
        skip = _whole(skip, "skip")
    months = _FREQ[freq].months
    if not months:
        if count:  # the last date first: refuses a series that leaves the calendar before building it
            try:
                step(first_due, skip + count - 1, freq)
                step(first_due, skip, freq)
            except InvalidInput:
                raise InvalidInput("count", count, f"{count} periods leave the calendar") from None
        return [step(first_due, k, freq) for k in range(skip, skip + count)]
    # The hot path of every monthly schedule: walk (year, month) and clamp, no per-date calls.
    day = first_due.day
    start = first_due.year * 12 + first_due.month - 1 + skip * months
    end = start + (count - 1) * months
    if count and not (start // 12 >= 1 and end // 12 <= 9999):
        raise InvalidInput("count", count, f"{count} periods from {first_due.isoformat()} leave the calendar")
    year, month0 = divmod(start, 12)
    if day <= 28:  # no clamping needed: the common case
        out = []
        for _ in range(count):
            out.append(date(year, month0 + 1, day))
            month0 += months
            if month0 >= 12:
                year += month0 // 12
                month0 %= 12
        return out
    out = []
    for _ in range(count):
        d = day
        last = _MONTH_DAYS[month0]
        if month0 == 1 and _leap(year):
            last = 29
        if d > last:
            d = last
        out.append(date(year, month0 + 1, d))
        month0 += months
        if month0 >= 12:
            year += month0 // 12
            month0 %= 12
    return out


class DayCount(str, Enum):
    """Day-count conventions for interest between two dates."""

    THIRTY_360 = "30/360"  # US (NASD/bond basis)
    THIRTY_E_360 = "30E/360"  # Eurobond basis
    ACT_360 = "ACT/360"
    ACT_365F = "ACT/365F"
    ACT_ACT = "ACT/ACT"  # ISDA

    @property
    def label_en(self) -> str:
        return _DC_LABELS[self][0]

    @property
    def label_zh(self) -> str:
        return _DC_LABELS[self][1]

    @classmethod
    def parse(cls, value: DayCount | str, field: str = "day_count") -> DayCount:
        """Accept a member or its value, case-insensitive (``act/365`` means ACT/365F)."""
        return parse_member(
            cls, value, field, aliases=_DC_ALIASES, key=lambda text: text.strip().upper().replace(" ", "")
        )

    @property
    def basis(self) -> int:
        """The denominator of this convention's year fractions: 360, 365, or 365 × 366 for ACT/ACT.

        ``year_fraction_exact(a, b, dc) == Fraction(dc.numerator(a, b), dc.basis)`` exactly.
        """
        if self is DayCount.ACT_365F:
            return 365
        if self is DayCount.ACT_ACT:
            return ACT_ACT_BASIS
        return 360

    def days(self, start: date, end: date) -> int:
        """Day count numerator between two dates (30-day months for the 30/360 family)."""
        if self in (DayCount.THIRTY_360, DayCount.THIRTY_E_360):
            d1, d2 = start.day, end.day
            if self is DayCount.THIRTY_360:
                # 30/360 US bond basis (ISDA 2006 section 4.16(f)): D1 31 -> 30; D2 31 -> 30 if D1 >= 30.
                if d1 == 31:
                    d1 = 30
                if d2 == 31 and d1 >= 30:
                    d2 = 30
            else:
                # 30E/360 (ISDA 2006 section 4.16(g)): both 31sts become 30.
                d1, d2 = min(d1, 30), min(d2, 30)
            return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)
        return (end - start).days

    def numerator(self, start: date, end: date) -> int:
        """The year fraction from ``start`` to ``end`` in units of ``1 / basis`` (an exact integer).

        Days for the 30/360 family, ACT/360 and ACT/365F; for ACT/ACT (ISDA) each day counts
        ``basis / length of its year`` (366 in a 365-day year, 365 in a leap year). Negative if reversed.
        """
        if end < start:
            return -self.numerator(end, start)
        if self is not DayCount.ACT_ACT:
            return self.days(start, end)
        y1, y2 = start.year, end.year
        w1 = 365 if _leap(y1) else 366  # basis / length of start's year
        if y1 == y2:
            return (end.toordinal() - start.toordinal()) * w1
        first = (date(y1, 12, 31).toordinal() + 1 - start.toordinal()) * w1
        last = (end.toordinal() - date(y2, 1, 1).toordinal()) * (365 if _leap(y2) else 366)
        return first + (y2 - y1 - 1) * ACT_ACT_BASIS + last

    def fraction(self, start: date, end: date) -> Fraction:
        """The exact year fraction from ``start`` to ``end`` (negative if reversed)."""
        if end < start:
            return -self.fraction(end, start)
        if self is DayCount.ACT_ACT:
            return Fraction(self.numerator(start, end), ACT_ACT_BASIS)
        return Fraction(self.days(start, end), 365 if self is DayCount.ACT_365F else 360)


#: The common denominator of ACT/ACT (ISDA) year fractions: a day is 1/365 or 1/366 of a year.
ACT_ACT_BASIS = 365 * 366


def day_count_basis(day_count: DayCount | str) -> int:
    """The denominator of a convention's year fractions (see :func:`day_count_numerator`).

    >>> day_count_basis("30/360"), day_count_basis("ACT/365F"), day_count_basis("ACT/ACT")
    (360, 365, 133590)
    """
    return DayCount.parse(day_count).basis


def day_count_numerator(start: date, end: date, day_count: DayCount | str = DayCount.THIRTY_360) -> int:
    """The year fraction from ``start`` to ``end`` as an integer over :func:`day_count_basis`.

    Interest for the period is ``balance × annual_rate × numerator / basis`` exactly; accrual engines
    keep the numerator as an integer and divide once. Negative when ``end`` is before ``start``.

    >>> day_count_numerator(date(2024, 1, 31), date(2024, 3, 1), "30/360")
    31
    >>> day_count_numerator(date(2023, 12, 31), date(2024, 1, 2), "ACT/ACT")  # 1/365 + 1/366
    731
    """
    dc = DayCount.parse(day_count)
    return dc.numerator(_date(start, "start"), _date(end, "end"))


_DC_LABELS = {
    DayCount.THIRTY_360: ("30/360 (US)", "30/360（美式）"),
    DayCount.THIRTY_E_360: ("30E/360", "30E/360（欧式）"),
    DayCount.ACT_360: ("actual/360", "实际天数/360"),
    DayCount.ACT_365F: ("actual/365 fixed", "实际天数/365"),
    DayCount.ACT_ACT: ("actual/actual (ISDA)", "实际天数/实际天数"),
}
_DC_ALIASES = {
    "30/360US": "30/360",
    "30U/360": "30/360",
    "30/360BOND": "30/360",
    "30E/360EUROBOND": "30E/360",
    "ACT/365": "ACT/365F",
    "ACT/365FIXED": "ACT/365F",
    "ACTUAL/365": "ACT/365F",
    "ACTUAL/360": "ACT/360",
    "ACTUAL/ACTUAL": "ACT/ACT",
    "ACT/ACTISDA": "ACT/ACT",
}


def year_fraction_exact(start: date, end: date, day_count: DayCount | str = DayCount.THIRTY_360) -> Fraction:
    """The exact year fraction as a :class:`fractions.Fraction`.

    >>> year_fraction_exact(date(2024, 1, 1), date(2024, 1, 31), "ACT/365F")
    Fraction(6, 73)
    """
    dc = DayCount.parse(day_count)
    return dc.fraction(_date(start, "start"), _date(end, "end"))


def year_fraction(start: date, end: date, day_count: DayCount | str = DayCount.THIRTY_360) -> Decimal:
    """The year fraction as a Decimal (50 significant digits).

    >>> year_fraction(date(2023, 12, 1), date(2024, 2, 1), "ACT/ACT")
    Decimal('0.16963096040122763679916161389325548319484991391571')
    """
    frac = year_fraction_exact(start, end, day_count)
    return CONTEXT.divide(Decimal(frac.numerator), Decimal(frac.denominator))


def coerce_date(value: Any, field: str, error: type[InvalidInput] = InvalidInput) -> date:
    """Accept a ``date`` (not a ``datetime``) or an ISO ``YYYY-MM-DD`` string; else raise ``error``.

    >>> coerce_date("2026-01-31", "start")
    datetime.date(2026, 1, 31)
    """
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise error(field, value, "must be a date, not a datetime")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise error(field, value, "must be a date (datetime.date or 'YYYY-MM-DD')")
