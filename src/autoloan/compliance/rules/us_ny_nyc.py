"""New York City: the DCWP "SHIELD" rule's cap of 3 collection attempts in 7 days (from 2026-09-01).

>>> from autoloan.compliance.rules import us_ny_nyc
>>> us_ny_nyc.PARENT, [r.rule_id for r in us_ny_nyc.RULES]
('US-NY', ['US-NY-NYC.6RCNY5-77.attempts'])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from autoloan.compliance.model import Action, ActionKind, Collector, Finding, Severity, Target
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import CREDITOR_AND_COLLECTOR, NONE, rolling_window

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "ShieldAttempts"]

CODE = "US-NY-NYC"
PARENT = "US-NY"
NAME = "New York City"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "NYC DCWP collection rules (6 RCNY 5-76 to 5-77) in force before 2026-09-01 were not read; the SHIELD "
    "rule's workplace, dispute and verification changes"
)
K = ActionKind
_CHANNELS = frozenset({K.CALL, K.SMS, K.EMAIL})


def nyc_attempts(a: Action) -> Hashable | None:
    """History key of the SHIELD cap: outbound calls, texts and emails to the borrower, per debt
    (every attempt counts, answered or not; mail is not capped)."""
    if a.kind in _CHANNELS and a.target is Target.BORROWER and not a.initiated_by_borrower:
        return a.debt_id
    return None


@dataclass(frozen=True, slots=True)
class ShieldAttempts(Rule):
    """At most 3 attempts to communicate in 7 days, across phone, text and email, per account.

    NYC Department of Consumer and Worker Protection, amended 6 RCNY 5-76/5-77 ("SHIELD" rule),
    published 2026-02-26, in force 2026-09-01 (DCWP press release 022-26). It reaches creditors
    once they are engaged in debt collection procedures (statements stopped, balance accelerated,
    payment in full demanded, suit taken or threatened: ``Account.in_collection_procedures``);
    when that is not recorded the cap is applied (the cautious reading).
    """

    id: ClassVar[str] = "US-NY-NYC.6RCNY5-77.attempts"
    citation: ClassVar[str] = "6 RCNY 5-76, 5-77 as amended (NYC DCWP SHIELD rule; DCWP press release 022-26)"
    kinds: ClassVar[frozenset[ActionKind]] = _CHANNELS
    binds: ClassVar[frozenset[Collector]] = CREDITOR_AND_COLLECTOR
    effective_from: ClassVar[date | None] = date(2026, 9, 1)
    max_attempts: int = 3
    window_days: int = 7

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.BORROWER:
            return NONE
        acct = ctx.account
        if (
            ctx.collector is Collector.CREDITOR
            and acct is not None
            and acct.in_collection_procedures is False
        ):
            return NONE
        series = ctx.series(nyc_attempts, a.debt_id)
        count, retry = rolling_window(ctx, series, self.window_days, self.max_attempts)
        if count < self.max_attempts:
            return NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"{count} attempts by phone, text or email about debt {a.debt_id} in {self.window_days} days "
                f"(limit {self.max_attempts})",
                retry,
                max_attempts=self.max_attempts,
                window_days=self.window_days,
                attempts=count,
            ),
        )


RULES: tuple[Rule, ...] = (ShieldAttempts(),)
