"""Notebook and terminal views: ``_repr_html_``, readable ``repr``/``str`` and ``to_pandas()`` of results.

The rendering lives in ``autoloan._html``; result classes delegate to it with one-line methods.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autoloan as al
from autoloan._html import (
    MAX_ROWS,
    cell,
    html_fields,
    html_table,
    render_html,
    render_repr,
    render_text,
    rows_of,
    text_table,
    to_pandas,
)
from autoloan.compliance import Action, Borrower, check
from autoloan.delinquency import classify_all, transition_matrix, vintage_curves
from autoloan.servicing import Payment, account_status

CAR = al.LoanTerms(principal=150000, annual_rate="0.0435", term=12, start=date(2026, 1, 15), currency="CNY")
NY = ZoneInfo("America/New_York")


def _status() -> Any:
    return account_status(CAR, [Payment(date(2026, 2, 15), "12812.88")], date(2026, 4, 20))


def _verdict() -> Any:
    return check(
        Action("call", datetime(2026, 3, 2, 7, 30, tzinfo=NY), debt_id="L1"),
        history=[],
        borrower=Borrower("US", timezones=("America/New_York",)),
    )


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", html)


# --- building blocks ----------------------------------------------------------------------------------


def test_cell_formats_money_dates_enums_and_none() -> None:
    assert cell(Decimal("1234.50")) == "1,234.50"
    assert cell(Decimal("-0.01")) == "-0.01"
    assert cell(date(2026, 1, 15)) == "2026-01-15"
    assert cell(datetime(2026, 1, 15, 9, 30, tzinfo=NY)) == "2026-01-15T09:30:00-05:00"
    assert cell(al.Method.ANNUITY) == "annuity"
    assert cell(None) == "" and cell(False) == "no" and cell(12345) == "12,345" and cell(7) == "7"


def test_html_table_escapes_and_aligns() -> None:
    table = html_table([{"name": "<script>", "amount": Decimal("5")}, {"name": "a&b"}], caption="<T>")
    assert "<script>" not in table.replace("<style>", "") and "&lt;script&gt;" in table
    assert "&lt;T&gt;" in table and "a&amp;b" in table
    assert '<td class="n">5</td>' in table
    assert _cells(table) == ["&lt;script&gt;", "5", "a&amp;b", ""]  # a missing key is an empty cell


@given(st.integers(min_value=0, max_value=3 * MAX_ROWS))
def test_html_table_truncates_long_tables(n: int) -> None:
    rows = [{"i": k} for k in range(n)]
    table = html_table(rows)
    body = _cells(table)
    if n <= MAX_ROWS:
        assert body == [str(k) for k in range(n)]
    else:
        half = MAX_ROWS // 2
        assert body[:half] == [str(k) for k in range(half)]
        assert body[-half:] == [str(k) for k in range(n - half, n)]
        assert f"… {n - 2 * half} more rows …" in table


def test_text_table_aligns_chinese_by_display_width() -> None:
    text = text_table([{"级别": "次级", "n": 5}, {"级别": "正常", "n": 12}], title="五级分类")
    lines = text.splitlines()
    assert lines[0] == "五级分类"
    assert lines[1] == "级别   n"
    assert lines[3].endswith(" 5") and lines[4].endswith("12")
    assert text_table([], columns=("a",)).splitlines() == ["a", "-"]


def test_html_fields_bilingual() -> None:
    out = html_fields([("days past due", "逾期天数", 36)], caption="S")
    assert _cells(out) == ["days past due", "逾期天数", "36"]


# --- per result ---------------------------------------------------------------------------------------


def test_account_status_views() -> None:
    s = _status()
    html = render_html(s)
    cells = _cells(html)
    for label, value in (
        ("逾期天数", s.days_past_due),
        ("逾期金额", s.amount_past_due),
        ("罚息", s.penalty_past_due),
        ("提前结清金额", s.payoff_amount),
    ):
        assert cells[cells.index(label) + 1] == cell(value)
    assert f"{len(s.installments)} installments" in html  # the installments in a collapsible table
    text = render_text(s)
    assert "days past due" in text and "36" in text and "2026-04-20" in text
    assert render_repr(s) == (
        f"<AccountStatus as of 2026-04-20: 36 days past due, CNY {s.amount_past_due:,} past due, "
        f"balance {s.principal_balance:,}>"
    )
    rows = rows_of(s)
    assert [r["number"] for r in rows] == list(range(1, 13)) and rows[0]["paid"] == Decimal("12796.49")


def test_views_html_lists_every_view() -> None:
    v = classify_all(days_past_due=95)
    html = render_html(v)
    for row in v.to_rows():
        assert html.count(f"<td>{row['grade']}</td>") >= 1
        assert row["label_zh"] in html
    assert render_repr(v).startswith("<Views 95 days past due: M4, 90-119, substandard")


def test_verdict_html_shows_the_rule_and_when() -> None:
    v = _verdict()
    html = render_html(v)
    assert "BLOCKED" in html and "2026-03-02T08:00:00-05:00" in html
    for f in v.findings:
        assert f.rule_id in html and f.citation.split(";")[0] in html
    assert [r["rule_id"] for r in rows_of(v)] == [f.rule_id for f in v.findings]
    ok = check(
        Action("call", datetime(2026, 3, 2, 10, 0, tzinfo=NY), debt_id="L1"),
        history=[],
        borrower=Borrower("US", timezones=("America/New_York",)),
    )
    assert "ALLOWED" in render_html(ok)


def test_transition_matrix_html_cells() -> None:
    m = transition_matrix([0, 0, 0, 35], [0, 35, 0, "charged_off"])
    html = render_html(m)
    assert "2 (66.7%)" in html and "1 (33.3%)" in html and "1 (100.0%)" in html
    assert render_repr(m) == f"<TransitionMatrix {len(m.states)} states, 4 accounts>"
    assert rows_of(m) == m.to_rows()


def test_vintage_table_html_in_percent() -> None:
    t = vintage_curves(
        [("a", "2024-01", 0, 0), ("a", "2024-01", 1, 95), ("b", "2024-01", 1, 0)], threshold_days=90
    )
    html = render_html(t)
    assert "50.0%" in html and "0.0%" in html and "2024-01" in html
    assert render_repr(t) == "<VintageTable 1 cohorts, MOB 0–1, threshold 90 days>"


class _Stage:
    id, label_zh = "early", "初次催收"


class _PlannedAction:
    def __init__(self, kind: str) -> None:
        self.kind, self.at, self.stage_id = kind, datetime(2026, 3, 2, 9, tzinfo=NY), "early"
        self.treatment_id, self.reason = "t1", "dpd 3"


class Decision:  # duck-typed like autoloan.policy.Decision
    stage, segment, arm = _Stage(), "default", "champion"
    next_review_at = datetime(2026, 3, 3, 9, tzinfo=NY)
    actions = (_PlannedAction("sms"), _PlannedAction("call"))
    suppressed = ({"treatment": "visit", "reason": "hold: dispute"},)
    offers = ()


class Run:  # duck-typed like autoloan.policy.Run
    stage_entries = ((date(2026, 3, 1), "early"), (date(2026, 4, 1), "deep"))
    blocked_executed = 0

    def to_rows(self) -> list[dict[str, Any]]:
        return [{"day": date(2026, 3, 1), "event": "sms"}]


def test_policy_decision_and_run_by_duck_typing() -> None:
    html = render_html(Decision())
    assert "early 初次催收" in html and "champion" in html and "hold: dispute" in html
    assert _cells(html).count("sms") == 1 and "2026-03-02T09:00:00-05:00" in html
    run = render_html(Run())
    assert "deep" in run and "blocked actions executed" in run and "<td>sms</td>" in run


def test_unknown_objects_fall_back() -> None:
    class Thing:
        def to_dict(self) -> dict[str, Any]:
            return {"a": 1}

    assert _cells(render_html(Thing())) == ["a", "1"]
    assert render_html(object()).startswith("<pre>")
    assert render_repr(Thing()) == "<Thing>"
    assert render_text(Thing()).startswith("<")


def test_to_pandas_keeps_decimals() -> None:
    frame = to_pandas(_status(), index="number")
    assert list(frame.index) == list(range(1, 13))
    assert isinstance(frame.loc[1, "paid"], Decimal)  # money never becomes float
    views = to_pandas(classify_all(days_past_due=95), index="view")
    assert views.loc["China 五级分类", "label_zh"] == "次级"
    assert to_pandas([{"a": Decimal("1.10")}])["a"].tolist() == [Decimal("1.10")]
    assert to_pandas(object()).empty


def test_to_pandas_without_pandas_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from autoloan._html import to_pandas\n"
        "try:\n    to_pandas([{'a': 1}])\nexcept ImportError as e:\n    sys.stdout.write(str(e))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "pip install 'autoloan[pandas]'" in out


def test_real_policy_decision_and_run() -> None:
    from autoloan.policy import Behaviour, Case, Policy, simulate

    sh = ZoneInfo("Asia/Shanghai")
    paid = [Payment(date(2026, 2, 15), "12812.88")]
    status = account_status(CAR, paid, date(2026, 3, 20))
    borrower = Borrower("CN", timezones=("Asia/Shanghai",))
    policy = Policy.builtin("cn-auto")
    d = policy.decide(
        Case(account_id="L1", status=status, borrower=borrower), now=datetime(2026, 3, 20, 9, tzinfo=sh)
    )
    line = render_repr(d)
    assert (
        line.startswith(f"<Decision L1 at 2026-03-20T09:00:00+08:00: stage {d.stage.id}") and "\n" not in line
    )
    html = render_html(d)
    assert d.stage.label_zh in html and "决策依据" in html and all(t.split()[0] in html for t in d.trace if t)
    run = simulate(
        policy,
        CAR,
        borrower=borrower,
        start=CAR.start,
        end=date(2026, 4, 30),
        behaviour=Behaviour.scripted(payments=paid),
    )
    stages = " → ".join(s for _, s in run.stage_entries)
    assert render_repr(run) == (
        f"<Run {len(run.events)} events, stages {stages}, {len(run.actions)} actions, 0 blocked executed>"
    )
    html = render_html(run)
    assert "违规执行: 0" in html and html.count("<tr>") >= len(run.stage_entries) + min(len(run.events), 60)


# --- the result classes delegate to autoloan._html ----------------------------------------------------


def _decision_and_run() -> tuple[Any, Any]:
    from autoloan.policy import Behaviour, Case, Policy, simulate

    paid = [Payment(date(2026, 2, 15), "12812.88")]
    borrower = Borrower("CN", timezones=("Asia/Shanghai",))
    policy = Policy.builtin("cn-auto")
    case = Case(account_id="L1", status=account_status(CAR, paid, date(2026, 3, 20)), borrower=borrower)
    decision = policy.decide(case, now=datetime(2026, 3, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    run = simulate(
        policy,
        CAR,
        borrower=borrower,
        start=CAR.start,
        end=date(2026, 4, 30),
        behaviour=Behaviour.scripted(paid),
    )
    return decision, run


RESULTS: dict[str, Any] = {
    "Schedule": lambda: al.amortize(CAR),
    "AccountStatus": _status,
    "Views": lambda: classify_all(days_past_due=95),
    "Verdict": _verdict,
    "TransitionMatrix": lambda: transition_matrix([0, 0, 35], [0, 35, 0]),
    "VintageTable": lambda: vintage_curves(
        [("a", "2024-01", 0, 0), ("a", "2024-01", 1, 95)], threshold_days=90
    ),
    "Decision": lambda: _decision_and_run()[0],
    "Run": lambda: _decision_and_run()[1],
}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_results_show_as_tables_in_notebooks(name: str) -> None:
    obj = RESULTS[name]()
    assert type(obj).__name__ == name
    html = obj._repr_html_()
    assert "<table" in html and "</table>" in html
    line = repr(obj)
    assert "\n" not in line
    assert len(line) < 300, line  # readable: one line naming what matters, not a field dump
    assert str(obj).strip()
    if name not in {"Schedule"}:  # Schedule keeps its own renderer
        assert html == render_html(obj)


@pytest.mark.parametrize(
    "name", ["Schedule", "AccountStatus", "Views", "Verdict", "TransitionMatrix", "VintageTable"]
)
def test_tabular_results_have_to_pandas(name: str) -> None:
    frame = RESULTS[name]().to_pandas()
    assert len(frame) > 0


def test_class_views_agree_with_the_rendering_module() -> None:
    s = _status()
    assert repr(s) == render_repr(s) and str(s) == render_text(s)
    assert list(s.to_pandas().index) == [i.number for i in s.installments]
    v = classify_all(days_past_due=95)
    assert repr(v) == render_repr(v) and list(v.to_pandas().index) == [r["view"] for r in v.to_rows()]
    sched = al.amortize(CAR)
    frame = sched.to_pandas()
    assert list(frame.index) == [i.number for i in sched] and frame.loc[1, "payment"] == sched[0].payment
    verdict = _verdict()
    assert list(verdict.to_pandas()["rule_id"]) == [f.rule_id for f in verdict.findings]
