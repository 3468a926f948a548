"""US simple interest (daily accrual): the expected schedule when every payment arrives on its due date.

Each period's interest is balance × annual rate × actual days / 365 (ACT/365F by
default, or the loan's actual-day count); the payment is the level annuity
payment and the last payment trues up.
"""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, annuity_payment, round_up_to_multiple
from autoloan.money import Rounding

__all__ = ["build_simple_interest"]


def build_simple_interest(plan: Plan) -> tuple[Columns, int]:
    pmt = annuity_payment(plan.balance, plan.balloon, plan.n - plan.io, plan.rn, plan.rd, plan.rounding)
    pmt = round_up_to_multiple(pmt, plan.multiple)
    cols = _run(plan, pmt)
    if len(cols.dates) < plan.n and plan.multiple <= 1:  # a tiny loan paid off early: round the payment down
        pmt = annuity_payment(plan.balance, plan.balloon, plan.n - plan.io, plan.rn, plan.rd, Rounding.FLOOR)
        cols = _run(plan, pmt)
    return cols, pmt


def _run(plan: Plan, pmt: int) -> Columns:
    terms = plan.terms
    day_count = terms.day_count
    assert day_count is not None
    cols = Columns()
    balance, n, io = plan.balance, plan.n, plan.io
    previous = terms.start
    for k, due in enumerate(plan.dates):
        years = day_count.fraction(previous, due)
        interest = plan.rnd(balance * plan.an * years.numerator, plan.ad * years.denominator)
        previous = due
        if k == n - 1:
            principal = balance
        elif k < io:
            principal = 0
        else:
            principal = min(pmt - interest, balance)
        balance -= principal
        cols.add(due, principal, interest, balance)
        if balance == 0:
            break
    return cols
