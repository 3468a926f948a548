"""Rule of 78s: a precomputed add-on finance charge earned by the sum of the digits.

The finance charge F = principal × annual rate × years is fixed at signing; the
payment is (principal + F) / n and installment k earns F × (n − k + 1) / (n(n + 1)/2).
Note 15 U.S.C. 1615(b): US consumer credit with a term over 61 months may not
use it for refunds on prepayment.
"""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, round_up_to_multiple
from autoloan.amortization._flat import flat_total_interest

__all__ = ["build_rule_of_78"]


def build_rule_of_78(plan: Plan) -> tuple[Columns, int]:
    cols = Columns()
    n = plan.term
    exact = flat_total_interest(plan)
    charge = plan.rnd(exact.numerator, exact.denominator)
    pmt = round_up_to_multiple(plan.rnd(plan.balance + charge, n), plan.multiple)
    digits = n * (n + 1)
    balance, earned = plan.balance, 0
    for k, due in enumerate(plan.dates):
        # Round the cumulative earned charge, so every installment's share is >= 0 and they sum to F:
        # earned through k = F × (1 − (n−k−1)(n−k) / (n(n+1))).
        remaining = (n - k - 1) * (n - k)
        interest = plan.rnd(charge * (digits - remaining), digits) - earned
        principal = balance if k == n - 1 else min(pmt - interest, balance)
        earned += interest
        balance -= principal
        cols.add(due, principal, interest, balance)
    return cols, pmt
