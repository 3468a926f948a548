"""Fuzz of autoloan.book: hostile values in any cell of a valid book, and hostile arguments.

Every call must return a result or raise an AutoloanError (fuzzkit.call), within the time limit; a
book with one hostile cell must still account for every row (ok + loan errors == loans).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from autoloan import book
from autoloan.book import dask as book_dask
from autoloan.book import portfolio as simulate_mod
from autoloan.book import schema, status
from autoloan.book import spark as book_spark
from autoloan.book.grades import view_row
from autoloan.delinquency import classify_all
from autoloan.errors import AutoloanError
from fuzzkit import call, hostile, numpy_values

FUZZED = {
    "autoloan.book.status.statuses",
    "autoloan.book.status.Collected",
    "autoloan.book.status.terms_from_row",
    "autoloan.book.grades.classify",
    "autoloan.book.grades.view_row",
    "autoloan.book.synthetic.synthetic",
    "autoloan.book.schema.Column",
    "autoloan.book.schema.describe",
    "autoloan.book.dask.statuses",
    "autoloan.book.dask.classify",
    "autoloan.book.dask.co_partition",
    "autoloan.book.spark.statuses",
    "autoloan.book.spark.classify",
    "autoloan.book.spark.status_schema",
    "autoloan.book.decisions.decide",
    "autoloan.book.decisions.Decided",
    "autoloan.book.portfolio.simulate",
    "autoloan.book.portfolio.simulate_accounts",
    "autoloan.book.portfolio.summarize",
    "autoloan.book.portfolio.stressed",
    "autoloan.book.portfolio.BookRun",
    "autoloan.book.dask.decide",
    "autoloan.book.dask.simulate",
    "autoloan.book.dask.nightly",
    "autoloan.book.dask.Nightly",
    "autoloan.book.spark.decide",
    "autoloan.book.spark.simulate",
}

AS_OF = date(2026, 6, 30)
LOANS, PAYMENTS = book.synthetic(6, seed=1, as_of=AS_OF, mix="mixed")
book.statuses(LOANS, PAYMENTS, AS_OF)  # warm the lazy imports (numpy, pandas) outside the timed calls
anything = st.one_of(hostile(), numpy_values())


def _with_cell(table: dict[str, list[Any]], column: str, row: int, value: Any) -> dict[str, list[Any]]:
    out = {k: list(v) for k, v in table.items()}
    if column not in out:
        out[column] = [None] * len(next(iter(out.values())))
    out[column][row % len(out[column])] = value
    return out


@given(
    st.sampled_from([c.name for c in schema.LOANS]),
    st.integers(0, 5),
    anything,
    st.sampled_from(["mapping", "pandas"]),
)
def test_a_hostile_loan_cell(column: str, row: int, value: Any, kind: str) -> None:
    loans = _with_cell(LOANS, column, row, value)
    pays = PAYMENTS
    if kind == "pandas":
        try:
            loans, pays = pd.DataFrame(loans), pd.DataFrame(pays)
        except (TypeError, ValueError):
            return
    res = call(book.statuses, loans, pays, AS_OF, errors="collect")
    if isinstance(res, AutoloanError):
        return
    ok, errors = res
    n_errors = sum(1 for t in list(errors["table"]) if t == "loans")
    assert len(ok["loan_id"]) + n_errors == 6


@given(st.sampled_from([c.name for c in schema.PAYMENTS]), st.integers(0, 60), anything)
def test_a_hostile_payment_cell(column: str, row: int, value: Any) -> None:
    pays = _with_cell(PAYMENTS, column, row, value)
    res = call(book.statuses, LOANS, pays, AS_OF, errors="collect")
    if not isinstance(res, AutoloanError):
        ok, errors = res
        assert len(ok["loan_id"]) + sum(1 for t in errors["table"] if t == "loans") == 6
    call(book.statuses, LOANS, pays, AS_OF)


@given(anything, anything, anything)
def test_hostile_arguments(a: Any, b: Any, c: Any) -> None:
    call(book.statuses, a, PAYMENTS, AS_OF)
    call(book.statuses, LOANS, b, AS_OF)
    call(book.statuses, LOANS, PAYMENTS, c)
    call(book.statuses, LOANS, PAYMENTS, AS_OF, errors=a, money=b)
    call(book.classify, a)
    call(book.classify, {"loan_id": ["A"], "days_past_due": [a]}, errors="collect")
    call(book.classify, {"loan_id": ["A"], "days_past_due": [3]}, rulebook=b)
    n = min(a, 20) if isinstance(a, int) and not isinstance(a, bool) else a  # a valid huge n is just slow
    call(book.synthetic, n, b, as_of=c)
    call(book.synthetic, 2, 1, as_of=AS_OF, mix=a, months_on_book=b, kind=c)
    call(status.terms_from_row, {"principal": a, "annual_rate": b, "term": c, "start": AS_OF})
    call(schema.describe, (schema.Column("x", "int", True, a, "doc"),))
    call(book_dask.statuses, a, b, AS_OF)
    call(book_dask.classify, a)
    call(book_dask.co_partition, a, b)
    call(book_spark.statuses, a, b, AS_OF)
    call(book_spark.classify, a)


@settings(max_examples=25)
@given(anything, anything, anything)
def test_hostile_policy_calls(a: Any, b: Any, c: Any) -> None:
    from datetime import UTC, datetime

    from autoloan.policy import Behaviour, Policy

    policy = Policy.builtin("cn-auto")
    now = datetime(2026, 7, 1, 2, tzinfo=UTC)
    few = {k: v[:2] for k, v in LOANS.items()}
    call(book.decide, a, few, PAYMENTS, now)
    call(book.decide, policy, few, PAYMENTS, a)
    call(book.decide, policy, few, PAYMENTS, now, contacts=b, errors=c)
    call(book.decide, policy, _with_cell(few, "term", 0, a), PAYMENTS, now, errors="collect")
    beh = Behaviour.random(seed=1)
    call(book.simulate, policy, few, beh, a, AS_OF)
    call(book.simulate, policy, few, b, AS_OF, AS_OF)
    call(book.simulate, policy, few, beh, AS_OF, AS_OF, seed=a, stress=b, costs=c)
    call(book.stressed, beh, a)
    call(book.stressed, a, 2)
    call(simulate_mod.summarize, a, policy, (AS_OF,))
    call(simulate_mod.simulate_accounts, policy, a, beh, AS_OF, AS_OF)
    call(book_dask.decide, policy, a, b, now)
    call(book_dask.simulate, policy, a, beh, AS_OF, AS_OF)
    call(book_dask.nightly, policy, a, b, AS_OF, now)
    call(book_dask.nightly, policy, a, b, c, now, money=a, aligned=b, rulebook=c)
    call(book_dask.Nightly, a, b, c)
    call(book_spark.decide, policy, a, b, now)
    call(book_spark.simulate, policy, a, beh, AS_OF, AS_OF)


def test_small_helpers() -> None:
    assert view_row(classify_all(days_past_due=3))["cycle"] == "M1"
    assert status.Collected(1, 2).errors == 2
    call(book_spark.status_schema)
