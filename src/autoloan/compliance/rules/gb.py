"""GB rule pack: Consumer Credit Act 1974 (s.87-88 default notice, s.90 protected goods) and FCA CONC 7.

CONC 7 is principles-based: its findings are ``review`` (a human decides), and the contact window
is a lender-set policy, not a number in the Handbook.

>>> from autoloan.compliance.rules.gb import RULES
>>> [r.rule_id for r in RULES][0]
'GB.CCA1974.s87-88'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import ClassVar

from autoloan.compliance.model import ActionKind, AgreementType, Finding, Severity, Target
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import hhmm, outside_window

__all__ = [
    "CODE",
    "GB_RULES",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "ContactWindowPolicy",
    "DefaultNotice",
    "Forbearance",
    "ProtectedGoods",
    "VulnerableVisit",
]

K = ActionKind
_NONE: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class DefaultNotice(Rule):
    """Repossession or termination only after a default notice whose remedy date (at least 14 days
    after service) has passed. Consumer Credit Act 1974 s.87(1), s.88(2) (legislation.gov.uk text).

    s.88(2) bars action "before the date specified"; the checker waits until the day after the
    earliest lawful remedy date (service + 14 days), the cautious reading. A notice that specified
    a later date is modelled by raising ``remedy_days``.
    """

    id: ClassVar[str] = "GB.CCA1974.s87-88"
    citation: ClassVar[str] = "Consumer Credit Act 1974 s.87(1), s.88(2)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION, K.ACCELERATION})
    remedy_days: int = 14

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        served = None if ctx.account is None else ctx.account.default_notice_on
        if served is None:
            return (
                self.finding(
                    Severity.BLOCK, "serve a default notice (s.87) first", remedy_days=self.remedy_days
                ),
            )
        free: date = served + timedelta(days=self.remedy_days + 1)
        if ctx.day >= free:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"default notice served {served.isoformat()}: remedy period runs {self.remedy_days} days",
                ctx.day_start(free),
                remedy_days=self.remedy_days,
                served_on=served,
            ),
        )


@dataclass(frozen=True, slots=True)
class ProtectedGoods(Rule):
    """Hire purchase / conditional sale: once one-third of the total price is paid (installation
    charge plus a third of the rest), the goods are protected and recoverable only by court order.
    Consumer Credit Act 1974 s.90(1)-(2)."""

    id: ClassVar[str] = "GB.CCA1974.s90"
    citation: ClassVar[str] = "Consumer Credit Act 1974 s.90(1)-(2)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION})
    fraction_denominator: int = 3

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        if acct is None or acct.agreement_type not in (
            AgreementType.HIRE_PURCHASE,
            AgreementType.CONDITIONAL_SALE,
        ):
            return _NONE
        if ctx.action.court_order:
            return _NONE
        if acct.total_price is None or acct.paid_to_date is None:
            return (
                self.finding(
                    Severity.REVIEW, "hire purchase: give total_price and paid_to_date to test s.90"
                ),
            )
        install = Decimal(acct.installation_charge)
        total = Decimal(acct.total_price)
        threshold = install + (total - install) / self.fraction_denominator
        if Decimal(acct.paid_to_date) >= threshold:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"protected goods: paid {acct.paid_to_date} of {total} (threshold {threshold:.2f}); "
                    "court order required",
                    fraction_denominator=self.fraction_denominator,
                ),
            )
        return _NONE


@dataclass(frozen=True, slots=True)
class ContactWindowPolicy(Rule):
    """Do not contact customers at unreasonable times (FCA CONC 7.9.4R — rule number unverified);
    the window is lender policy, not a Handbook number, so findings are ``review``."""

    id: ClassVar[str] = "GB.FCA.CONC7.9"
    citation: ClassVar[str] = (
        "FCA Handbook CONC 7.9 (unreasonable times; window is lender policy) [secondary]"
    )
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL, K.SMS, K.EMAIL, K.VISIT})
    start: time = time(8, 0)
    end: time = time(21, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.target is not Target.BORROWER:
            return _NONE
        start, end = ctx.borrower.consented_hours or (self.start, self.end)
        bad, _ = outside_window(ctx.now, ctx.zones, start, end)
        if not bad:
            return _NONE
        return (
            self.finding(
                Severity.REVIEW,
                f"outside the lender's contact window {hhmm(start)}-{hhmm(end)}",
                start=start,
                end=end,
            ),
        )


class VulnerableVisit(Rule):
    """No visit to a customer known or suspected to be particularly vulnerable. CONC 7.9 [secondary]."""

    __slots__ = ()
    id: ClassVar[str] = "GB.FCA.CONC7.9.visit"
    citation: ClassVar[str] = "FCA Handbook CONC 7.2.1R, 7.9 (visits) [secondary]"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.VISIT})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.borrower.vulnerable:
            return (self.finding(Severity.REVIEW, "customer flagged vulnerable: a visit needs review"),)
        return _NONE


class Forbearance(Rule):
    """Forbearance and due consideration for customers in arrears before enforcing. CONC 7.3.4R [S]."""

    __slots__ = ()
    id: ClassVar[str] = "GB.FCA.CONC7.3.4"
    citation: ClassVar[str] = "FCA Handbook CONC 7.3.4R, 7.3.5G [secondary]"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION, K.ACCELERATION, K.LAWSUIT})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        return (self.finding(Severity.REVIEW, "record the forbearance options considered before enforcing"),)


GB_RULES: tuple[Rule, ...] = (
    DefaultNotice(),
    ProtectedGoods(),
    ContactWindowPolicy(),
    VulnerableVisit(),
    Forbearance(),
)

CODE = "GB"
PARENT: str | None = None
NAME = "United Kingdom"
ZONES = ("Europe/London",)
NOT_ENCODED = ""
RULES = GB_RULES
