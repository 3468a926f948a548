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

import importlib
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, NamedTuple

import autoloan.book._columns as _cols
from autoloan.book.schema import CLASSIFY_COLUMNS, ERROR_COLUMNS, ERROR_TYPES
from autoloan.book.status import Collected
from autoloan.delinquency import DEFAULT_RULEBOOK, Rulebook, Views, classify_all
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


# Cells of these types are their own ``py_value`` (no numpy/pandas scalar, no float that may be NaN).
_PLAIN = frozenset({str, int, bool, type(None), Decimal})
# Day counts of these types, when equal with equal types, classify alike (all but int are refused).
_DAY_TYPES = frozenset({int, bool, float, str, type(None), Decimal})
_NONE = type(None)


def _py_cells(col: Any) -> list[Any]:
    """``py_value`` of every cell of a column, as a list: what ``_value(raw, name, i)`` reads row by row."""
    kind = getattr(getattr(col, "dtype", None), "kind", None)
    if type(col).__name__ == "ndarray" and getattr(col, "ndim", 0) == 1:
        if kind in ("i", "u", "b"):
            return list(col.tolist())  # numpy ints and bools: tolist() is item() of each
        if kind == "f":  # NaN is missing
            return [None if v != v else v for v in col.tolist()]
        if kind == "O":
            cells = list(col)
            return cells if set(map(type, cells)) <= _PLAIN else [_cols.py_value(v) for v in cells]
    elif type(col) is list:
        return col if set(map(type, col)) <= _PLAIN else [_cols.py_value(v) for v in col]
    return [_cols.py_value(col[i]) for i in range(len(col))]


def classify(statuses: Any, *, rulebook: Rulebook | None = None, errors: str = "raise") -> Any:
    """One row per account: the bucket and grade of every view (same table kind as the input).

    >>> classify({"loan_id": ["A"], "days_past_due": [-1]})
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: statuses[0].days_past_due: must be between 0 and 100000 (got -1)
    """
    if not isinstance(errors, str) or errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    book = rulebook if rulebook is not None else DEFAULT_RULEBOOK
    if not isinstance(book, Rulebook):
        raise InvalidInput("rulebook", rulebook, "must be a Rulebook")
    kind = _cols.kind_of(statuses, "statuses")
    n = _cols.n_rows(statuses, kind, "statuses")
    for name in ("loan_id", "days_past_due"):
        if not _cols.has_column(statuses, kind, name):
            raise InvalidInput(f"statuses.{name}", None, "required column is missing")
    raw = {
        name: _cols.column(statuses, kind, name)
        for name in _INPUTS
        if (name != "loan_id" or kind != "arrow") and _cols.has_column(statuses, kind, name)
    }  # Arrow loan ids are read only if needed (they usually pass through)
    groups = _groups(raw, n, book.basel.currency)
    if groups is None:  # unusual cells: row by row, the reference
        if "loan_id" not in raw:
            raw["loan_id"] = _cols.column(statuses, kind, "loan_id")
        out, bad = _classify_rows(raw, n, book)
        table = _cols.build(kind, out, _TYPES)
    else:
        table, bad = _classify_groups(statuses, kind, raw, groups, book)
    if bad and errors == "raise":
        raise InvalidInput.collect(
            [InvalidInput(f"statuses[{i}].{col}", value, reason) for i, _id, col, reason, value in bad]
        )
    if errors == "collect":
        ecols: dict[str, list[Any]] = {name: [] for name in ERROR_COLUMNS}
        for i, loan_id, col, reason, value in bad:
            for name, v in zip(ERROR_COLUMNS, ("statuses", i, loan_id, col, reason, value), strict=True):
                ecols[name].append(v if name != "value" or v is None else str(v))
        return Collected(table, _cols.build(kind, ecols, ERROR_TYPES))
    return table


_Bad = list[tuple[int, Any, str, str, Any]]


def _classify_rows(raw: dict[str, Any], n: int, book: Rulebook) -> tuple[dict[str, list[Any]], _Bad]:
    """Row by row, caching each distinct combination of inputs (the reference; every input goes)."""
    basel_code = book.basel.currency
    out: dict[str, list[Any]] = {name: [] for name in CLASSIFY_COLUMNS}
    bad: list[tuple[int, Any, str, str, Any]] = []
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i in range(n):
        loan_id = _value(raw, "loan_id", i)
        dpd = _value(raw, "days_past_due", i)
        dd = _value(raw, "days_delinquent", i)
        code = _value(raw, "currency", i)
        amounts: tuple[Any, ...] = ()
        base: tuple[Any, ...] = (type(dpd), dpd, type(dd), dd, code)
        if isinstance(code, str) and code == basel_code:
            amounts = (_value(raw, "amount_past_due", i), _value(raw, "principal_balance", i))
            # with their types: an int is minor units, a float or text major units
            base += tuple(part for v in amounts for part in (type(v), v))
        key: tuple[Any, ...] | None = base
        try:
            row = cache.get(base)
        except TypeError:  # an unhashable cell: classify it alone (it is refused below)
            row, key = None, None
        if row is None:
            try:
                row = view_row(classify_all(_status(dpd, dd, code, amounts), rulebook=book))
            except InvalidInput as exc:
                bad.extend(_errors(exc, i, loan_id))
                continue
            if key is not None and len(cache) < 100_000:
                cache[key] = row
        out["loan_id"].append(loan_id)
        for name, v in row.items():
            out[name].append(v)
    return out, bad


def _status(dpd: Any, dd: Any, code: Any, amounts: tuple[Any, ...]) -> SimpleNamespace:
    status = SimpleNamespace(days_past_due=dpd)
    if dd is not None:
        status.days_delinquent = dd
    if code is not None:
        status.currency = code
    if amounts:
        status.amount_past_due = _amount(amounts[0], code)
        status.principal_balance = _amount(amounts[1], code)
    return status


def _errors(exc: InvalidInput, i: int, loan_id: Any) -> _Bad:
    return [(i, loan_id, str(e.path[0]) if e.path else e.field, e.reason, e.value) for e in exc.errors]


_INPUTS = (
    "loan_id",
    "days_past_due",
    "days_delinquent",
    "amount_past_due",
    "principal_balance",
    "currency",
    "as_of",
)


class _Groups(NamedTuple):
    """Rows grouped by the inputs that decide their views (the key ``_classify_rows`` caches by)."""

    gid: Any  # each row's group (list or numpy array), groups numbered by first occurrence
    reps: list[tuple[Any, Any, Any, tuple[Any, ...]]]  # (dpd, dd, currency, amounts) of each group
    exact: bool  # equal keys are identical inputs: a group's error is every member's error
    cells: Callable[[int], tuple[Any, Any, Any, tuple[Any, ...]]]  # one row's own inputs


def _groups(raw: dict[str, Any], n: int, basel_code: str) -> _Groups | None:
    """Group the rows, or ``None`` when equal keys might not mean equal inputs (then go row by row).

    Equal keys mean equal inputs for plain day counts (int, or refused types compared with their
    type), text currencies, and amounts that are all ints or all Decimals.
    """
    if n == 0:
        return None
    fast = _numpy_groups(raw, n, basel_code)
    if fast is not None:
        return fast
    dpd = _py_cells(raw["days_past_due"])
    dd = _py_cells(raw["days_delinquent"]) if "days_delinquent" in raw else [None] * n
    code = _py_cells(raw["currency"]) if "currency" in raw else [None] * n
    dpd_types, dd_types = set(map(type, dpd)), set(map(type, dd))
    if not dpd_types <= _DAY_TYPES or not dd_types <= _DAY_TYPES or not set(map(type, code)) <= {str, _NONE}:
        return None
    # plain ints (and absent values) need no type in the key: equal values are identical inputs
    typed = not (dpd_types == {int} and dd_types <= {int, _NONE})
    keys: list[Any] = (
        list(zip(map(type, dpd), dpd, map(type, dd), dd, code, strict=True))
        if typed
        else list(zip(dpd, dd, code, strict=True))
    )
    exact = not typed
    amounts: dict[int, tuple[Any, Any]] = {}
    if basel_code in set(code):
        for i, c in enumerate(code):
            if c == basel_code:
                amounts[i] = (_value(raw, "amount_past_due", i), _value(raw, "principal_balance", i))
        amount_types = {type(v) for pair in amounts.values() for v in pair}
        if not (amount_types <= {int, _NONE} or amount_types <= {Decimal, _NONE}):
            return None
        exact = exact and Decimal not in amount_types
        for i, pair in amounts.items():
            keys[i] += pair
    try:
        index: dict[Any, int] = dict.fromkeys(keys, 0)
    except TypeError:  # an unhashable cell (a signalling NaN): row by row names it
        return None
    reps = []
    for j, key in enumerate(index):
        index[key] = j
        if typed:  # (type, dpd, type, dd, code, ...) -> (dpd, dd, code, ...)
            key = (key[1], key[3], key[4], *key[5:])
        reps.append((key[0], key[1], key[2], key[3:]))

    def cells(i: int) -> tuple[Any, Any, Any, tuple[Any, ...]]:
        return dpd[i], dd[i], code[i], amounts.get(i, ())

    return _Groups(list(map(index.__getitem__, keys)), reps, exact, cells)


def _int_array(col: Any) -> bool:
    kind = getattr(getattr(col, "dtype", None), "kind", None)
    return type(col).__name__ == "ndarray" and getattr(col, "ndim", 0) == 1 and kind in ("i", "u")


def _numpy_groups(raw: dict[str, Any], n: int, basel_code: str) -> _Groups | None:
    """The common case, with numpy: integer day counts, text currencies, no amounts to read."""
    dpd_col, dd_col = raw["days_past_due"], raw.get("days_delinquent")
    if not _int_array(dpd_col) or not (dd_col is None or _int_array(dd_col)):
        return None
    import numpy as np

    codes: list[Any] = [None] * n
    index: dict[Any, int] = {None: 0}
    if "currency" in raw:
        codes = _py_cells(raw["currency"])
        if not set(map(type, codes)) <= {str, _NONE}:
            return None
        index = dict.fromkeys(codes, 0)
        if basel_code in index:  # amounts join the key: the general grouping reads them
            return None
    for j, c in enumerate(index):
        index[c] = j
    key = np.fromiter(map(index.__getitem__, codes), dtype=np.int64, count=n)
    span = len(index)
    for col in (dpd_col, dd_col):
        if col is None:
            continue
        low, high = int(col.min()), int(col.max())
        if low < -(2**62) or high >= 2**62 or (high - low + 1) * span >= 2**62:
            return None
        key += (col.astype(np.int64) - low) * span
        span *= high - low + 1
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # number the groups by first occurrence
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    reps = []
    for i in first[order].tolist():
        reps.append((int(dpd_col[i]), None if dd_col is None else int(dd_col[i]), codes[i], ()))

    def cells(i: int) -> tuple[Any, Any, Any, tuple[Any, ...]]:  # pragma: no cover - exact groups
        return reps[int(rank[inverse[i]])]

    return _Groups(rank[inverse.reshape(-1)], reps, True, cells)


def _classify_groups(
    statuses: Any, kind: str, raw: dict[str, Any], groups: _Groups, book: Rulebook
) -> tuple[Any, _Bad]:
    """Classify each group once; a failed group's rows are the bad rows (in row order)."""
    rows: list[dict[str, Any]] = []
    failed: dict[int, InvalidInput] = {}
    for j, (dpd, dd, code, amounts) in enumerate(groups.reps):
        try:
            rows.append(view_row(classify_all(_status(dpd, dd, code, amounts), rulebook=book)))
        except InvalidInput as exc:
            failed[j] = exc
            rows.append({})
    gid = groups.gid
    ids: Any = None

    def loan_id(i: int) -> Any:
        nonlocal ids
        if ids is None:
            ids = raw["loan_id"] if "loan_id" in raw else _cols.column(statuses, kind, "loan_id")
        return _cols.py_value(ids[i])

    bad: _Bad = []
    keep: list[int] | None = None
    if failed:
        keep = []
        members = gid.tolist() if hasattr(gid, "tolist") else gid
        for i, g in enumerate(members):
            error = failed.get(g)
            if error is None:
                keep.append(i)
                continue
            if not groups.exact:  # equal inputs may print differently (0.0 and -0.0): its own error
                try:
                    row = view_row(classify_all(_status(*groups.cells(i)), rulebook=book))
                except InvalidInput as own:
                    error = own
                else:  # pragma: no cover - equal inputs classify alike; keep the row's own if not
                    members[i] = len(rows)
                    rows.append(row)
                    keep.append(i)
                    continue
            bad += _errors(error, i, loan_id(i))
        gid = [members[i] for i in keep]
    return _build(statuses, kind, raw, rows, gid, keep), bad


def _build(
    statuses: Any,
    kind: str,
    raw: dict[str, Any],
    rows: list[dict[str, Any]],
    gid: Any,
    keep: list[int] | None,
) -> Any:
    """The output table from the distinct rows and each kept row's group."""
    if kind == "arrow":
        import pyarrow as pa

        where = pa.array(gid, type=pa.int64())
        arrays = [_arrow_ids(statuses, keep)]
        for name in CLASSIFY_COLUMNS[1:]:
            t = pa.int64() if _TYPES[name] == "int" else pa.string()
            arrays.append(pa.array([r.get(name) for r in rows], type=t).take(where))
        return pa.table(arrays, names=list(CLASSIFY_COLUMNS))
    ids = _py_cells(raw["loan_id"])
    out: dict[str, Any] = {"loan_id": ids if keep is None else [ids[i] for i in keep]}
    if hasattr(gid, "dtype"):  # the numpy lane: look the groups up in numpy (the same objects)
        np = importlib.import_module("numpy")
        for name in CLASSIFY_COLUMNS[1:]:
            objects = np.fromiter((r.get(name) for r in rows), dtype=object, count=len(rows))
            column = objects.take(gid)
            out[name] = column if kind == "pandas" else column.tolist()
        return _cols.build(kind, out, _TYPES)
    for name in CLASSIFY_COLUMNS[1:]:
        values = [r.get(name) for r in rows]
        out[name] = [values[g] for g in gid]
    return _cols.build(kind, out, _TYPES)


def _arrow_ids(statuses: Any, keep: list[int] | None) -> Any:
    """The loan ids as ``pa.array`` of their Python values makes them (the input column when equal)."""
    import pyarrow as pa

    col = statuses.column("loan_id")
    if col.type in (pa.string(), pa.int64()) and col.null_count == 0 and (keep is None or keep):
        arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        return arr if keep is None else arr.take(pa.array(keep, type=pa.int64()))
    ids = _py_cells(_cols.column(statuses, "arrow", "loan_id"))
    return pa.array(ids if keep is None else [ids[i] for i in keep])
