"""分期 (instalment plan of arrears): the amount past due repaid over a few months.

A lender that offers 分期 takes what is past due on the day of the offer (principal, interest,
fees and 罚息 in arrears) and lets the borrower repay it in ``months`` monthly instalments,
on top of the regular schedule. The plan is an ordinary :class:`~autoloan.amortization.Schedule`
(exact ``Decimal`` money), priced at ``annual_rate`` (0 for an interest-free plan, the common case)
by the chosen method, so the policy engine can show the borrower real numbers.

>>> from datetime import date
>>> plan = instalment_plan("1000.00", 3, date(2026, 3, 10), currency="CNY")
>>> [str(row.payment) for row in plan], plan.total_payment
(['333.33', '333.33', '333.34'], Decimal('1000.00'))
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from autoloan.amortization import LoanTerms, Method, Schedule, amortize
from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import currency as _currency
from autoloan.money import to_decimal, to_rate

__all__ = ["MAX_PLAN_MONTHS", "instalment_plan"]

#: Longest instalment plan accepted (five years of monthly instalments).
MAX_PLAN_MONTHS = 60


def instalment_plan(
    arrears: Any,
    months: int,
    on: _dt.date,
    *,
    annual_rate: Any = 0,
    method: Method | str = Method.ANNUITY,
    currency: str = "USD",
    first_due: _dt.date | None = None,
) -> Schedule:
    """The schedule that repays ``arrears`` in ``months`` monthly instalments from ``on`` (分期).

    ``arrears`` is an amount (for an account: ``status.amount_past_due``); ``annual_rate`` is a
    fraction (``"0.0435"`` or ``"4.35%"``) charged on the outstanding plan balance (0: no charge);
    the first instalment falls due one month after ``on`` unless ``first_due`` says otherwise.
    Rounding residue goes to the last instalment, so the instalments add up exactly.

    >>> from datetime import date
    >>> p = instalment_plan("600", 6, date(2026, 1, 31), annual_rate="0.12", currency="USD")
    >>> len(p), p[0].due_date, p.total_principal, p.total_interest > 0
    (6, datetime.date(2026, 2, 28), Decimal('600.00'), True)
    """
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_PLAN_MONTHS:
        raise InvalidInput("months", months, f"must be a whole number of months, 1 to {MAX_PLAN_MONTHS}")
    on = coerce_date(on, "on")
    code = _currency(currency).code
    amount = to_decimal(arrears, "arrears")
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput("arrears", arrears, "must be a positive amount (nothing is past due)")
    rate = to_rate(annual_rate, "annual_rate")
    if rate < 0:
        raise InvalidInput("annual_rate", annual_rate, "must not be negative")
    terms = LoanTerms(
        principal=amount,
        annual_rate=rate,
        term=months,
        start=on,
        first_due=first_due,
        method=method,
        currency=code,
    )
    return amortize(terms)
