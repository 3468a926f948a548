"""Internal rates of return: IRR, XIRR, China's 年化利率 (IRR method) and effective rates.

>>> irr([-100, 39, 59, 55, 20], periods_per_year=1)  # numpy-financial's irr docstring: 0.28095
Decimal('0.2809484212')
"""

from __future__ import annotations

import decimal
import itertools
import operator
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from autoloan.dates import Frequency
from autoloan.errors import InvalidInput, NoSolution
from autoloan.money import to_decimal, to_rate
from autoloan.rates.coerce import (
    MAX_TERM,
    amount_list,
    choice,
    dated_pairs,
    flag,
    frequency_per_year,
    split_pairs,
    whole_number,
)
from autoloan.rates.kernel import CONTEXT, QUANTUM, solve, solve_periodic, solve_singles

__all__ = ["annualized_rate", "effective_rate", "flat_rate_to_apr", "irr", "xirr"]

_MAX_RESULT = Decimal("1e30")  # as the kernel's results: beyond this a "rate" is no rate


def effective_rate(nominal: Any, periods_per_year: Any = 12) -> Decimal:
    """The effective annual rate of a nominal rate compounded ``periods_per_year`` times.

    ``(1 + nominal / m) ** m - 1``, rounded half-even to :data:`PLACES` decimals.

    >>> effective_rate("0.12"), effective_rate("6%", "quarterly")
    (Decimal('0.1268250301'), Decimal('0.0613635506'))
    """
    rate = to_rate(nominal, "nominal")
    m = frequency_per_year(periods_per_year)
    if rate <= -m:
        raise InvalidInput("nominal", nominal, f"must be above -{m} (-100 % per period)")
    try:
        with decimal.localcontext(CONTEXT):
            value = (1 + rate / m) ** m - 1
            if abs(value) >= _MAX_RESULT:
                raise decimal.Overflow
            return value.quantize(QUANTUM)
    except (decimal.Overflow, decimal.InvalidOperation):
        raise InvalidInput("nominal", nominal, "is too large: the effective rate would exceed 1e30") from None


def irr(cashflows: Any, periods_per_year: Any = 12) -> Decimal:
    """The internal rate of return of evenly spaced cash flows, as a *nominal annual* rate.

    ``cashflows[0]`` is at time 0, ``cashflows[k]`` k periods later; the result is the periodic IRR
    times ``periods_per_year`` (an int or a frequency name). Use ``periods_per_year=1`` for the
    periodic rate itself. The flows must change sign exactly once.

    >>> irr([-100, 39, 59, 55, 20], periods_per_year=1)  # numpy-financial's irr docstring: 0.28095
    Decimal('0.2809484212')
    >>> irr([-100, 0, 0, 74], periods_per_year=1)  # numpy-financial: -0.0955
    Decimal('-0.0954958303')
    """
    values = amount_list(cashflows, "cashflows")
    ppy = frequency_per_year(periods_per_year)
    return solve_periodic(values, ppy)


def xirr(dated_cashflows: Any) -> Decimal:
    """The effective annual internal rate of return of dated cash flows, time Actual/365 (as Excel XIRR).

    Times are counted from the earliest date. The flows must change sign exactly once.

    >>> from datetime import date
    >>> xirr([(date(2025, 1, 1), -100), (date(2026, 1, 1), 200)])
    Decimal('1.0000000000')
    """
    split = split_pairs(dated_cashflows)
    if split is None:
        flows = dated_pairs(dated_cashflows, "dated_cashflows")
        if not flows:
            raise InvalidInput("dated_cashflows", dated_cashflows, "must contain cash flows")
        dates: Sequence[date] = [d for d, _ in flows]
        amounts: Sequence[Decimal] = [a for _, a in flows]
    else:
        dates, amounts = split
        if not dates:  # pragma: no cover - split_pairs refuses an empty sequence
            raise InvalidInput("dated_cashflows", dated_cashflows, "must contain cash flows")
    # Solve for the rate per day y, with (1 + X) = (1 + y) ** 365: whole-day exponents keep it fast.
    ords = list(map(date.toordinal, dates))
    days = list(map(operator.sub, ords, itertools.repeat(min(ords))))
    if (
        days[0] == 0
        and len(days) > 1
        and amounts[0] < 0
        and all(map(operator.lt, days, days[1:]))
        and min(amounts[1:]) > 0
    ):
        # One advance, then repayments on later days (XIRR's usual shape): flow by flow, certified.
        found = solve_singles(amounts[0], days[1:], amounts[1:], 365)
        if found is not None:
            return found
    return solve(zip(days, itertools.repeat(0), amounts), compound=365)


def annualized_rate(
    principal: Any,
    payments: Any,
    *,
    term: int | None = None,
    fees: Any = 0,
    frequency: Frequency | str = Frequency.MONTHLY,
    effective: bool = False,
) -> Decimal:
    """China's 年化利率 of an instalment offer by the IRR method (a fraction).

    The borrower receives ``principal`` less upfront ``fees`` (手续费 paid at signing) now and pays
    ``payments`` at the end of each period: a sequence of amounts, or one amount repeated ``term``
    times. The result is the periodic IRR times the periods per year (the nominal APR form), or with
    ``effective=True`` the compound annual rate. PBoC announcement 〔2021〕 No. 3 requires lenders,
    auto-finance companies included, to show such an annualized rate; the IRR method counts cost
    against the principal actually outstanding after each repayment.

    >>> # ¥100,000 over 36 months with a 10 % total fee (月供 3,055.56): about 6.29 %, not 3.33 %
    >>> round(annualized_rate(100000, "3055.56", term=36) * 100, 2)
    Decimal('6.29')
    >>> round(annualized_rate(100000, "3055.56", term=36, effective=True) * 100, 2)
    Decimal('6.48')
    """
    amount = to_decimal(principal, "principal")
    if amount <= 0:
        raise InvalidInput("principal", principal, "must be greater than zero")
    cost = to_decimal(fees, "fees")
    if cost < 0 or cost >= amount:
        raise InvalidInput("fees", fees, f"must be at least 0 and less than the principal ({amount})")
    if isinstance(payments, (int, float, str, Decimal)) and not isinstance(payments, bool):
        if term is None:
            raise InvalidInput("term", term, "is needed when payments is a single amount")
        values = [to_decimal(payments, "payments")] * whole_number(term, "term", 1, MAX_TERM)
    else:
        values = amount_list(payments, "payments")
        if term is not None and term != len(values):
            raise InvalidInput("term", term, f"does not match the {len(values)} payments given")
    if not values:
        raise InvalidInput("payments", payments, "must contain at least one payment")
    for i, v in enumerate(values):
        if v < 0:
            raise InvalidInput(f"payments[{i}]", v, "must not be negative")
    ppy = Frequency.parse(frequency).periods_per_year
    flows = [CONTEXT.subtract(cost, amount), *values]
    rate = solve_periodic(flows, compound=ppy) if flag(effective, "effective") else solve_periodic(flows, ppy)
    if rate < 0:
        raise NoSolution(
            "the payments add up to less than the amount received, so they never repay it "
            "(the rate balancing them is negative: no annualized rate)",
            received=str(CONTEXT.subtract(amount, cost)),
            paid=str(sum(values, Decimal(0))),
        )
    return rate


_FLAT_BASES = ("year", "term", "period")


def flat_rate_to_apr(
    flat_rate: Any,
    term: int,
    *,
    per: str = "year",
    frequency: Frequency | str = Frequency.MONTHLY,
    effective: bool = False,
) -> Decimal:
    """The annualized rate (IRR method) of a flat / add-on offer (等本等息, 手续费率).

    A flat offer charges ``flat_rate`` on the *original* principal: per year (``per="year"``, 年费率),
    for the whole term (``"term"``, 总手续费率) or per period (``"period"``, 月费率); principal and
    charge are repaid in ``term`` equal instalments. Because the balance falls while the charge does
    not, the true rate is roughly double the flat rate.

    >>> round(flat_rate_to_apr("10%", 36, per="term") * 100, 2)   # 10 % total over 36 months
    Decimal('6.29')
    >>> round(flat_rate_to_apr("0.35%", 36, per="period") * 100, 2)   # 月费率 0.35 %
    Decimal('7.87')
    >>> round(flat_rate_to_apr("10%", 36) * 100, 2)  # HP 12C handbook: 10 % add-on, 36 months: 17.92 %
    Decimal('17.92')
    """
    rate = to_rate(flat_rate, "flat_rate")
    if rate < 0:
        raise InvalidInput("flat_rate", flat_rate, "must not be negative")
    n = whole_number(term, "term", 1, MAX_TERM)
    choice(per, _FLAT_BASES, "per")
    ppy = Frequency.parse(frequency).periods_per_year
    # Scale-free and exact: lend `units`, repay `payment` each period, both exact Decimals.
    with decimal.localcontext(CONTEXT):
        if per == "year":  # charge rate × n/ppy years: lend n·ppy, repay ppy + rate·n
            units, payment = Decimal(n * ppy), ppy + rate * n
        elif per == "period":  # charge rate × n: lend n, repay 1 + rate·n
            units, payment = Decimal(n), 1 + rate * n
        else:  # charge rate once: lend n, repay 1 + rate
            units, payment = Decimal(n), 1 + rate
    return annualized_rate(units, [payment] * n, frequency=frequency, effective=effective)
