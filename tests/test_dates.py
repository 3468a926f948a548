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
    DayCount,
    Frequency,
    add_months,
    due_dates,
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
