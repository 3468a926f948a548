"""``book.statuses``: every :class:`~autoloan.servicing.AccountStatus` field for a whole book.

Loans and payments come as tables (see :mod:`autoloan.book.schema`); the result is a table of the
same kind as ``loans`` with one row per good loan, in input order. The common case runs on the
fast path (:mod:`autoloan.book.fastpath`, numpy over whole columns); every other loan runs through
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
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from autoloan.amortization import Fee, LoanTerms, Method
from autoloan.book import columns as _cols
from autoloan.book.fastpath import FAST_DAY_COUNTS, add_months_columns, fast_statuses
from autoloan.book.schema import ERROR_COLUMNS, LOANS, MONEY_STATUS_COLUMNS, PAYMENTS, STATUS_COLUMNS, Column
from autoloan.dates import DayCount, Frequency, coerce_date
from autoloan.errors import InvalidInput
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


class _Errors:
    """Bad rows found so far: (table, row, loan_id, column, reason, value)."""

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
        types = {
            "table": "text",
            "row": "int",
            "loan_id": "id",
            "column": "text",
            "reason": "text",
            "value": "text",
        }
        if kind == "arrow":
            cols["loan_id"] = [None if v is None else str(v) for v in cols["loan_id"]]
            types["loan_id"] = "text"
        return _cols.build(kind, cols, types)


def _show(value: Any) -> str:
    from autoloan.errors import show_value

    return show_value(value)


# -- per-row conversion -------------------------------------------------------------------------------


_py = _cols.py_value


def _row(raw: dict[str, Any], schema: tuple[Column, ...], i: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in schema:
        values = raw.get(col.name)
        v = None if values is None else _py(values[i])
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
    term = row["term"]
    terms = LoanTerms(
        principal=row["principal"],
        annual_rate=row["annual_rate"],
        term=term,
        start=row["start"],
        first_due=row.get("first_due"),
        frequency=row.get("frequency") or "monthly",
        method=row.get("method") or "annuity",
        day_count=row.get("day_count"),
        balloon=row.get("balloon") or 0,
        interest_only_periods=row.get("interest_only_periods") or 0,
        fees=fees,
        currency=row.get("currency") or "CNY",
        rounding=row.get("rounding") or "half_up",
    )
    return terms, _rules(row.get("servicing") or "default")


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


def _payment(row: dict[str, Any]) -> Payment:
    if row.get("date") is None:
        raise InvalidInput("date", None, "is required")
    if row.get("amount") is None:
        raise InvalidInput("amount", None, "is required")
    return Payment(
        row["date"], row["amount"], reference=row.get("reference"), reversal_of=row.get("reversal_of")
    )


def _minor(value: Decimal, digits: int) -> int:
    return int(value.scaleb(digits, CONTEXT))


_INT_FIELDS = ("days_past_due", "installments_in_arrears", "days_delinquent")


def _status_row(st: AccountStatus, digits: int) -> dict[str, Any]:
    row: dict[str, Any] = {name: _minor(getattr(st, name), digits) for name in MONEY_STATUS_COLUMNS}
    for name in _INT_FIELDS:
        row[name] = getattr(st, name)
    row["days_since_qualifying_payment"] = st.days_since_qualifying_payment
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


def _v_dates(np: Any, pd: Any, arr: Any) -> Any:
    """Ordinals; -1 for missing or unparsable."""
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
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    if arr.dtype.kind == "f":
        return np.where(np.isnan(arr), default if default is not None else bad, bad).astype(np.int64)

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
    vals, codes = _by_unique(np, pd, arr, parse, None)
    if default is not None:
        vals[codes == -1] = default
    return vals


# -- the call ------------------------------------------------------------------------------------------


def _read(table: Any, kind: str, schema: tuple[Column, ...], label: str) -> tuple[int, dict[str, Any]]:
    n = _cols.n_rows(table, kind, label)
    raw: dict[str, Any] = {}
    missing = [c.name for c in schema if c.required and not _cols.has_column(table, kind, c.name)]
    if missing:
        raise InvalidInput.collect(
            [InvalidInput(f"{label}.{name}", None, "required column is missing") for name in missing]
        )
    for col in schema:
        if _cols.has_column(table, kind, col.name):
            raw[col.name] = _cols.column(table, kind, col.name)
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
    if errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    if money not in ("decimal", "minor"):
        raise InvalidInput("money", money, "use 'decimal' or 'minor'")
    as_of = coerce_date(as_of, "as_of")
    kind = _cols.kind_of(loans, "loans")
    pkind = _cols.kind_of(payments, "payments")
    nl, lraw = _read(loans, kind, LOANS, "loans")
    npay, praw = _read(payments, pkind, PAYMENTS, "payments")
    res = _compute(nl, lraw, npay, praw, as_of, fast is not False)
    errs = res.errors
    if errors == "raise" and errs.rows:
        raise errs.exception()
    table = _output(kind, res, as_of, money)
    if errors == "collect":
        return Collected(table, errs.table(kind))
    return table


class _Result(NamedTuple):
    ids: list[Any]
    order: list[int]  # loan rows with a status, input order
    cols: dict[str, list[Any]]  # per loan row (None for rejected rows)
    digits: list[int]
    codes: list[str]
    errors: _Errors


def _compute(
    nl: int, lraw: dict[str, Any], npay: int, praw: dict[str, Any], as_of: _dt.date, use_fast: bool = True
) -> _Result:
    errs = _Errors()
    ids = [_py(v) for v in lraw["loan_id"]]
    index: dict[Any, int] = {}
    for i, v in enumerate(ids):
        if (
            v is None
            or isinstance(v, bool)
            or not isinstance(v, str | int)
            or (isinstance(v, str) and not v.strip())
        ):
            errs.add("loans", i, v, "loan_id", "must be a non-empty string or an integer", v)
            continue
        j = index.setdefault(v, i)
        if j != i:
            if j not in errs.bad_loans:
                errs.add("loans", j, v, "loan_id", f"is used by more than one row (rows {j} and {i})", v)
            errs.add("loans", i, v, "loan_id", f"is used by more than one row (rows {j} and {i})", v)
    # payments -> loan rows
    pids = lraw_ids = praw["loan_id"]
    del lraw_ids
    pay_loan = [-1] * npay
    for r, v in enumerate(pids):
        v = _py(v)
        j = index.get(v, -1) if v is not None and not isinstance(v, float) else -1
        if j < 0:
            errs.add("payments", r, v, "loan_id", "no loan with this loan_id", v)
        pay_loan[r] = j
    fields: dict[str, list[Any]] = {name: [0] * nl for name in (*MONEY_STATUS_COLUMNS, *_INT_FIELDS)}
    fields.update(
        {name: [0] * nl for name in ("oldest_unpaid_due_date", "next_due_date", "last_payment_date")}
    )
    fields["days_since_qualifying_payment"] = [None] * nl
    fields["partial_payment"] = ["aggregate"] * nl
    digits = [2] * nl
    codes = ["CNY"] * nl
    done = [False] * nl
    libs = _vector_libs()
    if libs is not None and nl and use_fast:
        _fast(libs, nl, lraw, npay, praw, pay_loan, as_of, errs, fields, digits, codes, done)
    # everything else: one loan at a time through account_status
    by_loan: dict[int, list[int]] = {}
    for r, j in enumerate(pay_loan):
        if j >= 0 and not done[j]:
            by_loan.setdefault(j, []).append(r)
    for i in range(nl):
        if done[i] or i in errs.bad_loans:
            continue
        loan_id = ids[i]
        row = _row(lraw, LOANS, i)
        try:
            terms, rules = terms_from_row(row)
        except InvalidInput as exc:
            errs.from_exc("loans", i, loan_id, exc, "terms")
            continue
        cur = currency(terms.currency)
        pays: list[Payment] = []
        rows = by_loan.get(i, [])
        bad = False
        for r in rows:
            try:
                p = _payment(_row(praw, PAYMENTS, r))
                p.minor_units(cur.minor_units)
            except InvalidInput as exc:
                errs.from_exc("payments", r, loan_id, exc, "payment")
                bad = True
                continue
            pays.append(p)
        if bad:
            errs.add(
                "loans", i, loan_id, "payments", "a payment of this loan is bad (see the payments rows)", None
            )
            continue
        try:
            st = account_status(terms, pays, as_of, rules=rules)
        except InvalidInput as exc:
            path = exc.path
            if len(path) >= 2 and path[0] == "payments" and isinstance(path[1], int) and path[1] < len(rows):
                r = rows[path[1]]
                errs.add(
                    "payments",
                    r,
                    loan_id,
                    str(path[2]) if len(path) > 2 else "payments",
                    exc.reason,
                    exc.value,
                )
                errs.add(
                    "loans",
                    i,
                    loan_id,
                    "payments",
                    "a payment of this loan is bad (see the payments rows)",
                    None,
                )
            else:
                errs.add("loans", i, loan_id, "payments", exc.reason, exc.value)
            continue
        srow = _status_row(st, cur.minor_units)
        for name, v in srow.items():
            fields[name][i] = v
        digits[i] = cur.minor_units
        codes[i] = cur.code
        done[i] = True
    order = [i for i in range(nl) if done[i] and i not in errs.bad_loans]
    return _Result(ids, order, fields, digits, codes, errs)


def _fast(
    libs: tuple[Any, Any],
    nl: int,
    lraw: dict[str, Any],
    npay: int,
    praw: dict[str, Any],
    pay_loan_list: list[int],
    as_of: _dt.date,
    errs: _Errors,
    fields: dict[str, list[Any]],
    digits: list[int],
    codes: list[str],
    done: list[bool],
) -> None:
    """Find the loans the fast path answers, compute them, and mark them done."""
    np, pd = libs
    i64 = np.int64
    bad = -(2**62)
    get = lraw.get
    cur = (
        _v_cat(np, pd, get("currency"), lambda v: currency(v), currency("CNY"))
        if get("currency") is not None
        else None
    )
    if cur is None:
        cur = np.empty(nl, dtype=object)
        cur[:] = [currency("CNY")] * nl
    cur_ok = np.array([c is not None for c in cur], dtype=bool)
    dig = np.array([c.minor_units if c is not None else 0 for c in cur], dtype=i64)
    scale_down = 10 ** (3 - dig)
    fast = cur_ok.copy()
    fast[list(errs.bad_loans)] = False

    principal = _v_money(np, pd, get("principal"))
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
        return r.as_integer_ratio()

    rates = _v_cat(np, pd, get("annual_rate"), rate, None)
    rate_ok = np.array([r is not None and r[1] < 2**40 and r[0] < 2**40 for r in rates], dtype=bool)
    fast &= rate_ok
    rnum = np.array([r[0] if r is not None else 0 for r in rates], dtype=i64)
    rden = np.array([r[1] if r is not None else 1 for r in rates], dtype=i64)
    term = _v_int(np, pd, get("term"), None)
    fast &= (term >= 1) & (term <= 480)
    start = _v_dates(np, pd, get("start"))
    fast &= start > 0
    if get("first_due") is not None:
        fd = _v_dates(np, pd, get("first_due"))
        miss = _missing_mask(np, pd, get("first_due"))
        regular = add_months_columns(np, np.where(start > 0, start, _EPOCH), np.ones(nl, dtype=i64))
        fast &= miss | (fd == regular)
    method_default = Method.ANNUITY
    methods = (
        _v_cat(np, pd, get("method"), lambda v: Method.parse(v), method_default)
        if get("method") is not None
        else None
    )
    if methods is not None:
        fast &= np.array([m in (Method.ANNUITY, Method.BALLOON) for m in methods], dtype=bool)
        is_balloon = np.array([m is Method.BALLOON for m in methods], dtype=bool)
        fast &= ~is_balloon | (balloon > 0)
    if get("frequency") is not None:
        freqs = _v_cat(np, pd, get("frequency"), lambda v: Frequency.parse(v), Frequency.MONTHLY)
        fast &= np.array([f is Frequency.MONTHLY for f in freqs], dtype=bool)
    dc_code = np.zeros(nl, dtype=i64)
    if get("day_count") is not None:
        dcs = _v_cat(np, pd, get("day_count"), lambda v: DayCount.parse(v), DayCount.THIRTY_360)
        fast &= np.array([d in FAST_DAY_COUNTS for d in dcs], dtype=bool)
        dc_code = np.array([FAST_DAY_COUNTS.index(d) if d in FAST_DAY_COUNTS else 0 for d in dcs], dtype=i64)
    if get("rounding") is not None:
        rnd = _v_cat(np, pd, get("rounding"), lambda v: Rounding.parse(v), Rounding.HALF_UP)
        fast &= np.array([r is Rounding.HALF_UP for r in rnd], dtype=bool)
    if get("servicing") is not None:
        sv = _v_cat(np, pd, get("servicing"), lambda v: _rules(v), _rules("default"))
        fast &= np.array([s is _rules("default") for s in sv], dtype=bool)

    # payments
    ploan = np.asarray(pay_loan_list, dtype=i64)
    pord = _v_dates(np, pd, praw["date"]) if npay else np.zeros(0, dtype=i64)
    pamt = _v_money(np, pd, praw["amount"]) if npay else np.zeros(0, dtype=i64)
    known = ploan >= 0
    sd = scale_down[np.where(known, ploan, 0)]
    pok = known & (pord > 0) & (pamt != bad) & (pamt > 0) & (pamt % sd == 0)
    for name in ("reference", "reversal_of"):
        col = praw.get(name)
        if col is not None and npay:
            miss = _missing_mask(np, pd, col)
            if name == "reversal_of":
                # reversals: the posting engine replays them
                fast[np.unique(ploan[known & ~miss])] = False
            else:
                present = known & ~miss
                if present.any():
                    good_ref = np.array(
                        [isinstance(v, str) and bool(v.strip()) for v in col[present]], dtype=bool
                    )
                    rows = np.nonzero(present)[0]
                    pok[rows[~good_ref]] = False
                    frame = pd.DataFrame({"l": ploan[present], "r": col[present]})
                    dup = frame.duplicated(keep=False).to_numpy()
                    fast[np.unique(ploan[present][dup])] = False
    # a bad payment row: its loan goes the per-row way, which reports it exactly
    fast[np.unique(ploan[known & ~pok])] = False
    fast[list(errs.bad_loans)] = False
    rows = np.nonzero(fast)[0]
    if not len(rows):
        return
    remap = np.full(nl, -1, dtype=i64)
    remap[rows] = np.arange(len(rows))
    pmask = known & (remap[np.where(known, ploan, 0)] >= 0)
    res = fast_statuses(
        principal=principal[rows],
        balloon=balloon[rows],
        term=term[rows],
        start=start[rows],
        rate_num=rnum[rows],
        rate_den=rden[rows],
        day_count=dc_code[rows],
        pay_loan=remap[ploan[pmask]],
        pay_ord=pord[pmask],
        pay_amount=(pamt[pmask] // sd[pmask]),
        as_of=as_of.toordinal(),
    )
    okr = res["ok"]
    sel = rows[okr]
    if not len(sel):
        return
    as_of_ord = as_of.toordinal()
    zero = np.zeros(len(sel), dtype=i64)
    for name in MONEY_STATUS_COLUMNS:
        vals = res[name][okr] if name in res else zero
        col = fields[name]
        for i, v in zip(sel.tolist(), vals.tolist(), strict=True):
            col[i] = v
    for name in (
        "days_past_due",
        "installments_in_arrears",
        "oldest_unpaid_due_date",
        "next_due_date",
        "last_payment_date",
    ):
        col = fields[name]
        for i, v in zip(sel.tolist(), res[name][okr].tolist(), strict=True):
            col[i] = v
    dd = fields["days_delinquent"]
    for i, v in zip(sel.tolist(), res["days_past_due"][okr].tolist(), strict=True):
        dd[i] = v
    q = fields["days_since_qualifying_payment"]
    for i, v in zip(sel.tolist(), res["last_qualifying_date"][okr].tolist(), strict=True):
        q[i] = as_of_ord - v if v else None
    for i in sel.tolist():
        c = cur[i]
        digits[i] = c.minor_units
        codes[i] = c.code
        done[i] = True


def _missing_mask(np: Any, pd: Any, arr: Any) -> Any:
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "M":
        return np.isnat(arr)
    if arr.dtype.kind in "iub":
        return np.zeros(len(arr), dtype=bool)
    return np.asarray(pd.isna(arr), dtype=bool)


def _output(kind: str, res: _Result, as_of: _dt.date, money: str) -> Any:
    order = res.order
    f = res.cols
    out: dict[str, list[Any]] = {"loan_id": [res.ids[i] for i in order], "as_of": [as_of] * len(order)}
    out["currency"] = [res.codes[i] for i in order]
    digits = res.digits
    date_cache: dict[int, _dt.date | None] = {0: None}

    def to_date(o: int) -> _dt.date | None:
        d = date_cache.get(o)
        if d is None and o:
            d = date_cache[o] = _dt.date.fromordinal(o)
        return d

    dec_cache: dict[tuple[int, int], Decimal] = {}

    def to_dec(u: int, d: int) -> Decimal:
        key = (u, d)
        v = dec_cache.get(key)
        if v is None:
            v = dec_cache[key] = Decimal(u).scaleb(-d, CONTEXT)
            if len(dec_cache) > 200_000:
                dec_cache.clear()
        return v

    for name in STATUS_COLUMNS[3:]:
        col = f[name]
        if name in MONEY_STATUS_COLUMNS:
            if money == "minor":
                out[name] = [col[i] for i in order]
            else:
                out[name] = [to_dec(col[i], digits[i]) for i in order]
        elif name in ("oldest_unpaid_due_date", "next_due_date", "last_payment_date"):
            out[name] = [to_date(col[i]) for i in order]
        else:
            out[name] = [col[i] for i in order]
    types = dict(_STATUS_TYPES)
    for name in MONEY_STATUS_COLUMNS:
        types[name] = "minor" if money == "minor" else "money"
    if kind == "arrow":
        types["loan_id"] = "id"
    max_digits = max((digits[i] for i in order), default=2)
    return _cols.build(kind, out, types, money_digits=max_digits)
