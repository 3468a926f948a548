"""Fuzz of the policy engine: every public callable of ``autoloan.policy`` (and the 分期 pricing
function) is called with hostile values mixed into otherwise valid arguments; only typed errors,
never a hang. Hostile policy documents (mutated built-ins) must raise ``InvalidPolicy`` or load."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoloan import LoanTerms
from autoloan.compliance import Action, Borrower, History
from autoloan.errors import AutoloanError, InvalidPolicy
from autoloan.policy import (
    behaviour,
    builtin,
    case,
    conditions,
    docs,
    engine,
    facts,
    history,
    lint,
    model,
    spec,
)
from autoloan.servicing import account_status, restructure
from fuzzkit import call, hostile

simulate_mod = importlib.import_module("autoloan.policy.simulate")

FUZZED = {
    "autoloan.policy.behaviour.Behaviour",
    "autoloan.policy.builtin.load",
    "autoloan.policy.builtin.source",
    "autoloan.policy.case.Arrangement",
    "autoloan.policy.case.Case",
    "autoloan.policy.case.ContactIndex",
    "autoloan.policy.case.Promise",
    "autoloan.policy.conditions.check_tree",
    "autoloan.policy.conditions.compile_tree",
    "autoloan.policy.conditions.describe",
    "autoloan.policy.conditions.eval3",
    "autoloan.policy.conditions.facts_used",
    "autoloan.policy.conditions.parse",
    "autoloan.policy.conditions.to_data",
    "autoloan.policy.docs.holds_table",
    "autoloan.policy.docs.stages_table",
    "autoloan.policy.docs.treatment_text",
    "autoloan.policy.engine.Decision",
    "autoloan.policy.engine.Offer",
    "autoloan.policy.engine.PlannedAction",
    "autoloan.policy.engine.Suppressed",
    "autoloan.policy.engine.decide",
    "autoloan.policy.facts.Fact",
    "autoloan.policy.facts.Facts",
    "autoloan.policy.history.extended",
    "autoloan.policy.lint.LintFinding",
    "autoloan.policy.lint.lint",
    "autoloan.policy.model.Experiment",
    "autoloan.policy.model.Hold",
    "autoloan.policy.model.OfferSpec",
    "autoloan.policy.model.Policy",
    "autoloan.policy.model.PromiseRules",
    "autoloan.policy.model.Segment",
    "autoloan.policy.model.Stage",
    "autoloan.policy.model.Treatment",
    "autoloan.policy.model.canonical_json",
    "autoloan.policy.simulate.Run",
    "autoloan.policy.simulate.RunEvent",
    "autoloan.policy.simulate.simulate",
    "autoloan.policy.spec.Field",
    "autoloan.policy.spec.INT",
    "autoloan.policy.spec.Kind",
    "autoloan.policy.spec.ObjectSpec",
    "autoloan.policy.spec.action_kinds",
    "autoloan.policy.spec.json_schema",
    "autoloan.policy.spec.read",
    "autoloan.policy.spec.reference",
    "autoloan.servicing.restructure.instalment_plan",
}

SH = ZoneInfo("Asia/Shanghai")
TERMS = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1), currency="CNY")
STATUS = account_status(TERMS, [], date(2026, 3, 5))
BORROWER = Borrower("CN")
NOW = datetime(2026, 3, 5, 9, tzinfo=SH)
POLICY = model.Policy.builtin("cn-auto")
CASE = case.Case("L1", STATUS, BORROWER)
HIST = History.from_actions([Action("sms", datetime(2026, 3, 1, 10, tzinfo=SH), debt_id="L1")])
TREE = ("cmp", "dpd", ">=", 3)
D = POLICY.decide(CASE, NOW)

# name -> (callable, valid positional args, valid keyword args)
VALID: dict[str, tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = {
    "Behaviour.scripted": (behaviour.Behaviour.scripted, ((),), {}),
    "Behaviour.random": (behaviour.Behaviour.random, (1,), {"pay_probability": "0.1"}),
    "Behaviour": (behaviour.Behaviour, ("random",), {}),
    "load": (builtin.load, ("cn-auto",), {}),
    "source": (builtin.source, ("us-auto",), {}),
    "Arrangement": (case.Arrangement, ("deferral", date(2026, 1, 1)), {}),
    "Case": (case.Case, ("L1", STATUS, BORROWER), {"history": HIST, "flags": ["x"], "risk_score": "600"}),
    "Case.replace": (CASE.replace, (), {"state": {"stage": "early"}}),
    "ContactIndex": (case.ContactIndex, (HIST,), {}),
    "Promise": (case.Promise, (date(2026, 3, 10), "100"), {"paid": 0, "made_on": date(2026, 3, 1)}),
    "check_tree": (conditions.check_tree, (TREE,), {}),
    "compile_tree": (conditions.compile_tree, (TREE,), {}),
    "describe": (conditions.describe, (TREE,), {}),
    "eval3": (conditions.eval3, (TREE, {"dpd": 4}), {}),
    "facts_used": (conditions.facts_used, (TREE,), {}),
    "parse": (conditions.parse, ({"fact": "dpd", "op": ">=", "value": 3}, (), []), {}),
    "to_data": (conditions.to_data, (TREE,), {}),
    "holds_table": (docs.holds_table, (POLICY,), {}),
    "stages_table": (docs.stages_table, (POLICY,), {}),
    "treatment_text": (docs.treatment_text, (POLICY.stages[1].treatments[0],), {}),
    "Decision.to_dict": (D.to_dict, (), {}),
    "PlannedAction": (engine.PlannedAction, ("sms", NOW, "s", "t", "why", None), {}),
    "Suppressed": (engine.Suppressed, ("s", "t", "sms", NOW, "why"), {}),
    "decide": (engine.decide, (POLICY, CASE, NOW), {}),
    "Policy.decide": (POLICY.decide, (CASE, NOW), {}),
    "Facts": (facts.Facts, (CASE, NOW, NOW.date()), {"segment": "x", "arm": None, "grace": 1}),
    "Facts.get": (facts.Facts(CASE, NOW, NOW.date()).get, ("dpd",), {}),
    "Facts.next_change": (facts.Facts(CASE, NOW, NOW.date()).next_change, ("dpd",), {}),
    "Treatment.first_day": (POLICY.stages[1].treatments[1].first_day, (-3, 40), {}),
    "Treatment.days": (POLICY.stages[1].treatments[1].days, (-3, 40), {}),
    "extended": (history.extended, (HIST, [Action("call", datetime(2026, 3, 2, tzinfo=SH))]), {}),
    "lint": (lint.lint, (POLICY, ("CN",)), {}),
    "LintFinding": (lint.LintFinding, ("c", "$", "m"), {}),
    "Policy.from_dict": (model.Policy.from_dict, (POLICY.to_dict(),), {}),
    "Policy.builtin": (model.Policy.builtin, ("us-auto",), {}),
    "Policy": (model.Policy, (), {}),
    "Policy.lint": (POLICY.lint, (("CN", "GB"),), {}),
    "Policy.stage": (POLICY.stage, ("early",), {}),
    "Experiment.arm_for": (POLICY.experiments[0].arm_for, ("L1",), {}),
    "canonical_json": (model.canonical_json, ({"a": [1, "x"]},), {}),
    "simulate": (
        simulate_mod.simulate,
        (POLICY, TERMS),
        {"borrower": BORROWER, "start": date(2026, 1, 1), "end": date(2026, 2, 10)},
    ),
    "RunEvent": (simulate_mod.RunEvent, (NOW, "stage", "s", "d", 0), {}),
    "INT": (spec.INT, (1, 5), {}),
    "Kind": (spec.Kind, ("int",), {"lo": 1, "hi": 2}),
    "Field": (spec.Field, ("x", spec.BOOL, "d"), {}),
    "ObjectSpec": (spec.ObjectSpec, ("x", "d", ()), {}),
    "read": (spec.read, (spec.INT(1, 5), 3, (), []), {}),
    "action_kinds": (spec.action_kinds, (), {}),
    "json_schema": (spec.json_schema, (), {}),
    "reference": (spec.reference, (), {}),
    "instalment_plan": (restructure.instalment_plan, ("1000", 3, date(2026, 1, 1)), {"annual_rate": "0.06"}),
}
SLOW = {"simulate", "lint", "Policy.lint", "reference", "json_schema"}


def test_valid_calls_succeed() -> None:
    for name, (fn, args, kwargs) in VALID.items():
        result = call(fn, *args, **kwargs)
        if name not in ("Policy",):
            assert not isinstance(result, AutoloanError), (name, result)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(set(VALID) - SLOW)), st.integers(0, 10), hostile())
def test_hostile_arguments_raise_only_typed_errors(name: str, position: int, bad: Any) -> None:
    fn, args, kwargs = VALID[name]
    slots = len(args) + len(kwargs)
    if slots == 0:  # no arguments to spoil: the valid call covers it
        call(fn)
        return
    k = position % slots
    if k < len(args):
        new_args = list(args)
        new_args[k] = bad
        call(fn, *new_args, **kwargs)
    else:
        key = sorted(kwargs)[k - len(args)]
        call(fn, *args, **{**kwargs, key: bad})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SLOW & {"simulate", "lint"})), st.integers(0, 10), hostile())
def test_hostile_arguments_slow_callables(name: str, position: int, bad: Any) -> None:
    test_hostile_arguments_raise_only_typed_errors.hypothesis.inner_test(name, position, bad)  # type: ignore[attr-defined]


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, (*prefix, i))
    return out


DOC = POLICY.to_dict()
PATHS = [p for p in _paths(DOC) if p]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PATHS), hostile()), min_size=1, max_size=4))
def test_hostile_policy_documents(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    doc = copy.deepcopy(DOC)
    for path, value in changes:
        target: Any = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    result = call(model.Policy.from_dict, doc)
    if isinstance(result, AutoloanError):
        assert isinstance(result, InvalidPolicy)
        for e in result.errors:
            assert e.json_path.startswith("$")
    else:
        assert isinstance(result, model.Policy)
        call(result.decide, CASE, NOW)


def test_internal_value_objects_accept_their_fields() -> None:
    """The plain value classes (built by the loader) construct from their fields."""
    stage = POLICY.stages[1]
    t = stage.treatments[0]
    call(model.Segment, "s", "", "", None, lambda f: True)
    call(model.Hold, "h", "", "", None, lambda f: True, frozenset({"sms"}), False)
    call(model.PromiseRules, 0, frozenset(), False, None)
    call(
        model.OfferSpec, "o", "deferral", "", "", None, lambda f: True, (1,), Decimal(0), "accrue", 1, 1, 1, 0
    )
    call(model.Experiment, "e", "s", frozenset(), (("a", 1),), 1)
    call(model.Stage, "s", "", "", None, lambda f: True, False, False, 0, (), (t,), 0)
    call(model.Treatment, *(getattr(t, n) for n in t.__slots__))
    call(facts.Fact, "x", "int", "d", lambda f: 0)
    call(
        engine.Offer,
        "o",
        "deferral",
        "",
        "",
        (1,),
        date(2026, 1, 1),
        Decimal(1),
        POLICY.offers["yanqi"],
        CASE,
    )
    call(engine.Decision, *(getattr(D, n) for n in D.__slots__))
    call(simulate_mod.Run, (), (), (), (), (), 0, 0, STATUS, HIST, ())
    assert time(9) < time(10)
