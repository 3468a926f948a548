"""Cheap extension of a :class:`~autoloan.compliance.History` with later actions.

The engine checks each planned action against the contact history *plus* the actions planned
before it, and the simulator appends every executed action; re-sorting and re-indexing the whole
history each time would cost O(n log n) per action. :func:`extended` copies the index (a few
short lists) and indexes only the new actions, which is O(n) with a small constant, and never
touches the original. Actions earlier than the history's last item fall back to a full rebuild.

>>> from datetime import datetime, timezone
>>> from autoloan.compliance import Action, History
>>> base = History.from_actions([Action("call", datetime(2026, 1, 5, 15, tzinfo=timezone.utc))])
>>> more = extended(base, [Action("sms", datetime(2026, 1, 6, 15, tzinfo=timezone.utc))])
>>> len(base), len(more)
(1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autoloan.compliance import Action, History
from autoloan.errors import InvalidInput

__all__ = ["extended"]


class _Extensible(History):
    """A History whose index can be copied and grown (same behaviour as the base class)."""

    __slots__ = ()


def _copy_index(base: History, target: History) -> bool:
    for name in getattr(History, "__slots__", ()):
        if name == "_items":
            continue
        value = getattr(base, name, None)
        if isinstance(value, dict):
            copied: dict[Any, Any] = {}
            for key, item in value.items():
                ts = getattr(item, "ts", None)
                if isinstance(ts, list):
                    clone = object.__new__(type(item))
                    clone.ts = list(ts)
                    copied[key] = clone
                elif isinstance(item, int | float | str | tuple | type(None)):
                    copied[key] = item
                else:
                    return False  # an index of an unknown shape: rebuild instead
            setattr(target, name, copied)
        elif value is not None and not isinstance(value, int | float | str | tuple):
            return False
        elif value is not None:
            setattr(target, name, value)
    return True


def extended(base: History, actions: Iterable[Action]) -> History:
    """``base`` plus ``actions`` as a new, indexed History (``base`` is not modified).

    Equivalent to ``History.from_actions([*base.items, *actions])``.
    """
    if not isinstance(base, History):
        raise InvalidInput("history", base, "must be a compliance.History")
    try:
        new = sorted(actions, key=lambda a: a.at.timestamp())
    except (AttributeError, TypeError):
        raise InvalidInput("actions", actions, "must be an iterable of compliance.Action") from None
    for i, a in enumerate(new):
        if not isinstance(a, Action):
            raise InvalidInput(f"actions[{i}]", a, "must be a compliance.Action")
    if not new:
        return base
    items = base.items
    index = getattr(History, "_index", None)
    if (items and new[0].at.timestamp() < items[-1].at.timestamp()) or index is None:
        return History.from_actions((*items, *new))
    out = _Extensible()
    if not _copy_index(base, out):
        return History.from_actions((*items, *new))
    object.__setattr__(out, "_items", (*items, *new))
    for a in new:
        index(out, a.at.timestamp(), a)
    return out
