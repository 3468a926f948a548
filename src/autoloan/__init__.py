"""autoloan: exact auto-loan arithmetic, servicing, delinquency, collection policy and compliance.

>>> import autoloan as al
>>> al.level_payment(150000, "0.0435", 60, currency="CNY")
Decimal('2786.23')
"""

from __future__ import annotations

from autoloan.amortization import (
    Fee,
    Installment,
    LoanTerms,
    Method,
    OddDays,
    Schedule,
    amortize,
    level_payment,
)
from autoloan.dates import DayCount, Frequency, due_dates, year_fraction
from autoloan.errors import (
    AutoloanError,
    InvalidAction,
    InvalidInput,
    InvalidPolicy,
    InvalidTerms,
    NoSolution,
    UnknownJurisdiction,
)
from autoloan.money import Currency, Rounding, quantize, to_decimal, to_rate

# --- re-exports by capability (one block each) ---
# rates
from autoloan.rates import (
    annualized_rate,
    apr,
    apr_actuarial,
    apr_tolerance_ok,
    aprc_eu,
    irr,
    solve_rate,
    solve_term,
    xirr,
)

__version__ = "0.1.0"

__all__ = [
    "AutoloanError",
    "Currency",
    "DayCount",
    "Fee",
    "Frequency",
    "Installment",
    "InvalidAction",
    "InvalidInput",
    "InvalidPolicy",
    "InvalidTerms",
    "LoanTerms",
    "Method",
    "NoSolution",
    "OddDays",
    "Rounding",
    "Schedule",
    "UnknownJurisdiction",
    "__version__",
    "amortize",
    "annualized_rate",
    "apr",
    "apr_actuarial",
    "apr_tolerance_ok",
    "aprc_eu",
    "due_dates",
    "irr",
    "level_payment",
    "quantize",
    "solve_rate",
    "solve_term",
    "to_decimal",
    "to_rate",
    "xirr",
    "year_fraction",
]
