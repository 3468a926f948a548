"""Properties of the policy engine (issue 9), over random policies, cases and behaviours.

* no decided action is refused by ``compliance.check`` at its time, against the case's history
  plus the actions before it;
* decisions are deterministic (same inputs, same ``to_dict()`` bytes; a reloaded policy decides alike);
* holds always suppress their kinds; offers never exceed their caps;
* a random invalid policy raises ``InvalidPolicy`` listing every error;
* calling back only at ``next_review_at`` gives the same stage entries and actions as calling
  every hour.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from autoloan.compliance import check
from autoloan.errors import InvalidPolicy
from autoloan.policy import Policy, simulate
from autoloan.policy.facts import Facts
from autoloan.policy.history import extended
from autoloan.testing import behaviours, cases, decision_inputs, policy_documents, policy_terms

SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)


@SLOW
@given(decision_inputs())
def test_decision_properties(inputs: tuple[Any, Any, Any]) -> None:
    """One generated (policy, case, now), four properties (generation dominates the cost)."""
    policy, case, now = inputs
    d = policy.decide(case, now)
    # statistics (pytest --hypothesis-show-statistics): the strategies reach every branch
    event(f"actions: {min(len(d.actions), 3)}")
    event(f"suppressed by compliance: {any(x.findings for x in d.suppressed)}")
    event(f"suppressed by holds: {any(x.holds for x in d.suppressed)}")
    event(f"offers: {bool(d.offers)}")
    # 1. no decided action is refused by check at its time, with the history plus earlier actions
    hist = case.history
    for a in d.actions:
        assert a.at >= now
        if a.action is None:
            continue
        v = check(a.action, history=hist, borrower=case.borrower, account=case.account)
        assert v.allowed, (a, v)
        hist = extended(hist, [a.action])
    # 2. deterministic: same bytes again, and from a reloaded policy
    first = d.to_json()
    assert policy.decide(case, now).to_json() == first
    again = Policy.from_dict(copy.deepcopy(policy.to_dict()))
    assert again.digest == policy.digest
    assert again.decide(case, now).to_json() == first
    # 3. holds always suppress their kinds (and a pending promise its kinds)
    today = now.date()
    f = Facts(case, now, today, segment=d.segment, arm=d.arm, grace=policy.promises.grace_days)
    active = [h for h in policy.holds if h.test(f)]
    for a in d.actions:
        for h in active:
            assert not h.suppresses(a.kind), (a.kind, h.id)
        if f.get("promise_pending"):
            assert a.kind not in policy.promises.suppress
    # 4. offers never exceed their caps
    for o in d.offers:
        spec = policy.offers[o.id]
        same = [x for x in case.arrangements if x.kind == spec.kind and x.on <= today]
        if spec.per_life is not None:
            assert len(same) < spec.per_life
        if spec.per_12_months is not None:
            assert sum(1 for x in same if x.on > today - timedelta(days=365)) < spec.per_12_months
        if spec.max_dpd is not None:
            assert f.get("dpd") <= spec.max_dpd
        if spec.kind == "instalment_plan":
            plan = o.quote(o.months[0])
            assert plan is not None and plan.total_principal == case.status.amount_past_due


_BREAKERS: list[tuple[tuple[str | int, ...], Any]] = [
    (("version",), 0),
    (("skip_mode",), "jump"),
    (("window",), ["20:00", "09:00"]),
    (("segments", 0, "when", "fact"), "risk"),
    (("stages", 0, "label_zh"), 7),
    (("stages", 0, "min_days"), -1),
    (("stages", 0, "bogus"), 1),
    (("promises", "grace_days"), 999),
    (("experiments", 0, "arms", 0, "weight"), -1),
]


def _put(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


@SLOW
@given(
    policy_documents(), st.lists(st.sampled_from(range(len(_BREAKERS))), min_size=1, max_size=6, unique=True)
)
def test_invalid_policy_lists_every_error(doc: dict[str, Any], picks: list[int]) -> None:
    bad = copy.deepcopy(doc)
    for k in picks:
        _put(bad, *_BREAKERS[k])
    try:
        Policy.from_dict(bad)
    except InvalidPolicy as exc:
        paths = {e.path[: len(_BREAKERS[k][0])] for e in exc.errors for k in picks}
        for k in picks:
            path = _BREAKERS[k][0]
            assert any(e.path[: len(path)] == path for e in exc.errors), (
                path,
                [e.line() for e in exc.errors],
            )
        assert len(exc.errors) >= len(picks)
        del paths
    else:
        raise AssertionError("an invalid policy loaded")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_documents(max_stages=4), behaviours(), st.sampled_from(["CN", "US-MA", "GB"]))
def test_call_back_at_next_review_equals_calling_every_hour(
    doc: dict[str, Any], behaviour: Any, code: str
) -> None:
    from autoloan.compliance import Borrower

    policy = Policy.from_dict(doc)
    kw: dict[str, Any] = {
        "borrower": Borrower(code),
        "start": date(2026, 1, 20),
        "end": date(2026, 3, 25),
        "behaviour": behaviour,
        "step": "hour",
    }
    lazy = simulate(policy, policy_terms(), **kw)
    eager = simulate(policy, policy_terms(), decide_every_step=True, **kw)
    assert lazy.blocked_executed == 0 and eager.blocked_executed == 0
    assert lazy.stage_entries == eager.stage_entries
    assert [(a.kind, a.at, a.treatment_id) for a in lazy.actions] == [
        (a.kind, a.at, a.treatment_id) for a in eager.actions
    ]
    assert eager.decisions >= lazy.decisions


def _with_tasks(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with each stage's first treatment made a task (tasks leave no contact history)."""
    doc = copy.deepcopy(doc)
    for stage in doc["stages"]:
        for t in stage["treatments"][:1]:
            t.update(action="task", task="legal_review")
            t.pop("fallbacks", None)
            t.pop("collectors", None)
    return doc


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_documents(max_stages=4), cases(), st.booleans())
def test_states_round_trip(doc: dict[str, Any], inputs: tuple[Any, Any], tasks_first: bool) -> None:
    """Feeding a decision's state back at the same moment gives the same stage and actions (a task,
    planned once a day, stays in the plan until its time; an hour after it, it is gone)."""
    policy = Policy.from_dict(_with_tasks(doc) if tasks_first else doc)
    case, now = inputs
    d = policy.decide(case, now)
    again = policy.decide(case.replace(state=d.state), now)
    assert again.stage.id == d.stage.id
    assert [(a.kind, a.at, a.reason, a.task) for a in again.actions] == [
        (a.kind, a.at, a.reason, a.task) for a in d.actions
    ]
    tasks = [a for a in d.actions if a.kind == "task"]
    event(f"tasks planned: {min(len(tasks), 2)}")
    if tasks and (later := tasks[-1].at + timedelta(hours=1)).date() == now.date():
        after = policy.decide(case.replace(state=d.state), later)
        assert not [a for a in after.actions if a.kind == "task" and a.at < later]
