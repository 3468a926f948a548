"""征信: the PBoC credit report's monthly repayment record, from the same input as Metro 2.

Status characters as public explanations of the report describe them — 南方财富网 2022-12-07
(southmoney.com/yinhang/daikuan/202212/34044174.html), 希财网 (csai.cn/v/74234.html, and
csai.cn/video/76500.html for B and M); 连三累六 as ptssm.com/post/13876.html describes it.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autoloan.delinquency import (
    PBOC_CITATIONS,
    PbocRecord,
    PbocStatus,
    Snapshot,
    advance_pboc,
    classify_timeline,
    pboc_report,
    pboc_status,
)
from autoloan.errors import InvalidInput


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def snaps(dpd: list[int], **extra: Any) -> list[dict[str, Any]]:
    out = []
    for k, d in enumerate(dpd):
        y, m = 2023 + k // 12, k % 12 + 1
        out.append({"as_of": month_end(y, m), "days_past_due": d, **extra})
    return out


# -- the characters ----------------------------------------------------------------------------------


def test_overdue_digits_by_days() -> None:
    # 南方财富网 / 希财网: 1 = 逾期1–30天, 2 = 31–60 … 6 = 151–180, 7 = 180天以上.
    cases = {0: "N", 1: "1", 30: "1", 31: "2", 60: "2", 61: "3", 90: "3", 91: "4", 120: "4", 121: "5"}
    cases |= {150: "5", 151: "6", 180: "6", 181: "7", 5000: "7"}
    assert {d: pboc_status(d).value for d in cases} == cases


def test_every_documented_character_and_its_labels() -> None:
    chars = {s.value for s in PbocStatus}
    assert chars == set("N1234567MCGDZB*#/")
    assert PbocStatus.parse("b") is PbocStatus.BAD_DEBT and PbocStatus.BAD_DEBT.label_zh == "呆账"
    assert PbocStatus.parse("结清") is PbocStatus.CLOSED
    assert (
        PbocStatus.GUARANTOR_PAID.label_zh == "担保人代还"
        and PbocStatus.SETTLED_BY_ASSETS.label_zh == "以资抵债"
    )
    assert all(s.label_en and s.label_zh for s in PbocStatus)
    assert [s.value for s in PbocStatus if s.overdue] == list("1234567")
    assert set(PBOC_CITATIONS) == {"codes", "B,M", "连三累六"}


def test_events_take_precedence_in_order() -> None:
    assert pboc_status(200, paid_in_full=True, charged_off=True).value == "C"  # 结清 wins
    assert pboc_status(200, charged_off=True, account_ended=True).value == "B"
    assert pboc_status(200, account_ended=True, settled_by_assets=True).value == "G"
    assert pboc_status(40, settled_by_assets=True, guarantor_paid=True).value == "Z"
    assert pboc_status(40, guarantor_paid=True).value == "D"
    assert pboc_status(40, paid_late=True).value == "2"  # still overdue at the report date
    assert pboc_status(0, paid_late=True).value == "M"
    assert pboc_status(0, nothing_due=True).value == "*"
    with pytest.raises(InvalidInput, match="paid_late"):
        pboc_status(0, paid_late="yes")  # type: ignore[arg-type]


# -- the record ----------------------------------------------------------------------------------------


def test_months_before_the_first_report_are_not_opened_and_gaps_unknown() -> None:
    r = advance_pboc(None, as_of=date(2024, 1, 31), days_past_due=0, nothing_due=True)
    assert r.record == "/" * 23 + "*"
    r = advance_pboc(r, as_of=date(2024, 4, 30), days_past_due=45, amount_past_due="3100")
    assert r.record[-4:] == "*##2" and r.overdue_amount == Decimal("3100.00")
    with pytest.raises(InvalidInput, match="later month"):
        advance_pboc(r, as_of=date(2024, 4, 1), days_past_due=0)


def test_counts_lenders_read() -> None:
    # 28 months: overdue in months 1-2, then 10-12 (three in a row), then 20; current since.
    dpd = [20, 40] + [0] * 7 + [10, 40, 70] + [0] * 7 + [15] + [0] * 8
    r = pboc_report(snaps(dpd))
    assert len(r.history) == 60 and r.record == r.history[-24:]
    assert r.overdue_months(60) == 6  # all of them
    assert r.overdue_months(24) == 4  # months 5-28: 10, 11, 12 and 20
    assert r.longest_run(24) == 3 and r.longest_run(60) == 3
    assert r.lian_san_lei_liu  # 连三
    assert r.worst(60) is PbocStatus.OVERDUE_3


def test_lei_liu_six_months_without_three_in_a_row() -> None:
    dpd = [10, 0] * 6 + [0] * 6
    r = pboc_report(snaps(dpd))
    assert (r.overdue_months(24), r.longest_run(24)) == (6, 1)
    assert r.lian_san_lei_liu  # 累六
    assert not pboc_report(snaps([10, 0] * 5)).lian_san_lei_liu  # five in all, none in a row


def test_overdue_amount_is_the_snapshot_amount_past_due() -> None:
    r = pboc_report(snaps([0, 35], amount_past_due="1200.5", currency="CNY"))
    assert r.overdue_amount == Decimal("1200.50") and r.currency == "CNY"
    assert pboc_report(snaps([0, 0])).overdue_amount == Decimal("0.00")
    assert pboc_report(snaps([0, 35])).overdue_amount is None  # overdue, amount not given


def test_bad_debt_and_closing() -> None:
    s = snaps([200, 230, 260])
    s[1]["charged_off"] = True
    s[2]["paid_in_full"] = True
    assert pboc_report(s).record[-3:] == "7BC"


def test_record_validation() -> None:
    r = PbocRecord(date(2024, 6, 30), "NNN1NN", Decimal("0"), "CNY")
    assert r.record == "/" * 18 + "NNN1NN" and r.status is PbocStatus.NORMAL
    with pytest.raises(InvalidInput, match="history"):
        PbocRecord(date(2024, 6, 30), "NX", None)
    with pytest.raises(InvalidInput, match="window"):
        r.overdue_months(61)
    assert r.to_row()["record_24"] == r.record


# -- the same input as Metro 2 ------------------------------------------------------------------------


def test_timeline_rows_carry_the_pboc_record() -> None:
    t = classify_timeline(snaps([0, 20, 50, 80, 100, 0]))
    assert [row.pboc.status.value for row in t if row.pboc] == list("N1234N")
    assert t[-1].to_row()["pboc"] == "N"
    assert t[-1].pboc == pboc_report(snaps([0, 20, 50, 80, 100, 0]))


def test_from_account_status() -> None:
    from autoloan import LoanTerms
    from autoloan.servicing import Payment, account_status

    terms = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1), currency="CNY")
    statuses = [
        account_status(terms, [Payment(date(2026, 2, 1), 100)], month_end(2026, m)) for m in (2, 3, 4)
    ]
    r = pboc_report(statuses)
    assert r.record[-3:] == "N12" and r.overdue_amount == Decimal("200.00") and r.currency == "CNY"
    assert classify_timeline(statuses)[-1].pboc == r


def test_errors_name_the_snapshot() -> None:
    with pytest.raises(InvalidInput) as info:
        pboc_report(
            [{"as_of": "2024-01-31", "days_past_due": 0}, {"as_of": "2024-02-29", "days_past_due": -1}]
        )
    assert info.value.field.startswith("snapshots[1]")
    with pytest.raises(InvalidInput, match="snapshots"):
        pboc_report([])


@given(st.lists(st.integers(0, 400), min_size=1, max_size=70), st.booleans())
def test_record_properties(dpd: list[int], as_snapshots: bool) -> None:
    items: list[Any] = snaps(dpd)
    if as_snapshots:
        items = [Snapshot(**s) for s in items]
    r = pboc_report(items)
    digits = [pboc_status(d).value for d in dpd]
    assert r.history == "".join(digits)[-60:].rjust(60, "/")
    for window in (24, 60):
        tail = digits[-window:]
        assert r.overdue_months(window) == sum(ch != "N" for ch in tail)
        assert r.longest_run(window) <= r.overdue_months(window)
    assert r.lian_san_lei_liu == (r.longest_run(24) >= 3 or r.overdue_months(24) >= 6)
    assert classify_timeline(items)[-1].pboc == r
