"""Per-day lookup tables of cached results (private).

Every day-count classifier is a step function that is constant beyond its last threshold, so the
result for each day up to that threshold is computed once and shared by every account. A column is
looked up by plain indexing into a table extended to the column's largest value, so a million
accounts cost one validation pass plus one list comprehension per view.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from autoloan.delinquency._validate import DayColumn, check_days, check_days_many

__all__ = ["DayTable", "lookup_column"]

T = TypeVar("T", bound=Hashable)
U = TypeVar("U")


def lookup_column(values: tuple[U, ...] | list[U], last: U, column: DayColumn) -> list[U]:
    """``values[d]`` for each ``d`` of a validated column; ``last`` for every ``d`` past the table."""
    table = values
    if column.high >= len(table):
        table = [*values, *([last] * (column.high + 1 - len(values)))]
    return [table[d] for d in column]


class DayTable(Generic[T]):
    """``table[d]`` for ``0 <= d < cap``, ``table[cap]`` for every ``d >= cap``."""

    __slots__ = ("_cap", "_last", "_values")

    def __init__(self, fn: Callable[[int], T], cap: int) -> None:
        interned: dict[T, T] = {}
        values: list[T] = [interned.setdefault(v, v) for v in map(fn, range(cap + 1))]
        self._values: tuple[T, ...] = tuple(values)
        self._cap = cap
        self._last = values[cap]

    def get(self, days: int) -> T:
        if type(days) is int and 0 <= days <= self._cap:
            return self._values[days]
        d = check_days(days)
        return self._values[d] if d <= self._cap else self._last

    def many(self, days: Sequence[int], field: str = "days_past_due") -> list[T]:
        return lookup_column(self._values, self._last, check_days_many(days, field))
