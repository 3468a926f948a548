"""等额本金 equal principal: the same principal each period, interest on the falling balance."""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, level_per_period

__all__ = ["build_equal_principal"]


def build_equal_principal(plan: Plan) -> tuple[Columns, int]:
    """Returns the columns and the first regular payment (minor units)."""
    cols = Columns()
    balance, n, io = plan.balance, plan.term, plan.interest_only
    per = level_per_period(balance - plan.balloon, n - io, plan.rounding)
    for k, due in enumerate(plan.dates):
        interest = plan.period_interest(balance, k)
        if k == n - 1:
            principal = balance
        elif k < io:
            principal = 0
        else:
            principal = min(per, balance)
        balance -= principal
        cols.add(due, principal, interest, balance)
    first_regular = per + plan.regular_interest(plan.balance)
    return cols, first_regular
