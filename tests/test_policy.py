"""Policy engine scenarios (issue 9): Kill Bill #2297/#894/#535, broken promises, holds, built-ins,
lint cases, the JSON Schema, offers and the format reference in docs/policy.md."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from autoloan import LoanTerms, amortize
from autoloan.compliance import Account, Action, Borrower
from autoloan.errors import InvalidInput, InvalidPolicy
from autoloan.policy import Arrangement, Behaviour, Case, Policy, Promise, simulate
from autoloan.policy import spec as policy_spec
from autoloan.servicing import Payment, account_status
from autoloan.servicing.restructure import instalment_plan

ROOT = Path(__file__).resolve().parent.parent
SH = ZoneInfo("Asia/Shanghai")
TERMS = LoanTerms(principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY")


def dpd(op: str, value: Any) -> dict[str, Any]:
    return {"fact": "dpd", "op": op, "value": value}


# Kill Bill overdue.xml of issue #2297, as stages: WARNING >= 5 days, BLOCKED >= 7, CANCELLATION >= 11.
KILLBILL = {
    "name": "killbill-2297",
    "segments": [{"id": "all"}],
    "stages": [
        {"id": "clear", "label_en": "clear", "label_zh": "正常", "when": dpd("<=", 4)},
        {
            "id": "warning",
            "label_en": "warning",
            "label_zh": "警告",
            "when": dpd("between", [5, 6]),
            "mandatory": True,
            "treatments": [{"id": "mail", "action": "email", "on_days": [0]}],
        },
        {
            "id": "blocked",
            "label_en": "blocked",
            "label_zh": "冻结",
            "when": dpd("between", [7, 10]),
            "treatments": [{"id": "letter", "action": "letter", "on_days": [0]}],
        },
        {"id": "cancellation", "label_en": "cancellation", "label_zh": "取消", "when": dpd(">=", 11)},
    ],
}


def test_killbill_2297_partial_payment_never_skips_a_stage() -> None:
    """Kill Bill #2297 (open): paying the oldest invoice moves the anchor; the next check was
    scheduled from the run date, so WARNING was skipped. Here stage timing is anchored on
    ``oldest_unpaid_due_date`` and the engine is called back at ``next_review_at``."""
    policy = Policy.from_dict(KILLBILL)
    first = amortize(TERMS)[0]
    # nothing paid: 02-15 unpaid; 03-15 unpaid too; on 03-17 the oldest installment is paid
    pay = Behaviour.scripted(payments=[Payment(date(2026, 3, 17), first.payment)])
    kw: dict[str, Any] = {
        "borrower": Borrower("CN"),
        "start": date(2026, 2, 10),
        "end": date(2026, 4, 5),
        "behaviour": pay,
        "step": "hour",
    }
    lazy = simulate(policy, TERMS, **kw)
    eager = simulate(policy, TERMS, decide_every_step=True, **kw)
    stages = [s for _, s in lazy.stage_entries]
    assert stages == [
        "clear",
        "warning",
        "blocked",
        "cancellation",
        "clear",
        "warning",
        "blocked",
        "cancellation",
    ]
    assert lazy.stage_entries == eager.stage_entries
    # after the partial payment the anchor is 03-15: WARNING on DPD 5 = 03-20, BLOCKED on 03-22
    entries = {(when.date(), s) for when, s in lazy.stage_entries}
    assert (date(2026, 3, 20), "warning") in entries and (date(2026, 3, 22), "blocked") in entries
    assert lazy.blocked_executed == 0


def test_mandatory_stage_jumped_past_is_caught_up_or_recorded() -> None:
    st = account_status(TERMS, [], date(2026, 2, 24))  # DPD 9: BLOCKED, WARNING jumped past
    now = datetime(2026, 2, 24, tzinfo=SH)
    d = Policy.from_dict(KILLBILL).decide(Case("L1", st, Borrower("CN")), now)
    assert d.stage.id == "warning" and d.state["via"] == "catch_up"
    assert any("catch_up" in line for line in d.trace)
    nxt = Policy.from_dict(KILLBILL).decide(
        Case("L1", st, Borrower("CN"), state=d.state), now + timedelta(hours=1)
    )
    assert nxt.stage.id == "warning"  # kept for the day it was entered
    tomorrow = account_status(TERMS, [], date(2026, 2, 25))
    d2 = Policy.from_dict(KILLBILL).decide(
        Case("L1", tomorrow, Borrower("CN"), state=d.state), datetime(2026, 2, 25, tzinfo=SH)
    )
    assert d2.stage.id == "blocked"
    record = Policy.from_dict({**KILLBILL, "skip_mode": "record"})
    r = record.decide(Case("L1", st, Borrower("CN")), now)
    assert r.stage.id == "blocked"
    assert any("skipped mandatory stage(s): warning" in line for line in r.trace)


def test_terminal_stage_stops_review_killbill_894() -> None:
    policy = Policy.builtin("cn-auto")
    st = account_status(TERMS, [], date(2026, 5, 20))  # 94 DPD
    d = policy.decide(Case("L1", st, Borrower("CN")), datetime(2026, 5, 20, tzinfo=SH))
    assert d.stage.id == "early" and d.state["via"] == "catch_up"  # mandatory 初次催收 first
    state = d.state
    for day in (21, 22, 23):
        st = account_status(TERMS, [], date(2026, 5, day))
        d = policy.decide(Case("L1", st, Borrower("CN"), state=state), datetime(2026, 5, day, tzinfo=SH))
        state = d.state
    assert d.stage.id == "legal" and d.stage.terminal and d.next_review_at is None
    # the next day, even after a full payment: still terminal, no new treatments, no review
    paid = [Payment(date(2026, 5, 24), Decimal("20000"))]
    later = policy.decide(
        Case("L1", account_status(TERMS, paid, date(2026, 5, 25)), Borrower("CN"), state=state),
        datetime(2026, 5, 25, 9, tzinfo=SH),
    )
    assert later.stage.id == "legal" and later.actions == () and later.next_review_at is None


def test_no_clock_killbill_535() -> None:
    """The engine reads no clock: the same case at the same ``now`` decides the same, whenever it runs."""
    policy = Policy.builtin("us-auto")
    st = account_status(TERMS, [], date(2026, 3, 1))
    case = Case("L7", st, Borrower("US-WI"))
    now = datetime(2026, 3, 1, tzinfo=ZoneInfo("America/Chicago"))
    assert policy.decide(case, now).to_json() == policy.decide(case, now).to_json()
    with pytest.raises(InvalidInput, match="timezone-aware"):
        policy.decide(case, datetime(2026, 3, 1))


def test_broken_promise_reenters_on_broken_stage() -> None:
    policy = Policy.builtin("cn-auto")  # grace 2 days, on_broken: early
    st = account_status(TERMS, [], date(2026, 3, 25))  # 38 DPD: deep
    promise = Promise(date(2026, 3, 20), "3561.59", made_on=date(2026, 3, 17))
    state = {
        "stage": "deep",
        "entered_at": "2026-03-18T00:00:00+08:00",
        "visited": ["early"],
        "last": "2026-03-22T00:00:00+08:00",
        "terminal": False,
    }
    pending = policy.decide(
        Case(
            "L1",
            account_status(TERMS, [], date(2026, 3, 22)),
            Borrower("CN"),
            promises=[promise],
            state=state,
        ),
        datetime(2026, 3, 22, tzinfo=SH),
    )
    assert pending.stage.id == "deep"
    assert all(a.kind not in ("call", "sms", "visit") for a in pending.actions)  # suppressed while pending
    d = policy.decide(
        Case("L1", st, Borrower("CN"), promises=[promise], state=pending.state),
        datetime(2026, 3, 25, tzinfo=SH),
    )
    assert d.stage.id == "early" and d.entered and d.state["via"] == "on_broken"
    assert any("broken on 2026-03-23" in line for line in d.trace)
    kept = Promise(date(2026, 3, 20), "3561.59", paid="3561.59", made_on=date(2026, 3, 17))
    k = policy.decide(
        Case("L1", st, Borrower("CN"), promises=[kept], state=pending.state), datetime(2026, 3, 25, tzinfo=SH)
    )
    assert k.stage.id == "deep"


@pytest.mark.parametrize("code", ["CN", "US-MA", "US-WI", "GB"])
def test_bankrupt_borrower_gets_no_contact(code: str) -> None:
    borrower = Borrower(code, bankruptcy_filed_on=date(2026, 2, 1))
    for name in Policy.builtin_names():
        run = simulate(
            Policy.builtin(name), TERMS, borrower=borrower, start=date(2026, 1, 15), end=date(2026, 12, 31)
        )
        assert run.blocked_executed == 0
        late = [a for a in run.actions if a.at.date() >= date(2026, 2, 1)]
        assert all(a.kind == "task" for a in late), [a.kind for a in late]


@pytest.mark.parametrize(
    ("name", "code"),
    [("cn-auto", "CN"), ("us-auto", "US-MA"), ("us-auto", "US-WI"), ("us-auto", "GB"), ("cn-auto", "GB")],
)
def test_builtins_simulate_a_year_with_no_blocked_action(name: str, code: str) -> None:
    for behaviour in (Behaviour.scripted(), Behaviour.random(seed=5), Behaviour.random(seed=6, answer="0.9")):
        run = simulate(
            Policy.builtin(name),
            TERMS,
            borrower=Borrower(code),
            start=date(2026, 1, 15),
            end=date(2027, 1, 14),
            behaviour=behaviour,
        )
        assert run.blocked_executed == 0
        assert run.stage_entries[0][1] == "current"


@pytest.mark.parametrize(
    "holds",
    [
        {"dispute_pending": True},
        {"military_service": (date(2025, 1, 1), None)},
        {"cease_requested_on": date(2026, 2, 1)},
    ],
)
def test_builtins_with_holds_simulate_with_no_blocked_action(holds: dict[str, Any]) -> None:
    for name, code in (("cn-auto", "CN"), ("us-auto", "US-MA"), ("us-auto", "US-WI"), ("us-auto", "GB")):
        run = simulate(
            Policy.builtin(name),
            TERMS,
            borrower=Borrower(code, **holds),
            start=date(2026, 1, 15),
            end=date(2027, 1, 14),
            account=Account(),
        )
        assert run.blocked_executed == 0


def test_us_auto_sends_the_cure_notice_before_repossession() -> None:
    run = simulate(
        Policy.builtin("us-auto"),
        TERMS,
        borrower=Borrower("US-MA"),
        start=date(2026, 1, 15),
        end=date(2026, 7, 31),
    )
    stages = [s for _, s in run.stage_entries]
    assert stages == ["current", "early", "late", "cure", "repossession", "charge_off"]
    kinds = [(a.kind, a.treatment_id) for a in run.actions]
    assert kinds.index(("letter", "notice")) < kinds.index(("repossession", "refer"))
    assert run.actions_by_kind["task"] == 2  # charge-off and agency placement
    assert "repossession" in str(run)


def test_builtins_lint_clean_and_are_bilingual() -> None:
    for name in Policy.builtin_names():
        policy = Policy.builtin(name)
        assert policy.lint(("CN",) if name == "cn-auto" else ("US-MA", "US-WI", "GB")) == []
        for s in policy.stages:
            assert s.label_en and s.label_zh and re.search(r"[\u4e00-\u9fff]", s.label_zh)
    assert Policy.builtin("cn-auto").lint(("CN", "GB")) == []


def test_lint_cases_of_the_issue() -> None:
    doc = copy.deepcopy(Policy.builtin("cn-auto").to_dict())
    doc["stages"][2]["when"] = dpd("between", [40, 90])  # 31-39 uncovered
    doc["stages"].insert(
        3, {"id": "ghost", "label_en": "ghost", "label_zh": "幽灵", "when": dpd("between", [50, 60])}
    )
    doc["stages"][1]["treatments"][1]["window"] = ["22:00", "23:00"]
    doc["offers"][0]["caps"]["min_dpd"] = 0
    doc["offers"][0]["caps"]["max_dpd"] = 10  # fenqi is offered only in deep (40+)
    doc["stages"][4]["treatments"][0]["on_days"] = [0, 3]
    codes = {(f.code, f.path) for f in Policy.from_dict(doc).lint(("CN", "US-MA"))}
    assert ("uncovered_dpd", "$.stages") in codes
    assert ("unreachable_stage", "$.stages[3].when") in codes
    assert ("window_outside_hours", "$.stages[1].treatments[1].window") in codes
    assert ("offer_never_eligible", "$.offers[0]") in codes
    assert ("terminal_treatment", "$.stages[4].treatments[0]") in codes
    assert any(c == "cap_above_rule" for c, _ in codes)  # daily calls vs US-MA 2 in 7 days
    overlap = copy.deepcopy(KILLBILL)
    overlap["stages"][2]["when"] = dpd("between", [5, 10])
    found = Policy.from_dict(overlap).lint(())
    assert [(f.code, f.path) for f in found] == [("hidden_overlap", "$.stages[2].when")]
    assert "5-6" in found[0].message


def test_invalid_policy_reports_every_error_with_its_json_path() -> None:
    doc = copy.deepcopy(Policy.builtin("cn-auto").to_dict())
    doc["stages"][2]["treatments"][0]["every_days"] = -1
    doc["stages"][0]["colour"] = "red"
    doc["segments"][0]["when"] = {"fact": "dpd", "op": "~", "value": 3}
    doc["promises"]["on_broken"] = "nowhere"
    with pytest.raises(InvalidPolicy) as info:
        Policy.from_dict(doc)
    lines = [e.line() for e in info.value.errors]
    assert "stages[2].treatments[0].every_days: must be a positive integer (got -1)" in lines
    assert any(line.startswith("stages[0].colour: unknown key") for line in lines)
    assert any(line.startswith("segments[0].when.op: not an operator") for line in lines)
    assert {e.json_path for e in info.value.errors} >= {
        "$.stages[2].treatments[0].every_days",
        "$.stages[0].colour",
    }
    # cross-references are checked in the same pass, on the parts that read well
    assert "promises.on_broken: no such stage (got 'nowhere')" in lines
    doc2 = copy.deepcopy(Policy.builtin("cn-auto").to_dict())
    doc2["promises"]["on_broken"] = "nowhere"
    doc2["stages"][1]["offers"] = ["nope"]
    with pytest.raises(InvalidPolicy) as info2:
        Policy.from_dict(doc2)
    assert [e.field for e in info2.value.errors] == ["promises.on_broken", "stages[1].offers[0]"]


def test_bounds_and_no_code() -> None:
    deep: dict[str, Any] = {"fact": "dpd", "op": ">=", "value": 1}
    for _ in range(40):
        deep = {"not": deep}
    doc = copy.deepcopy(KILLBILL)
    doc["stages"][0]["when"] = deep
    with pytest.raises(InvalidPolicy, match="deeper"):
        Policy.from_dict(doc)
    with pytest.raises(InvalidPolicy, match="unknown fact"):
        Policy.from_dict(
            {
                **KILLBILL,
                "segments": [
                    {"id": "x", "when": {"fact": "__import__('os')", "op": "==", "value": 1}},
                    {"id": "all"},
                ],
            }
        )
    with pytest.raises(InvalidPolicy, match="too large"):
        Policy.from_dict({**KILLBILL, "description": "x", "jurisdictions": [["CN"] * 100] * 600})


def test_json_schema_validates_builtins_and_rejects_what_from_dict_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = Policy.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in Policy.builtin_names():
        validator.validate(json.loads(policy_spec_source(name)))
        validator.validate(Policy.builtin(name).to_dict())
    bad = [
        {**KILLBILL, "oops": 1},
        {**KILLBILL, "stages": []},
        {**KILLBILL, "segments": [{"id": "Not An Id"}]},
        {**KILLBILL, "window": ["9am", "5pm"]},
        {**KILLBILL, "stages": [{**KILLBILL["stages"][0], "when": {"fact": "dpd", "op": "~", "value": 1}}]},
    ]
    for doc in bad:
        assert not validator.is_valid(doc)
        with pytest.raises(InvalidPolicy):
            Policy.from_dict(doc)


def policy_spec_source(name: str) -> str:
    from autoloan.policy.builtin import source

    return source(name)


def test_round_trip_digest_and_pickle() -> None:
    import pickle

    for name in Policy.builtin_names():
        p = Policy.builtin(name)
        q = Policy.from_dict(json.loads(json.dumps(p.to_dict())))
        assert (
            q == p
            and q.digest
            == p.digest
            == hashlib.sha256(
                json.dumps(p.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
            ).hexdigest()
        )
        assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(InvalidPolicy):
        Policy.builtin("nope")


def test_experiment_arms_use_sha256_of_salt_and_account() -> None:
    policy = Policy.builtin("cn-auto")
    exp = policy.experiments[0]
    for account in ("L1", "L2", "贷款-3"):
        digest = hashlib.sha256(f"{exp.salt}:{account}".encode()).digest()
        bucket = int.from_bytes(digest[:8], "big") % 100
        assert exp.arm_for(account) == ("champion" if bucket < 80 else "challenger")
    arms = [exp.arm_for(f"L{i}") for i in range(2000)]
    assert 0.15 < arms.count("challenger") / 2000 < 0.25


def test_offers_priced_and_capped() -> None:
    policy = Policy.builtin("cn-auto")
    st = account_status(TERMS, [], date(2026, 4, 1))  # 45 DPD: deep, fenqi + yanqi
    state = {"stage": "deep", "entered_at": "2026-03-18T00:00:00+08:00", "visited": ["early"]}
    case = Case("L1", st, Borrower("CN"), terms=TERMS, state=state)
    d = policy.decide(case, datetime(2026, 4, 1, tzinfo=SH))
    offers = {o.id: o for o in d.offers}
    assert set(offers) == {"fenqi", "yanqi"}
    plan = offers["fenqi"].quote(6)
    assert plan is not None and plan.total_payment == st.amount_past_due and len(plan) == 6
    assert plan == instalment_plan(st.amount_past_due, 6, date(2026, 4, 1), currency="CNY")
    deferral = offers["yanqi"].quote(2)
    assert deferral is not None and deferral[0].payment == 0
    assert offers["fenqi"].to_dict()["options"][0]["total"] == str(st.amount_past_due)
    taken = Case(
        "L1",
        st,
        Borrower("CN"),
        arrangements=[Arrangement("instalment_plan", date(2025, 12, 1))],
        state=state,
    )
    again = policy.decide(taken, datetime(2026, 4, 1, tzinfo=SH))
    assert "fenqi" not in {o.id for o in again.offers}  # one 分期 per 12 months
    assert any("per_12_months" in line for line in again.trace)
    with pytest.raises(InvalidInput):
        offers["fenqi"].quote(5)


def test_instalment_plan_validation() -> None:
    with pytest.raises(InvalidInput):
        instalment_plan(0, 3, date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        instalment_plan("100", 0, date(2026, 1, 1))
    with pytest.raises(InvalidInput):
        instalment_plan("100", 3, date(2026, 1, 1), annual_rate="-0.01")
    p = instalment_plan("1000", 12, date(2026, 1, 31), annual_rate="0.12", currency="USD")
    assert p.total_principal == Decimal("1000.00") and p[1].due_date == date(2026, 3, 31)


def test_compliance_moves_or_falls_back() -> None:
    """A call refused by US-MA's 2-in-7 rule falls back to email; a CN call outside 08-22 moves."""
    st = account_status(TERMS, [], date(2026, 2, 18))  # 3 DPD: us-auto early call day
    ny = ZoneInfo("America/New_York")
    now = datetime(2026, 2, 18, tzinfo=ny)
    hist = [Action("sms", now - timedelta(days=d), debt_id="L1", outcome="delivered") for d in (1, 2)]
    d = Policy.builtin("us-auto").decide(Case("L1", st, Borrower("US-MA"), history=hist), now)
    call = [a for a in d.actions if a.treatment_id == "call"]
    assert call and call[0].kind == "email" and call[0].fallback_for == "call"
    early = copy.deepcopy(KILLBILL)
    early["stages"][1]["treatments"] = [
        {"id": "call", "action": "call", "on_days": [0], "window": ["06:00", "12:00"]}
    ]
    st5 = account_status(TERMS, [], date(2026, 2, 20))
    d2 = Policy.from_dict(early).decide(Case("L1", st5, Borrower("CN")), datetime(2026, 2, 20, tzinfo=SH))
    assert [(a.kind, a.at.hour, a.moved_from.hour if a.moved_from else None) for a in d2.actions] == [
        ("call", 8, 6)
    ]


def test_case_and_state_errors_are_typed() -> None:
    st = account_status(TERMS, [], date(2026, 2, 18))
    with pytest.raises(InvalidInput, match=r"case.state.stage"):
        Policy.builtin("cn-auto").decide(
            Case("L1", st, Borrower("CN"), state={"stage": "x", "entered_at": "x"}),
            datetime(2026, 2, 18, tzinfo=SH),
        )
    with pytest.raises(InvalidInput, match="before the status date"):
        Policy.builtin("cn-auto").decide(Case("L1", st, Borrower("CN")), datetime(2026, 2, 1, tzinfo=SH))
    with pytest.raises(InvalidInput, match="timezones"):
        Case("L1", st, Borrower("US"))


def generated_sections() -> dict[str, str]:
    """The generated parts of docs/policy.md, by marker name."""
    from autoloan.policy.docs import holds_table, stages_table

    out = {"reference": policy_spec.reference()}
    for name in Policy.builtin_names():
        p = Policy.builtin(name)
        out[f"builtin:{name}"] = f"### {name}\n\n{p.description}\n\n{stages_table(p)}\n{holds_table(p)}"
    return out


def test_docs_generated_sections_are_current() -> None:
    text = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    for name, body in generated_sections().items():
        begin, end = f"<!-- {name}:begin -->\n", f"<!-- {name}:end -->"
        assert begin in text and end in text, name
        assert text.split(begin, 1)[1].split(end, 1)[0] == body, (
            f"{name} is stale; regenerate with: python tests/test_policy.py --regenerate"
        )


def _regenerate() -> None:  # pragma: no cover - a maintenance helper
    path = ROOT / "docs" / "policy.md"
    text = path.read_text(encoding="utf-8")
    for name, body in generated_sections().items():
        begin, end = f"<!-- {name}:begin -->\n", f"<!-- {name}:end -->"
        head, rest = text.split(begin, 1)
        text = head + begin + body + end + rest.split(end, 1)[1]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    import sys

    if "--regenerate" in sys.argv:
        _regenerate()


def test_next_review_covers_contact_count_windows() -> None:
    """A stage on ``contacts_7d`` can change when a contact ages out of the window or right after a
    planned contact is made: ``next_review_at`` comes no later than either."""
    doc = {
        "name": "counts",
        "segments": [{"id": "all"}],
        "stages": [
            {
                "id": "quiet",
                "label_en": "quiet",
                "label_zh": "安静",
                "when": {"fact": "contacts_7d", "op": ">=", "value": 2},
            },
            {
                "id": "chase",
                "label_en": "chase",
                "label_zh": "跟进",
                "treatments": [{"id": "sms", "action": "sms", "on_days": [0]}],
            },
        ],
    }
    policy = Policy.from_dict(doc)
    st = account_status(TERMS, [], date(2026, 2, 20))
    now = datetime(2026, 2, 20, tzinfo=SH)
    old = Action("sms", now - timedelta(days=6, hours=12), debt_id="L1", outcome="delivered")
    d = policy.decide(Case("L1", st, Borrower("CN"), history=[old]), now)
    assert d.stage.id == "chase" and d.actions[0].at.hour == 9
    # the SMS is done as planned; the count changes just after it: review then
    assert d.next_review_at == d.actions[0].at + timedelta(seconds=1)
    at_nine = policy.decide(Case("L1", st, Borrower("CN"), history=[old], state=d.state), d.actions[0].at)
    assert at_nine.next_review_at == d.actions[0].at + timedelta(seconds=1)
    two = [old, Action("sms", now - timedelta(days=1), debt_id="L1", outcome="delivered")]
    q = policy.decide(Case("L1", st, Borrower("CN"), history=two), now)
    # the old contact is counted up to and including old.at + 7 days; the review comes just after
    assert q.stage.id == "quiet" and q.next_review_at == old.at + timedelta(days=7, seconds=1)
    edge = old.at + timedelta(days=7)
    assert policy.decide(Case("L1", st, Borrower("CN"), history=two), edge).stage.id == "quiet"
    assert policy.decide(Case("L1", st, Borrower("CN"), history=two), q.next_review_at).stage.id == "chase"


def test_a_task_planned_earlier_in_the_day_is_done_unless_the_stage_changes() -> None:
    """Tasks are planned once a day (the state keeps each with its time): a later decision of the same
    stage keeps the task in its plan until its time — before, a decision between the planning and
    the task's time (a payment at noon) dropped it. A stage change drops it."""
    policy = Policy.from_dict(
        {
            "name": "tasks",
            "segments": [{"id": "all"}],
            "stages": [
                {
                    "id": "cur",
                    "label_en": "c",
                    "label_zh": "c",
                    "when": {"fact": "dpd", "op": "==", "value": 0},
                },
                {
                    "id": "late",
                    "label_en": "l",
                    "label_zh": "l",
                    "when": {"fact": "dpd", "op": ">=", "value": 1},
                    "treatments": [
                        {
                            "id": "rev",
                            "action": "task",
                            "task": "legal_review",
                            "anchor": "dpd",
                            "on_days": [3],
                            "window": ["13:00", "14:00"],
                        }
                    ],
                },
            ],
        }
    )
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=24, start=date(2026, 1, 1))
    first = amortize(terms)[0].payment
    kw: dict[str, Any] = {"borrower": Borrower("CN"), "start": terms.start, "end": date(2026, 2, 10)}
    task_day = date(2026, 2, 4)  # DPD 3 of the 2026-02-01 installment

    def tasks(payments: list[Payment]) -> list[tuple[datetime, str]]:
        run = simulate(policy, terms, behaviour=Behaviour.scripted(payments=payments), **kw)
        return [(e.at, e.detail) for e in run.events if e.event == "task"]

    at = datetime(2026, 2, 4, 13, tzinfo=SH)
    assert tasks([]) == [(at, "legal_review (rev)")]
    assert tasks([Payment(task_day, 100)]) == [(at, "legal_review (rev)")]  # noon decision, same stage
    assert tasks([Payment(task_day, first)]) == []  # cured at noon: the stage changed
