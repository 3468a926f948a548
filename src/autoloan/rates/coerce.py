"""Input coercion for the rates calculators: dated pairs, amount lists, whole numbers, frequencies.

Each function either returns normalised values or raises :class:`~autoloan.errors.InvalidInput` naming
the field (``payments[3].amount``) and the value as given. The common exact inputs (lists of
``(date, Decimal)`` tuples, lists of ``int``/``Decimal``) are checked with C-level passes first.

>>> from datetime import date
>>> dated_pairs([("2026-01-15", "100.50")], "payments")
[(datetime.date(2026, 1, 15), Decimal('100.50'))]
>>> amount_list([-100, "39.5"], "cashflows")
[Decimal('-100'), Decimal('39.5')]
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from autoloan.dates import Frequency, coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import to_decimal
from autoloan.rates._guard import typed_errors

__all__ = [
    "MAX_TERM",
    "amount_list",
    "choice",
    "dated_pairs",
    "flag",
    "frequency_per_year",
    "split_distinct",
    "split_pairs",
    "whole_number",
]

#: The most payments a term may have (solve_term refuses to count further).
MAX_TERM = 100_000
_TUPLE_ONLY = {tuple}
_DECIMAL_ONLY = {Decimal}
_PLAIN_NUMBERS = {Decimal, int}
_DATE_ONLY = {date}


@typed_errors
def split_pairs(values: Any) -> tuple[tuple[date, ...], tuple[Decimal, ...]] | None:
    """(dates, amounts) of a list or tuple of ``(date, amount)`` tuples whose amounts are finite Decimals
    or ints (made Decimals, exactly as :func:`~autoloan.money.to_decimal` does), checked without a Python
    loop; None for anything else (then :func:`dated_pairs` validates item by item and names the bad one).

    >>> from datetime import date
    >>> split_pairs([(date(2026, 1, 1), -100), (date(2026, 2, 1), Decimal("101"))])
    ((datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)), (Decimal('-100'), Decimal('101')))
    >>> split_pairs([("2026-01-01", 100)]) is None
    True
    """
    if type(values) is not list and type(values) is not tuple:
        return None
    try:
        if set(map(type, values)) != _TUPLE_ONLY:
            return None
        dates, amounts = zip(*values, strict=True)
    except ValueError:
        return None
    if set(map(type, dates)) != _DATE_ONLY:
        return None
    kinds = set(map(type, amounts))
    if kinds != _DECIMAL_ONLY:
        if not kinds <= _PLAIN_NUMBERS:
            return None
        amounts = tuple(map(Decimal, amounts))  # ints (never bools: type() is exact) are exact
    if not all(map(Decimal.is_finite, amounts)):
        return None
    return dates, amounts


def split_distinct(values: Any) -> tuple[list[date], list[Decimal]] | None:
    """(dates, amounts) of a list or tuple of ``(date, finite Decimal)`` tuples with distinct dates, as
    :func:`split_pairs` but through a dict (one C-level pass that also proves the dates distinct); None
    for anything else, and nothing is consumed or changed (the items are tuples). It raises nothing (every
    step that could fail on a foreign value is caught), so it needs no :func:`typed_errors` guard.

    >>> from datetime import date
    >>> split_distinct([(date(2026, 2, 1), Decimal(10)), (date(2026, 3, 1), Decimal(10))])
    ([datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)], [Decimal('10'), Decimal('10')])
    """
    if type(values) is not list and type(values) is not tuple:
        return None
    if set(map(type, values)) != _TUPLE_ONLY:
        return None
    try:
        by_date = dict(values)  # ValueError unless every tuple is a pair
    except Exception:  # an unhashable (or oddly hashing) first item: the general path names the problem
        return None
    if len(by_date) != len(values) or set(map(type, by_date)) != _DATE_ONLY:
        return None
    amounts = list(by_date.values())
    try:
        if not all(map(Decimal.is_finite, amounts)):  # TypeError when one is not a Decimal
            return None
    except TypeError:
        return None
    return list(by_date), amounts


@typed_errors
def dated_pairs(values: Any, field: str) -> list[tuple[date, Decimal]]:
    """Validated ``(date, Decimal)`` pairs of a sequence, naming the bad item (``payments[3].amount``).

    >>> dated_pairs([("2026-01-15", 100)], "payments")
    [(datetime.date(2026, 1, 15), Decimal('100'))]
    """
    split = split_pairs(values)
    if split is not None:
        return list(zip(*split, strict=True))
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(field, values, "must be a sequence of (date, amount) pairs")
    out: list[tuple[date, Decimal]] = []
    for i, item in enumerate(values):
        try:
            when, amount = item
        except (TypeError, ValueError):
            raise InvalidInput(f"{field}[{i}]", item, "must be a (date, amount) pair") from None
        if type(when) is not date:
            when = coerce_date(when, f"{field}[{i}].date")
        if type(amount) is not Decimal or not amount.is_finite():
            amount = to_decimal(amount, f"{field}[{i}].amount")
        out.append((when, amount))
    return out


@typed_errors
def amount_list(values: Any, field: str) -> list[Decimal]:
    """Validated Decimal amounts of a sequence (numpy arrays and pandas Series included).

    >>> amount_list([-100, "39.5"], "cashflows")
    [Decimal('-100'), Decimal('39.5')]
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise InvalidInput(field, values, "must be a sequence of amounts")
    if type(values) is list or type(values) is tuple:
        kinds = set(map(type, values))
        if kinds <= _PLAIN_NUMBERS:  # Decimal and int (not bool): Decimal(x) is what to_decimal gives
            out = list(map(Decimal, values))
            if all(map(Decimal.is_finite, out)):
                return out
    return [to_decimal(v, f"{field}[{i}]") for i, v in enumerate(values)]


@typed_errors
def whole_number(value: Any, field: str, low: int, high: int) -> int:
    """``value`` as an int in ``[low, high]``: an int (not a bool) or a numpy integer scalar.

    >>> whole_number(36, "term", 1, 100000)
    36
    """
    if isinstance(value, bool) or not isinstance(value, int):
        given: Any = value
        numpy_int = type(given).__module__ == "numpy" and getattr(given, "shape", None) == ()
        if not (numpy_int and given.dtype.kind in "iu"):
            raise InvalidInput(field, value, "must be a whole number")
        value = int(given)
    if not low <= value <= high:
        raise InvalidInput(field, value, f"must be between {low} and {high}")
    return int(value)


@typed_errors
def frequency_per_year(value: Any, field: str = "periods_per_year") -> int:
    """Periods a year from a frequency name or a whole number of periods (1 to 366).

    >>> frequency_per_year("quarterly"), frequency_per_year(26)
    (4, 26)
    """
    if isinstance(value, (Frequency, str)):
        return Frequency.parse(value, field).periods_per_year
    return whole_number(value, field, 1, 366)


@typed_errors
def choice(value: Any, options: tuple[str, ...], field: str) -> str:
    """One of ``options`` (strings), compared as a string: anything else is refused with the options.

    >>> choice("term", ("year", "term", "period"), "per")
    'term'
    """
    if not isinstance(value, str) or value not in options:
        raise InvalidInput(field, value, "use one of " + ", ".join(options))
    return value


@typed_errors
def flag(value: Any, field: str) -> bool:
    """A yes/no option: ``True``/``False`` (or a numpy bool); anything else is refused, never guessed.

    >>> flag(True, "effective"), flag(False, "irregular")
    (True, False)
    >>> flag("no", "effective")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: effective: must be True or False (got 'no')
    """
    if value is True or value is False:
        return value
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == () and value.dtype.kind == "b":
        return bool(value)
    raise InvalidInput(field, value, "must be True or False")


#: The examples of the guarded functions (doctest does not look inside a wrapper from another module).
__test__ = {
    fn.__name__: fn
    for fn in (
        split_pairs,
        dated_pairs,
        amount_list,
        whole_number,
        frequency_per_year,
        choice,
        flag,
    )
}
