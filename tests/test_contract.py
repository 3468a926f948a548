"""The public API contract of shared/DESIGN.md, called exactly as outside checks call it.

This file is also type-checked with ``mypy --strict`` by ``make test`` (``make typecheck``), so a
change that makes the documented calls fail a user's type checker fails the build.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import autoloan as al
from autoloan.compliance import Action, Borrower, check
from autoloan.delinquency import BucketScheme
from autoloan.servicing import Payment, account_status, payoff_quote


def test_design_contract() -> None:
    pmt: Decimal = al.level_payment(150000, "0.0435", 60, frequency="monthly", balloon=0, currency="CNY")
    terms = al.LoanTerms(
        principal=150000,
        annual_rate=Decimal("0.0435"),
        term=60,
        start=date(2026, 1, 15),
        first_due=None,
        frequency="monthly",
        method="annuity",
        day_count="30/360",
        balloon=0,
        currency="CNY",
        fees=(),
    )
    sched = al.amortize(terms)
    inst = sched[0]
    assert (inst.number, inst.payment) == (1, pmt)
    assert inst.payment == inst.principal + inst.interest + inst.fees
    assert inst.due_date == date(2026, 2, 15) and inst.balance == 150000 - inst.principal
    assert sched.total_payment == sched.total_interest + sched.total_principal
    for method in (
        "annuity",
        "equal_principal",
        "interest_only",
        "bullet",
        "flat",
        "rule_of_78",
        "simple_interest",
    ):
        assert (
            al.amortize(
                al.LoanTerms(
                    principal=1000, annual_rate="0.05", term=6, start=date(2026, 1, 1), method=method
                )
            ).total_principal
            == 1000
        )

    dated = [(i.due_date, i.payment) for i in sched]
    apr: Decimal = al.apr_actuarial(terms.amount_financed, terms.start, dated)
    assert abs(apr - Decimal("0.0435")) < Decimal("0.0001")
    eu: Decimal = al.aprc_eu(advances=[(date(2026, 1, 1), 1000)], repayments=[(date(2027, 1, 1), 1100)])
    assert abs(eu - Decimal("0.1")) < Decimal("0.000001")
    nominal: Decimal = al.irr([-1000] + [Decimal("85.61")] * 12, periods_per_year=12)
    assert Decimal("0.049") < nominal < Decimal("0.051")
    assert al.xirr([(date(2026, 1, 1), -100), (date(2027, 1, 1), 200)]) == 1
    rate: Decimal = al.solve_rate(150000, pmt, 60, frequency="monthly")
    assert abs(rate - Decimal("0.0435")) < Decimal("0.00001")
    term: int = al.solve_term(150000, "0.0435", pmt, frequency="monthly")
    # NPER, last payment smaller: 60 payments of 2,786.23 (rounded down from 2,786.2334) leave 0.25,
    # which NPER counts as a 61st payment; amortize folds it into the 60th.
    assert term == 61

    st = account_status(terms, payments=[Payment(date(2026, 2, 15), pmt)], as_of=date(2026, 3, 20))
    assert (st.days_past_due, st.amount_past_due) == (5, pmt)
    assert st.principal_balance == 150000 - inst.principal and st.payoff_amount > st.principal_balance
    quote = payoff_quote(terms, [Payment(date(2026, 2, 15), pmt)], date(2026, 3, 20))
    assert quote.total >= st.principal_balance

    assert BucketScheme.cycles().bucket(45).name == "M2"

    new_york = ZoneInfo("America/New_York")
    v = check(
        Action(kind="call", at=datetime(2026, 3, 2, 7, 30, tzinfo=new_york), debt_id="L1"),
        history=[Action(kind="sms", at=datetime(2026, 3, 1, 10, 0, tzinfo=new_york), debt_id="L1")],
        borrower=Borrower(jurisdiction="US-MA", timezones=("America/New_York",)),
    )
    assert not v.allowed and v.next_permitted is not None
    assert {(f.rule_id, f.severity) for f in v.findings} >= {("US.REGF.1006.6(b)(1)(i)", "block")}
    assert all(f.citation and f.message for f in v.findings)


@given(
    st.integers(10_000, 5_000_000),  # payments large enough that one rounded payment fits one term
    st.integers(0, 300_000).map(lambda n: Decimal(n).scaleb(-6)),
    st.integers(1, 360),
)
def test_level_payment_round_trips_through_the_solvers(principal: int, rate: Decimal, term: int) -> None:
    """payment -> solve_term -> the term (NPER rounding aside), payment -> solve_rate -> the same payment."""
    pmt = al.level_payment(principal, rate, term)
    solved = al.solve_term(principal, rate, pmt)
    # NPER (last payment smaller) of a payment rounded to the cent: the term, or one more tiny payment
    # when it was rounded down; where several terms share one rounded payment (high rates, long
    # terms) another term with that same rounded payment.
    assert solved in (term, term + 1) or al.level_payment(principal, rate, solved) == pmt
    if rate >= Decimal("0.001") and term > 1:  # near 0 % a rounded payment may imply a rate below zero
        assert al.level_payment(principal, al.solve_rate(principal, pmt, term), term) == pmt


def test_policy_and_book_contract() -> None:
    """DESIGN.md's policy and book contract, called exactly as written there."""
    from autoloan import book
    from autoloan.policy import Behaviour, Case, Policy, simulate

    terms = al.LoanTerms(
        principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    shanghai = ZoneInfo("Asia/Shanghai")
    policy = Policy.builtin("cn-auto")
    assert Policy.builtin("us-auto").digest != policy.digest
    assert Policy.from_dict(policy.to_dict()).digest == policy.digest
    assert Policy.json_schema()["$schema"].endswith("2020-12/schema")
    assert all(f.code and f.path and f.message for f in policy.lint(jurisdictions=("CN",)))
    st = account_status(terms, payments=[], as_of=date(2026, 2, 17))
    case = Case(
        account_id="L1",
        status=st,
        borrower=Borrower(jurisdiction="CN", timezones=("Asia/Shanghai",)),
        history=[Action(kind="sms", at=datetime(2026, 2, 16, 10, 0, tzinfo=shanghai), debt_id="L1")],
        promises=(),
        flags=frozenset(),
        risk_score=None,
        state=None,
    )
    d = policy.decide(case, now=datetime(2026, 2, 17, 0, 0, tzinfo=shanghai))
    assert d.stage.id == "early" and d.stage.label_zh == "初次催收" and d.segment and d.arm
    for a in d.actions:
        assert a.at.tzinfo is not None and a.stage_id == d.stage.id and a.treatment_id and a.reason
        assert a.action is None or a.kind == a.action.kind  # None: a human work item (task)
    assert d.next_review_at is not None and isinstance(d.state, dict) and d.trace
    assert d.to_dict() == policy.decide(case, now=datetime(2026, 2, 17, 0, 0, tzinfo=shanghai)).to_dict()
    _ = d.suppressed, d.offers
    run = simulate(
        policy,
        terms,
        borrower=Borrower(jurisdiction="CN", timezones=("Asia/Shanghai",)),
        start=date(2026, 1, 15),
        end=date(2026, 6, 30),
        behaviour=Behaviour.scripted(payments=[Payment(date(2026, 2, 15), "3552.85")]),
    )
    assert [s for _, s in run.stage_entries][:2] == ["current", "early"] and run.actions
    assert run.blocked_executed == 0
    assert (
        simulate(
            policy,
            terms,
            borrower=Borrower(jurisdiction="CN"),
            start=date(2026, 1, 15),
            end=date(2026, 3, 31),
            behaviour=Behaviour.random(seed=7),
        ).blocked_executed
        == 0
    )
    loans, payments = book.synthetic(20, seed=1, as_of=date(2026, 6, 30))
    st_table = book.statuses(loans, payments, as_of=date(2026, 6, 30))
    assert len(st_table["loan_id"]) == 20
