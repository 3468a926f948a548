"""Evaluating a rule set on a context (with house-policy relabelling) and the next-permitted search.

A finding from a rule that does not bind the collector is house policy: it is marked
``binding=False`` and weighs as the rule's ``house_policy`` says (``as_written`` keeps its
severity, ``off`` drops it).

>>> from datetime import datetime, timezone
>>> from autoloan.compliance.model import Action, Borrower
>>> from autoloan.compliance.history import History
>>> from autoloan.compliance.rule import Context
>>> noon = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
>>> ctx = Context(Action("call", noon), Borrower("GB"), None, History())
>>> evaluate_all((), ctx)
[]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from autoloan.compliance.history import History
from autoloan.compliance.model import (
    Account,
    Action,
    ActionKind,
    Borrower,
    Collector,
    Finding,
    HousePolicy,
    Severity,
)
from autoloan.compliance.rule import Context, Rule

__all__ = ["MAX_STEPS", "by_kind", "evaluate_all", "first_block", "next_permitted"]

#: The next-permitted search gives up (``None``) after this many jumps.
MAX_STEPS = 64

_DISPATCH: dict[int, tuple[Sequence[Rule], dict[ActionKind, tuple[Rule, ...]]]] = {}
_Entry = tuple[Rule, Callable[[Context], Iterable[Finding]], date | None, date | None, frozenset[Collector]]
_PLANS: dict[int, tuple[Sequence[Rule], dict[ActionKind, tuple[_Entry, ...]]]] = {}
_HOUSE = {
    HousePolicy.BLOCK: Severity.BLOCK,
    HousePolicy.REVIEW: Severity.REVIEW,
    HousePolicy.WARN: Severity.WARN,
}


def by_kind(rules: Sequence[Rule]) -> dict[ActionKind, tuple[Rule, ...]]:
    """The rules that look at each action kind, in order (cached per rule-set object)."""
    entry = _DISPATCH.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    table = {kind: tuple(r for r in rules if not r.kinds or kind in r.kinds) for kind in ActionKind}
    if len(_DISPATCH) > 256:
        _DISPATCH.clear()
    _DISPATCH[id(rules)] = (rules, table)
    return table


def _plan(rules: Sequence[Rule]) -> dict[ActionKind, tuple[_Entry, ...]]:
    """Per action kind, each rule with its bound ``evaluate``, dates and binds (cached per rule set)."""
    entry = _PLANS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    table: dict[ActionKind, tuple[_Entry, ...]] = {
        kind: tuple((r, r.evaluate, r.effective_from, r.effective_to, r.binds) for r in picked)
        for kind, picked in by_kind(rules).items()
    }
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, table)
    return table


def is_known(rules: Sequence[Rule]) -> bool:
    """True when ``rules`` (this very object) was dispatched before, so it was validated."""
    entry = _DISPATCH.get(id(rules))
    return entry is not None and entry[0] is rules


def _house(rule: Rule, found: Sequence[Finding]) -> list[Finding]:
    policy = rule.house_policy
    if policy is HousePolicy.OFF:
        return []
    severity = _HOUSE.get(policy)
    return [dataclasses.replace(f, binding=False, severity=severity or f.severity) for f in found]


def evaluate_all(rules: Sequence[Rule], ctx: Context) -> list[Finding]:
    """Every finding of ``rules`` in force on the context's day, house policy relabelled."""
    day = ctx.day
    collector = ctx.collector
    out: list[Finding] = []
    for rule, evaluate, start, end, binds in _plan(rules)[ctx.action.kind]:
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        found = evaluate(ctx)
        if found:
            if collector in binds:
                out.extend(found)
            else:
                out.extend(_house(rule, list(found)))
    return out


def first_block(rules: Sequence[Rule], ctx: Context) -> Finding | None:
    """The first blocking finding in rule order, or None (the search does not need the others)."""
    day = ctx.day
    collector = ctx.collector
    for rule, evaluate, start, end, binds in _plan(rules)[ctx.action.kind]:
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        found = evaluate(ctx)
        if not found:
            continue
        if collector not in binds:
            found = _house(rule, list(found))
        for f in found:
            if f.severity is Severity.BLOCK:
                return f
    return None


def next_permitted(
    action: Action,
    blocks: Sequence[Finding],
    rules: Sequence[Rule],
    borrower: Borrower,
    account: Account | None,
    hist: History,
    collector: Collector,
) -> datetime | None:
    """Search the earliest passing time.

    Each blocking finding's ``retry_at`` is the earliest time that finding could clear, so no
    earlier time can pass: jumping to it never skips a passing time. From the latest retry of the
    first verdict, the search re-checks, stops at the first blocking finding, jumps to its
    ``retry_at`` and repeats; it ends at a time where no rule blocks, or with ``None`` when a
    blocking finding says waiting does not help (or after :data:`MAX_STEPS` jumps).
    """
    tz = action.at.tzinfo
    at = action.at
    retries = [f.retry_at for f in blocks]
    if any(r is None for r in retries):
        return None
    nxt: datetime | None = max(r for r in retries if r is not None)
    for _ in range(MAX_STEPS):
        if nxt is None or nxt <= at:  # waiting does not help, or a rule that cannot move forward
            return None
        at = nxt.astimezone(tz)
        try:
            ctx = Context(action, borrower, account, hist, at, collector)
        except (OverflowError, ValueError):  # searched past the calendar's end
            return None
        block = first_block(rules, ctx)
        if block is None:
            return at
        nxt = block.retry_at
    return None
