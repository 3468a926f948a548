"""The checker: ``check`` and ``with_overrides``.

The other parts live in their own modules: :mod:`.history` (the lazily indexed contact
history), :mod:`.rule` (the ``Rule`` base class and ``Context``), :mod:`.registry` (packs by
jurisdiction), :mod:`._search` (evaluation and the next-permitted search) and :mod:`.report`
(Markdown tables). Their public names are re-exported here for callers of earlier versions.

``check`` is pure and fast: a :class:`History` is built once (sorted) and each rule's index is
built on first use, so every frequency rule answers with a binary search and a check costs
O(R log n) for R rules and n history items. Passing a plain list also works (it is sorted on the
fly), so callers that check many actions should build the ``History`` once.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from autoloan.compliance import Action, Borrower, check
>>> ny = ZoneInfo("America/New_York")
>>> v = check(Action("call", datetime(2026, 3, 2, 7, 30, tzinfo=ny), debt_id="L1"),
...           history=[], borrower=Borrower("US", timezones=("America/New_York",)))
>>> v.allowed, v.next_permitted.isoformat()
(False, '2026-03-02T08:00:00-05:00')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autoloan.compliance._search import evaluate_all, is_known, next_permitted
from autoloan.compliance.history import History
from autoloan.compliance.model import (
    Account,
    Action,
    Borrower,
    Collector,
    HousePolicy,
    Severity,
    Verdict,
)
from autoloan.compliance.registry import REGISTRY, Registry, register_pack, rules_for
from autoloan.compliance.report import rules_table
from autoloan.compliance.rule import Context, Rule
from autoloan.errors import InvalidAction, InvalidInput

__all__ = [
    "REGISTRY",
    "Context",
    "History",
    "Registry",
    "Rule",
    "check",
    "register_pack",
    "rules_for",
    "rules_table",
    "with_overrides",
]


def with_overrides(rules: Sequence[Rule], overrides: Mapping[str, Mapping[str, Any]]) -> tuple[Rule, ...]:
    """``rules`` with parameters replaced per rule id (a stricter lender policy).

    Every override is validated here, not later inside ``check``: an unknown rule id or
    parameter, or a value of the wrong type or range, is reported with its path
    (``overrides['US.REGF.1006.14(b)'].max_calls``), all errors at once. The key ``"*"`` sets a
    parameter on every rule that has it; ``house_policy`` (every rule has it) sets how findings
    weigh when the rule does not bind the collector: ``as_written``, ``block``, ``review``,
    ``warn`` or ``off``.

    >>> from autoloan.compliance import rules_for
    >>> strict = with_overrides(rules_for("US"), {"US.REGF.1006.14(b)": {"max_calls": 3}})
    >>> [r.parameters()["max_calls"] for r in strict if r.rule_id == "US.REGF.1006.14(b)"]
    [3]
    >>> with_overrides(rules_for("US"), {"US.REGF.1006.6(b)(1)(i)": {"end": "20:00"}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidAction: overrides['US.REGF.1006.6(b)(1)(i)'].end: must be a naive ... (got '20:00')
    """
    if isinstance(rules, Rule) or not isinstance(rules, Sequence) or isinstance(rules, str):
        raise InvalidAction("rules", rules, "must be a sequence of Rule")
    if not isinstance(overrides, Mapping):
        raise InvalidAction("overrides", overrides, "must be a mapping of rule id to parameters")
    errors: list[InvalidInput] = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, Rule):
            errors.append(InvalidAction(f"rules[{i}]", rule, "must be a Rule"))
    if errors:
        raise InvalidAction.collect(errors)
    known = {r.rule_id for r in rules}
    for rid, given in overrides.items():
        if rid != "*" and rid not in known:
            errors.append(InvalidAction("overrides", rid, "no such rule id in the rule set"))
        elif not isinstance(given, Mapping):
            errors.append(InvalidAction(f"overrides[{rid!r}]", given, "must be a mapping of parameters"))
    if errors:
        raise InvalidAction.collect(errors)
    star = overrides.get("*", {})
    out: list[Rule] = []
    for rule in rules:
        params = rule.parameters()
        changes: dict[str, Any] = {k: v for k, v in star.items() if k in params or k == "house_policy"}
        own = overrides.get(rule.rule_id, {})
        where = f"overrides[{rule.rule_id!r}]"
        for name, value in own.items():
            if name not in params and name != "house_policy":
                errors.append(InvalidAction(f"{where}.{name}", name, "no such parameter"))
            else:
                changes[name] = value
        if not changes:
            out.append(rule)
            continue
        if "house_policy" in changes:
            try:
                changes["house_policy"] = HousePolicy(_policy(changes["house_policy"]))
            except InvalidAction as exc:
                errors.append(exc.prefixed("overrides", rule.rule_id))
                continue
        try:
            new = dataclasses.replace(rule, **changes)
        except InvalidAction as exc:
            errors.append(exc.prefixed("overrides", rule.rule_id))
            continue
        except (TypeError, ValueError) as exc:
            errors.append(InvalidAction(f"{where}", dict(changes), f"cannot apply: {exc}"))
            continue
        out.append(new)
    if errors:
        raise InvalidAction.collect(errors)
    return tuple(out)


def _policy(value: Any) -> str:
    if isinstance(value, Severity):
        value = value.value
    if isinstance(value, HousePolicy):
        return value.value
    if isinstance(value, str) and value.strip().lower() in {p.value for p in HousePolicy}:
        return value.strip().lower()
    raise InvalidAction("house_policy", value, "use as_written, block, review, warn or off")


def check(
    action: Action,
    *,
    history: History | Iterable[Action] = (),
    borrower: Borrower,
    account: Account | None = None,
    rules: Sequence[Rule] | None = None,
    collector: Collector | str | None = None,
) -> Verdict:
    """Is ``action`` allowed now? Returns a :class:`Verdict` with findings and ``next_permitted``.

    ``rules`` defaults to the registry's rules for ``borrower.jurisdiction``. ``collector`` (or
    ``action.collector``) says who acts: ``creditor`` (a lender or servicer collecting its own
    loans), ``debt_collector`` (the default: the role bound by the most rules) or
    ``repossession_agent``. Findings from rules that do not bind this collector are house policy
    (``Finding.binding`` False). When the action is blocked, ``next_permitted`` is found by
    moving the action to the latest ``retry_at`` of the blocking findings and checking again,
    until it passes (or a blocking finding says that waiting does not help, giving ``None``).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from autoloan.compliance import Action, Borrower
    >>> sh = ZoneInfo("Asia/Shanghai")
    >>> v = check(Action("call", datetime(2026, 3, 2, 22, 30, tzinfo=sh)), borrower=Borrower("CN"))
    >>> v.allowed, v.next_permitted.isoformat()
    (False, '2026-03-03T08:00:00+08:00')
    """
    if not isinstance(action, Action):
        raise InvalidAction("action", action, "must be an Action")
    if not isinstance(borrower, Borrower):
        raise InvalidAction("borrower", borrower, "must be a Borrower")
    if account is not None and not isinstance(account, Account):
        raise InvalidAction("account", account, "must be an Account or None")
    if collector is not None:
        who = Collector.parse(collector, "collector")
    elif action.collector is not None:
        who = action.collector
    else:
        who = Collector.DEBT_COLLECTOR
    if rules is None:
        rules = REGISTRY.rules_for(borrower.jurisdiction)
    elif not is_known(rules):  # not seen before: validate once
        if isinstance(rules, Rule | str) or not isinstance(rules, Sequence):
            raise InvalidAction("rules", rules, "must be a sequence of Rule")
        for i, rule in enumerate(rules):
            if not isinstance(rule, Rule):
                raise InvalidAction(f"rules[{i}]", rule, "must be a Rule")
            if type(rule).evaluate is Rule.evaluate:
                raise InvalidAction(f"rules[{i}]", rule, "the rule does not override evaluate()")
    hist = history if isinstance(history, History) else History.from_actions(history)
    ctx = Context(action, borrower, account, hist, None, who)
    findings = evaluate_all(rules, ctx)
    blocks = [f for f in findings if f.severity is Severity.BLOCK]
    if not blocks:
        return Verdict(True, tuple(findings), action.at, None, who)
    rule_set = rules
    return Verdict(
        False,
        tuple(findings),
        None,
        lambda: next_permitted(action, blocks, rule_set, borrower, account, hist, who),
        who,
    )
