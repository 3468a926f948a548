"""US simple interest (daily accrual): the expected schedule when every payment arrives on its due date.

Each period's interest is balance × annual rate × actual days / 365 (ACT/365F by
default, or the loan's actual-day count); the payment is the level annuity
payment and the last payment trues up.

An odd first period follows ``odd_days`` as in the other methods: ``"last"`` (the
default for this method, the usual US contract) leaves the first payment level, so the
extra days' interest reduces the first payment's principal and the last payment absorbs
the difference; ``"add"`` adds the odd days' interest to the first payment; ``"capitalize"``
adds it to the balance, on which the level payment is then computed.
"""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, annuity_payment, round_up_to_multiple
from autoloan.money import Rounding

__all__ = ["build_simple_interest"]


def build_simple_interest(plan: Plan) -> tuple[Columns, int]:
    """Returns the columns and the level payment (minor units)."""
    periods = plan.term - plan.interest_only
    rate_num, rate_den = plan.period_rate_num, plan.period_rate_den
    pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, plan.rounding)
    pmt = round_up_to_multiple(pmt, plan.multiple)
    cols = _run(plan, pmt)
    if len(cols.payment) < plan.term and plan.multiple <= 1:  # a tiny loan paid off early: round it down
        pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, Rounding.FLOOR)
        cols = _run(plan, pmt)
    return cols, pmt


def _run(plan: Plan, pmt: int) -> Columns:
    day_count = plan.terms.day_count
    cols = Columns()
    balance, n, io = plan.balance, plan.term, plan.interest_only
    an, ad = plan.annual_rate_num, plan.annual_rate_den
    odd_units = plan.rnd(plan.odd_first.numerator, plan.odd_first.denominator) if plan.odd_first else 0
    previous = plan.accrual_start
    for k, due in enumerate(plan.dates):
        years = day_count.fraction(previous, due)
        interest = plan.rnd(balance * an * years.numerator, ad * years.denominator)
        previous = due
        if k == n - 1:
            principal = balance
        elif k < io:
            principal = 0
        else:
            principal = min((pmt + odd_units if k == 0 else pmt) - interest, balance)
        balance -= principal
        cols.add(due, principal, interest, balance)
        if balance == 0:
            break
    return cols
