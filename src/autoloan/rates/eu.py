"""The EU annual percentage rate of charge: Directive 2008/48/EC Annex I.

>>> from datetime import date
>>> # Directive 98/7/EC Annex III, first example: 1,000 on 1994-01-01, 1,200 on 1995-07-01: 12.96 %
>>> round(aprc_eu([(date(1994, 1, 1), 1000)], [(date(1995, 7, 1), 1200)]) * 100, 2)
Decimal('12.96')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from autoloan.errors import InvalidInput
from autoloan.rates._months import add_years, full_months
from autoloan.rates.coerce import choice, dated_pairs
from autoloan.rates.kernel import Flow, solve

__all__ = ["aprc_eu"]

_EU_BASES = ("calendar", "actual/365", "months")


def _eu_years(start: date, d: date, basis: str) -> Fraction:
    """Years from ``start`` to ``d`` under Annex I remark (c)."""
    if d < start:
        return -_eu_years(d, start, basis)
    if basis == "actual/365":
        return Fraction((d - start).days, 365)
    if basis == "months":
        # 12 equal months; the odd days of an equal month (365/12 days) are days / 365 of a year.
        months, back = full_months(start, d, d.day)
        return Fraction(months, 12) + Fraction((back - start).days, 365)
    # "calendar": whole years counted back from d, then the remaining days over the length (365 or 366)
    # of the year that ends where the whole years begin.
    years = max(0, d.year - start.year)
    while years > 0 and add_years(d, -years) < start:
        years -= 1
    anchor = add_years(d, -years)
    year_length = (anchor - add_years(anchor, -1)).days
    return years + Fraction((anchor - start).days, year_length)


def aprc_eu(advances: Any, repayments: Any, *, basis: str = "calendar") -> Decimal:
    """The EU annual percentage rate of charge X (a fraction, effective annual), Directive 2008/48/EC Annex I.

    Solves ``Σ C_k (1 + X) ** -t_k = Σ D_l (1 + X) ** -s_l`` where ``advances`` are the drawdowns C_k and
    ``repayments`` the repayments and charges D_l, as ``(date, amount)`` pairs, and times are in years
    from the first drawdown. ``basis`` picks remark (c)'s year: ``"calendar"`` (365 days, 366 in leap
    years: whole years counted back from each date, then the odd days over the length of the year they
    fall in), ``"actual/365"``, or ``"months"`` (12 equal months; odd days over 365). Disclose it to at
    least one decimal place, rounding half up (remark (d)).

    >>> from datetime import date
    >>> # Directive 98/7/EC Annex III, first example: 1,000 on 1994-01-01, 1,200 on 1995-07-01: 12.96 %
    >>> x = aprc_eu([(date(1994, 1, 1), 1000)], [(date(1995, 7, 1), 1200)])
    >>> x, round(x * 100, 2)
    (Decimal('0.1296203771'), Decimal('12.96'))
    """
    choice(basis, _EU_BASES, "basis")
    draws = dated_pairs(advances, "advances")
    pays = dated_pairs(repayments, "repayments")
    if not draws:
        raise InvalidInput("advances", advances, "must contain at least one drawdown")
    if not pays:
        raise InvalidInput("repayments", repayments, "must contain at least one repayment")
    for field, items in (("advances", draws), ("repayments", pays)):
        for i, (_, amount) in enumerate(items):
            if amount < 0:
                raise InvalidInput(f"{field}[{i}].amount", amount, "must not be negative")
    start = min(d for d, _ in draws)
    for i, (when, _) in enumerate(pays):
        if when < start:  # Annex I counts time from the first drawdown
            reason = f"must not be before the first drawdown ({start})"
            raise InvalidInput(f"repayments[{i}].date", when, reason)
    flows: list[Flow] = [(_eu_years(start, d, basis), 0, a.copy_negate()) for d, a in draws]
    flows += [(_eu_years(start, d, basis), 0, a) for d, a in pays]
    return solve(flows)
