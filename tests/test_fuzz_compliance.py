"""Fuzz of autoloan.compliance: only typed errors, never a hang.

Every public callable of the compliance modules (value objects, ``check``, ``with_overrides``,
the registry, the tables and every rule class of every jurisdiction module) is called through
:func:`fuzzkit.call` with hostile values mixed into otherwise valid arguments. Rule classes that
build are then run by ``check`` on valid actions of every kind, so their ``evaluate`` is reached.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autoloan.compliance
from autoloan.compliance import (
    REGISTRY,
    Account,
    Action,
    ActionKind,
    Borrower,
    Registry,
    Rule,
    check,
    coverage_table,
    register_pack,
    rules_for,
    rules_table,
    with_overrides,
)
from autoloan.compliance.registry import register_module
from autoloan.compliance.rules import register_builtin
from autoloan.errors import AutoloanError
from fuzzkit import call as _fuzz_call
from fuzzkit import hostile, hostile_dates

#: Calls made through the harness in this module (printed with ``-s`` at the end of the module).
CALLS = [0]


def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    CALLS[0] += 1
    return _fuzz_call(fn, *args, **kwargs)


@pytest.fixture(scope="module", autouse=True)
def _count_calls() -> Iterator[None]:
    yield
    print(f"\ntest_fuzz_compliance: {CALLS[0]} fuzzed calls")


NY = ZoneInfo("America/New_York")


def _public() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for info in pkgutil.walk_packages(autoloan.compliance.__path__, "autoloan.compliance."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) or (
                inspect.isclass(obj) and not issubclass(obj, Enum | BaseException)
            ):
                out[f"{obj.__module__}.{obj.__qualname__}"] = obj
    for name in autoloan.compliance.__all__:
        obj = getattr(autoloan.compliance, name)
        if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, Enum | BaseException)):
            out[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return out


PUBLIC = _public()
FUZZED = set(PUBLIC)
RULE_CLASSES = sorted(n for n, o in PUBLIC.items() if inspect.isclass(o) and issubclass(o, Rule))
SPECIAL = {
    "autoloan.compliance.registry.register_pack",  # would register junk in the shared registry
    "autoloan.compliance.registry.register_module",
    "autoloan.compliance.rules.register_builtin",
}
PLAIN = sorted(n for n in PUBLIC if n not in RULE_CLASSES and n not in SPECIAL)
NOON = datetime(2026, 3, 2, 12, tzinfo=NY)


def _arity(fn: Any) -> tuple[int, int, list[str]]:
    params = list(inspect.signature(fn).parameters.values())
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    keyword = [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    return len(required), len(positional), keyword


@given(st.sampled_from(PLAIN), st.data())
def test_public_callables_take_hostile_arguments(name: str, data: st.DataObject) -> None:
    fn = PUBLIC[name]
    low, high, keyword = _arity(fn)
    n = data.draw(st.integers(low, max(low, min(high, 4))))
    args = [data.draw(hostile()) for _ in range(n)]
    kwargs = {k: data.draw(hostile()) for k in keyword}
    call(fn, *args, **kwargs)


@given(st.sampled_from(RULE_CLASSES), st.data())
def test_rule_classes_build_or_refuse_and_evaluate(name: str, data: st.DataObject) -> None:
    cls = PUBLIC[name]
    params = [p for p in inspect.signature(cls).parameters.values() if p.kind is not p.VAR_KEYWORD]
    kwargs: dict[str, Any] = {}
    for p in params:
        if p.default is p.empty or data.draw(st.booleans()):
            kwargs[p.name] = data.draw(st.one_of(hostile(), st.integers(0, 60), st.just(p.default)))
            if kwargs[p.name] is p.empty:
                kwargs[p.name] = "x"
    rule = call(cls, **kwargs)
    if isinstance(rule, AutoloanError):
        return
    kind = data.draw(st.sampled_from(list(ActionKind)))
    code = data.draw(st.sampled_from(["US-NY-NYC", "US-CA", "US-DC", "CN", "GB", "US-TX"]))
    account = data.draw(
        st.sampled_from(
            [None, Account(), Account(default_on=date(2026, 2, 1), repossessed_on=date(2026, 2, 20))]
        )
    )
    call(
        check,
        Action(kind, NOON),
        borrower=Borrower(code, timezones=("America/New_York",)),
        account=account,
        rules=[rule],
    )


@given(
    st.sampled_from(list(ActionKind)),
    hostile_dates(),
    st.dictionaries(
        st.sampled_from(
            [
                "debt_id",
                "target",
                "target_role",
                "contact_id",
                "place",
                "outcome",
                "purpose",
                "collectors",
                "collector",
                "sale_on",
                "automated",
                "from_contact_list",
            ]
        ),
        hostile(),
        max_size=3,
    ),
)
def test_action_fields(kind: ActionKind, when: Any, fields: dict[str, Any]) -> None:
    action = call(Action, kind, when, **fields)
    if isinstance(action, Action):
        call(check, action, borrower=Borrower("US-NY-NYC"))


@given(
    st.sampled_from([*REGISTRY.codes, "US-XX", "ZZ", "cn", " us-ca "]),
    st.dictionaries(
        st.sampled_from(
            [
                "timezones",
                "cease_requested_on",
                "opted_out",
                "consented_hours",
                "call_consent_at",
                "military_service",
                "third_parties_stopped",
                "data_sharing_consent",
                "bankruptcy_filed_on",
            ]
        ),
        hostile(),
        max_size=3,
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "total_price",
                "paid_to_date",
                "default_on",
                "cure_notice_on",
                "cosigners",
                "missed_payments",
                "repossessed_on",
                "in_collection_procedures",
                "voluntary_surrender",
                "agreement_type",
            ]
        ),
        hostile(),
        max_size=3,
    ),
    st.sampled_from(list(ActionKind)),
    st.one_of(st.none(), st.sampled_from(["creditor", "debt_collector", "repossession_agent"]), hostile()),
)
def test_borrower_account_and_check(
    code: str, bfields: dict[str, Any], afields: dict[str, Any], kind: ActionKind, collector: Any
) -> None:
    borrower = call(Borrower, code, **bfields)
    account = call(Account, **afields)
    if isinstance(borrower, Borrower) and isinstance(account, Account):
        v = call(
            check,
            Action(kind, NOON + timedelta(hours=9)),
            borrower=borrower,
            account=account,
            collector=collector,
        )
        if not isinstance(v, AutoloanError):
            call(lambda: v.next_permitted)


@given(st.sampled_from(["US-NY-NYC", "US-CA", "CN", "GB"]), st.data())
def test_with_overrides_takes_hostile_values(code: str, data: st.DataObject) -> None:
    rules = rules_for(code)
    rule = data.draw(st.sampled_from(rules))
    names = [*rule.parameters(), "house_policy", "nope"]
    overrides = data.draw(
        st.dictionaries(
            st.one_of(st.just(rule.rule_id), st.just("*"), st.text(max_size=4)),
            st.dictionaries(st.sampled_from(names), st.one_of(hostile(), st.integers(-5, 40)), max_size=2),
            max_size=2,
        )
    )
    out = call(with_overrides, rules, overrides)
    if isinstance(out, tuple):
        call(check, Action("call", NOON), borrower=Borrower(code, timezones=("America/New_York",)), rules=out)


@settings(max_examples=50)
@given(hostile(), hostile(), hostile(), hostile())
def test_registration_takes_hostile_arguments(code: Any, rules: Any, parent: Any, zones: Any) -> None:
    reg = Registry()
    call(reg.register, code, rules, parent=parent, zones=zones)
    call(register_module, code, reg)
    call(register_builtin, rules)
    before = REGISTRY.codes
    result = call(register_pack, code, rules, parent=parent, zones=zones)
    if not isinstance(result, AutoloanError) and REGISTRY.codes != before:
        for new in set(REGISTRY.codes) - set(before):
            REGISTRY.unregister(new)
    call(rules_table, code)
    call(coverage_table, reg)
