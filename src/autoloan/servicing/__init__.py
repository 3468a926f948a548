"""Servicing: post real payments to a loan and read its status.

Payments, allocation waterfalls (as data, with presets), late fees, 罚息 (penalty
interest), days past due with the FFIEC partial-payment rules, payoff quotes with
Rule of 78 rebates, prepayment (提前还款) and deferral (延期).

>>> from datetime import date
>>> from autoloan import LoanTerms, amortize
>>> from autoloan.servicing import Payment, account_status
>>> t = LoanTerms(principal=150000, annual_rate="0.0435", term=60, start=date(2026, 1, 15), currency="CNY")
>>> first = amortize(t)[0]
>>> st = account_status(t, [Payment(first.due_date, first.payment)], as_of=date(2026, 4, 1))
>>> st.days_past_due, st.installments_in_arrears, st.oldest_unpaid_due_date
(17, 1, datetime.date(2026, 3, 15))
"""

from __future__ import annotations

from autoloan.servicing.fees import FeeBasis, LateFeeRule, PenaltyInterestRule
from autoloan.servicing.ledger import account_status
from autoloan.servicing.modify import DeferredInterest, Keep, defer, prepay
from autoloan.servicing.payment import Payment
from autoloan.servicing.payoff import PayoffQuote, payoff_quote
from autoloan.servicing.restructure import MAX_PLAN_MONTHS, instalment_plan
from autoloan.servicing.rules import Materiality, PartialPayment, ServicingRules, rules_from_dict
from autoloan.servicing.status import AccountStatus, Allocation, InstallmentState, InstallmentStatus
from autoloan.servicing.waterfall import PRESETS, Component, Overpayment, Processing, Scope, Waterfall

__all__ = [
    "MAX_PLAN_MONTHS",
    "PRESETS",
    "AccountStatus",
    "Allocation",
    "Component",
    "DeferredInterest",
    "FeeBasis",
    "InstallmentState",
    "InstallmentStatus",
    "Keep",
    "LateFeeRule",
    "Materiality",
    "Overpayment",
    "PartialPayment",
    "Payment",
    "PayoffQuote",
    "PenaltyInterestRule",
    "Processing",
    "Scope",
    "ServicingRules",
    "Waterfall",
    "account_status",
    "defer",
    "instalment_plan",
    "payoff_quote",
    "prepay",
    "rules_from_dict",
]
