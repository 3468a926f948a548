"""Extension of a :class:`~autoloan.compliance.History` with later actions, without re-indexing.

The engine checks each planned action against the contact history *plus* the actions planned
before it, and the simulator appends every executed action. ``History.extended`` copies the
indexes already built and grows them, O(n) instead of a re-sort; this wrapper validates its
arguments (and re-sorts when a compliance version without ``extended`` is installed).

>>> from datetime import datetime, timezone
>>> from autoloan.compliance import Action, History
>>> base = History.from_actions([Action("call", datetime(2026, 1, 5, 15, tzinfo=timezone.utc))])
>>> more = extended(base, [Action("sms", datetime(2026, 1, 6, 15, tzinfo=timezone.utc))])
>>> len(base), len(more)
(1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable

from autoloan.compliance import Action, History
from autoloan.errors import InvalidInput

__all__ = ["extended"]


def extended(base: History, actions: Iterable[Action]) -> History:
    """``base`` plus ``actions`` as a new, indexed History (``base`` is not modified).

    Equivalent to ``History.from_actions([*base.items, *actions])``.

    >>> extended(History(), []).items
    ()
    """
    if not isinstance(base, History):
        raise InvalidInput("history", base, "must be a compliance.History")
    if isinstance(actions, str | bytes) or not isinstance(actions, Iterable):
        raise InvalidInput("actions", actions, "must be an iterable of compliance.Action")
    new = list(actions)
    for i, a in enumerate(new):
        if not isinstance(a, Action):
            raise InvalidInput(f"actions[{i}]", a, "must be a compliance.Action")
    if not new:
        return base
    grow = getattr(base, "extended", None)
    if callable(grow):
        out = grow(new)
        assert isinstance(out, History)
        return out
    return History.from_actions((*base.items, *new))  # pragma: no cover - older compliance
