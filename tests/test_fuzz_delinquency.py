"""Fuzz of ``autoloan.delinquency``: only typed errors, never a hang, on every public callable.

Each public callable is called through :func:`fuzzkit.call` with a valid set of arguments in which
up to three are replaced by hostile values (numbers past every edge, numpy and pandas values,
calendar edges, wrong types), so calls get past the first check and reach the code behind it.
With nothing replaced the call must succeed: that proves the valid arguments reach the code.
The exact inputs of issue 10 are pinned below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autoloan import delinquency as dq
from autoloan.delinquency import (
    BaselRules,
    Bucket,
    BucketScheme,
    ChinaRules,
    Classification,
    FfiecRules,
    FiveTier,
    Ifrs9Rules,
    Metro2Record,
    Metro2Status,
    PbocRecord,
    Rulebook,
    Snapshot,
    Timeline,
    TimelineRow,
    TransitionMatrix,
    Views,
    VintageTable,
)
from autoloan.errors import AutoloanError, InvalidInput
from fuzzkit import call, hostile, hostile_dates, hostile_numbers, numpy_values

FUZZED = {
    "autoloan.delinquency.basel.BaselRules",
    "autoloan.delinquency.basel.classify_basel",
    "autoloan.delinquency.basel.is_material",
    "autoloan.delinquency.buckets.Bucket",
    "autoloan.delinquency.buckets.BucketScheme",
    "autoloan.delinquency.china.ChinaRules",
    "autoloan.delinquency.china.classify_china",
    "autoloan.delinquency.china.observation_period_end",
    "autoloan.delinquency.classification.Classification",
    "autoloan.delinquency.classification.worst",
    "autoloan.delinquency.dpd.days_past_due",
    "autoloan.delinquency.ffiec.FfiecRules",
    "autoloan.delinquency.ffiec.classify_ffiec",
    "autoloan.delinquency.ifrs9.Ifrs9Rules",
    "autoloan.delinquency.ifrs9.classify_ifrs9",
    "autoloan.delinquency.metro2.Metro2Record",
    "autoloan.delinquency.metro2.advance",
    "autoloan.delinquency.metro2.classify_metro2",
    "autoloan.delinquency.metro2.classify_metro2_many",
    "autoloan.delinquency.metro2.history_char",
    "autoloan.delinquency.pboc.PbocRecord",
    "autoloan.delinquency.pboc.advance_pboc",
    "autoloan.delinquency.pboc.pboc_report",
    "autoloan.delinquency.pboc.pboc_status",
    "autoloan.delinquency.portfolio.TransitionMatrix",
    "autoloan.delinquency.portfolio.VintageTable",
    "autoloan.delinquency.portfolio.transition_matrix",
    "autoloan.delinquency.portfolio.vintage_curves",
    "autoloan.delinquency.timeline.Timeline",
    "autoloan.delinquency.timeline.TimelineRow",
    "autoloan.delinquency.timeline.classify_timeline",
    "autoloan.delinquency.views.Rulebook",
    "autoloan.delinquency.views.Snapshot",
    "autoloan.delinquency.views.StatusLike",
    "autoloan.delinquency.views.Views",
    "autoloan.delinquency.views.classify_all",
    "autoloan.delinquency.views.classify_many",
    "autoloan.delinquency.views.classify_snapshot",
}

D = date(2024, 3, 31)
SNAPS = [
    {"as_of": date(2024, 1, 31), "days_past_due": 0},
    {"as_of": date(2024, 2, 29), "days_past_due": 35, "amount_past_due": "1200.50", "currency": "CNY"},
    {"as_of": date(2024, 3, 31), "days_past_due": 64, "restructured_first_due": date(2024, 3, 15)},
    {"as_of": date(2024, 5, 31), "days_past_due": 0, "paid_late": True},
]
VIEWS = dq.classify_all(days_past_due=45)
M2 = dq.advance(None, as_of=date(2024, 2, 29), days_past_due=35)
PB = dq.advance_pboc(None, as_of=date(2024, 2, 29), days_past_due=35)
CLS = dq.classify_china(95)


@dataclass
class Spec:
    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


SPECS: dict[str, Spec] = {
    "BaselRules": Spec(
        BaselRules,
        (),
        {
            "past_due_after_days": 90,
            "absolute_threshold": "100",
            "relative_threshold": "0.01",
            "currency": "EUR",
            "probation_months": 3,
            "restructuring_probation_months": 12,
        },
    ),
    "classify_basel": Spec(
        dq.classify_basel,
        (95,),
        {
            "amount_past_due": "150",
            "exposure": "10000",
            "unlikely_to_pay": False,
            "previous": "defaulted",
            "months_since_cure": 2,
            "after_restructuring": False,
            "rules": None,
        },
    ),
    "is_material": Spec(dq.is_material, ("150.01", "15000"), {"rules": BaselRules()}),
    "Bucket": Spec(Bucket, ("late", 1, 30, "late", "逾期"), {}),
    "BucketScheme": Spec(
        BucketScheme, ("mine", (Bucket("ok", 0, 0), Bucket("late", 1, None))), {"citation": "house"}
    ),
    "BucketScheme.from_bounds": Spec(BucketScheme.from_bounds, ("m", [("a", 0, 9), ("b", 10, None)]), {}),
    "BucketScheme.bucket": Spec(BucketScheme.cycles().bucket, (45,), {}),
    "BucketScheme.bucket_many": Spec(BucketScheme.dpd30().bucket_many, ([0, 45, 400],), {}),
    "BucketScheme.counts": Spec(BucketScheme.metro2().counts, ([0, 45],), {}),
    "BucketScheme.get": Spec(BucketScheme.cycles().get, ("M2",), {}),
    "ChinaRules": Spec(
        ChinaRules,
        (),
        {
            "substandard_after_days": 90,
            "doubtful_after_days": 270,
            "loss_after_days": 360,
            "restructured_floor": "关注",
            "upgrade_months": 6,
        },
    ),
    "classify_china": Spec(
        dq.classify_china,
        (30,),
        {
            "restructured": True,
            "override": "次级",
            "previous": "次级",
            "months_performing": 2,
            "rules": ChinaRules.credit_card_2011(),
        },
    ),
    "observation_period_end": Spec(dq.observation_period_end, (D,), {"period_months": 1, "rules": None}),
    "Classification": Spec(Classification, ("CN-5", FiveTier.LOSS, "X.1", "cite", "why", (("a", 1),)), {}),
    "worst": Spec(dq.worst, (FiveTier.NORMAL, FiveTier.LOSS), {}),
    "days_past_due": Spec(dq.days_past_due, (date(2024, 1, 15), D), {"grace_days": 5}),
    "FfiecRules": Spec(
        FfiecRules,
        (),
        {
            "substandard_days": 90,
            "loss_closed_end_days": 120,
            "loss_open_end_days": 180,
            "bankruptcy_charge_off_days": 60,
            "fraud_charge_off_days": 90,
        },
    ),
    "classify_ffiec": Spec(
        dq.classify_ffiec,
        (125,),
        {
            "as_of": D,
            "bankruptcy_notified_on": date(2024, 1, 2),
            "repossession_assured": True,
            "balance": "18250.40",
            "collateral_value": "14000",
            "cost_to_sell": "1150",
            "currency": "USD",
            "open_end": False,
        },
    ),
    "Ifrs9Rules": Spec(Ifrs9Rules, (), {"sicr_after_days": 30, "default_from_days": 90}),
    "classify_ifrs9": Spec(
        dq.classify_ifrs9, (45,), {"rebut_sicr": False, "previous": "stage_3", "months_since_cure": 1}
    ),
    "Metro2Record": Spec(
        Metro2Record,
        (D, Metro2Status.DPD_30, None, "0" + "B" * 23, date(2024, 3, 20), 41),
        {"zero_balance": False},
    ),
    "advance": Spec(
        dq.advance,
        (M2,),
        {
            "as_of": D,
            "days_past_due": 64,
            "charged_off": False,
            "paid_in_full": False,
            "zero_balance": False,
            "dofd_offset_days": 30,
        },
    ),
    "classify_metro2": Spec(dq.classify_metro2, (75,), {"voluntary_surrender": True, "paid_in_full": False}),
    "classify_metro2_many": Spec(dq.classify_metro2_many, ([0, 45, 200],), {}),
    "history_char": Spec(
        dq.history_char, (Metro2Status.PAID_OR_CLOSED,), {"zero_balance": False, "payment_rating": "1"}
    ),
    "PbocRecord": Spec(PbocRecord, (D, "NN12", Decimal("300.00"), "CNY"), {}),
    "PbocRecord.overdue_months": Spec(PB.overdue_months, (24,), {}),
    "PbocRecord.longest_run": Spec(PB.longest_run, (60,), {}),
    "advance_pboc": Spec(
        dq.advance_pboc,
        (PB,),
        {
            "as_of": D,
            "days_past_due": 64,
            "amount_past_due": "10",
            "currency": "CNY",
            "guarantor_paid": False,
        },
    ),
    "pboc_report": Spec(dq.pboc_report, (SNAPS,), {"previous": None}),
    "pboc_status": Spec(
        dq.pboc_status,
        (45,),
        {"paid_late": False, "charged_off": False, "guarantor_paid": False, "nothing_due": False},
    ),
    "TransitionMatrix": Spec(TransitionMatrix, (("a", "b"), ((1, 0), (0, 1)), None, 1), {"currency": "USD"}),
    "transition_matrix": Spec(
        dq.transition_matrix,
        ([0, 45, 100], [0, "paid_off", 130]),
        {
            "balances": ["10", "20.5", "30"],
            "scheme": "cycles",
            "currency": "CNY",
            "absorbing": ("paid_off", "charged_off"),
        },
    ),
    "VintageTable": Spec(VintageTable, (("2024Q1",), (2,), ((Decimal("0.5"),),), 30), {}),
    "vintage_curves": Spec(
        dq.vintage_curves,
        ([("a", "2024Q1", 1, 0), ("a", "2024Q1", 2, 40), ("b", "2024Q1", 1, "charged_off")],),
        {"threshold_days": 30, "bad_states": ("charged_off",), "cohort_sizes": {"2024Q1": 3}},
    ),
    "Timeline": Spec(Timeline, ([TimelineRow(VIEWS, M2, PB)],), {}),
    "TimelineRow": Spec(TimelineRow, (VIEWS, M2, PB), {}),
    "classify_timeline": Spec(
        dq.classify_timeline,
        (SNAPS,),
        {"rulebook": None, "previous_metro2": None, "dofd_offset_days": 30, "previous_pboc": None},
    ),
    "Rulebook": Spec(Rulebook, (), {"china": ChinaRules.retail_2023(), "cycles": BucketScheme.cycles()}),
    "Snapshot": Spec(
        Snapshot,
        (45,),
        {
            "as_of": D,
            "amount_past_due": "600",
            "balance": "15000",
            "currency": "EUR",
            "bankruptcy_notified_on": date(2024, 1, 2),
            "cn_override": "关注",
            "restructured": True,
            "charged_off": False,
            "paid_late": False,
            "days_delinquent": 40,
        },
    ),
    "StatusLike": Spec(lambda v: isinstance(v, dq.StatusLike), (VIEWS,), {}),
    "Views": Spec(
        Views,
        (
            VIEWS.snapshot,
            VIEWS.cycle,
            VIEWS.dpd30,
            VIEWS.china,
            VIEWS.ffiec,
            VIEWS.ifrs9,
            VIEWS.basel,
            VIEWS.metro2,
        ),
        {},
    ),
    "classify_all": Spec(
        dq.classify_all,
        (),
        {
            "days_past_due": 95,
            "balance": "18000",
            "amount_past_due": "1500",
            "currency": "EUR",
            "rulebook": None,
        },
    ),
    "classify_many": Spec(dq.classify_many, ([0, 45, 95, 400],), {"rulebook": None}),
    "classify_snapshot": Spec(
        dq.classify_snapshot, (Snapshot(95, as_of=D),), {"basel_previous": "defaulted", "basel_months": 1}
    ),
    "TransitionMatrix.rate": Spec(
        dq.transition_matrix([0, 45], [0, 0]).rate, ("current", "current"), {"by": "count"}
    ),
    "VintageTable.curve": Spec(dq.vintage_curves([("a", "q", 1, 0)]).curve, ("q",), {}),
}


def _hostile_value() -> st.SearchStrategy[Any]:
    return st.one_of(hostile(), hostile_numbers(), hostile_dates(), numpy_values())


#: Each callable gets a sixth of the profile's examples (CI: 33, the deep profile: 666): there are ~55.
PER_CALLABLE = settings(max_examples=max(10, settings().max_examples // 6))


@pytest.mark.parametrize("name", sorted(SPECS))
@PER_CALLABLE
@given(data=st.data())
def test_only_typed_errors(name: str, data: st.DataObject) -> None:
    spec = SPECS[name]
    slots: list[tuple[str, Any]] = [("arg", i) for i in range(len(spec.args))]
    slots += [("kw", k) for k in spec.kwargs]
    picked: set[tuple[str, Any]] = set()
    if slots:
        picked = data.draw(st.sets(st.sampled_from(slots), max_size=min(3, len(slots))), label="replaced")
    args = [data.draw(_hostile_value()) if ("arg", i) in picked else v for i, v in enumerate(spec.args)]
    kwargs = {k: data.draw(_hostile_value()) if ("kw", k) in picked else v for k, v in spec.kwargs.items()}
    result = call(spec.fn, *args, **kwargs)
    if not picked:
        assert not isinstance(result, AutoloanError), f"valid call of {name} failed: {result}"


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "as_of": st.one_of(st.dates(), hostile_dates()),
                "days_past_due": st.one_of(st.integers(0, 400), hostile()),
            },
            optional={
                "amount_past_due": st.one_of(st.just("99.50"), hostile_numbers()),
                "charged_off": st.one_of(st.booleans(), hostile()),
                "paid_late": st.booleans(),
                "guarantor_paid": st.booleans(),
                "restructured_first_due": st.one_of(st.dates(), hostile_dates()),
                "currency": st.sampled_from(["CNY", "USD", "JPY", "XXX", ""]),
            },
        ),
        max_size=6,
    )
)
def test_timeline_and_pboc_on_hostile_snapshots(snaps: list[dict[str, Any]]) -> None:
    timeline = call(dq.classify_timeline, snaps)
    report = call(dq.pboc_report, snaps)
    if isinstance(timeline, Timeline) and snaps:
        # the timeline's last 征信 record is the one pboc_report builds from the same input
        assert not isinstance(report, AutoloanError)
        assert timeline[-1].pboc == report


@given(st.lists(st.one_of(st.integers(0, 100_000), st.integers(), hostile_numbers()), max_size=8))
def test_columns_agree_with_scalars(days: list[Any]) -> None:
    cols = call(dq.classify_many, days)
    if isinstance(cols, AutoloanError):
        assert isinstance(cols, InvalidInput) and cols.field.startswith("days_past_due")
        return
    for k, d in enumerate(days):
        assert cols["cycle"][k] == BucketScheme.cycles().bucket(d)
        assert cols["china"][k] == dq.classify_china(d)
        assert cols["metro2"][k] == dq.classify_metro2(d)


# -- the exact inputs of issue 10 -------------------------------------------------------------------


def test_numpy_day_counts_work() -> None:
    np = pytest.importorskip("numpy")
    assert dq.classify_all(days_past_due=np.int64(45)).cycle.name == "M2"
    assert [b.name for b in dq.classify_many(np.array([0, 45]))["cycle"]] == ["M0", "M2"]
    assert dq.classify_all(days_past_due=np.int64(45)).snapshot.days_past_due.__class__ is int


def test_dataframe_apply_and_vintage_from_a_frame() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"loan_id": ["a", "a", "b"], "cohort": ["2024-01"] * 3, "mob": [1, 2, 1], "days_past_due": [0, 35, 0]}
    )
    names = frame["days_past_due"].apply(lambda d: dq.classify_all(days_past_due=d).cycle.name)
    assert names.tolist() == ["M0", "M2", "M0"]
    assert dq.vintage_curves(frame).curve("2024-01")[-1] == Decimal("0.500000")
    with pytest.raises(InvalidInput, match="loan_id, cohort, mob, days_past_due"):
        dq.vintage_curves(frame.rename(columns={"mob": "months"}))
    cols = dq.classify_many(pd.Series([0, 95]))
    assert [c.grade.label_zh for c in cols["china"]] == ["正常", "次级"]


@pytest.mark.parametrize(
    ("fn", "field"),
    [
        (lambda: dq.classify_timeline([{"as_of": date(1, 1, 31), "days_past_due": 400}]), "snapshots[0]"),
        (lambda: dq.classify_many(5), "days_past_due"),  # type: ignore[arg-type]
        (lambda: dq.classify_china(30, rules="x"), "rules"),  # type: ignore[arg-type]
        (lambda: dq.transition_matrix([], 5), "closing"),  # type: ignore[arg-type]
        (lambda: dq.vintage_curves(5), "observations"),  # type: ignore[arg-type]
        (lambda: dq.worst(1, 1), "grades[0]"),  # type: ignore[type-var]
        (lambda: BucketScheme("m", 7), "buckets"),  # type: ignore[arg-type]
        (lambda: dq.vintage_curves([("a", "q", 1, 0)], bad_states=[[]]), "bad_states"),  # type: ignore[list-item]
    ],
)
def test_issue10_inputs_raise_typed_errors_naming_the_field(fn: Callable[[], Any], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        fn()
    assert info.value.field.startswith(field)
