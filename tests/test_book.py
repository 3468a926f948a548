"""autoloan.book: statuses over tables (fast path == account_status), classify, errors, synthetic books."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autoloan.book.status as status_mod
from autoloan import book
from autoloan.book.schema import ERROR_COLUMNS, MONEY_STATUS_COLUMNS, STATUS_COLUMNS
from autoloan.book.status import terms_from_row
from autoloan.delinquency import classify_all
from autoloan.errors import InvalidInput
from autoloan.servicing import Payment, account_status

AS_OF = date(2026, 6, 30)
EMPTY_PAYMENTS: dict[str, list[Any]] = {"loan_id": [], "date": [], "amount": []}


def _expected(
    loans: dict[str, list[Any]], payments: dict[str, list[Any]], as_of: date
) -> list[dict[str, Any]]:
    """The per-account loop: LoanTerms + Payment objects + account_status, one loan at a time."""
    out = []
    for i, loan_id in enumerate(loans["loan_id"]):
        row = {name: values[i] for name, values in loans.items()}
        terms, rules = terms_from_row(row)
        pays = [
            Payment(
                payments["date"][r],
                payments["amount"][r],
                reference=payments.get("reference", [None] * len(payments["loan_id"]))[r],
            )
            for r in range(len(payments["loan_id"]))
            if payments["loan_id"][r] == loan_id
        ]
        s = account_status(terms, pays, as_of, rules=rules)
        rec = {name: getattr(s, name) for name in STATUS_COLUMNS[1:]}
        rec["loan_id"] = loan_id
        rec["partial_payment"] = s.partial_payment.value
        out.append(rec)
    return out


def _rows(table: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(table)
    return [dict(zip(names, values, strict=True)) for values in zip(*table.values(), strict=True)]


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    for name in STATUS_COLUMNS:
        g, w = got[name], want[name]
        assert g == w and type(g) is type(w) and str(g) == str(w), (got["loan_id"], name, g, w)


# -- the fast path equals account_status, field by field ---------------------------------------------

money_2 = st.integers(100_000, 50_000_000).map(lambda c: Decimal(c).scaleb(-2))
rates = st.one_of(
    st.sampled_from(["0", "0.0435", "0.06", "0.1299", "0.2399"]),
    st.integers(1, 3600).map(lambda b: str(Decimal(b).scaleb(-4))),
)


@st.composite
def books(draw: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]], date]:
    n = draw(st.integers(1, 6))
    loans: dict[str, list[Any]] = {
        k: []
        for k in (
            "loan_id",
            "principal",
            "annual_rate",
            "term",
            "start",
            "method",
            "currency",
            "servicing",
            "day_count",
            "balloon",
            "first_due",
        )
    }
    pays: dict[str, list[Any]] = {"loan_id": [], "date": [], "amount": [], "reference": []}
    for i in range(n):
        principal = draw(money_2)
        term = draw(st.sampled_from([1, 2, 6, 12, 24, 36, 60]))
        start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
        method = draw(st.sampled_from(["annuity"] * 6 + ["balloon", "equal_principal", "simple_interest"]))
        balloon = (
            principal // 4 if method == "balloon" or (method == "annuity" and draw(st.booleans())) else 0
        )
        if method == "balloon" and balloon == 0:
            balloon = Decimal("1.00")
        code = draw(st.sampled_from(["CNY", "CNY", "USD", "JPY"]))
        if code == "JPY":
            principal = principal.to_integral_value()
            balloon = Decimal(balloon).to_integral_value()
        loan_id = f"L{i}"
        loans["loan_id"].append(loan_id)
        loans["principal"].append(principal)
        loans["annual_rate"].append(draw(rates))
        loans["term"].append(term)
        loans["start"].append(start)
        loans["method"].append(method)
        loans["currency"].append(code)
        loans["servicing"].append(draw(st.sampled_from(["default"] * 5 + ["cn_bank"])))
        loans["day_count"].append(draw(st.sampled_from([None, "30/360", "ACT/365F", "ACT/360", "30E/360"])))
        loans["balloon"].append(balloon)
        loans["first_due"].append(
            draw(st.sampled_from([None, None, None, start + timedelta(days=20), start + timedelta(days=31)]))
        )
        terms, _ = terms_from_row({k: v[-1] for k, v in loans.items()})
        level = int(max(terms.principal / term, Decimal(1)) * 100) or 1
        digits = 0 if code == "JPY" else 2
        count = draw(st.integers(0, min(term + 2, 14)))
        for k in range(count):
            due = terms.due_dates()[min(k, term - 1)]
            when = due + timedelta(days=draw(st.integers(-20, 25)))
            if when < start:
                when = start
            cents = draw(st.sampled_from([level, level, level // 2, level * 3, level + 1]))
            amount = Decimal(max(cents, 1)).scaleb(-2).quantize(Decimal(1).scaleb(-digits))
            if amount <= 0:
                amount = Decimal(1)
            pays["loan_id"].append(loan_id)
            pays["date"].append(when)
            pays["amount"].append(amount)
            pays["reference"].append(draw(st.sampled_from([None, f"{loan_id}-{k}"])))
    as_of = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 2400)))
    return loans, pays, as_of


@settings(max_examples=150)
@given(books())
def test_fast_path_equals_account_status_field_by_field(case: Any) -> None:
    loans, pays, as_of = case
    want = _expected(loans, pays, as_of)
    got = _rows(book.statuses(loans, pays, as_of))
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        _same(g, w)


def test_the_property_reaches_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path answers most loans of a realistic book (so the property above tests it)."""
    calls: list[Any] = []
    real = status_mod.account_status

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(status_mod, "account_status", spy)
    loans, pays = book.synthetic(300, seed=3, as_of=AS_OF)
    out = book.statuses(loans, pays, AS_OF)
    assert len(out["loan_id"]) == 300
    assert len(calls) < 120  # cn_bank (罚息), 等额本金 and credit balances go the per-account way
    plain = {**loans, "servicing": ["default"] * 300, "method": ["annuity"] * 300}
    calls.clear()
    book.statuses(plain, pays, AS_OF)
    assert len(calls) < 15


def test_synthetic_books_fast_equals_slow() -> None:
    for mix in ("cn", "us", "mixed"):
        loans, pays = book.synthetic(400, seed=11, as_of=AS_OF, mix=mix)
        for as_of in (AS_OF, date(2026, 8, 15)):
            fast = book.statuses(loans, pays, as_of)
            slow = book.statuses(loans, pays, as_of, fast=False)
            assert fast == slow


def _edge_book(seed: int, n: int) -> tuple[dict[str, list[Any]], dict[str, list[Any]], date]:
    """A seeded book at the fast path's edges: tiny and huge principals, 0 to 1000 % rates, balloons,
    terms 1 to 480, payments short, level, 3x and beyond the whole schedule (credit balances)."""
    rng = random.Random(seed)
    as_of = date(2020, 1, 1) + timedelta(days=rng.randint(0, 3000))
    loans: dict[str, list[Any]] = {
        k: []
        for k in ("loan_id", "principal", "annual_rate", "term", "start", "currency", "day_count", "balloon")
    }
    pays: dict[str, list[Any]] = {"loan_id": [], "date": [], "amount": [], "reference": []}
    for i in range(n):
        code = rng.choice(["CNY", "USD", "JPY", "KWD"])
        digits = {"JPY": 0, "KWD": 3}.get(code, 2)
        units = rng.randint(1, 10 ** rng.choice([1, 2, 3, 5, 7, 9, 12, 14]))
        term = rng.choice([1, 2, 3, 12, 24, 36, 60, 84, 120, 360, 480])
        start = as_of - timedelta(days=rng.randint(-100, 31 * term + 200))
        loans["loan_id"].append(f"E{i}")
        loans["principal"].append(Decimal(units).scaleb(-digits))
        loans["annual_rate"].append(rng.choice(["0", "0.0001", "0.0435", "0.2399", "0.99", "0.12345", "1"]))
        loans["term"].append(term)
        loans["start"].append(start)
        loans["currency"].append(code)
        loans["day_count"].append(rng.choice([None, "30/360", "30E/360", "ACT/360", "ACT/365F"]))
        balloon = rng.randint(1, units - 1) if units > 1 and rng.random() < 0.25 else 0
        loans["balloon"].append(Decimal(balloon).scaleb(-digits))
        level = max(units // term, 1)
        for k in range(rng.randint(0, min(term + 3, 30))):
            pays["loan_id"].append(f"E{i}")
            pays["date"].append(start + timedelta(days=rng.randint(0, 31 * (k + 1) + 20)))
            amount = rng.choice([level, level, level + 1, level // 2 or 1, level * 3, units * 2])
            pays["amount"].append(Decimal(amount).scaleb(-digits))
            pays["reference"].append(rng.choice([None, f"E{i}-{k}"]))
    return loans, pays, as_of


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_equals_account_status_at_the_edges(seed: int) -> None:
    """Credit balances, early payoffs, zero and huge rates, balloons: fast path == account_status, and the
    vector path never gives up on the whole call (no fallback to the plain per-row loop)."""
    loans, pays, as_of = _edge_book(seed, 150)
    fast = book.statuses(loans, pays, as_of, errors="collect")
    slow = book.statuses(loans, pays, as_of, errors="collect", fast=False)
    assert fast.ok == slow.ok and fast.errors == slow.errors
    good = set(fast.ok["loan_id"])
    assert len(good) > 100
    keep = [i for i, v in enumerate(loans["loan_id"]) if v in good]
    sub = {k: [v[i] for i in keep] for k, v in loans.items()}
    want = {w["loan_id"]: w for w in _expected(sub, pays, as_of)}
    for g in _rows(fast.ok):
        _same(g, want[g["loan_id"]])


def test_credit_balances_stay_on_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    loans: dict[str, list[Any]] = {
        "loan_id": ["A"],
        "principal": ["1200"],
        "annual_rate": ["0.06"],
        "term": [3],
        "start": [date(2026, 1, 15)],
    }
    pays: dict[str, list[Any]] = {
        "loan_id": ["A", "A"],
        "date": [date(2026, 2, 15), date(2026, 3, 1)],
        "amount": ["1000", "500"],
    }
    want = _expected(loans, pays, AS_OF)[0]
    monkeypatch.setattr(status_mod, "account_status", None)  # the fast path alone answers
    got = _rows(book.statuses(loans, pays, AS_OF))[0]
    _same(got, want)
    assert got["credit_balance"] > 0 and got["payoff_amount"] == Decimal("0.00")


@pytest.mark.parametrize("kind", ["mapping", "pandas", "arrow"])
def test_no_whole_call_fallback_on_any_kind(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected error inside the vector path would silently re-run the call row by row (same numbers,
    30x slower): edge books of every input kind must not reach it."""
    real = status_mod._compute

    def no_fallback(*args: Any, **kwargs: Any) -> Any:
        assert kwargs.get("vector", True), "the vector path failed and the call was re-run row by row"
        return real(*args, **kwargs)

    monkeypatch.setattr(status_mod, "_compute", no_fallback)
    conv: Any = {"mapping": lambda t: t, "pandas": pd.DataFrame, "arrow": pa.table}[kind]
    for seed in (4, 5):
        loans, pays, as_of = _edge_book(seed, 80)
        book.statuses(conv(loans), conv(pays), as_of, errors="collect")
    loans, pays = book.synthetic(60, seed=9, as_of=AS_OF, mix="mixed")
    book.statuses(conv(loans), conv(pays), AS_OF)


@pytest.mark.parametrize("kind", ["mapping", "pandas", "arrow"])
def test_slices_of_the_book_give_the_same_table(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large book runs in slices of FAST_SLICE loans when its payments come grouped by loan: the same
    table, errors included (unknown ids between the groups, bad rows, slices without payments)."""
    conv: Any = {"mapping": lambda t: t, "pandas": pd.DataFrame, "arrow": pa.table}[kind]
    loans, pays = book.synthetic(90, seed=13, as_of=AS_OF, mix="mixed")
    pays = {k: [*v[:40], v[40], *v[40:]] for k, v in pays.items()}
    pays["loan_id"][40] = "NOPE"  # an unknown id between two groups
    pays["amount"][70] = Decimal("-5")  # a bad payment
    loans["term"][3] = 0  # a bad loan
    edge_loans, edge_pays, _ = _edge_book(21, 60)
    for lt, pt, as_of in ((loans, pays, AS_OF), (edge_loans, edge_pays, AS_OF)):
        whole = book.statuses(conv(lt), conv(pt), as_of, errors="collect")
        for size in (1, 7, 32):
            monkeypatch.setattr(status_mod, "FAST_SLICE", size)
            sliced = book.statuses(conv(lt), conv(pt), as_of, errors="collect")
            assert _to_lists(sliced.ok) == _to_lists(whole.ok)
            assert _to_lists(sliced.errors) == _to_lists(whole.errors)
        monkeypatch.setattr(status_mod, "FAST_SLICE", 32_768)


def _calls(loans: Any, pays: Any) -> int:
    """Python-level function calls (Python and C) made by one statuses call."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(tracer)
    try:
        book.statuses(loans, pays, AS_OF, money="minor")
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("kind", ["arrow", "pandas", "mapping"])
def test_fast_path_does_no_python_work_per_account_or_payment(kind: str) -> None:
    """Linearity, by operation count: the common book's work is whole-column numpy/Arrow operations, so
    the number of Python-level calls does not grow with the accounts (4x) or the payments per account
    (4x) -- no per-row loop anywhere; the column operations themselves are linear."""
    conv: Any = {"mapping": lambda t: t, "pandas": pd.DataFrame, "arrow": pa.table}[kind]

    def common(n: int, months: int) -> tuple[Any, Any]:
        loans, pays = book.synthetic(n, seed=2026, as_of=AS_OF, mix="cn", months_on_book=months)
        loans["servicing"] = ["default"] * n
        loans["method"] = ["annuity"] * n
        return conv(loans), conv(pays)

    base = _calls(*common(300, 6))
    assert _calls(*common(1200, 6)) < base * 1.3 + 200
    assert _calls(*common(300, 24)) < base * 1.3 + 200


def test_string_fingerprints_and_blanks() -> None:
    from autoloan.book._columns import string_scan

    rng = random.Random(7)
    values: list[str | None] = [
        "".join(rng.choice("ab0 \t\u3000\x1c-") for _ in range(rng.randint(0, 40))) for _ in range(3000)
    ]
    values += [
        None,
        "",
        " ",
        "L0000001",
        "L0000002",
        "REF-2026-000001-PAYMENT-X",
        "REF-2026-000002-PAYMENT-X",
    ]
    array = pa.array(values)
    hashes, blank = string_scan(array)
    assert blank.tolist() == [v is not None and not v.strip() for v in values]
    seen: dict[str, int] = {}
    for v, h in zip(values, hashes.tolist(), strict=True):
        if v is not None:
            assert seen.setdefault(v, h) == h  # equal strings, equal fingerprints
    assert len(set(seen.values())) == len(seen)  # and here no two different strings collide
    part_hashes, part_blank = string_scan(array.slice(11, 500))
    assert (part_hashes == hashes[11:511]).all() and (part_blank == blank[11:511]).all()


def test_mapping_columns_that_arrow_cannot_hold_are_read_the_general_way() -> None:
    loans = {
        "loan_id": ["A", "B", "C"],
        "principal": [Decimal("1200"), 1200, Decimal("1200")],  # mixed types
        "annual_rate": ["0.06", "0.06", "0.06"],
        "term": [12, 12, 12],
        "start": [date(2026, 1, 15), date(2026, 1, 15), datetime(2026, 1, 15, 0, 0)],  # a datetime
    }
    pays = {
        "loan_id": ["A", "B", "B"],
        "date": [date(2026, 2, 15)] * 3,
        "amount": [Decimal("103.28"), Decimal("103.2800"), Decimal("1.2345")],
    }
    for kind in (lambda t: t, pd.DataFrame):
        ok, errors = book.statuses(kind(loans), kind(pays), AS_OF, errors="collect")
        slow_ok, slow_errors = book.statuses(kind(loans), kind(pays), AS_OF, errors="collect", fast=False)
        assert _to_lists(ok) == _to_lists(slow_ok) and _to_lists(errors) == _to_lists(slow_errors)
        table = _to_lists(errors)
        assert ("payments", 2) in set(zip(table["table"], table["row"], strict=True))  # 4 decimals
        assert "A" in list(_to_lists(ok)["loan_id"])


# -- table kinds --------------------------------------------------------------------------------------


def _to_lists(table: Any) -> dict[str, list[Any]]:
    if isinstance(table, pa.Table):
        return {name: table.column(name).to_pylist() for name in table.column_names}
    if isinstance(table, pd.DataFrame):
        return {name: [None if v is pd.NA else v for v in table[name].tolist()] for name in table.columns}
    return table


def test_same_kind_out_and_the_same_numbers() -> None:
    loans, pays = book.synthetic(120, seed=5, as_of=AS_OF, mix="mixed")
    base = book.statuses(loans, pays, AS_OF)
    arrow = book.statuses(pa.table(loans), pa.table(pays), AS_OF)
    frame = book.statuses(pd.DataFrame(loans), pd.DataFrame(pays), AS_OF)
    assert isinstance(arrow, pa.Table) and isinstance(frame, pd.DataFrame)
    assert isinstance(base, dict)
    for other in (arrow, frame):
        got = _to_lists(other)
        assert list(got) == list(STATUS_COLUMNS)
        for name in STATUS_COLUMNS:
            assert got[name] == base[name], name
    assert str(arrow.schema.field("payoff_amount").type) == "decimal128(38, 2)"
    assert frame["days_past_due"].dtype == "int64"


def test_money_as_minor_units_never_floats() -> None:
    loans, pays = book.synthetic(50, seed=2, as_of=AS_OF)
    dec = book.statuses(loans, pays, AS_OF)
    minor = book.statuses(loans, pays, AS_OF, money="minor")
    for name in MONEY_STATUS_COLUMNS:
        assert all(type(v) is Decimal for v in dec[name])
        assert all(type(v) is int for v in minor[name])
        assert [Decimal(v).scaleb(-2) for v in minor[name]] == dec[name]
    frame = book.statuses(pd.DataFrame(loans), pd.DataFrame(pays), AS_OF, money="minor")
    assert all(frame[name].dtype == "int64" for name in MONEY_STATUS_COLUMNS)


def test_pandas_float_and_int_columns_are_read_exactly() -> None:
    loans = pd.DataFrame(
        {
            "loan_id": [1, 2],
            "principal": [12000.10, 5000.0],
            "annual_rate": [0.0435, 0.06],
            "term": [12, 24],
            "start": pd.to_datetime(["2026-01-15", "2026-02-01"]),
        }
    )
    pays = pd.DataFrame({"loan_id": [1], "date": pd.to_datetime(["2026-02-15"]), "amount": [1000.55]})
    out = book.statuses(loans, pays, AS_OF)
    rows = {
        "loan_id": [1, 2],
        "principal": ["12000.10", "5000"],
        "annual_rate": ["0.0435", "0.06"],
        "term": [12, 24],
        "start": [date(2026, 1, 15), date(2026, 2, 1)],
    }
    want = _expected(rows, {"loan_id": [1], "date": [date(2026, 2, 15)], "amount": ["1000.55"]}, AS_OF)
    for g, w in zip(_rows(_to_lists(out)), want, strict=True):
        _same(g, w)


# -- bad rows -----------------------------------------------------------------------------------------


def _bad_book() -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    loans = {
        "loan_id": ["A", "B", "C", "D", "D"],
        "principal": ["1000", "-5", "2000", "3000", "3000"],
        "annual_rate": ["0.05", "0.05", "0.05", "0.05", "0.05"],
        "term": [12, 12, 12, 12, 12],
        "start": [date(2026, 1, 1)] * 5,
    }
    pays = {
        "loan_id": ["A", "C", "C", "Z"],
        "date": [date(2026, 2, 1), date(2026, 2, 1), "not a date", date(2026, 2, 1)],
        "amount": ["85.61", "1.234", "10", "10"],
    }
    return loans, pays


def test_bad_rows_raise_naming_every_one() -> None:
    loans, pays = _bad_book()
    with pytest.raises(InvalidInput) as info:
        book.statuses(loans, pays, AS_OF)
    fields = {e.field for e in info.value.errors}
    assert {"loans[1].principal", "loans[3].loan_id", "loans[4].loan_id", "loans[2].payments"} <= fields
    assert {"payments[1].amount", "payments[2].date", "payments[3].loan_id"} <= fields


@pytest.mark.parametrize("kind", ["mapping", "pandas", "arrow"])
def test_collect_returns_every_bad_row_and_keeps_the_good(kind: str) -> None:
    loans, pays = _bad_book()
    conv = {
        "mapping": lambda t: t,
        "pandas": pd.DataFrame,
        "arrow": lambda t: pa.table(
            {
                k: pa.array([str(x) if isinstance(x, str) else x for x in v])
                if k != "date"
                else pa.array([str(x) for x in v])
                for k, v in t.items()
            }
        ),
    }[kind]
    ok, errors = book.statuses(conv(loans), conv(pays), AS_OF, errors="collect")
    ok, errors = _to_lists(ok), _to_lists(errors)
    assert list(errors) == list(ERROR_COLUMNS)
    assert ok["loan_id"] == ["A"]
    loan_errors = [i for i, t in enumerate(errors["table"]) if t == "loans"]
    assert len(ok["loan_id"]) + len(loan_errors) == len(loans["loan_id"])  # no row is silently dropped
    pay_rows = sorted(r for t, r in zip(errors["table"], errors["row"], strict=True) if t == "payments")
    assert pay_rows == [1, 2, 3]
    assert "payments[3]" not in str(errors["reason"])  # reasons are plain sentences


def test_missing_required_column_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"loans\.term: required column is missing"):
        book.statuses({"loan_id": [], "principal": [], "annual_rate": [], "start": []}, EMPTY_PAYMENTS, AS_OF)


def test_reversals_and_duplicate_references_go_through_the_engine() -> None:
    loans = {
        "loan_id": ["A", "B"],
        "principal": ["1200", "1200"],
        "annual_rate": [0, 0],
        "term": [12, 12],
        "start": [date(2026, 1, 1)] * 2,
    }
    pays = {
        "loan_id": ["A", "A", "B", "B"],
        "date": [date(2026, 2, 1), date(2026, 2, 5), date(2026, 2, 1), date(2026, 3, 1)],
        "amount": ["100", "100", "100", "100"],
        "reference": ["P1", None, "Q", "Q"],
        "reversal_of": [None, "P1", None, None],
    }
    ok, errors = book.statuses(loans, pays, AS_OF, errors="collect")
    assert ok["loan_id"] == ["A"] and ok["paid_to_date"] == [Decimal("0.00")]
    assert errors["row"][0] == 1 and errors["column"][0] == "payments"
    assert any(r == 3 and c == "reference" for r, c in zip(errors["row"], errors["column"], strict=True))


# -- classify -----------------------------------------------------------------------------------------


def test_classify_is_classify_all_row_by_row() -> None:
    loans, pays = book.synthetic(200, seed=9, as_of=AS_OF, mix="mixed")
    st_table = book.statuses(loans, pays, AS_OF)
    views = book.classify(st_table)
    assert views["loan_id"] == st_table["loan_id"]
    for i in range(0, 200, 7):
        status = account_status(
            *terms_from_row({k: v[i] for k, v in loans.items()})[:1],
            [
                Payment(d, a, reference=r)
                for lid, d, a, r in zip(
                    pays["loan_id"], pays["date"], pays["amount"], pays["reference"], strict=True
                )
                if lid == loans["loan_id"][i]
            ],
            AS_OF,
            rules=terms_from_row({k: v[i] for k, v in loans.items()})[1],
        )
        v = classify_all(status)
        assert views["cycle"][i] == v.cycle.name
        assert views["china"][i] == v.china.grade.value
        assert views["basel"][i] == v.basel.grade.value
        assert views["metro2"][i] == v.metro2.grade.value
        assert views["ifrs9"][i] == v.ifrs9.grade.value
    frame = book.classify(book.statuses(pd.DataFrame(loans), pd.DataFrame(pays), AS_OF))
    assert frame["cycle"].tolist() == views["cycle"]


# ints are minor units; floats and Decimals major units: equal values, different amounts
_AMOUNTS = st.one_of(
    st.sampled_from([5000, 5000.0, 15000, 15000.0, 1_000_000, 1_000_000.0, Decimal("50.00"), None]),
    st.integers(0, 2_000_000),
    st.integers(0, 2_000_000).map(lambda v: Decimal(v).scaleb(-2)),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0, 30, 95, 120, 400]), st.sampled_from(["EUR", "EUR", "CNY"]), _AMOUNTS, _AMOUNTS
        ),
        min_size=1,
        max_size=12,
    )
)
def test_classify_rows_are_independent(rows: list[tuple[int, str, Any, Any]]) -> None:
    """Each row's views are those of the row alone, whatever else is in the table: an int amount
    (minor units) and an equal float (major units) are different inputs (EUR materiality)."""
    table = {
        "loan_id": [f"L{i}" for i in range(len(rows))],
        "days_past_due": [r[0] for r in rows],
        "currency": [r[1] for r in rows],
        "amount_past_due": [r[2] for r in rows],
        "principal_balance": [r[3] for r in rows],
    }
    whole, errors = book.classify(table, errors="collect")
    alone_ok: list[str] = []
    for i in range(len(rows)):
        one = {k: v[i : i + 1] for k, v in table.items()}
        ok, _ = book.classify(one, errors="collect")
        if ok["loan_id"]:
            alone_ok.append(ok["loan_id"][0])
            j = whole["loan_id"].index(ok["loan_id"][0])
            assert {k: v[j] for k, v in whole.items()} == {k: v[0] for k, v in ok.items()}, rows[i]
        else:
            assert f"L{i}" in errors["loan_id"]
    assert whole["loan_id"] == alone_ok


def test_classify_collects_bad_rows() -> None:
    ok, errors = book.classify({"loan_id": ["A", "B"], "days_past_due": [3, "x"]}, errors="collect")
    assert ok["loan_id"] == ["A"] and errors["row"] == [1] and errors["column"] == ["days_past_due"]


# -- synthetic books ----------------------------------------------------------------------------------


def test_synthetic_is_deterministic_and_prefix_stable() -> None:
    a = book.synthetic(50, seed=4, as_of=AS_OF, mix="mixed")
    b = book.synthetic(20, seed=4, as_of=AS_OF, mix="mixed")
    assert {k: v[:20] for k, v in a[0].items()} == b[0]
    assert book.synthetic(50, seed=5, as_of=AS_OF, mix="mixed")[0] != a[0]
    assert set(a[0]["currency"]) == {"CNY", "USD"}


def test_results_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import json; from datetime import date; from autoloan import book;"
        "l, p = book.synthetic(60, seed=8, as_of=date(2026, 6, 30), mix='mixed');"
        "s = book.statuses(l, p, date(2026, 6, 30));"
        "print(json.dumps({k: [str(x) for x in v] for k, v in s.items()}, sort_keys=True))"
    )
    outs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outs.add(res.stdout)
    assert len(outs) == 1
    assert json.loads(outs.pop())["loan_id"][0] == "L0000000"


# -- decide and simulate over a book (the policy engine) ---------------------------------------------


def test_decide_over_a_book_matches_policy_decide() -> None:
    from datetime import UTC, datetime

    from autoloan.compliance import Borrower
    from autoloan.policy import Case, Policy

    policy = Policy.builtin("cn-auto")
    loans, pays = book.synthetic(40, seed=12, as_of=AS_OF)
    now = datetime(2026, 7, 1, 2, tzinfo=UTC)
    out = book.decide(policy, loans, pays, now)
    assert out.decisions["loan_id"] == loans["loan_id"]
    assert set(out.actions["loan_id"]) <= set(loans["loan_id"])
    for i in range(0, 40, 9):
        row = {k: v[i] for k, v in loans.items()}
        terms, rules = terms_from_row(row)
        mine = [
            Payment(d, a, reference=r)
            for lid, d, a, r in zip(
                pays["loan_id"], pays["date"], pays["amount"], pays["reference"], strict=True
            )
            if lid == row["loan_id"]
        ]
        status = account_status(terms, mine, date(2026, 7, 1), rules=rules)
        case = Case(row["loan_id"], status, Borrower("CN"), terms=terms, payments=tuple(mine))
        d = policy.decide(case, now)
        assert out.decisions["stage"][i] == d.stage.id and out.decisions["arm"][i] == d.arm
        assert out.decisions["actions"][i] == len(d.actions)
    bad = {**loans, "term": [0, *loans["term"][1:]]}
    res = book.decide(policy, bad, pays, now, errors="collect")
    assert len(res.decisions["loan_id"]) == 39 and res.errors["column"] == ["term"]


def test_simulate_a_book_is_seeded_and_split_by_arm() -> None:
    from autoloan.policy import Behaviour, Policy

    policy = Policy.builtin("cn-auto")
    loans, _ = book.synthetic(16, seed=13, as_of=date(2026, 1, 31), months_on_book=(0, 1))
    behaviour = Behaviour.random(seed=1, pay_probability="0.05")
    args = (policy, loans, behaviour, date(2026, 1, 31), date(2026, 3, 31))
    costs = {"sms": "0.05", "call": "1.20", "visit": "80"}
    one = book.simulate(*args, seed=7, costs=costs)
    two = book.simulate(*args, seed=7, costs=costs)
    assert str(one) == str(two) and one.actions_by_kind == two.actions_by_kind
    assert one.blocked_executed == 0
    assert set(one.arms) == {"champion", "challenger"}
    assert one.months == (date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31))
    assert len(one.transitions["champion"]) == 2
    for arm in one.arms:
        kinds = one.actions_by_kind[arm]
        assert one.contact_cost[arm] == {k: Decimal(costs.get(k, 0)) * n for k, n in kinds.items()}
    assert [r["metric"] for r in one.comparison] == [
        "cure_rate",
        "contact_cost_per_account",
        "charge_off_rate",
    ]
    calm = book.simulate(*args, seed=7)
    storm = book.simulate(*args, seed=7, stress=5)
    paid = sum(int(m.count("paid_off") + m.count(";0")) for m in calm.accounts["states"])
    paid_storm = sum(int(m.count("paid_off") + m.count(";0")) for m in storm.accounts["states"])
    assert paid_storm <= paid


def test_decide_reads_the_contacts_table() -> None:
    from datetime import UTC, datetime

    from autoloan.policy import Policy

    policy = Policy.builtin("cn-auto")
    loans, pays = book.synthetic(10, seed=12, as_of=AS_OF)
    now = datetime(2026, 7, 1, 2, tzinfo=UTC)
    contacts = {
        "loan_id": [loans["loan_id"][0], loans["loan_id"][1]],
        "kind": ["sms", "telepathy"],
        "at": [datetime(2026, 6, 30, 2, tzinfo=UTC), datetime(2026, 6, 30, 3, tzinfo=UTC)],
        "outcome": ["delivered", None],
    }
    with pytest.raises(InvalidInput, match=r"contacts\[1\]\.kind"):
        book.decide(policy, loans, pays, now, contacts=contacts)
    res = book.decide(policy, loans, pays, now, contacts=contacts, errors="collect")
    assert res.errors["table"] == ["contacts"] and res.errors["row"] == [1]
    assert len(res.decisions["loan_id"]) == 10


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=12), st.text(max_size=40))
def test_a_strings_fingerprint_does_not_depend_on_its_column(column: list[str], alone: str) -> None:
    from autoloan.book._columns import string_hashes

    hashes = string_hashes(pa.array([*column, alone]))
    assert hashes[-1] == string_hashes(pa.array([alone]))[0]
    for value, h in zip(column, hashes, strict=False):
        assert h == string_hashes(pa.array([value]))[0]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40).filter(str.strip), min_size=6, max_size=6, unique=True))
def test_loan_ids_of_any_length_find_their_payments(ids: list[str]) -> None:
    # regression: one id longer than 15 bytes made every payment of the book "no loan with this loan_id"
    loans, pays = book.synthetic(6, seed=11, as_of=date(2026, 6, 30))
    rename = dict(zip(loans["loan_id"], ids, strict=True))
    # the loan with the longest new id has no payments yet (a new loan): its id is in one table only
    quiet = max(loans["loan_id"], key=lambda i: (len(rename[i].encode()), i))
    keep = [r for r, i in enumerate(pays["loan_id"]) if i != quiet]
    pays = {c: [v[r] for r in keep] for c, v in pays.items()}
    expected = book.statuses(loans, pays, date(2026, 6, 30))
    renamed_loans = {**loans, "loan_id": [rename[i] for i in loans["loan_id"]]}
    renamed_pays = {**pays, "loan_id": [rename[i] for i in pays["loan_id"]]}
    for kind in (dict, pa.table):
        got = book.statuses(kind(renamed_loans), kind(renamed_pays), date(2026, 6, 30))
        got = got if isinstance(got, dict) else got.to_pydict()
        assert got["loan_id"] == ids
        assert {k: v for k, v in got.items() if k != "loan_id"} == {
            k: v for k, v in expected.items() if k != "loan_id"
        }
