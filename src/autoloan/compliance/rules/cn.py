"""CN rule pack: China Banking Association 2026 collection guideline and NIFA 2024 guidance.

Both are industry self-regulation; the texts were read only through press summaries, so every
citation says so.

>>> from autoloan.compliance.rules.cn import CN_RULES
>>> [r.rule_id for r in CN_RULES][0]
'CN.CBA2026.hours'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import ClassVar

from autoloan.compliance.engine import Context, Rule
from autoloan.compliance.model import ActionKind, Finding, Severity, Target
from autoloan.compliance.rules._common import hhmm, outside_window

__all__ = [
    "CN_RULES",
    "CollectionHours",
    "ExternalAgency",
    "NoPublicPosting",
    "ThirdPartyContact",
    "UnansweredAttempts",
    "VisitConduct",
]

K = ActionKind
_NONE: tuple[Finding, ...] = ()
_CBA = "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》(2026-01-30) [secondary: press summaries]"
_NIFA = "中国互联网金融协会《互联网金融贷后催收业务指引》(2024-05-15) [secondary: press summaries]"
#: Third-party roles treated as 债务相关第三人 (debt-related third parties); any other role is unrelated.
RELATED_ROLES = frozenset({"spouse", "co_borrower", "guarantor", "debt_related", "related"})


@dataclass(frozen=True, slots=True)
class CollectionHours(Rule):
    """No phone, visit or other collection from 22:00 to 08:00 without the debtor's consent (催收时间)."""

    id: ClassVar[str] = "CN.CBA2026.hours"
    citation: ClassVar[str] = f"{_CBA}; {_NIFA}"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset(
        {K.CALL, K.SMS, K.EMAIL, K.VISIT, K.THIRD_PARTY_CONTACT}
    )
    start: time = time(8, 0)
    end: time = time(22, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        start, end = ctx.borrower.consented_hours or (self.start, self.end)
        bad, nxt = outside_window(ctx.now, ctx.zones, start, end, end_inclusive=False)
        if not bad:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"{hhmm(bad[0][1])} local is outside {hhmm(start)}-{hhmm(end)} (不得在22:00至次日8:00催收)",
                nxt,
                start=start,
                end=end,
            ),
        )


@dataclass(frozen=True, slots=True)
class UnansweredAttempts(Rule):
    """When the debtor does not answer, at most 6 call attempts a day to the same contact (不宜超过6次)."""

    id: ClassVar[str] = "CN.CBA2026.attempts"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL})
    max_unanswered_per_day: int = 6

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        series = ctx.history.series("unanswered", ctx.action.person)
        today = series.count(ctx.day_start_ts(ctx.day), ctx.ts)
        if today < self.max_unanswered_per_day:
            return _NONE
        tomorrow: date = ctx.day + timedelta(days=1)
        return (
            self.finding(
                Severity.BLOCK,
                f"{today} unanswered attempts today to {ctx.action.person}",
                ctx.day_start(tomorrow),
                max_unanswered_per_day=self.max_unanswered_per_day,
            ),
        )


@dataclass(frozen=True, slots=True)
class ThirdPartyContact(Rule):
    """Unrelated third parties (债务无关第三人) only when the debtor is unreachable (失联), never with
    debt details, and never again once they ask to stop."""

    id: ClassVar[str] = "CN.CBA2026.third_party"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset(
        {K.CALL, K.SMS, K.EMAIL, K.LETTER, K.VISIT, K.LEGAL_LETTER, K.THIRD_PARTY_CONTACT}
    )

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.THIRD_PARTY or (a.target_role or "") in RELATED_ROLES:
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


@dataclass(frozen=True, slots=True)
class NoPublicPosting(Rule):
    """No posting of collection notices or lawyer's letters in public places (张贴律师函)."""

    id: ClassVar[str] = "CN.CBA2026.public_posting"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.LETTER, K.LEGAL_LETTER})

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
    """Home visits: at least two collectors, identification shown, entry only with consent (上门催收)."""

    id: ClassVar[str] = "CN.CBA2026.visit"
    citation: ClassVar[str] = _CBA
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.VISIT})
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


@dataclass(frozen=True, slots=True)
class ExternalAgency(Rule):
    """Collection by an external agency only when the lender has disclosed its agencies publicly."""

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


CN_RULES: tuple[Rule, ...] = (
    CollectionHours(),
    UnansweredAttempts(),
    ThirdPartyContact(),
    NoPublicPosting(),
    VisitConduct(),
    ExternalAgency(),
)
