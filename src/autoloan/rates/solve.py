"""Excel's RATE and NPER for level-payment loans: :func:`solve_rate` and :func:`solve_term`.

>>> round(solve_rate(8000, 200, 48) * 100, 2)  # Excel RATE(48, -200, 8000) * 12
Decimal('9.24')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from autoloan.dates import Frequency
from autoloan.errors import InvalidInput, NoSolution
from autoloan.money import Rounding, round_fraction, to_decimal, to_minor, to_rate
from autoloan.money import currency as _currency
from autoloan.rates.coerce import MAX_TERM, whole_number
from autoloan.rates.kernel import CONTEXT, solve_periodic

__all__ = ["solve_rate", "solve_term"]


def solve_rate(
    principal: Any,
    payment: Any,
    term: int,
    *,
    frequency: Frequency | str = Frequency.MONTHLY,
    balloon: Any = 0,
) -> Decimal:
    """The nominal annual rate at which ``term`` level payments (plus an optional ``balloon`` with the
    last one) repay ``principal``: Excel ``RATE`` times the periods per year.

    >>> round(solve_rate(8000, 200, 48) * 100, 2)          # Excel RATE(48, -200, 8000) = 0.77 % a month
    Decimal('9.24')
    >>> round(solve_rate(3500, 0, 10, frequency="annual", balloon=10000), 4)  # numpy-financial rate: 0.1107
    Decimal('0.1107')
    """
    amount = to_decimal(principal, "principal")
    if amount <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    pmt = to_decimal(payment, "payment")
    if pmt < 0:
        raise InvalidInput("payment", payment, "must not be negative")
    last = to_decimal(balloon, "balloon")
    if last < 0:
        raise InvalidInput("balloon", balloon, "must not be negative")
    n = whole_number(term, "term", 1, MAX_TERM)
    ppy = Frequency.parse(frequency).periods_per_year
    flows = [amount.copy_negate(), *([pmt] * (n - 1)), CONTEXT.add(pmt, last)]
    rate = solve_periodic(flows, ppy)
    if rate < 0:
        raise NoSolution(
            "the payments add up to less than the principal, so they never repay it "
            "(the rate balancing them is negative)",
            principal=str(amount),
        )
    return rate


def solve_term(
    principal: Any,
    annual_rate: Any,
    payment: Any,
    *,
    frequency: Frequency | str = Frequency.MONTHLY,
    currency: str = "USD",
    rounding: Rounding | str = Rounding.HALF_UP,
) -> int:
    """The number of payments (NPER) needed to repay ``principal``: all equal to ``payment`` except the
    last, which is smaller (or equal), as Excel's NPER rounded up. Note that a level payment rounded
    *down* to the cent leaves a cent residue that this counts as one more (tiny) payment, where
    :func:`autoloan.amortize` folds it into the last installment: ``solve_term`` of
    ``level_payment(P, r, n)`` is ``n`` or ``n + 1``.

    Counted the way a schedule runs: each period's interest is ``balance × annual_rate / periods per
    year`` rounded once to the currency's minor unit, then the payment is applied.

    >>> solve_term(8000, "0.07", 150)   # numpy-financial nper(0.07/12, -150, 8000) = 64.07 -> 65 payments
    65
    >>> solve_term(1000, 0, 300)        # interest-free: 300, 300, 300, 100
    4
    """
    cur = _currency(currency, "currency")
    balance = to_minor(principal, cur, "principal")
    if balance <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    rate = to_rate(annual_rate, "annual_rate")
    if rate < 0:
        raise InvalidInput("annual_rate", annual_rate, "must not be negative")
    pmt = to_minor(payment, cur, "payment")
    if pmt <= 0:
        raise InvalidInput("payment", payment, "must be greater than zero")
    mode = Rounding.parse(rounding)
    ppy = Frequency.parse(frequency).periods_per_year
    num, den = rate.as_integer_ratio()
    den *= ppy
    first_interest = round_fraction(balance * num, den, mode)
    if pmt <= first_interest:
        raise NoSolution(
            "the payment does not exceed the first period's interest, so the balance never falls",
            payment=str(payment),
            interest=str(cur.exponent * first_interest),
        )
    for count in range(1, MAX_TERM + 1):
        due = balance + round_fraction(balance * num, den, mode)
        if due <= pmt:
            return count
        balance = due - pmt
    raise NoSolution(f"more than {MAX_TERM} payments would be needed", payment=str(payment))
