"""Value objects of the compliance checker: actions, borrowers, accounts, findings, verdicts.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> a = Action("call", datetime(2026, 3, 2, 7, 30, tzinfo=ZoneInfo("America/New_York")), debt_id="L1")
>>> a.kind.label_en, a.kind.label_zh
('telephone call', '电话')
>>> Action("call", datetime(2026, 3, 2, 7, 30), debt_id="L1")
Traceback (most recent call last):
...
autoloan.errors.InvalidAction: action.at: must be timezone-aware (got 2026-03-02T07:30:00)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from autoloan._enums import parse_member
from autoloan.dates import coerce_date
from autoloan.errors import InvalidAction
from autoloan.money import to_decimal

__all__ = [
    "Account",
    "Action",
    "ActionKind",
    "AgreementType",
    "Borrower",
    "Finding",
    "Outcome",
    "Place",
    "Purpose",
    "Severity",
    "Target",
    "Verdict",
    "zone",
]

_E = TypeVar("_E", bound=Enum)


def _parse(cls: type[_E], value: Any, fieldname: str) -> _E:
    choices = ", ".join(str(m.value) for m in cls)
    return parse_member(cls, value, fieldname, error=InvalidAction, hint="use one of " + choices)


class _Labelled(StrEnum):
    """A string enum with English and Chinese labels kept in ``_LABELS``."""

    @property
    def label_en(self) -> str:
        """English label."""
        return _LABELS[self][0]

    @property
    def label_zh(self) -> str:
        """Chinese label (中文)."""
        return _LABELS[self][1]


class ActionKind(_Labelled):
    """What the collector wants to do. Accepts its string value (``"call"``)."""

    CALL = "call"
    SMS = "sms"
    EMAIL = "email"
    LETTER = "letter"
    VISIT = "visit"
    LEGAL_LETTER = "legal_letter"
    LAWSUIT = "lawsuit"
    REPOSSESSION = "repossession"
    ACCELERATION = "acceleration"
    CREDIT_REPORT = "credit_report"
    THIRD_PARTY_CONTACT = "third_party_contact"

    @classmethod
    def parse(cls, value: ActionKind | str, field: str = "action.kind") -> ActionKind:
        """Accept a member or its value.

        >>> ActionKind.parse("SMS")
        <ActionKind.SMS: 'sms'>
        """
        return _parse(cls, value, field)

    @property
    def is_contact(self) -> bool:
        """True for kinds that communicate with a person (call, sms, email, letter, visit, …)."""
        return self in _CONTACT_KINDS


class Target(_Labelled):
    """Whom the action reaches."""

    BORROWER = "borrower"
    THIRD_PARTY = "third_party"
    ATTORNEY = "attorney"


class Place(_Labelled):
    """Where the contact reaches the borrower (``None`` on an action: not known or not a place)."""

    HOME = "home"
    WORK = "work"


class Outcome(_Labelled):
    """What happened, for history items."""

    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    NOT_IN_SERVICE = "not_in_service"
    CONVERSATION = "conversation"
    DELIVERED = "delivered"
    UNDELIVERABLE = "undeliverable"


class Purpose(_Labelled):
    """Why a communication is sent, where the rules make exceptions for it."""

    COLLECTION = "collection"
    TERMINATION_NOTICE = "termination_notice"  # 12 CFR 1006.6(c)(2)(i)
    REMEDY_NOTICE = "remedy_notice"  # 12 CFR 1006.6(c)(2)(ii)-(iii)
    VERIFICATION = "verification"  # 12 CFR 1006.38(d)(2)


class Severity(_Labelled):
    """How a finding weighs: ``block`` forbids the action, ``review`` asks a human, ``warn`` informs."""

    BLOCK = "block"
    REVIEW = "review"
    WARN = "warn"


class AgreementType(_Labelled):
    """Credit agreement type (UK Consumer Credit Act 1974 distinguishes hire purchase)."""

    LOAN = "loan"
    HIRE_PURCHASE = "hire_purchase"
    CONDITIONAL_SALE = "conditional_sale"
    LEASE = "lease"


_LABELS: dict[Any, tuple[str, str]] = {
    ActionKind.CALL: ("telephone call", "电话"),
    ActionKind.SMS: ("text message", "短信"),
    ActionKind.EMAIL: ("email", "电子邮件"),
    ActionKind.LETTER: ("letter", "信函"),
    ActionKind.VISIT: ("visit", "上门"),
    ActionKind.LEGAL_LETTER: ("lawyer's letter", "律师函"),
    ActionKind.LAWSUIT: ("lawsuit", "诉讼"),
    ActionKind.REPOSSESSION: ("repossession", "收车"),
    ActionKind.ACCELERATION: ("acceleration / termination", "宣布提前到期"),
    ActionKind.CREDIT_REPORT: ("credit bureau report", "报送征信"),
    ActionKind.THIRD_PARTY_CONTACT: ("third-party contact", "联系第三人"),
    Target.BORROWER: ("borrower", "借款人"),
    Target.THIRD_PARTY: ("third party", "第三人"),
    Target.ATTORNEY: ("borrower's attorney", "借款人律师"),
    Place.HOME: ("home", "住所"),
    Place.WORK: ("workplace", "工作单位"),
    Outcome.NO_ANSWER: ("rang, no answer", "未接听"),
    Outcome.VOICEMAIL: ("voicemail", "语音信箱"),
    Outcome.BUSY: ("busy, not connected", "占线"),
    Outcome.NOT_IN_SERVICE: ("not in service", "空号"),
    Outcome.CONVERSATION: ("conversation", "通话"),
    Outcome.DELIVERED: ("delivered", "已送达"),
    Outcome.UNDELIVERABLE: ("undeliverable", "无法送达"),
    Purpose.COLLECTION: ("collection", "催收"),
    Purpose.TERMINATION_NOTICE: ("notice that collection ends", "终止催收通知"),
    Purpose.REMEDY_NOTICE: ("notice of a remedy", "救济措施通知"),
    Purpose.VERIFICATION: ("verification of the debt", "债务核实"),
    Severity.BLOCK: ("blocked", "禁止"),
    Severity.REVIEW: ("needs review", "需人工复核"),
    Severity.WARN: ("warning", "提示"),
    AgreementType.LOAN: ("loan", "贷款"),
    AgreementType.HIRE_PURCHASE: ("hire purchase", "租购"),
    AgreementType.CONDITIONAL_SALE: ("conditional sale", "附条件买卖"),
    AgreementType.LEASE: ("lease", "租赁"),
}

_CONTACT_KINDS = frozenset(
    {
        ActionKind.CALL,
        ActionKind.SMS,
        ActionKind.EMAIL,
        ActionKind.LETTER,
        ActionKind.VISIT,
        ActionKind.LEGAL_LETTER,
        ActionKind.THIRD_PARTY_CONTACT,
    }
)


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone ``name`` (cached); an unknown name raises :class:`InvalidAction`.

    >>> zone("Asia/Shanghai").key
    'Asia/Shanghai'
    >>> zone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidAction: timezone: unknown IANA time zone (got 'Mars/Olympus')
    """
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
        raise InvalidAction(field, name, "unknown IANA time zone")
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidAction(field, name, "unknown IANA time zone") from None


def _aware(value: Any, fieldname: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidAction(fieldname, value, "must be a timezone-aware datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidAction(fieldname, value, "must be timezone-aware")
    return value


def _opt_date(value: Any, fieldname: str) -> date | None:
    if value is None:
        return None
    return coerce_date(value, fieldname, InvalidAction)


def _opt_str(value: Any, fieldname: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidAction(fieldname, value, "must be a string or None")


def _bool(value: Any, fieldname: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidAction(fieldname, value, "must be True or False")
    return value


@dataclass(frozen=True, slots=True)
class Action:
    """A proposed collection action, or (with an ``outcome``) an item of the contact history.

    ``at`` must be timezone-aware; ``debt_id`` names the particular debt (Reg F counts calls per
    debt). ``contact_id`` identifies the person or number reached when it is not the borrower
    (a third party's id; frequency limits count per person). ``automated`` marks dialer or
    prerecorded calls and texts (TCPA). ``initiated_by_borrower`` marks inbound contacts in history.

    >>> from datetime import datetime, timezone
    >>> noon = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    >>> Action("sms", noon, debt_id="L1", outcome="delivered").outcome
    <Outcome.DELIVERED: 'delivered'>
    """

    kind: ActionKind | str
    at: datetime
    debt_id: str = "default"
    target: Target | str = Target.BORROWER
    target_role: str | None = None
    contact_id: str | None = None
    place: Place | str | None = None
    automated: bool = False
    to_cell: bool = True
    outcome: Outcome | str | None = None
    initiated_by_borrower: bool = False
    purpose: Purpose | str = Purpose.COLLECTION
    discloses_debt: bool = False
    court_order: bool = False
    publicly_posted: bool = False
    collectors: int = 1
    id_shown: bool = True
    enters_premises: bool = False
    consent_to_enter: bool = False
    external_agency: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "kind", ActionKind.parse(self.kind))
        set_(self, "at", _aware(self.at, "action.at"))
        if not isinstance(self.debt_id, str) or not self.debt_id:
            raise InvalidAction("action.debt_id", self.debt_id, "must be a non-empty string")
        set_(self, "target", _parse(Target, self.target, "action.target"))
        if self.kind is ActionKind.THIRD_PARTY_CONTACT and self.target is Target.BORROWER:
            set_(self, "target", Target.THIRD_PARTY)
        _opt_str(self.target_role, "action.target_role")
        _opt_str(self.contact_id, "action.contact_id")
        if self.place is not None:
            set_(self, "place", _parse(Place, self.place, "action.place"))
        if self.outcome is not None:
            set_(self, "outcome", _parse(Outcome, self.outcome, "action.outcome"))
        set_(self, "purpose", _parse(Purpose, self.purpose, "action.purpose"))
        for name in (
            "automated",
            "to_cell",
            "initiated_by_borrower",
            "discloses_debt",
            "court_order",
            "publicly_posted",
            "id_shown",
            "enters_premises",
            "consent_to_enter",
            "external_agency",
        ):
            _bool(getattr(self, name), f"action.{name}")
        if isinstance(self.collectors, bool) or not isinstance(self.collectors, int) or self.collectors < 1:
            raise InvalidAction("action.collectors", self.collectors, "must be an integer >= 1")

    @property
    def person(self) -> str:
        """The person reached: ``"borrower"``, ``"attorney"`` or ``"third_party:<id or role>"``."""
        if self.target is Target.BORROWER:
            return "borrower"
        if self.target is Target.ATTORNEY:
            return "attorney"
        return f"third_party:{self.contact_id or self.target_role or '?'}"

    def moved(self, at: datetime) -> Action:
        """The same action at another time.

        >>> from datetime import datetime, timezone
        >>> a = Action("call", datetime(2026, 1, 5, 12, tzinfo=timezone.utc))
        >>> a.moved(datetime(2026, 1, 6, 12, tzinfo=timezone.utc)).at.day
        6
        """
        at = _aware(at, "action.at")
        new = object.__new__(Action)  # every other field is already validated
        for name in _ACTION_FIELDS:
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "at", at)
        return new


_ACTION_FIELDS = tuple(f.name for f in fields(Action))

# Time zones assumed when a borrower gives none. A state spanning two zones lists both, so the
# inconvenient-time check is made in every plausible zone (12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-2).
DEFAULT_ZONES: dict[str, tuple[str, ...]] = {
    "CN": ("Asia/Shanghai",),
    "GB": ("Europe/London",),
    "US-MA": ("America/New_York",),
    "US-ME": ("America/New_York",),
    "US-WI": ("America/Chicago",),
    "US-IA": ("America/Chicago",),
    "US-MO": ("America/Chicago",),
    "US-KS": ("America/Chicago", "America/Denver"),
}


@dataclass(frozen=True, slots=True)
class Borrower:
    """Facts about the person that the rules need.

    ``jurisdiction`` is an ISO 3166 code (``US``, ``US-MA``, ``GB``, ``CN``). ``timezones`` lists
    every plausible zone (address, each phone); the first is used for calendar days. Dates are the
    borrower's local dates. ``opted_out`` lists action kinds the borrower asked not to be used.
    ``consented_hours`` is a (start, end) local window the borrower agreed to directly.
    ``military_service`` is (start, end or None). ``third_parties_stopped`` lists contact ids of
    third parties who asked not to be contacted again.

    >>> Borrower("US-MA").timezones
    ('America/New_York',)
    >>> Borrower("US").timezones  # no default for a country spanning zones: check() will ask for one
    ()
    """

    jurisdiction: str
    timezones: tuple[str, ...] = ()
    cease_requested_on: date | None = None
    attorney_represented: bool = False
    attorney_consents: bool = False
    employer_prohibits_contact: bool = False
    opted_out: frozenset[ActionKind] | Iterable[ActionKind | str] = frozenset()
    consented_hours: tuple[time, time] | None = None
    call_consent_at: datetime | None = None
    tcpa_consent: bool = False
    bankruptcy_filed_on: date | None = None
    bankruptcy_stay_lifted_on: date | None = None
    military_service: tuple[date, date | None] | None = None
    dispute_pending: bool = False
    validation_notice_on: date | None = None
    debt_time_barred: bool = False
    debtor_unreachable: bool = False
    third_parties_stopped: frozenset[str] | Iterable[str] = frozenset()
    vulnerable: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.jurisdiction, str) or not self.jurisdiction.strip():
            raise InvalidAction("borrower.jurisdiction", self.jurisdiction, "must be an ISO 3166 code")
        code = self.jurisdiction.strip().upper()
        set_(self, "jurisdiction", code)
        zones = self.timezones
        if isinstance(zones, str):
            zones = (zones,)
        if not isinstance(zones, tuple | list):
            raise InvalidAction("borrower.timezones", self.timezones, "must be a tuple of IANA zone names")
        zones = tuple(zones) or DEFAULT_ZONES.get(code, ())
        for i, name in enumerate(zones):
            zone(name, f"borrower.timezones[{i}]")
        set_(self, "timezones", zones)
        for name in (
            "cease_requested_on",
            "bankruptcy_filed_on",
            "bankruptcy_stay_lifted_on",
            "validation_notice_on",
        ):
            set_(self, name, _opt_date(getattr(self, name), f"borrower.{name}"))
        for name in (
            "attorney_represented",
            "attorney_consents",
            "employer_prohibits_contact",
            "tcpa_consent",
            "dispute_pending",
            "debt_time_barred",
            "debtor_unreachable",
            "vulnerable",
        ):
            _bool(getattr(self, name), f"borrower.{name}")
        opted = self.opted_out
        if isinstance(opted, str):
            opted = (opted,)
        try:
            kinds = frozenset(ActionKind.parse(k, "borrower.opted_out") for k in opted)
        except TypeError:
            raise InvalidAction(
                "borrower.opted_out", self.opted_out, "must be a set of action kinds"
            ) from None
        set_(self, "opted_out", kinds)
        stopped = self.third_parties_stopped
        if isinstance(stopped, str) or not all(isinstance(s, str) for s in stopped):
            raise InvalidAction("borrower.third_parties_stopped", stopped, "must be a set of contact ids")
        set_(self, "third_parties_stopped", frozenset(stopped))
        hours = self.consented_hours
        if hours is not None and not (
            isinstance(hours, tuple)
            and len(hours) == 2
            and all(isinstance(h, time) and h.tzinfo is None for h in hours)
            and hours[0] < hours[1]
        ):
            raise InvalidAction(
                "borrower.consented_hours", hours, "must be (start, end) naive times, start < end"
            )
        if self.call_consent_at is not None:
            _aware(self.call_consent_at, "borrower.call_consent_at")
        service = self.military_service
        if service is not None:
            if not (isinstance(service, tuple) and len(service) == 2):
                raise InvalidAction("borrower.military_service", service, "must be (start, end or None)")
            start = _opt_date(service[0], "borrower.military_service[0]")
            end = _opt_date(service[1], "borrower.military_service[1]")
            if start is None or (end is not None and end < start):
                raise InvalidAction(
                    "borrower.military_service", service, "needs a start on or before the end"
                )
            set_(self, "military_service", (start, end))

    @property
    def country(self) -> str:
        """The ISO 3166-1 part of the jurisdiction (``US`` for ``US-MA``)."""
        return self.jurisdiction.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class Account:
    """Facts about the loan that some rules need (all optional).

    ``total_price``/``paid_to_date`` (GB hire purchase, CCA 1974 s.90) are money; ``dofd`` is the
    date of first delinquency (FCRA 605); ``cure_notice_on`` the date a state right-to-cure notice
    was given; ``cured_defaults_12m`` how many earlier defaults were cured after a notice in the
    preceding 12 months; ``default_notice_on`` the date a CCA s.87 default notice was served.

    >>> Account(agreement_type="hire_purchase", total_price="12000", paid_to_date=4000).paid_to_date
    Decimal('4000')
    """

    agreement_type: AgreementType | str = AgreementType.LOAN
    total_price: Decimal | int | str | None = None
    installation_charge: Decimal | int | str = Decimal(0)
    paid_to_date: Decimal | int | str | None = None
    contract_date: date | None = None
    first_payment_on: date | None = None
    dofd: date | None = None
    cure_notice_on: date | None = None
    cured_defaults_12m: int = 0
    default_notice_on: date | None = None
    agencies_disclosed: bool = True

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "agreement_type", _parse(AgreementType, self.agreement_type, "account.agreement_type"))
        for name in ("total_price", "paid_to_date", "installation_charge"):
            value = getattr(self, name)
            if value is not None:
                amount = to_decimal(value, f"account.{name}")
                if amount < 0:
                    raise InvalidAction(f"account.{name}", value, "must not be negative")
                set_(self, name, amount)
        for name in ("contract_date", "first_payment_on", "dofd", "cure_notice_on", "default_notice_on"):
            set_(self, name, _opt_date(getattr(self, name), f"account.{name}"))
        n = self.cured_defaults_12m
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidAction("account.cured_defaults_12m", n, "must be an integer >= 0")
        _bool(self.agencies_disclosed, "account.agencies_disclosed")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's say about an action: id, citation, severity, message and the parameters used.

    ``retry_at`` is the earliest time this finding would clear by waiting (``None``: waiting does
    not help).

    >>> f = Finding("X.1", "Test 1", Severity.BLOCK, "no", (("limit", 7),))
    >>> f.params, f.blocks
    ({'limit': 7}, True)
    """

    rule_id: str
    citation: str
    severity: Severity
    message: str
    parameters: tuple[tuple[str, Any], ...] = ()
    retry_at: datetime | None = None

    @property
    def params(self) -> dict[str, Any]:
        """The parameters as a dict."""
        return dict(self.parameters)

    @property
    def blocks(self) -> bool:
        """True when this finding forbids the action."""
        return self.severity is Severity.BLOCK

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON or a UI.

        >>> Finding("X.1", "Test 1", Severity.WARN, "note", (("days", 7),)).to_dict()["parameters"]
        {'days': 7}
        """
        return {
            "rule_id": self.rule_id,
            "citation": self.citation,
            "severity": self.severity.value,
            "message": self.message,
            "parameters": {k: _plain(v) for k, v in self.parameters},
            "retry_at": self.retry_at.isoformat() if self.retry_at else None,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Verdict:
    """The checker's answer: ``allowed`` (no blocking finding), the findings and ``next_permitted``.

    ``next_permitted`` is the action's own time when it is allowed, the earliest aware datetime at
    which the same action would pass, or ``None`` when no waiting helps. For a blocked action it
    is searched on first access (deterministically) and then kept, so callers that only need
    ``allowed`` do not pay for the search.

    >>> v = Verdict(True, (), None)
    >>> v.needs_review, v.blocking, v.next_permitted
    (False, (), None)
    """

    allowed: bool
    findings: tuple[Finding, ...]
    _next: datetime | None = None
    _search: Callable[[], datetime | None] | None = None

    @property
    def next_permitted(self) -> datetime | None:
        """When the same action would pass (see the class docstring)."""
        search = self._search
        if search is not None:
            object.__setattr__(self, "_next", search())
            object.__setattr__(self, "_search", None)
        return self._next

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return (self.allowed, self.findings, self.next_permitted) == (
            other.allowed,
            other.findings,
            other.next_permitted,
        )

    def __hash__(self) -> int:
        return hash((self.allowed, self.findings, self.next_permitted))

    def __repr__(self) -> str:
        return (
            f"Verdict(allowed={self.allowed!r}, findings={self.findings!r}, "
            f"next_permitted={self.next_permitted!r})"
        )

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The findings that block."""
        return tuple(f for f in self.findings if f.severity is Severity.BLOCK)

    @property
    def needs_review(self) -> bool:
        """True when a finding asks for human review."""
        return any(f.severity is Severity.REVIEW for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON or a UI.

        >>> Verdict(True, ()).to_dict()
        {'allowed': True, 'next_permitted': None, 'findings': []}
        """
        return {
            "allowed": self.allowed,
            "next_permitted": self.next_permitted.isoformat() if self.next_permitted else None,
            "findings": [f.to_dict() for f in self.findings],
        }

    def __str__(self) -> str:
        head = "ALLOWED" if self.allowed else "BLOCKED"
        lines = [head + (" (needs review)" if self.needs_review else "")]
        for f in self.findings:
            lines.append(f"  {f.severity.value:<6} {f.rule_id}  [{f.citation}]  {f.message}")
        if not self.allowed:
            nxt = self.next_permitted.isoformat() if self.next_permitted else "never by waiting"
            lines.append(f"next permitted: {nxt}")
        return "\n".join(lines)
