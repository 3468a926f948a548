"""District of Columbia: the 30-day no-remedy window after a payment default (D.C. Code 28-3812)
and the motor-vehicle repossession notices of 16 DCMR 341.

>>> from autoloan.compliance.rules import us_dc
>>> [r.rule_id for r in us_dc.RULES]
['US-DC.28-3812(b)', 'US-DC.16DCMR341.pre', 'US-DC.16DCMR341.post']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from autoloan.compliance.model import ActionKind, Finding, Severity
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import NONE, PostRepoNotice

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "NoRemedyWindow",
    "RepossessionNotice",
    "RepossessionPreNotice",
]

CODE = "US-DC"
PARENT = "US"
NAME = "District of Columbia"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "D.C. Code 28-3814 caps (4 calls and 5 electronic messages per account per 7 days, with its direct "
    "bank auto-loan carve-out) and 08:00-21:00 hours: read only in secondary sources, not encoded"
)
K = ActionKind


@dataclass(frozen=True, slots=True)
class NoRemedyWindow(Rule):
    """D.C. Code 28-3812(b)(1): for 30 days after a payment default the creditor may not
    accelerate, sue or proceed against the collateral (the debtor may cure meanwhile). Not for
    direct motor-vehicle installment loans of banks and savings associations (ch. 36):
    ``Account.direct_bank_loan``. Counted from ``Account.default_on``; permitted from day 31."""

    id: ClassVar[str] = "US-DC.28-3812(b)"
    citation: ClassVar[str] = "D.C. Code 28-3812(b)(1); 28-3601 (ch. 36 exclusion)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.ACCELERATION, K.REPOSSESSION, K.LAWSUIT})
    days: int = 30

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        if acct is not None and acct.direct_bank_loan:
            return NONE
        default = None if acct is None else acct.default_on
        if default is None:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"record account.default_on: no remedy for {self.days} days after a default",
                ),
            )
        free = default + timedelta(days=self.days + 1)
        if ctx.day >= free:
            return NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"{self.days}-day window after the default of {default.isoformat()}; "
                f"permitted from {free.isoformat()}",
                ctx.day_start(free),
                days=self.days,
            ),
        )


@dataclass(frozen=True, slots=True)
class RepossessionPreNotice(Rule):
    """16 DCMR 341: a notice of intention to repossess at least 10 days before is mandatory when the
    only default is missed payments not more than 15 days past due (``Account.default_on``,
    ``Account.repossession_notice_on``)."""

    id: ClassVar[str] = "US-DC.16DCMR341.pre"
    citation: ClassVar[str] = "16 DCMR 341"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION})
    notice_days: int = 10
    mandatory_within_days: int = 15

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        default = None if acct is None else acct.default_on
        if acct is None or default is None:
            return (
                self.finding(Severity.REVIEW, "record account.default_on to test the 10-day notice duty"),
            )
        late = (ctx.day - default).days
        if late > self.mandatory_within_days:
            return NONE
        notice = acct.repossession_notice_on
        optional_from = ctx.day_start(default + timedelta(days=self.mandatory_within_days + 1))
        if notice is None:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"{late} days past due: give a notice of intention to repossess "
                    f"{self.notice_days} days before",
                    optional_from,
                    notice_days=self.notice_days,
                ),
            )
        ready = notice + timedelta(days=self.notice_days)
        if ctx.day >= ready:
            return NONE
        retry = min(ctx.day_start(ready), optional_from)
        return (
            self.finding(
                Severity.BLOCK,
                f"notice of intention given {notice.isoformat()}: wait {self.notice_days} days",
                retry,
                notice_days=self.notice_days,
            ),
        )


class RepossessionNotice(PostRepoNotice):
    """16 DCMR 341: within 5 days after the repossession, a notice to the debtor; the car is held
    15 days (28-3812(c): redemption within 15 days of taking possession)."""

    __slots__ = ()
    id = "US-DC.16DCMR341.post"
    citation = "16 DCMR 341; D.C. Code 28-3812(c)"
    kinds = frozenset({K.REDEMPTION_NOTICE, K.NOTICE_OF_SALE})


RULES: tuple[Rule, ...] = (NoRemedyWindow(), RepossessionPreNotice(), RepossessionNotice(within_days=5))
