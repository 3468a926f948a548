"""The whitelist of facts a policy condition may test, and how each is computed from a Case.

Every fact has a name, a type (``int``, ``decimal``, ``str``, ``bool`` or ``set``), a description,
and a function computing it from the case at the decision time ``now``. Conditions are
type-checked against this registry when a policy is loaded; nothing else is reachable from a
policy document (no attribute access by name, no expressions). The reference in
``docs/policy.md`` is generated from :data:`FACTS`.

>>> FACTS["dpd"].type, FACTS["amount_past_due"].type
('int', 'decimal')
>>> sorted(FACTS)[:3]
['amount_past_due', 'arm', 'arrangements_12m']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from autoloan.delinquency import BucketScheme, ChinaRules
from autoloan.errors import InvalidInput
from autoloan.policy.case import Case

__all__ = ["FACTS", "FACT_TYPES", "Fact", "Facts"]

#: The fact types and the Python values they hold.
FACT_TYPES: dict[str, str] = {
    "int": "a whole number",
    "decimal": 'a decimal amount, written as a string (``"1500.00"``) or an integer',
    "str": "a string",
    "bool": "true or false",
    "set": "a set of strings (test membership with ``has`` / ``has_any`` / ``has_none``)",
}


@dataclass(frozen=True, slots=True)
class Fact:
    """One whitelisted fact: name, type, description and how it changes over time.

    ``daily``: the value can change at a local midnight without any event (DPD, days in stage);
    ``window_days``: a count over the last N days of contact history (changes when an item ages
    out of the window); ``changes``: the first day after ``today`` on which the value can differ
    when nothing happens (no payment, contact, promise or new status other than the one a due
    date brings), ``None`` when only an event can change it — the engine's ``next_review_at``
    is never later than that day's midnight for a fact the policy reads.
    """

    name: str
    type: str
    description: str
    compute: Callable[[Facts], Any]
    daily: bool = False
    window_days: int | None = None
    nullable: bool = False
    changes: Callable[[Facts], date | None] | None = None


_CYCLES = BucketScheme.cycles()
_UNSET: Any = object()
_CHINA = ChinaRules.retail_2023()


def _check_moment(case: Any, now: Any, today: Any) -> None:
    """The arguments every ``Facts`` is built from: a policy Case, an aware ``now`` and a ``today`` date."""
    if not isinstance(case, Case):
        raise InvalidInput("case", case, "must be a policy Case")
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now", now, "must be a timezone-aware datetime")
    if not isinstance(today, date) or isinstance(today, datetime):
        raise InvalidInput("today", today, "must be a date")


class Facts:
    """The facts of one case at one moment, computed on first use and cached.

    Built by the engine; ``get(name)`` returns the value (``None`` for an unknown optional value
    such as a missing risk score).
    """

    __slots__ = (
        "_cache",
        "arm",
        "case",
        "entered_day",
        "grace",
        "now",
        "now_ts",
        "segment",
        "today",
    )

    def __init__(
        self,
        case: Case,
        now: datetime,
        today: date,
        *,
        entered_day: date | None = None,
        segment: str | None = None,
        arm: str | None = None,
        grace: int = 0,
    ) -> None:
        _check_moment(case, now, today)
        self.case = case
        self.now = now
        self.now_ts = now.timestamp()
        self.today = today
        self.entered_day = entered_day
        self.segment = segment
        self.arm = arm
        self.grace = grace
        self._cache: dict[str, Any] = {}

    @classmethod
    def at(cls, case: Case, now: datetime, today: date, grace: int) -> Facts:
        """The facts of ``case`` at ``now`` (aware, in the borrower's zone; ``today`` its date) with the
        promises' ``grace`` days, before the segment, arm and stage are known (the engine's start).

        >>> from datetime import date, datetime, timezone
        >>> from autoloan import LoanTerms
        >>> from autoloan.compliance import Borrower
        >>> from autoloan.servicing import account_status
        >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
        >>> case = Case("L1", account_status(t, [], date(2026, 2, 5)), Borrower("GB"))
        >>> Facts.at(case, datetime(2026, 2, 6, tzinfo=timezone.utc), date(2026, 2, 6), 0).get("dpd")
        5
        """
        _check_moment(case, now, today)
        if isinstance(grace, bool) or not isinstance(grace, int):
            raise InvalidInput("grace", grace, "must be a whole number of days")
        self = object.__new__(cls)
        self.case = case
        self.now = now
        self.now_ts = now.timestamp()
        self.today = today
        self.entered_day = None
        self.segment = None
        self.arm = None
        self.grace = grace
        self._cache = {}
        return self

    def get(self, name: str) -> Any:
        """The value of fact ``name`` (computed once)."""
        if not isinstance(name, str):
            raise InvalidInput("fact", name, "must be a fact name")
        cache = self._cache
        value = cache.get(name, _UNSET)
        if value is not _UNSET:
            return value
        value = cache[name] = _lookup(name).compute(self)
        return value

    def next_change(self, name: str) -> date | None:
        """The first day after ``today`` on which fact ``name`` can take another value with no event
        in between (``None``: only an event — a payment, a contact, a new promise — can change it).

        >>> from datetime import date, datetime, timezone
        >>> from autoloan import LoanTerms
        >>> from autoloan.compliance import Borrower
        >>> from autoloan.servicing import account_status
        >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
        >>> case = Case("L1", account_status(t, [], date(2026, 1, 10)), Borrower("GB"))
        >>> f = Facts.at(case, datetime(2026, 1, 10, tzinfo=timezone.utc), date(2026, 1, 10), 0)
        >>> f.get("dpd"), f.next_change("dpd"), f.next_change("risk_score")
        (0, datetime.date(2026, 2, 2), None)
        """
        if not isinstance(name, str):
            raise InvalidInput("fact", name, "must be a fact name")
        changes = _lookup(name).changes
        return None if changes is None else changes(self)

    def reset(self, *names: str) -> None:
        """Forget cached values (after the segment, arm or stage changed)."""
        for name in names:
            self._cache.pop(name, None)


def _lookup(name: str) -> Fact:
    fact = FACTS.get(name)
    if fact is None:
        raise InvalidInput("fact", name, "unknown fact; use one of " + ", ".join(sorted(FACTS)))
    return fact


# --- computations -------------------------------------------------------------------------------


def _dpd(f: Facts) -> int:
    st = f.case.status
    elapsed = (f.today - st.as_of).days
    if elapsed <= 0:
        return st.days_past_due
    oldest = st.oldest_unpaid_due_date
    if oldest is not None:
        return max(st.days_past_due, (f.today - oldest).days, 0)
    nxt = st.next_due_date
    if nxt is not None and nxt < f.today and st.next_due_amount > 0:
        return (f.today - nxt).days  # an installment fell due after the status date, unpaid
    return st.days_past_due


def _days_delinquent(f: Facts) -> int:
    st = f.case.status
    if st.days_delinquent <= 0:
        return 0
    return st.days_delinquent + max((f.today - st.as_of).days, 0)


def _days_to_next_due(f: Facts) -> int | None:
    nxt = f.case.status.next_due_date
    return None if nxt is None else (nxt - f.today).days


def _days_in_stage(f: Facts) -> int:
    return 0 if f.entered_day is None else max((f.today - f.entered_day).days, 0)


def _window_count(days: int, conversations: bool) -> Callable[[Facts], int]:
    def compute(f: Facts) -> int:
        index = f.case.contact_index
        series = index.conversations if conversations else index.contacts
        return series.count(f.now_ts - days * 86400.0, f.now_ts)

    return compute


def _broken(f: Facts) -> int:
    grace = f.grace
    return sum(1 for p in f.case.promises if p.is_broken(f.today, grace))


def _pending(f: Facts) -> bool:
    grace = f.grace
    return any(p.is_pending(f.today, grace) for p in f.case.promises)


def _arrangements_12m(f: Facts) -> int:
    start = f.today - timedelta(days=365)
    return sum(1 for a in f.case.arrangements if start < a.on <= f.today)


def _bankruptcy(f: Facts) -> bool:
    b = f.case.borrower
    filed = b.bankruptcy_filed_on
    if filed is None or filed > f.today:
        return False
    lifted = b.bankruptcy_stay_lifted_on
    return lifted is None or lifted > f.today


def _military(f: Facts) -> bool:
    service = f.case.borrower.military_service
    if service is None:
        return False
    start, end = service
    return start <= f.today and (end is None or f.today <= end)


def _cease(f: Facts) -> bool:
    on = f.case.borrower.cease_requested_on
    return on is not None and on <= f.today


def _days_since_payment(f: Facts) -> int | None:
    last = f.case.status.last_payment_date
    return None if last is None else (f.today - last).days


def _tomorrow(f: Facts) -> date:
    return f.today + timedelta(days=1)


def _after(f: Facts, days: list[date | None]) -> date | None:
    """The earliest of ``days`` after ``today`` (``None`` if none is)."""
    later = [d for d in days if d is not None and d > f.today]
    return min(later) if later else None


def _dpd_changes(f: Facts) -> date | None:
    """DPD grows every day while past due; when current it can first grow the day after the next
    due date. The status amounts follow it: interest, 罚息 and late fees move a fresh status's
    amounts daily while past due, and a due date passing makes an installment past due."""
    if f.get("dpd") > 0:
        return _tomorrow(f)
    nxt = f.case.status.next_due_date
    return None if nxt is None else max(nxt + timedelta(days=1), _tomorrow(f))


def _payoff_changes(f: Facts) -> date | None:
    return None if f.case.status.is_paid_off else _tomorrow(f)


def _daily_while(value_of: Callable[[Facts], Any]) -> Callable[[Facts], date | None]:
    """Changes every day while the value is known (days since a date, days to a date)."""

    def changes(f: Facts) -> date | None:
        return None if value_of(f) is None else _tomorrow(f)

    return changes


def _promise_changes(f: Facts) -> date | None:
    days: list[date | None] = []
    for p in f.case.promises:
        if not p.is_kept:
            days.append(p.made_on)
            days.append(p.broken_on(f.grace))
    return _after(f, days)


def _arrangements_change(f: Facts) -> date | None:
    # counted while today - 365 < on <= today: it enters on `on`, leaves on `on + 365`
    days: list[date | None] = []
    for a in f.case.arrangements:
        days.append(a.on)
        days.append(a.on + timedelta(days=365))
    return _after(f, days)


def _bankruptcy_changes(f: Facts) -> date | None:
    b = f.case.borrower
    return _after(f, [b.bankruptcy_filed_on, b.bankruptcy_stay_lifted_on])


def _military_changes(f: Facts) -> date | None:
    service = f.case.borrower.military_service
    if service is None:
        return None
    start, end = service
    return _after(f, [start, None if end is None else end + timedelta(days=1)])


def _cease_changes(f: Facts) -> date | None:
    return _after(f, [f.case.borrower.cease_requested_on])


_LIST: list[Fact] = [
    Fact(
        "dpd",
        "int",
        "days past due at `now` (contractual, oldest unpaid installment; 0 when current)",
        _dpd,
        daily=True,
        changes=_dpd_changes,
    ),
    Fact(
        "days_delinquent",
        "int",
        "days delinquent for classification (after materiality and grace)",
        _days_delinquent,
        daily=True,
        changes=_dpd_changes,
    ),
    Fact(
        "installments_in_arrears",
        "int",
        "installments past due",
        lambda f: f.case.status.installments_in_arrears,
        changes=_dpd_changes,
    ),
    Fact(
        "amount_past_due",
        "decimal",
        "amount past due (principal, interest, fees, 罚息)",
        lambda f: f.case.status.amount_past_due,
        changes=_dpd_changes,
    ),
    Fact(
        "principal_balance",
        "decimal",
        "unpaid principal balance",
        lambda f: f.case.status.principal_balance,
        changes=_dpd_changes,
    ),
    Fact(
        "payoff_amount",
        "decimal",
        "amount that closes the loan",
        lambda f: f.case.status.payoff_amount,
        changes=_payoff_changes,
    ),
    Fact(
        "bucket",
        "str",
        "delinquency cycle of `dpd`: M0, M1, … M7+ (BucketScheme.cycles)",
        lambda f: _CYCLES.bucket(f.get("dpd")).name,
        daily=True,
        changes=_dpd_changes,
    ),
    Fact(
        "china_grade",
        "str",
        "五级分类 by days overdue: normal, special_mention, substandard, doubtful, loss",
        lambda f: _CHINA.grade_for_days(f.get("dpd")).value,
        daily=True,
        changes=_dpd_changes,
    ),
    Fact(
        "days_to_next_due",
        "int",
        "days until the next due date (negative once passed; null if none)",
        _days_to_next_due,
        daily=True,
        nullable=True,
        changes=_daily_while(_days_to_next_due),
    ),
    Fact(
        "days_since_payment",
        "int",
        "days since the last payment (null if none)",
        _days_since_payment,
        daily=True,
        nullable=True,
        changes=_daily_while(_days_since_payment),
    ),
    Fact(
        "days_in_stage",
        "int",
        "days since the current stage was entered (0 on the day of entry)",
        _days_in_stage,
        daily=True,
        changes=_tomorrow,
    ),
    Fact(
        "contacts_1d",
        "int",
        "outbound contacts with the borrower in the last 24 hours",
        _window_count(1, False),
        window_days=1,
    ),
    Fact(
        "contacts_7d",
        "int",
        "outbound contacts with the borrower in the last 7 days",
        _window_count(7, False),
        window_days=7,
    ),
    Fact(
        "contacts_30d",
        "int",
        "outbound contacts with the borrower in the last 30 days",
        _window_count(30, False),
        window_days=30,
    ),
    Fact(
        "conversations_7d",
        "int",
        "conversations with the borrower in the last 7 days",
        _window_count(7, True),
        window_days=7,
    ),
    Fact(
        "conversations_30d",
        "int",
        "conversations with the borrower in the last 30 days",
        _window_count(30, True),
        window_days=30,
    ),
    Fact(
        "broken_promises",
        "int",
        "promises to pay broken (due date + grace passed, not paid)",
        _broken,
        daily=True,
        changes=_promise_changes,
    ),
    Fact(
        "promise_pending",
        "bool",
        "a promise to pay is pending (due date + grace not yet passed)",
        _pending,
        daily=True,
        changes=_promise_changes,
    ),
    Fact(
        "arrangements_12m",
        "int",
        "payment arrangements (分期, 延期) taken in the last 365 days",
        _arrangements_12m,
        daily=True,
        changes=_arrangements_change,
    ),
    Fact(
        "flags",
        "set",
        "the case's flags (e.g. deceased, hardship_plan, dispute_pending, fraud)",
        lambda f: f.case.flags,
    ),
    Fact(
        "risk_score",
        "decimal",
        "the case's risk score (null if none)",
        lambda f: f.case.risk_score,
        nullable=True,
    ),
    Fact("product", "str", "the case's product code (null if none)", lambda f: f.case.product, nullable=True),
    Fact(
        "jurisdiction",
        "str",
        "the borrower's jurisdiction (ISO 3166: CN, GB, US-MA, …)",
        lambda f: f.case.borrower.jurisdiction,
    ),
    Fact(
        "bankruptcy",
        "bool",
        "a bankruptcy petition is filed and the stay not lifted",
        _bankruptcy,
        daily=True,
        changes=_bankruptcy_changes,
    ),
    Fact(
        "dispute_pending", "bool", "the borrower disputes the debt", lambda f: f.case.borrower.dispute_pending
    ),
    Fact(
        "military_service",
        "bool",
        "the borrower is in military service (SCRA)",
        _military,
        daily=True,
        changes=_military_changes,
    ),
    Fact(
        "cease_requested",
        "bool",
        "the borrower asked the collector to stop communicating",
        _cease,
        daily=True,
        changes=_cease_changes,
    ),
    Fact(
        "segment",
        "str",
        "the segment the case fell into (stage and treatment conditions only)",
        lambda f: f.segment,
    ),
    Fact(
        "arm",
        "str",
        "the experiment arm of the case (null outside experiments)",
        lambda f: f.arm,
        nullable=True,
    ),
]

#: Every fact by name.
FACTS: dict[str, Fact] = {fact.name: fact for fact in _LIST}
