"""``book.classify`` classifies each distinct combination of inputs once; the result is still, row for
row, what ``classify_all`` says of that row (views, and errors with the row's place), for every table
kind and for bad cells. The grouped path must agree with a row-by-row reading of the same table.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autoloan.book.grades as grades
from autoloan import book
from autoloan.delinquency import classify_all
from autoloan.errors import InvalidInput

GOOD_DAYS = st.one_of(st.just(0), st.integers(0, 400), st.integers(0, 100_000))
BAD_DAYS = st.one_of(
    st.integers(-5, -1),
    st.integers(100_001, 2**40),
    st.sampled_from([None, 3.0, 0.0, -0.0, True, "7", Decimal("3"), Decimal("3.0")]),
)
CODES = st.sampled_from(["EUR", "USD", "CNY", "EUR", "eur", "XXX", None])


def _shown(value: Any) -> str | None:
    return None if value is None else str(value)


def _expected(row: dict[str, Any], i: int) -> tuple[dict[str, Any] | None, list[tuple[Any, ...]]]:
    """What classify_all says of one row read as ``book.classify`` documents it."""
    status = SimpleNamespace(days_past_due=row["days_past_due"])
    if row.get("days_delinquent") is not None:
        status.days_delinquent = row["days_delinquent"]
    code = row.get("currency")
    if code is not None:
        status.currency = code
    if isinstance(code, str) and code == "EUR":  # the default rulebook's materiality currency
        for name in ("amount_past_due", "principal_balance"):
            v = row.get(name)
            status.__dict__[name] = Decimal(v).scaleb(-2) if type(v) is int else v
    try:
        views = classify_all(status)
    except InvalidInput as exc:
        return None, [
            (i, row["loan_id"], str(e.path[0]) if e.path else e.field, e.reason, _shown(e.value))
            for e in exc.errors
        ]
    return grades.view_row(views), []


@st.composite
def tables(draw: st.DrawFn) -> dict[str, list[Any]]:
    n = draw(st.integers(1, 40))
    bad = draw(st.booleans())
    days = st.one_of(GOOD_DAYS, BAD_DAYS) if bad else GOOD_DAYS
    # few distinct values, as in a real book: rows repeat a small pool
    pool = draw(st.lists(st.tuples(days, st.one_of(st.none(), days), CODES), min_size=1, max_size=6))
    picks = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    cols: dict[str, list[Any]] = {
        "loan_id": [f"L{i}" for i in range(n)],
        "days_past_due": [p[0] for p in picks],
        "days_delinquent": [p[1] for p in picks],
        "currency": [p[2] for p in picks],
    }
    if draw(st.booleans()):
        money = st.integers(0, 10**6) if draw(st.booleans()) else st.decimals(0, 10**4, places=2)
        amounts = draw(st.lists(st.tuples(money, money), min_size=1, max_size=3))
        chosen = draw(st.lists(st.sampled_from(amounts), min_size=n, max_size=n))
        cols["amount_past_due"] = [a for a, _ in chosen]
        cols["principal_balance"] = [b for _, b in chosen]
    if not draw(st.booleans()):
        del cols["days_delinquent"]
    return cols


def _kind(cols: dict[str, list[Any]], kind: str) -> Any:
    if kind == "mapping":
        return cols
    if kind == "numpy":  # integer columns as int64 arrays: the numpy lane
        return {k: np.array(v) if set(map(type, v)) == {int} else v for k, v in cols.items()}
    if kind == "pandas":  # object columns keep the cells as written (no int -> float for a None)
        return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in cols.items()})
    if any(len(set(map(type, v)) - {type(None)}) > 1 or float in map(type, v) for v in cols.values()):
        return None  # Arrow would turn the cells into one type: not the table written here
    try:
        return pa.table({k: pa.array(v) for k, v in cols.items()})
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None


def _rows(result: Any) -> list[dict[str, Any]]:
    if isinstance(result, pa.Table):
        return result.to_pylist()
    if isinstance(result, pd.DataFrame):
        return [
            {k: (int(v) if k == "days_past_due" else v) for k, v in r.items()}
            for r in result.to_dict("records")
        ]
    return [dict(zip(result, r, strict=True)) for r in zip(*result.values(), strict=True)]


@pytest.mark.parametrize("kind", ["mapping", "numpy", "pandas", "arrow"])
@given(cols=tables())
def test_grouped_classify_is_classify_all_row_by_row(kind: str, cols: dict[str, list[Any]]) -> None:
    table = _kind(cols, kind)
    if table is None:
        return
    n = len(cols["loan_id"])
    rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
    want_ok: list[dict[str, Any]] = []
    want_bad: list[tuple[Any, ...]] = []
    for i, row in enumerate(rows):
        got, errs = _expected(row, i)
        if got is not None:
            want_ok.append({"loan_id": row["loan_id"], **got})
        want_bad += errs
    ok, errors = book.classify(table, errors="collect")
    assert _rows(ok) == want_ok
    err_rows = _rows(errors)
    assert [(r["row"], r["loan_id"], r["column"], r["reason"], r["value"]) for r in err_rows] == want_bad
    if want_bad:
        with pytest.raises(InvalidInput) as raised:
            book.classify(table)
        assert [(e.field, e.reason) for e in raised.value.errors] == [
            (f"statuses[{i}].{col}", reason) for i, _id, col, reason, _value in want_bad
        ]


def test_each_distinct_combination_is_classified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []

    def counting(status: Any, **kw: Any) -> Any:
        calls.append(status)
        return classify_all(status, **kw)

    monkeypatch.setattr(grades, "classify_all", counting)
    n = 3000
    days = [(i * 7) % 50 for i in range(n)]
    codes = ["USD" if i % 3 else "CNY" for i in range(n)]
    for table in (
        {"loan_id": list(range(n)), "days_past_due": days, "currency": codes},
        {"loan_id": list(range(n)), "days_past_due": np.array(days), "currency": codes},
        pa.table({"loan_id": list(range(n)), "days_past_due": days, "currency": codes}),
    ):
        calls.clear()
        out = book.classify(table)
        assert len(calls) == len(set(zip(days, codes, strict=True)))  # not one per row
        assert len(out["loan_id"]) == n
    # a bad group is still reported on every one of its rows
    calls.clear()
    ok, errors = book.classify(
        {"loan_id": list(range(n)), "days_past_due": [-1 if i % 2 else 5 for i in range(n)]}, errors="collect"
    )
    assert len(calls) == 2 and len(ok["loan_id"]) == n // 2 and errors["row"] == list(range(1, n, 2))


def test_equal_bad_cells_are_each_shown_as_written() -> None:
    # 0.0 == -0.0 and Decimal("3") == Decimal("3.0"): one group each, but every row names its own value
    days = [0.0, -0.0, Decimal("3"), Decimal("3.0"), 5]
    for table in (
        {"loan_id": list("ABCDE"), "days_past_due": days},
        pd.DataFrame({"loan_id": list("ABCDE"), "days_past_due": pd.Series(days, dtype=object)}),
    ):
        ok, errors = book.classify(table, errors="collect")
        assert list(errors["value"]) == ["0.0", "-0.0", "3", "3.0"]
        assert list(ok["loan_id"]) == ["E"]


_LATE = None


def _late_rulebook() -> Any:
    """A rule set whose last threshold is past the precomputed tables (the non-table lookup path)."""
    global _LATE
    if _LATE is None:
        from autoloan.delinquency import ChinaRules, Rulebook

        _LATE = Rulebook(china=ChinaRules(loss_after_days=50_000))
    return _LATE


@given(
    days=st.lists(st.one_of(st.integers(0, 400), st.integers(0, 100_000)), max_size=60),
    dtype=st.sampled_from(["int64", "int32", "uint32", "series"]),
    late=st.booleans(),
)
def test_classify_many_numpy_column_is_the_list_column(days: list[int], dtype: str, late: bool) -> None:
    # numpy columns are looked up in numpy: the very same result objects as for the list
    from autoloan.delinquency import classify_many

    arr = pd.Series(days, dtype="int64") if dtype == "series" else np.array(days, dtype=dtype)
    rulebook = _late_rulebook() if late else None
    want = classify_many(days, rulebook=rulebook)
    got = classify_many(arr, rulebook=rulebook)
    assert want.keys() == got.keys()
    for view in want:
        assert type(got[view]) is list and len(got[view]) == len(days)
        assert all(a is b for a, b in zip(want[view], got[view], strict=True)), view


@given(days=st.lists(st.one_of(st.integers(-3, 400), st.integers(99_999, 100_002)), min_size=1, max_size=30))
def test_classify_many_numpy_column_errors_are_the_list_errors(days: list[int]) -> None:
    from autoloan.delinquency import classify_many

    def outcome(column: Any) -> Any:
        try:
            return [c.grade.value for c in classify_many(column)["china"]]
        except InvalidInput as exc:
            return (exc.field, exc.reason, str(exc.value))

    assert outcome(np.array(days)) == outcome(days)
