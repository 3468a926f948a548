"""China 中国: the 2025 national standard for online consumer-credit collection, the China Banking
Association's 2026 guideline, PIPL and the Civil Code on repossession (收车).

Each instrument is its own dated rule with its scope in the citation:

* 国家标准《互联网金融 个人网络消费信贷 贷后催收风控指引》(国家标准公告2025年第4号, in force
  2025-02-28; online consumer credit; text read only through press reports, GB/T number not seen):
  collect only from the debtor, not from contacts; no collection 22:00-08:00 unless agreed; at most
  3 connected calls a day per debtor, AI voice included.
* 中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》(released 2026-01-30; members'
  credit cards and personal consumer loans; press summaries): 22:00-08:00; 6 unanswered attempts
  per number per day; third parties only once the debtor is unreachable, never told the debt;
  no public posting; visit conduct.
* 个人信息保护法 (PIPL, 2021) art. 21 (written entrustment of a processor), art. 23 (separate
  consent to provide data to another handler) — text read (LawRefBook/Laws snapshot).
* 民法典 art. 410 (a mortgagee realises the car by agreement or through the court), art. 752
  (a finance lessor may take back the leased car after termination); 民事诉讼法 (2023) art. 207-208
  (court procedure to realise a security interest) — text read.

>>> from autoloan.compliance.rules.cn import RULES
>>> [r.rule_id for r in RULES][:2]
['CN.GB2025.hours', 'CN.GB2025.connected_calls']
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import ClassVar

from autoloan.compliance.history import count_in
from autoloan.compliance.model import (
    Action,
    ActionKind,
    AgreementType,
    Finding,
    Outcome,
    Purpose,
    Severity,
    Target,
)
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import COMMS, NONE, UNANSWERED, hhmm, outside_window

__all__ = [
    "CN_RULES",
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RELATED_ROLES",
    "RULES",
    "ZONES",
    "CollectionHours",
    "ConnectedCalls",
    "DebtorOnly",
    "ExternalAgency",
    "NationalStandardHours",
    "NoPublicPosting",
    "PiplEntrustment",
    "Repossession",
    "ThirdPartyContact",
    "UnansweredAttempts",
    "VisitConduct",
]

K = ActionKind
_NONE = NONE
_GB2025 = (
    "国家标准《互联网金融 个人网络消费信贷 贷后催收风控指引》(国家标准公告2025年第4号, in force 2025-02-28; "
    "online consumer credit) [secondary: press reports]"
)
_CBA = (
    "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》(2026-01-30; members' credit cards and "
    "personal consumer loans) [secondary: press summaries]"
)
_NIFA = "中国互联网金融协会《互联网金融贷后催收业务指引》(2024-05-15) [secondary: press summaries]"
GB2025_IN_FORCE = date(2025, 2, 28)
CBA2026_RELEASED = date(2026, 1, 30)
#: Third-party roles treated as 债务相关第三人 (debt-related third parties); any other role is unrelated.
RELATED_ROLES = frozenset({"spouse", "co_borrower", "guarantor", "debt_related", "related"})
_HOUR_KINDS = frozenset({K.CALL, K.SMS, K.EMAIL, K.VISIT, K.THIRD_PARTY_CONTACT})


def _hours(rule: Rule, ctx: Context, start: time, end: time) -> Iterable[Finding]:
    if ctx.action.initiated_by_borrower:
        return _NONE
    start, end = ctx.borrower.consented_hours or (start, end)
    bad, nxt = outside_window(ctx.now, ctx.zones, start, end, end_inclusive=False)
    if not bad:
        return _NONE
    return (
        rule.finding(
            Severity.BLOCK,
            f"{hhmm(bad[0][1])} local is outside {hhmm(start)}-{hhmm(end)} (不得在22:00至次日8:00催收)",
            nxt,
            start=start,
            end=end,
        ),
    )


@dataclass(frozen=True, slots=True)
class NationalStandardHours(Rule):
    """2025 national standard: no collection from 22:00 to 08:00 unless a time was agreed."""

    id: ClassVar[str] = "CN.GB2025.hours"
    citation: ClassVar[str] = _GB2025
    kinds: ClassVar[frozenset[ActionKind]] = _HOUR_KINDS
    effective_from: ClassVar[date | None] = GB2025_IN_FORCE
    start: time = time(8, 0)
    end: time = time(22, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        return _hours(self, ctx, self.start, self.end)


def connected_calls(a: Action) -> Hashable | None:
    """History key of the national standard's cap: outbound calls that connected to the debtor."""
    borrower = a.target is Target.BORROWER and not a.initiated_by_borrower
    if a.kind is K.CALL and borrower and a.outcome is Outcome.CONVERSATION:
        return "borrower"
    return None


@dataclass(frozen=True, slots=True)
class ConnectedCalls(Rule):
    """2025 national standard: the institution and its agencies together make at most 3 connected
    calls a day to one debtor (拨通电话频次每日合计不应超过3次), interactive AI voice included.
    A call is counted when it connected (``outcome="conversation"``)."""

    id: ClassVar[str] = "CN.GB2025.connected_calls"
    citation: ClassVar[str] = _GB2025
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL})
    effective_from: ClassVar[date | None] = GB2025_IN_FORCE
    max_connected_per_day: int = 3

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.target is not Target.BORROWER:
            return _NONE
        today = count_in(ctx.series(connected_calls, "borrower"), ctx.day_start_ts(ctx.day), ctx.ts)
        if today < self.max_connected_per_day:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"{today} connected calls with the debtor today (每日不超过{self.max_connected_per_day}次)",
                ctx.day_start(ctx.day + timedelta(days=1)),
                max_connected_per_day=self.max_connected_per_day,
            ),
        )


class DebtorOnly(Rule):
    """2025 national standard: collect only from the debtor, not from contacts (不应向联系人催收):
    a contact may be reached only when the debtor is unreachable, to find the debtor (never to
    collect, never revealing the debt). Contacts taken from the borrower's phone contact list
    (通讯录) are never used (PIPL arts. 10, 13, 23)."""

    __slots__ = ()
    id: ClassVar[str] = "CN.GB2025.debtor_only"
    citation: ClassVar[str] = f"{_GB2025}; 个人信息保护法 art. 10, 13, 23"
    kinds: ClassVar[frozenset[ActionKind]] = COMMS
    effective_from: ClassVar[date | None] = GB2025_IN_FORCE

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.THIRD_PARTY:
            return _NONE
        out: list[Finding] = []
        if a.from_contact_list:
            out.append(
                self.finding(
                    Severity.BLOCK, "no collection through the borrower's phone contact list (通讯录)"
                )
            )
        if a.role in RELATED_ROLES:
            return out
        if a.purpose is not Purpose.LOCATION:
            out.append(
                self.finding(
                    Severity.BLOCK,
                    "collect only from the debtor: a contact may only be asked to pass on a message",
                )
            )
        elif not ctx.borrower.debtor_unreachable:
            out.append(self.finding(Severity.BLOCK, "contacts only when the debtor is unreachable (失联)"))
        return out


@dataclass(frozen=True, slots=True)
class CollectionHours(Rule):
    """CBA 2026 guideline: no phone, visit or other collection from 22:00 to 08:00 without the
    debtor's consent (催收时间)."""

    id: ClassVar[str] = "CN.CBA2026.hours"
    citation: ClassVar[str] = f"{_CBA}; {_NIFA}"
    kinds: ClassVar[frozenset[ActionKind]] = _HOUR_KINDS
    effective_from: ClassVar[date | None] = CBA2026_RELEASED
    start: time = time(8, 0)
    end: time = time(22, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        return _hours(self, ctx, self.start, self.end)


def unanswered_attempts(a: Action) -> Hashable | None:
    """History key of the CBA cap: outbound call attempts that did not reach the person, per person."""
    if a.kind is K.CALL and not a.initiated_by_borrower and a.outcome in UNANSWERED:
        return a.person
    return None


@dataclass(frozen=True, slots=True)
class UnansweredAttempts(Rule):
    """CBA 2026 guideline: when the debtor does not answer, at most 6 call attempts a day to the same
    contact number (不宜超过6次)."""

    id: ClassVar[str] = "CN.CBA2026.attempts"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL})
    effective_from: ClassVar[date | None] = CBA2026_RELEASED
    max_unanswered_per_day: int = 6

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        series = ctx.series(unanswered_attempts, ctx.action.person)
        today = count_in(series, ctx.day_start_ts(ctx.day), ctx.ts)
        if today < self.max_unanswered_per_day:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"{today} unanswered attempts today to {ctx.action.person}",
                ctx.day_start(ctx.day + timedelta(days=1)),
                max_unanswered_per_day=self.max_unanswered_per_day,
            ),
        )


class ThirdPartyContact(Rule):
    """CBA 2026 guideline: unrelated third parties (债务无关第三人) only when the debtor is unreachable
    (失联), never with debt details, and never again once they ask to stop."""

    __slots__ = ()
    id: ClassVar[str] = "CN.CBA2026.third_party"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = COMMS
    effective_from: ClassVar[date | None] = CBA2026_RELEASED

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.THIRD_PARTY or a.role in RELATED_ROLES:
            return _NONE
        out: list[Finding] = []
        if not ctx.borrower.debtor_unreachable:
            out.append(
                self.finding(Severity.BLOCK, "unrelated third party: only when the debtor is unreachable")
            )
        if a.discloses_debt:
            out.append(
                self.finding(Severity.BLOCK, "must not reveal debt details to an unrelated third party")
            )
        if a.contact_id is not None and a.contact_id in ctx.borrower.third_parties_stopped:
            out.append(self.finding(Severity.BLOCK, f"{a.contact_id} asked not to be contacted again"))
        return out


class NoPublicPosting(Rule):
    """CBA 2026 guideline: no posting of collection notices or lawyer's letters in public places
    (张贴律师函)."""

    __slots__ = ()
    id: ClassVar[str] = "CN.CBA2026.public_posting"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.LETTER, K.LEGAL_LETTER})
    effective_from: ClassVar[date | None] = CBA2026_RELEASED

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.publicly_posted:
            return (
                self.finding(
                    Severity.BLOCK, "collection notices and lawyer's letters must not be posted publicly"
                ),
            )
        return _NONE


@dataclass(frozen=True, slots=True)
class VisitConduct(Rule):
    """CBA 2026 guideline: home visits by at least two collectors, identification shown, entry only
    with consent (上门催收)."""

    id: ClassVar[str] = "CN.CBA2026.visit"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.VISIT})
    effective_from: ClassVar[date | None] = CBA2026_RELEASED
    min_collectors: int = 2

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        out: list[Finding] = []
        if a.collectors < self.min_collectors:
            out.append(
                self.finding(
                    Severity.BLOCK,
                    f"a visit needs at least {self.min_collectors} collectors",
                    min_collectors=self.min_collectors,
                )
            )
        if not a.id_shown:
            out.append(self.finding(Severity.BLOCK, "collectors must show identification"))
        if a.enters_premises and not a.consent_to_enter:
            out.append(self.finding(Severity.BLOCK, "no entering a home or office without consent"))
        return out


class ExternalAgency(Rule):
    """Collection by an external agency only when the lender has disclosed its agencies publicly."""

    __slots__ = ()
    id: ClassVar[str] = "CN.NFRA.agency_disclosure"
    citation: ClassVar[str] = f"{_CBA}; NFRA 2023 rules on entrusted collection [secondary: CJO summary]"

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if not ctx.action.external_agency:
            return _NONE
        if ctx.account is None:
            return (
                self.finding(
                    Severity.REVIEW, "external agency: confirm the lender has published its agencies"
                ),
            )
        if not ctx.account.agencies_disclosed:
            return (
                self.finding(
                    Severity.BLOCK, "external agency not disclosed on the lender's official channels"
                ),
            )
        return _NONE


class PiplEntrustment(Rule):
    """PIPL art. 21: an entrusted (outsourced) collector needs a written entrustment fixing purpose,
    period, method, data types and protection duties (``Account.entrustment_on_file``); art. 23:
    providing the borrower's data to another handler needs notice and separate consent (单独同意,
    ``Borrower.data_sharing_consent``). Unless both are recorded, an external-agency action is a
    ``review``."""

    __slots__ = ()
    id: ClassVar[str] = "CN.PIPL.21-23"
    citation: ClassVar[str] = "个人信息保护法 (PIPL, 2021) art. 21, 23"

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if not ctx.action.external_agency:
            return _NONE
        out: list[Finding] = []
        acct = ctx.account
        if acct is None or acct.entrustment_on_file is not True:
            out.append(
                self.finding(Severity.REVIEW, "PIPL art. 21: record the written entrustment of the agency")
            )
        if ctx.borrower.data_sharing_consent is not True:
            out.append(
                self.finding(
                    Severity.REVIEW, "PIPL art. 23: record the borrower's separate consent to share data"
                )
            )
        return out


class Repossession(Rule):
    """收车: a mortgaged car stays with the debtor; the lender realises it by agreement or through the
    court (民法典 art. 410; 民事诉讼法 art. 207-208), and a finance lessor takes back a leased car after
    terminating the lease (民法典 art. 752). No statute authorises self-help taking of a mortgaged
    car, so repossession is ``block`` unless the account records voluntary surrender, a court
    ruling or (for a lease) its termination; ``review`` when those facts are not recorded."""

    __slots__ = ()
    id: ClassVar[str] = "CN.CivilCode.410-752"
    citation: ClassVar[str] = "民法典 art. 410, 752; 民事诉讼法 (2023) art. 207-208"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.court_order:
            return _NONE
        acct = ctx.account
        if acct is None:
            return (
                self.finding(
                    Severity.REVIEW, "record voluntary surrender, a court ruling or the lease termination"
                ),
            )
        lease = acct.agreement_type is AgreementType.LEASE
        grounds = [acct.voluntary_surrender, acct.court_ruling] + ([acct.lease_terminated] if lease else [])
        if any(g is True for g in grounds):
            return _NONE
        if all(g is False for g in grounds):
            return (
                self.finding(
                    Severity.BLOCK,
                    "no voluntary surrender, court ruling or lease termination: "
                    "realise the car through the court",
                ),
            )
        return (
            self.finding(
                Severity.REVIEW, "record voluntary surrender, a court ruling or the lease termination"
            ),
        )


CN_RULES: tuple[Rule, ...] = (
    NationalStandardHours(),
    ConnectedCalls(),
    DebtorOnly(),
    CollectionHours(),
    UnansweredAttempts(),
    ThirdPartyContact(),
    NoPublicPosting(),
    VisitConduct(),
    ExternalAgency(),
    PiplEntrustment(),
    Repossession(),
)

CODE = "CN"
PARENT: str | None = None
NAME = "China 中国"
ZONES = ("Asia/Shanghai",)
NOT_ENCODED = (
    "汽车金融公司管理办法 (2023) and 银行保险机构消费者权益保护管理办法 collection articles not read; "
    "the national "
    "standard and the CBA guideline were read only through press reports"
)
RULES = CN_RULES
