"""``book.statuses``: every :class:`~autoloan.servicing.AccountStatus` field for a whole book.

Loans and payments come as tables (see :mod:`autoloan.book.schema`); the result is a table of the
same kind as ``loans`` with one row per good loan, in input order. The common case runs on the
fast path (:mod:`autoloan.book._fastpath`, numpy over whole columns); every other loan runs through
:func:`autoloan.servicing.account_status`; both give the same numbers.

Bad rows: by default the call fails with one :class:`~autoloan.errors.InvalidInput` naming every
bad row (``loans[3].principal``, ``payments[17].amount``). With ``errors="collect"`` it returns
``(ok, errors)``: ``errors`` has one row per bad input row (``table``, ``row``, ``loan_id``,
``column``, ``reason``, ``value``); a loan whose own row is fine but one of whose payments is bad is
rejected too, with an errors row for the loan (column ``payments``). So
``len(ok) + (errors["table"] == "loans").sum() == len(loans)``: no row is silently dropped.

>>> from datetime import date
>>> loans = {"loan_id": ["A", "B"], "principal": ["12000", "5000"], "annual_rate": ["0.06", "0.05"],
...          "term": [12, 24], "start": [date(2026, 1, 15), date(2026, 2, 1)]}
>>> payments = {"loan_id": ["A"], "date": [date(2026, 2, 15)], "amount": ["1032.80"]}
>>> out = statuses(loans, payments, as_of=date(2026, 3, 20))
>>> out["days_past_due"], out["amount_past_due"]
([5, 19], [Decimal('1032.80'), Decimal('219.36')])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple, cast

import autoloan.book._columns as _cols
from autoloan.amortization import Fee, LoanTerms, Method
from autoloan.book._fastpath import FAST_DAY_COUNTS, add_months_columns, fast_statuses
from autoloan.book.schema import (
    ERROR_COLUMNS,
    ERROR_TYPES,
    LOANS,
    MONEY_STATUS_COLUMNS,
    PAYMENTS,
    STATUS_COLUMNS,
    Column,
)
from autoloan.dates import DayCount, Frequency, coerce_date
from autoloan.errors import AutoloanError, InvalidInput
from autoloan.money import CONTEXT, Rounding, currency, to_decimal, to_rate
from autoloan.servicing import AccountStatus, Payment, ServicingRules, account_status

__all__ = ["SERVICING_PRESETS", "Collected", "statuses", "terms_from_row"]

_EPOCH = _dt.date(1970, 1, 1).toordinal()

#: Servicing rules by the name used in the loans table's ``servicing`` column.
SERVICING_PRESETS: dict[str, Callable[[], ServicingRules]] = {
    "default": ServicingRules,
    "cn_bank": ServicingRules.cn_bank,
    "us_simple_interest": ServicingRules.us_simple_interest,
}
_RULES: dict[str, ServicingRules] = {}

_STATUS_TYPES = {
    "loan_id": "id",
    "as_of": "date",
    "currency": "text",
    "oldest_unpaid_due_date": "date",
    "days_past_due": "int",
    "installments_in_arrears": "int",
    "days_delinquent": "int",
    "days_since_qualifying_payment": "optint",
    "next_due_date": "date",
    "last_payment_date": "date",
    "partial_payment": "text",
}


class Collected(NamedTuple):
    """The result of ``errors="collect"``: the good rows' table and the errors table (same kind)."""

    ok: Any
    errors: Any


class ErrorLog:
    """Bad rows found so far: (table, row, loan_id, column, reason, value) (shared by the book calls)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, Any, str, str, Any]] = []
        self.bad_loans: set[int] = set()

    def add(self, table: str, row: int, loan_id: Any, column: str, reason: str, value: Any) -> None:
        self.rows.append((table, row, loan_id, column, reason, value))
        if table == "loans":
            self.bad_loans.add(row)

    def from_exc(self, table: str, row: int, loan_id: Any, exc: InvalidInput, prefix: str) -> None:
        for e in exc.errors:
            col = str(e.path[0]) if e.path else e.field
            if col == prefix and len(e.path) > 1:
                col = str(e.path[1])
            self.add(table, row, loan_id, col, e.reason, e.value)

    def exception(self) -> InvalidInput:
        errs = [
            InvalidInput(f"{table}[{row}].{column}", value, reason)
            for table, row, _id, column, reason, value in sorted(self.rows, key=lambda r: (r[0], r[1]))
        ]
        return InvalidInput.collect(errs)

    def table(self, kind: str) -> Any:
        ordered = sorted(self.rows, key=lambda r: (r[0] != "loans", r[1], r[3]))
        cols: dict[str, list[Any]] = {name: [] for name in ERROR_COLUMNS}
        for table, row, loan_id, column, reason, value in ordered:
            cols["table"].append(table)
            cols["row"].append(row)
            cols["loan_id"].append(loan_id)
            cols["column"].append(column)
            cols["reason"].append(reason)
            cols["value"].append(None if value is None else _show(value))
        types = dict(ERROR_TYPES)
        if kind == "arrow":
            cols["loan_id"] = [None if v is None else str(v) for v in cols["loan_id"]]
            types["loan_id"] = "text"
        return _cols.build(kind, cols, types)


def _show(value: Any) -> str:
    from autoloan.errors import show_value

    return show_value(value)


# -- per-row conversion -------------------------------------------------------------------------------


_py = _cols.py_value


def row_values(raw: Mapping[str, Any], schema: tuple[Column, ...], i: int) -> dict[str, Any]:
    """Row ``i`` as plain Python values, missing cells replaced by the schema's defaults."""
    out: dict[str, Any] = {}
    for col in schema:
        values = raw.get(col.name)
        v = None if values is None else _py(values[i])
        widened = (
            values is not None and getattr(values, "dtype", None) is not None and values.dtype.kind == "f"
        )
        if col.kind == "int" and isinstance(v, float) and v.is_integer() and widened:
            v = int(v)  # a float column only because of missing values
        out[col.name] = col.default if v is None else v
    return out


def terms_from_row(row: dict[str, Any]) -> tuple[LoanTerms, ServicingRules]:
    """LoanTerms and servicing rules from one loans-table row (a dict of column values).

    >>> from datetime import date
    >>> row = {"principal": "1000", "annual_rate": "5%", "term": 12, "start": date(2026, 1, 1)}
    >>> t, r = terms_from_row(row)
    >>> t.annual_rate, t.currency, r.waterfall.name
    (Decimal('0.05'), 'CNY', 'fineract_standard')
    """
    for col in LOANS:
        if col.required and col.name != "loan_id" and row.get(col.name) is None:
            raise InvalidInput(col.name, None, "is required")
    fee = row.get("fees")
    fees: tuple[Fee, ...] = ()
    amount = to_decimal(fee, "fees") if fee is not None else Decimal(0)
    if amount < 0:
        raise InvalidInput("fees", fee, "must not be negative")
    if amount:
        fees = (Fee("fees", amount, financed=True),)

    def get(name: str, default: Any) -> Any:
        v = row.get(name)
        return default if v is None else v

    terms = LoanTerms(
        principal=row["principal"],
        annual_rate=row["annual_rate"],
        term=row["term"],
        start=row["start"],
        first_due=row.get("first_due"),
        frequency=get("frequency", "monthly"),
        method=get("method", "annuity"),
        day_count=row.get("day_count"),
        balloon=get("balloon", 0),
        interest_only_periods=get("interest_only_periods", 0),
        fees=fees,
        currency=get("currency", "CNY"),
        rounding=get("rounding", "half_up"),
    )
    return terms, _rules(get("servicing", "default"))


def _rules(name: Any) -> ServicingRules:
    key = name.strip().lower() if isinstance(name, str) else name
    found = _RULES.get(key) if isinstance(key, str) else None
    if found is None:
        maker = SERVICING_PRESETS.get(key) if isinstance(key, str) else None
        if maker is None:
            raise InvalidInput(
                "servicing", name, "unknown servicing rules; use " + ", ".join(SERVICING_PRESETS)
            )
        found = _RULES[key] = maker()
    return found


def payment_from_row(row: dict[str, Any]) -> Payment:
    """A :class:`~autoloan.servicing.Payment` from one payments-table row."""
    if row.get("date") is None:
        raise InvalidInput("date", None, "is required")
    if row.get("amount") is None:
        raise InvalidInput("amount", None, "is required")
    return Payment(
        row["date"], row["amount"], reference=row.get("reference"), reversal_of=row.get("reversal_of")
    )


def loan_payments(
    praw: Mapping[str, Any], rows: list[int], digits: int, i: int, loan_id: Any, errs: ErrorLog
) -> list[Payment] | None:
    """Payments rows ``rows`` of loan row ``i`` as payments in a currency of ``digits`` minor digits.

    ``None`` when a row is bad: each bad row, and the loan, are logged in ``errs``.
    """
    pays: list[Payment] = []
    bad = False
    for r in rows:
        try:
            p = payment_from_row(row_values(praw, PAYMENTS, r))
            p.minor_units(digits)
        except InvalidInput as exc:
            errs.from_exc("payments", r, loan_id, exc, "payment")
            bad = True
            continue
        pays.append(p)
    if bad:
        errs.add("loans", i, loan_id, "payments", _BAD_PAYMENT, None)
        return None
    return pays


def _minor(value: Decimal, digits: int) -> int:
    return int(value.scaleb(digits, CONTEXT))


_INT_FIELDS = ("days_past_due", "installments_in_arrears", "days_delinquent")


def _statusrow_values(st: AccountStatus, digits: int) -> dict[str, Any]:
    row: dict[str, Any] = {name: _minor(getattr(st, name), digits) for name in MONEY_STATUS_COLUMNS}
    for name in _INT_FIELDS:
        row[name] = getattr(st, name)
    q = st.days_since_qualifying_payment
    row["days_since_qualifying_payment"] = q if q is not None else -1
    for name in ("oldest_unpaid_due_date", "next_due_date", "last_payment_date"):
        d = getattr(st, name)
        row[name] = d.toordinal() if d is not None else 0
    row["partial_payment"] = st.partial_payment.value
    return row


# -- vectorized parsing (numpy + pandas) --------------------------------------------------------------


def _vector_libs() -> tuple[Any, Any] | None:
    try:
        import numpy
        import pandas
    except ImportError:  # pragma: no cover - the per-row path serves numpy-less installs
        return None
    return numpy, pandas


def _uniques(pd: Any, arr: Any) -> tuple[Any, list[Any]]:
    codes, uniq = pd.factorize(arr, use_na_sentinel=True)
    return codes, list(uniq)


def _by_unique(np: Any, pd: Any, arr: Any, convert: Callable[[Any], Any], bad: Any) -> tuple[Any, Any]:
    """Convert each distinct value once; ``bad`` marks failures and missing values."""
    codes, uniq = _uniques(pd, arr)
    table = []
    for u in uniq:
        try:
            table.append(convert(u))
        except Exception:
            table.append(bad)
    lookup = np.empty(len(table) + 1, dtype=object)
    lookup[:-1] = table
    lookup[-1] = bad
    return lookup[codes], codes


def _plain(arr: Any) -> Any:
    """Wrapped Arrow columns as numpy object arrays (for the generic converters)."""
    if isinstance(arr, _cols.ArrowStrings):
        return arr.arrow.to_numpy(zero_copy_only=False)
    if isinstance(arr, _cols.Milli):
        return arr.source.to_numpy(zero_copy_only=False)
    return arr


def _v_dates(np: Any, pd: Any, arr: Any) -> Any:
    """Ordinals; -1 for missing or unparsable."""
    arr = _plain(arr)
    if arr.dtype.kind == "M":
        d = arr.astype("datetime64[D]")
        out = d.astype(np.int64) + _EPOCH
        out[np.isnat(d)] = -1
        return out

    def conv(v: Any) -> int:
        return int(coerce_date(_py(v), "date").toordinal())

    vals, _ = _by_unique(np, pd, arr, conv, -1)
    return vals.astype(np.int64)


def _v_money(np: Any, pd: Any, arr: Any) -> Any:
    """Thousandths of the unit (int64); sentinel -2**62 for missing, unparsable or too large."""
    bad = -(2**62)
    if isinstance(arr, _cols.Milli):
        return np.where(arr.valid, arr.values, bad)
    if arr.dtype.kind in "iu":
        a = arr.astype(np.int64)
        ok = np.abs(a) < 2**50
        return np.where(ok, a * 1000, bad)
    if arr.dtype.kind == "f":
        m = np.rint(arr * 1000.0)
        ok = np.isfinite(arr) & (np.abs(m) < 2**52)
        ok &= np.where(ok, m / 1000.0, 0.0) == np.where(ok, arr, 0.0)
        return np.where(ok, np.where(ok, m, 0).astype(np.int64), bad)

    def conv(v: Any) -> int:
        d = to_decimal(_py(v))
        s = d.scaleb(3, CONTEXT)
        if s != s.to_integral_value() or abs(s) >= 2**60:
            raise ValueError
        return int(s)

    vals, _ = _by_unique(np, pd, arr, conv, bad)
    return vals.astype(np.int64)


def _v_int(np: Any, pd: Any, arr: Any, default: int | None) -> Any:
    """int64; sentinel -2**62 for missing (when no default) or not a whole number."""
    bad = -(2**62)
    if arr is None:
        return None
    arr = _plain(arr)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        # whole numbers in a float column: integers that pandas/Spark widened because of missing values
        whole = np.isfinite(arr) & (np.floor(arr) == arr) & (np.abs(arr) < 2**52)
        missing = np.where(np.isnan(arr), default if default is not None else bad, bad)
        return np.where(whole, np.where(whole, arr, 0).astype(np.int64), missing).astype(np.int64)

    def conv(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError
        return v

    vals, codes = _by_unique(np, pd, arr, conv, bad)
    if default is not None:
        vals[codes == -1] = default
    return vals.astype(np.int64)


def _v_cat(np: Any, pd: Any, arr: Any, parse: Callable[[Any], Any], default: Any) -> Any:
    """Parsed category per row (object array); None for unparsable; default for missing."""
    if arr is None:
        out = np.empty(0, dtype=object)
        return out
    arr = _plain(arr)
    vals, codes = _by_unique(np, pd, arr, parse, None)
    if default is not None:
        vals[codes == -1] = default
    return vals


def _v_codes(np: Any, pd: Any, arr: Any, parse: Callable[[Any], Any], default: Any) -> tuple[Any, list[Any]]:
    """(codes, table): each distinct value parsed once (None: unparsable); missing rows get ``default``."""
    arr = _plain(arr)
    codes, uniq = pd.factorize(arr, use_na_sentinel=True)
    table: list[Any] = []
    for u in uniq:
        try:
            table.append(parse(u))
        except Exception:
            table.append(None)
    table.append(default)
    codes = np.asarray(codes, dtype=np.int64)
    return np.where(codes < 0, len(table) - 1, codes), table


def _codes(
    np: Any, pd: Any, raw: Mapping[str, Any], name: str, parse: Callable[[Any], Any], default: Any
) -> tuple[Any, list[Any]]:
    """:func:`_v_codes` of column ``name``; an Arrow string or decimal column is dictionary-encoded in
    Arrow (the same distinct values, no Python object per row)."""
    col = raw.arrow(name) if isinstance(raw, _cols.LazyColumns) else None
    found = _cols.arrow_codes(col) if col is not None else None
    if found is None:
        return _v_codes(np, pd, raw.get(name), parse, default)
    codes, values = found
    table: list[Any] = []
    for u in values:
        try:
            table.append(parse(u))
        except Exception:
            table.append(None)
    table.append(default)
    return np.where(codes < 0, len(table) - 1, codes), table


def _per_row(np: Any, codes: Any, table: list[Any], f: Callable[[Any], Any], dtype: Any) -> Any:
    """``f`` of each row's parsed value, computed once per distinct value."""
    return np.array([f(t) for t in table], dtype=dtype)[codes]


# -- the call ------------------------------------------------------------------------------------------


def read_table(
    table: Any,
    kind: str,
    schema: tuple[Column, ...],
    label: str,
    *,
    keep_arrow_strings: bool = False,
    lazy: bool = False,
) -> tuple[int, Any]:
    """(rows, the schema's columns present in ``table``); a missing required column is an error.

    The columns come as a dict; with ``lazy=True`` as a :class:`~autoloan.book._columns.LazyColumns`
    that reads each column when first asked for (and gives Arrow columns as they are).
    """
    n = _cols.n_rows(table, kind, label)
    raw: dict[str, Any] = {}
    missing = [c.name for c in schema if c.required and not _cols.has_column(table, kind, c.name)]
    if missing:
        raise InvalidInput.collect(
            [InvalidInput(f"{label}.{name}", None, "required column is missing") for name in missing]
        )
    if lazy:
        names = [col.name for col in schema if _cols.has_column(table, kind, col.name)]
        kept = ("loan_id", "reference", "reversal_of") if keep_arrow_strings else ()
        return n, _cols.LazyColumns(table, kind, names, kept)
    for col in schema:
        if _cols.has_column(table, kind, col.name):
            keep = keep_arrow_strings and col.name in ("loan_id", "reference", "reversal_of")
            raw[col.name] = _cols.column(table, kind, col.name, keep_arrow_strings=keep)
    return n, raw


def statuses(
    loans: Any,
    payments: Any,
    as_of: _dt.date | str,
    *,
    errors: str = "raise",
    money: str = "decimal",
    fast: bool = True,
) -> Any:
    """Every ``AccountStatus`` field for every loan on ``as_of`` (one row per loan, input order).

        ``errors``: ``"raise"`` (default; one error naming every bad row) or ``"collect"`` (returns
        :class:`Collected` ``(ok, errors)``). ``money``: ``"decimal"`` (Decimal objects) or ``"minor"``
        (int64 minor units; the ``currency`` column says which). ``fast=False`` sends every loan through
    ``account_status`` (the same numbers, slower: for checking).

        >>> from datetime import date
        >>> loans = {"loan_id": ["A"], "principal": [1200], "annual_rate": [0], "term": [12],
        ...          "start": [date(2026, 1, 1)], "currency": ["USD"]}
        >>> statuses(loans, {"loan_id": [], "date": [], "amount": []}, date(2026, 3, 10))["amount_past_due"]
        [Decimal('200.00')]
        >>> ok, bad = statuses({**loans, "term": [0]}, {"loan_id": [], "date": [], "amount": []},
        ...                    date(2026, 3, 10), errors="collect")
        >>> len(ok["loan_id"]), bad["column"], bad["reason"]
        (0, ['term'], ['must be between 1 and 5200'])
    """
    if not isinstance(errors, str) or errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    if not isinstance(money, str) or money not in ("decimal", "minor"):
        raise InvalidInput("money", money, "use 'decimal' or 'minor'")
    as_of = coerce_date(as_of, "as_of")
    kind = _cols.kind_of(loans, "loans")
    pkind = _cols.kind_of(payments, "payments")
    nl, lraw = read_table(loans, kind, LOANS, "loans", lazy=True)
    npay, praw = read_table(payments, pkind, PAYMENTS, "payments", keep_arrow_strings=True, lazy=True)
    try:
        res = _compute(nl, lraw, npay, praw, as_of, fast is not False)
    except AutoloanError:
        raise
    except Exception:
        res = _compute(nl, lraw, npay, praw, as_of, use_fast=False, vector=False)
    errs = res.errors
    if errors == "raise" and errs.rows:
        raise errs.exception()
    table = _output(kind, res, as_of, money)
    if errors == "collect":
        return Collected(table, errs.table(kind))
    return table


class _Result(NamedTuple):
    ids: Any  # loan_id values (numpy array or list)
    order: Any  # loan rows with a status, input order
    cols: dict[str, Any]  # per loan row: minor units, ordinals (0 = none), ints; -1 = no qualifying payment
    digits: Any
    codes: Any
    errors: ErrorLog
    arrow_ids: Any = None  # the loans' pyarrow string id column, when they have one without nulls


_DATE_FIELDS = ("oldest_unpaid_due_date", "next_due_date", "last_payment_date")
_RECENCY = "days_since_qualifying_payment"


def _check_ids(ids: list[Any], rows: Any, errs: ErrorLog) -> None:
    """Per-row id checks (the rows given): type and emptiness."""
    for i in rows:
        v = ids[i]
        if (
            v is None
            or isinstance(v, bool)
            or not isinstance(v, str | int)
            or (isinstance(v, str) and not v.strip())
        ):
            errs.add("loans", i, v, "loan_id", "must be a non-empty string or an integer", v)


def _arrow_strings(raw: Any, name: str, *, nulls: bool = False) -> Any:
    """Column ``name`` as one ``pa.string()`` array (:meth:`_cols.LazyColumns.arrow`) when it has no
    nulls (or ``nulls=True``), else ``None``."""
    if not isinstance(raw, _cols.LazyColumns):
        return None
    col = raw.arrow(name)
    if col is None or (col.null_count and not nulls):
        return None
    import pyarrow as pa

    if not pa.types.is_string(col.type):
        return None
    return col.combine_chunks()


def _money(np: Any, pd: Any, raw: Mapping[str, Any], name: str) -> Any:
    """:func:`_v_money` of column ``name``; a decimal column (Arrow's, or Decimal objects converted to
    Arrow) is read from its words."""
    col = raw.arrow(name) if isinstance(raw, _cols.LazyColumns) else None
    if col is not None:
        import pyarrow as pa

        if isinstance(col.type, pa.Decimal128Type):
            milli = _cols.arrow_milli(col)
            if milli is not None:
                return np.where(milli.valid, milli.values, -(2**62))
    return _v_money(np, pd, raw[name])


def _arrow_ordinals(np: Any, raw: Any, name: str) -> Any:
    """Date ordinals of a pyarrow ``date32`` column without nulls, read from its days; else ``None``."""
    if not isinstance(raw, _cols.LazyColumns):
        return None
    col = raw.arrow(name)
    if col is None or col.null_count:
        return None
    import pyarrow as pa

    if not pa.types.is_date32(col.type):
        return None
    return col.cast(pa.int32()).to_numpy().astype(np.int64) + _EPOCH


def _index_in_runs(np: Any, values: Any, keys: Any, key_index: Any = None) -> Any:
    """``pc.index_in(values, keys)`` (-1: not found), looked up once per run of equal values.

    ``key_index``: a ``pd.Index`` of the keys' distinct fingerprints (:func:`_cols.string_hashes`);
    a value is then found by its fingerprint and confirmed by comparing the strings (different
    fingerprints: different strings; a fingerprint matches at most one key).
    """
    import pyarrow.compute as pc

    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    change = pc.not_equal(values.slice(1), values.slice(0, n - 1))
    heads = np.flatnonzero(
        np.concatenate(([True], np.asarray(change.to_numpy(zero_copy_only=False), dtype=bool)))
    )
    head_values = values.take(heads)
    if key_index is not None:
        pos = np.asarray(key_index.get_indexer(_cols.string_hashes(head_values)), dtype=np.int64)
        hit = pos >= 0
        same = pc.equal(keys.take(np.where(hit, pos, 0)), head_values)
        pos[~(hit & np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool))] = -1
    else:
        found = pc.index_in(head_values, value_set=keys)
        pos = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.repeat(pos, np.diff(np.append(heads, n)))


#: Loans per call of the fast path when the payments come grouped by loan in the loans' order: the
#: columns of one slice of the book are read and computed at a time (memory bounded by the slice).
FAST_SLICE = 32_768


def _slices(
    np: Any, nl: int, npay: int, pay_loan: Any, lraw: Mapping[str, Any], praw: Mapping[str, Any]
) -> list[tuple[int, int, int, int]]:
    """``(first loan, end loan, first payment row, end payment row)`` of each slice of the book: slices of
    :data:`FAST_SLICE` loans with their payments (contiguous rows), or the whole book in one piece when the
    payments are not grouped by loan in the loans' order (or the tables cannot be sliced)."""
    whole = [(0, nl, 0, npay)]
    if nl <= FAST_SLICE or not (_cols.LazyColumns.sliceable(lraw) and _cols.LazyColumns.sliceable(praw)):
        return whole
    if npay:
        # unknown ids (-1) take the loan before them; then grouped in order <=> non-decreasing
        if bool((pay_loan >= 0).all()):
            filled = pay_loan
            if not bool((pay_loan[1:] >= pay_loan[:-1]).all()):
                return whole
        else:
            filled = np.maximum.accumulate(pay_loan)  # non-decreasing by construction
            known = pay_loan >= 0
            if bool((pay_loan[known] != filled[known]).any()):
                return whole
    else:
        filled = np.zeros(0, dtype=np.int64)
    bounds = [*range(0, nl, FAST_SLICE), nl]
    rows = np.searchsorted(filled, bounds, side="left").tolist() if npay else [0] * len(bounds)
    rows[0], rows[-1] = 0, npay
    return [(bounds[i], bounds[i + 1], rows[i], rows[i + 1]) for i in range(len(bounds) - 1)]


def _compute(
    nl: int,
    lraw: Mapping[str, Any],
    npay: int,
    praw: Mapping[str, Any],
    as_of: _dt.date,
    use_fast: bool = True,
    vector: bool = True,
) -> _Result:
    errs = ErrorLog()
    libs = _vector_libs() if vector else None
    raw_ids = lraw["loan_id"]
    pay_loan: Any
    if libs is not None:
        np, pd = libs
        idarr = raw_ids if hasattr(raw_ids, "dtype") else _cols.column({"x": raw_ids}, "mapping", "x")
        id_strings = _arrow_strings(lraw, "loan_id")  # a pyarrow string column without nulls, or None
        index: Any = None
        dup: Any = None
        id_index: Any = None  # fingerprints of the ids when they are all different
        if id_strings is not None:
            # every id is a string: only the blank ones are bad; unique fingerprints mean unique ids
            id_hashes, id_blank = _cols.string_scan(id_strings)
            blank_rows = np.nonzero(id_blank)[0].tolist()
            if blank_rows:
                _check_ids([_py(v) for v in idarr], blank_rows, errs)
            hashed = pd.Index(id_hashes)
            if hashed.is_unique:
                dup = np.zeros(nl, dtype=bool)
                id_index = hashed
        elif idarr.dtype.kind == "O":
            inferred = pd.api.types.infer_dtype(idarr, skipna=False)
            if inferred == "string":
                if all(map(str.strip, idarr)):
                    _check_ids_rows = []
                else:
                    empty = np.fromiter((not v.strip() for v in idarr), dtype=bool, count=nl)
                    _check_ids_rows = np.nonzero(empty)[0].tolist()
            elif inferred == "integer":
                _check_ids_rows = []
            else:
                _check_ids_rows = list(range(nl))
            if _check_ids_rows:
                _check_ids([_py(v) for v in idarr], _check_ids_rows, errs)
        elif idarr.dtype.kind in "iu":
            pass
        else:
            _check_ids([_py(v) for v in idarr], range(nl), errs)
        ids_list: Any = idarr
        if dup is None:
            index = pd.Index(idarr, dtype=object) if idarr.dtype.kind == "O" else pd.Index(idarr)
            dup = np.asarray(index.duplicated(keep=False), dtype=bool)
        if dup.any():
            first: dict[Any, int] = {}
            for i in np.nonzero(dup)[0].tolist():
                v = _py(idarr[i])
                j = first.setdefault(v, i)
                errs.add("loans", i, v, "loan_id", f"is used by more than one row (first row {j})", v)
        good = np.ones(nl, dtype=bool)
        good[list(errs.bad_loans)] = False
        good_rows = np.nonzero(good)[0]
        if npay:
            pay_strings = _arrow_strings(praw, "loan_id")
            if id_strings is not None and pay_strings is not None:
                keys = id_strings if len(good_rows) == nl else id_strings.take(good_rows)
                pos = _index_in_runs(np, pay_strings, keys, id_index if len(good_rows) == nl else None)
            else:
                pids = praw["loan_id"]
                if index is None:
                    index = pd.Index(idarr, dtype=object) if idarr.dtype.kind == "O" else pd.Index(idarr)
                gindex = index[good_rows]
                if isinstance(pids, _cols.ArrowStrings):
                    import pyarrow as pa
                    import pyarrow.compute as pc

                    keys = pa.array(gindex.to_numpy(), type=pa.string()) if idarr.dtype.kind == "O" else None
                    if keys is not None and pd.api.types.infer_dtype(gindex, skipna=False) == "string":
                        found = pc.index_in(pids.arrow, value_set=keys)
                        pos = np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
                    else:
                        pos = np.full(npay, -1, dtype=np.int64)
                else:
                    pindex = pd.Index(pids, dtype=object) if pids.dtype.kind == "O" else pd.Index(pids)
                    pos = gindex.get_indexer(pindex)
            pay_loan = np.append(good_rows, -1).astype(np.int64)[pos]
            pid_dtype = getattr(praw["loan_id"], "dtype", None) if pay_strings is None else None
            if pid_dtype is not None and pid_dtype.kind == "f":
                pay_loan[:] = -1  # float ids are never loan ids
            unknown = np.nonzero(pay_loan < 0)[0].tolist()
        else:
            pay_loan = np.zeros(0, dtype=np.int64)
            unknown = []
        fields: dict[str, Any] = {
            name: np.zeros(nl, dtype=np.int64)
            for name in (*MONEY_STATUS_COLUMNS, *_INT_FIELDS, *_DATE_FIELDS, _RECENCY)
        }
        fields[_RECENCY][:] = -1
        digits: Any = np.full(nl, 2, dtype=np.int64)
        codes: Any = np.full(nl, "CNY", dtype=object)
        done: Any = np.zeros(nl, dtype=bool)
    else:
        id_strings = None
        ids_list = [_py(v) for v in raw_ids]
        _check_ids(ids_list, range(nl), errs)
        first_row: dict[Any, int] = {}
        for i, v in enumerate(ids_list):
            if i in errs.bad_loans:
                continue
            j = first_row.setdefault(v, i)
            if j != i:
                errs.add("loans", j, v, "loan_id", f"is used by more than one row (first row {j})", v)
                errs.add("loans", i, v, "loan_id", f"is used by more than one row (first row {j})", v)
        index_d = {v: i for v, i in first_row.items() if i not in errs.bad_loans}
        pay_loan = [-1] * npay
        for r, v in enumerate(praw["loan_id"]):
            v = _py(v)
            pay_loan[r] = index_d.get(v, -1) if isinstance(v, str | int) and not isinstance(v, bool) else -1
        unknown = [r for r in range(npay) if pay_loan[r] < 0]
        fields = {name: [0] * nl for name in (*MONEY_STATUS_COLUMNS, *_INT_FIELDS, *_DATE_FIELDS, _RECENCY)}
        fields[_RECENCY] = [-1] * nl
        digits = [2] * nl
        codes = ["CNY"] * nl
        done = [False] * nl
    for r in unknown:
        v = _py(praw["loan_id"][r])
        errs.add("payments", r, v, "loan_id", "no loan with this loan_id", v)
    if libs is not None and nl and use_fast:
        for a, b, p0, p1 in _slices(libs[0], nl, npay, pay_loan, lraw, praw):
            if a == 0 and b == nl:
                _fast(libs, nl, lraw, npay, praw, pay_loan, as_of, errs, fields, digits, codes, done)
                continue
            part = ErrorLog()
            part.bad_loans = {i - a for i in errs.bad_loans if a <= i < b}
            ploan = pay_loan[p0:p1]
            _fast(
                libs,
                b - a,
                cast(_cols.LazyColumns, lraw).rows(a, b),
                p1 - p0,
                cast(_cols.LazyColumns, praw).rows(p0, p1),
                libs[0].where(ploan >= 0, ploan - a, -1),
                as_of,
                part,
                {name: col[a:b] for name, col in fields.items()},
                digits[a:b],
                codes[a:b],
                done[a:b],
            )
    # everything else: one loan at a time through account_status
    by_loan: dict[int, list[int]] = {}
    if libs is not None:
        np = libs[0]
        if npay:
            done_arr = np.append(done, True)
            todo = np.nonzero(~done_arr[pay_loan])[0]
            for r, j in zip(todo.tolist(), pay_loan[todo].tolist(), strict=True):
                by_loan.setdefault(j, []).append(r)
        pending = np.nonzero(~done)[0].tolist()
    else:
        for r, j in enumerate(pay_loan):
            if j >= 0:
                by_loan.setdefault(j, []).append(r)
        pending = list(range(nl))
    for i in pending:
        if i in errs.bad_loans:
            continue
        loan_id = _py(ids_list[i])
        row = row_values(lraw, LOANS, i)
        try:
            terms, rules = terms_from_row(row)
        except InvalidInput as exc:
            errs.from_exc("loans", i, loan_id, exc, "terms")
            continue
        cur = currency(terms.currency)
        rows = by_loan.get(i, [])
        pays = loan_payments(praw, rows, cur.minor_units, i, loan_id, errs)
        if pays is None:
            continue
        try:
            st = account_status(terms, pays, as_of, rules=rules)
        except InvalidInput as exc:
            path = exc.path
            if len(path) >= 2 and path[0] == "payments" and isinstance(path[1], int) and path[1] < len(rows):
                r = rows[path[1]]
                col = str(path[2]) if len(path) > 2 else "payments"
                errs.add("payments", r, loan_id, col, exc.reason, exc.value)
                errs.add("loans", i, loan_id, "payments", _BAD_PAYMENT, None)
            else:
                errs.add("loans", i, loan_id, "payments", exc.reason, exc.value)
            continue
        for name, v in _statusrow_values(st, cur.minor_units).items():
            if name in fields:
                fields[name][i] = v
        digits[i] = cur.minor_units
        codes[i] = cur.code
        done[i] = True
    if libs is not None:
        np = libs[0]
        ok = np.asarray(done, dtype=bool).copy()
        ok[list(errs.bad_loans)] = False
        order: Any = np.nonzero(ok)[0]
    else:
        order = [i for i in range(nl) if done[i] and i not in errs.bad_loans]
    return _Result(ids_list, order, fields, digits, codes, errs, id_strings)


_BAD_PAYMENT = "a payment of this loan is bad (see the payments rows)"


def _fast(
    libs: tuple[Any, Any],
    nl: int,
    lraw: Mapping[str, Any],
    npay: int,
    praw: Mapping[str, Any],
    ploan: Any,
    as_of: _dt.date,
    errs: ErrorLog,
    fields: dict[str, Any],
    digits: Any,
    codes: Any,
    done: Any,
) -> None:
    """Find the loans the fast path answers, compute them, and mark them done."""
    np, pd = libs
    i64 = np.int64
    bad = -(2**62)
    get = lraw.get
    default_cur = currency("CNY")
    if get("currency") is not None:
        cur_codes, cur_table = _codes(np, pd, lraw, "currency", currency, default_cur)
    else:
        cur_codes, cur_table = np.zeros(nl, dtype=i64), [default_cur]
    cur_ok = _per_row(np, cur_codes, cur_table, lambda c: c is not None, bool)
    dig = _per_row(np, cur_codes, cur_table, lambda c: c.minor_units if c is not None else 2, i64)
    code_col = _per_row(np, cur_codes, cur_table, lambda c: c.code if c is not None else "", object)
    scale_down = 10 ** (3 - dig)
    fast = cur_ok.copy()
    fast[list(errs.bad_loans)] = False

    principal = _money(np, pd, lraw, "principal")
    fast &= (principal != bad) & (principal > 0) & (principal % scale_down == 0) & (principal <= 10**18)
    principal = principal // scale_down
    if get("balloon") is not None:
        balloon = _v_money(np, pd, get("balloon"))
        balloon = np.where(_missing_mask(np, pd, get("balloon")), 0, balloon)
        fast &= (balloon != bad) & (balloon >= 0) & (balloon % scale_down == 0)
        balloon = balloon // scale_down
        fast &= balloon < principal
    else:
        balloon = np.zeros(nl, dtype=i64)
    for name in ("fees", "interest_only_periods"):
        if get(name) is not None:
            v = _v_money(np, pd, get(name)) if name == "fees" else _v_int(np, pd, get(name), 0)
            fast &= (v == 0) | _missing_mask(np, pd, get(name))

    def rate(v: Any) -> tuple[int, int]:
        r = to_rate(_py(v))
        if not 0 <= r <= 10:
            raise ValueError
        n, d = r.as_integer_ratio()
        if n >= 2**40 or d >= 2**40:
            raise ValueError
        return n, d

    rate_codes, rate_table = _codes(np, pd, lraw, "annual_rate", rate, None)
    fast &= _per_row(np, rate_codes, rate_table, lambda r: r is not None, bool)
    rnum = _per_row(np, rate_codes, rate_table, lambda r: r[0] if r is not None else 0, i64)
    rden = _per_row(np, rate_codes, rate_table, lambda r: r[1] if r is not None else 1, i64)
    term = _v_int(np, pd, get("term"), None)
    fast &= (term >= 1) & (term <= 480)
    start = _arrow_ordinals(np, lraw, "start")
    if start is None:
        start = _v_dates(np, pd, get("start"))
    fast &= start > 0
    if get("first_due") is not None:
        fd = _v_dates(np, pd, get("first_due"))
        miss = _missing_mask(np, pd, get("first_due"))
        regular = add_months_columns(np, np.where(start > 0, start, _EPOCH), np.ones(nl, dtype=i64))
        fast &= miss | (fd == regular)

    def member_of(name: str, parse: Callable[[Any], Any], default: Any, allowed: tuple[Any, ...]) -> Any:
        codes, table = _codes(np, pd, lraw, name, parse, default)
        return _per_row(np, codes, table, lambda v: v in allowed, bool), codes, table

    if get("method") is not None:
        ok_m, m_codes, m_table = member_of(
            "method", Method.parse, Method.ANNUITY, (Method.ANNUITY, Method.BALLOON)
        )
        fast &= ok_m
        is_balloon = _per_row(np, m_codes, m_table, lambda m: m is Method.BALLOON, bool)
        fast &= ~is_balloon | (balloon > 0)
    if get("frequency") is not None:
        fast &= member_of("frequency", Frequency.parse, Frequency.MONTHLY, (Frequency.MONTHLY,))[0]
    dc_code = np.zeros(nl, dtype=i64)
    if get("day_count") is not None:
        ok_d, d_codes, d_table = member_of("day_count", DayCount.parse, DayCount.THIRTY_360, FAST_DAY_COUNTS)
        fast &= ok_d
        dc_code = _per_row(
            np, d_codes, d_table, lambda d: FAST_DAY_COUNTS.index(d) if d in FAST_DAY_COUNTS else 0, i64
        )
    if get("rounding") is not None:
        fast &= member_of("rounding", Rounding.parse, Rounding.HALF_UP, (Rounding.HALF_UP,))[0]
    if get("servicing") is not None:
        default_rules = _rules("default")
        fast &= member_of("servicing", _rules, default_rules, (default_rules,))[0]

    # payments (the common case -- every payment of a known loan, every reference given, one currency --
    # skips the selections)
    if npay:
        pord = _arrow_ordinals(np, praw, "date")
        if pord is None:
            pord = _v_dates(np, pd, praw["date"])
        pamt = _money(np, pd, praw, "amount")
    else:
        pord = pamt = np.zeros(0, dtype=i64)
    known = ploan >= 0
    all_known = bool(known.all())
    lp = ploan if all_known else np.where(known, ploan, 0)
    one_scale = bool((scale_down == scale_down[0]).all())
    sd = scale_down[0] if one_scale else scale_down[lp]
    pok = (pord > 0) & (pamt > 0) & (pamt % sd == 0)  # bad (-2**62) is never > 0
    if not all_known:
        pok &= known
    ref_arrow = _arrow_strings(praw, "reference", nulls=True) if npay else None
    ref = praw.get("reference") if ref_arrow is None else None
    if (ref is not None or ref_arrow is not None) and npay:
        if ref_arrow is not None:
            present = ~np.asarray(ref_arrow.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        else:
            present = ~_missing_mask(np, pd, ref)
        if not all_known:
            present &= known
        every = bool(present.all())
        if every or present.any():
            sel_rows: Any = slice(None) if every else np.nonzero(present)[0]
            if ref_arrow is not None:
                hashes, blank_all = _cols.string_scan(ref_arrow)
                blank = blank_all[sel_rows]
                # 32 bits of the fingerprint: equal references always collide (a collision is checked
                # exactly by the engine)
                ref_codes = (hashes[sel_rows] >> np.uint64(32)).astype(np.int64)
            else:
                vals = cast(Any, ref)[sel_rows]
                blank = np.fromiter(
                    (not (isinstance(v, str) and v.strip()) for v in vals), dtype=bool, count=len(vals)
                )
                ref_codes = np.asarray(pd.factorize(vals)[0], dtype=np.int64)
            if blank.any():
                pok[np.arange(npay)[sel_rows][blank]] = False
            # same loan, same reference: sorted (loan, reference) pairs side by side (payments grouped
            # by loan are nearly sorted already, which the stable sort runs through quickly)
            pairs = np.sort((ploan[sel_rows] << 32) | ref_codes, kind="stable")
            same = pairs[1:] == pairs[:-1]
            if same.any():
                fast[np.unique(pairs[1:][same] >> 32)] = False
    rev = praw.get("reversal_of")
    if rev is not None and npay:
        fast[np.unique(ploan[known & ~_missing_mask(np, pd, rev)])] = False  # replayed by the engine
    # a bad payment row: its loan goes the per-row way, which reports it exactly
    if not pok.all():
        fast[np.unique(ploan[known & ~pok])] = False
    fast[list(errs.bad_loans)] = False
    rows = np.nonzero(fast)[0]
    if not len(rows):
        return
    if len(rows) == nl and all_known:
        pay_loan, pay_ord, pay_amt = ploan, pord, pamt
    else:
        remap = np.full(nl, -1, dtype=i64)
        remap[rows] = np.arange(len(rows))
        pmask = known & (remap[lp] >= 0)
        pay_loan, pay_ord, pay_amt = remap[ploan[pmask]], pord[pmask], pamt[pmask]
        if not one_scale:
            sd = sd[pmask]
    res = fast_statuses(
        principal=principal[rows],
        balloon=balloon[rows],
        term=term[rows],
        start=start[rows],
        rate_num=rnum[rows],
        rate_den=rden[rows],
        day_count=dc_code[rows],
        pay_loan=pay_loan,
        pay_ord=pay_ord,
        pay_amount=pay_amt // sd,
        as_of=as_of.toordinal(),
    )
    okr = res["ok"]
    sel = rows[okr]
    if not len(sel):
        return
    for name in (*MONEY_STATUS_COLUMNS, "days_past_due", "installments_in_arrears", *_DATE_FIELDS):
        if name in res:
            fields[name][sel] = res[name][okr]
    fields["days_delinquent"][sel] = res["days_past_due"][okr]
    lq = res["last_qualifying_date"][okr]
    fields[_RECENCY][sel] = np.where(lq > 0, as_of.toordinal() - lq, -1)
    digits[sel] = dig[sel]
    codes[sel] = code_col[sel]
    done[sel] = True


def _missing_mask(np: Any, pd: Any, arr: Any) -> Any:
    if isinstance(arr, _cols.Milli):
        return ~arr.valid
    if isinstance(arr, _cols.ArrowStrings):
        return np.asarray(arr.arrow.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "M":
        return np.isnat(arr)
    if arr.dtype.kind in "iub":
        return np.zeros(len(arr), dtype=bool)
    return np.asarray(pd.isna(arr), dtype=bool)


def _output(kind: str, res: _Result, as_of: _dt.date, money: str) -> Any:
    libs = _vector_libs()
    if libs is None or not hasattr(res.order, "dtype"):
        return _output_lists(kind, res, as_of, money)
    np, _pd = libs
    order = res.order
    f = res.cols
    n = len(order)
    digits = res.digits[order]
    max_digits = int(digits.max()) if n else 2
    cols: dict[str, Any] = {}
    if kind == "arrow" and res.arrow_ids is not None and n:
        cols["loan_id"] = ("arrow", res.arrow_ids if n == len(res.arrow_ids) else res.arrow_ids.take(order))
    else:
        cols["loan_id"] = res.ids[order] if hasattr(res.ids, "dtype") else [res.ids[i] for i in order]
    cols["as_of"] = ("date_const", as_of)
    cols["currency"] = res.codes[order]
    for name in STATUS_COLUMNS[3:]:
        if name in MONEY_STATUS_COLUMNS:
            cols[name] = ("money", f[name][order])
        elif name in _DATE_FIELDS:
            cols[name] = ("date", f[name][order])
        elif name == _RECENCY:
            cols[name] = ("optint", f[name][order])
        elif name == "partial_payment":
            cols[name] = ("const", "aggregate")
        else:
            cols[name] = ("int", f[name][order])
    return _emit(np, kind, cols, n, digits, max_digits, money)


def _decimals(np: Any, units: Any, digits: Any) -> Any:
    """An object array of Decimals (one object per distinct amount)."""
    out = np.empty(len(units), dtype=object)
    for d in np.unique(digits).tolist() if len(units) else []:
        sel = digits == d
        uniq, inv = np.unique(units[sel], return_inverse=True)
        objs = np.empty(len(uniq), dtype=object)
        objs[:] = [Decimal(u).scaleb(-d, CONTEXT) for u in uniq.tolist()]
        out[sel] = objs[inv]
    return out


def _dates(np: Any, ords: Any) -> Any:
    uniq, inv = np.unique(ords, return_inverse=True)
    objs = np.empty(len(uniq), dtype=object)
    objs[:] = [_dt.date.fromordinal(o) if o else None for o in uniq.tolist()]
    return objs[inv]


def _emit(np: Any, kind: str, cols: dict[str, Any], n: int, digits: Any, max_digits: int, money: str) -> Any:
    if kind == "arrow":
        import pyarrow as pa

        arrays: list[Any] = []
        for name, spec in cols.items():
            if not isinstance(spec, tuple):
                arrays.append(pa.array(spec, type=pa.string() if name == "currency" else None))
                continue
            tag, v = spec
            if tag == "money":
                if money == "minor":
                    arrays.append(pa.array(v, type=pa.int64()))
                else:
                    scaled = v * (10 ** (max_digits - digits))
                    words = np.empty((n, 2), dtype="<i8")
                    words[:, 0] = scaled
                    words[:, 1] = scaled >> 63
                    arrays.append(
                        pa.Array.from_buffers(
                            pa.decimal128(38, max_digits), n, [None, pa.py_buffer(words.tobytes())]
                        )
                    )
            elif tag == "date":
                d = (v - _EPOCH).astype("datetime64[D]")
                arrays.append(pa.array(d, type=pa.date32(), mask=v == 0))
            elif tag == "date_const":
                arrays.append(
                    pa.array(np.full(n, v.toordinal() - _EPOCH).astype("datetime64[D]"), type=pa.date32())
                )
            elif tag == "optint":
                arrays.append(pa.array(v, type=pa.int64(), mask=v < 0))
            elif tag == "const":
                arrays.append(pa.repeat(pa.scalar(v, type=pa.string()), n))
            elif tag == "arrow":
                arrays.append(v)
            else:
                arrays.append(pa.array(v, type=pa.int64()))
        return pa.table(arrays, names=list(cols))
    out: dict[str, Any] = {}
    for name, spec in cols.items():
        if not isinstance(spec, tuple):
            out[name] = spec
            continue
        tag, v = spec
        if tag == "money":
            out[name] = v if money == "minor" else _decimals(np, v, digits)
        elif tag == "date":
            out[name] = _dates(np, v)
        elif tag == "date_const":
            out[name] = np.full(n, v, dtype=object)
        elif tag == "optint":
            out[name] = ("optint", v)
        elif tag == "const":
            out[name] = np.full(n, v, dtype=object)
        else:
            out[name] = v
    if kind == "pandas":
        import pandas as pd

        data = {}
        for name, v in out.items():
            if isinstance(v, tuple):
                data[name] = pd.array(np.where(v[1] < 0, 0, v[1]), dtype="Int64")
                data[name][v[1] < 0] = pd.NA
            elif v.dtype.kind == "i":
                data[name] = v
            else:
                data[name] = pd.Series(v, dtype=object)
        return pd.DataFrame(data, columns=list(out))
    lists: dict[str, list[Any]] = {}
    for name, v in out.items():
        if isinstance(v, tuple):
            lists[name] = [x if x >= 0 else None for x in v[1].tolist()]
        else:
            lists[name] = v.tolist()
    return lists


def _output_lists(kind: str, res: _Result, as_of: _dt.date, money: str) -> Any:
    """numpy-less output: plain lists (mapping only; pandas and pyarrow imply numpy)."""
    order = res.order
    f = res.cols
    out: dict[str, list[Any]] = {
        "loan_id": [res.ids[i] for i in order],
        "as_of": [as_of] * len(order),
        "currency": [res.codes[i] for i in order],
    }
    for name in STATUS_COLUMNS[3:]:
        col: Any = f.get(name)
        if name in MONEY_STATUS_COLUMNS:
            out[name] = [
                col[i] if money == "minor" else Decimal(col[i]).scaleb(-res.digits[i], CONTEXT) for i in order
            ]
        elif name in _DATE_FIELDS:
            out[name] = [_cols.ordinal_date(col[i]) for i in order]
        elif name == _RECENCY:
            out[name] = [col[i] if col[i] >= 0 else None for i in order]
        elif name == "partial_payment":
            out[name] = ["aggregate"] * len(order)
        else:
            out[name] = [col[i] for i in order]
    if kind == "mapping":
        return out
    types = dict(_STATUS_TYPES)
    for name in MONEY_STATUS_COLUMNS:
        types[name] = "minor" if money == "minor" else "money"
    return _cols.build(kind, out, types, money_digits=max((res.digits[i] for i in order), default=2))
