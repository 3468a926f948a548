"""book.decide: the columnar path (statuses from ``book.statuses``, cases from status columns, one engine
run per distinct account picture) gives the tables of the per-account way, row for row.

The reference here is what ``book.decide`` did before it read its statuses from columns: for every loan,
``LoanTerms`` + ``Payment`` objects + ``account_status`` on the borrower's local date, a full ``Case``,
then ``Policy.decide``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autoloan.book.decisions as decisions_module
import autoloan.policy.engine as engine_module
from autoloan import book
from autoloan.book.status import terms_from_row
from autoloan.compliance import Action, Borrower
from autoloan.policy import Case, Policy
from autoloan.policy.facts import FACTS, Facts
from autoloan.servicing import Payment, account_status
from autoloan.testing import policies

SLOW = settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], deadline=None, max_examples=40
)
JURISDICTIONS = ("CN", "CN", "US-CA", "US-NY", "US-MA", "GB")


def per_account(
    policy: Policy,
    loans: dict[str, list[Any]],
    pays: dict[str, list[Any]],
    now: datetime,
    contacts: Any = None,
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The per-account reference: one LoanTerms, Payment list, account_status, Case and decide per loan."""
    history: dict[str, list[Action]] = {}
    for r, lid in enumerate((contacts or {}).get("loan_id", [])):
        history.setdefault(lid, []).append(
            Action(contacts["kind"][r], contacts["at"][r], debt_id=lid, outcome=contacts["outcome"][r])
        )
    rows: dict[str, list[int]] = {}
    for r, lid in enumerate(pays["loan_id"]):
        rows.setdefault(lid, []).append(r)
    dec: dict[str, list[Any]] = {name: [] for name in decisions_module.DECISION_COLUMNS}
    act: dict[str, list[Any]] = {name: [] for name in decisions_module.ACTION_COLUMNS}
    for i, lid in enumerate(loans["loan_id"]):
        terms, rules = terms_from_row({c: v[i] for c, v in loans.items()})
        ps = [
            Payment(pays["date"][r], pays["amount"][r], reference=pays["reference"][r])
            for r in rows.get(lid, [])
        ]
        borrower = Borrower(loans["jurisdiction"][i] or "CN")
        day = now.astimezone(ZoneInfo(borrower.timezones[0])).date()
        status = account_status(terms, ps, day, rules=rules)
        case = Case(lid, status, borrower, history=history.get(lid, ()), terms=terms, payments=tuple(ps))
        d = policy.decide(case, now)
        values = (
            lid,
            day,
            status.days_past_due,
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
        )
        for name, value in zip(decisions_module.DECISION_COLUMNS, values, strict=True):
            dec[name].append(value)
        for a in d.actions:
            for name, value in zip(
                decisions_module.ACTION_COLUMNS,
                (lid, a.kind, a.at, a.stage_id, a.treatment_id, a.reason, a.fallback_for, a.moved_from),
                strict=True,
            ):
                act[name].append(value)
    return dec, act


@st.composite
def books(draw: st.DrawFn) -> tuple[Policy, dict[str, list[Any]], dict[str, list[Any]], datetime, Any]:
    n = draw(st.integers(1, 60))
    as_of = date(2026, 6, 30) - timedelta(days=draw(st.integers(0, 90)))
    loans, pays = book.synthetic(
        n, seed=draw(st.integers(0, 10_000)), as_of=as_of, mix=draw(st.sampled_from(["cn", "us", "mixed"]))
    )
    if draw(st.booleans()):
        loans["jurisdiction"] = [draw(st.sampled_from(JURISDICTIONS)) for _ in range(n)]
    # mostly inside the contact windows of Shanghai (UTC+8) and New York (UTC-4) mornings
    hour = draw(st.one_of(st.sampled_from([1, 2, 5, 13, 14, 17]), st.integers(0, 23)))
    now = datetime.combine(as_of, datetime.min.time(), UTC) + timedelta(
        days=draw(st.integers(0, 20)), hours=hour, minutes=draw(st.sampled_from([0, 30]))
    )
    contacts = None
    if draw(st.booleans()):
        k = draw(st.integers(1, 2 * n))
        kinds = [draw(st.sampled_from(["call", "sms", "email", "letter"])) for _ in range(k)]
        contacts = {
            "loan_id": [draw(st.sampled_from(loans["loan_id"])) for _ in range(k)],
            "kind": kinds,
            "at": [now - timedelta(minutes=draw(st.integers(1, 20 * 24 * 60))) for _ in range(k)],
            "outcome": ["no_answer" if kind == "call" else "delivered" for kind in kinds],
        }
    policy = Policy.builtin(draw(st.sampled_from(Policy.builtin_names())))
    return policy, loans, pays, now, contacts


@SLOW
@given(books())
def test_book_decide_equals_the_per_account_way(inputs: Any) -> None:
    policy, loans, pays, now, contacts = inputs
    got = book.decide(policy, loans, pays, now, contacts=contacts)
    dec, act = per_account(policy, loans, pays, now, contacts)
    assert got.decisions == dec
    assert got.actions == act
    assert got.errors["row"] == []


@SLOW
@given(books(), policies(4))
def test_any_policy_decides_a_book_as_per_account(inputs: Any, policy: Policy) -> None:
    """Random policies test every fact (amounts, buckets, days since payment …) in their conditions,
    so accounts share an engine run only when every fact the policy reads is equal."""
    _, loans, pays, now, contacts = inputs
    got = book.decide(policy, loans, pays, now, contacts=contacts)
    dec, act = per_account(policy, loans, pays, now, contacts)
    assert (got.decisions, got.actions) == (dec, act)


def test_facts_shared_by_every_contactless_case_of_a_borrower_really_are() -> None:
    """The memo leaves out of its key the facts that read only the borrower, the date and the empty
    parts of a contact-less case: they must not change with the status."""
    shared = decisions_module._SAME_FOR_ALL
    assert shared <= set(FACTS)
    loans, pays = book.synthetic(300, seed=9, as_of=date(2026, 6, 30), mix="mixed")
    now = datetime(2026, 7, 2, 3, tzinfo=UTC)
    for code in ("CN", "US-MA"):
        borrower = Borrower(code, bankruptcy_filed_on=date(2026, 5, 1), dispute_pending=True)
        day = now.astimezone(ZoneInfo(borrower.timezones[0])).date()
        values: dict[str, set[Any]] = {name: set() for name in FACTS}
        st = book.statuses(loans, pays, day)
        for i in range(len(st["loan_id"])):
            status = account_status(*_terms(loans, i, pays), day)
            case = Case.of_status(str(st["loan_id"][i]), status, borrower)
            f = Facts.at(case, now.astimezone(ZoneInfo(borrower.timezones[0])), day, 2)
            for name in FACTS:
                if name not in ("segment", "arm"):
                    values[name].add(str(f.get(name)))
        assert all(len(values[name]) == 1 for name in shared)
        varying = {name for name, seen in values.items() if len(seen) > 1}
        assert varying and not (varying & shared)


def _terms(loans: dict[str, list[Any]], i: int, pays: dict[str, list[Any]]) -> tuple[Any, list[Payment]]:
    terms, _rules = terms_from_row({c: v[i] for c, v in loans.items()})
    lid = loans["loan_id"][i]
    ps = [
        Payment(pays["date"][r], pays["amount"][r], reference=pays["reference"][r])
        for r in range(len(pays["loan_id"]))
        if pays["loan_id"][r] == lid
    ]
    return terms, ps


def test_the_pandas_and_arrow_tables_hold_the_same_rows() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    policy = Policy.builtin("us-auto")
    loans, pays = book.synthetic(80, seed=3, as_of=date(2026, 6, 30), mix="mixed")
    now = datetime(2026, 7, 1, 16, tzinfo=UTC)  # two local dates: Shanghai is on July 2
    want = book.decide(policy, loans, pays, now)
    frames = book.decide(policy, pd.DataFrame(loans), pd.DataFrame(pays), now)
    tables = book.decide(policy, pa.table(loans), pa.table(pays), now)
    assert frames.decisions["loan_id"].tolist() == want.decisions["loan_id"]
    assert frames.decisions["stage"].tolist() == want.decisions["stage"]
    assert tables.actions.column("at").to_pylist() == want.actions["at"]
    assert len(set(want.decisions["as_of"])) == 2


def test_common_loans_never_take_the_per_row_way_and_share_engine_runs(monkeypatch: Any) -> None:
    """Operation counts: no ``account_status`` call for loans ``book.statuses`` computes, and one engine
    run per distinct account picture, not per account."""
    calls = {"status": 0, "engine": 0}
    real_status, real_engine = decisions_module.account_status, engine_module.decide

    def counted_status(*args: Any, **kw: Any) -> Any:
        calls["status"] += 1
        return real_status(*args, **kw)

    def counted_engine(*args: Any, **kw: Any) -> Any:
        calls["engine"] += 1
        return real_engine(*args, **kw)

    monkeypatch.setattr(decisions_module, "account_status", counted_status)
    monkeypatch.setattr(decisions_module, "decide_case", counted_engine)
    loans, pays = book.synthetic(400, seed=11, as_of=date(2026, 6, 30))
    n = len(loans["loan_id"])
    policy = Policy.builtin("cn-auto")
    seen: set[str] = set()
    for day in (27, 28):  # reminders 3 days before the due dates of the 30th; calls on even DPD
        calls.update(status=0, engine=0)
        now = datetime(2026, 7, day, 2, tzinfo=UTC)  # 10:00 in Shanghai
        out = book.decide(policy, loans, pays, now)
        assert len(out.decisions["loan_id"]) == n
        assert calls["status"] == 0
        assert 0 < calls["engine"] < n // 4
        # the shared runs are right: the same rows as one decision per account
        dec, act = per_account(policy, loans, pays, now)
        assert (out.decisions, out.actions) == (dec, act)
        seen |= set(act["treatment_id"])
    assert {"reminder", "call"} <= seen


def test_bad_rows_are_reported_as_the_per_row_way_reports_them() -> None:
    loans, pays = book.synthetic(6, seed=4, as_of=date(2026, 6, 30))
    loans["principal"][1] = "abc"
    loans["jurisdiction"][2] = "US"  # no default time zone
    loans["loan_id"][4] = loans["loan_id"][3]
    pays["amount"][0] = "-5"
    now = datetime(2026, 7, 1, 2, tzinfo=UTC)
    ok, _actions, errors = book.decide(Policy.builtin("cn-auto"), loans, pays, now, errors="collect")
    assert ok["loan_id"] == [loans["loan_id"][i] for i in (3, 5)]
    assert list(zip(errors["table"], errors["row"], errors["column"], strict=True)) == [
        ("loans", 0, "payments"),
        ("loans", 1, "principal"),
        ("loans", 2, "jurisdiction"),
        ("loans", 4, "loan_id"),
        ("payments", 0, "amount"),
    ]


def test_ids_of_other_lengths_and_orphan_payments_do_not_change_the_rows() -> None:
    """Whatever ``book.statuses`` leaves unmatched (here a payment for no loan, and ids of different
    lengths) is decided the per-row way: the same rows as one decision per account."""
    loans, pays = book.synthetic(30, seed=6, as_of=date(2026, 6, 30))
    old_id = loans["loan_id"][7]
    loans["loan_id"][7] = "X" * 150  # its payments (still under the old id) now belong to no loan
    now = datetime(2026, 7, 3, 2, tzinfo=UTC)
    policy = Policy.builtin("cn-auto")
    got = book.decide(policy, loans, pays, now)
    keep = [r for r, v in enumerate(pays["loan_id"]) if v != old_id]
    dec, act = per_account(policy, loans, {c: [v[r] for r in keep] for c, v in pays.items()}, now)
    assert (got.decisions, got.actions) == (dec, act)
