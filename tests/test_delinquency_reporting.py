"""Metro 2, timelines and portfolio analytics: worked examples with their sources."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from autoloan.delinquency import (
    DefaultStatus,
    FiveTier,
    Ifrs9Stage,
    Metro2Record,
    Metro2Status,
    Snapshot,
    advance,
    classify_metro2,
    classify_timeline,
    history_char,
    transition_matrix,
    vintage_curves,
)
from autoloan.errors import AutoloanError, InvalidInput

# --- Metro 2 ---------------------------------------------------------------------------------------


def test_status_codes_from_days() -> None:
    # m2reporter.com FAQ 10: not delinquent until at least 30 days (status 71) past the due date;
    # cfpb/Metro2 annotationLookups.ts ranges for 11/71/78/80/82/83/84.
    assert [classify_metro2(d).grade.value for d in (0, 29, 30, 60, 90, 120, 150, 180, 999)] == [
        "11", "11", "71", "78", "80", "82", "83", "84", "84",
    ]  # fmt: skip


def test_status_codes_for_events() -> None:
    # cfpb/Metro2 annotationLookups.ts: 93 collections, 95 voluntary surrender, 96 repossessed,
    # 97 charge-off, 61-64 paid in full after those, 13 paid or closed.
    assert classify_metro2(10, in_collections=True).grade is Metro2Status.COLLECTIONS
    assert classify_metro2(10, voluntary_surrender=True).grade is Metro2Status.VOLUNTARY_SURRENDER
    assert classify_metro2(10, repossessed=True).grade is Metro2Status.REPOSSESSION
    assert classify_metro2(10, repossessed=True, charged_off=True).grade is Metro2Status.CHARGE_OFF
    assert classify_metro2(0, paid_in_full=True, charged_off=True).grade.value == "64"
    assert classify_metro2(0, paid_in_full=True, repossessed=True).grade.value == "63"
    assert classify_metro2(0, paid_in_full=True, in_collections=True).grade.value == "62"
    assert classify_metro2(0, paid_in_full=True, voluntary_surrender=True).grade.value == "61"
    assert classify_metro2(0, paid_in_full=True).grade.value == "13"


def test_payment_rating_with_13_and_95() -> None:
    # m2reporter.com FAQ 12: payment rating required when Account Status = 13, 65, 88, 89, 94 or 95;
    # it is the status before the account moved (0 = 0-29 ... 6 = 180+).
    assert classify_metro2(65, paid_in_full=True).params()["payment_rating"] == "2"
    assert classify_metro2(5, voluntary_surrender=True).params()["payment_rating"] == "0"
    assert "payment_rating" not in classify_metro2(65, repossessed=True).params()


def test_history_characters() -> None:
    # cfpb/Metro2 PAYMENT_HISTORY_PROFILE_LOOKUP: E = zero balance and status 11; G, J, K, L.
    assert history_char(Metro2Status.CURRENT) == "0"
    assert history_char(Metro2Status.CURRENT, zero_balance=True) == "E"
    assert [history_char(s) for s in (Metro2Status.DPD_30, Metro2Status.DPD_180)] == ["1", "6"]
    assert [
        history_char(s)
        for s in (Metro2Status.COLLECTIONS, Metro2Status.VOLUNTARY_SURRENDER, Metro2Status.REPOSSESSION,
                  Metro2Status.CHARGE_OFF)
    ] == ["G", "J", "K", "L"]  # fmt: skip


def test_history_profile_worked_example() -> None:
    # metro2.switchlabs.dev developer guide "Reporting delinquencies": "Account went 30 days late in
    # November, caught up in December, current in January" -> "001000...", position 1 = most recent
    # month. Here the history is reported as of February.
    r = advance(None, as_of=date(2023, 10, 31), days_past_due=0)
    r = advance(r, as_of=date(2023, 11, 30), days_past_due=33)
    r = advance(r, as_of=date(2023, 12, 31), days_past_due=0)
    r = advance(r, as_of=date(2024, 1, 31), days_past_due=0)
    r = advance(r, as_of=date(2024, 2, 29), days_past_due=0)
    assert r.payment_history == "0010" + "B" * 20
    assert r.dofd is None  # brought current: the delinquency chain ended


def test_dofd_stays_stable_through_charge_off() -> None:
    # FCRA 623(a)(5) via m2reporterhelp "FCRA excerpts": the date of delinquency is the month and
    # year of "the commencement of the delinquency ... that immediately preceded the action"; the
    # CFPB evaluator flags accounts whose DOFD changes while they stay delinquent.
    r = advance(None, as_of=date(2024, 1, 31), days_past_due=0)
    r = advance(r, as_of=date(2024, 2, 29), days_past_due=40)
    first = r.dofd
    assert first == date(2024, 2, 19)
    for month_end, dpd, co in ((date(2024, 3, 31), 71, False), (date(2024, 4, 30), 51, False),
                               (date(2024, 5, 31), 121, True), (date(2024, 6, 30), 151, True)):  # fmt: skip
        r = advance(r, as_of=month_end, days_past_due=dpd, charged_off=co)
        assert r.dofd == first
    assert r.account_status is Metro2Status.CHARGE_OFF
    assert r.payment_history[:5] == "L1210"  # May L, Apr 1, Mar 2, Feb 1, Jan 0


def test_advance_validation() -> None:
    r = advance(None, as_of=date(2024, 1, 31), days_past_due=0)
    with pytest.raises(InvalidInput, match="later month"):
        advance(r, as_of=date(2024, 1, 31), days_past_due=0)
    with pytest.raises(InvalidInput, match="previous"):
        advance("x", as_of=date(2024, 2, 29), days_past_due=0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="payment_history"):
        Metro2Record(date(2024, 1, 31), Metro2Status.CURRENT, None, "0" * 23, None, 0)
    with pytest.raises(InvalidInput, match="payment_history"):
        Metro2Record(date(2024, 1, 31), Metro2Status.CURRENT, None, "X" * 24, None, 0)


# --- timelines -------------------------------------------------------------------------------------


def _months(*dpds: int, **flags: object) -> list[dict[str, object]]:
    ends = [date(2024, m, 28) for m in range(1, 13)] + [date(2025, m, 28) for m in range(1, 13)]
    return [{"as_of": ends[i], "days_past_due": d, **flags} for i, d in enumerate(dpds)]


def test_timeline_eu_probation_three_months() -> None:
    # EBA/GL/2016/07 para 71(a): back to non-default only after 3 months without any trigger.
    rows = classify_timeline(_months(0, 95, 0, 0, 0, 0))
    assert [r.views.basel.grade for r in rows] == [DefaultStatus.NOT_DEFAULTED] + [
        DefaultStatus.DEFAULTED
    ] * 4 + [DefaultStatus.NOT_DEFAULTED]
    assert rows[2].views.basel.rule_id == "EU.EBA.GL2016.07.PROBATION"


def test_timeline_eu_probation_restarts_on_new_trigger() -> None:
    rows = classify_timeline(_months(95, 0, 0, 100, 0, 0, 0, 0))
    got = [r.views.basel.grade is DefaultStatus.DEFAULTED for r in rows]
    assert got == [True, True, True, True, True, True, True, False]


def test_timeline_eu_restructuring_twelve_months() -> None:
    # EBA/GL/2016/07 paras 72-73: one year of probation after a distressed restructuring.
    snaps = _months(0, *([0] * 14))
    snaps[0]["distressed_restructuring"] = True
    rows = classify_timeline(snaps)
    flags = [r.views.basel.grade is DefaultStatus.DEFAULTED for r in rows]
    assert flags == [True] * 13 + [False, False]


def test_timeline_ifrs9_and_china_hold_grades() -> None:
    rows = classify_timeline(_months(100, 0, 0, 0, 0, 0, 0, 0))
    assert [r.views.ifrs9.grade.rank for r in rows] == [3, 3, 3, 3, 1, 1, 1, 1]
    # China: non-performing held until 6 months of normal payment after arrears are repaid.
    assert [r.views.china.grade for r in rows] == [FiveTier.SUBSTANDARD] * 7 + [FiveTier.NORMAL]


def test_timeline_china_clock_starts_when_arrears_repaid() -> None:
    rows = classify_timeline(_months(100, 60, 0, 0, 0, 0, 0, 0, 0))
    assert [r.views.china.grade.label_zh for r in rows] == ["次级"] * 8 + ["正常"]


def test_timeline_validation() -> None:
    with pytest.raises(InvalidInput, match="later month"):
        classify_timeline(
            [
                {"as_of": date(2024, 1, 5), "days_past_due": 0},
                {"as_of": date(2024, 1, 20), "days_past_due": 0},
            ]
        )
    with pytest.raises(InvalidInput, match="as_of"):
        classify_timeline([Snapshot(days_past_due=3)])
    with pytest.raises(InvalidInput, match="snapshots"):
        classify_timeline([42])


def test_timeline_rendering_and_rows() -> None:
    rows = classify_timeline(_months(0, 35, 65))
    text = str(rows)
    assert "metro2_status" in text and "78" in text
    assert rows.to_rows()[2]["cycle"] == "M3"
    assert rows[1].views.ifrs9.grade is Ifrs9Stage.STAGE_2


# --- portfolio -------------------------------------------------------------------------------------


def test_transition_matrix_counts_and_balances() -> None:
    opening = [0, 0, 0, 0, 15, 15, 45, 45, 45, 100]
    closing: list[int | str] = [0, 0, "paid_off", 20, 0, 50, 45, 80, "charged_off", "charged_off"]
    balances = ["1000", "2000", "3000", "4000", "500", "600", "700", "800", "900", "1000"]
    m = transition_matrix(opening, closing, balances=balances, scheme="cycles")
    assert m.states[-2:] == ("paid_off", "charged_off")
    assert m.count("M0", "M0") == 2 and m.count("M0", "M1") == 1 and m.count("M0", "paid_off") == 1
    assert m.opening_counts["M2"] == 3
    assert m.closing_counts["charged_off"] == 2
    assert m.balance("M2", "charged_off") == Decimal("900.00")
    assert m.opening_balances["M0"] == Decimal("10000.00")
    # roll rate of M2: 80 dpd (M3) + charged off = 2 of 3; by balance (800 + 900) / 2400.
    assert m.roll_rates()["M2"] == Decimal("0.666667")
    assert m.roll_rates(by="balance")["M2"] == Decimal("0.708333")
    # cure rate of M1: 1 of 2 back to M0.
    assert m.cure_rates()["M1"] == Decimal("0.500000")
    # flow M0->M1: closing M1 (1) over opening M0 (4).
    assert m.flow_rates()["M0->M1"] == Decimal("0.250000")
    assert "from \\ to" in m.render() and "%" in m.render(percent=True)
    assert m.to_rows()[0]["from"] == "M0"


def test_transition_matrix_validation() -> None:
    with pytest.raises(InvalidInput, match="closing"):
        transition_matrix([0], [0, 1])
    with pytest.raises(InvalidInput, match=r"opening\[1\]"):
        transition_matrix([0, "nowhere"], [0, 0])
    with pytest.raises(InvalidInput, match=r"closing\[0\]"):
        transition_matrix([0], [-4])
    with pytest.raises(InvalidInput, match=r"balances\[0\]"):
        transition_matrix([0], [0], balances=["1.001"])
    with pytest.raises(InvalidInput, match="balance"):
        transition_matrix([0], [0]).rate("current", "current", by="balance")
    with pytest.raises(InvalidInput, match="scheme"):
        transition_matrix([0], [0], scheme="weekly")
    assert transition_matrix([0], [0]).rate("30-59", "current") is None


def test_to_pandas_is_optional() -> None:
    m = transition_matrix([0], [0])
    try:
        importlib.import_module("pandas")
    except ImportError:
        with pytest.raises(AutoloanError, match="pandas"):
            m.to_pandas()
    else:  # pragma: no cover - only where pandas is installed
        assert m.to_pandas().loc["current", "current"] == 1


def test_vintage_curves() -> None:
    # 账龄分析 (vintage by MOB), reference note §2: cumulative share of each cohort ever bad by MOB.
    obs: list[tuple[Any, ...]] = [
        ("L1", "2024Q1", 1, 0), ("L1", "2024Q1", 2, 31), ("L1", "2024Q1", 3, 0),
        ("L2", "2024Q1", 1, 0), ("L2", "2024Q1", 2, 0), ("L2", "2024Q1", 3, 45),
        ("L3", "2024Q1", 1, 0), ("L3", "2024Q1", 2, 0), ("L3", "2024Q1", 3, 0),
        ("L4", "2024Q2", 1, 0), ("L4", "2024Q2", 2, "charged_off"),
    ]  # fmt: skip
    t = vintage_curves(obs, threshold_days=30)
    assert t.cohorts == ("2024Q1", "2024Q2")
    assert t.curve("2024Q1") == (
        Decimal("0.000000"),
        Decimal("0.000000"),
        Decimal("0.333333"),
        Decimal("0.666667"),
    )
    assert t.curve("2024Q2")[-1] == Decimal("1.000000")
    # a cure does not undo "ever bad"; a larger declared cohort dilutes the rate
    t2 = vintage_curves(obs, cohort_sizes={"2024Q1": 6})
    assert t2.curve("2024Q1")[-1] == Decimal("0.333333")
    assert "2024Q1" in str(t) and t.to_rows()[1]["mob_3"] is None
    with pytest.raises(InvalidInput, match="already in cohort"):
        vintage_curves([("L1", "A", 1, 0), ("L1", "B", 1, 0)])
    with pytest.raises(InvalidInput, match="smaller"):
        vintage_curves(obs, cohort_sizes={"2024Q1": 2})


def test_timeline_restructured_observation_period() -> None:
    # 2023 rules as reported by 每日经济新闻 (2023-02-11): observation from the first repayment date
    # after the change, at least two periods and not less than one year; a missed payment restarts it.
    snaps = _months(*([0] * 16))
    snaps[0]["restructured_first_due"] = date(2024, 1, 28)
    rows = classify_timeline(snaps)
    zh = [r.views.china.grade.label_zh for r in rows]
    assert zh == ["关注"] * 12 + ["正常"] * 4  # 2024-01-28 .. 2025-01-28 observation
    assert rows[0].views.china.rule_id.endswith("RESTRUCTURED")
    # a 10-day miss in month 6 (as of 2024-06-28) restarts the year from 2024-06-18
    snaps[5]["days_past_due"] = 10
    zh = [r.views.china.grade.label_zh for r in classify_timeline(snaps)]
    assert zh == ["关注"] * 16
