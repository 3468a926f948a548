"""``book.decide``: a collection policy over a whole book — one row per planned action, one per account.

Each account's case is built from the tables: its :class:`~autoloan.servicing.AccountStatus` on the
local date of ``now`` (loans + payments), its borrower (the loans table's ``jurisdiction``, default
``CN``; time zones from :data:`autoloan.compliance.DEFAULT_ZONES`) and its contact history (the
contacts table, optional). Then :meth:`autoloan.policy.Policy.decide` plans what to do; every planned
action has already passed :func:`autoloan.compliance.check`.

>>> from datetime import date, datetime, timezone
>>> from autoloan import book
>>> from autoloan.policy import Policy
>>> loans, payments = book.synthetic(20, seed=2, as_of=date(2026, 6, 30))
>>> now = datetime(2026, 7, 1, 2, tzinfo=timezone.utc)
>>> out = book.decide(Policy.builtin("cn-auto"), loans, payments, now)
>>> len(out.decisions["loan_id"]), sorted(set(out.decisions["stage"]))[:2]
(20, ['current', 'early'])
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import autoloan.book._columns as _cols
from autoloan.book.schema import CONTACTS, LOANS, PAYMENTS, Column
from autoloan.book.status import (
    ErrorLog,
    loan_payments,
    read_table,
    row_values,
    statuses,
    terms_from_row,
)
from autoloan.compliance import Action, Borrower
from autoloan.errors import AutoloanError, InvalidInput
from autoloan.money import currency
from autoloan.policy import Case, Decision, Policy
from autoloan.policy.engine import decide as decide_case
from autoloan.policy.facts import Facts
from autoloan.servicing import AccountStatus, PartialPayment, account_status
from autoloan.servicing.status import status_from_values

__all__ = ["ACTION_COLUMNS", "DECISION_COLUMNS", "Decided", "decide"]

#: Columns of the per-account decision table.
DECISION_COLUMNS = (
    "loan_id",
    "as_of",
    "days_past_due",
    "segment",
    "arm",
    "stage",
    "stage_zh",
    "entered",
    "actions",
    "suppressed",
    "offers",
    "next_review_at",
    "policy",
)
#: Columns of the planned-actions table (one row per action, time order within an account).
ACTION_COLUMNS = ("loan_id", "kind", "at", "stage_id", "treatment_id", "reason", "fallback_for", "moved_from")


class Decided(NamedTuple):
    """``decisions`` (one row per account), ``actions`` (one per planned action), ``errors``."""

    decisions: Any
    actions: Any
    errors: Any


def _aware(now: Any) -> _dt.datetime:
    if not isinstance(now, _dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now", now, "must be a timezone-aware datetime")
    return now


def _history(
    contacts: Any, field: str
) -> tuple[dict[str, list[Action]], list[tuple[int, Any, str, str, Any]]]:
    kind = _cols.kind_of(contacts, field)
    n, raw = read_table(contacts, kind, CONTACTS, field)
    by_loan: dict[str, list[Action]] = {}
    bad: list[tuple[int, Any, str, str, Any]] = []
    for r in range(n):
        row = row_values(raw, CONTACTS, r)
        loan_id = row["loan_id"]
        try:
            if not isinstance(loan_id, str | int) or isinstance(loan_id, bool):
                raise InvalidInput("loan_id", loan_id, "must be a string or an integer")
            action = Action(
                kind=row["kind"],
                at=row["at"],
                debt_id=str(loan_id),
                target=row["target"],
                contact_id=row["contact_id"],
                place=row["place"],
                outcome=row["outcome"],
                automated=row["automated"],
                initiated_by_borrower=row["initiated_by_borrower"],
            )
        except InvalidInput as exc:
            for e in exc.errors:
                col = str(e.path[-1]) if e.path else e.field
                bad.append((r, loan_id, col, e.reason, e.value))
            continue
        by_loan.setdefault(str(loan_id), []).append(action)
    return by_loan, bad


#: Decision-table columns taken from a decision, and action-table columns from each planned action.
_SUMMARY = DECISION_COLUMNS[3:]
_ACTION_FIELDS = ACTION_COLUMNS[1:]
_Row = tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...]]


def _row(d: Decision) -> _Row:
    """What the tables keep of a decision: its decisions-table values and its actions-table rows."""
    return (
        (
            d.segment,
            d.arm,
            d.stage.id,
            d.stage.label_zh,
            d.entered,
            len(d.actions),
            len(d.suppressed),
            len(d.offers),
            d.next_review_at,
            d.policy,
        ),
        tuple(
            (a.kind, a.at, a.stage_id, a.treatment_id, a.reason, a.fallback_for, a.moved_from)
            for a in d.actions
        ),
    )


class _Memo:
    """Decisions of accounts that differ only in their id (see :func:`decide`), kept for one call.

    A case built by :meth:`Case.of_status` has no history, promises, arrangements, flags, score or
    state; the engine reads it only through (1) the facts, (2) the borrower, (3) the status date and
    whether anything is past due (offers), and (4) the account id, which picks the experiment arms
    and names the debt of the planned actions (compliance compares debt ids only with each other;
    they are all this account's). So two such cases with the same borrower, date, arms, past-due
    flag and values of every fact the policy or the engine reads get the same tables' rows.
    """

    __slots__ = ("experiments", "facts", "grace", "limit", "seen")

    def __init__(self, policy: Policy, limit: int = 50_000) -> None:
        self.facts = tuple(sorted((policy.uses | _ENGINE_FACTS) - _DERIVED - _SAME_FOR_ALL))
        self.experiments = policy.experiments
        self.grace = policy.promises.grace_days
        self.seen: dict[tuple[Any, ...], _Row] = {}
        self.limit = limit

    def key(self, case: Case, local_now: _dt.datetime, day: _dt.date) -> tuple[Any, ...] | None:
        """The memo key of ``case`` (``None``: a fact cannot be computed; let the engine say why)."""
        f = Facts.at(case, local_now, day, self.grace)
        get = f.get
        account_id = case.account_id
        try:
            return (
                id(case.borrower),
                day,
                case.status.amount_past_due > 0,
                *[e.arm_for(account_id) for e in self.experiments],
                *[get(name) for name in self.facts],
            )
        except (AutoloanError, ArithmeticError, TypeError, ValueError):
            return None

    def keep(self, key: tuple[Any, ...], row: _Row) -> None:
        if len(self.seen) < self.limit:
            self.seen[key] = row


#: Facts the engine reads itself (day numbers of treatments); facts it derives from its own steps.
_ENGINE_FACTS = frozenset({"dpd", "days_to_next_due"})
_DERIVED = frozenset({"segment", "arm", "days_in_stage"})
#: Facts that are the same for every case of one borrower object on one day when the case has only an
#: id, a status and a borrower (they read the borrower, the date, or the empty history, promises,
#: arrangements, flags, score and product). Every other fact -- the status's, and any fact added
#: later -- is part of the memo key.
_SAME_FOR_ALL = frozenset(
    {
        "bankruptcy",
        "military_service",
        "cease_requested",
        "dispute_pending",
        "jurisdiction",
        "flags",
        "risk_score",
        "product",
        "broken_promises",
        "promise_pending",
        "arrangements_12m",
        "contacts_1d",
        "contacts_7d",
        "contacts_30d",
        "conversations_7d",
        "conversations_30d",
    }
)


class _Columns(dict[str, Any]):
    """The schema's columns present in a table, read on first use (as ``read_table`` reads them)."""

    def __init__(self, table: Any, kind: str, schema: tuple[Column, ...], label: str) -> None:
        super().__init__()
        self.n = _cols.n_rows(table, kind, label)
        missing = [c.name for c in schema if c.required and not _cols.has_column(table, kind, c.name)]
        if missing:
            raise InvalidInput.collect(
                [InvalidInput(f"{label}.{name}", None, "required column is missing") for name in missing]
            )
        self.table, self.kind = table, kind
        self.present = {c.name for c in schema if _cols.has_column(table, kind, c.name)}

    def __missing__(self, name: str) -> Any:
        if name not in self.present:
            raise KeyError(name)
        values = self[name] = _cols.column(self.table, self.kind, name)
        return values

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in self.present else default


class _Book:
    """The book being decided: its raw columns, the error log and the output columns."""

    __slots__ = ("act", "dec", "errs", "history", "ids", "lraw", "npay", "praw", "rows_of", "zones")

    def __init__(self, lraw: _Columns, praw: _Columns, errs: ErrorLog) -> None:
        self.lraw, self.npay, self.praw, self.errs = lraw, praw.n, praw, errs
        self.ids = [_cols.py_value(v) for v in lraw["loan_id"]]
        self.history: dict[str, list[Action]] = {}
        self.rows_of: dict[Any, list[int]] | None = None
        self.zones: dict[str, ZoneInfo] = {}
        self.dec: dict[str, list[Any]] = {name: [] for name in DECISION_COLUMNS}
        self.act: dict[str, list[Any]] = {name: [] for name in ACTION_COLUMNS}

    def zone(self, name: str) -> ZoneInfo:
        found = self.zones.get(name)
        if found is None:
            found = self.zones[name] = ZoneInfo(name)
        return found

    def payment_rows(self) -> dict[Any, list[int]]:
        """Payments rows by loan id (built on first use: only loans off the columnar path need it)."""
        if self.rows_of is None:
            rows_of: dict[Any, list[int]] = {}
            col = self.praw["loan_id"]
            for r in range(self.npay):
                v = _cols.py_value(col[r])
                if isinstance(v, str | int) and not isinstance(v, bool):
                    rows_of.setdefault(v, []).append(r)
            self.rows_of = rows_of
        return self.rows_of

    def emit(self, loan_id: Any, local_day: _dt.date, dpd: int, row: _Row) -> None:
        dec, act = self.dec, self.act
        dec["loan_id"].append(loan_id)
        dec["as_of"].append(local_day)
        dec["days_past_due"].append(dpd)
        for name, value in zip(_SUMMARY, row[0], strict=True):
            dec[name].append(value)
        for a in row[1]:
            act["loan_id"].append(loan_id)
            for name, value in zip(_ACTION_FIELDS, a, strict=True):
                act[name].append(value)

    def decide_row(self, policy: Policy, i: int, loan_id: Any, now: _dt.datetime) -> None:
        """One loan the per-row way: terms, payments, ``account_status``, then the policy."""
        errs = self.errs
        row = row_values(self.lraw, LOANS, i)
        try:
            terms, rules = terms_from_row(row)
            jurisdiction = row.get("jurisdiction") or "CN"
            borrower = Borrower(jurisdiction=jurisdiction)
            if not borrower.timezones:
                raise InvalidInput("jurisdiction", jurisdiction, "no default time zone; not a known code")
        except InvalidInput as exc:
            errs.from_exc("loans", i, loan_id, exc, "terms")
            return
        digits = currency(terms.currency).minor_units
        pays = loan_payments(self.praw, self.payment_rows().get(loan_id, []), digits, i, loan_id, errs)
        if pays is None:
            return
        local_day = now.astimezone(self.zone(borrower.timezones[0])).date()
        try:
            status = account_status(terms, pays, local_day, rules=rules)
            case = Case(
                account_id=str(loan_id),
                status=status,
                borrower=borrower,
                history=self.history.get(str(loan_id), ()),
                terms=terms,
                payments=tuple(pays),
            )
            decision = policy.decide(case, now)
        except InvalidInput as exc:
            self.fail(i, loan_id, exc)
            return
        self.emit(loan_id, local_day, status.days_past_due, _row(decision))

    def fail(self, i: int, loan_id: Any, exc: InvalidInput) -> None:
        column = "payments" if exc.field.startswith("payments") else "case"
        self.errs.add("loans", i, loan_id, column, exc.reason, exc.value)


def _take(table: Any, kind: str, rows: list[int]) -> Any:
    """Rows ``rows`` of ``table`` (same kind; numpy columns stay numpy)."""
    if kind == "pandas":
        return table.iloc[rows].reset_index(drop=True)
    if kind == "arrow":
        return table.take(rows)
    out: dict[str, Any] = {}
    for name, col in table.items():
        if hasattr(col, "dtype") and hasattr(col, "take"):
            out[name] = col.take(rows)
        else:
            out[name] = [col[r] for r in rows]
    return out


def _paying_rows(payments: Any, pkind: str, praw: dict[str, Any], wanted: set[Any]) -> list[int]:
    """Payments rows whose ``loan_id`` is one of ``wanted`` (a superset of what ``statuses`` matches)."""
    col = praw["loan_id"]
    if pkind == "arrow":
        col = payments.column("loan_id").to_pylist()
    out = []
    for r in range(len(col)):
        v = col[r]
        try:
            hit = v in wanted
        except TypeError:
            hit = False
        if hit:
            out.append(r)
    return out


_PLAIN = (str, int, Decimal, _dt.date, type(None))


def _pylist(table: Any, kind: str, name: str) -> list[Any]:
    """A column of a ``book.statuses`` result as plain Python values (None for missing)."""
    if kind == "arrow":
        col = table.column(name)
        if type(col.type).__name__.startswith("Decimal"):
            # the same Decimal objects as to_pylist, built twice as fast
            return list(col.to_numpy(zero_copy_only=False).tolist())
        out: list[Any] = col.to_pylist()
        return out
    col = table[name]
    values: list[Any] = col.tolist() if hasattr(col, "tolist") else list(col)
    if kind == "pandas" and not (col.dtype.kind in "iub" and type(col.dtype).__module__.startswith("numpy")):
        # object columns hold Python values already; missing values and numpy scalars are converted
        py = _cols.py_value
        values = [v if isinstance(v, _PLAIN) else py(v) for v in values]
    return values


#: Every AccountStatus field in declaration order (``status_from_values``'s order): the statuses
#: table holds all but ``_detail`` (left None); ``partial_payment`` is parsed apart.
_ALL_FIELDS = tuple(f.name for f in dataclasses.fields(AccountStatus))
_PARTIAL: dict[str, PartialPayment] = {}


def _partial(value: Any) -> PartialPayment:
    found = _PARTIAL.get(value)
    if found is None:
        found = _PARTIAL[value] = PartialPayment(value)
    return found


def _status_objects(
    book: _Book, loans: Any, payments: Any, kind: str, pkind: str, rows: list[int], day: _dt.date, whole: bool
) -> dict[int, AccountStatus]:
    """``book.statuses`` on ``day`` for loan rows ``rows`` (the whole tables when ``whole``), as
    :class:`AccountStatus` objects by loan row; rows ``statuses`` refuses are left out."""
    if whole:
        sub_loans, sub_pays, index = loans, payments, None
    else:
        wanted = {book.ids[i] for i in rows}
        sub_loans = _take(loans, kind, rows)
        sub_pays = _take(payments, pkind, _paying_rows(payments, pkind, book.praw, wanted))
        index = rows
    ok, bad = statuses(sub_loans, sub_pays, day, errors="collect")
    n = len(book.ids) if whole else len(rows)
    tables, columns = _pylist(bad, kind, "table"), _pylist(bad, kind, "column")
    refused = {r for t, r in zip(tables, _pylist(bad, kind, "row"), strict=True) if t == "loans"}
    # a payment whose loan id ``statuses`` did not match: its loan (by the id as text) takes the per-row
    # way, so the payments of every loan decided from the columns are exactly the per-row way's
    orphans = {
        str(v)
        for t, c, v in zip(tables, columns, _pylist(bad, kind, "loan_id"), strict=True)
        if t == "payments" and c == "loan_id"
    }
    good = [r for r in range(n) if r not in refused]
    out_ids = _pylist(ok, kind, "loan_id")
    if len(out_ids) != len(good):
        return {}
    ids = book.ids
    if any(out_ids[k] != ids[r if index is None else index[r]] for k, r in enumerate(good)):
        return {}
    cols = [
        [None] * len(good)
        if name == "_detail"
        else [_partial(v) for v in _pylist(ok, kind, name)]
        if name == "partial_payment"
        else _pylist(ok, kind, name)
        for name in _ALL_FIELDS
    ]
    found: dict[int, AccountStatus] = {}
    for r, values in zip(good, zip(*cols, strict=True), strict=True):
        if orphans and str(ids[r if index is None else index[r]]) in orphans:
            continue
        found[r if index is None else index[r]] = status_from_values(values)
    return found


def decide(
    policy: Policy,
    loans: Any,
    payments: Any,
    now: _dt.datetime,
    *,
    contacts: Any = None,
    errors: str = "raise",
) -> Decided:
    """Decide every account of the book at ``now`` (aware): ``Decided(decisions, actions, errors)``.

    Tables come back as the kind of ``loans``. Bad rows (loans, payments, contacts) raise one
    :class:`~autoloan.errors.InvalidInput` naming them all, or with ``errors="collect"`` fill the
    ``errors`` table while the good accounts are decided.

    The statuses come from :func:`autoloan.book.statuses` (one call per local date of ``now`` among
    the borrowers' time zones); a loan that call refuses is taken the per-row way, which names the
    bad cells exactly as :func:`autoloan.servicing.account_status` would. Accounts without contacts
    whose decisions cannot differ (same borrower, date, experiment arms and values of every fact the
    policy or the engine reads) share one run of the engine.
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be an autoloan.policy.Policy")
    now = _aware(now)
    if not isinstance(errors, str) or errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    kind = _cols.kind_of(loans, "loans")
    pkind = _cols.kind_of(payments, "payments")
    lraw = _Columns(loans, kind, LOANS, "loans")
    praw = _Columns(payments, pkind, PAYMENTS, "payments")
    nl = lraw.n
    errs = ErrorLog()
    book = _Book(lraw, praw, errs)
    if contacts is not None:
        book.history, bad_contacts = _history(contacts, "contacts")
        for r, loan_id, col, reason, value in bad_contacts:
            errs.add("contacts", r, loan_id, col, reason, value)
    ids = book.ids
    # which loans can take the columnar path, and on which local date
    jur_col = lraw.get("jurisdiction")
    borrowers: dict[str, Borrower | None] = {}
    days: dict[str, _dt.date] = {}
    where: list[tuple[Borrower, _dt.date] | None] = [None] * nl
    by_day: dict[_dt.date, list[int]] = {}
    seen: set[Any] = set()
    for i, loan_id in enumerate(ids):
        if not isinstance(loan_id, str | int) or isinstance(loan_id, bool) or loan_id in seen:
            continue
        seen.add(loan_id)
        account_id = str(loan_id)
        if not account_id or len(account_id) > 200:
            continue
        code = _cols.py_value(jur_col[i]) if jur_col is not None else None
        if code is None or code == "":
            code = "CN"
        if not isinstance(code, str):
            continue
        if code not in borrowers:
            try:
                b: Borrower | None = Borrower(jurisdiction=code)
            except InvalidInput:
                b = None
            borrowers[code] = b if b is not None and b.timezones else None
        borrower = borrowers[code]
        if borrower is None:
            continue
        tz = borrower.timezones[0]
        day = days.get(tz)
        if day is None:
            try:
                day = days[tz] = now.astimezone(book.zone(tz)).date()
            except (OverflowError, ValueError):
                continue  # the per-row way reports it as it always has
        where[i] = (borrower, day)
        by_day.setdefault(day, []).append(i)
    status_of: dict[int, AccountStatus] = {}
    for day, rows in by_day.items():
        whole = len(by_day) == 1
        status_of.update(_status_objects(book, loans, payments, kind, pkind, rows, day, whole))
    # every loan in input order: the columnar status when there is one, else the per-row way
    history = book.history
    memo = _Memo(policy)
    local_now: dict[str, _dt.datetime] = {}
    seen.clear()
    for i, loan_id in enumerate(ids):
        if not isinstance(loan_id, str | int) or isinstance(loan_id, bool) or loan_id in seen:
            errs.add("loans", i, loan_id, "loan_id", "must be a unique string or integer", loan_id)
            continue
        seen.add(loan_id)
        status = status_of.get(i)
        place = where[i]
        if status is None or place is None:
            book.decide_row(policy, i, loan_id, now)
            continue
        borrower, day = place
        account_id = str(loan_id)
        key = None
        try:
            hist = history.get(account_id)
            if hist is None:
                case = Case.of_status(account_id, status, borrower)
                tz = borrower.timezones[0]
                at = local_now.get(tz)
                if at is None:
                    at = local_now[tz] = now.astimezone(book.zone(tz))
                key = memo.key(case, at, day)
                row = memo.seen.get(key) if key is not None else None
                if row is not None:
                    book.emit(loan_id, day, status.days_past_due, row)
                    continue
            else:
                case = Case(account_id=account_id, status=status, borrower=borrower, history=hist)
            row = _row(decide_case(policy, case, now))
        except InvalidInput as exc:
            book.fail(i, loan_id, exc)
            continue
        if key is not None:
            memo.keep(key, row)
        book.emit(loan_id, day, status.days_past_due, row)
    if errors == "raise" and errs.rows:
        raise errs.exception()
    dtypes = {"as_of": "date", "days_past_due": "int", "actions": "int", "suppressed": "int", "offers": "int"}
    dtypes.update({n: "text" for n in ("segment", "arm", "stage", "stage_zh", "policy")})
    dtypes.update({"entered": "bool", "next_review_at": "datetime", "loan_id": "id"})
    atypes = {n: "text" for n in ("kind", "stage_id", "treatment_id", "reason", "fallback_for")}
    atypes.update({"at": "datetime", "moved_from": "datetime", "loan_id": "id"})
    return Decided(_cols.build(kind, book.dec, dtypes), _cols.build(kind, book.act, atypes), errs.table(kind))
