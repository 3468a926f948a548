"""Tests of autoloan.rates: worked examples from public sources, then properties.

Sources:
- 12 CFR 1026 Appendix J (c), https://www.consumerfinance.gov/rules-policy/regulations/1026/j/
  (examples as transcribed in simontreanor/FSharp.Finance.Personal tests/AprUsActuarialTests.fs,
  which cites that page; the disclosed APRs are the regulation's).
- 12 CFR 1026.22(a)(2)-(3) (APR tolerances).
- Directive 98/7/EC Annex III (examples of calculation, as proposed in COM(1996) 79, Annex II),
  whose equation Directive 2008/48/EC Annex I keeps; https://legislation.gov.uk/eudr/2008/48/annexes
- numpy-financial docstrings (irr, rate, nper) and Microsoft's Excel RATE / XIRR documentation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autoloan as al
from autoloan.amortization import Fee, LoanTerms
from autoloan.dates import add_months, is_month_end, month_date
from autoloan.errors import AutoloanError, InvalidInput, NoSolution
from autoloan.rates import (
    AprResult,
    UnitPeriod,
    annualized_rate,
    appendix_j,
    apr,
    apr_actuarial,
    apr_actuarial_detail,
    apr_tolerance_ok,
    aprc_eu,
    effective_rate,
    flat_rate_to_apr,
    irr,
    kernel,
    solve_rate,
    solve_term,
    xirr,
)


def monthly(first: date, n: int, step: int = 1) -> list[date]:
    return [add_months(first, k * step) for k in range(n)]


def weekly(first: date, n: int, days: int) -> list[date]:
    return [first + timedelta(days=days * k) for k in range(n)]


def semimonthly_1_16(year: int, month: int, n: int) -> list[date]:
    out: list[date] = []
    k = 0
    while len(out) < n:
        first = add_months(date(year, month, 1), k)
        out += [first, first.replace(day=16)]
        k += 1
    return out[:n]


def pct(rate: Decimal) -> Decimal:
    """A fraction as the percentage disclosed to two decimals."""
    return round(rate * 100, 2)


# ---------------------------------------------------------------------------------------------------
# Regulation Z Appendix J (c): the regulation's own worked examples
# ---------------------------------------------------------------------------------------------------

APPENDIX_J = {
    # (c)(1)(i) monthly payments, regular first period
    "c1i": (5000, date(1978, 1, 10), [(d, "230.00") for d in monthly(date(1978, 2, 10), 24)], "9.69"),
    # (c)(1)(ii) monthly payments, long first period (1 month + 19 days: f = 19/30)
    "c1ii": (6000, date(1978, 2, 10), [(d, "200.00") for d in monthly(date(1978, 4, 1), 36)], "11.82"),
    # (c)(1)(iii) semimonthly payments (1st and 16th), short first period
    "c1iii": (5000, date(1978, 2, 23), [(d, "219.17") for d in semimonthly_1_16(1978, 3, 24)], "10.34"),
    # (c)(1)(iv) quarterly payments, long first period
    "c1iv": (10000, date(1978, 5, 23), [(d, "385.00") for d in monthly(date(1978, 10, 1), 40, 3)], "8.97"),
    # (c)(1)(v) weekly payments, long first period
    "c1v": (500, date(1978, 3, 20), [(d, "17.60") for d in weekly(date(1978, 4, 21), 30, 7)], "14.96"),
    # (c)(2)(i) monthly payments, regular first period, irregular first payment
    "c2i": (
        5000,
        date(1978, 1, 10),
        [(date(1978, 2, 10), "250.00")] + [(d, "230.00") for d in monthly(date(1978, 3, 10), 23)],
        "10.08",
    ),
    # (c)(2)(ii) payments every 4 weeks, long first period, irregular first payment
    "c2ii": (
        400,
        date(1978, 3, 18),
        [(date(1978, 4, 20), "39.50")] + [(d, "38.31") for d in weekly(date(1978, 5, 18), 11, 28)],
        "28.50",
    ),
    # (c)(3)(i) monthly payments, regular first period, irregular final payment
    "c3i": (
        5000,
        date(1978, 1, 10),
        [(d, "230.00") for d in monthly(date(1978, 2, 10), 23)] + [(date(1980, 1, 10), "280.00")],
        "10.50",
    ),
    # (c)(3)(ii) payments every 2 weeks, short first period, irregular final payment
    "c3ii": (
        200,
        date(1978, 4, 3),
        [(d, "9.50") for d in weekly(date(1978, 4, 11), 19, 14)]
        + [(date(1978, 4, 11) + timedelta(days=14 * 19), "30.00")],
        "12.22",
    ),
    # (c)(4)(i) monthly payments, irregular first and final payments
    "c4i": (
        5000,
        date(1978, 1, 10),
        [(date(1978, 2, 10), "250.00")]
        + [(d, "230.00") for d in monthly(date(1978, 3, 10), 22)]
        + [(date(1980, 1, 10), "280.00")],
        "10.90",
    ),
    # (c)(4)(ii) payments every 2 months, short first period, irregular first and final payments
    "c4ii": (
        8000,
        date(1978, 1, 10),
        [(date(1978, 3, 1), "449.36")]
        + [(d, "465.00") for d in monthly(date(1978, 5, 1), 18, 2)]
        + [(date(1981, 5, 1), "200.00")],
        "7.30",
    ),
    # (c)(5)(i) single advance, single payment, term less than a year measured in days
    "c5i": (1000, date(1978, 1, 3), [(date(1978, 9, 15), "1080.00")], "11.45"),
}

EXPECTED_UNIT = {
    "c1i": ("month", 1),
    "c1ii": ("month", 1),
    "c1iii": ("semimonth", 1),
    "c1iv": ("month", 3),
    "c1v": ("week", 1),
    "c2i": ("month", 1),
    "c2ii": ("week", 4),
    "c3i": ("month", 1),
    "c3ii": ("week", 2),
    "c4i": ("month", 1),
    "c4ii": ("month", 2),
    "c5i": ("day", 1),
}


@pytest.mark.parametrize("name", sorted(APPENDIX_J))
def test_appendix_j_worked_examples(name: str) -> None:
    """12 CFR 1026 Appendix J (c)(1)-(c)(5): each disclosed APR is reproduced to two decimals, with the
    unit-period (b)(4) picks."""
    financed, advance, payments, disclosed = APPENDIX_J[name]
    result = apr_actuarial_detail(financed, advance, payments)
    assert pct(result.apr) == Decimal(disclosed)
    assert (result.unit_period.kind, result.unit_period.multiple) == EXPECTED_UNIT[name]
    assert apr_actuarial(financed, advance, payments) == result.apr


ODD_FIRST_PERIOD = [
    # (amount financed, advance date, payments, published APR %, first t, first f)
    (
        10000,
        date(1978, 6, 23),
        [(d, 385) for d in monthly(date(1978, 10, 1), 40, 3)],
        "9.15",
        1,
        Fraction(4, 45),
    ),
    (
        10000,
        date(1978, 7, 23),
        [(d, 385) for d in monthly(date(1978, 10, 1), 40, 3)],
        "9.32",
        0,
        Fraction(23, 30),
    ),
    (
        1000,
        date(2023, 10, 26),
        [(d, 220) for d in weekly(date(2023, 11, 30), 5, 1)],
        "94.15",
        35,
        Fraction(0),
    ),
    (
        1000,
        date(2023, 10, 28),
        [(d, 250) for d in weekly(date(2023, 11, 30), 5, 7)],
        "176.52",
        4,
        Fraction(5, 7),
    ),
    (
        1000,
        date(2023, 11, 23),
        [(d, 250) for d in weekly(date(2023, 11, 30), 5, 7)],
        "412.40",
        1,
        Fraction(0),
    ),
    (
        1000,
        date(2023, 11, 24),
        [(d, 250) for d in weekly(date(2023, 11, 30), 5, 7)],
        "434.30",
        0,
        Fraction(6, 7),
    ),
    (
        1000,
        date(2023, 10, 26),
        [(d, 500) for d in monthly(date(2023, 11, 30), 5, 12)],
        "78.34",
        0,
        Fraction(7, 73),
    ),
]


@pytest.mark.parametrize("case", ODD_FIRST_PERIOD, ids=lambda c: f"{c[3]}%")
def test_odd_first_period_examples(
    case: tuple[int, date, list[tuple[date, int]], str, int, Fraction],
) -> None:
    """Odd (long and short) first periods with quarterly, daily, weekly and yearly unit-periods: the
    "extra examples ... all confirmed using Excel" of simontreanor/FSharp.Finance.Personal
    tests/AprUsActuarialTests.fs (ExtraExamples), an independent Appendix J implementation."""
    financed, advance, payments, published, whole, fraction = case
    result = apr_actuarial_detail(financed, advance, payments)
    assert pct(result.apr) == Decimal(published)
    assert (result.timings[0].whole, result.timings[0].fraction) == (whole, fraction)


def test_appendix_j_fractional_periods() -> None:
    """App. J (b)(5): (c)(1)(ii) is 1 month + 19 days -> f = 19/30 (b)(5)(ii); (c)(1)(iv) is 30 x 4 months
    + 9 days = 129 days over 90 -> 1 unit-period + 39/90 (b)(5)(iii); (c)(1)(v) is 32 days over 7 ->
    4 weeks + 4/7 (b)(5)(iv); (c)(1)(iii) is 6 days over 15 -> 6/15 (b)(5)(iii)."""
    first = {
        name: apr_actuarial_detail(*APPENDIX_J[name][:3]).timings[0]
        for name in ("c1ii", "c1iv", "c1v", "c1iii")
    }
    assert (first["c1ii"].whole, first["c1ii"].fraction) == (1, Fraction(19, 30))
    assert (first["c1iv"].whole, first["c1iv"].fraction) == (1, Fraction(39, 90))
    assert (first["c1v"].whole, first["c1v"].fraction) == (4, Fraction(4, 7))
    assert (first["c1iii"].whole, first["c1iii"].fraction) == (0, Fraction(6, 15))


def test_appendix_j_single_payment_whole_months() -> None:
    """App. J (b)(5)(vi): a single payment 6 months after the advance is one unit-period of 6 months,
    2 unit-periods a year: $1,000 -> $1,080 is 8 % per half year, an APR of exactly 16 %."""
    result = apr_actuarial_detail(1000, date(1978, 7, 15), [(date(1979, 1, 15), 1080)])
    assert result.unit_periods_per_year == 2
    assert result.apr == Decimal("0.16")


def test_appendix_j_single_payment_over_a_year() -> None:
    """App. J (b)(4)(ii), (b)(5)(v): a single payment 1 year 6 months after the advance: the unit-period
    is a year; the remaining 6 months count 6/12 of a unit-period at simple interest (b)(6):
    1000 (1 + i/2)(1 + i) = 1210 -> i = 0.1340134638..."""
    result = apr_actuarial_detail(1000, date(1978, 1, 15), [(date(1979, 7, 15), 1210)])
    assert result.unit_period == UnitPeriod("month", 12)
    assert (result.timings[0].whole, result.timings[0].fraction) == (1, Fraction(1, 2))
    # 0.5 i^2 + 1.5 i + 1 = 1.21  ->  i = (-1.5 + sqrt(2.25 + 0.42)) / 1
    assert abs(result.apr - Decimal(-1.5 + math.sqrt(2.25 + 0.42))) <= Decimal("5e-11")


def test_month_end_series_counts_whole_months() -> None:
    """App. J (b)(3)(iv): payments on the last day of each month are a whole month apart (Feb 28 ->
    Mar 31), and a series on the 30th uses the last day of February; no odd days arise."""
    eom = [(add_months(date(2026, 1, 31), k), 100) for k in range(1, 13)]
    timings = apr_actuarial_detail(1100, date(2026, 1, 31), eom).timings
    assert [(t.whole, t.fraction) for t in timings] == [(k, Fraction(0)) for k in range(1, 13)]
    thirtieth = [(add_months(date(2026, 1, 30), k), 100) for k in range(1, 13)]
    assert thirtieth[0][0] == date(2026, 2, 28)
    timings = apr_actuarial_detail(1100, date(2026, 1, 30), thirtieth).timings
    assert [(t.whole, t.fraction) for t in timings] == [(k, Fraction(0)) for k in range(1, 13)]


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    gap=st.integers(1, 60),
    n=st.integers(2, 30),
    step=st.sampled_from([("month", 1), ("month", 3), ("month", 12), ("week", 1), ("week", 2), ("day", 1)]),
)
def test_timings_follow_b5_for_every_payment(start: date, gap: int, n: int, step: tuple[str, int]) -> None:
    """Every payment's (t, f) is what App. J (b)(5) gives when counted back from that payment alone
    (the shortcut for payments one unit-period apart must agree with the full count)."""
    kind, multiple = step
    first = start + timedelta(days=gap)
    if kind == "month":
        dates = monthly(first, n, multiple)
    else:
        dates = weekly(first, n, 7 * multiple if kind == "week" else 1)
    result = apr_actuarial_detail(100 * n, start, [(d, 101) for d in dates])
    for timing in result.timings:
        found = appendix_j.payment_timing(start, timing.date, result.unit_period, dates)
        assert (timing.whole, timing.fraction) == found


def test_explicit_unit_period_and_explanation_data() -> None:
    """The result carries the rule id, citation, unit-period and tolerance class (12 CFR 1026.22(a))."""
    financed, advance, payments, _ = APPENDIX_J["c1i"]
    result = apr_actuarial_detail(financed, advance, payments, unit_period="monthly")
    assert isinstance(result, AprResult)
    assert result.unit_period.label_zh == "月" and result.unit_periods_per_year == 12
    assert not result.irregular and result.tolerance == Decimal("0.00125")
    assert "Appendix J" in result.citation and result.rule_id.startswith("US.REGZ")
    # An irregular middle payment makes the transaction irregular: 1/4 point (1026.22(a)(3)).
    bumped = list(payments)
    bumped[5] = (bumped[5][0], "300.00")
    odd = apr_actuarial_detail(financed, advance, bumped)
    assert odd.irregular and odd.tolerance == Decimal("0.0025")


def test_unit_period_parse() -> None:
    assert UnitPeriod.parse("weekly") == UnitPeriod("week", 1)
    assert UnitPeriod.parse("biweekly") == UnitPeriod("week", 2)
    assert UnitPeriod.parse("quarterly") == UnitPeriod("month", 3)
    assert UnitPeriod.parse("semi-monthly") == UnitPeriod("semimonth", 1)
    assert UnitPeriod.parse(al.Frequency.ANNUAL).periods_per_year == 1
    assert UnitPeriod("week", 4).periods_per_year == 13
    with pytest.raises(InvalidInput, match="unit_period"):
        UnitPeriod.parse("fortnightly-ish")
    with pytest.raises(InvalidInput, match=r"unit_period\.multiple"):
        UnitPeriod("month", 13)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_financed": 0}, "amount_financed"),
        ({"advance_date": "1978-13-01"}, "advance_date"),
        ({"payments": []}, "payments"),
        ({"payments": [(date(1977, 1, 1), 100)]}, "payments[0].date"),
        ({"payments": [(date(1978, 2, 10), -5)]}, "payments[0].amount"),
        ({"payments": [(date(1978, 2, 10), 0)]}, "payments"),
        ({"payments": [(date(1978, 2, 10), "abc")]}, "payments[0].amount"),
        ({"payments": [date(1978, 2, 10)]}, "payments[0]"),
        ({"payments": "230"}, "payments"),
    ],
)
def test_apr_actuarial_rejects_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "amount_financed": 5000,
        "advance_date": date(1978, 1, 10),
        "payments": [(date(1978, 2, 10), 230)],
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput) as info:
        apr_actuarial(**args)  # type: ignore[arg-type]
    assert info.value.field == field


# ---------------------------------------------------------------------------------------------------
# Tolerance: 12 CFR 1026.22(a)(2)-(3)
# ---------------------------------------------------------------------------------------------------


def test_tolerance_regular_and_irregular() -> None:
    """1026.22(a)(2): within 1/8 of 1 percentage point; (a)(3): 1/4 point when irregular."""
    assert apr_tolerance_ok("9.815%", "0.0969")  # exactly 1/8 point above
    assert apr_tolerance_ok("9.565%", "0.0969")  # exactly 1/8 point below
    assert not apr_tolerance_ok("9.816%", "0.0969")
    assert apr_tolerance_ok("9.94%", "0.0969", irregular=True)  # exactly 1/4 point
    assert not apr_tolerance_ok("9.941%", "0.0969", irregular=True)
    with pytest.raises(InvalidInput, match="disclosed"):
        apr_tolerance_ok("n/a", "0.0969")


# ---------------------------------------------------------------------------------------------------
# apr(terms): the schedule's APR (needs the amortization engine)
# ---------------------------------------------------------------------------------------------------


def test_apr_of_terms_with_prepaid_finance_charge() -> None:
    """12 CFR 1026.18(b): amount financed = principal - prepaid finance charges. $10,000 at 6 % for 36
    months with a $300 origination fee paid at signing: payments 304.22 (last 304.18) on 9,700
    financed; cross-checked with numpy-financial rate(36, 304.22, -9700) * 12 = 8.057 %."""
    terms = LoanTerms(principal=10000, annual_rate="0.06", term=36, start=date(2026, 1, 15))
    assert pct(apr(terms)) == Decimal("6.00")
    with_fee = terms.replace(fees=(Fee("origination", 300),))
    assert pct(apr(with_fee)) == Decimal("8.06")
    # A fee that is not a finance charge (title, registration) does not move the APR.
    title = terms.replace(fees=(Fee("title", 300, finance_charge=False),))
    assert apr(title) == apr(terms)


def test_apr_of_flat_offer_schedule() -> None:
    """A 3.5 %/year flat (add-on) offer over 36 months: the schedule's APR is about 6.6 %, the same as
    the scale-free IRR of the offer (flat_rate_to_apr)."""
    terms = LoanTerms(
        principal=100000, annual_rate="0.035", term=36, start=date(2026, 1, 15), method="flat", currency="CNY"
    )
    assert abs(apr(terms) - flat_rate_to_apr("3.5%", 36)) < Decimal("0.0001")


# ---------------------------------------------------------------------------------------------------
# EU: Directive 2008/48/EC Annex I (examples of Directive 98/7/EC Annex III)
# ---------------------------------------------------------------------------------------------------


def test_eu_first_example() -> None:
    """98/7/EC Annex III A, first example: 1,000 lent 1 Jan 1994, 1,200 repaid 1 Jul 1995 (546 days):
    13 % to one decimal... 12.96 % to two."""
    x = aprc_eu([(date(1994, 1, 1), 1000)], [(date(1995, 7, 1), 1200)])
    assert pct(x) == Decimal("12.96")
    assert round(x * 100, 1) == Decimal("13.0")


def test_eu_second_example_fees_withheld() -> None:
    """98/7/EC Annex III A, second example: the creditor withholds 50 of 1,000 for charges; 1,200 is
    repaid as in the first example: 16.9 %."""
    x = aprc_eu([(date(1994, 1, 1), 950)], [(date(1995, 7, 1), 1200)])
    assert round(x * 100, 1) == Decimal("16.9")


def test_eu_third_example_two_instalments() -> None:
    """98/7/EC Annex III A, third example: 1,000 repaid in two instalments of 600 after one and two
    years: 13.07 %."""
    x = aprc_eu([(date(1994, 1, 1), 1000)], [(date(1995, 1, 1), 600), (date(1996, 1, 1), 600)])
    assert pct(x) == Decimal("13.07")


def test_eu_leap_year_and_bases() -> None:
    """Annex I remark (c): a year is 365 days, 366 in leap years. 1,000 -> 1,100 over 2024 (366 days) is
    exactly 10 % a year; counting Actual/365 instead gives less; 12 equal months give 10 % too."""
    draw, pay = [(date(2024, 1, 1), 1000)], [(date(2025, 1, 1), 1100)]
    assert aprc_eu(draw, pay) == Decimal("0.1")
    assert aprc_eu(draw, pay, basis="months") == Decimal("0.1")
    assert aprc_eu(draw, pay, basis="actual/365") < Decimal("0.1")
    with pytest.raises(InvalidInput, match="basis"):
        aprc_eu(draw, pay, basis="360")


def test_eu_monthly_loan_equals_effective_rate() -> None:
    """With 12 equal months, a 12-payment annuity at nominal 12 % (1 % a month) has APRC (1.01)^12 - 1."""
    with localcontext() as ctx:
        ctx.prec = 50
        pmt = Decimal(1000) * Decimal("0.01") / (1 - Decimal("1.01") ** -12)
    repay = [(add_months(date(2025, 3, 15), k), pmt) for k in range(1, 13)]
    x = aprc_eu([(date(2025, 3, 15), 1000)], repay, basis="months")
    assert x == effective_rate("0.12", 12)


# ---------------------------------------------------------------------------------------------------
# IRR, XIRR, RATE, NPER against published examples
# ---------------------------------------------------------------------------------------------------


def test_irr_numpy_financial_docstring_examples() -> None:
    """numpy-financial irr docstring: [-100, 39, 59, 55, 20] -> 0.28095; [-100, 0, 0, 74] -> -0.0955."""
    assert round(irr([-100, 39, 59, 55, 20], periods_per_year=1), 5) == Decimal("0.28095")
    assert round(irr([-100, 0, 0, 74], periods_per_year=1), 4) == Decimal("-0.0955")
    # Nominal annual: the monthly IRR times 12.
    nominal, periodic = irr([-100, 39, 59, 55, 20]), irr([-100, 39, 59, 55, 20], periods_per_year=1)
    assert abs(nominal - periodic * 12) <= Decimal("6e-10")  # each rounded to 10 places


@pytest.mark.parametrize("flows", [[-100, 100, 0, -7], [-5, 10.5, 1, -8, 1], [-50, -100, 600, 300, -100]])
def test_irr_refuses_ambiguous_roots(flows: list[float]) -> None:
    """numpy-financial's docstring returns -0.0833 and 0.0886 for the first two, and issue #28 shows
    the third giving -76 % against Excel's 185 %: several sign changes, several possible roots. autoloan
    raises NoSolution naming why instead of picking one."""
    with pytest.raises(NoSolution, match="more than once") as info:
        irr(flows, periods_per_year=1)
    assert info.value.context["sign_changes"] >= 2


def test_no_root_when_flows_never_change_sign() -> None:
    with pytest.raises(NoSolution, match="never change sign"):
        irr([100, 10, 10])
    with pytest.raises(NoSolution, match="zero"):
        irr([0, 0, 0])
    with pytest.raises(NoSolution, match="never change sign"):
        solve_rate(1000, 0, 12)


def test_xirr_excel_documentation_example() -> None:
    """Microsoft Excel XIRR documentation: -10,000 on 2008-01-01, then 2,750 / 4,250 / 3,250 / 2,750 on
    2008-03-01, 2008-10-30, 2009-02-15, 2009-04-01: 0.373362535 (37.34 %)."""
    flows = [
        (date(2008, 1, 1), -10000),
        (date(2008, 3, 1), 2750),
        (date(2008, 10, 30), 4250),
        (date(2009, 2, 15), 3250),
        (date(2009, 4, 1), 2750),
    ]
    # Excel shows 0.373362535: its iteration stops near 1e-9.
    assert round(xirr(flows), 8) == Decimal("0.37336253")
    assert xirr(list(reversed(flows))) == xirr(flows)  # times count from the earliest date


def test_solve_rate_excel_and_numpy_examples() -> None:
    """Excel RATE documentation: RATE(48, -200, 8000) = 0.77 % a month, 9.24 % a year.
    numpy-financial rate docstring: rate(10, 0, -3500, 10000) = 0.1107."""
    assert pct(solve_rate(8000, 200, 48)) == Decimal("9.24")
    assert round(solve_rate(8000, 200, 48) / 12 * 100, 2) == Decimal("0.77")
    assert round(solve_rate(3500, 0, 10, frequency="annual", balloon=10000), 4) == Decimal("0.1107")


def test_solve_rate_zero_and_never_repaid() -> None:
    """Payments that only return the principal mean 0 %; less than the principal never repay it: refused
    (NoSolution), not a negative rate (issue 10)."""
    assert solve_rate(1200, 100, 12) == 0 and not solve_rate(1200, 100, 12).is_signed()
    zero_io = LoanTerms(
        principal=12000, annual_rate=0, term=12, start=date(2026, 1, 15), interest_only_periods=3
    )
    assert str(apr(zero_io)) == "0E-10"  # zero payments in the interest-only months are skipped, no -0
    with pytest.raises(NoSolution, match="never repay"):
        solve_rate(1200, 90, 12)


def test_solve_term_numpy_example_and_edges() -> None:
    """numpy-financial nper docstring: nper(0.07/12, -150, 8000) = 64.07 -> 65 whole payments."""
    assert solve_term(8000, "0.07", 150) == 65
    assert solve_term(8000, "7%", "150.00", frequency="monthly", currency="CNY") == 65
    assert solve_term(1000, 0, 1000) == 1
    assert solve_term(1000, 0, 999) == 2
    with pytest.raises(NoSolution, match="interest"):
        solve_term(10000, "0.12", 100)  # interest is 100 a month: the balance never falls
    with pytest.raises(InvalidInput, match="payment"):
        solve_term(1000, "0.05", 0)
    with pytest.raises(InvalidInput, match="principal"):
        solve_term("1000.001", "0.05", 10)


def test_flat_offers_china() -> None:
    """Reference note arithmetic.md section 7: ¥100,000 over 36 months with a 10 % total fee (月供
    3,055.56) has a nominal IRR of 6.29 % (effective 6.48 %), not the 3.33 % 'annual fee rate'.
    HP 12C handbook, add-on interest to APR: 10 % a year add-on over 36 months -> 17.92 %."""
    assert pct(flat_rate_to_apr("10%", 36, per="term")) == Decimal("6.29")
    assert pct(flat_rate_to_apr("10%", 36, per="term", effective=True)) == Decimal("6.48")
    assert pct(annualized_rate(100000, "3055.56", term=36)) == Decimal("6.29")
    assert pct(flat_rate_to_apr("10%", 36)) == Decimal("17.92")
    # 月费率 0.35 % for 36 months is the same offer as 12.6 % over the term and 4.2 % a year.
    monthly_fee = flat_rate_to_apr("0.35%", 36, per="period")
    assert monthly_fee == flat_rate_to_apr("12.6%", 36, per="term") == flat_rate_to_apr("4.2%", 36)
    with pytest.raises(InvalidInput, match="per"):
        flat_rate_to_apr("1%", 12, per="week")


def test_annualized_rate_forms_and_fees() -> None:
    seq = annualized_rate(12000, ["1066.19"] * 12)
    assert seq == annualized_rate(12000, "1066.19", term=12)
    assert annualized_rate(12000, "1066.19", term=12, fees=200) > seq
    eff = annualized_rate(12000, "1066.19", term=12, effective=True)
    assert abs(eff - effective_rate(seq, 12)) <= Decimal("1e-10")
    with pytest.raises(InvalidInput, match="term"):
        annualized_rate(12000, "1066.19")
    with pytest.raises(InvalidInput, match="fees"):
        annualized_rate(12000, "1066.19", term=12, fees=12000)


def test_inputs_accept_int_str_decimal_float() -> None:
    a = irr([-100, 60, 60], periods_per_year=1)
    assert irr([-100.0, "60", Decimal(60)], periods_per_year=1) == a
    assert irr([-100, 60, 60], periods_per_year="annual") == a


def test_results_ignore_the_global_decimal_context() -> None:
    """autoloan computes under its own explicit context: a caller's odd global context changes nothing."""
    financed, advance, payments, _ = APPENDIX_J["c1iii"]
    flows = [(date(2025, 1, 1), -1000), (date(2025, 7, 1), 520), (date(2026, 1, 1), 520)]

    def compute() -> tuple[Decimal, ...]:
        return (
            apr_actuarial(financed, advance, payments),
            xirr(flows),
            flat_rate_to_apr("3.5%", 7),
            solve_rate(10000, "299.71", 36),
            annualized_rate(12000, "1066.19", term=12, fees=100, effective=True),
        )

    expected = compute()
    with localcontext() as ctx:
        ctx.prec = 6
        ctx.rounding = ROUND_FLOOR
        assert compute() == expected


def test_absurd_rates_are_refused() -> None:
    """A rate beyond 1e30 (as a fraction) cannot be expressed to 10 places in 50 digits: NoSolution."""
    with pytest.raises(NoSolution, match="beyond"):
        xirr([(date(2000, 1, 1), Decimal("-1e-144")), (date(2001, 1, 1), 1)])


def test_extreme_roots_do_not_blow_up() -> None:
    """A root near -100 % and a 100-year weekly series are solved, not overflowed."""
    assert irr([-100, Decimal("0.0001")], periods_per_year=1) == Decimal("-0.999999")
    assert irr([-100] + [1] * 5200, periods_per_year=52) == Decimal("0.52")
    assert solve_rate(1000, "1000000", 1) == Decimal("11988")  # 99,900 % a month, 12x nominal
    with pytest.raises(NoSolution, match="above"):
        irr([-1, 10**12], periods_per_year=1)


# ---------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------


def exact_level_payment(principal: int, annual: Decimal, n: int, ppy: int = 12) -> Decimal:
    """The unrounded annuity payment in 50-digit arithmetic."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = annual / ppy
        return principal * r / (1 - (1 + r) ** -n) if r else Decimal(principal) / n


rates_bp = st.integers(min_value=1, max_value=3000).map(lambda bp: Decimal(bp).scaleb(-4))


@given(principal=st.integers(1000, 10**7), rate=rates_bp, n=st.integers(2, 360), day=st.integers(1, 28))
def test_apr_of_exact_annuity_is_note_rate(principal: int, rate: Decimal, n: int, day: int) -> None:
    """App. J: with no fees and a regular first period, the actuarial APR of an annuity is its note rate
    (to all 10 places returned)."""
    start = date(2026, 1, day)
    pmt = exact_level_payment(principal, rate, n)
    pays = [(add_months(start, k), pmt) for k in range(1, n + 1)]
    assert apr_actuarial(principal, start, pays) == rate


@given(principal=st.integers(5000, 10**6), rate=rates_bp, n=st.integers(6, 120), day=st.integers(1, 31))
def test_apr_of_fee_free_loan_terms_is_note_rate(principal: int, rate: Decimal, n: int, day: int) -> None:
    """apr(terms) of a fee-free annuity equals the note rate at the disclosed precision (two decimals of a
    percent): only the cent rounding of the schedule separates them."""
    start = date(2026, 3, min(day, 31))
    terms = LoanTerms(principal=principal, annual_rate=rate, term=n, start=start)
    computed = apr(terms)
    assert abs(computed - rate) < Decimal("0.00005")
    assert round(computed, 4) == rate


@given(
    principal=st.integers(2000, 10**6),
    rate=rates_bp,
    n=st.integers(6, 84),
    fee_a=st.integers(0, 500),
    extra=st.integers(1, 500),
)
def test_more_upfront_fees_higher_apr(principal: int, rate: Decimal, n: int, fee_a: int, extra: int) -> None:
    """A larger prepaid finance charge leaves less financed for the same payments: a higher APR."""
    terms = LoanTerms(principal=principal, annual_rate=rate, term=n, start=date(2026, 1, 10))
    low = apr(terms.replace(fees=(Fee("origination", fee_a),)))
    high = apr(terms.replace(fees=(Fee("origination", fee_a + extra),)))
    assert high > low


@given(principal=st.integers(1000, 10**7), rate=rates_bp, n=st.integers(1, 360))
def test_payment_solve_rate_round_trip(principal: int, rate: Decimal, n: int) -> None:
    """rate -> payment (rounded to the cent) -> solve_rate -> payment: the solved rate reproduces the
    payment, and is the starting rate up to the cent rounding of the payment."""
    pmt = round(exact_level_payment(principal, rate, n), 2)
    solved = solve_rate(principal, pmt, n)
    assert round(exact_level_payment(principal, solved, n), 2) == pmt
    assert abs(solved - rate) < Decimal("0.001")


@given(principal=st.integers(1000, 10**6), rate=rates_bp, n=st.integers(2, 240))
def test_solve_term_matches_closed_form(principal: int, rate: Decimal, n: int) -> None:
    """NPER in whole payments is the ceiling of the closed form -ln(1 - rP/A) / ln(1 + r), up to what
    the per-period cent rounding of interest can move (at most half a cent a period, so about
    n x 0.005 / A periods, doubled for safety)."""
    pmt = round(exact_level_payment(principal, rate, n), 2) + 1  # a little more than the level payment
    r = float(rate) / 12
    exact = -math.log(1 - r * principal / float(pmt)) / math.log(1 + r)
    margin = 0.01 * exact / float(pmt)
    k = solve_term(principal, rate, pmt)
    assert math.ceil(exact - margin) <= k <= math.ceil(exact + margin)
    if math.ceil(exact - margin) == math.ceil(exact + margin):
        assert k == math.ceil(exact)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 10**9))
def test_xirr_doubling_in_a_year_is_100_percent(start: date, amount: int) -> None:
    """-X then +2X 365 days later: an effective annual rate of exactly 1 (Actual/365)."""
    assert xirr([(start, -amount), (start + timedelta(days=365), 2 * amount)]) == 1


def _npv(flows: list[Decimal], r: Decimal, offset: Decimal) -> Decimal:
    """The exact NPV at ``r + offset``, in 80 digits (the offset too: r may be huge)."""
    with localcontext() as ctx:
        ctx.prec = 80
        rate = r + offset
        return sum((c / (1 + rate) ** k for k, c in enumerate(flows)), Decimal(0))


amounts = st.one_of(
    st.integers(-(10**9), 10**9),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
)


@given(st.lists(amounts, min_size=1, max_size=40))
def test_irr_terminates_and_never_returns_a_wrong_root(flows: list[object]) -> None:
    """On arbitrary flows the solver returns or raises AutoloanError in bounded time, and a returned rate is
    a true root, correctly rounded: the exact NPV changes sign across [r - 6e-11, r + 6e-11]."""
    try:
        r = irr(flows, periods_per_year=1)
    except AutoloanError:
        return
    assert r > -1
    exact = [al.to_decimal(v) for v in flows]
    below, above = _npv(exact, r, Decimal("-6e-11")), _npv(exact, r, Decimal("6e-11"))
    assert below == 0 or above == 0 or (below > 0) != (above > 0)


@given(
    st.lists(
        st.tuples(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), amounts),
        min_size=1,
        max_size=25,
    )
)
def test_xirr_and_aprc_terminate(flows: list[tuple[date, object]]) -> None:
    """Arbitrary dated flows: a result or an AutoloanError, never a hang; a returned XIRR is a true root
    (the exact Actual/365 NPV changes sign across X -/+ 6e-11)."""
    try:
        x = xirr(flows)
    except AutoloanError:
        x = None
    if x is not None:
        first = min(d for d, _ in flows)
        exact = [((d - first).days, al.to_decimal(a)) for d, a in flows]

        def npv(offset: Decimal) -> Decimal:
            with localcontext() as ctx:
                ctx.prec = 80
                rate = x + offset
                return sum((a / (1 + rate) ** (Decimal(days) / 365) for days, a in exact), Decimal(0))

        below, above = npv(Decimal("-6e-11")), npv(Decimal("6e-11"))
        assert x > -1 and (below == 0 or above == 0 or (below > 0) != (above > 0))
    calls: list[Callable[[], Decimal]] = [
        lambda: xirr(flows),
        lambda: aprc_eu([(f[0], abs(al.to_decimal(f[1]))) for f in flows[:1]], flows[1:] or flows),
    ]
    for fn in calls:
        try:
            result = fn()
        except AutoloanError:
            continue
        assert isinstance(result, Decimal)


@given(
    principal=st.one_of(st.integers(-10, 10**9), st.text(max_size=5)),
    payment=st.one_of(st.integers(-10, 10**7), st.floats(allow_nan=True)),
    term=st.one_of(st.integers(-5, 2000), st.none()),
)
def test_solve_rate_and_term_terminate(principal: object, payment: object, term: object) -> None:
    calls: list[Callable[[], Decimal | int]] = [
        lambda: solve_rate(principal, payment, term),  # type: ignore[arg-type]
        lambda: solve_term(principal, "0.05", payment),
    ]
    for fn in calls:
        try:
            result = fn()
        except AutoloanError:
            continue
        assert isinstance(result, (Decimal, int))


# ---------------------------------------------------------------------------------------------------
# Fast paths: the regular-monthly Appendix J shortcut and the loan-shaped root finder must give exactly
# what the general code gives (12 CFR 1026 Appendix J (b)(3)-(b)(5) decide both; these are equivalence
# properties of the implementation, not new rules).
# ---------------------------------------------------------------------------------------------------


def _month_days(year: int, month: int) -> int:
    return ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days


@st.composite
def monthly_series(draw: st.DrawFn) -> tuple[Decimal, date, list[tuple[date, Decimal]], str | None]:
    """Payments in consecutive months: one day D (clamped to short months, as add_months does), or with
    some days moved to the month's end, to the 28th or to a random day; the advance 3-62 days before."""
    first = date(draw(st.integers(1990, 2060)), draw(st.sampled_from([1, 1, 2, 12, *range(1, 13)])), 1)
    n = draw(st.one_of(st.integers(2, 5), st.integers(2, 40)))
    day = draw(st.one_of(st.integers(28, 31), st.integers(1, 31)))
    mode = draw(st.sampled_from(["regular", "regular", "mixed", "perturbed"]))
    dates: list[date] = []
    for k in range(n):
        total = first.year * 12 + first.month - 1 + k
        year, month = total // 12, total % 12 + 1
        last = _month_days(year, month)
        d = min(day, last)
        if mode == "mixed":
            d = draw(st.sampled_from([d, d, last, min(28, last), min(27, last), 1]))
        dates.append(date(year, month, d))
    if mode == "perturbed":
        i = draw(st.integers(0, n - 1))
        dates[i] += timedelta(days=draw(st.sampled_from([-3, -1, 1, 2])))
    start = dates[0] - timedelta(days=draw(st.sampled_from([3, 15, 28, 29, 30, 31, 45, 56, 59, 60, 61, 62])))
    payment = Decimal(draw(st.integers(1000, 900000))).scaleb(-2)
    amounts = [payment] * n
    shape = draw(st.sampled_from(["level", "first", "last", "both", "random"]))
    if shape in ("first", "both"):
        amounts[0] = Decimal(draw(st.integers(1, 900000))).scaleb(-2)
    if shape in ("last", "both"):
        amounts[-1] = Decimal(draw(st.integers(1, 900000))).scaleb(-2)
    if shape == "random":
        amounts = [Decimal(draw(st.integers(1, 3))) * payment for _ in range(n)]
    financed = (sum(amounts) * Decimal(draw(st.sampled_from(["0.6", "0.8", "0.9", "0.97", "1"])))).quantize(
        Decimal("0.01")
    )
    unit = draw(st.sampled_from([None, None, None, "monthly"]))
    return financed, start, list(zip(dates, amounts, strict=True)), unit


@settings(max_examples=500)
@given(monthly_series())
def test_regular_monthly_shortcut_equals_general_appendix_j(
    case: tuple[Decimal, date, list[tuple[date, Decimal]], str | None],
) -> None:
    """App. J (b)(4)-(b)(5): the regular-monthly shortcut (t = t0 + k, the first payment's fraction for
    all) gives the same APR, unit-period, unit-periods a year and per-payment timings as the general
    payment-by-payment count, on regular, month-end-clamped, mixed and perturbed monthly series."""

    financed, start, payments, unit = case
    try:
        expected = appendix_j.apr_actuarial_by_path(financed, start, payments, unit, path="general")
    except AutoloanError as exc:
        with pytest.raises(type(exc)):
            appendix_j.apr_actuarial_by_path(financed, start, payments, unit)
        return
    assert appendix_j.apr_actuarial_by_path(financed, start, payments, unit) == expected
    assert expected is not None and apr_actuarial(financed, start, payments, unit_period=unit) == expected.apr


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
    gap=st.sampled_from([1, 10, 31, 40]),
    day=st.integers(1, 31),
    n=st.integers(4, 120),
    last=st.integers(1, 10**6),
)
def test_regular_monthly_shortcut_is_taken(start: date, gap: int, day: int, n: int, last: int) -> None:
    """The shortcut really runs for level monthly series (same day, or a day clamped to month ends, so
    including month-end series) — otherwise the property above would compare the general path with
    itself — and agrees with the general path."""

    anchor = start + timedelta(days=gap)
    first = date(anchor.year, anchor.month, min(day, _month_days(anchor.year, anchor.month)))
    if first <= start:
        first = add_months(first, 1)
    dates = [add_months(date(first.year, first.month, 1), k) for k in range(n)]
    dates = [d.replace(day=min(day, _month_days(d.year, d.month))) for d in dates]
    amounts = [Decimal("250.00")] * (n - 1) + [Decimal(last).scaleb(-2)]
    payments = list(zip(dates, amounts, strict=True))
    fast = appendix_j.apr_actuarial_by_path(Decimal(200 * (n - 1)), start, payments, path="regular")
    assert fast is not None
    assert fast == appendix_j.apr_actuarial_by_path(Decimal(200 * (n - 1)), start, payments, path="general")


@given(
    principal=st.integers(100, 10**7),
    payments=st.lists(st.integers(0, 10**6), min_size=1, max_size=60),
    compound=st.sampled_from([0, 0, 12, 365]),
)
def test_loan_shaped_root_equals_general_solver(principal: int, payments: list[int], compound: int) -> None:
    """The bracket-free solver for one advance followed by repayments returns the same certified,
    correctly rounded rate as the general bracketed Newton/bisection solver (or defers to it)."""

    flows: list[tuple[int, int, Decimal]] = [(0, 0, Decimal(-principal))]
    flows += [(k + 1, 0, Decimal(p).scaleb(-2)) for k, p in enumerate(payments)]
    try:
        expected = kernel.Equation(kernel.runs(flows)).root(12, compound, fast=False)
    except AutoloanError as exc:
        with pytest.raises(type(exc)):
            kernel.Equation(kernel.runs(flows)).root(12, compound)
        return
    assert kernel.Equation(kernel.runs(flows)).root(12, compound) == expected


def test_loan_shaped_root_is_taken_for_an_annuity() -> None:
    """The fast solver handles the benchmark's 60-payment annuity itself (no fallback), with the same
    result as the general solver: 25,000 at 6.9 % nominal, payment 493.85 (benchmarks/bench_rates.py)."""

    flows: list[tuple[int, int, Decimal]] = [(0, 0, Decimal(-25000))]
    flows += [(k, 0, Decimal("493.85")) for k in range(1, 61)]
    eq = kernel.Equation(kernel.runs(flows))
    fast = eq.loan_root(12, 0)
    assert fast is not None and fast == eq.root(12, 0, fast=False) == Decimal("0.0689988884")


def test_regular_monthly_shortcut_small_series_exhaustive() -> None:
    """Every three-payment monthly series with days drawn from {1, 28, 30, 31} (clamped to short
    months), starting in the months whose series meet February or a 30-day month (Nov-Apr) of a common
    and a leap year, with the advance 15, 28, 31 or 62 days before: the shortcut and the general
    Appendix J count agree (this is where a 4-week unit-period can tie with the month, (b)(4)(i))."""

    for year in (2023, 2024):
        for month in (1, 2, 3, 4, 11, 12):
            months = [
                ((year * 12 + month - 1 + k) // 12, (year * 12 + month - 1 + k) % 12 + 1) for k in range(3)
            ]
            for days in itertools.product((1, 28, 30, 31), repeat=3):
                dates = [
                    date(y, m, min(d, _month_days(y, m))) for (y, m), d in zip(months, days, strict=True)
                ]
                payments = [(d, Decimal("350.00")) for d in dates]
                for offset in (15, 28, 31, 62):
                    start = dates[0] - timedelta(days=offset)
                    expected = appendix_j.apr_actuarial_by_path(1000, start, payments, path="general")
                    assert appendix_j.apr_actuarial_by_path(1000, start, payments) == expected


def test_month_end_then_28th_is_not_a_regular_month_series() -> None:
    """App. J (b)(4)(i): Jan 31, Feb 28, Mar 28 are a month apart each, but both intervals are also
    4 weeks (28 days) and the advance (Nov 30) is 2 months before: month and 4 weeks tie at two each,
    and the tie goes to the smaller unit-period, 4 weeks (a case found by comparing the shortcut with
    the general count)."""
    payments = [
        (date(2007, 1, 31), "3520.11"),
        (date(2007, 2, 28), "3520.11"),
        (date(2007, 3, 28), "4338.42"),
    ]
    fast_input = [(d, Decimal(a)) for d, a in payments]
    for given_payments in (payments, fast_input):
        result = apr_actuarial_detail(Decimal("9544.51"), date(2006, 11, 30), given_payments)
        assert (result.unit_period.kind, result.unit_period.multiple) == ("week", 4)
        assert result.apr == Decimal("0.7173842673")


@given(
    advance=st.integers(100, 10**7),
    blocks=st.lists(
        st.tuples(st.integers(1, 10**6), st.integers(1, 30), st.sampled_from([0, 1, 7, 19, 29])),
        min_size=1,
        max_size=4,
    ),
    t0=st.integers(0, 3),
    gap=st.booleans(),
    rate=st.integers(-4000, 40000),
)
def test_closed_form_value_equals_general_evaluation(
    advance: int, blocks: list[tuple[int, int, int]], t0: int, gap: bool, rate: int
) -> None:
    """The fast solver's 50-digit value of the equation (geometric sums in closed form, App. J (b)(8)
    with simple-interest fractions f/30) equals the general evaluator's, for runs starting at t = 0 or
    later, back to back or with gaps, at rates from -40 % to +400 % per period."""

    r = Decimal(rate).scaleb(-4)
    runs = [kernel.Run(Decimal(-advance), 0, 1, 1, 0)]
    steps = []
    t = t0
    frac = Fraction(blocks[0][2], 30)
    for amount, count, _ in blocks:
        value = Decimal(amount).scaleb(-2)
        runs.append(kernel.Run(value, t, 1, count, frac))
        steps.append((value, t, count, kernel.decimal_exponent(frac) if frac else None))
        t += count + (1 if gap else 0)
    if runs[1].start == 0 and frac == 0:
        return  # a payment at the advance itself is merged into it by _runs, never a separate run
    fast = kernel.steps_value(Decimal(-advance), steps, r)
    general, _ = kernel.Equation(runs).value_decimal(r)
    # 50 significant digits: the two may differ in the last few digits of the largest term.
    largest = abs(general) + advance + sum(a for a, _, _ in blocks)
    assert abs(fast - general) <= Decimal("1e-40") * largest


def test_loan_shaped_root_is_taken_with_odd_first_period() -> None:
    """12 CFR 1026 App. J (c)(1)(ii) shape (first payment 1 month 19 days after the advance) and a short
    first period (21 days: t = 0, f = 21/30): the fast solver certifies them itself."""

    for start, frac in ((1, Fraction(19, 30)), (0, Fraction(21, 30))):
        runs = [
            kernel.Run(Decimal(-6000), 0, 1, 1, 0),
            kernel.Run(Decimal("200.00"), start, 1, 35, frac),
            kernel.Run(Decimal("180.55"), start + 35, 1, 1, frac),
        ]
        eq = kernel.Equation(runs)
        fast = eq.loan_root(12, 0)
        assert fast is not None and fast == eq.root(12, 0, fast=False)


@st.composite
def near_tie_loans(draw: st.DrawFn) -> tuple[Decimal, list[tuple[Decimal, int, int, Fraction]], Decimal]:
    """A loan-shaped equation (one advance, then runs of equal payments at t, t+1, …, with a shared
    simple-interest fraction f/30) whose root sits at, or within a hair of, the edge of a 10-place
    rounding interval of the APR (12 × the monthly rate): the advance is the 60-digit present value of
    the payments at that edge shifted by a tiny offset, so the certificates are pushed to their limit."""
    frac = Fraction(draw(st.sampled_from([0, 0, 1, 7, 19, 29])), 30)
    t = draw(st.integers(0 if frac else 1, 3))
    steps: list[tuple[Decimal, int, int, Fraction]] = []
    for _ in range(draw(st.integers(1, 3))):
        count = draw(st.integers(1, 120))
        steps.append((Decimal(draw(st.integers(1, 10**7))).scaleb(-2), t, count, frac))
        t += count + draw(st.sampled_from([0, 0, 1]))
    grid = draw(st.integers(-(10**8), 10**9))  # the APR's edge: (grid + 1/2) × 1e-10, from -1 % to 10 %
    shift = draw(st.sampled_from([0, 1, -1])) * Decimal(10) ** -draw(st.integers(8, 40))
    with localcontext() as ctx:
        ctx.prec = 60
        r = (Decimal(grid) + Decimal("0.5")).scaleb(-10) / 12 + shift
        g = 1 + r
        pv = sum(
            (a * sum(g**-(k) for k in range(t0, t0 + n)) / (1 + Decimal(f.numerator) / f.denominator * r))
            for a, t0, n, f in steps
        )
        advance = -Decimal(pv).quantize(Decimal("1E-30"))
    return advance, steps, Decimal(grid).scaleb(-10)


@settings(max_examples=300)
@given(near_tie_loans(), st.sampled_from([0, 1]))
def test_float_certificate_never_accepts_what_decimal_rejects(
    case: tuple[Decimal, list[tuple[Decimal, int, int, Fraction]], Decimal], above: int
) -> None:
    """The float certificate of the loan-shaped solver (a rigorous error bound on the float value of
    App. J (b)(8)'s equation at both ends of the rounding interval) only ever accepts a 10-place result
    that the 50-digit Decimal certificate accepts too, here on roots placed at or within 1e-8 to 1e-40
    of an interval edge, for both candidates beside the edge — so the float shortcut cannot change a
    result (the Decimal certificate is the reference)."""

    advance, steps, low = case
    candidate = low + Decimal(above).scaleb(-10)
    fsteps = [(float(a), t, n, float(f)) for a, t, n, f in steps]
    if kernel.certify_steps_float(-float(advance), fsteps, candidate, 12.0):
        assert kernel.certify_steps_decimal(advance, steps, fsteps, candidate, 12, 0)


@given(
    principal=st.integers(1000, 10**6),
    term=st.integers(2, 360),
    rate=st.integers(0, 3000),
)
def test_float_certificate_rejects_neighbours_of_the_apr(principal: int, term: int, rate: int) -> None:
    """On ordinary level-payment loans (0-30 % nominal, payment rounded to the cent) the float
    certificate never accepts a neighbour of the correctly rounded APR (which the Decimal certificate
    accepts). Source of the equation: 12 CFR 1026 App. J (b)(8)."""

    payment = al.level_payment(principal, Decimal(rate).scaleb(-4), term)
    steps = [(payment, 1, term, Fraction(0))]
    fsteps = [(float(payment), 1, term, 0.0)]
    runs = [kernel.Run(Decimal(-principal), 0, 1, 1, 0), kernel.Run(payment, 1, 1, term, 0)]
    exact = kernel.Equation(runs).root(12, fast=False)  # the general solver's certified result
    for offset in (-1, 1):
        neighbour = exact + Decimal(offset).scaleb(-10)
        assert not kernel.certify_steps_float(float(principal), fsteps, neighbour, 12.0)
    assert kernel.certify_steps_decimal(Decimal(-principal), steps, fsteps, exact, 12, 0)


def test_float_certificate_accepts_the_benchmark_loan() -> None:
    """The benchmark's loan (25,000 at 6.9 % nominal over 60 months, payment 493.85; App. J (b)(8)) is
    certified in float, without the Decimal evaluation, to the same result as the general solver."""

    fsteps = [(493.85, 1, 60, 0.0)]
    assert kernel.certify_steps_float(25000.0, fsteps, Decimal("0.0689988884"), 12.0)
    assert not kernel.certify_steps_float(25000.0, fsteps, Decimal("0.0689988883"), 12.0)
    assert not kernel.certify_steps_float(25000.0, fsteps, Decimal("0.0689988885"), 12.0)


@given(
    advance=st.floats(1.0, 1e12),
    steps=st.lists(
        st.tuples(
            st.floats(1e-2, 1e9),
            st.integers(0, 600),
            st.integers(1, 600),
            st.sampled_from([0.0, 0.1, 0.5, 0.9]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_zero_rate_evaluation_is_bit_identical(
    advance: float, steps: list[tuple[float, int, int, float]]
) -> None:
    """The loan solver's first Newton step evaluates App. J (b)(8)'s equation at r = 0 without
    exponentials; the value and derivative must be the general float evaluation's, bit for bit, so the
    proposal (and with it every result) is unchanged."""

    assert kernel.steps_float_at_zero(advance, steps) == kernel.steps_float(advance, steps, 0.0)


# -- issue 10: what new users trip over ------------------------------------------------------------------


def test_a_payment_stream_that_never_repays_is_refused() -> None:
    """Issue 10 #5: ``autoloan apr --principal 100000 --payment 10 --term 36`` printed "APR -226.9 %".
    36 payments of 10 never repay 100,000: every loan-rate function refuses with NoSolution instead of a
    negative rate (irr/xirr keep negative returns: an investment can lose money)."""
    with pytest.raises(NoSolution, match="never repay"):
        annualized_rate(100000, 10, term=36)
    with pytest.raises(NoSolution, match="never repay"):
        annualized_rate(100000, 10, term=36, effective=True)
    with pytest.raises(NoSolution, match="never repay"):
        solve_rate(100000, 10, 36)
    pays = [(add_months(date(2026, 1, 15), k), Decimal(10)) for k in range(1, 37)]
    for path in ("auto", "general"):
        with pytest.raises(NoSolution, match="never repay"):
            appendix_j.apr_actuarial_by_path(100000, date(2026, 1, 15), pays, path=path)
    with pytest.raises(NoSolution, match="never repay"):
        apr_actuarial(100000, date(2026, 1, 15), pays)
    assert annualized_rate(360, 10, term=36) == 0  # exactly repaid: 0 %, still a rate
    assert irr([-100000] + [10] * 36) < 0  # a return, not a loan offer


def test_aprc_eu_refuses_a_repayment_before_the_first_drawdown() -> None:
    """Issue 10: ``aprc_eu`` with a repayment before the advance raised ZeroDivisionError; Annex I of
    Directive 2008/48/EC counts time from the first drawdown, so such a repayment is refused."""
    with pytest.raises(InvalidInput, match=r"repayments\[0\]\.date.*first drawdown \(2026-01-01\)"):
        aprc_eu([(date(2026, 1, 1), 1000)], [(date(2025, 1, 1), 1100)])


def test_huge_exponents_are_typed_errors() -> None:
    """Issue 10: ``solve_term("1e999999999", 0, "0.01")`` raised decimal.Overflow; the same for rates."""
    for call in (
        lambda: solve_term("1e999999999", 0, "0.01"),
        lambda: solve_term(1000, "1e999999999", 10),
        lambda: flat_rate_to_apr("1e999999999%", 36),
        lambda: flat_rate_to_apr("1e99999%", 36),
        lambda: solve_rate("1e99999", 10, 12),
        lambda: effective_rate("1e99999%", 12),
    ):
        with pytest.raises(AutoloanError):
            call()


def test_numpy_values_are_taken_by_their_shortest_repr() -> None:
    """Issue 10: ``al.irr([np.float64(-100.0)])`` raised decimal.InvalidOperation. numpy floats are taken
    through their shortest repr (as Python floats), ints exactly, arrays and Series as sequences."""
    np = pytest.importorskip("numpy")
    with pytest.raises(NoSolution):
        irr([np.float64(-100.0)])  # one flow: no sign change, a typed NoSolution
    expected = irr([-100, 39, 59, 55, 20], periods_per_year=1)
    assert irr([np.float64(-100.0), np.int64(39), 59, 55, 20], periods_per_year=1) == expected
    assert irr(np.array([-100, 39, 59, 55, 20]), periods_per_year=1) == expected
    assert irr(np.array([-100.0, 39.0, 59.0, 55.0, 20.0]), periods_per_year=np.int64(1)) == expected
    start = date(2025, 1, 1)
    assert xirr([(start, np.float64(-100.0)), (date(2026, 1, 1), np.int64(200))]) == 1
    pd = pytest.importorskip("pandas")
    assert irr(pd.Series([-100, 39, 59, 55, 20]), periods_per_year=1) == expected
    with pytest.raises(InvalidInput):
        irr([pd.NA, 100])


@st.composite
def near_tie_xirr(draw: st.DrawFn) -> tuple[Decimal, list[int], list[Decimal]]:
    """XIRR's shape (one advance, then repayments on later days) whose effective annual rate sits at, or
    within 1e-11 to 1e-40 of, the edge of a 10-place rounding interval, or anywhere inside it: the advance
    is the 60-digit present value of the repayments there."""
    times = sorted(set(draw(st.lists(st.integers(1, 4000), min_size=1, max_size=40))))
    amounts = [Decimal(draw(st.integers(1, 10**7))).scaleb(-2) for _ in times]
    grid = draw(st.integers(-(5 * 10**9), 10**10))  # the edge (grid + 1/2) × 1e-10: from -50 % to 100 %
    # A hair off the edge (1e-11 to 1e-40), or anywhere in the interval (mostly clear of the edges: the
    # float certificate's own cases).
    hair = draw(st.sampled_from([0, 1, -1])) * Decimal(10) ** -draw(st.integers(11, 40))
    inside = Decimal(draw(st.integers(-(10**6), 10**6))).scaleb(-6) * Decimal("5E-11")
    shift = draw(st.sampled_from([hair, inside]))
    with localcontext() as ctx:
        ctx.prec = 60
        log_growth = ((Decimal(grid) + Decimal("0.5")).scaleb(-10) + shift + 1).ln()
        pv = sum(a * (-(Decimal(t) / 365) * log_growth).exp() for a, t in zip(amounts, times, strict=True))
        advance = -Decimal(pv).quantize(Decimal("1E-30"))
    return advance, times, amounts


@settings(max_examples=200)
@given(near_tie_xirr())
def test_xirr_float_certificate_never_accepts_what_decimal_rejects(
    case: tuple[Decimal, list[int], list[Decimal]],
) -> None:
    """``xirr``'s flow-by-flow solver certifies its 10-place result in float (a tangent bound with a
    proven error bound) before the 50-digit Decimal evaluation; on roots placed at or within a hair of a
    rounding edge, whatever it returns the Decimal certificate accepts too, and it agrees with the
    general bracketed solver whenever that one certifies (the result is the correctly rounded root)."""
    advance, times, amounts = case
    found = kernel.solve_singles(advance, times, amounts, 365)
    if found is None:
        return
    steps = [(a, t, 1, Fraction(0)) for a, t in zip(amounts, times, strict=True)]
    fsteps = [(float(a), t, 1, 0.0) for a, t in zip(amounts, times, strict=True)]
    assert kernel.certify_steps_decimal(advance, steps, fsteps, found, 1, 365)
    flows = [(0, 0, advance), *((t, 0, a) for a, t in zip(amounts, times, strict=True))]
    try:
        general = kernel.Equation(kernel.runs(flows)).root(1, 365, fast=False)
    except NoSolution:
        return
    assert general == found


@given(
    principal=st.integers(100, 10**7),
    gaps=st.lists(st.integers(0, 400), min_size=1, max_size=80),
    amounts=st.lists(st.integers(1, 10**6), min_size=80, max_size=80),
)
def test_xirr_fast_path_equals_general_solver(principal: int, gaps: list[int], amounts: list[int]) -> None:
    """xirr on loan-shaped flows (the flow-by-flow solver) returns what the general solver certifies."""
    start = date(2020, 1, 1)
    flows: list[tuple[date, Decimal]] = [(start, Decimal(-principal))]
    day = 0
    for gap, amount in zip(gaps, amounts, strict=False):
        day += gap + 1
        flows.append((start + timedelta(days=day), Decimal(amount).scaleb(-2)))
    general_flows = [((d - start).days, 0, a) for d, a in flows]
    try:
        expected = kernel.Equation(kernel.runs(general_flows)).root(1, 365, fast=False)
    except AutoloanError as exc:
        with pytest.raises(type(exc)):
            xirr(flows)
        return
    assert xirr(flows) == expected


# ---------------------------------------------------------------------------------------------------
# Issue 12 (speed): the near-monthly Appendix J path — a monthly series with a few payments late, early
# or skipped — must give exactly what the general payment-by-payment count gives (12 CFR 1026 App. J
# (b)(3)-(b)(5) decide both), and the Newton evaluation written out must be the old one bit for bit.
# ---------------------------------------------------------------------------------------------------


@st.composite
def near_monthly_series(draw: st.DrawFn) -> tuple[Decimal, date, list[tuple[date, Decimal]], str | None]:
    """Monthly payments on day D (clamped to short months), then a few moved some days (late, early,
    across a month end), skipped or added, or a different first date; the advance 1-62 days before."""
    first = date(draw(st.integers(1990, 2060)), draw(st.integers(1, 12)), 1)
    n = draw(st.one_of(st.integers(2, 6), st.integers(2, 72)))
    day = draw(st.one_of(st.integers(1, 31), st.integers(1, 28), st.integers(27, 31)))
    dates = []
    for k in range(n):
        total = first.year * 12 + first.month - 1 + k
        year, month = total // 12, total % 12 + 1
        dates.append(date(year, month, min(day, _month_days(year, month))))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(dates) - 1))
        action = draw(st.sampled_from(["move", "move", "move", "skip", "add", "first"]))
        if action == "move":
            dates[i] += timedelta(days=draw(st.sampled_from([-10, -3, -2, -1, 1, 2, 3, 5, 14, 20, 28])))
        elif action == "skip" and len(dates) > 2:
            del dates[i]
        elif action == "add":
            dates.append(dates[i] + timedelta(days=draw(st.integers(1, 20))))
        elif action == "first":
            dates[0] -= timedelta(days=draw(st.integers(1, 20)))
    dates = sorted(set(dates))
    start = dates[0] - timedelta(days=draw(st.sampled_from([1, 3, 15, 28, 29, 30, 31, 45, 59, 62])))
    payment = Decimal(draw(st.integers(1000, 900000))).scaleb(-2)
    amounts = [payment] * len(dates)
    shape = draw(st.sampled_from(["level", "level", "last", "random"]))
    if shape == "last":
        amounts[-1] = Decimal(draw(st.integers(1, 900000))).scaleb(-2)
    if shape == "random":
        amounts = [Decimal(draw(st.integers(1, 3))) * payment for _ in amounts]
    factor = Decimal(draw(st.sampled_from(["0.6", "0.9", "0.97", "1"])))
    financed = (sum(amounts) * factor).quantize(Decimal("0.01"))
    unit = draw(st.sampled_from([None, None, None, "monthly"]))
    return financed, start, list(zip(dates, amounts, strict=True)), unit


@given(near_monthly_series())
def test_near_monthly_path_equals_general_appendix_j(
    case: tuple[Decimal, date, list[tuple[date, Decimal]], str | None],
) -> None:
    """App. J (b)(4)-(b)(5): the near-monthly path (plain months recognised stretch by stretch, the other
    periods labelled one by one, only chain heads counted back) gives the same APR, unit-period,
    unit-periods a year and per-payment timings as the general count — or declines (None)."""

    financed, start, payments, unit = case
    try:
        expected = appendix_j.apr_actuarial_by_path(financed, start, payments, unit, path="general")
    except AutoloanError as exc:
        with pytest.raises(type(exc)):
            appendix_j.apr_actuarial_by_path(financed, start, payments, unit)
        return
    near = appendix_j.apr_actuarial_by_path(financed, start, payments, unit, path="near")
    assert near is None or near == expected
    assert appendix_j.apr_actuarial_by_path(financed, start, payments, unit) == expected
    assert expected is not None and apr_actuarial(financed, start, payments, unit_period=unit) == expected.apr


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
    day=st.integers(1, 28),
    n=st.integers(12, 120),
    late=st.integers(1, 20),
    where=st.floats(0.05, 0.95),
)
def test_near_monthly_path_is_taken_for_a_late_payment(
    start: date, day: int, n: int, late: int, where: float
) -> None:
    """The near-monthly path really runs for a level monthly loan with one payment 1-20 days late (the
    issue-12 benchmark's shape) — otherwise the property above would compare the general path with
    itself — and agrees with the general path."""

    first = date(start.year, start.month, day) + timedelta(days=0)
    first = add_months(first, 1)
    dates = [add_months(first, k) for k in range(n)]
    i = int(where * n)
    dates[i] += timedelta(days=late)
    payments = [(d, Decimal("250.00")) for d in dates]
    near = appendix_j.apr_actuarial_by_path(Decimal(200 * n), start, payments, path="near")
    assert near is not None and near.unit_period == UnitPeriod("month")
    assert near == appendix_j.apr_actuarial_by_path(Decimal(200 * n), start, payments, path="general")


def test_near_monthly_small_series_around_february_exhaustive() -> None:
    """Every four-payment monthly series on day 1, 15 or 28 crossing February of a common and a leap
    year, with one payment moved -3, +1, +3 or +28 days, the advance 28, 31 or 59 days before: where
    4 weeks can tie with the month (b)(4)(i) (a common February is 28 days), the near-monthly path and
    the general count agree."""

    for year in (2023, 2024):
        for month in (12, 1, 2):
            for day in (1, 15, 28):
                base = [add_months(date(year, month, day), k) for k in range(4)]
                for i, shift in itertools.product(range(4), (-3, 1, 3, 28)):
                    dates = sorted({*base[:i], base[i] + timedelta(days=shift), *base[i + 1 :]})
                    payments = [(d, Decimal("350.00")) for d in dates]
                    for offset in (28, 31, 59):
                        start = dates[0] - timedelta(days=offset)
                        expected = appendix_j.apr_actuarial_by_path(1000, start, payments, path="general")
                        near = appendix_j.apr_actuarial_by_path(1000, start, payments, path="near")
                        assert near is None or near == expected
                        assert appendix_j.apr_actuarial_by_path(1000, start, payments) == expected


def _steps_float_reference(
    advance: float, steps: list[tuple[float, int, int, float]], r: float
) -> tuple[float, float] | None:
    """The loan solver's float evaluation as it was before issue 12 (a per-run helper; the geometric sums
    and their derivative in the same float operations), None where it gave up (the solver's trouble)."""
    g = 1.0 + r
    if not g > 0.0:
        return None
    lg = math.log1p(r)
    total, deriv = -advance, 0.0
    try:
        q1, one_q1 = math.exp(-lg), -math.expm1(-lg)
        for amount, t, n, f in steps:
            base = math.exp(-t * lg)
            q, qn, one_q = (0.0, 0.0, 0.0) if n == 1 else (q1, math.exp(-n * lg), one_q1)
            if n == 1:
                geo, kgeo = 1.0, 0.0
            elif q == 1.0:
                geo, kgeo = float(n), float(n * (n - 1) // 2)
            elif abs(1.0 - q) < 1e-6:
                geo = kgeo = 0.0
                qk = 1.0
                for k in range(n):
                    geo += qk
                    kgeo += k * qk
                    qk *= q
            else:
                geo = (1.0 - qn) / one_q
                kgeo = (q - n * qn + (n - 1) * qn * q) / (one_q * one_q)
            pv = base * geo
            dpv = -(t * geo + 1 * kgeo) * base / g
            if f:
                s = 1.0 / (1.0 + f * r)
                value, slope = amount * s * pv, amount * (s * dpv - f * s * s * pv)
            else:
                value, slope = amount * pv, amount * dpv
            total += value
            deriv += slope
    except (OverflowError, ZeroDivisionError):
        return None
    if not (math.isfinite(total) and math.isfinite(deriv)):
        return None
    return total, deriv


@given(
    advance=st.floats(1.0, 1e12),
    steps=st.lists(
        st.tuples(
            st.floats(1e-2, 1e9),
            st.integers(0, 600),
            st.sampled_from([1, 1, 2, 12, 60, 360]),
            st.sampled_from([0.0, 0.1, 0.5, 0.9]),
        ),
        min_size=1,
        max_size=4,
    ),
    r=st.one_of(
        st.sampled_from([0.0, 1e-9, -1e-9, 1e-7, 5e-7, 1e-300]),
        st.floats(-0.99, 50.0, allow_nan=False),
    ),
)
def test_steps_float_is_the_old_evaluation_bit_for_bit(
    advance: float, steps: list[tuple[float, int, int, float]], r: float
) -> None:
    """solve_steps' Newton evaluation, written out per run for speed, returns exactly the floats of the
    former per-run helper (so every proposal, and with it every certified result, is unchanged)."""

    expected = _steps_float_reference(advance, steps, r)
    try:
        got: tuple[float, float] | None = kernel.steps_float(advance, steps, r)
    except InvalidInput:
        got = None
    assert repr(got) == repr(expected)


def test_payments_all_on_the_advance_date_are_a_typed_error() -> None:
    """Several payments, all on the advance date, leave no period for (b)(4)(i) to count or average: a
    typed InvalidInput naming the payments (it was a bare ZeroDivisionError, found by the issue-12
    comparison of old and new code on random inputs). With a unit-period given the equation decides."""

    start = date(2026, 1, 15)
    payments = [(start, Decimal("100.00")), (start, Decimal("100.00"))]
    with pytest.raises(InvalidInput) as info:
        apr_actuarial(150, start, payments)
    assert info.value.field == "payments"
    with pytest.raises(InvalidInput):
        apr_actuarial_detail(150, start, [(start, "100.00"), (start, "60.00")])
    with pytest.raises(NoSolution):
        apr_actuarial(150, start, payments, unit_period="monthly")


def _count_back_reference(start: date, d: date, dates: list[date]) -> tuple[int, int]:
    """App. J (b)(5)(ii) with (b)(3)(iv), step by step: whole months counted back from ``d`` (on the
    series' day: the month's last day for a series of month ends; the latest day of the series for a
    month-end date before it) without passing ``start``, and the days left from ``start``."""
    eom = len(dates) > 1 and all(map(is_month_end, dates))
    latest = max(x.day for x in dates)
    day = None if eom else (latest if is_month_end(d) and d.day < latest else d.day)
    k, back = 0, d
    while True:
        total = d.year * 12 + d.month - 1 - (k + 1)
        if total < 12:
            break
        earlier = month_date(total // 12, total % 12 + 1, day)
        if earlier < start:
            break
        k, back = k + 1, earlier
    return k, (back - start).days


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 1, 1)),
    months=st.integers(0, 48),
    extra=st.one_of(st.sampled_from([0, 0, -1, 1, -2, 2]), st.integers(-40, 40)),
    others=st.lists(st.integers(-400, 400), max_size=4),
    month_ends=st.booleans(),
    include=st.booleans(),
)
def test_payment_timing_counts_whole_months_back(
    start: date, months: int, extra: int, others: list[int], month_ends: bool, include: bool
) -> None:
    """(b)(5)(ii)-(iii): the month count behind every month-based timing (written out for payments on the
    27th or earlier) equals counting back month by month, for monthly and semimonthly unit-periods, for
    series of month ends, and for a payment that is not in the series (payment_timing's own date)."""

    d = max(start, add_months(start, months) + timedelta(days=extra))
    dates = [d + timedelta(days=x) for x in others if d + timedelta(days=x) >= start]
    if month_ends:
        dates = [month_date(x.year, x.month) for x in dates]
    if include or not dates:
        dates.append(d)
    k, remaining = _count_back_reference(start, d, dates)
    assert appendix_j.payment_timing(start, d, "monthly", dates) == (k, Fraction(remaining, 30))
    whole, rest = divmod(30 * k + remaining, 15)
    assert appendix_j.payment_timing(start, d, "semimonthly", dates) == (whole, Fraction(rest, 15))
