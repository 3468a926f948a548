"""The input of a decision: one account with its status, borrower, contact history and promises.

>>> from datetime import date
>>> from autoloan import LoanTerms
>>> from autoloan.compliance import Borrower
>>> from autoloan.servicing import account_status
>>> terms = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1), currency="CNY")
>>> case = Case("L1", account_status(terms, [], date(2026, 2, 5)), Borrower("CN"))
>>> case.status.days_past_due, len(case.history)
(4, 0)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from autoloan._enums import parse_member
from autoloan.amortization import LoanTerms
from autoloan.compliance import Account, Action, ActionKind, Borrower, History, Outcome, Target
from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import to_decimal
from autoloan.servicing import AccountStatus, Payment

__all__ = ["Arrangement", "ArrangementKind", "Case", "ContactIndex", "Promise"]


class ArrangementKind(StrEnum):
    """A payment arrangement a borrower can take: 分期 (instalment plan of arrears) or 延期 (deferral).

    >>> ArrangementKind("deferral").label_zh
    '延期'
    """

    INSTALMENT_PLAN = "instalment_plan"
    DEFERRAL = "deferral"

    @property
    def label_en(self) -> str:
        """English label."""
        return "instalment plan of the arrears" if self is ArrangementKind.INSTALMENT_PLAN else "deferral"

    @property
    def label_zh(self) -> str:
        """Chinese label."""
        return "分期" if self is ArrangementKind.INSTALMENT_PLAN else "延期"


@dataclass(frozen=True, slots=True)
class Promise:
    """A promise to pay ``amount`` by ``due`` (``paid``: what has come in towards it so far).

    With the policy's grace days, a promise is *pending* through ``due + grace``, *kept* once
    ``paid >= amount`` and *broken* from the next day if not kept.

    >>> from datetime import date
    >>> p = Promise(date(2026, 3, 10), "500")
    >>> p.is_pending(date(2026, 3, 12), grace=2), p.is_broken(date(2026, 3, 13), grace=2)
    (True, True)
    """

    due: date
    amount: Decimal | int | str
    paid: Decimal | int | str = Decimal(0)
    made_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "due", coerce_date(self.due, "promise.due"))
        amount = to_decimal(self.amount, "promise.amount")
        if not amount.is_finite() or amount <= 0:
            raise InvalidInput("promise.amount", self.amount, "must be a positive amount")
        object.__setattr__(self, "amount", amount)
        paid = to_decimal(self.paid, "promise.paid")
        if not paid.is_finite() or paid < 0:
            raise InvalidInput("promise.paid", self.paid, "must not be negative")
        object.__setattr__(self, "paid", paid)
        if self.made_on is not None:
            made = coerce_date(self.made_on, "promise.made_on")
            if made > self.due:
                raise InvalidInput("promise.made_on", self.made_on, "must not be after the due date")
            object.__setattr__(self, "made_on", made)

    @property
    def is_kept(self) -> bool:
        """The promised amount has been paid."""
        return self.paid >= self.amount  # type: ignore[operator]

    def broken_on(self, grace: int) -> date:
        """The first day the promise counts as broken if still unpaid."""
        return self.due + timedelta(days=grace + 1)

    def is_pending(self, today: date, grace: int) -> bool:
        """Made, not kept, and not yet past ``due + grace``."""
        if self.made_on is not None and today < self.made_on:
            return False
        return not self.is_kept and today < self.broken_on(grace)

    def is_broken(self, today: date, grace: int) -> bool:
        """Not kept and past ``due + grace``."""
        return not self.is_kept and today >= self.broken_on(grace)


@dataclass(frozen=True, slots=True)
class Arrangement:
    """A payment arrangement the borrower took on ``on`` (counts towards the offers' caps).

    >>> from datetime import date
    >>> Arrangement("分期", date(2026, 1, 5)).kind
    <ArrangementKind.INSTALMENT_PLAN: 'instalment_plan'>
    """

    kind: ArrangementKind | str
    on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse_member(ArrangementKind, self.kind, "arrangement.kind"))
        object.__setattr__(self, "on", coerce_date(self.on, "arrangement.on"))


class _Times:
    """Sorted POSIX timestamps with O(log n) window counts."""

    __slots__ = ("ts",)

    def __init__(self, ts: list[float]) -> None:
        self.ts = ts

    def count(self, start: float, end: float) -> int:
        """Items with ``start <= t < end``."""
        ts = self.ts
        return bisect_left(ts, end) - bisect_left(ts, start)

    def first_at_or_after(self, start: float) -> float | None:
        """The first item at or after ``start``."""
        i = bisect_left(self.ts, start)
        return self.ts[i] if i < len(self.ts) else None


_EMPTY = _Times([])


class ContactIndex:
    """Outbound contacts, conversations and actions per kind of a history, as sorted timestamps.

    Built once per :class:`Case` (O(n)) from the already sorted :class:`History`.
    """

    __slots__ = ("by_kind", "contacts", "conversations", "last_ts")

    by_kind: dict[ActionKind, _Times]
    contacts: _Times
    conversations: _Times
    last_ts: float

    def __init__(self, history: History, previous: ContactIndex | None = None, shared: int = 0) -> None:
        if not isinstance(history, History):
            raise InvalidInput("history", history, "must be a compliance.History")
        if previous is not None and not isinstance(previous, ContactIndex):
            raise InvalidInput("previous", previous, "must be a ContactIndex or None")
        if isinstance(shared, bool) or not isinstance(shared, int) or shared < 0:
            raise InvalidInput("shared", shared, "must be an integer >= 0")
        contacts: list[float]
        conversations: list[float]
        by_kind: dict[ActionKind, list[float]]
        if previous is not None:
            contacts = list(previous.contacts.ts)
            conversations = list(previous.conversations.ts)
            by_kind = {k: list(v.ts) for k, v in previous.by_kind.items()}
            last = previous.last_ts
        else:
            contacts, conversations, by_kind, last = [], [], {}, float("-inf")
        items = history.items
        for i in range(shared, len(items)):
            a = items[i]
            ts = a.at.timestamp()
            last = ts
            if a.outcome is Outcome.CONVERSATION:
                conversations.append(ts)
            if a.initiated_by_borrower:
                continue
            kind = a.kind
            assert isinstance(kind, ActionKind)
            by_kind.setdefault(kind, []).append(ts)
            if a.target is Target.BORROWER and kind.is_contact:
                contacts.append(ts)
        self.contacts = _Times(contacts)
        self.conversations = _Times(conversations)
        self.by_kind = {k: _Times(v) for k, v in by_kind.items()}
        self.last_ts = last

    def grown(self, old: History, new: History) -> ContactIndex:
        """The index of ``new`` when it extends ``old`` (indexed by ``self``); else a fresh index."""
        n = len(old.items)
        items = new.items
        if n == 0 or len(items) < n or items[n - 1] is not old.items[-1]:
            return ContactIndex(new)
        return ContactIndex(new, self, n)

    def kind(self, kind: ActionKind) -> _Times:
        """The outbound actions of ``kind``."""
        return self.by_kind.get(kind, _EMPTY)


def _history(value: Any) -> History:
    if isinstance(value, History):
        return value
    try:
        return History.from_actions(value)
    except InvalidInput as exc:
        raise InvalidInput("case." + exc.field, exc.value, exc.reason) from None


def _tuple_of(value: Any, cls: type, name: str) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(f"case.{name}", value, f"must be a sequence of {cls.__name__}")
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise InvalidInput(f"case.{name}[{i}]", item, f"must be a {cls.__name__}")
    return items


@dataclass(frozen=True, slots=True)
class Case:
    """Everything a decision needs about one account (the engine keeps nothing between calls).

    ``status`` is the account's :class:`~autoloan.servicing.AccountStatus` (as of the decision day
    or earlier: days past due are carried forward to the decision day); ``history`` the contact
    history (a :class:`~autoloan.compliance.History`, or actions, indexed once here); ``promises``
    promises to pay; ``arrangements`` payment arrangements taken (for the offers' caps);
    ``flags`` free-form markers such as ``deceased`` or ``hardship_plan``; ``state`` the mapping
    returned by the previous decision (``None`` for the first). ``terms`` and ``payments`` let
    deferral offers be priced with :func:`autoloan.servicing.defer`. ``Case.FIELDS`` names the
    constructor's fields in order.

    >>> Case.FIELDS[:3]
    ('account_id', 'status', 'borrower')
    """

    FIELDS: ClassVar[tuple[str, ...]]

    account_id: str
    status: AccountStatus
    borrower: Borrower
    account: Account | None = None
    history: History | Iterable[Action] = ()
    promises: tuple[Promise, ...] | Iterable[Promise] = ()
    arrangements: tuple[Arrangement, ...] | Iterable[Arrangement] = ()
    flags: frozenset[str] | Iterable[str] = frozenset()
    risk_score: Decimal | int | str | None = None
    product: str | None = None
    state: Mapping[str, Any] | None = None
    terms: LoanTerms | None = None
    payments: tuple[Payment, ...] | Iterable[Payment] = ()
    contact_index: ContactIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.account_id, str) or not self.account_id or len(self.account_id) > 200:
            raise InvalidInput("case.account_id", self.account_id, "must be a non-empty string")
        if not isinstance(self.status, AccountStatus):
            raise InvalidInput("case.status", self.status, "must be a servicing.AccountStatus")
        if not isinstance(self.borrower, Borrower):
            raise InvalidInput("case.borrower", self.borrower, "must be a compliance.Borrower")
        if not self.borrower.timezones:
            raise InvalidInput(
                "case.borrower.timezones", (), f"give at least one IANA zone for {self.borrower.jurisdiction}"
            )
        if self.account is not None and not isinstance(self.account, Account):
            raise InvalidInput("case.account", self.account, "must be a compliance.Account or None")
        history = _history(self.history)
        set_(self, "history", history)
        set_(self, "promises", _tuple_of(self.promises, Promise, "promises"))
        set_(self, "arrangements", _tuple_of(self.arrangements, Arrangement, "arrangements"))
        flags = self.flags
        if isinstance(flags, str) or not isinstance(flags, Iterable):
            raise InvalidInput("case.flags", flags, "must be a set of strings")
        flags = frozenset(flags)
        if not all(isinstance(x, str) for x in flags):
            raise InvalidInput("case.flags", self.flags, "must be a set of strings")
        set_(self, "flags", flags)
        if self.risk_score is not None:
            score = to_decimal(self.risk_score, "case.risk_score")
            if not score.is_finite():
                raise InvalidInput("case.risk_score", self.risk_score, "must be a finite number")
            set_(self, "risk_score", score)
        if self.product is not None and not isinstance(self.product, str):
            raise InvalidInput("case.product", self.product, "must be a string or None")
        if self.state is not None and not isinstance(self.state, Mapping):
            raise InvalidInput("case.state", self.state, "must be the mapping of a previous decision or None")
        if self.terms is not None and not isinstance(self.terms, LoanTerms):
            raise InvalidInput("case.terms", self.terms, "must be a LoanTerms or None")
        set_(self, "payments", _tuple_of(self.payments, Payment, "payments"))
        set_(self, "contact_index", ContactIndex(history))

    @classmethod
    def of_status(cls, account_id: str, status: AccountStatus, borrower: Borrower) -> Case:
        """A case with only an id, a status and a borrower (no history, promises, flags or state).

        The same as ``Case(account_id, status, borrower)``, built without the general constructor's
        conversions (what ``book.decide`` builds for each account without contacts).

        >>> from datetime import date
        >>> from autoloan import LoanTerms
        >>> from autoloan.servicing import account_status
        >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
        >>> st = account_status(t, [], date(2026, 2, 5))
        >>> c = Case.of_status("L1", st, Borrower("CN"))
        >>> c.status.days_past_due, len(c.history), c.promises, c.state
        (4, 0, (), None)
        """
        if not isinstance(account_id, str) or not account_id or len(account_id) > 200:
            raise InvalidInput("case.account_id", account_id, "must be a non-empty string")
        if not isinstance(status, AccountStatus):
            raise InvalidInput("case.status", status, "must be a servicing.AccountStatus")
        if not isinstance(borrower, Borrower):
            raise InvalidInput("case.borrower", borrower, "must be a compliance.Borrower")
        if not borrower.timezones:
            raise InvalidInput(
                "case.borrower.timezones", (), f"give at least one IANA zone for {borrower.jurisdiction}"
            )
        new = object.__new__(cls)
        set_ = object.__setattr__
        set_(new, "account_id", account_id)
        set_(new, "status", status)
        set_(new, "borrower", borrower)
        set_(new, "account", None)
        set_(new, "history", History())
        set_(new, "promises", ())
        set_(new, "arrangements", ())
        set_(new, "flags", _NO_FLAGS)
        set_(new, "risk_score", None)
        set_(new, "product", None)
        set_(new, "state", None)
        set_(new, "terms", None)
        set_(new, "payments", ())
        set_(new, "contact_index", _EMPTY_INDEX)
        return new

    def replace(self, **changes: Any) -> Case:
        """A copy with some fields changed.

        Changing only ``state``, ``status`` or ``history`` is cheap: a history that extends the old
        one is indexed incrementally.

        >>> from datetime import date
        >>> from autoloan import LoanTerms
        >>> from autoloan.servicing import account_status
        >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
        >>> c = Case("L1", account_status(t, [], date(2026, 2, 5)), Borrower("US-MA"))
        >>> c.replace(state={"stage": "early"}).state
        {'stage': 'early'}
        """
        set_ = object.__setattr__
        if changes.keys() <= _CHEAP:
            new = object.__new__(Case)
            for name in _FIELDS:
                set_(new, name, getattr(self, name))
            index = self.contact_index
            if "history" in changes:
                hist = _history(changes["history"])
                set_(new, "history", hist)
                if hist is not self.history:
                    index = index.grown(self.history, hist)  # type: ignore[arg-type]
            set_(new, "contact_index", index)
            if "state" in changes:
                state = changes["state"]
                if state is not None and not isinstance(state, Mapping):
                    raise InvalidInput("case.state", state, "must be a mapping or None")
                set_(new, "state", state)
            if "status" in changes:
                status = changes["status"]
                if not isinstance(status, AccountStatus):
                    raise InvalidInput("case.status", status, "must be a servicing.AccountStatus")
                set_(new, "status", status)
            return new
        data = {name: getattr(self, name) for name in _FIELDS}
        data.update(changes)
        if "history" not in changes:
            # everything else validated as usual; the history and its index are kept as they are
            new = Case(**{**data, "history": _NO_HISTORY})
            set_(new, "history", self.history)
            set_(new, "contact_index", self.contact_index)
            return new
        return Case(**data)


_FIELDS = (
    "account_id",
    "status",
    "borrower",
    "account",
    "history",
    "promises",
    "arrangements",
    "flags",
    "risk_score",
    "product",
    "state",
    "terms",
    "payments",
)
Case.FIELDS = _FIELDS
_CHEAP = frozenset({"state", "status", "history"})
_NO_FLAGS: frozenset[str] = frozenset()
_NO_HISTORY: tuple[Action, ...] = ()
_EMPTY_INDEX = ContactIndex(History())
