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
