"""Worked examples for autoloan.delinquency: days past due, buckets and the per-account classifiers.

Each test names the public source its expected values come from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from autoloan.delinquency import (
    Bucket,
    BucketScheme,
    ChinaRules,
    DefaultStatus,
    FfiecGrade,
    FiveTier,
    Ifrs9Stage,
    Snapshot,
    classify_all,
    classify_basel,
    classify_china,
    classify_ffiec,
    classify_ifrs9,
    classify_many,
    days_past_due,
    is_material,
    observation_period_end,
)
from autoloan.delinquency.basel import BaselRules
from autoloan.errors import AutoloanError, InvalidInput

# --- days past due ----------------------------------------------------------------------------------


def test_dpd_counts_from_oldest_unpaid_due_date() -> None:
    # Fineract LoanDelinquencyDomainServiceImpl / LoanPro: days since the furthest-past unpaid
    # installment; 2024 is a leap year (Feb has 29 days).
    assert days_past_due(date(2024, 1, 31), date(2024, 3, 1)) == 30
    assert days_past_due(date(2024, 2, 15), date(2024, 2, 15)) == 0
    assert days_past_due(date(2024, 2, 16), date(2024, 2, 15)) == 0
    assert days_past_due(None, date(2024, 2, 15)) == 0


def test_grace_shifts_but_does_not_reset() -> None:
    # Fineract graceOnArrearsAgeing: delinquentDays = overdueDays - graceDays, floored at 0.
    assert days_past_due(date(2024, 1, 1), date(2024, 1, 4), grace_days=5) == 0
    assert days_past_due(date(2024, 1, 1), date(2024, 1, 11), grace_days=5) == 5


@pytest.mark.parametrize("bad", [-1, 1.5, "5", True, None])
def test_grace_days_must_be_whole_days(bad: object) -> None:
    with pytest.raises(InvalidInput, match="grace_days"):
        days_past_due(date(2024, 1, 1), date(2024, 1, 11), grace_days=bad)  # type: ignore[arg-type]


def test_dpd_rejects_datetimes_and_garbage() -> None:
    from datetime import datetime

    with pytest.raises(InvalidInput, match="as_of"):
        days_past_due(date(2024, 1, 1), datetime(2024, 2, 1, 12, 0))
    with pytest.raises(InvalidInput, match="oldest_unpaid_due_date"):
        days_past_due("yesterday", date(2024, 2, 1))


# --- bucket schemes --------------------------------------------------------------------------------


def test_public_contract_cycles_m2() -> None:
    # DESIGN.md public API contract.
    assert BucketScheme.cycles().bucket(45).name == "M2"


@pytest.mark.parametrize(
    ("days", "name"),
    [(0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (60, "M2"), (61, "M3"), (150, "M5"), (151, "M6"),
     (180, "M6"), (181, "M7+"), (5000, "M7+")],
)  # fmt: skip
def test_cycles_boundaries(days: int, name: str) -> None:
    # Issue 5 / reference note §2: M1 = 1-30, M2 = 31-60 ... M6 = 151-180, M7+ = 181+.
    assert BucketScheme.cycles().bucket(days).name == name


@pytest.mark.parametrize(
    ("days", "name"),
    [(0, "current"), (1, "1-29"), (29, "1-29"), (30, "30-59"), (89, "60-89"), (90, "90-119"),
     (179, "150-179"), (180, "180+")],
)  # fmt: skip
def test_dpd30_boundaries(days: int, name: str) -> None:
    # OCC Comptroller's Handbook, Retail Lending examination procedures: current, 30-59, 60-89 ...
    assert BucketScheme.dpd30().bucket(days).name == name


def test_metro2_scheme_matches_status_codes() -> None:
    # cfpb/Metro2 annotationLookups.ts: 11 = 0-29, 71 = 30-59 ... 84 = 180 or more.
    s = BucketScheme.metro2()
    assert [s.bucket(d).name for d in (0, 29, 30, 59, 60, 90, 120, 150, 179, 180)] == [
        "11", "11", "71", "71", "78", "80", "82", "83", "83", "84",
    ]  # fmt: skip


def test_bucket_labels_are_bilingual() -> None:
    b = BucketScheme.cycles().bucket(45)
    assert b.label_en == "31–60 days (M2)"
    assert b.label_zh == "M2（逾期31–60天）"


def test_overlap_error_names_both_ranges() -> None:
    with pytest.raises(InvalidInput) as err:
        BucketScheme.from_bounds("x", [("a", 0, 10), ("b", 5, 20), ("c", 21, None)])
    msg = str(err.value)
    assert "'a' (0–10)" in msg and "'b' (5–20)" in msg and "overlaps" in msg


def test_gap_and_closed_last_and_start_are_errors() -> None:
    with pytest.raises(InvalidInput, match="gap"):
        BucketScheme.from_bounds("x", [("a", 0, 10), ("b", 12, None)])
    with pytest.raises(InvalidInput, match="open-ended"):
        BucketScheme.from_bounds("x", [("a", 0, 10), ("b", 11, 20)])
    with pytest.raises(InvalidInput, match="start at 0"):
        BucketScheme.from_bounds("x", [("a", 1, None)])
    with pytest.raises(InvalidInput, match="open-ended but"):
        BucketScheme.from_bounds("x", [("a", 0, None), ("b", 5, None)])
    with pytest.raises(InvalidInput, match="duplicate"):
        BucketScheme.from_bounds("x", [("a", 0, 4), ("a", 5, None)])
    with pytest.raises(InvalidInput, match="at least low"):
        Bucket("a", 5, 4)


def test_bucket_input_validation() -> None:
    s = BucketScheme.cycles()
    for bad in (-1, 1.0, "3", True, None):
        with pytest.raises(InvalidInput, match="days_past_due"):
            s.bucket(bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"days_past_due\[2\]"):
        s.bucket_many([0, 1, -5])
    with pytest.raises(InvalidInput, match="not a bucket"):
        s.get("M9")


def test_bucket_many_and_counts() -> None:
    s = BucketScheme.dpd30()
    days = [0, 0, 15, 45, 95, 200, 10_000]
    assert [b.name for b in s.bucket_many(days)] == [
        "current",
        "current",
        "1-29",
        "30-59",
        "90-119",
        "180+",
        "180+",
    ]
    assert s.counts(days) == {
        "current": 2, "1-29": 1, "30-59": 1, "60-89": 0, "90-119": 1, "120-149": 0, "150-179": 0, "180+": 2,
    }  # fmt: skip
    assert s.index_many([0, 200]) == [0, 7]


def test_custom_scheme_beyond_table() -> None:
    # A scheme whose last bucket starts past the lookup table uses bisect for large counts.
    s = BucketScheme.from_bounds("long", [("a", 0, 4999), ("b", 5000, 9999), ("c", 10_000, None)])
    assert [b.name for b in s.bucket_many([4999, 5000, 9999, 10_000, 99_999])] == ["a", "b", "b", "c", "c"]
    assert s.bucket(7000).name == "b"


# --- China 五级分类 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "zh"),
    [(0, "正常"), (1, "关注"), (90, "关注"), (91, "次级"), (270, "次级"), (271, "可疑"), (360, "可疑"),
     (361, "损失")],
)  # fmt: skip
def test_china_2023_retail_thresholds(days: int, zh: str) -> None:
    # 《商业银行金融资产风险分类办法》(2023) as summarised in the reference note §5: overdue -> at
    # least 关注; more than 90 days -> 次级; more than 270 -> 可疑; more than 360 -> 损失.
    assert classify_china(days).grade.label_zh == zh


@pytest.mark.parametrize(
    ("days", "zh"),
    [(1, "关注"), (90, "关注"), (91, "次级"), (120, "次级"), (121, "可疑"), (180, "可疑"), (181, "损失")],
)
def test_china_credit_card_2011(days: int, zh: str) -> None:
    # 《商业银行信用卡业务监督管理办法》(2011) 第九十二条: 关注 1-90 (含), 次级 91-120, 可疑 121-180,
    # 损失 超过180天.
    assert ChinaRules.credit_card_2011().classify(days).grade.label_zh == zh


def test_china_restructured_floor_and_override_only_worsens() -> None:
    assert classify_china(0, restructured=True).grade is FiveTier.SPECIAL_MENTION
    assert classify_china(0, restructured=True).rule_id.endswith("RESTRUCTURED")
    assert classify_china(100, restructured=True).grade is FiveTier.SUBSTANDARD
    assert classify_china(100, override="关注").grade is FiveTier.SUBSTANDARD
    c = classify_china(100, override="loss", override_reason="borrower absconded with the car")
    assert c.grade is FiveTier.LOSS and "absconded" in c.reason
    with pytest.raises(InvalidInput, match="override"):
        classify_china(0, override="great")


def test_china_upgrade_needs_six_months_of_normal_payment() -> None:
    # Upgrade condition for non-performing assets: arrears repaid and normal payment for at least
    # two consecutive periods or 6 months (2023 rules, as quoted in exam material, 233.com).
    held = classify_china(0, previous=FiveTier.SUBSTANDARD, months_performing=5)
    assert held.grade is FiveTier.SUBSTANDARD
    assert classify_china(0, previous=FiveTier.SUBSTANDARD, months_performing=6).grade is FiveTier.NORMAL
    # an asset that was only 关注 is not held back
    assert classify_china(0, previous="关注", months_performing=0).grade is FiveTier.NORMAL


def test_china_observation_period() -> None:
    # 每日经济新闻 2023-02-11 on the 2023 rules: observation starts at the first repayment date after
    # the change, covers at least two consecutive repayment periods and not less than 1 year.
    assert observation_period_end(date(2024, 1, 31)) == date(2025, 1, 31)
    assert observation_period_end(date(2024, 1, 31), period_months=12) == date(2026, 1, 31)
    with pytest.raises(InvalidInput, match="period_months"):
        observation_period_end(date(2024, 1, 31), period_months=0)


def test_china_rules_validation() -> None:
    with pytest.raises(InvalidInput, match="substandard_after_days"):
        ChinaRules(substandard_after_days=300)
    with pytest.raises(InvalidInput, match="restructured_floor"):
        ChinaRules(restructured_floor="bad")  # type: ignore[arg-type]


def test_classifications_share_objects_per_grade() -> None:
    # Performance design: one cached object per distinct result, not one per account.
    assert classify_china(95) is classify_china(200)
    assert classify_ffiec(10) is classify_ffiec(20)


# --- FFIEC -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "open_end", "grade"),
    [(89, False, FfiecGrade.PASS), (90, False, FfiecGrade.SUBSTANDARD), (119, False, FfiecGrade.SUBSTANDARD),
     (120, False, FfiecGrade.LOSS), (179, True, FfiecGrade.SUBSTANDARD), (180, True, FfiecGrade.LOSS)],
)  # fmt: skip
def test_ffiec_thresholds(days: int, open_end: bool, grade: FfiecGrade) -> None:
    # FRRS 3-1502: "past due 90 cumulative days ... substandard"; closed-end 120 / open-end 180
    # cumulative days "classified loss and charged off".
    assert classify_ffiec(days, open_end=open_end).grade is grade


def test_ffiec_write_down_to_collateral_less_cost_to_sell() -> None:
    # FRRS 3-1502: non-real-estate collateral "may be written down to the value of the collateral,
    # less cost to sell, if repossession of collateral is assured and in process".
    c = classify_ffiec(
        125, repossession_assured=True, balance="18250.40", collateral_value="14000", cost_to_sell="1150.25"
    )
    p = c.params()
    assert p["action"] == "write_down"
    assert p["carrying_value"] == Decimal("12849.75")
    assert p["loss_amount"] == Decimal("5400.65")
    # collateral worth less than the cost to sell: full loss
    c2 = classify_ffiec(
        125, repossession_assured=True, balance="100", collateral_value="50", cost_to_sell="80"
    )
    assert c2.params()["loss_amount"] == Decimal("100.00")
    with pytest.raises(InvalidInput, match="collateral_value"):
        classify_ffiec(125, repossession_assured=True)
    with pytest.raises(InvalidInput, match="balance"):
        classify_ffiec(125, repossession_assured=True, balance="-1", collateral_value="5")


def test_ffiec_bankruptcy_sixty_days() -> None:
    # FDIC FIL-17-99: "charged off within 60 days of receiving notification of filing from the
    # bankruptcy court"; OCC checklist: substandard when repayment is likely.
    notice = date(2024, 3, 1)
    running = classify_ffiec(0, as_of=date(2024, 4, 29), bankruptcy_notified_on=notice)
    assert running.grade is FfiecGrade.SUBSTANDARD
    assert running.params()["charge_off_by"] == date(2024, 4, 30)
    assert classify_ffiec(0, as_of=date(2024, 4, 30), bankruptcy_notified_on=notice).grade is FfiecGrade.LOSS
    likely = classify_ffiec(0, as_of=date(2024, 6, 1), bankruptcy_notified_on=notice, repayment_likely=True)
    assert likely.grade is FfiecGrade.SUBSTANDARD
    # whichever is shorter: the delinquency time frame still applies
    assert classify_ffiec(130, as_of=date(2024, 3, 2), bankruptcy_notified_on=notice).rule_id.endswith("LOSS")
    with pytest.raises(InvalidInput, match="as_of"):
        classify_ffiec(0, bankruptcy_notified_on=notice)


def test_ffiec_fraud_and_deceased() -> None:
    # FDIC FIL-17-99: fraud within 90 days of discovery; deceased: when the loss is determined.
    found = date(2024, 1, 10)
    assert (
        classify_ffiec(0, as_of=date(2024, 4, 8), fraud_discovered_on=found).grade is FfiecGrade.SUBSTANDARD
    )
    assert classify_ffiec(0, as_of=date(2024, 4, 9), fraud_discovered_on=found).grade is FfiecGrade.LOSS
    assert classify_ffiec(0, deceased=True).grade is FfiecGrade.PASS
    assert classify_ffiec(0, deceased=True, loss_determined=True).rule_id == "US.FFIEC.RETAIL.DECEASED"
    with pytest.raises(InvalidInput, match="deceased"):
        classify_ffiec(0, deceased="yes")  # type: ignore[arg-type]


# --- IFRS 9 ----------------------------------------------------------------------------------------


def test_ifrs9_backstops() -> None:
    # IFRS 9 5.5.11: "more than 30 days past due"; B5.5.37: default "does not occur later than when
    # a financial asset is 90 days past due" (Open Risk Manual, "Rebuttable Presumption").
    assert [classify_ifrs9(d).grade for d in (0, 30, 31, 89, 90)] == [
        Ifrs9Stage.STAGE_1, Ifrs9Stage.STAGE_1, Ifrs9Stage.STAGE_2, Ifrs9Stage.STAGE_2, Ifrs9Stage.STAGE_3,
    ]  # fmt: skip


def test_ifrs9_rebuttals_and_overrides() -> None:
    # IFRS 9 BC5.190 / annualreporting.info: rebuttable with reasonable and supportable information.
    assert classify_ifrs9(45, rebut_sicr=True).grade is Ifrs9Stage.STAGE_1
    assert classify_ifrs9(120, rebut_default=True).grade is Ifrs9Stage.STAGE_2
    assert classify_ifrs9(120, rebut_default=True, rebut_sicr=True).grade is Ifrs9Stage.STAGE_1
    assert classify_ifrs9(0, significant_increase=True).grade is Ifrs9Stage.STAGE_2
    assert classify_ifrs9(0, credit_impaired=True).grade is Ifrs9Stage.STAGE_3


def test_ifrs9_probation() -> None:
    from autoloan.delinquency import Ifrs9Rules

    rules = Ifrs9Rules(stage_3_probation_months=3, stage_2_probation_months=6)
    prev = Ifrs9Stage.STAGE_3
    got = [rules.classify(0, previous=prev, months_since_cure=m).grade.rank for m in (0, 2, 3, 8, 9)]
    assert got == [3, 3, 2, 2, 1]
    assert rules.classify(0, previous="stage_2", months_since_cure=5).grade is Ifrs9Stage.STAGE_2


# --- EU / Basel default ----------------------------------------------------------------------------


def test_materiality_both_limits_must_be_exceeded() -> None:
    # Delegated Regulation (EU) 2018/171 Art. 1(2) and recital 2: material "when both the limit
    # expressed as an absolute amount and the limit expressed as a percentage are exceeded";
    # absolute <= EUR 100, relative 1 %.
    assert not is_material("100.00", "5000")  # absolute limit reached, not exceeded
    assert is_material("100.01", "5000")
    assert not is_material("150.00", "15000")  # exactly 1 %
    assert is_material("150.01", "15000")
    assert not is_material("99", "1000")  # 9.9 % but under EUR 100
    with pytest.raises(InvalidInput, match="exposure"):
        is_material("10", "0")


def test_basel_dpd_and_utp() -> None:
    # CRR Art. 178(1): "more than 90 days past due on any material credit obligation" or unlikely
    # to pay.
    assert classify_basel(90).grade is DefaultStatus.NOT_DEFAULTED
    assert classify_basel(91).grade is DefaultStatus.DEFAULTED
    assert classify_basel(200, amount_past_due="90", exposure="20000").grade is DefaultStatus.NOT_DEFAULTED
    assert classify_basel(0, unlikely_to_pay=True).rule_id == "EU.CRR178.UTP"
    with pytest.raises(InvalidInput, match="together"):
        classify_basel(100, amount_past_due="500")


def test_basel_probation_three_and_twelve_months() -> None:
    # EBA/GL/2016/07 para 71(a): no trigger for at least 3 months; paras 72-73: 1-year probation
    # after a distressed restructuring (EBA Q&A 2022_6527).
    assert classify_basel(0, previous="defaulted", months_since_cure=2).grade is DefaultStatus.DEFAULTED
    assert classify_basel(0, previous="defaulted", months_since_cure=3).grade is DefaultStatus.NOT_DEFAULTED
    held = classify_basel(0, previous="defaulted", months_since_cure=11, after_restructuring=True)
    assert held.grade is DefaultStatus.DEFAULTED
    done = classify_basel(0, previous="defaulted", months_since_cure=12, after_restructuring=True)
    assert done.grade is DefaultStatus.NOT_DEFAULTED


def test_basel_rules_bounds() -> None:
    # 2018/171 Art. 1(2): relative component between 0 % and 2.5 %.
    assert BaselRules(relative_threshold="2.5%").relative_threshold == Decimal("0.025")
    with pytest.raises(InvalidInput, match="relative_threshold"):
        BaselRules(relative_threshold="0.03")


# --- all views -------------------------------------------------------------------------------------


def test_classify_all_reads_an_account_status_like_object() -> None:
    # The servicing layer's AccountStatus (duck-typed): days_past_due, amount_past_due,
    # principal_balance, as_of.
    st = SimpleNamespace(
        days_past_due=95, amount_past_due=Decimal("1500.00"), principal_balance=Decimal("12000.00"),
        as_of=date(2024, 5, 31), oldest_unpaid_due_date=date(2024, 2, 26), installments_in_arrears=4,
    )  # fmt: skip
    v = classify_all(st, currency="EUR")
    assert (v.cycle.name, v.dpd30.name) == ("M4", "90-119")
    assert v.china.grade is FiveTier.SUBSTANDARD
    assert v.ffiec.grade is FfiecGrade.SUBSTANDARD
    assert v.ifrs9.grade is Ifrs9Stage.STAGE_3
    assert v.basel.grade is DefaultStatus.DEFAULTED
    assert v.metro2.grade.value == "80"
    # the same account with an immaterial past-due amount is not in default
    assert classify_all(st, currency="EUR", amount_past_due="80").basel.grade is DefaultStatus.NOT_DEFAULTED
    # amounts in another currency than the EU thresholds are not compared
    assert classify_all(st, amount_past_due="80").basel.grade is DefaultStatus.DEFAULTED


def test_classify_all_errors_are_typed() -> None:
    with pytest.raises(InvalidInput, match="days_past_due"):
        classify_all()
    with pytest.raises(InvalidInput, match="unknown field"):
        classify_all(days_past_due=3, colour="red")
    with pytest.raises(InvalidInput, match="days_past_due"):
        classify_all(object())
    with pytest.raises(InvalidInput, match="balance"):
        Snapshot(days_past_due=1, balance="-3")
    with pytest.raises(AutoloanError):
        classify_all(days_past_due=5, restructured="no")


def test_views_text_table_lists_every_view() -> None:
    text = str(classify_all(days_past_due=45))
    for needle in ("M2", "30-59", "关注", "stage_2", "71", "US.FFIEC.RETAIL.PASS"):
        assert needle in text


def test_classify_many_matches_scalar() -> None:
    days = [0, 1, 29, 30, 31, 59, 60, 90, 91, 119, 120, 180, 181, 270, 271, 360, 361, 5000]
    cols = classify_many(days)
    for k, d in enumerate(days):
        v = classify_all(days_past_due=d)
        assert cols["cycle"][k] == v.cycle and cols["dpd30"][k] == v.dpd30
        assert cols["china"][k] == v.china and cols["ffiec"][k] == v.ffiec
        assert cols["ifrs9"][k] == v.ifrs9 and cols["basel"][k] == v.basel and cols["metro2"][k] == v.metro2


# --- value objects and parsing ---------------------------------------------------------------------


def test_classification_validation_and_rows() -> None:
    from autoloan.delinquency import Classification

    with pytest.raises(InvalidInput, match="grade"):
        Classification("X", "bad", "R", "C", "why")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="rule_id"):
        Classification("X", FiveTier.LOSS, "", "C", "why")
    with pytest.raises(InvalidInput, match="parameters"):
        Classification("X", FiveTier.LOSS, "R", "C", "why", (("a",),))  # type: ignore[arg-type]
    row = classify_china(95).to_row()
    assert row["label_zh"] == "次级" and row["parameters"]["loss_after_days"] == 360


def test_grade_parsing_accepts_labels() -> None:
    # Bilingual labels: 五级分类 grades parse from their Chinese names.
    assert [FiveTier.parse(x) for x in ("正常", "关注", "次级", "可疑", "损失")] == list(FiveTier)
    assert Ifrs9Stage.parse("STAGE_3") is Ifrs9Stage.STAGE_3
    assert DefaultStatus.parse("in default") is DefaultStatus.DEFAULTED
    with pytest.raises(InvalidInput, match="previous"):
        classify_ifrs9(0, previous="stage 4")
    with pytest.raises(InvalidInput, match="months_performing"):
        classify_china(0, previous="次级", months_performing=-1)


def test_snapshot_from_status_reads_optional_fields() -> None:
    st = SimpleNamespace(days_past_due=10, as_of="2024-05-31", currency="CNY", principal_balance="88000.456")
    snap = Snapshot.from_status(st, restructured=True)
    assert snap.as_of == date(2024, 5, 31)
    assert snap.balance == Decimal("88000.46")  # quantized to the CNY minor unit, half up
    assert snap.currency == "CNY" and snap.restructured is True
    with pytest.raises(InvalidInput, match="days_past_due"):
        Snapshot.from_status(SimpleNamespace(balance=1))


def test_days_delinquent_drives_the_eu_counter() -> None:
    # EBA/GL/2016/07: the days-past-due counter runs only while the past-due amount is material.
    v = classify_all(days_past_due=120, days_delinquent=40)
    assert v.basel.grade is DefaultStatus.NOT_DEFAULTED
    assert v.china.grade is FiveTier.SUBSTANDARD  # other views keep the contractual count


def test_works_with_the_servicing_account_status() -> None:
    # Integration with autoloan.servicing: AccountStatus satisfies StatusLike.
    try:
        import autoloan as al
        from autoloan.servicing import Payment, account_status
    except ImportError:  # pragma: no cover - servicing not landed
        pytest.skip("autoloan.servicing is not available")
    from autoloan.delinquency import StatusLike

    terms = al.LoanTerms(
        principal=20000, annual_rate="0.06", term=48, start=date(2024, 1, 15), currency="EUR"
    )
    st = account_status(
        terms, payments=[Payment(date(2024, 2, 15), Decimal("469.70"))], as_of=date(2024, 6, 20)
    )
    assert isinstance(st, StatusLike)
    v = classify_all(st)
    assert v.snapshot.days_past_due == st.days_past_due > 90
    assert v.snapshot.currency == "EUR" and v.snapshot.balance == st.principal_balance
    assert v.china.grade is FiveTier.SUBSTANDARD and v.metro2.grade.value == "80"


def test_events_after_as_of_are_not_yet_known() -> None:
    # A bankruptcy notice dated after the snapshot cannot change that snapshot's grade.
    c = classify_ffiec(0, as_of=date(2024, 1, 31), bankruptcy_notified_on=date(2024, 2, 15))
    assert c.grade is FfiecGrade.PASS
    with pytest.raises(InvalidInput, match="loss_determined"):
        classify_ffiec(0, loss_determined="yes")  # type: ignore[arg-type]
