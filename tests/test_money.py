"""Money: coercion, currencies, explicit rounding."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autoloan import AutoloanError, InvalidInput
from autoloan.money import (
    Rounding,
    currency,
    from_minor,
    quantize,
    round_fraction,
    to_decimal,
    to_minor,
    to_rate,
)


def test_float_is_taken_by_its_shortest_repr() -> None:
    assert to_decimal(0.0435) == Decimal("0.0435")
    assert to_decimal(0.1) + to_decimal(0.2) == Decimal("0.3")


@pytest.mark.parametrize(
    "bad", ["abc", "", "1e", None, [], True, float("nan"), float("inf"), "NaN", "Infinity"]
)
def test_bad_amounts_are_typed_errors_naming_the_field(bad: object) -> None:
    with pytest.raises(InvalidInput) as info:
        to_decimal(bad, "principal")
    assert isinstance(info.value, ValueError)
    assert "principal" in str(info.value)


def test_minor_units_of_the_required_currencies() -> None:
    # ISO 4217 minor-unit column.
    assert {c: currency(c).minor_units for c in ["CNY", "USD", "EUR", "GBP", "HKD", "JPY"]} == {
        "CNY": 2,
        "USD": 2,
        "EUR": 2,
        "GBP": 2,
        "HKD": 2,
        "JPY": 0,
    }
    with pytest.raises(InvalidInput, match="currency"):
        currency("XXX")


def test_half_up_is_default_and_half_even_selectable() -> None:
    assert quantize("0.125", "USD") == Decimal("0.13")
    assert quantize("0.125", "USD", "half_even") == Decimal("0.12")
    assert quantize("0.135", "USD", Rounding.HALF_EVEN) == Decimal("0.14")
    assert quantize("-0.125", "USD") == Decimal("-0.13")


def test_global_decimal_context_is_untouched() -> None:
    before = decimal.getcontext().copy()
    quantize("1.005", "USD")
    to_minor("12.34", "USD")
    from_minor(1, "KWD")
    after = decimal.getcontext()
    assert (before.prec, before.rounding, before.Emax) == (after.prec, after.rounding, after.Emax)


def test_rates_with_percent_and_permille() -> None:
    assert to_rate("4.35%") == Decimal("0.0435")
    assert to_rate("0.5‰") == Decimal("0.0005")
    with pytest.raises(InvalidInput, match="annual_rate"):
        to_rate("x%")


def test_to_minor_refuses_sub_minor_amounts() -> None:
    with pytest.raises(InvalidInput, match="more decimals than JPY"):
        to_minor("10.5", "JPY", "principal")


@given(
    st.integers(-(10**12), 10**12),
    st.integers(1, 10**6),
    st.sampled_from(list(Rounding)),
)
def test_round_fraction_agrees_with_decimal_quantize(num: int, den: int, mode: Rounding) -> None:
    ctx = decimal.Context(prec=60)
    expected = ctx.divide(Decimal(num), Decimal(den)).quantize(
        Decimal(1), rounding=mode.decimal_mode, context=ctx
    )
    assert round_fraction(num, den, mode) == int(expected)


@given(st.integers(-(10**15), 10**15), st.sampled_from(["USD", "JPY", "KWD"]))
def test_minor_units_round_trip(units: int, code: str) -> None:
    assert to_minor(from_minor(units, code), code) == units


@given(st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.lists(st.integers()), st.booleans()))
def test_to_decimal_raises_only_autoloan_errors(value: object) -> None:
    try:
        result = to_decimal(value)
    except AutoloanError:
        return
    assert isinstance(result, Decimal) and result.is_finite()


# -- issue 10 #1: a percent typed as a number is refused, not read as 435 % -------------------------------


@pytest.mark.parametrize("bare", [4.35, "4.35", " 4.35 ", Decimal("4.35"), 5, 1, "1", -2])
def test_bare_rate_of_one_or_more_is_refused_with_the_hint(bare: object) -> None:
    with pytest.raises(InvalidInput) as info:
        to_rate(bare)
    assert info.value.field == "annual_rate"
    if bare in (4.35, "4.35", Decimal("4.35")):
        assert 'did you mean 0.0435 or "4.35%"?' in str(info.value)


def test_bare_numpy_rate_is_refused_with_the_hint() -> None:
    np = pytest.importorskip("numpy")
    for bare in (np.float64(4.35), np.int64(5), np.float32(4.35)):
        with pytest.raises(InvalidInput, match="did you mean"):
            to_rate(bare)


def test_percent_strings_including_full_width_and_high_rates() -> None:
    assert to_rate("4.35%") == to_rate("4.35％") == to_rate(" 4.35 % ") == Decimal("0.0435")
    assert to_rate("435%") == Decimal("4.35")  # a genuinely high rate: written as a percent string
    assert to_rate("100%") == 1
    assert to_rate(0.9999) == Decimal("0.9999")
    with pytest.raises(InvalidInput) as info:
        to_rate("1e999999999%")
    assert info.value.value == "1e999999999%"


# -- numpy / pandas values (issue 10) -----------------------------------------------------------------------


def test_numpy_numbers_are_taken_by_their_shortest_repr() -> None:
    np = pytest.importorskip("numpy")
    assert to_decimal(np.float64(1234.56)) == Decimal("1234.56")
    assert str(to_decimal(np.float64(1234.56))) == "1234.56"
    assert to_decimal(np.float32(1234.56)) == Decimal("1234.56")  # float32's own shortest repr
    assert to_decimal(np.int64(7)) == 7 and to_decimal(np.uint16(7)) == 7
    assert to_decimal(np.array(2.5)) == Decimal("2.5")  # a 0-d array is a scalar


def test_numpy_and_pandas_non_numbers_are_typed_errors_naming_the_field() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    for bad in (
        np.float64("nan"),
        np.array([1, 2]),
        np.bool_(True),
        np.datetime64("2026-01-01"),
        pd.NA,
        pd.NaT,
    ):
        with pytest.raises(InvalidInput) as info:
            to_decimal(bad, "principal")
        assert info.value.field == "principal"


def test_huge_exponents_are_typed_errors() -> None:
    for bad in ("1e999999999", "-1e999999999", "1e-999999999", Decimal("1e200000")):
        with pytest.raises(InvalidInput, match="out of range"):
            to_decimal(bad)
    with pytest.raises(InvalidInput, match="too large"):
        quantize(1e308)
