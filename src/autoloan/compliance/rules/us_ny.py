"""New York State: GBL 601 (binds the principal creditor and its agents) and the 72-hour
redemption notice after repossession.

>>> from autoloan.compliance.rules import us_ny
>>> [r.rule_id for r in us_ny.RULES]
['US-NY.GBL601(4)', 'US-NY.GBL601(10)', 'US-NY.PPL316']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from autoloan.compliance.model import ActionKind, Finding, Severity
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import NONE, EmployerContact, PostRepoNotice

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "NewYorkEmployer",
    "NewYorkRedemptionNotice",
    "RemoteDisable",
]

CODE = "US-NY"
PARENT = "US"
NAME = "New York"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "GBL 601(6) unusual hours and frequency are standards without numbers; 23 NYCRR 1 (DFS, third-party "
    "collectors; excludes seller-financed auto contracts); the 10-day remote-disable notice period "
    "(sponsor memo only)"
)
K = ActionKind


class NewYorkEmployer(EmployerContact):
    """N.Y. Gen. Bus. Law 601(4): no principal creditor or its agent may communicate the claim to
    the debtor's employer before final judgment (a wage assignment aside, not modelled)."""

    __slots__ = ()
    id = "US-NY.GBL601(4)"
    citation = "N.Y. Gen. Bus. Law 600(3), 601(4)"


class RemoteDisable(Rule):
    """N.Y. Gen. Bus. Law 601(10): no remote disabling of the vehicle (starter interrupt, GPS kill)
    without prior written notice given as the contract specifies (``Account.remote_disable_notice_on``).
    The sponsor memo's 10 days is not encoded (secondary)."""

    __slots__ = ()
    id: ClassVar[str] = "US-NY.GBL601(10)"
    citation: ClassVar[str] = "N.Y. Gen. Bus. Law 601(10)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REMOTE_DISABLE})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        notice = None if acct is None else acct.remote_disable_notice_on
        if notice is not None and notice < ctx.day:
            return NONE
        return (
            self.finding(
                Severity.BLOCK,
                "remote disabling needs a prior written notice given as the contract specifies",
            ),
        )


class NewYorkRedemptionNotice(PostRepoNotice):
    """N.Y. Pers. Prop. Law 316 (motor vehicle installment contracts) and Gen. Oblig. Law 7-401(2)
    (direct loans): within 72 hours of the repossession, a notice of the right to redeem, the
    amount and a contact. Counted from the start of the repossession day (only the date is known)."""

    __slots__ = ()
    id = "US-NY.PPL316"
    citation = "N.Y. Pers. Prop. Law 316; Gen. Oblig. Law 7-401(2)"
    kinds = frozenset({K.REDEMPTION_NOTICE})


RULES: tuple[Rule, ...] = (NewYorkEmployer(), RemoteDisable(), NewYorkRedemptionNotice(within_hours=72))
