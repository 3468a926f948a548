"""``amortize`` and ``level_payment``: dispatch to the per-method builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from autoloan.amortization._annuity import build_annuity
from autoloan.amortization._bullet import build_bullet
from autoloan.amortization._core import Columns, Plan, make_plan
from autoloan.amortization._equal_principal import build_equal_principal
from autoloan.amortization._flat import build_flat
from autoloan.amortization._interest_only import build_interest_only
from autoloan.amortization._rule_of_78 import build_rule_of_78
from autoloan.amortization._simple_interest import build_simple_interest
from autoloan.amortization.schedule import Schedule
from autoloan.amortization.terms import LoanTerms, Method
from autoloan.dates import Frequency
from autoloan.errors import InvalidTerms
from autoloan.money import CONTEXT, Rounding, from_minor

__all__ = ["amortize", "level_payment"]

_BUILDERS: dict[Method, Callable[[Plan], tuple[Columns, int]]] = {
    Method.ANNUITY: build_annuity,
    Method.BALLOON: build_annuity,
    Method.EQUAL_PRINCIPAL: build_equal_principal,
    Method.INTEREST_ONLY: build_interest_only,
    Method.BULLET: build_bullet,
    Method.FLAT: build_flat,
    Method.RULE_OF_78: build_rule_of_78,
    Method.SIMPLE_INTEREST: build_simple_interest,
}


def amortize(terms: LoanTerms) -> Schedule:
    """Build the repayment schedule of ``terms``.

    Interest is computed exactly and rounded once per installment; the last
    installment absorbs every residue, so the principal column sums exactly to
    the amount amortized and the final balance is zero.

    A schedule has one row per payment. Rarely (tiny loans whose per-period interest rounds to
    nothing, or a payment rounded up to ``payment_multiple``) the loan is repaid before its last
    due date: then ``schedule.paid_off_early`` is True and the schedule is shorter than ``term``.
    Terms whose amounts would exceed :data:`autoloan.money.CONTEXT`'s 50 digits (a balance that
    grows for thousands of periods) raise :class:`~autoloan.errors.InvalidTerms`.

    >>> from datetime import date
    >>> from autoloan import LoanTerms, amortize
    >>> s = amortize(LoanTerms(principal=1000000, annual_rate="0.049", term=360,
    ...                        start=date(2026, 1, 1), currency="CNY"))
    >>> s[0].payment, s[0].interest, s[0].principal, s[-1].balance
    (Decimal('5307.27'), Decimal('4083.33'), Decimal('1223.94'), Decimal('0.00'))
    >>> s.total_principal, s.paid_off_early
    (Decimal('1000000.00'), False)
    """
    if type(terms) is not LoanTerms:
        raise InvalidTerms("terms", terms, "must be a LoanTerms")
    plan = make_plan(terms)
    cols, level = _BUILDERS[terms.method](plan)
    if max(cols.balance) + plan.balance + sum(cols.interest) >= _LIMIT or level >= _LIMIT:
        raise _too_large(terms)
    return Schedule.from_columns(
        terms,
        cols.dates,
        cols.payment,
        cols.principal,
        cols.interest,
        cols.balance,
        level_payment=level,
        capitalized_interest=plan.capitalized,
    )


#: Amounts (in minor units) from here on have more digits than autoloan's working precision.
_LIMIT = 10**CONTEXT.prec


def _too_large(terms: LoanTerms) -> InvalidTerms:
    return InvalidTerms(
        "term",
        terms.term,
        f"the amounts of this schedule exceed {CONTEXT.prec} digits (interest outgrows the payments); "
        "use a shorter term or a lower rate",
    )


def level_payment(
    principal: Any,
    annual_rate: Any,
    term: int,
    *,
    frequency: Frequency | str = "monthly",
    balloon: Any = 0,
    currency: str = "USD",
    rounding: Rounding | str = Rounding.HALF_UP,
    interest_only_periods: int = 0,
    payment_multiple: Any = None,
) -> Decimal:
    """The level (等额本息) payment, rounded to the currency's minor unit.

    PMT = (P·(1+r)^n − balloon)·r / ((1+r)^n − 1) with r = annual_rate / periods per year,
    evaluated exactly and rounded with ``rounding`` -- or down instead, in the rare schedules (tiny
    loans; very high rates over very long terms, where per-period interest rounding compounds) in
    which the rounded-up payment would pay the loan off before its last period; numpy-financial's
    ``pmt(0.075/12, 12*15, 200000)`` is −1854.0247... (numpy-financial documentation), which rounds
    to 1854.02.

    >>> level_payment(200000, "0.075", 180)
    Decimal('1854.02')
    >>> level_payment(1000000, "0.049", 360, currency="CNY")
    Decimal('5307.27')
    """
    terms = LoanTerms(
        principal=principal,
        annual_rate=annual_rate,
        term=term,
        start=date(2000, 1, 1),
        frequency=frequency,
        balloon=balloon,
        currency=currency,
        rounding=rounding,
        interest_only_periods=interest_only_periods,
        payment_multiple=payment_multiple,
    )
    _, pmt = build_annuity(make_plan(terms))
    if pmt >= _LIMIT:
        raise _too_large(terms)
    return from_minor(pmt, terms.currency)
