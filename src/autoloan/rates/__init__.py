"""Rates: the regulatory APR, IRR and XIRR, China's 年化利率, and the RATE/NPER solvers.

Every rate here is the root of one cash-flow equation, solved by one engine:

* :func:`apr_actuarial` — the US Truth in Lending APR, actuarial method of 12 CFR 1026 Appendix J
  (unit-periods, fractional unit-periods with simple interest, nominal result);
* :func:`aprc_eu` — the EU annual percentage rate of charge, Directive 2008/48/EC Annex I
  (time in years from the first drawdown, effective result);
* :func:`irr` (nominal annual), :func:`xirr` (effective, Actual/365), :func:`annualized_rate` and
  :func:`flat_rate_to_apr` (China's 年化利率 of an instalment or 手续费 offer, IRR method);
* :func:`solve_rate` (Excel ``RATE``) and :func:`solve_term` (``NPER`` in whole payments).

The solver brackets the root and runs Newton's method with a bisection safeguard, in a bounded number
of steps. The float iteration only *proposes* the answer: the result is rounded to 10 decimal places
(a fraction, so 1e-8 percentage points) and then *certified* by evaluating the equation in 50-digit
Decimal arithmetic (an explicit context) on both sides of the rounding interval. If the certificate
fails, the root is recomputed entirely in Decimal. A loan's shape (one advance, then repayments in runs
of consecutive periods) has exactly one root, so it is first proposed by a bracket-free Newton iteration
with runs of equal payments summed in closed form, under the same certificate (decided in float first
when the float values at the interval's ends are clear of zero by a rigorous error bound, which proves
what the Decimal evaluation would find; in Decimal otherwise); a regular monthly
Appendix J series skips the payment-by-payment timing work (each payment is one more whole month than
the one before), and a monthly one with a few payments late, early or skipped does that work only next
to those payments. Any doubt falls back to the general code. When the cash flows have no sign change (no
root) or more than one (several roots are possible), :class:`~autoloan.errors.NoSolution` says so
instead of returning a root that may be the wrong one.

>>> from datetime import date
>>> from autoloan.rates import apr_actuarial, xirr, solve_rate
>>> # 12 CFR 1026 App. J (c)(1)(i): $5,000 advanced 1978-01-10, 24 monthly payments of $230.00
>>> pays = [(date(1978 + (k + 1) // 12, (k + 1) % 12 + 1, 10), "230.00") for k in range(24)]
>>> round(apr_actuarial(5000, date(1978, 1, 10), pays) * 100, 2)
Decimal('9.69')
>>> xirr([(date(2025, 1, 1), -100), (date(2026, 1, 1), 200)])
Decimal('1.0000000000')
>>> round(solve_rate(8000, 200, 48) * 100, 2)  # Excel RATE(48, -200, 8000) * 12
Decimal('9.24')
"""

from autoloan.rates.appendix_j import (
    AprResult,
    AprTiming,
    UnitPeriod,
    apr,
    apr_actuarial,
    apr_actuarial_detail,
    apr_tolerance,
    apr_tolerance_ok,
)
from autoloan.rates.eu import aprc_eu
from autoloan.rates.kernel import PLACES
from autoloan.rates.returns import annualized_rate, effective_rate, flat_rate_to_apr, irr, xirr
from autoloan.rates.solve import solve_rate, solve_term

__all__ = [
    "PLACES",
    "AprResult",
    "AprTiming",
    "UnitPeriod",
    "annualized_rate",
    "apr",
    "apr_actuarial",
    "apr_actuarial_detail",
    "apr_tolerance",
    "apr_tolerance_ok",
    "aprc_eu",
    "effective_rate",
    "flat_rate_to_apr",
    "irr",
    "solve_rate",
    "solve_term",
    "xirr",
]
