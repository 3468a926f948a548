"""autoloan.plot: each picture is rendered with the Agg backend and checked on its artists — the line
data equal the schedule's columns, the heatmap cells equal the matrix — not merely "a figure exists"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import autoloan as al  # noqa: E402
from autoloan import plot  # noqa: E402
from autoloan.delinquency import BucketScheme, transition_matrix, vintage_curves  # noqa: E402
from autoloan.errors import InvalidInput  # noqa: E402
from autoloan.servicing import Payment, account_status  # noqa: E402

CAR = al.LoanTerms(principal=150000, annual_rate="0.0435", term=24, start=date(2026, 1, 15), currency="CNY")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def _y(line: Any) -> list[float]:
    return [float(v) for v in line.get_ydata()]


def test_schedule_balance_line_is_the_balance_column() -> None:
    s = al.amortize(CAR)
    ax = plot.schedule_balance(s)
    (line,) = ax.lines
    assert _y(line) == [150000.0, *(float(i.balance) for i in s)]
    assert list(line.get_xdata()) == [CAR.start, *(i.due_date for i in s)]
    assert _y(line)[-1] == 0.0


def test_payment_split_bars_are_principal_and_interest() -> None:
    s = al.amortize(CAR.replace(method="equal_principal"))
    ax = plot.payment_split(s)
    principal, interest = ax.containers
    assert [b.get_height() for b in principal] == [float(i.principal) for i in s]
    assert [b.get_height() for b in interest] == pytest.approx([float(i.interest) for i in s], abs=1e-9)
    assert [b.get_y() for b in interest] == [float(i.principal) for i in s]  # stacked on principal
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["principal", "interest"]


def test_payment_split_shows_fees_when_there_are_any() -> None:
    fee = al.Fee("service", 60, financed=False) if hasattr(al, "Fee") else None
    s = al.amortize(CAR.replace(fees=(fee,))) if fee is not None else al.amortize(CAR)
    ax = plot.payment_split(s)
    assert len(ax.containers) == (3 if s.total_fees else 2)


def test_compare_methods_one_line_per_schedule_with_total_interest() -> None:
    annuity, principal = al.amortize(CAR), al.amortize(CAR.replace(method="equal_principal"))
    ax = plot.compare_methods([annuity, principal])
    assert [_y(line) for line in ax.lines] == [
        [float(i.payment) for i in annuity],
        [float(i.payment) for i in principal],
    ]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"{annuity.total_interest:,}" in legend[0] and f"{principal.total_interest:,}" in legend[1]
    assert principal.total_interest < annuity.total_interest  # 等额本金 costs less interest
    ax = plot.compare_methods([annuity], column="balance", labels=["等额本息"])
    assert _y(ax.lines[0]) == [float(i.balance) for i in annuity]


@pytest.mark.parametrize(
    "call",
    [
        lambda: plot.compare_methods([]),
        lambda: plot.compare_methods([al.amortize(CAR)], column="nope"),
        lambda: plot.compare_methods([al.amortize(CAR)], labels=["a", "b"]),
        lambda: plot.compare_methods(["not a schedule"]),
        lambda: plot.schedule_balance(CAR),
        lambda: plot.payment_split(None),
        lambda: plot.schedule_balance(al.amortize(CAR), ax="not an axes"),
        lambda: plot.transition_heatmap([[1]]),
        lambda: plot.vintages({}),
        lambda: plot.cure_curves({}),
        lambda: plot.cure_curves({"champion": "0.1"}),
        lambda: plot.cure_curves({"champion": ["x"]}),
        lambda: plot.account_timeline(CAR, end=CAR.start),
        lambda: plot.account_timeline(CAR, ["100"], end=date(2026, 3, 1)),
        lambda: plot.account_timeline("terms", end=date(2026, 3, 1)),
        lambda: plot.account_timeline(CAR, end=date(2046, 3, 1)),
        lambda: plot.dpd_history([]),
        lambda: plot.dpd_history([(date(2026, 1, 31), -1)]),
        lambda: plot.dpd_history([(date(2026, 1, 31), 1.5)]),
        lambda: plot.dpd_history([("2026-01-31", 3)]),
        lambda: plot.dpd_history([(date(2026, 1, 31),)]),
        lambda: plot.dpd_history([(date(2026, 1, 31), 3)], scheme="cycles"),
        lambda: plot.grade_counts(5),
        lambda: plot.grade_counts(["M0"], order="M0"),
    ],
)
def test_bad_input_is_a_typed_error(call: Any) -> None:
    with pytest.raises(InvalidInput):
        call()


def test_draws_on_the_axes_given() -> None:
    _fig, (left, right) = plt.subplots(1, 2)
    s = al.amortize(CAR)
    assert plot.schedule_balance(s, ax=left) is left
    assert plot.payment_split(s, ax=right) is right
    assert len(left.lines) == 1 and len(right.containers) == 2


class _Action:
    def __init__(self, kind: str, at: datetime) -> None:
        self.kind, self.at = kind, at


class _Run:
    """Duck-typed stand-in for a policy simulation ``Run``."""

    def __init__(self, payments: list[Payment]) -> None:
        tz = ZoneInfo("Asia/Shanghai")
        self.payments = payments
        self.stage_entries = [(datetime(2026, 4, 16, 9, tzinfo=tz), "early"), (date(2026, 5, 20), "deep")]
        self.actions = [
            _Action("sms", datetime(2026, 4, 16, 9, tzinfo=tz)),
            _Action("call", datetime(2026, 4, 18, 10, tzinfo=tz)),
            _Action("call", datetime(2026, 4, 20, 10, tzinfo=tz)),
        ]


def test_account_timeline_dpd_scheduled_paid_actions_and_stages() -> None:
    s = al.amortize(CAR)
    paid = [Payment(i.due_date, i.payment) for i in s[:2]]
    end = date(2026, 6, 30)
    fig = plot.account_timeline(CAR, end=end, run=_Run(paid))
    top, bottom = fig.axes[:2]
    days = [CAR.start + timedelta(days=k) for k in range((end - CAR.start).days + 1)]
    dpd_line = bottom.lines[0]
    assert list(dpd_line.get_xdata()) == days
    assert _y(dpd_line) == [float(account_status(CAR, paid, d).days_past_due) for d in days]
    scheduled, received, markers = top.lines[:3]
    assert _y(scheduled)[-1] == float(sum(i.payment for i in s if i.due_date <= end))
    assert _y(received)[-1] == float(sum(p.amount for p in paid))
    assert list(markers.get_xdata()) == [p.date for p in paid]
    kinds = {line.get_label(): line for line in bottom.lines[1:]}
    assert set(kinds) == {"sms", "call"} and len(kinds["call"].get_xdata()) == 2
    assert [float(v) for v in kinds["call"].get_ydata()] == [
        float(account_status(CAR, paid, d).days_past_due) for d in (date(2026, 4, 18), date(2026, 4, 20))
    ]
    stage_labels = [t.get_text().strip() for t in bottom.texts]
    assert "early" in stage_labels and "deep" in stage_labels
    bucket_labels = {t.get_text() for t in bottom.texts}
    assert {"M0", "M1", "M2"} <= bucket_labels  # the DPD reaches M2 (75 days on June 30)
    assert "M4" not in bucket_labels


def test_account_timeline_with_actions_and_a_scheme_and_own_axes() -> None:
    fig, axes = plt.subplots(2, 1)
    paid = [Payment(date(2026, 2, 15), "6000")]
    tz = ZoneInfo("Asia/Shanghai")
    out = plot.account_timeline(
        CAR,
        paid,
        start=date(2026, 2, 1),
        end=date(2026, 4, 1),
        scheme=BucketScheme.dpd30(),
        actions=[_Action("visit", datetime(2026, 3, 20, 10, tzinfo=tz))],
        ax=axes,
    )
    assert out is fig and len(axes[1].lines) == 2


def test_dpd_history_line_is_the_snapshots_in_date_order_over_the_bands() -> None:
    points = [(date(2026, 3, 31), 59), (date(2026, 1, 31), 0), (datetime(2026, 2, 28, 23), 28)]
    ax = plot.dpd_history(points)
    line = ax.lines[0]
    assert _y(line) == [0.0, 28.0, 59.0]
    assert [matplotlib.dates.num2date(x).date() for x in line.get_xdata(orig=False)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    names = [t.get_text() for t in ax.texts]
    assert names == ["M0", "M1", "M2"]  # the bands up to 59 days: M0 is 0, M1 1-29, M2 30-59
    single = plot.dpd_history([(date(2026, 1, 31), 95)], scheme=BucketScheme.cycles())
    assert _y(single.lines[0]) == [95.0] and "M4" in [t.get_text() for t in single.texts]


def test_grade_counts_bars_count_each_grade_in_order() -> None:
    ax = plot.grade_counts(["M1", "M0", None, "M0", "M9"], order=["M0", "M1", "M2"])
    assert [p.get_height() for p in ax.patches] == [2, 1, 0, 1, 1]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["M0", "M1", "M2", "(none)", "M9"]


def test_transition_heatmap_cells_equal_the_matrix() -> None:
    m = transition_matrix([0, 0, 0, 35, 35, 65], [0, 35, 0, 0, 65, "charged_off"], balances=list("123456"))
    ax = plot.transition_heatmap(m)
    cells = ax.images[0].get_array()
    assert cells.tolist() == [[float(v) for v in row] for row in m.counts]
    ax = plot.transition_heatmap(m, percent=True)
    expected = [[None if r is None else float(r * 100) for r in row] for row in m.rates()]
    got = ax.images[0].get_array().tolist()
    for g_row, e_row in zip(got, expected, strict=True):
        for g, e in zip(g_row, e_row, strict=True):
            assert (g is None or g != g) if e is None else g == e
    ax = plot.transition_heatmap(m, by="balance")
    assert m.balances is not None
    assert ax.images[0].get_array().tolist() == [[float(v) for v in row] for row in m.balances]
    assert ax.images[0].get_array().tolist()[0][:3] == [4.0, 0.0, 2.0]  # 1 + 3 stayed current, 2 rolled
    assert [t.get_text() for t in ax.get_xticklabels()] == list(m.states)
    with pytest.raises(InvalidInput):
        plot.transition_heatmap(transition_matrix([0], [0]), by="balance")


def test_vintage_curves_lines_equal_the_table() -> None:
    obs = [
        ("a", "2024-01", 0, 0),
        ("a", "2024-01", 1, 35),
        ("b", "2024-01", 0, 0),
        ("b", "2024-01", 1, 0),
        ("c", "2024-02", 0, 0),
    ]
    t = vintage_curves(obs, threshold_days=30)
    ax = plot.vintages(t)
    assert len(ax.lines) == len(t.cohorts)
    for line, rates in zip(ax.lines, t.rates, strict=True):
        assert _y(line) == [float(r * 100) for r in rates if r is not None]


def test_cure_curves_champion_solid_challenger_dashed() -> None:
    ax = plot.cure_curves({"champion": ["0.1", "0.2", None], "challenger": [Decimal("0.15"), 0.3, 0.4]})
    champion, challenger = ax.lines
    assert _y(champion)[:2] == [10.0, 20.0] and _y(champion)[2] != _y(champion)[2]
    assert _y(challenger) == [15.0, 30.0, 40.0]
    assert champion.get_linestyle() == "-" and challenger.get_linestyle() == "--"

    class Result:  # a portfolio-simulation result exposing its curves
        def cure_curves(self) -> dict[str, list[str]]:
            return {"champion": ["0.5"]}

    assert _y(plot.cure_curves(Result()).lines[0]) == [50.0]


def test_plot_never_writes_or_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: called.append("show"))
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda *a, **k: called.append("savefig"))
    s = al.amortize(CAR)
    plot.schedule_balance(s)
    plot.compare_methods([s])
    plot.account_timeline(CAR, end=date(2026, 3, 1))
    assert called == []


def test_without_matplotlib_the_error_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None; sys.modules['matplotlib.pyplot'] = None\n"
        "import datetime, autoloan as al, autoloan.plot as p\n"
        "t = al.LoanTerms(principal=100, annual_rate=0, term=2, start=datetime.date(2026, 1, 1))\n"
        "s = al.amortize(t)\n"
        "try:\n    p.schedule_balance(s)\nexcept ImportError as e:\n    sys.stdout.write(str(e))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'autoloan[plot]'" in result.stdout


# --- fuzz: hostile values give a typed error (or a picture), never a bare exception ---------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzzkit import call, hostile  # noqa: E402

_SCHEDULE = al.amortize(CAR)


@settings(max_examples=60, deadline=None)
@given(value=hostile(), which=st.sampled_from(range(11)))
def test_fuzz_plot_functions(value: Any, which: int) -> None:
    calls = [
        lambda: plot.schedule_balance(value),
        lambda: plot.payment_split(value),
        lambda: plot.compare_methods(value),
        lambda: plot.compare_methods([_SCHEDULE], column=value),
        lambda: plot.transition_heatmap(value),
        lambda: plot.vintages(value),
        lambda: plot.cure_curves(value),
        lambda: plot.account_timeline(CAR, value, end=date(2026, 3, 1)),
        lambda: plot.dpd_history(value),
        lambda: plot.grade_counts(value),
        lambda: plot.grade_counts(["M0"], order=value),
    ]
    call(calls[which])
    plt.close("all")


def test_cure_curves_from_a_book_simulation_result() -> None:
    may = transition_matrix([0, 15, 15, 15, 15], [0, 0, 0, 15, 45])  # 2 of 4 in 1-29 cure
    june = transition_matrix([15, 15, 15], [0, 15, 45])  # 1 of 3 cures

    class BookRun:
        def __init__(self) -> None:
            self.transitions = {"champion": [may, june], "challenger": [june, may]}

    ax = plot.cure_curves(BookRun())
    third = float(Decimal(1) / 3 * 100)
    champion, challenger = (_y(line) for line in ax.lines)
    assert champion == pytest.approx([50.0, third], abs=1e-3)
    assert challenger == pytest.approx([third, 50.0], abs=1e-3)
    assert may.cure_rates()["1-29"] == Decimal("0.5")

    class Bad:
        def __init__(self) -> None:
            self.transitions = {"champion": ["x"]}

    with pytest.raises(InvalidInput):
        plot.cure_curves(Bad())
