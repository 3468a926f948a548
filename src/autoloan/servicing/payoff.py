"""Payoff quotes: what closes the loan on a given day, and the daily interest after it.

* Interest-bearing schedules (等额本息, 等额本金, interest-only, balloon, bullet): principal
  balance + interest earned to the day (the current period's scheduled interest pro rata
  by the loan's day count) + fees + 罚息, less credits.
* Daily simple interest: principal + interest accrued to the day at the per diem — the
  unearned interest is never charged, so nothing needs rebating ("by accrual").
* Rule of 78 (precomputed): the unpaid scheduled payments less a rebate of
  ``finance charge × k(k + 1) / (n(n + 1))``, k = installments falling due after the
  payoff date (sum of the digits; easycalculation.com's example: a 12-month contract
  with a $100 finance charge prepaid with 9 months unearned rebates 90/156 × 100 = $57.69).
  15 U.S.C. § 1615(b) bars the Rule of 78s for US precomputed consumer credit with a
  term over 61 months; autoloan computes what the contract says and leaves that check
  to the caller.
* Flat / add-on (等本等息): precomputed interest earned straight-line, so the rebate is
  the scheduled interest not yet earned pro rata.

>>> from datetime import date
>>> from autoloan import LoanTerms
>>> from autoloan.servicing import payoff_quote
>>> t = LoanTerms(principal=10000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
>>> q = payoff_quote(t, [], date(2026, 1, 16))
>>> q.principal, q.accrued_interest, q.total, q.per_diem
(Decimal('10000.00'), Decimal('25.00'), Decimal('10025.00'), Decimal('1.67'))
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from autoloan.amortization import LoanTerms
from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.servicing.ledger import account_status
from autoloan.servicing.payment import Payment
from autoloan.servicing.rules import ServicingRules

__all__ = ["PayoffQuote", "payoff_quote"]


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    """A payoff statement: ``total`` closes the loan if received by ``good_through``.

    ``total = principal + accrued_interest + fees + penalty − credits``; ``rebate``
    is the unearned precomputed interest already taken off (Rule of 78, flat);
    ``per_diem`` is the interest of one more day.

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> t = LoanTerms(principal=3650, annual_rate="0.1", term=12, start=date(2026, 1, 1), method="simple")
    >>> q = payoff_quote(t, [], date(2026, 1, 11))
    >>> q.accrued_interest, q.per_diem, q.total == q.principal + q.accrued_interest
    (Decimal('10.00'), Decimal('1.00'), True)
    """

    on: _dt.date
    good_through: _dt.date
    currency: str
    principal: Decimal
    accrued_interest: Decimal
    fees: Decimal
    penalty: Decimal
    rebate: Decimal
    credits: Decimal
    total: Decimal
    per_diem: Decimal

    def to_dict(self) -> dict[str, object]:
        """The quote as a plain dict (Decimals and dates)."""
        return {name: getattr(self, name) for name in self.__slots__}


def payoff_quote(
    terms: LoanTerms,
    payments: Iterable[Payment],
    on: _dt.date,
    *,
    rules: ServicingRules | None = None,
    good_through_days: int = 0,
) -> PayoffQuote:
    """The amount that pays the loan off on ``on`` (or by ``on + good_through_days``).

    With ``good_through_days`` the quote is computed as of the last day it is good
    for, so it includes the interest (and any charges) up to that day.

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> t = LoanTerms(principal=1200, annual_rate="0.1", term=12, start=date(2026, 1, 1), method="rule_of_78")
    >>> q = payoff_quote(t, [], date(2026, 1, 1))
    >>> q.rebate, q.total
    (Decimal('120.00'), Decimal('1200.00'))
    """
    on = coerce_date(on, "on")
    if (
        isinstance(good_through_days, bool)
        or not isinstance(good_through_days, int)
        or not 0 <= good_through_days <= 366
    ):
        raise InvalidInput("good_through_days", good_through_days, "must be a whole number of days, 0 to 366")
    try:
        through = on + timedelta(days=good_through_days)
    except OverflowError:
        reason = f"runs past the calendar from {on}"
        raise InvalidInput("good_through_days", good_through_days, reason) from None
    st = account_status(terms, payments, through, rules=rules)
    gross = st.principal_balance + st.accrued_interest + st.fees_due + st.penalty_due
    credits = gross - st.payoff_amount
    return PayoffQuote(
        on=on,
        good_through=through,
        currency=st.currency,
        principal=st.principal_balance,
        accrued_interest=st.accrued_interest,
        fees=st.fees_due,
        penalty=st.penalty_due,
        rebate=st.rebate,
        credits=credits,
        total=st.payoff_amount,
        per_diem=st.per_diem,
    )
