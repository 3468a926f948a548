"""Flat / add-on rate (等本等息, the 手续费率 quote): interest on the original principal, spread evenly."""

from __future__ import annotations

from fractions import Fraction

from autoloan.amortization._core import Columns, Plan, level_per_period, round_up_to_multiple

__all__ = ["build_flat", "flat_total_interest"]


def flat_total_interest(plan: Plan) -> Fraction:
    """principal × annual_rate × years (years = term / periods per year), exact, plus odd-period interest."""
    ppy = plan.terms.frequency.periods_per_year
    regular = Fraction(plan.balance * plan.annual_rate_num * plan.term, plan.annual_rate_den * ppy)
    # A very short first period cannot make the charge negative (e.g. 364 ACT/360 days off one year).
    return max(Fraction(0), regular + plan.odd_first + plan.odd_last)


def build_flat(plan: Plan) -> tuple[Columns, int]:
    """Equal principal and equal interest each period; the last absorbs both rounding residues.

    Odd-period interest goes to the first installment (``odd_days="add"``) or the last (``"last"``).
    """
    cols = Columns()
    n = plan.term
    regular_total = Fraction(
        plan.balance * plan.annual_rate_num * n, plan.annual_rate_den * plan.terms.frequency.periods_per_year
    )
    regular_units = plan.rnd(regular_total.numerator, regular_total.denominator)
    odd = plan.odd_first + plan.odd_last
    odd_units = plan.rnd(odd.numerator, odd.denominator)
    per_interest = level_per_period(regular_units, n, plan.rounding)
    first_interest = max(0, per_interest + odd_units) if plan.odd_first else per_interest
    per_principal = level_per_period(plan.balance, n, plan.rounding)
    level = round_up_to_multiple(per_principal + per_interest, plan.multiple)
    per_principal = level - per_interest
    total_interest = max(0, regular_units + odd_units)
    balance, paid_interest = plan.balance, 0
    for k, due in enumerate(plan.dates):
        if k == n - 1:
            principal, interest = balance, max(0, total_interest - paid_interest)
        else:
            principal = min(per_principal, balance)
            interest = first_interest if k == 0 else per_interest
        paid_interest += interest
        balance -= principal
        cols.add(due, principal, interest, balance)
    return cols, level
