"""Fuzz of autoloan.servicing: hostile values for every argument of every public callable.

Every call must return a result or raise an AutoloanError (fuzzkit.call), within the time limit. The
restructure module (instalment plans) is fuzzed by tests/test_fuzz_policy.py's owner.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from autoloan import LoanTerms, amortize
from autoloan.servicing import (
    AccountStatus,
    Allocation,
    InstallmentStatus,
    LateFeeRule,
    Materiality,
    Payment,
    PayoffQuote,
    PenaltyInterestRule,
    ServicingRules,
    Waterfall,
    account_status,
    defer,
    payoff_quote,
    prepay,
    rules_from_dict,
)
from autoloan.servicing.rules import waterfall_from_data
from fuzzkit import call, hostile, hostile_dates, hostile_numbers, numpy_values

FUZZED = {
    "autoloan.servicing.Payment",
    "autoloan.servicing.account_status",
    "autoloan.servicing.payoff_quote",
    "autoloan.servicing.prepay",
    "autoloan.servicing.defer",
    "autoloan.servicing.rules_from_dict",
    "autoloan.servicing.rules.waterfall_from_data",
    "autoloan.servicing.Waterfall",
    "autoloan.servicing.LateFeeRule",
    "autoloan.servicing.PenaltyInterestRule",
    "autoloan.servicing.Materiality",
    "autoloan.servicing.ServicingRules",
    "autoloan.servicing.AccountStatus",
    "autoloan.servicing.Allocation",
    "autoloan.servicing.InstallmentStatus",
    "autoloan.servicing.PayoffQuote",
}

TERMS = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 15))
SIMPLE = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 15), method="simple")
PAID = [Payment(i.due_date, i.payment, reference=f"P{i.number}") for i in amortize(TERMS)[:3]]
ANY = st.one_of(hostile(), hostile_numbers(), hostile_dates(), numpy_values())


def test_numpy_amounts_are_accepted_by_their_shortest_repr() -> None:
    """Issue 10: ``Payment(d, np.float64(250.5))`` raised decimal.InvalidOperation; floats go through their
    shortest repr, numpy integers are integers, and NaN or an array is a typed error."""
    import numpy as np

    from autoloan.errors import AutoloanError

    d = date(2026, 2, 15)
    assert Payment(d, np.float64(250.5)).amount == Decimal("250.5")
    assert Payment(d, np.float64(1234.56)).amount == Decimal("1234.56")
    assert Payment(d, np.int64(250)).amount == Decimal(250)
    for bad in (np.float64("nan"), np.array([1.0, 2.0]), np.float64("inf")):
        try:
            Payment(d, bad)
        except AutoloanError:
            pass
        else:  # pragma: no cover
            raise AssertionError(f"{bad!r} accepted")


@settings(max_examples=200, deadline=None)
@given(ANY, ANY, st.one_of(st.none(), ANY), st.one_of(st.none(), ANY))
def test_payment(d: Any, amount: Any, reference: Any, reversal_of: Any) -> None:
    call(Payment, d, amount)
    call(Payment, date(2026, 2, 15), amount, reference=reference, reversal_of=reversal_of)


@settings(max_examples=200, deadline=None)
@given(ANY, ANY, ANY, st.sampled_from([TERMS, SIMPLE]))
def test_status_and_payoff(payments: Any, as_of: Any, rules: Any, terms: LoanTerms) -> None:
    call(account_status, terms, payments, as_of)
    call(account_status, terms, PAID, as_of)
    call(account_status, terms, PAID, date(2026, 6, 1), rules=rules)
    call(account_status, payments, PAID, date(2026, 6, 1))
    call(payoff_quote, terms, PAID, as_of)
    call(payoff_quote, terms, PAID, date(2026, 6, 1), good_through_days=rules)
    call(payoff_quote, terms, [*PAID, payments], date(2026, 6, 1))


@settings(max_examples=200, deadline=None)
@given(ANY, ANY, ANY, ANY)
def test_prepay_and_defer(on: Any, amount: Any, keep: Any, periods: Any) -> None:
    call(prepay, TERMS, PAID, on, amount)
    call(prepay, TERMS, PAID, date(2026, 4, 15), amount, keep=keep)
    call(prepay, SIMPLE, PAID, date(2026, 4, 20), 3000, keep=keep)
    call(defer, TERMS, PAID, on, 2)
    call(defer, TERMS, PAID, date(2026, 4, 20), periods, interest=keep)


RULE_KEYS = st.sampled_from(
    [
        "waterfall",
        "late_fee",
        "penalty",
        "partial_payment",
        "threshold",
        "classification_grace_days",
        "materiality",
        "flatt",
        "order",
        "processing",
        "grace_days",
        "flat",
        "percent",
        "markup",
    ]
)
DOCS = st.recursive(
    st.one_of(ANY, st.sampled_from(["cn_bank", "threshold", "fees", "interest", "vertical"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(RULE_KEYS, inner, max_size=4)),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(DOCS, ANY)
def test_rules_documents(doc: Any, value: Any) -> None:
    call(rules_from_dict, doc)
    call(rules_from_dict, {"late_fee": {"grace_days": value, "flat": value}, "waterfall": value})
    call(rules_from_dict, {"waterfall": {"order": value, "processing": value}})
    call(rules_from_dict, {"penalty": {"markup": value}, "materiality": {"absolute": value}})
    call(waterfall_from_data, doc)
    call(waterfall_from_data, {"order": value, "overpayment": value, "name": value})


@settings(max_examples=200, deadline=None)
@given(ANY, ANY, ANY)
def test_rule_objects(a: Any, b: Any, c: Any) -> None:
    call(Waterfall, a)
    call(Waterfall, steps=(("past_due", a),), processing=b, overpayment=c)
    call(Waterfall.from_order, a)
    call(Waterfall.from_order, ["fees", "penalty", "interest", "principal"], processing=b, overpayment=c)
    call(Waterfall.preset, a)
    call(LateFeeRule, grace_days=a, flat=b, percent=c)
    call(LateFeeRule, minimum=a, maximum=b, basis=c, pyramiding=a)
    call(PenaltyInterestRule, markup=a, compound=b, day_basis=c)
    call(PenaltyInterestRule, daily_rate_override=a)
    call(Materiality, a, b)
    call(ServicingRules, waterfall=a, late_fee=b, penalty=c)
    call(ServicingRules, partial_payment=a, threshold=b, classification_grace_days=c, materiality=a)
    rule = LateFeeRule(grace_days=10, flat=25)
    call(rule.fee_minor, a, b, c)
    call(PenaltyInterestRule().daily_rate, a)


@settings(max_examples=100, deadline=None)
@given(ANY)
def test_value_objects(a: Any) -> None:
    """The status value objects are built by the engine; built by hand they hold what they are given."""
    st_ = account_status(TERMS, PAID, date(2026, 6, 1))
    call(lambda: st_.installments)
    call(lambda: st_.allocations)
    call(st_.explain)
    for cls in (AccountStatus, Allocation, InstallmentStatus, PayoffQuote):
        call(_construct, cls, a)


def _construct(cls: type, value: Any) -> Any:
    from autoloan.errors import InvalidInput

    try:
        return cls(*([value] * len(cls.__dataclass_fields__)))  # type: ignore[attr-defined]
    except TypeError as exc:  # a value object takes exactly its fields
        raise InvalidInput(cls.__name__, value, str(exc)) from None
