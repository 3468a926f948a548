"""Input checks shared by the delinquency modules (private).

numpy and pandas values are inputs users really pass: a ``numpy.int64`` day count is a day count,
and a numpy array or pandas Series of day counts is a column. Floats, bools and missing values
(``pd.NA``) are refused with a typed error naming the field.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, Currency, to_decimal

__all__ = [
    "MAX_AMOUNT",
    "MAX_DAYS",
    "DayColumn",
    "check_amount",
    "check_days",
    "check_days_many",
    "check_flag",
    "check_optional_date",
]

#: Largest amount accepted (10**15 major units): far above any loan, far below Decimal's limits.
MAX_AMOUNT = Decimal(10) ** 15

#: No account is more than this many days past due (about 275 years); guards against garbage input.
MAX_DAYS = 100_000


def _is_boolish(value: Any) -> bool:
    """``bool`` and ``numpy.bool_`` (which numpy lets act as an index): never a day count."""
    return isinstance(value, bool) or type(value).__name__ in ("bool_", "bool")


def check_days(value: Any, field: str = "days_past_due") -> int:
    """A non-negative whole number of days as a plain ``int``.

    ``numpy.int64`` and other integer types (anything with ``__index__``) are accepted; ``bool``,
    floats and strings are refused.
    """
    if type(value) is int:
        if 0 <= value <= MAX_DAYS:
            return value
        raise InvalidInput(field, value, f"must be between 0 and {MAX_DAYS}")
    if not _is_boolish(value) and hasattr(type(value), "__index__"):
        try:
            number = operator.index(value)
        except TypeError:
            pass
        else:
            return check_days(int(number), field)
    raise InvalidInput(field, value, "must be a whole number of days (int)")


class DayColumn(list[int]):
    """A column of day counts already validated by :func:`check_days_many` (plain ints in range).

    ``high`` is the largest value (``-1`` when empty). Functions that take a column skip their own
    validation when handed one, so a column is checked once however many views read it.

    ``array`` is the numpy integer array the column was read from (``None`` for other inputs): table
    lookups of a numpy column run in numpy (numpy is only ever used when the caller passed it).
    """

    __slots__ = ("array", "high")

    high: int
    array: Any


def _column(values: list[int], high: int, array: Any = None) -> DayColumn:
    col = DayColumn(values)
    col.high = high
    col.array = array
    return col


def _is_int_ndarray(values: Any) -> bool:
    """A one-dimensional numpy array of integers (not bools), without importing numpy."""
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    return (
        type(values).__name__ == "ndarray"
        and type(values).__module__ == "numpy"
        and kind in ("i", "u")
        and getattr(values, "ndim", 0) == 1
    )


def _int_array_of_series(values: Any) -> Any:
    """A pandas Series' numpy integer array (``None`` if it has none: other dtypes, missing values)."""
    if not type(values).__module__.startswith("pandas"):
        return None
    kind = getattr(getattr(values, "dtype", None), "kind", None)
    if kind not in ("i", "u") or not type(values.dtype).__module__.startswith("numpy"):  # not Int64
        return None
    try:
        array = values.to_numpy()
    except Exception:  # a foreign container's own failure: the generic path names it
        return None
    return array if _is_int_ndarray(array) else None


def check_days_many(values: Any, field: str = "days_past_due") -> DayColumn:
    """Validate a whole column of day counts once, naming the first bad position.

    Accepts a list or tuple of ints, a numpy integer array or a pandas integer Series (anything
    with ``tolist()``); refuses a scalar, a string, a mapping or a set with a typed error.

    >>> check_days_many([0, 45]).high
    45
    >>> check_days_many(5)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: days_past_due: must be a sequence of whole numbers of days (got 5)
    """
    if type(values) is DayColumn:
        return values
    if type(values) is not list:
        if isinstance(values, str | bytes | bytearray | dict | set | frozenset) or not (
            isinstance(values, Sequence) or hasattr(values, "tolist") or hasattr(values, "__array__")
        ):
            raise InvalidInput(field, values, "must be a sequence of whole numbers of days")
        array = _int_array_of_series(values) if type(values).__name__ == "Series" else values
        if _is_int_ndarray(array):  # numpy checks the range in C; tolist() gives plain ints
            if not len(array):
                return _column([], -1)
            low, high = int(array.min()), int(array.max())
            if low >= 0 and high <= MAX_DAYS:
                return _column(array.tolist(), high, array)
        tolist = getattr(values, "tolist", None)
        if callable(tolist) and not isinstance(values, Sequence | memoryview):
            try:
                converted = tolist()
            except Exception as exc:  # a foreign container's own failure
                raise InvalidInput(field, values, f"cannot be read as a column ({exc})") from None
            if not isinstance(converted, list):  # a 0-d array
                raise InvalidInput(field, values, "must be a sequence of whole numbers of days")
            values = converted
        else:
            values = list(values)
    if not values:
        return _column([], -1)
    if set(map(type, values)) == {int}:
        distinct = set(values)  # a book has few distinct day counts: min/max over them is free
        high = max(distinct)
        if min(distinct) >= 0 and high <= MAX_DAYS:
            return _column(values, high)
    out = [check_days(v, f"{field}[{i}]") for i, v in enumerate(values)]
    return _column(out, max(out))


def check_flag(value: Any, field: str) -> bool:
    """A real ``bool`` (``numpy.bool_`` too); a truthy string like ``"no"`` must not silently mean True."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_":
        return bool(value)
    raise InvalidInput(field, value, "must be True or False")


def check_optional_date(value: Any, field: str) -> date | None:
    """``None`` or a date."""
    if value is None:
        return None
    return coerce_date(value, field)


def check_amount(value: Any, field: str, cur: Currency) -> Decimal:
    """A non-negative amount below :data:`MAX_AMOUNT`, rounded half up to the currency's minor unit."""
    amount = to_decimal(value, field)
    if amount < 0:
        raise InvalidInput(field, value, "must not be negative")
    if amount >= MAX_AMOUNT:
        raise InvalidInput(field, value, f"must be less than {MAX_AMOUNT:,}")
    return amount.quantize(cur.exponent, ROUND_HALF_UP, CONTEXT)
