"""Flat / add-on rate (等本等息, the 手续费率 quote): interest on the original principal, spread evenly."""

from __future__ import annotations

from fractions import Fraction

from autoloan.amortization._core import Columns, Plan, level_per_period, round_up_to_multiple

__all__ = ["build_flat", "flat_total_interest"]


def flat_total_interest(plan: Plan) -> Fraction:
    """principal × annual_rate × years (years = term / periods per year), exact, plus odd-period interest."""
    ppy = plan.terms.frequency.periods_per_year
    # A very short first period cannot make the charge negative (e.g. 364 ACT/360 days off one year).
    return max(Fraction(0), Fraction(plan.balance * plan.an * plan.n, plan.ad * ppy) + plan.odd)


def build_flat(plan: Plan) -> tuple[Columns, int]:
    """Equal principal and equal interest each period; the last absorbs both rounding residues."""
    cols = Columns()
    n = plan.n
    regular_total = Fraction(plan.balance * plan.an * n, plan.ad * plan.terms.frequency.periods_per_year)
    regular_units = plan.rnd(regular_total.numerator, regular_total.denominator)
    odd_units = plan.rnd(plan.odd.numerator, plan.odd.denominator)
    per_interest = level_per_period(regular_units, n, plan.rounding)
    first_interest = max(0, per_interest + odd_units)
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
