"""Louisiana: self-help repossession only after two consecutive missed payments and a prior
statutory notice (Additional Default Remedies Act, La. R.S. 6:965-6:969).

>>> from autoloan.compliance.rules import us_la
>>> [r.rule_id for r in us_la.RULES]
['US-LA.6:966']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from autoloan.compliance.model import ActionKind, Finding, Severity
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import NONE

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "SelfHelpRepossession"]

CODE = "US-LA"
PARENT = "US"
NAME = "Louisiana"
ZONES = ("America/Chicago",)
NOT_ENCODED = (
    "6:965(C) breach of the peace (the debtor's oral protest stops the repossession) and the licensed-agent "
    "requirement (6:966(D)) are facts the checker cannot see; the post-repossession filing (unverified)"
)
K = ActionKind


@dataclass(frozen=True, slots=True)
class SelfHelpRepossession(Rule):
    """La. R.S. 6:965-6:966: a motor vehicle may be repossessed without judicial process only after
    a default of two consecutive missed payments (``Account.missed_payments``) and a prior written
    notice to every debtor stating that Louisiana law permits repossession upon default without
    further notice (``Account.repossession_notice_on``). A court order lifts the rule."""

    id: ClassVar[str] = "US-LA.6:966"
    citation: ClassVar[str] = "La. R.S. 6:965, 6:966(A)(2)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION})
    missed_payments: int = 2

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.court_order:
            return NONE
        acct = ctx.account
        out: list[Finding] = []
        missed = None if acct is None else acct.missed_payments
        if missed is None or missed < self.missed_payments:
            out.append(
                self.finding(
                    Severity.BLOCK,
                    f"self-help repossession needs {self.missed_payments} consecutive missed payments "
                    f"(recorded: {missed})",
                    missed_payments=self.missed_payments,
                )
            )
        notice = None if acct is None else acct.repossession_notice_on
        if notice is None or notice >= ctx.day:
            out.append(self.finding(Severity.BLOCK, "send the 6:966(A)(2) notice to every debtor first"))
        return out


RULES: tuple[Rule, ...] = (SelfHelpRepossession(),)
