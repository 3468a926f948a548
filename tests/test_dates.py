"""Dates: frequencies, anchored due dates, day counts."""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from autoloan import InvalidInput
from autoloan.dates import (
    ACT_ACT_BASIS,
    DayCount,
    Frequency,
    add_months,
    day_count_basis,
    day_count_numerator,
    days_in_month,
    due_dates,
    is_month_end,
    month_date,
    months_between,
    step,
    year_fraction,
    year_fraction_exact,
)


def test_month_end_series_never_drifts() -> None:
    # apache/fineract LoanApplicationScheduleMonthlyTest (FINERACT-1919, PR #3109): a first repayment on
    # 31 Jan 2023 gives 28 Feb, 31 Mar, 30 Apr ... 29 Feb 2024.
    got = due_dates(date(2023, 1, 31), 14, "monthly")
    assert got[:4] == [date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 30)]
    assert got[-2:] == [date(2024, 1, 31), date(2024, 2, 29)]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(-600, 600))
def test_add_months_matches_relativedelta(anchor: date, months: int) -> None:
    assert add_months(anchor, months) == anchor + relativedelta(months=months)


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)),
    st.sampled_from(list(Frequency)),
    st.integers(2, 80),
)
def test_due_dates_strictly_increase_and_are_anchored(first: date, freq: Frequency, n: int) -> None:
    got = due_dates(first, n, freq)
    assert all(a < b for a, b in itertools.pairwise(got))
    if freq.months:
        assert all(d.day == min(first.day, (d + relativedelta(day=31)).day) for d in got)


def test_frequencies_accept_strings_and_know_periods_per_year() -> None:
    assert [
        Frequency.parse(f).periods_per_year
        for f in [
            "weekly",
            "biweekly",
            "four_weekly",
            "semi_monthly",
            "monthly",
            "bimonthly",
            "quarterly",
            "semi_annual",
            "annual",
        ]
    ] == [52, 26, 13, 24, 12, 6, 4, 2, 1]
    assert Frequency.parse("fortnightly") is Frequency.BIWEEKLY
    assert Frequency.MONTHLY.label_zh == "每月"
    with pytest.raises(InvalidInput, match="frequency"):
        Frequency.parse("hourly")


def test_semi_monthly_pairs() -> None:
    assert [step(date(2024, 1, 1), k, "semi_monthly").day for k in range(4)] == [1, 16, 1, 16]
    assert [step(date(2024, 1, 15), k, "semi_monthly") for k in range(4)] == [
        date(2024, 1, 15),
        date(2024, 1, 30),
        date(2024, 2, 15),
        date(2024, 2, 29),
    ]


def test_thirty_360_conventions() -> None:
    # ISDA 2006 Definitions 4.16(f) (30/360) and 4.16(g) (30E/360): the 31st rules.
    assert DayCount.THIRTY_360.days(date(2024, 1, 31), date(2024, 3, 31)) == 60
    assert DayCount.THIRTY_360.days(date(2024, 1, 15), date(2024, 3, 31)) == 76
    assert DayCount.THIRTY_E_360.days(date(2024, 1, 15), date(2024, 3, 31)) == 75
    assert year_fraction(date(2024, 1, 1), date(2025, 1, 1), "30/360") == 1


def test_act_act_isda_example() -> None:
    # ISDA "EMU and market conventions" (1998), ACT/ACT ISDA example: 1 Nov 2003 to 1 May 2004
    # = 61/365 + 121/366 = 0.49772438...
    assert year_fraction_exact(date(2003, 11, 1), date(2004, 5, 1), "ACT/ACT") == Fraction(
        61, 365
    ) + Fraction(121, 366)
    assert str(year_fraction(date(2003, 11, 1), date(2004, 5, 1), "act/act"))[:12] == "0.4977243805"


def test_act_conventions_and_reversal() -> None:
    a, b = date(2024, 1, 1), date(2024, 3, 1)
    assert year_fraction_exact(a, b, "ACT/360") == Fraction(60, 360)
    assert year_fraction_exact(a, b, "ACT/365F") == Fraction(60, 365)
    assert year_fraction_exact(b, a, "ACT/365F") == -Fraction(60, 365)
    with pytest.raises(InvalidInput, match="day_count"):
        DayCount.parse("ACT/999")


def test_stepping_off_the_calendar_is_a_typed_error() -> None:
    with pytest.raises(InvalidInput):
        add_months(date(9999, 12, 1), 1)


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from([f for f in Frequency if f.months]),
    st.integers(0, 120),
    st.integers(0, 3),
)
def test_monthly_series_matches_relativedelta(first: date, freq: Frequency, n: int, skip: int) -> None:
    expected = [first + relativedelta(months=k * freq.months) for k in range(skip, skip + n)]
    assert due_dates(first, n, freq, skip=skip) == expected


# -- month arithmetic and day-count numerators: public, one implementation (issue 12) ----------------------


@given(st.dates(min_value=date(1, 2, 1), max_value=date(9999, 11, 30)))
def test_month_helpers_agree_with_relativedelta(d: date) -> None:
    last = (d + relativedelta(day=31)).day
    assert days_in_month(d.year, d.month) == last
    assert is_month_end(d) == (d.day == last)
    assert month_date(d.year, d.month, None) == d + relativedelta(day=31)
    assert month_date(d.year, d.month, 31) == d + relativedelta(day=31)
    assert month_date(d.year, d.month, d.day) == d


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(-400, 400))
def test_months_between_inverts_add_months(start: date, months: int) -> None:
    end = add_months(start, months)
    k = months_between(start, end)
    assert add_months(start, k) <= end if k >= 0 else add_months(start, k) >= end
    assert add_months(start, k + 1) > end if k >= 0 else add_months(start, k - 1) < end


def test_months_between_month_end() -> None:
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert months_between(date(2024, 1, 15), date(2024, 4, 14)) == 2
    assert months_between(date(2024, 4, 14), date(2024, 1, 15)) == -2


@given(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(list(DayCount)),
)
def test_numerator_over_basis_is_the_year_fraction(a: date, b: date, dc: DayCount) -> None:
    assert day_count_basis(dc) == dc.basis
    assert Fraction(day_count_numerator(a, b, dc), day_count_basis(dc)) == year_fraction_exact(a, b, dc)
    assert day_count_numerator(a, b, dc) == -day_count_numerator(b, a, dc)


def test_act_act_numerator_spans_leap_years() -> None:
    # 2 days: 31 Dec 2023 in a 365-day year and 1 Jan 2024 in a 366-day year.
    assert day_count_numerator(date(2023, 12, 31), date(2024, 1, 2), "ACT/ACT") == 366 + 365
    assert ACT_ACT_BASIS == 365 * 366
    assert year_fraction_exact(date(2023, 1, 1), date(2025, 1, 1), "ACT/ACT") == 2


def test_calendar_edges_are_typed_errors() -> None:
    # issue 10: these raised TypeError / ValueError before.
    with pytest.raises(InvalidInput) as err:
        due_dates(0, 1)  # type: ignore[arg-type]
    assert err.value.field == "first_due"
    with pytest.raises(InvalidInput) as err:
        year_fraction(3, 3)  # type: ignore[arg-type]
    assert err.value.field == "start"
    # Reversed across the whole calendar: a typed answer, not "year 10000 is out of range".
    assert year_fraction(date(9999, 12, 31), date(1, 1, 1), "ACT/ACT") < -9998
    with pytest.raises(InvalidInput) as err:
        due_dates(date(2026, 1, 1), -1)
    assert err.value.field == "count"
    with pytest.raises(InvalidInput) as err:
        due_dates(date(9000, 1, 1), 10**9, "weekly")
    assert err.value.field == "count"
    with pytest.raises(InvalidInput):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(InvalidInput):
        step(date(2026, 1, 1), 10**30, "weekly")
    with pytest.raises(InvalidInput):
        days_in_month(2026, 13)


def test_numpy_integers_step_dates() -> None:
    np = pytest.importorskip("numpy")
    assert step(date(2026, 1, 15), np.int64(2), "weekly") == date(2026, 1, 29)
    assert add_months(date(2026, 1, 31), np.int32(1)) == date(2026, 2, 28)
    assert due_dates(date(2026, 1, 15), np.int64(2), "weekly", skip=np.int64(1)) == [
        date(2026, 1, 22),
        date(2026, 1, 29),
    ]
