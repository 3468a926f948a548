"""Input checks shared by the delinquency modules (private)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, Currency, to_decimal

__all__ = [
    "MAX_AMOUNT",
    "check_amount",
    "check_days",
    "check_days_many",
    "check_flag",
    "check_optional_date",
    "months_between",
]

#: Largest amount accepted (10**15 major units): far above any loan, far below Decimal's limits.
MAX_AMOUNT = Decimal(10) ** 15

#: No account is more than this many days past due (about 275 years); guards against garbage input.
MAX_DAYS = 100_000


def check_days(value: Any, field: str = "days_past_due") -> int:
    """A non-negative whole number of days (``bool`` and floats are refused)."""
    if type(value) is int:
        if 0 <= value <= MAX_DAYS:
            return value
        raise InvalidInput(field, value, f"must be between 0 and {MAX_DAYS}")
    if isinstance(value, int) and not isinstance(value, bool):
        return check_days(int(value), field)
    raise InvalidInput(field, value, "must be a whole number of days (int)")


def check_days_many(values: Sequence[int], field: str = "days_past_due") -> None:
    """Validate a whole column of day counts at C speed, naming the first bad position."""
    if not values:
        return
    try:
        low, high = min(values), max(values)
    except TypeError:
        low, high = -1, -1
    # min/max accept floats mixed with ints; make sure every item is an int.
    if (
        type(low) is int
        and type(high) is int
        and low >= 0
        and high <= MAX_DAYS
        and all(type(v) is int for v in values)
    ):
        return
    for i, v in enumerate(values):
        check_days(v, f"{field}[{i}]")


def check_flag(value: Any, field: str) -> bool:
    """A real ``bool`` (a truthy string like ``"no"`` must not silently mean True)."""
    if isinstance(value, bool):
        return value
    raise InvalidInput(field, value, "must be True or False")


def check_optional_date(value: Any, field: str) -> date | None:
    """``None`` or a date."""
    if value is None:
        return None
    return coerce_date(value, field)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (floor; day of month respected, month-end safe).

    >>> from datetime import date
    >>> months_between(date(2024, 1, 31), date(2024, 2, 29))
    1
    >>> months_between(date(2024, 1, 15), date(2024, 4, 14))
    2
    """
    from autoloan.dates import add_months

    months = (end.year - start.year) * 12 + (end.month - start.month)
    if months > 0 and add_months(start, months) > end:
        months -= 1
    elif months < 0 and add_months(start, months) < end:
        months += 1
    return months


def check_amount(value: Any, field: str, cur: Currency) -> Decimal:
    """A non-negative amount below :data:`MAX_AMOUNT`, rounded half up to the currency's minor unit."""
    amount = to_decimal(value, field)
    if amount < 0:
        raise InvalidInput(field, value, "must not be negative")
    if amount >= MAX_AMOUNT:
        raise InvalidInput(field, value, f"must be less than {MAX_AMOUNT:,}")
    return amount.quantize(cur.exponent, ROUND_HALF_UP, CONTEXT)
