"""Per-day lookup tables of cached results (private).

Every day-count classifier is a step function that is constant beyond its last threshold, so the
result for each day up to that threshold is computed once and shared by every account. A column is
looked up by plain indexing into a table extended to the column's largest value, so a million
accounts cost one validation pass plus one list comprehension per view.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from autoloan.delinquency._validate import DayColumn, check_days, check_days_many

__all__ = ["DayTable", "lookup_column", "take"]

T = TypeVar("T", bound=Hashable)
U = TypeVar("U")


def lookup_column(values: tuple[U, ...] | list[U], last: U, column: DayColumn) -> list[U]:
    """``values[d]`` for each ``d`` of a validated column; ``last`` for every ``d`` past the table."""
    table = values
    if column.high >= len(table):
        table = [*values, *([last] * (column.high + 1 - len(values)))]
    array = getattr(column, "array", None)
    if array is not None:
        return take(table, array)
    return [table[d] for d in column]


def take(table: Sequence[U], array: Any) -> list[U]:
    """``[table[d] for d in array]`` for a validated numpy integer array, in numpy (same objects).

    numpy is imported here only because the caller's column already is a numpy array.
    """
    np = importlib.import_module("numpy")
    objects = np.fromiter(table, dtype=object, count=len(table))
    result: list[U] = objects.take(array.astype(np.intp, copy=False)).tolist()
    return result


#: Tables are precomputed up to this many days; a rule set with a later last threshold (a custom
#: ``loss_after_days=50_000``) computes the days past it on first use instead of up front.
PRECOMPUTE_LIMIT = 1024


class DayTable(Generic[T]):
    """``table[d]`` for ``0 <= d < cap``, ``table[cap]`` for every ``d >= cap``."""

    __slots__ = ("_cap", "_extra", "_fn", "_last", "_values")

    def __init__(self, fn: Callable[[int], T], cap: int) -> None:
        interned: dict[T, T] = {}
        size = min(cap, PRECOMPUTE_LIMIT)
        values: list[T] = [interned.setdefault(v, v) for v in map(fn, range(size + 1))]
        self._values: tuple[T, ...] = tuple(values)
        self._cap = cap
        self._last = interned.setdefault(fn(cap), fn(cap)) if cap > size else values[cap]
        self._fn = fn
        self._extra: dict[int, T] = {}

    def _beyond(self, days: int) -> T:
        """A day between the precomputed table and ``cap`` (only for very late thresholds)."""
        value = self._extra.get(days)
        if value is None:
            value = self._extra.setdefault(days, self._fn(days))
        return value

    def get(self, days: int) -> T:
        values = self._values
        if type(days) is int and 0 <= days < len(values):
            return values[days]
        d = check_days(days)
        if d < len(values):
            return values[d]
        return self._last if d >= self._cap else self._beyond(d)

    def many(self, days: Sequence[int], field: str = "days_past_due") -> list[T]:
        column = check_days_many(days, field)
        values, cap = self._values, self._cap
        if len(values) == cap + 1:
            return lookup_column(values, self._last, column)
        n = len(values)
        return [values[d] if d < n else self._last if d >= cap else self._beyond(d) for d in column]
