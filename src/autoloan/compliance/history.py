"""The contact history, sorted once and indexed lazily by whatever key each rule needs.

A rule declares the history it reads as a *key function*: ``key(item) -> Hashable | None`` maps
a past action to the key it is counted under (``None``: not counted). The first time a rule asks
for a key function, :class:`History` builds that index in one pass (items arrive sorted, so each
series is a sorted list of POSIX timestamps) and keeps it, so a history reused for many checks
pays once per key function and every later window count is a binary search.

>>> from datetime import datetime, timezone
>>> from autoloan.compliance.model import Action
>>> def calls_per_debt(a: Action) -> str | None:
...     return a.debt_id if a.kind.value == "call" else None
>>> h = History.from_actions([Action("call", datetime(2026, 1, 5, 15, tzinfo=timezone.utc),
...                                  debt_id="L1", outcome="no_answer")])
>>> len(h), len(h.series(calls_per_debt, "L1")), h.series(calls_per_debt, "L2")
(1, 1, ())
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence

from autoloan.compliance.model import Action
from autoloan.errors import InvalidAction

__all__ = ["EMPTY", "History", "KeyFunction"]

#: Maps a history item to the key it is counted under, or ``None`` when it is not counted.
KeyFunction = Callable[[Action], Hashable | None]

#: The empty series.
EMPTY: tuple[float, ...] = ()


def count_in(series: Sequence[float], start: float, end: float) -> int:
    """Items of the sorted ``series`` with ``start <= t < end``.

    >>> count_in([1.0, 2.0, 3.0], 2.0, 3.0)
    1
    """
    return bisect_left(series, end) - bisect_left(series, start)


def count_before(series: Sequence[float], end: float) -> int:
    """Items of the sorted ``series`` with ``t < end``.

    >>> count_before([1.0, 2.0, 3.0], 2.5)
    2
    """
    return bisect_left(series, end)


class History:
    """A contact history sorted once, with per-rule indexes built on first use.

    Items are :class:`Action` objects with an ``outcome`` (a missing outcome is treated as
    connected / delivered, the cautious reading). Rules count only items strictly before the
    checked action's time.

    >>> History.from_actions([]).items
    ()
    """

    __slots__ = ("_indexes", "_items", "_ts")

    def __init__(self) -> None:
        self._items: tuple[Action, ...] = ()
        self._ts: tuple[float, ...] = ()
        self._indexes: dict[KeyFunction, dict[Hashable, list[float]]] = {}

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[Action, ...]:
        """The history items in time order."""
        return self._items

    @classmethod
    def from_actions(cls, actions: History | Iterable[Action]) -> History:
        """Sort ``actions`` (O(n log n)); reuse the result for many checks.

        >>> len(History.from_actions(()))
        0
        """
        if isinstance(actions, History):
            return actions
        if isinstance(actions, str | bytes) or not isinstance(actions, Iterable):
            raise InvalidAction("history", actions, "must be a History or an iterable of Action")
        try:
            items = list(actions)
        except TypeError:
            raise InvalidAction("history", actions, "must be a History or an iterable of Action") from None
        for i, item in enumerate(items):
            if not isinstance(item, Action):
                raise InvalidAction(f"history[{i}]", item, "must be an Action")
        decorated = sorted(((a.at.timestamp(), i, a) for i, a in enumerate(items)), key=lambda t: t[:2])
        self = cls()
        self._items = tuple(a for _, _, a in decorated)
        self._ts = tuple(t for t, _, _ in decorated)
        return self

    def extended(self, actions: Iterable[Action]) -> History:
        """This history plus ``actions`` as a new History (this one is not modified).

        Equal to ``History.from_actions([*self.items, *actions])``, but when every new action is
        at or after the last item it costs O(n) (the indexes already built are copied and grown)
        instead of a re-sort. For the policy engine and simulators that append planned actions.

        >>> from datetime import datetime, timezone
        >>> base = History.from_actions([Action("call", datetime(2026, 1, 5, 15, tzinfo=timezone.utc))])
        >>> more = base.extended([Action("sms", datetime(2026, 1, 6, 15, tzinfo=timezone.utc))])
        >>> len(base), len(more)
        (1, 2)
        """
        added = History.from_actions(actions)
        if not added._items:
            return self
        if self._ts and added._ts[0] < self._ts[-1]:
            return History.from_actions((*self._items, *added._items))
        out = History()
        out._items = self._items + added._items
        out._ts = self._ts + added._ts
        for key, table in self._indexes.items():
            grown = {k: list(v) for k, v in table.items()}
            for ts, item in zip(added._ts, added._items, strict=True):
                k = key(item)
                if k is not None:
                    grown.setdefault(k, []).append(ts)
            out._indexes[key] = grown
        return out

    def index(self, key: KeyFunction) -> dict[Hashable, list[float]]:
        """Every key's sorted timestamps under ``key`` (built on first use, then kept).

        >>> History().index(lambda a: a.debt_id)
        {}
        """
        table = self._indexes.get(key)
        if table is None:
            table = {}
            for ts, item in zip(self._ts, self._items, strict=True):
                k = key(item)
                if k is not None:
                    series = table.get(k)
                    if series is None:
                        table[k] = [ts]
                    else:
                        series.append(ts)
            self._indexes[key] = table
        return table

    def series(self, key: KeyFunction, value: Hashable) -> Sequence[float]:
        """The sorted timestamps of the items ``key`` maps to ``value`` (empty if none)."""
        found = self.index(key).get(value)
        return found if found is not None else EMPTY
