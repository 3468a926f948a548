"""Amortization: properties over every method, and worked examples from public sources."""

from __future__ import annotations

import itertools
import pickle
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autoloan import (
    AutoloanError,
    Fee,
    InvalidTerms,
    LoanTerms,
    Method,
    amortize,
    level_payment,
)
from autoloan.money import currency
from autoloan.testing import loan_terms

START = date(2026, 1, 1)


# --- properties -----------------------------------------------------------------------------------------


@given(loan_terms())
def test_every_method_balances_to_the_cent(terms: LoanTerms) -> None:
    s = amortize(terms)
    exponent = currency(terms.currency).exponent.as_tuple().exponent
    # principal sums exactly to the amount amortized (capitalized odd interest included)
    assert s.total_principal == terms.note_amount + s.capitalized_interest
    assert s[-1].balance == 0
    assert all(i.balance >= 0 for i in s)
    for i in s:
        assert i.payment == i.principal + i.interest + i.fees
        assert i.interest >= 0
        for amount in (i.payment, i.principal, i.interest, i.fees, i.balance):
            assert amount.as_tuple().exponent == exponent
    dates = [i.due_date for i in s]
    assert all(a < b for a, b in itertools.pairwise(dates))
    # Only a payment rounded up to a multiple, or daily accrual on a tiny loan, can pay off early.
    if terms.payment_multiple is None and terms.method not in (Method.BULLET, Method.SIMPLE_INTEREST):
        assert len(s) == terms.term
    assert len(s) <= terms.term
    assert s.total_payment == s.total_principal + s.total_interest + s.total_fees


@given(loan_terms(method=Method.ANNUITY))
def test_annuity_payments_are_level_except_first_and_last(terms: LoanTerms) -> None:
    s = amortize(terms)
    io = terms.interest_only_periods
    middle = [i.payment for i in s[max(1, io) : len(s) - 1]]
    assert len(set(middle)) <= 1
    assert all(i.principal == 0 for i in s[: min(io, len(s) - 1)])


@given(loan_terms(method=Method.EQUAL_PRINCIPAL))
def test_equal_principal_portions_are_equal_except_the_last(terms: LoanTerms) -> None:
    s = amortize(terms)
    amortizing = [i.principal for i in s[terms.interest_only_periods : len(s) - 1]]
    assert len(set(amortizing)) <= 1


@given(
    st.integers(1, 10_000_000),
    st.integers(0, 300_000).map(lambda n: Decimal(n).scaleb(-6)),
    st.integers(1, 480),
)
def test_level_payment_is_the_first_annuity_payment_and_matches_the_formula(
    principal: int, rate: Decimal, term: int
) -> None:
    pmt = level_payment(principal, rate, term)
    s = amortize(LoanTerms(principal=principal, annual_rate=rate, term=term, start=START))
    assert s[0].payment == pmt or term == 1
    assert s.level_payment == pmt
    # Independent check in high-precision Decimal: PMT = P r / (1 - (1 + r)^-n).
    import decimal

    ctx = decimal.Context(prec=60)
    r = ctx.divide(rate, Decimal(12))
    exact = (
        ctx.divide(Decimal(principal), Decimal(term))
        if r == 0
        else ctx.divide(
            ctx.multiply(Decimal(principal), r), ctx.subtract(Decimal(1), ctx.power(ctx.add(1, r), -term))
        )
    )
    # Half-up cents, or (tiny loans, where rounding up would pay off early) the cent below.
    assert abs(pmt - exact) <= Decimal("0.005") or Decimal(0) < exact - pmt < Decimal("0.01")


@given(loan_terms(odd_first_period=False), st.integers(1, 500))
def test_higher_rate_never_lowers_total_interest(terms: LoanTerms, bump: int) -> None:
    if terms.method in (Method.SIMPLE_INTEREST,) or terms.payment_multiple is not None:
        return
    higher = terms.replace(annual_rate=terms.annual_rate + Decimal(bump).scaleb(-4))
    # Exactly monotone but for cent rounding of the level payment: a payment one minor unit higher
    # repays faster, and that cent compounds, so allow n minor units grown at the periodic rate.
    n, r = terms.term, float(higher.periodic_rate)
    minor = currency(terms.currency).exponent
    slack = minor * n * Decimal(str(round((1 + r) ** n, 6)))
    assert amortize(higher).total_interest >= amortize(terms).total_interest - slack


@given(loan_terms())
def test_schedules_are_deterministic_and_render(terms: LoanTerms) -> None:
    a, b = amortize(terms), amortize(terms)
    assert a == b and hash(a) == hash(b)
    rows = a.to_rows()
    assert len(rows) == len(a) and rows[0]["payment"] == a[0].payment
    assert "Total" in str(a) and "<table" in a._repr_html_()
    assert pickle.loads(pickle.dumps(terms)) == terms


# --- worked examples ------------------------------------------------------------------------------------


def test_china_equal_installment_one_million_at_4_9_over_30_years() -> None:
    # Widely published bank-calculator example (e.g. China Construction Bank / 融360 calculators):
    # 1,000,000 CNY, 4.9 %, 30 years, 等额本息: monthly payment 5,307.27; first month interest 4,083.33;
    # total interest about 910,616 (published 910,616.19 uses the unrounded payment).
    s = amortize(LoanTerms(principal=1_000_000, annual_rate="0.049", term=360, start=START, currency="CNY"))
    assert s[0].payment == Decimal("5307.27")
    assert s[0].interest == Decimal("4083.33")
    assert abs(s.total_interest - Decimal("910616.19")) < Decimal("2")


def test_china_equal_principal_one_million_at_4_9_over_30_years() -> None:
    # Same published example, 等额本金: first payment 6,861.11, falling by 11.34 a month,
    # total interest 737,041.67 (= P * r * (n + 1) / 2).
    s = amortize(
        LoanTerms(
            principal=1_000_000, annual_rate="0.049", term=360, start=START, currency="CNY", method="等额本金"
        )
    )
    assert s[0].payment == Decimal("6861.11")
    assert s[0].payment - s[1].payment == Decimal("11.34")
    assert abs(s.total_interest - Decimal("737041.67")) < Decimal("1")


def test_numpy_financial_ipmt_ppmt_documentation_example() -> None:
    # numpy-financial docs, ipmt example: 2,500 at 8.24 % over 1 year; period 1 principal -200.58,
    # interest -17.17, balance 2,299.42.
    s = amortize(LoanTerms(principal=2500, annual_rate="0.0824", term=12, start=START))
    assert (s[0].principal, s[0].interest, s[0].balance) == (
        Decimal("200.58"),
        Decimal("17.17"),
        Decimal("2299.42"),
    )


def test_excel_pmt_documentation_example() -> None:
    # Microsoft Excel PMT function documentation: =PMT(8%/12, 10, 10000) returns ($1,037.03).
    assert level_payment(10000, "0.08", 10) == Decimal("1037.03")
    # numpy-financial pmt docs: pmt(0.075/12, 12*15, 200000) = -1854.0247...
    assert level_payment(200000, "0.075", 180) == Decimal("1854.02")


def test_rule_of_78_earns_by_sum_of_digits() -> None:
    # Rule of 78s: in a 12-month precomputed loan, month k earns (13 - k)/78 of the finance charge
    # (HP 12c Platinum owner's handbook, appendix B; 15 U.S.C. 1615 background). A 78.00 charge earns
    # 12, 11, ..., 1.
    s = amortize(LoanTerms(principal=1000, annual_rate="0.078", term=12, start=START, method="rule_of_78"))
    assert [int(i.interest) for i in s] == list(range(12, 0, -1))
    assert s.total_interest == 78 and s[0].payment == Decimal("89.83")


def test_add_on_rate_example() -> None:
    # HP 12C solutions handbook, add-on interest: $3,000 at 10 % add-on for 36 months:
    # finance charge 900, payment 3,900 / 36 = 108.33.
    s = amortize(LoanTerms(principal=3000, annual_rate="0.10", term=36, start=START, method="flat"))
    assert s.total_interest == 900 and s[0].payment == Decimal("108.33")
    assert s.total_payment == 3900


def test_simple_interest_accrues_actual_days_over_365() -> None:
    # Chase "What is simple interest" (daily rate = annual rate / 365); GM Financial simple-interest page.
    # 20,000 at 6 %, Jan 15 to Feb 15 = 31 days: 20,000 x 0.06 x 31 / 365 = 101.92.
    s = amortize(
        LoanTerms(
            principal=20000, annual_rate="0.06", term=48, start=date(2026, 1, 15), method="simple_interest"
        )
    )
    assert s[0].interest == Decimal("101.92")
    # February (28 days) accrues less than January on a similar balance.
    assert s[1].interest < s[0].interest


def test_odd_first_period_adds_extra_days_or_capitalizes() -> None:
    # 30/360: start Jan 1, first due Feb 16 -> regular period Jan 16 - Feb 16 plus 15 odd days.
    base = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=START)
    odd = base.replace(first_due=date(2026, 2, 16))
    regular, long = amortize(base), amortize(odd)
    extra = Decimal(12000) * Decimal("0.06") * 15 / 360  # 30.00
    assert long[0].interest - regular[0].interest == extra
    assert long[1].payment == regular[1].payment
    capitalized = amortize(odd.replace(odd_days="capitalize"))
    assert capitalized.capitalized_interest == Decimal("30.00")
    assert capitalized.total_principal == Decimal("12030.00")


def test_balloon_leaves_the_balloon_due_with_the_last_payment() -> None:
    s = amortize(
        LoanTerms(principal=30000, annual_rate="0.05", term=36, start=START, method="balloon", balloon=10000)
    )
    assert s[-2].balance > 10000 > s[-2].balance - s[0].payment
    assert s[-1].payment > 10000


def test_interest_only_and_bullet() -> None:
    io = amortize(LoanTerms(principal=120000, annual_rate="0.06", term=12, start=START, method="先息后本"))
    assert [i.payment for i in io[:-1]] == [Decimal("600.00")] * 11
    assert io[-1].payment == Decimal("120600.00")
    bullet = amortize(LoanTerms(principal=120000, annual_rate="0.06", term=12, start=START, method="bullet"))
    assert len(bullet) == 1 and bullet[0].payment == Decimal("127200.00")


def test_grace_periods_pay_interest_only_then_amortize() -> None:
    s = amortize(
        LoanTerms(principal=60000, annual_rate="0.06", term=24, start=START, interest_only_periods=6)
    )
    assert all(i.principal == 0 and i.payment == 300 for i in s[:6])
    assert s[6].payment == level_payment(60000, "0.06", 18)


def test_payment_multiple_rounds_up_and_last_absorbs() -> None:
    s = amortize(
        LoanTerms(
            principal=150000, annual_rate="0.0435", term=60, start=START, currency="CNY", payment_multiple=10
        )
    )
    assert s[0].payment == Decimal("2790.00")
    assert s[-1].payment < s[0].payment and s.total_principal == 150000


def test_zero_rate() -> None:
    s = amortize(LoanTerms(principal=1000, annual_rate=0, term=3, start=START))
    assert [i.payment for i in s] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert s.total_interest == 0


def test_jpy_has_no_minor_unit() -> None:
    # Cross-checked with numpy-financial: pmt(0.019/12, 60, 3_000_000) = -52451.93..., to whole yen 52,452.
    s = amortize(LoanTerms(principal=3_000_000, annual_rate="0.019", term=60, start=START, currency="JPY"))
    assert s[0].payment == Decimal("52452") and s.total_principal == 3_000_000


def test_financed_fees_are_amortized() -> None:
    t = LoanTerms(
        principal=20000,
        annual_rate="0.05",
        term=24,
        start=START,
        fees=(Fee("doc", 300, financed=True), Fee("title", 100, financed=False, finance_charge=False)),
    )
    assert t.note_amount == 20300 and amortize(t).total_principal == 20300


# --- bad input -------------------------------------------------------------------------------------------

GOOD = dict(principal=1000, annual_rate="0.05", term=12, start=START)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"principal": 0}, "principal"),
        ({"principal": -5}, "principal"),
        ({"principal": "ten"}, "principal"),
        ({"principal": "10.001"}, "principal"),
        ({"annual_rate": "-0.01"}, "annual_rate"),
        ({"annual_rate": 43.5}, "annual_rate"),
        ({"term": 0}, "term"),
        ({"term": 1.5}, "term"),
        ({"term": True}, "term"),
        ({"balloon": 1000}, "balloon"),
        ({"balloon": 5000}, "balloon"),
        ({"first_due": date(2025, 12, 1)}, "first_due"),
        ({"method": "mystery"}, "method"),
        ({"frequency": "hourly"}, "frequency"),
        ({"day_count": "ACT/999"}, "day_count"),
        ({"currency": "ZZZ"}, "currency"),
        ({"start": "yesterday"}, "start"),
        ({"interest_only_periods": 12}, "interest_only_periods"),
        ({"method": "balloon"}, "balloon"),
        ({"method": "bullet", "balloon": 10}, "balloon"),
        ({"payment_multiple": 0}, "payment_multiple"),
        ({"fees": ("x",)}, "fees[0]"),
    ],
)
def test_invalid_terms_name_the_field_and_value(change: dict[str, object], field: str) -> None:
    with pytest.raises(AutoloanError) as info:
        LoanTerms(**{**GOOD, **change})  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(field)
    value = change.get(field, next(iter(change.values())))
    assert repr(value)[:10] in str(info.value) or str(value) in str(info.value) or field == "fees[0]"


def test_amortize_refuses_non_terms() -> None:
    with pytest.raises(InvalidTerms, match="terms"):
        amortize({"principal": 1})  # type: ignore[arg-type]


@given(
    st.fixed_dictionaries(
        {
            "principal": st.one_of(st.integers(-10, 10**16), st.text(max_size=5), st.floats()),
            "annual_rate": st.one_of(st.floats(), st.text(max_size=5), st.integers(-1, 20)),
            "term": st.one_of(st.integers(-5, 10_000), st.floats()),
            "start": st.one_of(st.dates(), st.text(max_size=3)),
            "first_due": st.one_of(st.none(), st.dates()),
            "method": st.one_of(st.sampled_from([m.value for m in Method]), st.text(max_size=3)),
            "frequency": st.sampled_from(["monthly", "weekly", "annual", "semi_monthly", "x"]),
            "balloon": st.one_of(st.integers(-1, 10**6), st.text(max_size=2)),
        }
    )
)
def test_arbitrary_input_raises_only_autoloan_errors(kwargs: dict[str, object]) -> None:
    try:
        terms = LoanTerms(**kwargs)  # type: ignore[arg-type]
    except AutoloanError:
        return
    s = amortize(terms)
    assert s[-1].balance == 0


def test_due_dates_anchor_to_start_when_first_due_is_regular() -> None:
    t = LoanTerms(principal=1000, annual_rate="0.05", term=3, start=date(2024, 1, 31))
    assert t.due_dates() == (date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30))
    same = t.replace(first_due=date(2024, 2, 29))
    assert same.due_dates() == t.due_dates()
    shifted = t.replace(first_due=date(2024, 2, 29) + timedelta(days=1))
    assert shifted.due_dates()[0] == date(2024, 3, 1)


def test_unknown_column_is_a_typed_error() -> None:
    s = amortize(LoanTerms(principal=100, annual_rate=0, term=2, start=START))
    assert s.minor_units("principal") == (5000, 5000)
    with pytest.raises(AutoloanError, match="column"):
        s.column("tax")
    with pytest.raises(ValueError, match="column"):
        s.minor_units("tax")


# --- issue 10: percent typed as a number, odd days of simple interest, 等本等息, short schedules -----------


def test_percent_typed_as_a_number_is_refused_not_435_percent() -> None:
    # issue 10 #1: this returned 50,750.74 (435 % a year).
    with pytest.raises(InvalidTerms) as info:
        level_payment(140000, 4.35, 36, currency="CNY")
    assert info.value.field == "annual_rate"
    assert 'did you mean 0.0435 or "4.35%"?' in str(info.value)
    # The same loan written as a percent string or a fraction: 4,155.19 a month.
    assert level_payment(140000, "4.35%", 36, currency="CNY") == Decimal("4155.19")
    assert level_payment(140000, "4.35％", 36, currency="CNY") == Decimal("4155.19")
    assert level_payment(140000, "0.0435", 36, currency="CNY") == Decimal("4155.19")
    assert level_payment(140000, 0.0435, 36, currency="CNY") == Decimal("4155.19")
    # A genuinely high rate is a percent string.
    assert level_payment(1000, "435%", 12) > level_payment(1000, "0.435", 12)


@pytest.mark.parametrize("rate", [4.35, "4.35", Decimal("4.35"), 36])
def test_loan_terms_refuse_bare_rates_of_one_or_more(rate: Any) -> None:
    with pytest.raises(InvalidTerms, match="did you mean"):
        LoanTerms(principal=140000, annual_rate=rate, term=36, start=START, currency="CNY")


SIMPLE_ODD = {
    "principal": 20000,
    "annual_rate": "0.0699",
    "term": 60,
    "start": date(2026, 1, 15),
    "first_due": date(2026, 3, 2),  # a 46-day first period
    "method": "simple_interest",
}


def test_simple_interest_odd_first_period_follows_odd_days() -> None:
    # issue 10 #3: "add" and "capitalize" gave identical schedules with a level first payment.
    assert (SIMPLE_ODD["first_due"] - SIMPLE_ODD["start"]).days == 46  # type: ignore[operator]
    last = amortize(LoanTerms(**SIMPLE_ODD))  # type: ignore[arg-type]
    add = amortize(LoanTerms(**SIMPLE_ODD, odd_days="add"))  # type: ignore[arg-type]
    cap = amortize(LoanTerms(**SIMPLE_ODD, odd_days="capitalize"))  # type: ignore[arg-type]
    assert last.terms.odd_days.value == "last"  # the US daily-simple-interest default: payment 1 stays level
    assert last[0].payment == last.level_payment == Decimal("395.93")
    assert last[-1].payment == Decimal("488.56")  # the last payment absorbs the odd days' interest
    # add: the odd days' interest is added to payment 1. The regular period is Feb 2 - Mar 2, so the
    # odd days are Jan 15 - Feb 2: 18 days, 20000 × 6.99 % × 18/365 = 68.94.
    odd = (Decimal(20000) * Decimal("0.0699") * 18 / 365).quantize(Decimal("0.01"))
    assert odd == Decimal("68.94")
    assert add[0].payment - add.level_payment == odd
    assert add[0].interest == last[0].interest  # the same 46 days of interest
    assert abs(add[-1].payment - add.level_payment) < 10  # actual-day accrual: months differ by days
    # capitalize: the odd days' interest joins the balance; the level payment is computed on it.
    assert cap.capitalized_interest == odd
    assert cap.total_principal == Decimal(20000) + odd
    assert cap.level_payment > last.level_payment
    assert cap[0].payment == cap.level_payment
    assert len({tuple(s.column("payment")) for s in (last, add, cap)}) == 3


@given(loan_terms(method=Method.SIMPLE_INTEREST))
def test_simple_interest_every_odd_days_choice_balances(terms: LoanTerms) -> None:
    s = amortize(terms)
    assert s.total_principal == terms.note_amount + s.capitalized_interest
    assert s[-1].balance == 0


@pytest.mark.parametrize("name", ["等本等息", "flat", "add_on", "手续费率"])
def test_flat_method_accepts_its_chinese_name(name: str) -> None:
    # issue 10 #4: 等本等息 (equal principal, equal interest) is the flat / add-on method.
    assert Method.parse(name) is Method.FLAT
    t = LoanTerms(principal=36000, annual_rate="0.05", term=36, start=START, method=name)
    assert {i.interest for i in amortize(t)[:-1]} == {Decimal("150.00")}


def test_short_schedules_say_so() -> None:
    # issue 10 #6: 116 rows for 119 payments, silently.
    s = amortize(LoanTerms(principal="1.40", annual_rate="0.1235", term=119, start=date(2024, 9, 19)))
    assert len(s) == 119 or s.paid_off_early
    assert s.paid_off_early == (len(s) < 119)
    assert s.total_principal == Decimal("1.40")
    f = amortize(
        LoanTerms(principal="1.40", annual_rate="0.1235", term=100, start=date(2024, 9, 19), rounding="floor")
    )
    assert len(f) == 100 or f.paid_off_early
    assert "paid off early" in repr(f) or len(f) == 100
    regular = amortize(LoanTerms(principal=1000, annual_rate="0.05", term=12, start=START))
    assert not regular.paid_off_early and len(regular) == 12


@given(loan_terms())
def test_rows_or_paid_off_early(terms: LoanTerms) -> None:
    s = amortize(terms)
    expected = 1 if terms.method is Method.BULLET else terms.term
    assert len(s) == expected or (s.paid_off_early and len(s) < expected)


def test_amounts_beyond_the_working_precision_are_refused() -> None:
    # issue 10 #6: 5,200 weeks of daily simple interest at 999 % (ACT/360: interest outgrows the payment).
    terms = LoanTerms(
        principal=1000,
        annual_rate="999%",
        term=5200,
        start=date(2024, 9, 19),
        frequency="weekly",
        method="simple_interest",
        day_count="ACT/360",
    )
    with pytest.raises(InvalidTerms, match="exceed 50 digits"):
        amortize(terms)


# --- numpy / pandas values and the error class (issues 10, 12) ---------------------------------------------


def test_loan_terms_take_numpy_numbers() -> None:
    np = pytest.importorskip("numpy")
    t = LoanTerms(np.float64(15000.0), np.float64(0.0435), np.int64(36), START)
    assert t.principal == Decimal("15000.0") and t.annual_rate == Decimal("0.0435") and t.term == 36
    assert type(t.term) is int
    assert amortize(t) == amortize(LoanTerms(15000, "0.0435", 36, START))


@pytest.mark.parametrize("field", ["principal", "annual_rate", "balloon"])
def test_pandas_na_is_refused_naming_the_field(field: str) -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    for missing in (pd.NA, np.float64("nan"), float("nan")):
        values: dict[str, object] = {"principal": 15000, "annual_rate": "0.05", "term": 36, "start": START}
        values[field] = missing
        with pytest.raises(InvalidTerms) as info:
            LoanTerms(**values)  # type: ignore[arg-type]
        assert info.value.field == field


def test_error_class_follows_the_object() -> None:
    # issue 12: a bad rate raised InvalidInput while principal=0 raised InvalidTerms.
    with pytest.raises(InvalidTerms) as info:
        LoanTerms(principal=1000, annual_rate="x", term=12, start=START)
    assert info.value.field == "annual_rate"
    with pytest.raises(InvalidTerms):
        LoanTerms(principal=1000, annual_rate="0.05", term=12, start=START, currency="XXX")
    with pytest.raises(InvalidTerms):
        LoanTerms(principal=1000, annual_rate="0.05", term=12, start="2026-13-01")
    with pytest.raises(InvalidTerms) as info:
        LoanTerms(1000, "1e999999999%", 12, START)
    assert info.value.field == "annual_rate"


def test_replace_keeps_a_high_rate() -> None:
    # A rate of 100 % or more is written "435%"; replace() must not trip over its own Decimal 4.35.
    high = LoanTerms(principal=1000, annual_rate="435%", term=12, start=START)
    assert high.replace(term=24).annual_rate == Decimal("4.35") == high.annual_rate
    assert high.replace(term=24).replace(term=12) == high


@pytest.mark.parametrize("method", ["annuity", "equal_principal", "interest_only", "flat"])
@pytest.mark.parametrize("term", [1, 12])
def test_odd_days_last_moves_the_odd_interest_to_the_last_payment(method: str, term: int) -> None:
    # 30/360: start Jan 1, first due Feb 16 -> 15 odd days, 12,000 × 6 % × 15/360 = 30.00.
    base = LoanTerms(principal=12000, annual_rate="0.06", term=term, start=START, method=method)
    regular = amortize(base)
    add = amortize(base.replace(first_due=date(2026, 2, 16)))
    last = amortize(base.replace(first_due=date(2026, 2, 16), odd_days="last"))
    assert add[0].interest - regular[0].interest == Decimal("30.00")
    assert last.total_interest == add.total_interest
    if term > 1:
        assert last[0].payment == regular[0].payment
        assert last[-1].interest - Decimal("30.00") in (regular[-1].interest, add[-1].interest)
