"""Fuzz of the core layers (money, dates, amortization): only typed errors, never a hang.

Every public callable of ``autoloan.money``, ``autoloan.dates`` and ``autoloan.amortization`` is
called through :func:`fuzzkit.call` with hostile values mixed into otherwise valid arguments, so
the calls reach past the first check. Results that come back are checked for the invariants a
user relies on (Decimal money, schedules that add up).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import autoloan
import fuzzkit
from autoloan import amortization, dates, money
from autoloan.amortization import Fee, Installment, LoanTerms, Schedule, amortize, level_payment
from autoloan.errors import AutoloanError, InvalidTerms
from fuzzkit import hostile, hostile_dates, hostile_numbers

FUZZED = {
    # autoloan.money
    "autoloan.money.Currency",
    "autoloan.money.currency",
    "autoloan.money.from_minor",
    "autoloan.money.quantize",
    "autoloan.money.round_fraction",
    "autoloan.money.to_decimal",
    "autoloan.money.to_int",
    "autoloan.money.to_minor",
    "autoloan.money.to_rate",
    # autoloan.dates
    "autoloan.dates.add_months",
    "autoloan.dates.coerce_date",
    "autoloan.dates.day_count_basis",
    "autoloan.dates.day_count_numerator",
    "autoloan.dates.days_in_month",
    "autoloan.dates.due_dates",
    "autoloan.dates.is_month_end",
    "autoloan.dates.month_date",
    "autoloan.dates.months_between",
    "autoloan.dates.step",
    "autoloan.dates.year_fraction",
    "autoloan.dates.year_fraction_exact",
    # autoloan.amortization (also re-exported at the top level)
    "autoloan.amortization.amortize",
    "autoloan.amortization.level_payment",
    "autoloan.amortization.LoanTerms",
    "autoloan.amortization.Fee",
    "autoloan.amortization.Schedule",
    "autoloan.amortization.Installment",
    "autoloan.amortize",
    "autoloan.level_payment",
    "autoloan.to_decimal",
    "autoloan.quantize",
    "autoloan.year_fraction",
}

START = date(2026, 1, 15)
CALLS = [0]  # public calls made by this module's properties (printed by the last test with ``-s``)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """:func:`fuzzkit.call`, counted."""
    CALLS[0] += 1
    return fuzzkit.call(fn, *args, **kwargs)


def mixed(valid: Any) -> st.SearchStrategy[Any]:
    """Mostly the valid value, often something hostile."""
    return st.one_of(st.just(valid), hostile(), hostile_numbers())


def _check_money(result: Any) -> None:
    if not isinstance(result, AutoloanError):
        assert isinstance(result, Decimal) and result.is_finite()


# -- money ------------------------------------------------------------------------------------------------


@given(hostile(), st.one_of(st.just("amount"), st.text(max_size=5)))
def test_to_decimal_and_to_rate(value: Any, field: str) -> None:
    _check_money(call(money.to_decimal, value, field))
    _check_money(call(autoloan.to_decimal, value))
    rate = call(money.to_rate, value, field)
    _check_money(rate)
    if not isinstance(rate, AutoloanError) and not isinstance(value, str):
        assert abs(rate) < 1  # a bare number of 1 or more is never a rate


@given(mixed("12.345"), mixed("USD"), mixed("half_up"))
def test_quantize(amount: Any, code: Any, rounding: Any) -> None:
    _check_money(call(money.quantize, amount, code, rounding))
    _check_money(call(autoloan.quantize, amount, code))


@given(mixed(1234), mixed("CNY"), mixed(7), mixed(3), mixed("floor"))
def test_minor_units_and_rounding(amount: Any, code: Any, num: Any, den: Any, rounding: Any) -> None:
    units = call(money.to_minor, amount, code)
    assert isinstance(units, AutoloanError | int)
    _check_money(call(money.from_minor, amount, code))
    result = call(money.round_fraction, num, den, rounding)
    assert isinstance(result, AutoloanError | int)
    result = call(money.to_int, num, "n", den, amount)
    assert isinstance(result, AutoloanError | int)
    call(money.currency, code)


@given(mixed("XTS"), mixed(2), mixed("Testing"), mixed("测试"))
def test_currency_constructor(code: Any, units: Any, name_en: Any, name_zh: Any) -> None:
    cur = call(money.Currency, code, units, name_en, name_zh)
    if not isinstance(cur, AutoloanError):
        assert cur.scale == 10**cur.minor_units


# -- dates ------------------------------------------------------------------------------------------------

FREQS = st.one_of(st.sampled_from([f.value for f in dates.Frequency]), hostile())
DAY_COUNTS = st.one_of(st.sampled_from([d.value for d in dates.DayCount]), hostile())


@given(st.one_of(st.just(START), hostile_dates(), hostile()), mixed(3), FREQS, mixed(1))
def test_stepping(anchor: Any, k: Any, frequency: Any, skip: Any) -> None:
    calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
        (dates.add_months, (anchor, k)),
        (dates.step, (anchor, k, frequency)),
        (dates.is_month_end, (anchor,)),
    ]
    for fn, args in calls:
        call(fn, *args)
    got = call(dates.due_dates, anchor, k, frequency, skip=skip)
    if not isinstance(got, AutoloanError):
        assert all(type(d) is date for d in got) and len(got) == k


@given(mixed(2024), mixed(2), st.one_of(st.none(), mixed(31)))
def test_month_helpers(year: Any, month: Any, day: Any) -> None:
    call(dates.days_in_month, year, month)
    got = call(dates.month_date, year, month, day)
    assert isinstance(got, AutoloanError | date)


@given(
    st.one_of(st.just(START), hostile_dates(), hostile()),
    st.one_of(st.just(date(2026, 7, 31)), hostile_dates(), hostile()),
    DAY_COUNTS,
)
def test_day_counts(start: Any, end: Any, day_count: Any) -> None:
    frac = call(dates.year_fraction_exact, start, end, day_count)
    dec = call(dates.year_fraction, start, end, day_count)
    call(autoloan.year_fraction, start, end)
    num = call(dates.day_count_numerator, start, end, day_count)
    basis = call(dates.day_count_basis, day_count)
    if not isinstance(num, AutoloanError) and not isinstance(basis, AutoloanError):
        assert not isinstance(frac, AutoloanError) and frac * basis == num
        assert not isinstance(dec, AutoloanError)
    call(dates.months_between, start, end)
    call(dates.coerce_date, start, "start")


# -- amortization -----------------------------------------------------------------------------------------


VALID_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "principal": st.one_of(
        st.sampled_from(["15000", "1.40", "0.01", "999999999999999"]), st.integers(1, 10**7)
    ),
    "annual_rate": st.one_of(
        st.sampled_from(["0.0699", "4.35%", "4.35％", "999%", "1000%", "0.5", "0", 0.0435]),
        st.decimals(0, "0.99", places=6),
    ),
    "term": st.one_of(st.integers(1, 400), st.sampled_from([5200, 1200])),
    "start": st.one_of(st.just(START), st.dates(date(1, 1, 1), date(9999, 12, 31))),
    "first_due": st.one_of(st.none(), st.just(date(2026, 3, 2)), st.just(date(2026, 1, 20))),
    "frequency": st.sampled_from([f.value for f in dates.Frequency]),
    "method": st.sampled_from([*(m.value for m in amortization.Method), "等本等息"]),
    "day_count": st.one_of(st.none(), st.sampled_from([d.value for d in dates.DayCount])),
    "balloon": st.sampled_from([0, 0, "100"]),
    "interest_only_periods": st.sampled_from([0, 0, 1, 3]),
    "fees": st.sampled_from([(), (Fee("doc", 499, financed=True),), (Fee("origination", "0.01"),)]),
    "currency": st.sampled_from(["USD", "CNY", "JPY", "KWD"]),
    "rounding": st.sampled_from(["half_up", "half_even", "floor", "ceiling", "up", "down"]),
    "payment_multiple": st.sampled_from([None, None, 10, "0.01"]),
    "odd_days": st.sampled_from([None, "add", "capitalize", "last"]),
}


@st.composite
def terms_args(draw: st.DrawFn) -> dict[str, Any]:
    """Valid LoanTerms arguments with up to two fields made hostile, so most calls reach amortize."""
    bad = draw(st.sets(st.sampled_from(sorted(VALID_FIELDS)), max_size=2))
    args = {
        name: draw(st.one_of(hostile(), hostile_numbers()) if name in bad else valid)
        for name, valid in VALID_FIELDS.items()
    }
    if "first_due" not in bad and args["first_due"] is not None and type(args["start"]) is date:
        offset = draw(st.integers(1, 75))
        args["first_due"] = (
            args["start"] + timedelta(days=offset) if args["start"] < date(9999, 1, 1) else None
        )
    if "balloon" not in bad and "method" not in bad and args["method"] not in ("annuity", "balloon"):
        args["balloon"] = 0
    return args


def _check_schedule(s: Schedule, terms: LoanTerms) -> None:
    assert s.total_principal == terms.note_amount + s.capitalized_interest
    assert s[-1].balance == 0
    assert s.paid_off_early == (s.maturity < terms.maturity)
    for p, i, r in zip(
        s.minor_units("payment"), s.minor_units("principal"), s.minor_units("interest"), strict=True
    ):
        assert p == i + r
    if len(s) <= 120:  # rendering is linear; long schedules are rendered by the unit tests
        str(s), repr(s), s._repr_html_(), s.to_rows()


@given(terms_args())
def test_loan_terms_and_amortize(args: dict[str, Any]) -> None:
    terms = call(LoanTerms, **args)
    if isinstance(terms, AutoloanError):
        assert isinstance(terms, InvalidTerms)  # the error class follows the object
        return
    s = call(amortize, terms)
    call(autoloan.amortize, terms)
    if not isinstance(s, AutoloanError):
        _check_schedule(s, terms)
    call(terms.replace, term=args["term"], annual_rate=args["annual_rate"])


@given(
    mixed(140000),
    mixed("4.35%"),
    mixed(36),
    FREQS,
    mixed(0),
    mixed("CNY"),
    mixed("half_up"),
    mixed(0),
    mixed(None),
)
def test_level_payment(
    principal: Any,
    rate: Any,
    term: Any,
    frequency: Any,
    balloon: Any,
    code: Any,
    rounding: Any,
    io: Any,
    multiple: Any,
) -> None:
    kwargs = {"frequency": frequency, "balloon": balloon, "currency": code, "rounding": rounding}
    pmt = call(
        level_payment, principal, rate, term, **kwargs, interest_only_periods=io, payment_multiple=multiple
    )
    _check_money(pmt)
    _check_money(call(autoloan.level_payment, principal, rate, term))


@given(hostile(), mixed(1), mixed(True), mixed(False))
def test_fee(name: Any, amount: Any, financed: Any, finance_charge: Any) -> None:
    call(Fee, name, amount, financed, finance_charge)
    call(Fee, "doc", amount, financed, finance_charge)


@given(hostile(), st.one_of(st.just(START), hostile_dates()), mixed(Decimal("10.00")))
def test_installment_and_schedule_constructors(number: Any, due: Any, amount: Any) -> None:
    row = call(Installment, number, due, amount, amount, Decimal(0), Decimal(0), amount)
    if not isinstance(row, AutoloanError):
        assert isinstance(row.payment, Decimal) and type(row.due_date) is date
    terms = LoanTerms(principal=10, annual_rate=0, term=1, start=START)
    for args in [
        (terms, [START], [1000], [1000], [0], [0], [0]),
        (number, [START], [1000], [1000], [0], [0], [0]),
        (terms, [due], [amount], [amount], [0], [0], [0]),
        (terms, number, number, number, number, number, number),
        (terms, [START, START], [1], [1], [0], [0], [0]),
    ]:
        got = call(Schedule, *args, level_payment=amount)
        if not isinstance(got, AutoloanError):
            str(got), got.to_rows()


def test_fuzz_names_are_the_public_callables() -> None:
    """FUZZED names exist; every public callable of the core modules is in it (checked by test_fuzz too)."""
    for dotted in FUZZED:
        module_name, _, attr = dotted.rpartition(".")
        assert callable(getattr(__import__(module_name, fromlist=[attr]), attr))
    for module in (money, dates, amortization):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, Enum)):
                assert f"{module.__name__}.{name}" in FUZZED, name


def test_zz_report_call_count() -> None:
    print(f"\ntest_fuzz_core: {CALLS[0]} public calls")
