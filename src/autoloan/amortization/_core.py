"""Shared integer machinery of the schedule builders.

Amounts are integer minor units, rates exact fractions ``num / den``; each
installment's interest is rounded once with the loan's rounding mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from autoloan.amortization.terms import LoanTerms, Method, OddDays
from autoloan.dates import add_months
from autoloan.errors import InvalidInput, InvalidTerms
from autoloan.money import Rounding, round_fraction

__all__ = [
    "Columns",
    "Plan",
    "annuity_payment",
    "level_per_period",
    "make_plan",
    "previous_regular_date",
    "round_up_to_multiple",
]


@dataclass(slots=True)
class Columns:
    """The growing columns of a schedule under construction.

    ``dates`` None: the rows fall on the terms' first ``len(payment)`` due dates (filled in lazily).
    """

    dates: list[date] | None = field(default_factory=list)
    payment: list[int] = field(default_factory=list)
    principal: list[int] = field(default_factory=list)
    interest: list[int] = field(default_factory=list)
    balance: list[int] = field(default_factory=list)

    def add(self, due: date, principal: int, interest: int, balance: int) -> None:
        assert self.dates is not None
        self.dates.append(due)
        self.payment.append(principal + interest)
        self.principal.append(principal)
        self.interest.append(interest)
        self.balance.append(balance)


@dataclass(slots=True)
class Plan:
    """Everything a builder needs, in integers (amounts in minor units, rates as exact fractions)."""

    terms: LoanTerms
    balance: int  # minor units to amortize (note amount plus any capitalized odd interest)
    balloon: int
    term: int  # number of installments
    interest_only: int  # leading interest-only installments
    period_rate_num: int  # periodic rate = period_rate_num / period_rate_den
    period_rate_den: int
    annual_rate_num: int  # annual rate = annual_rate_num / annual_rate_den
    annual_rate_den: int
    rounding: Rounding
    odd_first: Fraction  # odd-period interest (minor units, exact) to add to the first installment
    odd_last: Fraction  # odd-period interest to add to the last installment (odd_days="last")
    capitalized: int  # odd-period interest added to ``balance`` (odd_days="capitalize")
    multiple: int  # payment multiple in minor units (0: none)
    accrual_start: date  # where the first period's interest starts (after capitalized odd days: later)

    @property
    def dates(self) -> tuple[date, ...]:
        """The due dates (computed on first use: the annuity builder needs none)."""
        return self.terms.due_dates()

    def rnd(self, num: int, den: int) -> int:
        return round_fraction(num, den, self.rounding)

    def period_interest(self, balance: int, k: int) -> int:
        """Interest of installment ``k`` (0-based) on ``balance``, odd-period interest included."""
        num, den = balance * self.period_rate_num, self.period_rate_den
        odd = self.odd_first if k == 0 else _ZERO
        if k == self.term - 1:
            odd += self.odd_last
        if not odd:
            return round_fraction(num, den, self.rounding)
        total = Fraction(num, den) + odd
        return max(0, round_fraction(total.numerator, total.denominator, self.rounding))

    def regular_interest(self, balance: int) -> int:
        """One regular period's interest on ``balance``, without odd-period interest."""
        return round_fraction(balance * self.period_rate_num, self.period_rate_den, self.rounding)


def previous_regular_date(terms: LoanTerms, first_due: date) -> date:
    """The date one regular period before ``first_due``: where a regular first period would start."""
    freq = terms.frequency
    if freq.months:
        return add_months(first_due, -freq.months)
    return first_due - timedelta(days=freq.days or 15)


_ZERO = Fraction(0)


def make_plan(terms: LoanTerms) -> Plan:
    """Translate validated terms into the integer plan the builders use."""
    note, balloon, multiple = terms.minor_amounts
    an, ad = terms.annual_rate.as_integer_ratio()
    rate = terms.periodic_rate
    odd = _ZERO
    capitalized = 0
    accrual_start = terms.start
    first_due = terms.first_due
    if first_due is not None and terms.method is not Method.BULLET and first_due != terms.regular_first_due:
        try:
            prev = previous_regular_date(terms, first_due)
        except (OverflowError, InvalidInput):
            reason = "its regular period would start before year 1"
            raise InvalidTerms("first_due", first_due, reason) from None
        odd = note * Fraction(an, ad) * terms.day_count.fraction(terms.start, prev)
        if terms.odd_days is OddDays.CAPITALIZE and odd > 0:
            capitalized = round_fraction(odd.numerator, odd.denominator, terms.rounding)
            odd = _ZERO
            accrual_start = prev
    odd_first, odd_last = (odd, _ZERO) if terms.odd_days is not OddDays.LAST else (_ZERO, odd)
    return Plan(
        terms=terms,
        balance=note + capitalized,
        balloon=balloon,
        term=terms.term,
        interest_only=terms.interest_only_periods,
        period_rate_num=rate.numerator,
        period_rate_den=rate.denominator,
        annual_rate_num=an,
        annual_rate_den=ad,
        rounding=terms.rounding,
        odd_first=odd_first,
        odd_last=odd_last,
        capitalized=capitalized,
        multiple=multiple,
        accrual_start=accrual_start,
    )


def annuity_payment(
    balance: int, balloon: int, periods: int, rate_num: int, rate_den: int, rounding: Rounding
) -> int:
    """The level payment that amortizes ``balance`` down to ``balloon`` in ``periods`` (minor units).

    PMT = (B·(1+r)^n − L)·r / ((1+r)^n − 1), evaluated exactly with r = rate_num / rate_den.
    """
    if rate_num == 0:
        return level_per_period(balance - balloon, periods, rounding)
    growth = (rate_num + rate_den) ** periods
    base = rate_den**periods
    numerator = (balance * growth - balloon * base) * rate_num
    return round_fraction(numerator, rate_den * (growth - base), rounding)


def level_per_period(total: int, periods: int, rounding: Rounding) -> int:
    """``total / periods`` rounded, but never so high that ``periods - 1`` of them exceed ``total``.

    The last period takes the remainder, which is then never negative (100 over 52 periods is 1 each and
    49 at the end rather than 2 each and nothing left for the last).
    """
    per = round_fraction(total, periods, rounding)
    if periods > 1 and per * (periods - 1) > total:
        per = total // periods
    return per


def round_up_to_multiple(amount: int, multiple: int) -> int:
    """Round a payment up to a multiple (0 or 1 minor unit: unchanged)."""
    if multiple <= 1:
        return amount
    return -(-amount // multiple) * multiple
