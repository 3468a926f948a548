"""先息后本 interest only: interest every period, all principal with the last payment."""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan

__all__ = ["build_interest_only"]


def build_interest_only(plan: Plan) -> tuple[Columns, int]:
    """Returns the columns and the regular (interest-only) payment."""
    cols = Columns()
    balance, n = plan.balance, plan.term
    for k, due in enumerate(plan.dates):
        interest = plan.period_interest(balance, k)
        principal = balance if k == n - 1 else 0
        balance -= principal
        cols.add(due, principal, interest, balance)
    return cols, plan.regular_interest(plan.balance)
