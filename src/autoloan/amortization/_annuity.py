"""等额本息 equal installment (annuity), with optional balloon and interest-only grace periods."""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, annuity_payment, round_up_to_multiple
from autoloan.money import Rounding

__all__ = ["build_annuity"]


def build_annuity(plan: Plan) -> tuple[Columns, int]:
    """Level payments after the interest-only periods; the last payment clears the balance.

    Returns the columns and the level payment (minor units).
    """
    periods = plan.term - plan.interest_only
    rate_num, rate_den = plan.period_rate_num, plan.period_rate_den
    pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, plan.rounding)
    if plan.multiple > 1:
        return _run(plan, round_up_to_multiple(pmt, plan.multiple)), round_up_to_multiple(pmt, plan.multiple)
    cols = _run(plan, pmt)
    if len(cols.dates) < plan.term:  # rounding the payment up paid a tiny loan off early: round it down
        pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, Rounding.FLOOR)
        cols = _run(plan, pmt)
    return cols, pmt


def _run(plan: Plan, pmt: int) -> Columns:
    # The hot loop of the library: locals only, half-up rounding inlined (balances are never negative).
    rate_num, rate_den, n, io = plan.period_rate_num, plan.period_rate_den, plan.term, plan.interest_only
    half_up, twice_den, rnd = plan.rounding is Rounding.HALF_UP, 2 * rate_den, plan.rnd
    principals: list[int] = []
    interests: list[int] = []
    balances: list[int] = []
    balance = plan.balance
    last = n - 1
    for k in range(n):
        regular = interest = (
            (2 * balance * rate_num + rate_den) // twice_den if half_up else rnd(balance * rate_num, rate_den)
        )
        if k == 0 and plan.odd_first:
            interest = plan.period_interest(balance, 0)
        if k == last:
            principal = balance
            if plan.odd_last:
                interest = plan.period_interest(balance, k)
        elif k < io:
            principal = 0
        else:
            principal = pmt - regular
            if principal > balance:
                principal = balance
            elif principal < 0:
                principal = 0
        balance -= principal
        principals.append(principal)
        interests.append(interest)
        balances.append(balance)
        if balance == 0:
            break  # paid off early (a payment rounded up to a multiple)
    return Columns.of(plan.dates[: len(balances)], principals, interests, balances)
