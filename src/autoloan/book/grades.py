"""``book.classify``: every view of :func:`autoloan.delinquency.classify_all` for a statuses table.

Reads the table :func:`autoloan.book.statuses` returns (any kind): ``loan_id`` and
``days_past_due`` are required; ``days_delinquent``, ``amount_past_due``, ``principal_balance``,
``currency`` and ``as_of`` are used when present, exactly as ``classify_all(status)`` reads an
``AccountStatus`` (integer money columns are minor units, as ``statuses(money="minor")`` writes
them). Views depend only on a few of these, so each distinct combination is classified once.

>>> from autoloan.book.grades import classify
>>> out = classify({"loan_id": ["A", "B"], "days_past_due": [0, 95]})
>>> out["cycle"], out["china_zh"], out["ifrs9"]
(['M0', 'M4'], ['正常', '次级'], ['stage_1', 'stage_3'])
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import autoloan.book._columns as _cols
from autoloan.book.schema import CLASSIFY_COLUMNS, ERROR_COLUMNS, ERROR_TYPES
from autoloan.book.status import Collected
from autoloan.delinquency import Rulebook, Views, classify_all
from autoloan.errors import InvalidInput
from autoloan.money import currency as _currency

__all__ = ["classify", "view_row"]

_TYPES = {name: "text" for name in CLASSIFY_COLUMNS}
_TYPES.update({"loan_id": "id", "days_past_due": "int"})


def view_row(views: Views) -> dict[str, Any]:
    """The grade columns of one account's views (the row ``classify`` writes, without ``loan_id``).

    >>> view_row(classify_all(days_past_due=45))["dpd30"]
    '30-59'
    """
    return {
        "days_past_due": views.snapshot.days_past_due,
        "cycle": views.cycle.name,
        "dpd30": views.dpd30.name,
        "china": views.china.grade.value,
        "china_zh": views.china.grade.label_zh,
        "ffiec": views.ffiec.grade.value,
        "ifrs9": views.ifrs9.grade.value,
        "basel": views.basel.grade.value,
        "metro2": views.metro2.grade.value,
    }


def _value(raw: dict[str, Any], name: str, i: int) -> Any:
    col = raw.get(name)
    return None if col is None else _cols.py_value(col[i])


def _amount(v: Any, code: str | None) -> Any:
    if v is None or isinstance(v, Decimal) or code is None:
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v).scaleb(-_currency(code).minor_units)
    return v


def classify(statuses: Any, *, rulebook: Rulebook | None = None, errors: str = "raise") -> Any:
    """One row per account: the bucket and grade of every view (same table kind as the input).

    >>> classify({"loan_id": ["A"], "days_past_due": [-1]})
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: statuses[0].days_past_due: must be between 0 and 100000 (got -1)
    """
    if not isinstance(errors, str) or errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    book = rulebook if rulebook is not None else Rulebook()
    if not isinstance(book, Rulebook):
        raise InvalidInput("rulebook", rulebook, "must be a Rulebook")
    kind = _cols.kind_of(statuses, "statuses")
    n = _cols.n_rows(statuses, kind, "statuses")
    for name in ("loan_id", "days_past_due"):
        if not _cols.has_column(statuses, kind, name):
            raise InvalidInput(f"statuses.{name}", None, "required column is missing")
    raw = {
        name: _cols.column(statuses, kind, name)
        for name in (
            "loan_id",
            "days_past_due",
            "days_delinquent",
            "amount_past_due",
            "principal_balance",
            "currency",
            "as_of",
        )
        if _cols.has_column(statuses, kind, name)
    }
    basel_code = book.basel.currency
    out: dict[str, list[Any]] = {name: [] for name in CLASSIFY_COLUMNS}
    bad: list[tuple[int, Any, str, str, Any]] = []
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i in range(n):
        loan_id = _value(raw, "loan_id", i)
        dpd = _value(raw, "days_past_due", i)
        dd = _value(raw, "days_delinquent", i)
        code = _value(raw, "currency", i)
        with_amounts = isinstance(code, str) and code == basel_code
        base: tuple[Any, ...] = (type(dpd), dpd, type(dd), dd, code)
        if with_amounts:
            base += (_value(raw, "amount_past_due", i), _value(raw, "principal_balance", i))
        key: tuple[Any, ...] | None = base
        try:
            row = cache.get(base)
        except TypeError:  # an unhashable cell: classify it alone (it is refused below)
            row, key = None, None
        if row is None:
            status = SimpleNamespace(days_past_due=dpd)
            if dd is not None:
                status.days_delinquent = dd
            if code is not None:
                status.currency = code
            if with_amounts:
                status.amount_past_due = _amount(_value(raw, "amount_past_due", i), code)
                status.principal_balance = _amount(_value(raw, "principal_balance", i), code)
            try:
                row = view_row(classify_all(status, rulebook=book))
            except InvalidInput as exc:
                for e in exc.errors:
                    bad.append((i, loan_id, str(e.path[0]) if e.path else e.field, e.reason, e.value))
                continue
            if key is not None and len(cache) < 100_000:
                cache[key] = row
        out["loan_id"].append(loan_id)
        for name, v in row.items():
            out[name].append(v)
    if bad and errors == "raise":
        raise InvalidInput.collect(
            [InvalidInput(f"statuses[{i}].{col}", value, reason) for i, _id, col, reason, value in bad]
        )
    table = _cols.build(kind, out, _TYPES)
    if errors == "collect":
        ecols: dict[str, list[Any]] = {name: [] for name in ERROR_COLUMNS}
        for i, loan_id, col, reason, value in bad:
            for name, v in zip(ERROR_COLUMNS, ("statuses", i, loan_id, col, reason, value), strict=True):
                ecols[name].append(v if name != "value" or v is None else str(v))
        return Collected(table, _cols.build(kind, ecols, ERROR_TYPES))
    return table
