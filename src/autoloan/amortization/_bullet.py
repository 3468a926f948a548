"""一次性还本付息 bullet: one payment of principal and simple interest at maturity."""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan

__all__ = ["build_bullet"]


def build_bullet(plan: Plan) -> tuple[Columns, int]:
    """Interest = principal × annual rate × year fraction(start, maturity) by the loan's day count."""
    terms = plan.terms
    assert terms.day_count is not None
    maturity = plan.dates[-1]
    years = terms.day_count.fraction(terms.start, maturity)
    interest = plan.rnd(
        plan.balance * plan.annual_rate_num * years.numerator, plan.annual_rate_den * years.denominator
    )
    cols = Columns()
    cols.add(maturity, plan.balance, interest, 0)
    return cols, plan.balance + interest
