"""Hypothesis strategies for property tests of code that uses autoloan.

Requires ``hypothesis`` (a test dependency, not a runtime one).

>>> from hypothesis import given, settings
>>> from autoloan import amortize
>>> @settings(max_examples=5, database=None, derandomize=True)
... @given(loan_terms())
... def test_principal_sums(terms):
...     s = amortize(terms)
...     assert s.total_principal == terms.note_amount + s.capitalized_interest
>>> test_principal_sums()
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError("autoloan.testing needs hypothesis: pip install hypothesis") from exc

from autoloan.amortization import Fee, LoanTerms, Method, OddDays
from autoloan.dates import DayCount, Frequency
from autoloan.money import CURRENCIES, Rounding

__all__ = [
    "behaviours",
    "cases",
    "dates",
    "decision_inputs",
    "fees",
    "frequencies",
    "loan_terms",
    "methods",
    "money",
    "policies",
    "policy_documents",
    "policy_terms",
    "rates",
]


def money(
    min_value: Decimal | int = 1, max_value: Decimal | int = 10_000_000, places: int = 2
) -> st.SearchStrategy[Decimal]:
    """Decimal amounts with at most ``places`` decimals in ``[min_value, max_value]``."""
    scale = 10**places
    lo, hi = int(Decimal(min_value) * scale), int(Decimal(max_value) * scale)
    return st.integers(lo, hi).map(lambda units: Decimal(units).scaleb(-places))


def rates(max_rate: str = "0.60") -> st.SearchStrategy[Decimal]:
    """Annual rates as fractions with up to 6 decimals (0 to ``max_rate``), zero included."""
    top = int(Decimal(max_rate) * 10**6)
    return st.one_of(st.just(Decimal(0)), st.integers(0, top).map(lambda n: Decimal(n).scaleb(-6)))


def dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2060, 12, 31)
) -> st.SearchStrategy[date]:
    return st.dates(min_value=min_value, max_value=max_value)


def frequencies() -> st.SearchStrategy[Frequency]:
    return st.sampled_from(list(Frequency))


def methods() -> st.SearchStrategy[Method]:
    return st.sampled_from(list(Method))


def fees(currency: str = "USD") -> st.SearchStrategy[tuple[Fee, ...]]:
    places = CURRENCIES[currency].minor_units
    fee = st.builds(
        Fee,
        name=st.sampled_from(["origination", "documentation", "title", "gps"]),
        amount=money(0, 2000, places),
        financed=st.booleans(),
        finance_charge=st.booleans(),
    )
    return st.lists(fee, max_size=3).map(tuple)


@st.composite
def loan_terms(
    draw: st.DrawFn,
    method: Method | None = None,
    max_term: int = 120,
    currency: str | None = None,
    odd_first_period: bool = True,
) -> LoanTerms:
    """Valid :class:`LoanTerms` over wide ranges of every field."""
    meth = method if method is not None else draw(methods())
    cur = currency if currency is not None else draw(st.sampled_from(["USD", "CNY", "EUR", "JPY"]))
    places = CURRENCIES[cur].minor_units
    principal = draw(money(Decimal(100), Decimal(5_000_000), places))
    term = draw(st.integers(1, max_term))
    start = draw(dates())
    first_due = None
    if odd_first_period and draw(st.booleans()):
        first_due = start + timedelta(days=draw(st.integers(1, 75)))
    balloon = Decimal(0)
    if meth is Method.BALLOON or (meth in (Method.ANNUITY, Method.EQUAL_PRINCIPAL) and draw(st.booleans())):
        share = draw(st.integers(1 if meth is Method.BALLOON else 0, 60))
        balloon = (principal * share / 100).quantize(Decimal(1).scaleb(-places))
        if meth is Method.BALLOON and balloon <= 0:
            balloon = Decimal(1).scaleb(-places)
    io_allowed = meth in (Method.ANNUITY, Method.BALLOON, Method.EQUAL_PRINCIPAL, Method.SIMPLE_INTEREST)
    io = draw(st.integers(0, min(term - 1, 12))) if io_allowed and term > 1 and draw(st.booleans()) else 0
    multiple = draw(st.sampled_from([None, None, Decimal(1), Decimal(10)]))
    return LoanTerms(
        principal=principal,
        annual_rate=draw(rates()),
        term=term,
        start=start,
        first_due=first_due,
        frequency=draw(frequencies()),
        method=meth,
        day_count=draw(st.one_of(st.none(), st.sampled_from(list(DayCount)))),
        balloon=balloon,
        interest_only_periods=io,
        fees=draw(fees(cur)),
        currency=cur,
        rounding=draw(st.sampled_from([Rounding.HALF_UP, Rounding.HALF_EVEN])),
        payment_multiple=multiple,
        odd_days=draw(st.sampled_from(list(OddDays))),
    )


# --- collection policies (autoloan.policy) ------------------------------------------------------

_POLICY_TERMS: dict[str, Any] = {}


def policy_terms() -> Any:
    """A small loan used by the policy strategies (monthly, 24 installments from 2026-01-01)."""
    terms = _POLICY_TERMS.get("terms")
    if terms is None:
        terms = _POLICY_TERMS["terms"] = LoanTerms(
            principal=Decimal(12000), annual_rate=Decimal("0.06"), term=24, start=date(2026, 1, 1)
        )
    return terms


_WINDOWS = [
    ["09:00", "20:00"],
    ["08:00", "21:00"],
    ["10:00", "18:00"],
    ["07:00", "23:00"],
    ["12:00", "13:00"],
]
_HOLDS = [
    {"id": "bankruptcy", "when": {"fact": "bankruptcy", "op": "==", "value": True}, "suppress": ["*"]},
    {
        "id": "cease",
        "when": {"fact": "cease_requested", "op": "==", "value": True},
        "suppress": ["call", "sms"],
    },
    {"id": "deceased", "when": {"fact": "flags", "op": "has", "value": "deceased"}, "suppress": ["*"]},
    {
        "id": "hardship",
        "when": {"fact": "flags", "op": "has", "value": "hardship_plan"},
        "suppress": ["call", "visit", "repossession"],
    },
    {
        "id": "dispute",
        "when": {"fact": "dispute_pending", "op": "==", "value": True},
        "suppress": ["call", "sms", "email", "letter"],
    },
]


@st.composite
def _treatment(draw: st.DrawFn, tid: str, kinds: list[str], terminal: bool) -> dict[str, Any]:
    action = draw(st.sampled_from(kinds))
    t: dict[str, Any] = {"id": tid, "action": action}
    if action == "task":
        t["task"] = draw(st.sampled_from(["charge_off", "legal_review", "agency_placement"]))
    anchor = "stage" if terminal else draw(st.sampled_from(["stage", "dpd", "due"]))
    t["anchor"] = anchor
    lo = 0 if anchor == "stage" else (-10 if anchor == "due" else 1)
    if not terminal and draw(st.integers(0, 2)) == 0:
        t["from_day"] = max(lo, 0) if anchor != "due" else lo
        t["every_days"] = 1
    elif terminal or draw(st.booleans()):
        t["on_days"] = (
            [0] if terminal else draw(st.lists(st.integers(lo, 40), min_size=1, max_size=4, unique=True))
        )
    else:
        t["from_day"] = draw(st.integers(lo, 20))
        t["every_days"] = draw(st.integers(1, 5))
        if draw(st.booleans()):
            t["until_day"] = t["from_day"] + draw(st.integers(0, 60))
    if draw(st.booleans()):
        t["window"] = draw(st.sampled_from(_WINDOWS))
    if draw(st.booleans()):
        t["per_day"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        t["per_week"] = draw(st.integers(1, 7))
    t["priority"] = draw(st.integers(-2, 2))
    if action != "task" and draw(st.booleans()):
        t["fallbacks"] = draw(
            st.lists(
                st.sampled_from([k for k in ("sms", "email", "letter") if k != action]),
                max_size=2,
                unique=True,
            )
        )
    if action == "visit":
        t["collectors"] = draw(st.sampled_from([1, 2]))
    if draw(st.integers(0, 4)) == 0:
        t["when"] = {"fact": "arm", "op": "==", "value": "b"}
    return t


#: facts the condition strategy tests, each with its operators and a strategy of plausible values
_LEAVES: dict[str, tuple[tuple[str, ...], Any]] = {
    "dpd": (("<=", ">=", "==", "between", "in", "not_in"), st.integers(0, 60)),
    "days_delinquent": (("<=", ">=", "=="), st.integers(0, 60)),
    "days_to_next_due": (("<=", ">=", "==", "between", "in"), st.integers(-5, 20)),
    "days_since_payment": (("<=", ">=", "==", "between"), st.integers(0, 60)),
    "days_in_stage": (("<=", ">=", "==", "between"), st.integers(0, 20)),
    "installments_in_arrears": (("<=", ">=", "=="), st.integers(0, 3)),
    "broken_promises": (("<=", ">=", "=="), st.integers(0, 2)),
    "promise_pending": (("==", "!="), st.booleans()),
    "arrangements_12m": (("<=", ">=", "=="), st.integers(0, 2)),
    "bankruptcy": (("==", "!="), st.booleans()),
    "military_service": (("==", "!="), st.booleans()),
    "cease_requested": (("==", "!="), st.booleans()),
    "bucket": (("==", "!=", "in"), st.sampled_from(["M0", "M1", "M2", "M3"])),
    "china_grade": (("==", "!="), st.sampled_from(["normal", "special_mention", "substandard"])),
    "amount_past_due": (("<=", ">=", ">"), st.sampled_from(["0", "100", "531.85", "1100"])),
    "payoff_amount": (("<=", ">=", ">"), st.sampled_from(["5000", "11500", "12000", "12050"])),
    "principal_balance": (("<=", ">="), st.sampled_from(["5000", "11000", "12000"])),
    "contacts_1d": (("<=", ">="), st.integers(0, 2)),
    "contacts_7d": (("<=", ">=", "=="), st.integers(0, 4)),
    "conversations_30d": (("<=", ">="), st.integers(0, 3)),
    "risk_score": (("<", ">="), st.sampled_from(["500", "650"])),
}


@st.composite
def _leaf(draw: st.DrawFn, forbidden: frozenset[str]) -> dict[str, Any]:
    name = draw(st.sampled_from(sorted(set(_LEAVES) - forbidden)))
    ops, values = _LEAVES[name]
    op = draw(st.sampled_from(ops))
    if op == "between":
        lo, hi = sorted((draw(values), draw(values)))
        return {"fact": name, "op": op, "value": [lo, hi]}
    if op in ("in", "not_in"):
        return {"fact": name, "op": op, "value": draw(st.lists(values, min_size=1, max_size=3))}
    return {"fact": name, "op": op, "value": draw(values)}


def _conditions(forbidden: frozenset[str] = frozenset()) -> st.SearchStrategy[dict[str, Any]]:
    """Condition trees (``all`` / ``any`` / ``not``, at most three levels) over the facts that change
    with time or with the contact history, and a few that do not."""
    return st.recursive(
        _leaf(forbidden),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
            inner.map(lambda x: {"not": x}),
        ),
        max_leaves=4,
    )


def _and_maybe(draw: st.DrawFn, when: Any, forbidden: frozenset[str] = frozenset()) -> Any:
    """``when``, or it combined with a random condition (half of the time)."""
    if not draw(st.booleans()):
        return when
    extra = draw(_conditions(forbidden))
    if when is None:
        return extra
    return {draw(st.sampled_from(["all", "any"])): [when, extra]}


@st.composite
def policy_documents(draw: st.DrawFn, max_stages: int = 5, conditions: bool = False) -> dict[str, Any]:
    """Valid policy documents (JSON-compatible dicts): stages over DPD ranges, random treatments of
    every action kind, holds, promises, an experiment and offers. With ``conditions``, stages,
    treatments, holds, offers and a first segment also test random conditions over the facts that
    change with time (DPD, days to the next due date, promises, borrower dates …) and with the
    contact history (``contacts_7d`` …).

    >>> from hypothesis import given, settings
    >>> from autoloan.policy import Policy
    >>> @settings(max_examples=5, database=None, derandomize=True)
    ... @given(policy_documents())
    ... def test_loads(doc):
    ...     assert Policy.from_dict(doc).to_dict()["name"] == doc["name"]
    >>> test_loads()
    """
    from autoloan.compliance import ActionKind

    kinds = [k.value for k in ActionKind] + ["task"]
    n = draw(st.integers(1, max_stages))
    cuts = sorted(draw(st.lists(st.integers(1, 150), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts]
    terminal_last = draw(st.booleans())
    stages = []
    for i in range(n):
        lo = bounds[i]
        when: dict[str, Any]
        if i + 1 < n:
            when = {"fact": "dpd", "op": "between", "value": [lo, bounds[i + 1] - 1]}
        else:
            when = {"fact": "dpd", "op": ">=", "value": lo}
        terminal = terminal_last and i == n - 1 and n > 1
        treatments = [draw(_treatment(f"t{j}", kinds, terminal)) for j in range(draw(st.integers(0, 3)))]
        stage: dict[str, Any] = {
            "id": f"s{i}",
            "label_en": f"stage {i}",
            "label_zh": f"阶段{i}",
            "when": when,
            "mandatory": draw(st.booleans()) if 0 < i < n - 1 else False,
            "terminal": terminal,
            "min_days": draw(st.integers(0, 3)),
            "treatments": treatments,
        }
        stages.append(stage)
    offers = []
    if draw(st.booleans()):
        offers.append(
            {
                "id": "plan",
                "kind": "instalment_plan",
                "months": [3, 6],
                "caps": {
                    "per_12_months": draw(st.integers(0, 2)),
                    "per_life": draw(st.integers(1, 3)),
                    "max_dpd": draw(st.integers(1, 120)),
                },
            }
        )
        stages[min(1, n - 1)]["offers"] = ["plan"]
    if draw(st.booleans()):
        offers.append(
            {
                "id": "defer",
                "kind": "deferral",
                "months": [1, 2],
                "caps": {"per_12_months": draw(st.integers(1, 2)), "max_dpd": draw(st.integers(1, 90))},
            }
        )
        stages[0].setdefault("offers", []).append("defer")
    doc: dict[str, Any] = {
        "name": "generated",
        "version": draw(st.integers(1, 5)),
        "skip_mode": draw(st.sampled_from(["catch_up", "record"])),
        "window": draw(st.sampled_from(_WINDOWS[:3])),
        "segments": [
            {"id": "risky", "when": {"fact": "risk_score", "op": "<", "value": "500"}},
            {"id": "all"},
        ],
        "experiments": [
            {
                "id": "x",
                "arms": [
                    {"id": "a", "weight": draw(st.integers(1, 9))},
                    {"id": "b", "weight": draw(st.integers(1, 9))},
                ],
            }
        ],
        "holds": draw(st.lists(st.sampled_from(_HOLDS), max_size=4, unique_by=lambda h: str(h["id"]))),
        "promises": {
            "grace_days": draw(st.integers(0, 3)),
            "suppress": draw(st.lists(st.sampled_from(["call", "sms", "visit"]), max_size=2, unique=True)),
            "on_broken": draw(st.sampled_from([None, *(s["id"] for s in stages)])),
        },
        "offers": offers,
        "stages": stages,
    }
    if conditions:
        no_stage_facts = frozenset({"days_in_stage"})
        for stage in stages:
            stage["when"] = _and_maybe(draw, stage["when"])
            for t in stage["treatments"]:
                t["when"] = _and_maybe(draw, t.get("when"))
        doc["holds"] = [dict(h, when=_and_maybe(draw, h["when"], no_stage_facts)) for h in doc["holds"]]
        if draw(st.booleans()):
            doc["holds"].append(
                {
                    "id": "timed",
                    "when": draw(_conditions(no_stage_facts)),
                    "suppress": draw(st.sampled_from([["*"], ["call", "sms"], ["visit", "letter"]])),
                }
            )
        for offer in offers:
            offer["when"] = _and_maybe(draw, None, no_stage_facts)
        if draw(st.booleans()):
            first = {"id": "timed", "when": draw(_conditions(no_stage_facts))}
            doc["segments"] = [first, *doc["segments"]]
    return doc


def policies(max_stages: int = 5, conditions: bool = False) -> st.SearchStrategy[Any]:
    """Valid :class:`~autoloan.policy.Policy` objects (built from :func:`policy_documents`)."""
    from autoloan.policy import Policy

    return policy_documents(max_stages, conditions).map(Policy.from_dict)


_JURISDICTIONS = ["CN", "GB", "US-MA", "US-WI"]


@st.composite
def cases(draw: st.DrawFn, policy: Any = None, with_state: bool = True) -> tuple[Any, datetime]:
    """``(case, now)``: a loan 0-200 days into its life with payments, a contact history of up to 30
    items in the month before ``now``, promises, arrangements, flags, borrower holds and (with
    ``policy``) a plausible previous state.
    """
    from zoneinfo import ZoneInfo

    from autoloan.compliance import Account, Action, Borrower
    from autoloan.policy import Arrangement, Case, Promise
    from autoloan.servicing import Payment, account_status

    terms = policy_terms()
    day = date(2026, 1, 2) + timedelta(days=draw(st.integers(0, 200)))
    paid_n = draw(st.integers(0, 4))
    payments = [Payment(date(2026, 2, 1) + timedelta(days=31 * k), Decimal("531.85")) for k in range(paid_n)]
    if draw(st.booleans()):
        payments.append(
            Payment(day - timedelta(days=draw(st.integers(0, 20))), Decimal(draw(st.integers(1, 600))))
        )
    payments = [p for p in payments if date(2026, 1, 1) <= p.date <= day]
    status = account_status(terms, payments, day)
    code = draw(st.sampled_from(_JURISDICTIONS))
    extra: dict[str, Any] = {}
    if draw(st.integers(0, 5)) == 0:
        extra["bankruptcy_filed_on"] = day - timedelta(days=draw(st.integers(0, 30)))
    if draw(st.integers(0, 5)) == 0:
        extra["cease_requested_on"] = day - timedelta(days=draw(st.integers(0, 30)))
    if draw(st.integers(0, 5)) == 0:
        extra["dispute_pending"] = True
    if draw(st.integers(0, 6)) == 0:
        extra["military_service"] = (day - timedelta(days=100), None)
    borrower = Borrower(code, **extra)
    tz = ZoneInfo(borrower.timezones[0])
    now = datetime.combine(day, datetime.min.time(), tz) + timedelta(
        hours=draw(st.sampled_from([0, 0, 0, 0, 8, 9, 12, 15, 21, 23])),
        minutes=draw(st.sampled_from([0, 0, 15, 59])),
    )
    now = now.astimezone(tz)
    hist = []
    kinds = ["call", "sms", "email", "letter", "visit"]
    for _ in range(draw(st.sampled_from([0, 0, 1, 3, 10, 30]))):
        kind = draw(st.sampled_from(kinds))
        outcome = (
            draw(st.sampled_from(["no_answer", "conversation", "voicemail"]))
            if kind == "call"
            else "delivered"
        )
        at = now - timedelta(minutes=draw(st.integers(1, 30 * 24 * 60)))
        hist.append(Action(kind, at.astimezone(UTC), debt_id="L1", outcome=outcome))
    promises = []
    for _ in range(draw(st.integers(0, 2))):
        made = day - timedelta(days=draw(st.integers(0, 10)))
        promises.append(
            Promise(
                made + timedelta(days=draw(st.integers(0, 6))),
                Decimal("100"),
                paid=Decimal(draw(st.sampled_from([0, 0, 50, 100]))),
                made_on=made,
            )
        )
    arrangements = [
        Arrangement(
            draw(st.sampled_from(["instalment_plan", "deferral"])),
            day - timedelta(days=draw(st.integers(0, 800))),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    flags = frozenset(
        draw(st.lists(st.sampled_from(["deceased", "hardship_plan", "fraud", "vip"]), max_size=2))
    )
    account = draw(st.sampled_from([None, Account(), Account(cure_notice_on=day - timedelta(days=40))]))
    state = None
    if with_state and policy is not None and draw(st.booleans()):
        stage = draw(st.sampled_from(list(policy.stages)))
        entered = now - timedelta(hours=draw(st.integers(0, 24 * 40)))
        state = {
            "stage": stage.id,
            "entered_at": entered.isoformat(),
            "visited": [],
            "last": entered.isoformat(),
            "terminal": stage.terminal,
        }
    score = draw(st.sampled_from([None, 300, 650, "720.5"]))
    case = Case(
        "L1",
        status,
        borrower,
        account=account,
        history=hist,
        promises=promises,
        arrangements=arrangements,
        flags=flags,
        risk_score=score,
        state=state,
    )
    return case, now


@st.composite
def decision_inputs(draw: st.DrawFn, max_stages: int = 5) -> tuple[Any, Any, datetime]:
    """``(policy, case, now)`` for properties of :meth:`Policy.decide`."""
    policy = draw(policies(max_stages))
    case, now = draw(cases(policy))
    return policy, case, now


def behaviours() -> st.SearchStrategy[Any]:
    """Borrower behaviours for :func:`autoloan.policy.simulate`: scripted (with or without payments)
    or seeded random models."""
    from autoloan.policy import Behaviour
    from autoloan.servicing import Payment

    scripted = st.lists(st.integers(0, 120), max_size=3).map(
        lambda days: Behaviour.scripted(
            payments=[Payment(date(2026, 2, 1) + timedelta(days=d), Decimal("531.85")) for d in sorted(days)]
        )
    )
    rnd = st.builds(
        Behaviour.random,
        st.integers(0, 2**32),
        pay_probability=st.sampled_from(["0", "0.05", "0.2"]),
        answer=st.sampled_from(["0", "0.5", "1"]),
    )
    return st.one_of(scripted, rnd)
