"""Amortization: loan terms, the eight repayment methods, schedules.

Methods (``Method``): ``annuity`` 等额本息, ``equal_principal`` 等额本金,
``interest_only`` 先息后本, ``bullet`` 一次性还本付息, ``balloon``, ``flat``
(add-on, 手续费率), ``rule_of_78`` and ``simple_interest`` (US daily accrual).
Each lives in its own module; :func:`amortize` dispatches on ``terms.method``.
"""

from __future__ import annotations

from autoloan.amortization.engine import amortize, level_payment
from autoloan.amortization.schedule import Installment, Schedule
from autoloan.amortization.terms import MAX_ANNUAL_RATE, MAX_TERM, Fee, LoanTerms, Method, OddDays

__all__ = [
    "MAX_ANNUAL_RATE",
    "MAX_TERM",
    "Fee",
    "Installment",
    "LoanTerms",
    "Method",
    "OddDays",
    "Schedule",
    "amortize",
    "level_payment",
]
