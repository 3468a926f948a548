"""``next_review_at`` waits for the first day anything can change: the quiet review is sound.

* every fact's ``changes`` is sound: with nothing happening, the fact keeps today's value on every
  day before the day it names;
* ``Treatment.first_day`` is the first of ``Treatment.days``;
* simulating with the engine's quiet reviews gives the same run — events, stage entries, actions,
  offers, payments, contact history, final status — as the same engine reviewing every midnight
  (the run before this change), for random policies whose stages, treatments, holds, offers and
  segments test the time-dependent facts, random borrowers with bankruptcy, military service and
  cease dates inside the run, random promises and payments; only the number of engine calls drops.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import autoloan.policy.engine as engine
from autoloan import LoanTerms, amortize
from autoloan.compliance import Borrower
from autoloan.policy import Behaviour, Case, Policy, Promise, Run, simulate
from autoloan.policy.facts import FACTS, Facts
from autoloan.servicing import Payment, account_status
from autoloan.testing import behaviours, cases, policy_documents, policy_terms

SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None)


@SLOW
@given(cases(), st.integers(0, 40), st.lists(st.integers(-5, 45), min_size=5, max_size=5), st.booleans())
def test_each_fact_keeps_its_value_until_it_says_it_changes(
    inputs: tuple[Case, datetime], ahead: int, offsets: list[int], dated: bool
) -> None:
    case, now = inputs
    if dated:  # a bankruptcy, military service and cease request starting or ending in the coming days
        at = [now.date() + timedelta(days=k) for k in offsets]
        case = case.replace(
            borrower=Borrower(
                case.borrower.jurisdiction,
                bankruptcy_filed_on=at[0],
                bankruptcy_stay_lifted_on=max(at[0], at[1]) + timedelta(days=1),
                military_service=(min(at[2], at[3]), max(at[2], at[3])),
                cease_requested_on=at[4],
            )
        )
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    today = now.date()
    entered = today - timedelta(days=ahead % 7)
    f = Facts(case, now, today, entered_day=entered, segment="all", arm="a", grace=ahead % 3)
    for name, fact in FACTS.items():
        if fact.window_days is not None:
            continue  # contact windows: the engine reviews when a contact leaves the count
        change = f.next_change(name)
        value = f.get(name)
        if fact.changes is None:
            assert change is None
        else:
            assert change is None or change > today, (name, change, today)
        last = today + timedelta(days=60) if change is None else change - timedelta(days=1)
        event(f"{name} quiet {min((last - today).days, 5)}+ days")
        day = today + timedelta(days=1)
        while day <= min(last, today + timedelta(days=60)):
            later = Facts(
                case,
                datetime.combine(day, time(0), tz),
                day,
                entered_day=entered,
                segment="all",
                arm="a",
                grace=ahead % 3,
            )
            assert later.get(name) == value, (name, today, day, change, value, later.get(name))
            day += timedelta(days=1)


def test_amounts_of_a_fresh_status_keep_until_the_named_day() -> None:
    """The money facts read a status the caller refreshes: interest and 罚息 accrue while past due,
    so they are reviewed daily then; while current they hold until the day after the due date."""
    terms = policy_terms()
    case = Case("L1", account_status(terms, [], date(2026, 1, 10)), Borrower("CN"))
    now = datetime(2026, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    f = Facts(case, now, now.date())
    assert f.next_change("amount_past_due") == date(2026, 2, 2)
    for day in (date(2026, 1, 11), date(2026, 2, 1)):
        fresh = Facts(Case("L1", account_status(terms, [], day), Borrower("CN")), now, day)
        assert fresh.get("amount_past_due") == f.get("amount_past_due") == 0
    late = Facts(
        Case("L1", account_status(terms, [], date(2026, 2, 2)), Borrower("CN")), now, date(2026, 2, 2)
    )
    assert late.get("amount_past_due") > 0 and late.next_change("amount_past_due") == date(2026, 2, 3)
    assert f.next_change("payoff_amount") == date(2026, 1, 11)  # interest accrues daily


@SLOW
@given(policy_documents(conditions=True), st.integers(-10, 60), st.integers(0, 70))
def test_first_day_is_the_first_of_days(doc: dict[str, Any], lo: int, width: int) -> None:
    for stage in Policy.from_dict(doc).stages:
        for t in stage.treatments:
            days = t.days(lo, lo + width)
            assert t.first_day(lo, lo + width) == (days[0] if days else None)


@contextmanager
def reviewing_every_midnight() -> Iterator[None]:
    """The engine as it was: the next review is at the latest the next local midnight."""
    with mock.patch.object(
        engine, "_quiet_until", lambda cp, stage, case, f, today, entered: today + timedelta(1)
    ):
        yield


def quiet_and_daily(policy: Policy, terms: LoanTerms, kw: dict[str, Any]) -> tuple[Run, Run]:
    """The run with quiet reviews and with a review every midnight, checked equal."""
    quiet = simulate(policy, terms, **kw)
    with reviewing_every_midnight():
        daily = simulate(policy, terms, **kw)
    _same_run(quiet, daily)
    return quiet, daily


def _same_run(a: Run, b: Run) -> None:
    assert a.events == b.events
    assert a.stage_entries == b.stage_entries
    assert a.actions == b.actions
    assert a.offers_made == b.offers_made and a.offers_taken == b.offers_taken
    assert a.blocked_executed == b.blocked_executed == 0
    assert a.payments == b.payments
    assert a.history.items == b.history.items
    assert a.final_status == b.final_status


@st.composite
def borrowers(draw: st.DrawFn, start: date, end: date) -> Borrower:
    """A borrower whose bankruptcy, military service and cease request may start or end inside the run."""

    def inside() -> date:
        return start + timedelta(days=draw(st.integers(-10, (end - start).days + 5)))

    kw: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        kw["bankruptcy_filed_on"] = filed = inside()
        if draw(st.booleans()):
            kw["bankruptcy_stay_lifted_on"] = filed + timedelta(days=draw(st.integers(1, 40)))
    if draw(st.integers(0, 3)) == 0:
        begin = inside()
        kw["military_service"] = (begin, draw(st.one_of(st.none(), st.just(begin + timedelta(days=20)))))
    if draw(st.integers(0, 3)) == 0:
        kw["cease_requested_on"] = inside()
    return Borrower(draw(st.sampled_from(["CN", "GB", "US-MA", "US-WI"])), **kw)


@st.composite
def runs(draw: st.DrawFn) -> tuple[Policy, dict[str, Any], LoanTerms]:
    # half of the policies also test time-dependent facts in their conditions; many of those change
    # daily (days to the next due date, days in stage, payoff), so plain ones reach the long reviews
    doc = draw(policy_documents(max_stages=4, conditions=draw(st.booleans())))
    terms = draw(st.sampled_from([policy_terms(), _WEEKLY]))
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 50)))
    end = start + timedelta(days=draw(st.integers(10, 110)))
    behaviour = draw(st.one_of(behaviours(), _promising(), _on_time(terms)))
    kw: dict[str, Any] = {
        "borrower": draw(borrowers(start, end)),
        "start": start,
        "end": end,
        "behaviour": behaviour,
        "flags": draw(st.lists(st.sampled_from(["deceased", "hardship_plan", "x"]), max_size=1)),
        "risk_score": draw(st.sampled_from([None, 300, 700])),
    }
    return Policy.from_dict(doc), kw, terms


_WEEKLY = LoanTerms(
    principal=Decimal(3000),
    annual_rate=Decimal("0.12"),
    term=26,
    start=date(2026, 1, 1),
    frequency="biweekly",
)


def _on_time(terms: LoanTerms) -> st.SearchStrategy[Behaviour]:
    """Every installment paid on its due date, but for one that is skipped (or none)."""
    rows = list(amortize(terms))
    return st.integers(-1, 5).map(
        lambda skip: Behaviour.scripted(
            payments=[Payment(r.due_date, r.payment) for i, r in enumerate(rows) if i != skip]
        )
    )


def _promising() -> st.SearchStrategy[Behaviour]:
    """Scripted payments and promises (made ahead, kept or broken)."""
    day = st.integers(0, 120).map(lambda d: date(2026, 1, 5) + timedelta(days=d))
    payments = st.lists(
        st.builds(Payment, day, st.sampled_from([Decimal("200"), Decimal("531.85")])), max_size=3
    )
    promises = st.lists(
        st.builds(
            lambda due, lead, amount: Promise(due, amount, made_on=due - timedelta(days=lead)),
            day,
            st.integers(0, 4),
            st.sampled_from([Decimal("100"), Decimal("600")]),
        ),
        max_size=3,
    )
    return st.builds(
        lambda p, q, answer: Behaviour.scripted(
            payments=sorted(p, key=lambda x: x.date), promises=q, outcomes={"call": answer}
        ),
        payments,
        promises,
        st.sampled_from(["conversation", "no_answer"]),
    )


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(runs())
def test_quiet_reviews_give_the_run_of_daily_reviews(
    inputs: tuple[Policy, dict[str, Any], LoanTerms],
) -> None:
    policy, kw, terms = inputs
    quiet, daily = quiet_and_daily(policy, terms, kw)
    assert quiet.decisions <= daily.decisions
    event(f"engine calls saved: {'yes' if quiet.decisions < daily.decisions else 'none'}")
    event(f"stages entered: {min(len(quiet.stage_entries), 4)}")


def test_a_current_account_is_reviewed_around_its_due_dates_only() -> None:
    """cn-auto, an on-time payer: reviews on the reminder days, the due date and the day after."""
    terms = LoanTerms(
        principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    pay = Behaviour.scripted(payments=[Payment(r.due_date, r.payment) for r in amortize(terms)][:6])
    kw: dict[str, Any] = {
        "borrower": Borrower("CN"),
        "start": terms.start,
        "end": date(2026, 7, 14),
        "behaviour": pay,
    }
    quiet, daily = quiet_and_daily(Policy.builtin("cn-auto"), terms, kw)
    assert [s for _, s in quiet.stage_entries] == ["current"]
    assert daily.decisions >= 181 and quiet.decisions <= daily.decisions / 4, (
        quiet.decisions,
        daily.decisions,
    )


def _stage(sid: str, when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": sid, "label_en": sid, "label_zh": sid, "when": when, **extra}


def _policy(stages: list[dict[str, Any]], **extra: Any) -> Policy:
    return Policy.from_dict({"name": "quiet", "segments": [{"id": "all"}], "stages": stages, **extra})


def test_a_stage_caught_up_gives_way_the_next_day() -> None:
    """skip_mode catch_up at DPD 0: the mandatory stage jumped past is entered first, and the stage the
    facts match follows the next day although no fact changed."""
    policy = _policy(
        [
            _stage("m", {"fact": "dpd", "op": ">=", "value": 90}, mandatory=True, min_days=3),
            _stage("t", {"fact": "dpd", "op": ">=", "value": 0}),
        ],
        skip_mode="catch_up",
    )
    terms = policy_terms()
    kw: dict[str, Any] = {"borrower": Borrower("CN"), "start": date(2026, 1, 5), "end": date(2026, 1, 20)}
    quiet, _daily = quiet_and_daily(policy, terms, kw)
    assert [(w.date(), s) for w, s in quiet.stage_entries] == [
        (date(2026, 1, 5), "m"),
        (date(2026, 1, 6), "t"),
    ]


def test_a_contact_leaving_the_window_is_seen_when_it_leaves() -> None:
    """A stage on ``contacts_7d``: the SMS of the reminder day moves the account to ``cool``; it comes
    back to ``remind`` one second after the SMS leaves the 7-day count, not at a later review."""
    policy = _policy(
        [
            _stage("cool", {"fact": "contacts_7d", "op": ">=", "value": 1}),
            _stage(
                "remind",
                {"fact": "dpd", "op": ">=", "value": 0},
                treatments=[{"id": "sms", "action": "sms", "anchor": "due", "on_days": [-10]}],
            ),
        ]
    )
    terms = policy_terms()
    rows = list(amortize(terms))
    kw: dict[str, Any] = {
        "borrower": Borrower("CN"),
        "start": date(2026, 1, 1),
        "end": date(2026, 2, 25),
        "behaviour": Behaviour.scripted(payments=[Payment(r.due_date, r.payment) for r in rows[:2]]),
    }
    quiet, daily = quiet_and_daily(policy, terms, kw)
    sms = [a.at for a in quiet.actions]
    entries = [(w, s) for w, s in quiet.stage_entries]
    assert sms and entries[0][1] == "remind" and entries[1] == (sms[0] + timedelta(seconds=1), "cool")
    assert entries[2] == (sms[0] + timedelta(days=7, seconds=1), "remind")
    assert quiet.decisions < daily.decisions / 3


def test_a_stage_that_fails_once_entered_is_decided_again_before_its_plan() -> None:
    """A stage condition on days_in_stage sees the stage being left: once entered the count restarts
    and the condition fails. The engine says so and asks to be called again at the plan's first
    action (as every decision did before), so the unstable stage's email is not sent."""
    policy = _policy(
        [
            _stage(
                "push",
                {"fact": "days_in_stage", "op": "==", "value": 3},
                treatments=[{"id": "mail", "action": "email", "anchor": "stage", "on_days": [0]}],
            ),
            _stage("base", {"fact": "dpd", "op": ">=", "value": 0}),
        ]
    )
    terms = policy_terms()
    kw: dict[str, Any] = {"borrower": Borrower("CN"), "start": date(2026, 1, 5), "end": date(2026, 1, 12)}
    quiet, _daily = quiet_and_daily(policy, terms, kw)
    assert quiet.actions == ()
    entries = [(w.strftime("%m-%d %H:%M"), s) for w, s in quiet.stage_entries]
    assert entries[:3] == [("01-05 00:00", "base"), ("01-08 00:00", "push"), ("01-08 09:00", "base")]
    status = account_status(terms, [], date(2026, 1, 8))
    state = {"stage": "base", "entered_at": "2026-01-05T00:00:00+08:00", "visited": [], "terminal": False}
    d = policy.decide(Case("L1", status, Borrower("CN"), state=state), datetime(2026, 1, 8, tzinfo=SH))
    assert d.stage.id == "push" and d.next_review_at == d.actions[0].at
    assert any("decided again at its first action" in line for line in d.trace)


SH = ZoneInfo("Asia/Shanghai")


def test_lint_flags_a_stage_condition_on_days_in_stage() -> None:
    stages = [
        _stage("push", {"fact": "days_in_stage", "op": "==", "value": 3}),
        _stage("base", {"fact": "dpd", "op": ">=", "value": 0}),
    ]
    findings = _policy(stages).lint(("CN",))
    assert [(f.code, f.path, f.severity) for f in findings] == [
        ("stage_on_days_in_stage", "$.stages[0].when", "warning")
    ]
    assert not [f for f in Policy.builtin("cn-auto").lint() if f.code == "stage_on_days_in_stage"]
