"""Massachusetts: creditor call limits (940 CMR 7.04(1)(f)) and the c.255B s.20A right to cure.

>>> from autoloan.compliance.rules import us_ma
>>> us_ma.CODE, [r.rule_id for r in us_ma.RULES]
('US-MA', ['US-MA.940CMR7.04(1)(f)', 'US-MA.RTC.255B.20A'])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from autoloan.compliance.model import Action, ActionKind, Collector, Finding, Outcome, Place, Severity, Target
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import (
    CREDITOR_AND_COLLECTOR,
    NONE,
    NOT_CONNECTED,
    RightToCure,
    rolling_window,
)

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "MassachusettsCure",
    "MassachusettsFrequency",
]

CODE = "US-MA"
PARENT = "US"
NAME = "Massachusetts"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "940 CMR 7.04 visit and workplace limits; c.255B post-repossession notices; the c.255B s.20A text "
    "itself (its terms were read in c.255D s.21)"
)
K = ActionKind


def ma_contacts(a: Action) -> Hashable | None:
    """History key of 940 CMR 7.04(1)(f): creditor-initiated calls and texts to the borrower per
    (debt, residence-or-cell?); busy / not-in-service attempts and undelivered texts do not count."""
    if (
        a.target is Target.BORROWER
        and not a.initiated_by_borrower
        and ((a.kind is K.CALL and a.outcome not in NOT_CONNECTED) or a.kind is K.SMS)
        and a.outcome is not Outcome.UNDELIVERABLE
    ):
        return (a.debt_id, a.place is not Place.WORK)
    return None


@dataclass(frozen=True, slots=True)
class MassachusettsFrequency(Rule):
    """Creditors (first-party lenders included) may initiate at most 2 calls or texts per debt in
    each 7 days to the borrower's residence or cell phone, and 2 in each 30 days elsewhere.

    940 CMR 7.04(1)(f) (quoted in Armata v. Target Corp., 480 Mass. 14 (2018)); the 30-day limit
    for other numbers is worded so in 209 CMR 18.16(1)(d) and 940 CMR 7.05(3)(d) (the second
    clause of 7.04(1)(f) itself was not read). Armata: unanswered calls and calls where the creditor
    chose not to leave a message count; a creditor "truly unable to reach the debtor or to leave a
    message" is exempt, so busy / not-in-service attempts are not counted. Windows are rolling
    local calendar days. 940 CMR 7.00 binds creditors; 209 CMR 18 licensed collectors.
    """

    id: ClassVar[str] = "US-MA.940CMR7.04(1)(f)"
    citation: ClassVar[str] = (
        "940 CMR 7.04(1)(f); Armata v. Target Corp., 480 Mass. 14 (2018); "
        "30-day clause per 209 CMR 18.16(1)(d)"
    )
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL, K.SMS})
    binds: ClassVar[frozenset[Collector]] = CREDITOR_AND_COLLECTOR
    max_personal: int = 2
    personal_days: int = 7
    max_other: int = 2
    other_days: int = 30

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.BORROWER:
            return NONE
        personal = a.place is not Place.WORK
        limit, days = (
            (self.max_personal, self.personal_days) if personal else (self.max_other, self.other_days)
        )
        count, retry = rolling_window(ctx, ctx.series(ma_contacts, (a.debt_id, personal)), days, limit)
        if count < limit:
            return NONE
        where = "residence/cell" if personal else "other numbers"
        return (
            self.finding(
                Severity.BLOCK,
                f"{count} calls/texts about debt {a.debt_id} to {where} in {days} days (limit {limit})",
                retry,
                limit=limit,
                days=days,
                count=count,
            ),
        )


class MassachusettsCure(RightToCure):
    """M.G.L. c.255B s.20A (motor vehicle installment sales): a notice given 10 days or more after
    the default, a cure date at least 21 days after it is mailed, and no notice after 3 or more
    cures. The s.20A text itself was not read; the same terms were read in the parallel Retail
    Installment Sales Act section, c.255D s.21(b)-(c)."""

    __slots__ = ()
    id = "US-MA.RTC.255B.20A"
    citation = "M.G.L. c.255B 20A [section text not read; same terms read in c.255D 21(b)-(c)]"


RULES: tuple[Rule, ...] = (
    MassachusettsFrequency(),
    MassachusettsCure(cure_days=21, exempt_after_cured=3, notice_after_default_days=10),
)
