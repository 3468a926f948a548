"""Per-day lookup tables of cached results (private).

Every day-count classifier is a step function that is constant beyond its last threshold, so the
result for each day up to that threshold is computed once and shared by every account.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

from autoloan.delinquency._validate import check_days, check_days_many

__all__ = ["DayTable"]

T = TypeVar("T", bound=Hashable)


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
        check_days_many(days, field)
        values, cap, last = self._values, self._cap, self._last
        return [values[d] if d <= cap else last for d in days]
