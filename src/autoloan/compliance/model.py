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
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum, StrEnum
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from autoloan._enums import parse_member
from autoloan._html import dataframe, render_html, render_repr
from autoloan.dates import coerce_date
from autoloan.errors import InvalidAction
from autoloan.money import to_decimal

__all__ = [
    "ANYONE",
    "DEFAULT_ZONES",
    "Account",
    "Action",
    "ActionKind",
    "AgreementType",
    "Borrower",
    "Collector",
    "Finding",
    "HousePolicy",
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
    NOTICE_OF_SALE = "notice_of_sale"
    REDEMPTION_NOTICE = "redemption_notice"
    REMOTE_DISABLE = "remote_disable"

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
    LOCATION = "location"  # 12 CFR 1006.10; Cal. Civ. Code 1788.12(a); MCL 445.252(i)
    EMPLOYMENT_VERIFICATION = "employment_verification"  # Cal. Civ. Code 1788.12(a); Wis. Stat. 427.104(1)(d)


class Collector(_Labelled):
    """Who is collecting: the rules that bind each differ (12 CFR 1006.2(i); state acts).

    ``creditor``: the lender or servicer collecting its own loans in its own name (first party);
    ``debt_collector``: a third-party collection agency or debt buyer; ``repossession_agent``: a
    firm enforcing the security interest. ``check`` defaults to ``debt_collector``, the role bound
    by the most rules, so an unstated role never loosens a verdict.
    """

    CREDITOR = "creditor"
    DEBT_COLLECTOR = "debt_collector"
    REPOSSESSION_AGENT = "repossession_agent"

    @classmethod
    def parse(cls, value: Collector | str, field: str = "collector") -> Collector:
        """Accept a member or its value (also ``first_party``, ``third_party``, ``repo_agent``).

        >>> Collector.parse("first_party")
        <Collector.CREDITOR: 'creditor'>
        """
        return parse_member(
            cls,
            value,
            field,
            error=InvalidAction,
            aliases=_COLLECTOR_ALIASES,
            hint="use creditor, debt_collector or repossession_agent",
        )


_COLLECTOR_ALIASES = {
    "first_party": "creditor",
    "lender": "creditor",
    "servicer": "creditor",
    "third_party": "debt_collector",
    "third_party_collector": "debt_collector",
    "collection_agency": "debt_collector",
    "debt_buyer": "debt_collector",
    "repo_agent": "repossession_agent",
}

#: Every collector role (a rule binding all of them is law whoever collects).
ANYONE: frozenset[Collector] = frozenset(Collector)


class HousePolicy(_Labelled):
    """How a finding from a rule that does not bind this collector weighs (set with ``with_overrides``).

    ``as_written`` keeps the rule's own severity (the cautious default), ``off`` drops the finding.
    """

    AS_WRITTEN = "as_written"
    BLOCK = "block"
    REVIEW = "review"
    WARN = "warn"
    OFF = "off"


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
    ActionKind.NOTICE_OF_SALE: ("notice of intended sale", "处置通知"),
    ActionKind.REDEMPTION_NOTICE: ("notice of right to redeem", "赎回通知"),
    ActionKind.REMOTE_DISABLE: ("remote vehicle disabling", "远程锁车"),
    Collector.CREDITOR: ("creditor / servicer (first party)", "债权人自行催收"),
    Collector.DEBT_COLLECTOR: ("third-party debt collector", "第三方催收机构"),
    Collector.REPOSSESSION_AGENT: ("repossession agent", "收车代理"),
    HousePolicy.AS_WRITTEN: ("as written", "按规则原级别"),
    HousePolicy.BLOCK: ("blocked", "禁止"),
    HousePolicy.REVIEW: ("needs review", "需人工复核"),
    HousePolicy.WARN: ("warning", "提示"),
    HousePolicy.OFF: ("off", "关闭"),
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
    Purpose.LOCATION: ("location information", "查找联系方式"),
    Purpose.EMPLOYMENT_VERIFICATION: ("verification of employment", "核实工作"),
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
    if not isinstance(field, str):
        field = "timezone"
    if not isinstance(name, str) or not name or name.startswith(("/", ".")) or ".." in name:
        raise InvalidAction(field, name, "unknown IANA time zone")
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidAction(field, name, "unknown IANA time zone") from None


def _aware(value: Any, fieldname: str) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidAction(fieldname, value, "must be a timezone-aware datetime")
    try:
        offset = value.utcoffset()
    except Exception:  # a hostile tzinfo
        offset = None
    if value.tzinfo is None or offset is None:
        raise InvalidAction(fieldname, value, "must be timezone-aware")
    try:
        value.timestamp()
        value.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        raise InvalidAction(fieldname, value, "is outside the supported date range") from None
    if not _MIN_AT <= value <= _MAX_AT:
        raise InvalidAction(fieldname, value, "must be between years 1900 and 9000")
    return value


_MIN_AT = datetime(1900, 1, 1, tzinfo=UTC)
_MAX_AT = datetime(9000, 1, 1, tzinfo=UTC)


def _opt_date(value: Any, fieldname: str) -> date | None:
    if value is None:
        return None
    day = coerce_date(value, fieldname, InvalidAction)
    if not _MIN_DAY <= day <= _MAX_DAY:
        raise InvalidAction(fieldname, value, "must be between years 1900 and 9000")
    return day


_MIN_DAY = date(1900, 1, 1)
_MAX_DAY = date(9000, 1, 1)


def _opt_str(value: Any, fieldname: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise InvalidAction(fieldname, value, "must be a string or None")


def _bool(value: Any, fieldname: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidAction(fieldname, value, "must be True or False")
    return value


def _opt_bool(value: Any, fieldname: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidAction(fieldname, value, "must be True, False or None (not recorded)")
    return value


def _count(value: Any, fieldname: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 100_000:
        raise InvalidAction(fieldname, value, f"must be an integer from {low} to 100000")
    return value


_ACTION_FLAGS = (
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
    "from_contact_list",
)


@dataclass(frozen=True, slots=True, init=False)
class Action:
    """A proposed collection action, or (with an ``outcome``) an item of the contact history.

    ``at`` must be timezone-aware; ``debt_id`` names the particular debt (Reg F counts calls per
    debt). ``contact_id`` identifies the person or number reached when it is not the borrower
    (a third party's id; frequency limits count per person); ``target_role`` says who they are
    (``employer``, ``spouse``, ``emergency_contact`` …). ``automated`` marks dialer or prerecorded
    calls and texts (TCPA). ``initiated_by_borrower`` marks inbound contacts in history.
    ``collector`` says who acts (``check`` may also be given it). ``sale_on`` is the planned sale
    date of a ``notice_of_sale``. ``from_contact_list`` marks a contact found in the borrower's
    phone contact list (通讯录).

    Every enum field holds its enum after construction (strings are accepted):

    >>> from datetime import datetime, timezone
    >>> noon = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    >>> a = Action("sms", noon, debt_id="L1", outcome="delivered")
    >>> a.kind, a.outcome
    (<ActionKind.SMS: 'sms'>, <Outcome.DELIVERED: 'delivered'>)
    """

    kind: ActionKind
    at: datetime
    debt_id: str
    target: Target
    target_role: str | None
    contact_id: str | None
    place: Place | None
    automated: bool
    to_cell: bool
    outcome: Outcome | None
    initiated_by_borrower: bool
    purpose: Purpose
    discloses_debt: bool
    court_order: bool
    publicly_posted: bool
    collectors: int
    id_shown: bool
    enters_premises: bool
    consent_to_enter: bool
    external_agency: bool
    collector: Collector | None
    sale_on: date | None
    from_contact_list: bool

    def __init__(
        self,
        kind: ActionKind | str,
        at: datetime,
        debt_id: str = "default",
        target: Target | str = Target.BORROWER,
        target_role: str | None = None,
        contact_id: str | None = None,
        place: Place | str | None = None,
        automated: bool = False,
        to_cell: bool = True,
        outcome: Outcome | str | None = None,
        initiated_by_borrower: bool = False,
        purpose: Purpose | str = Purpose.COLLECTION,
        discloses_debt: bool = False,
        court_order: bool = False,
        publicly_posted: bool = False,
        collectors: int = 1,
        id_shown: bool = True,
        enters_premises: bool = False,
        consent_to_enter: bool = False,
        external_agency: bool = False,
        collector: Collector | str | None = None,
        sale_on: date | str | None = None,
        from_contact_list: bool = False,
    ) -> None:
        set_ = object.__setattr__
        kind_ = ActionKind.parse(kind)
        set_(self, "kind", kind_)
        set_(self, "at", _aware(at, "action.at"))
        if not isinstance(debt_id, str) or not debt_id:
            raise InvalidAction("action.debt_id", debt_id, "must be a non-empty string")
        set_(self, "debt_id", debt_id)
        target_ = _parse(Target, target, "action.target")
        if kind_ is ActionKind.THIRD_PARTY_CONTACT and target_ is Target.BORROWER:
            target_ = Target.THIRD_PARTY
        set_(self, "target", target_)
        set_(self, "target_role", _opt_str(target_role, "action.target_role"))
        set_(self, "contact_id", _opt_str(contact_id, "action.contact_id"))
        set_(self, "place", None if place is None else _parse(Place, place, "action.place"))
        set_(self, "outcome", None if outcome is None else _parse(Outcome, outcome, "action.outcome"))
        set_(self, "purpose", _parse(Purpose, purpose, "action.purpose"))
        flags = (
            automated,
            to_cell,
            initiated_by_borrower,
            discloses_debt,
            court_order,
            publicly_posted,
            id_shown,
            enters_premises,
            consent_to_enter,
            external_agency,
            from_contact_list,
        )
        for name, value in zip(_ACTION_FLAGS, flags, strict=True):
            set_(self, name, _bool(value, f"action.{name}"))
        if isinstance(collectors, bool) or not isinstance(collectors, int) or not 1 <= collectors <= 1000:
            raise InvalidAction("action.collectors", collectors, "must be an integer from 1 to 1000")
        set_(self, "collectors", collectors)
        set_(self, "collector", None if collector is None else Collector.parse(collector, "action.collector"))
        set_(self, "sale_on", _opt_date(sale_on, "action.sale_on"))

    @property
    def person(self) -> str:
        """The person reached: ``"borrower"``, ``"attorney"`` or ``"third_party:<id or role>"``."""
        if self.target is Target.BORROWER:
            return "borrower"
        if self.target is Target.ATTORNEY:
            return "attorney"
        return f"third_party:{self.contact_id or self.target_role or '?'}"

    @property
    def role(self) -> str:
        """``target_role`` normalised (lower case, ``_`` separators; ``""`` when not given)."""
        role = self.target_role
        return role.strip().lower().replace(" ", "_").replace("-", "_") if role else ""

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

#: Time zones assumed when a borrower gives none, filled from the jurisdiction packs when they are
#: registered in the default registry. A state spanning two zones lists both, so the
#: inconvenient-time check is made in every plausible zone (12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-2).
DEFAULT_ZONES: dict[str, tuple[str, ...]] = {}


@dataclass(frozen=True, slots=True, init=False)
class Borrower:
    """Facts about the person that the rules need.

    ``jurisdiction`` is an ISO 3166 code (``US``, ``US-MA``, ``US-NY-NYC``, ``GB``, ``CN``).
    ``timezones`` lists every plausible zone (address, each phone); the first is used for calendar
    days; when none is given the jurisdiction's default zones are used. Dates are the borrower's
    local dates. ``opted_out`` lists action kinds the borrower asked not to be used.
    ``consented_hours`` is a (start, end) local window the borrower agreed to directly.
    ``military_service`` is (start, end or None). ``third_parties_stopped`` lists contact ids of
    third parties who asked not to be contacted again. ``employer_contact_authorized``: written
    permission to contact the employer. ``data_sharing_consent``: separate consent (单独同意) to
    share personal data with a collection agency (PIPL art. 23); ``None`` means not recorded.

    >>> Borrower("US-MA").timezones
    ('America/New_York',)
    >>> Borrower("US").timezones  # no default for a country spanning zones: check() will ask for one
    ()
    """

    jurisdiction: str
    timezones: tuple[str, ...]
    cease_requested_on: date | None
    attorney_represented: bool
    attorney_consents: bool
    employer_prohibits_contact: bool
    opted_out: frozenset[ActionKind]
    consented_hours: tuple[time, time] | None
    call_consent_at: datetime | None
    tcpa_consent: bool
    bankruptcy_filed_on: date | None
    bankruptcy_stay_lifted_on: date | None
    military_service: tuple[date, date | None] | None
    dispute_pending: bool
    validation_notice_on: date | None
    debt_time_barred: bool
    debtor_unreachable: bool
    third_parties_stopped: frozenset[str]
    vulnerable: bool
    employer_contact_authorized: bool
    data_sharing_consent: bool | None

    def __init__(
        self,
        jurisdiction: str,
        timezones: tuple[str, ...] | list[str] | str = (),
        cease_requested_on: date | str | None = None,
        attorney_represented: bool = False,
        attorney_consents: bool = False,
        employer_prohibits_contact: bool = False,
        opted_out: Iterable[ActionKind | str] = frozenset(),
        consented_hours: tuple[time, time] | None = None,
        call_consent_at: datetime | None = None,
        tcpa_consent: bool = False,
        bankruptcy_filed_on: date | str | None = None,
        bankruptcy_stay_lifted_on: date | str | None = None,
        military_service: tuple[date | str, date | str | None] | None = None,
        dispute_pending: bool = False,
        validation_notice_on: date | str | None = None,
        debt_time_barred: bool = False,
        debtor_unreachable: bool = False,
        third_parties_stopped: Iterable[str] = frozenset(),
        vulnerable: bool = False,
        employer_contact_authorized: bool = False,
        data_sharing_consent: bool | None = None,
    ) -> None:
        set_ = object.__setattr__
        if not isinstance(jurisdiction, str) or not jurisdiction.strip():
            raise InvalidAction("borrower.jurisdiction", jurisdiction, "must be an ISO 3166 code")
        code = jurisdiction.strip().upper()
        set_(self, "jurisdiction", code)
        zones: Any = timezones
        if isinstance(zones, str):
            zones = (zones,)
        if not isinstance(zones, tuple | list):
            raise InvalidAction("borrower.timezones", timezones, "must be a tuple of IANA zone names")
        zones = tuple(zones) or DEFAULT_ZONES.get(code, ())
        for i, name in enumerate(zones):
            zone(name, f"borrower.timezones[{i}]")
        set_(self, "timezones", zones)
        for name, value in (
            ("cease_requested_on", cease_requested_on),
            ("bankruptcy_filed_on", bankruptcy_filed_on),
            ("bankruptcy_stay_lifted_on", bankruptcy_stay_lifted_on),
            ("validation_notice_on", validation_notice_on),
        ):
            set_(self, name, _opt_date(value, f"borrower.{name}"))
        for name, flag in (
            ("attorney_represented", attorney_represented),
            ("attorney_consents", attorney_consents),
            ("employer_prohibits_contact", employer_prohibits_contact),
            ("tcpa_consent", tcpa_consent),
            ("dispute_pending", dispute_pending),
            ("debt_time_barred", debt_time_barred),
            ("debtor_unreachable", debtor_unreachable),
            ("vulnerable", vulnerable),
            ("employer_contact_authorized", employer_contact_authorized),
        ):
            set_(self, name, _bool(flag, f"borrower.{name}"))
        set_(self, "data_sharing_consent", _opt_bool(data_sharing_consent, "borrower.data_sharing_consent"))
        set_(self, "opted_out", _kinds(opted_out))
        set_(self, "third_parties_stopped", _ids(third_parties_stopped))
        hours = consented_hours
        if hours is not None and not (
            isinstance(hours, tuple)
            and len(hours) == 2
            and all(isinstance(h, time) and h.tzinfo is None for h in hours)
            and hours[0] < hours[1]
        ):
            raise InvalidAction(
                "borrower.consented_hours", hours, "must be (start, end) naive times, start < end"
            )
        set_(self, "consented_hours", hours)
        set_(
            self,
            "call_consent_at",
            None if call_consent_at is None else _aware(call_consent_at, "borrower.call_consent_at"),
        )
        service: Any = military_service
        if service is not None:
            if not (isinstance(service, tuple) and len(service) == 2):
                raise InvalidAction("borrower.military_service", service, "must be (start, end or None)")
            start = _opt_date(service[0], "borrower.military_service[0]")
            end = _opt_date(service[1], "borrower.military_service[1]")
            if start is None or (end is not None and end < start):
                raise InvalidAction(
                    "borrower.military_service", service, "needs a start on or before the end"
                )
            service = (start, end)
        set_(self, "military_service", service)

    @property
    def country(self) -> str:
        """The ISO 3166-1 part of the jurisdiction (``US`` for ``US-MA``)."""
        return self.jurisdiction.split("-", 1)[0]


def _kinds(value: Any) -> frozenset[ActionKind]:
    if isinstance(value, str | ActionKind):
        value = (value,)
    try:
        items = list(value)
    except TypeError:
        raise InvalidAction("borrower.opted_out", value, "must be a set of action kinds") from None
    return frozenset(ActionKind.parse(k, f"borrower.opted_out[{i}]") for i, k in enumerate(items))


def _ids(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        raise InvalidAction(
            "borrower.third_parties_stopped", value, "must be a set of contact ids, not a string"
        )
    try:
        items = list(value)
    except TypeError:
        raise InvalidAction(
            "borrower.third_parties_stopped", value, "must be a set of contact ids (strings)"
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidAction(f"borrower.third_parties_stopped[{i}]", item, "must be a contact id (string)")
    return frozenset(items)


_ACCOUNT_DATES = (
    "contract_date",
    "first_payment_on",
    "dofd",
    "cure_notice_on",
    "default_notice_on",
    "default_on",
    "prior_cure_notice_on",
    "repossession_notice_on",
    "repossessed_on",
    "judgment_on",
    "remote_disable_notice_on",
)
_ACCOUNT_FACTS = (
    "in_collection_procedures",
    "voluntary_surrender",
    "court_ruling",
    "lease_terminated",
    "entrustment_on_file",
)


@dataclass(frozen=True, slots=True, init=False)
class Account:
    """Facts about the loan that some rules need (all optional).

    ``total_price``/``paid_to_date`` (GB hire purchase, CCA 1974 s.90) are money; ``dofd`` is the
    date of first delinquency (FCRA 605); ``default_on`` the date of the payment default that
    state right-to-cure and waiting rules count from; ``cure_notice_on`` the date a right-to-cure
    notice was given (``cure_notice_to_cosigners``: also to every cosigner, RSMo 408.554);
    ``prior_cure_notice_on`` the date of an earlier cure notice on the same obligation;
    ``cured_defaults_12m`` how many earlier defaults were cured after a notice in the preceding
    12 months; ``missed_payments`` consecutive missed payments; ``repossession_notice_on`` a
    notice of intent to repossess; ``repossessed_on`` the date the car was taken;
    ``judgment_on`` a final judgment on the debt; ``direct_bank_loan`` a direct motor-vehicle
    loan by a bank or savings association (D.C. Code ch. 36, excluded from 28-3812 and 28-3814);
    ``in_collection_procedures`` the creditor stopped statements, accelerated or demanded payment
    in full (NYC 6 RCNY 5-76); ``remote_disable_notice_on`` the written notice before remote
    disabling (N.Y. GBL 601(10)). China: ``voluntary_surrender``, ``court_ruling``,
    ``lease_terminated`` (收车 grounds) and ``entrustment_on_file`` (PIPL art. 21); ``None``
    means not recorded.

    >>> Account(agreement_type="hire_purchase", total_price="12000", paid_to_date=4000).paid_to_date
    Decimal('4000')
    """

    agreement_type: AgreementType
    total_price: Decimal | None
    installation_charge: Decimal
    paid_to_date: Decimal | None
    contract_date: date | None
    first_payment_on: date | None
    dofd: date | None
    cure_notice_on: date | None
    cured_defaults_12m: int
    default_notice_on: date | None
    agencies_disclosed: bool
    default_on: date | None
    prior_cure_notice_on: date | None
    cure_notice_to_cosigners: bool
    cosigners: int
    missed_payments: int | None
    repossession_notice_on: date | None
    repossessed_on: date | None
    judgment_on: date | None
    direct_bank_loan: bool
    in_collection_procedures: bool | None
    remote_disable_notice_on: date | None
    voluntary_surrender: bool | None
    court_ruling: bool | None
    lease_terminated: bool | None
    entrustment_on_file: bool | None

    def __init__(
        self,
        agreement_type: AgreementType | str = AgreementType.LOAN,
        total_price: Decimal | int | str | None = None,
        installation_charge: Decimal | int | str = Decimal(0),
        paid_to_date: Decimal | int | str | None = None,
        contract_date: date | str | None = None,
        first_payment_on: date | str | None = None,
        dofd: date | str | None = None,
        cure_notice_on: date | str | None = None,
        cured_defaults_12m: int = 0,
        default_notice_on: date | str | None = None,
        agencies_disclosed: bool = True,
        default_on: date | str | None = None,
        prior_cure_notice_on: date | str | None = None,
        cure_notice_to_cosigners: bool = False,
        cosigners: int = 0,
        missed_payments: int | None = None,
        repossession_notice_on: date | str | None = None,
        repossessed_on: date | str | None = None,
        judgment_on: date | str | None = None,
        direct_bank_loan: bool = False,
        in_collection_procedures: bool | None = None,
        remote_disable_notice_on: date | str | None = None,
        voluntary_surrender: bool | None = None,
        court_ruling: bool | None = None,
        lease_terminated: bool | None = None,
        entrustment_on_file: bool | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "agreement_type", _parse(AgreementType, agreement_type, "account.agreement_type"))
        for name, value in (
            ("total_price", total_price),
            ("paid_to_date", paid_to_date),
            ("installation_charge", installation_charge),
        ):
            if value is not None:
                amount = to_decimal(value, f"account.{name}")
                if amount < 0:
                    raise InvalidAction(f"account.{name}", value, "must not be negative")
                value = amount
            elif name == "installation_charge":
                raise InvalidAction("account.installation_charge", value, "must be an amount")
            set_(self, name, value)
        dates = (
            contract_date,
            first_payment_on,
            dofd,
            cure_notice_on,
            default_notice_on,
            default_on,
            prior_cure_notice_on,
            repossession_notice_on,
            repossessed_on,
            judgment_on,
            remote_disable_notice_on,
        )
        for name, day in zip(_ACCOUNT_DATES, dates, strict=True):
            set_(self, name, _opt_date(day, f"account.{name}"))
        facts = (
            in_collection_procedures,
            voluntary_surrender,
            court_ruling,
            lease_terminated,
            entrustment_on_file,
        )
        for name, value in zip(_ACCOUNT_FACTS, facts, strict=True):
            set_(self, name, _opt_bool(value, f"account.{name}"))
        set_(self, "cured_defaults_12m", _count(cured_defaults_12m, "account.cured_defaults_12m"))
        set_(self, "cosigners", _count(cosigners, "account.cosigners"))
        set_(
            self,
            "missed_payments",
            None if missed_payments is None else _count(missed_payments, "account.missed_payments"),
        )
        set_(self, "agencies_disclosed", _bool(agencies_disclosed, "account.agencies_disclosed"))
        set_(
            self,
            "cure_notice_to_cosigners",
            _bool(cure_notice_to_cosigners, "account.cure_notice_to_cosigners"),
        )
        set_(self, "direct_bank_loan", _bool(direct_bank_loan, "account.direct_bank_loan"))


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's say about an action: id, citation, severity, message and the parameters used.

    ``retry_at`` is the earliest time this finding would clear by waiting (``None``: waiting does
    not help). ``binding`` is False when the rule does not bind this collector (a Reg F rule for
    a lender collecting its own loan): the finding is then house policy, not law, and its
    severity is the caller's (``with_overrides(..., {"<rule id>": {"house_policy": "review"}})``).

    >>> f = Finding("X.1", "Test 1", Severity.BLOCK, "no", (("limit", 7),))
    >>> f.params, f.blocks, f.basis
    ({'limit': 7}, True, 'law')
    """

    rule_id: str
    citation: str
    severity: Severity
    message: str
    parameters: tuple[tuple[str, Any], ...] = ()
    retry_at: datetime | None = None
    binding: bool = True

    @property
    def params(self) -> dict[str, Any]:
        """The parameters as a dict."""
        return dict(self.parameters)

    @property
    def blocks(self) -> bool:
        """True when this finding forbids the action."""
        return self.severity is Severity.BLOCK

    @property
    def basis(self) -> str:
        """``"law"`` when the rule binds this collector, else ``"house_policy"``."""
        return "law" if self.binding else "house_policy"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON or a UI.

        >>> Finding("X.1", "Test 1", Severity.WARN, "note", (("days", 7),)).to_dict()["parameters"]
        {'days': 7}
        """
        return {
            "rule_id": self.rule_id,
            "citation": self.citation,
            "severity": self.severity.value,
            "basis": self.basis,
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
    collector: Collector | None = None

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
        return render_repr(self)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The findings that block."""
        return tuple(f for f in self.findings if f.severity is Severity.BLOCK)

    @property
    def house_policy(self) -> tuple[Finding, ...]:
        """The findings from rules that do not bind this collector (house policy, not law)."""
        return tuple(f for f in self.findings if not f.binding)

    @property
    def needs_review(self) -> bool:
        """True when a finding asks for human review."""
        return any(f.severity is Severity.REVIEW for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON or a UI.

        >>> Verdict(True, ()).to_dict()
        {'allowed': True, 'next_permitted': None, 'findings': []}
        """
        data: dict[str, Any] = {
            "allowed": self.allowed,
            "next_permitted": self.next_permitted.isoformat() if self.next_permitted else None,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.collector is not None:
            data["collector"] = self.collector.value
        return data

    def __str__(self) -> str:
        head = "ALLOWED" if self.allowed else "BLOCKED"
        if self.collector is not None:
            head += f" for a {self.collector.label_en}"
        lines = [head + (" (needs review)" if self.needs_review else "")]
        for f in self.findings:
            basis = "" if f.binding else " [house policy, not law for this collector]"
            lines.append(f"  {f.severity.value:<6} {f.rule_id}  [{f.citation}]  {f.message}{basis}")
        if not self.allowed:
            nxt = self.next_permitted.isoformat() if self.next_permitted else "never by waiting"
            lines.append(f"next permitted: {nxt}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return render_html(self)

    def to_pandas(self) -> Any:
        """The findings as a ``pandas.DataFrame`` (needs pandas)."""
        return dataframe(self)
