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

import datetime as _dt
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import autoloan.book._columns as _cols
from autoloan.book.schema import CONTACTS, LOANS, PAYMENTS
from autoloan.book.status import ErrorLog, loan_payments, read_table, row_values, terms_from_row
from autoloan.compliance import Action, Borrower
from autoloan.errors import InvalidInput
from autoloan.money import currency
from autoloan.policy import Case, Policy
from autoloan.servicing import account_status

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
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be an autoloan.policy.Policy")
    now = _aware(now)
    if not isinstance(errors, str) or errors not in ("raise", "collect"):
        raise InvalidInput("errors", errors, "use 'raise' or 'collect'")
    kind = _cols.kind_of(loans, "loans")
    pkind = _cols.kind_of(payments, "payments")
    _n, lraw = read_table(loans, kind, LOANS, "loans")
    npay, praw = read_table(payments, pkind, PAYMENTS, "payments")
    errs = ErrorLog()
    history: dict[str, list[Action]] = {}
    if contacts is not None:
        history, bad_contacts = _history(contacts, "contacts")
        for r, loan_id, col, reason, value in bad_contacts:
            errs.add("contacts", r, loan_id, col, reason, value)
    ids = [_cols.py_value(v) for v in lraw["loan_id"]]
    rows_of: dict[Any, list[int]] = {}
    for r in range(npay):
        v = _cols.py_value(praw["loan_id"][r])
        if isinstance(v, str | int) and not isinstance(v, bool):
            rows_of.setdefault(v, []).append(r)
    seen: set[Any] = set()
    dec: dict[str, list[Any]] = {name: [] for name in DECISION_COLUMNS}
    act: dict[str, list[Any]] = {name: [] for name in ("loan_id", *ACTION_COLUMNS[1:])}
    zones: dict[str, ZoneInfo] = {}
    for i, loan_id in enumerate(ids):
        if not isinstance(loan_id, str | int) or isinstance(loan_id, bool) or loan_id in seen:
            errs.add("loans", i, loan_id, "loan_id", "must be a unique string or integer", loan_id)
            continue
        seen.add(loan_id)
        row = row_values(lraw, LOANS, i)
        try:
            terms, rules = terms_from_row(row)
            jurisdiction = row.get("jurisdiction") or "CN"
            borrower = Borrower(jurisdiction=jurisdiction)
            if not borrower.timezones:
                raise InvalidInput("jurisdiction", jurisdiction, "no default time zone; not a known code")
        except InvalidInput as exc:
            errs.from_exc("loans", i, loan_id, exc, "terms")
            continue
        digits = currency(terms.currency).minor_units
        pays = loan_payments(praw, rows_of.get(loan_id, []), digits, i, loan_id, errs)
        if pays is None:
            continue
        tz = borrower.timezones[0]
        zinfo = zones.get(tz)
        if zinfo is None:
            zinfo = zones[tz] = ZoneInfo(tz)
        local_day = now.astimezone(zinfo).date()
        try:
            status = account_status(terms, pays, local_day, rules=rules)
            case = Case(
                account_id=str(loan_id),
                status=status,
                borrower=borrower,
                history=history.get(str(loan_id), ()),
                terms=terms,
                payments=tuple(pays),
            )
            decision = policy.decide(case, now)
        except InvalidInput as exc:
            errs.add(
                "loans",
                i,
                loan_id,
                "payments" if exc.field.startswith("payments") else "case",
                exc.reason,
                exc.value,
            )
            continue
        dec["loan_id"].append(loan_id)
        dec["as_of"].append(local_day)
        dec["days_past_due"].append(status.days_past_due)
        dec["segment"].append(decision.segment)
        dec["arm"].append(decision.arm)
        dec["stage"].append(decision.stage.id)
        dec["stage_zh"].append(decision.stage.label_zh)
        dec["entered"].append(decision.entered)
        dec["actions"].append(len(decision.actions))
        dec["suppressed"].append(len(decision.suppressed))
        dec["offers"].append(len(decision.offers))
        dec["next_review_at"].append(decision.next_review_at)
        dec["policy"].append(decision.policy)
        for a in decision.actions:
            act["loan_id"].append(loan_id)
            act["kind"].append(a.kind)
            act["at"].append(a.at)
            act["stage_id"].append(a.stage_id)
            act["treatment_id"].append(a.treatment_id)
            act["reason"].append(a.reason)
            act["fallback_for"].append(a.fallback_for)
            act["moved_from"].append(a.moved_from)
    if errors == "raise" and errs.rows:
        raise errs.exception()
    dtypes = {"as_of": "date", "days_past_due": "int", "actions": "int", "suppressed": "int", "offers": "int"}
    dtypes.update({n: "text" for n in ("segment", "arm", "stage", "stage_zh", "policy")})
    dtypes.update({"entered": "bool", "next_review_at": "datetime", "loan_id": "id"})
    atypes = {n: "text" for n in ("kind", "stage_id", "treatment_id", "reason", "fallback_for")}
    atypes.update({"at": "datetime", "moved_from": "datetime", "loan_id": "id"})
    return Decided(_cols.build(kind, dec, dtypes), _cols.build(kind, act, atypes), errs.table(kind))
