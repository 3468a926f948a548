"""US state rule packs: Massachusetts call limits and state right-to-cure waiting periods.

>>> from autoloan.compliance.rules.us_states import STATE_PACKS
>>> sorted(STATE_PACKS)
['US-IA', 'US-KS', 'US-MA', 'US-ME', 'US-MO', 'US-WI']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from autoloan.compliance.engine import Context, Rule
from autoloan.compliance.model import ActionKind, Finding, Place, Severity, Target
from autoloan.compliance.rules._common import rolling_window

__all__ = ["STATE_PACKS", "MassachusettsFrequency", "RightToCure"]

K = ActionKind
_NONE: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class MassachusettsFrequency(Rule):
    """Creditors (first-party lenders included) may initiate at most 2 calls or texts per debt in
    each 7 days to the borrower's residence or cell phone, and 2 in each 30 days elsewhere.

    940 CMR 7.04(1)(f) (quoted in Armata v. Target Corp., 480 Mass. 14 (2018)); the 30-day limit
    for other numbers is worded so in 209 CMR 18.16(1)(d) and 940 CMR 7.05(3)(d) (the second
    clause of 7.04(1)(f) itself was not read). Armata: unanswered calls and calls where the creditor
    chose not to leave a message count; a creditor "truly unable to reach the debtor or to leave a
    message" is exempt, so busy / not-in-service attempts are not counted. Windows are rolling
    local calendar days.
    """

    id: ClassVar[str] = "US-MA.940CMR7.04(1)(f)"
    citation: ClassVar[str] = (
        "940 CMR 7.04(1)(f); Armata v. Target Corp., 480 Mass. 14 (2018); "
        "30-day clause per 209 CMR 18.16(1)(d)"
    )
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL, K.SMS})
    max_personal: int = 2
    personal_days: int = 7
    max_other: int = 2
    other_days: int = 30

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.BORROWER:
            return _NONE
        personal = a.place is not Place.WORK
        limit, days = (
            (self.max_personal, self.personal_days) if personal else (self.max_other, self.other_days)
        )
        series = ctx.history.series("contacts_ma", (a.debt_id, personal)).ts
        count, retry = rolling_window(ctx, series, days, limit)
        if retry is None:
            return _NONE
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


@dataclass(frozen=True, slots=True)
class RightToCure(Rule):
    """A state right-to-cure waiting period before repossession or acceleration (and, where the
    statute says so, suit).

    Blocks until ``cure_days`` full days after the day the notice was given (the borrower may cure
    through the last day), and blocks outright when no notice was given. When
    ``exempt_after_cured`` earlier defaults were cured after notice within 12 months, there is no
    right to cure and only a warning is given.
    """

    state: str
    section: str
    cure_days: int
    source: str
    exempt_after_cured: int | None = None
    covers_lawsuit: bool = False

    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION, K.ACCELERATION, K.LAWSUIT})

    @property
    def rule_id(self) -> str:
        return f"US-{self.state}.RTC.{self.section}"

    @property
    def rule_citation(self) -> str:
        return self.source

    def applies_to(self) -> frozenset[ActionKind]:
        return self.kinds if self.covers_lawsuit else self.kinds - {K.LAWSUIT}

    def parameters(self) -> dict[str, object]:
        return {
            "cure_days": self.cure_days,
            "exempt_after_cured": self.exempt_after_cured,
            "covers_lawsuit": self.covers_lawsuit,
        }

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.kind is K.LAWSUIT and not self.covers_lawsuit:
            return _NONE
        acct = ctx.account
        if (
            acct is not None
            and self.exempt_after_cured is not None
            and acct.cured_defaults_12m >= self.exempt_after_cured
        ):
            return (
                self.finding(
                    Severity.WARN,
                    f"no right to cure: {acct.cured_defaults_12m} defaults cured after notice in 12 months",
                    exempt_after_cured=self.exempt_after_cured,
                ),
            )
        notice = None if acct is None else acct.cure_notice_on
        if notice is None:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"give a notice of right to cure first ({self.cure_days} days)",
                    cure_days=self.cure_days,
                ),
            )
        free: date = notice + timedelta(days=self.cure_days + 1)
        if ctx.day >= free:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"cure period: {self.cure_days} days after the notice of {notice.isoformat()}; "
                f"permitted from {free.isoformat()}",
                ctx.day_start(free),
                cure_days=self.cure_days,
                notice_on=notice,
            ),
        )


STATE_PACKS: dict[str, tuple[Rule, ...]] = {
    "US-MA": (
        MassachusettsFrequency(),
        # M.G.L. c.255B s.20A: cure date at least 21 days after the notice; no notice needed after
        # 3 or more cures after notice [secondary: jrmccarthy-law summary].
        RightToCure("MA", "255B.20A", 21, "M.G.L. c.255B 20A [secondary summary]", exempt_after_cured=3),
    ),
    "US-WI": (
        # Wis. Stat. 425.105(1) "only upon the expiration of 15 days after a notice is given";
        # 425.105(3): no right to cure after two cured defaults (with notice) in the preceding
        # 12 months. Read in the statute text (self-law.org, instalawyer copies).
        RightToCure(
            "WI", "425.105", 15, "Wis. Stat. 425.104, 425.105", exempt_after_cured=2, covers_lawsuit=True
        ),
    ),
    # Iowa Code 537.5110-5111: 20 days after notice [secondary: observed.org summary].
    "US-IA": (RightToCure("IA", "537.5110", 20, "Iowa Code 537.5110, 537.5111 [secondary summary]"),),
    # K.S.A. 16a-5-111 (16a-5-110 merged 2025): 20 days after notice [Casetext text; sub. (4) not read].
    "US-KS": (RightToCure("KS", "16a-5-111", 20, "K.S.A. 16a-5-111 [subsection (4) not read]"),),
    # RSMo 408.554-408.555: 20 days after notice; "twice" repeat-default text truncated [unverified].
    "US-MO": (
        RightToCure(
            "MO",
            "408.555",
            20,
            "RSMo 408.554, 408.555 [repeat-default limit unverified]",
            exempt_after_cured=2,
        ),
    ),
    # 9-A M.R.S. 5-110, 5-111: 14 days; no right for a default within 12 months after an earlier notice.
    "US-ME": (RightToCure("ME", "5-110", 14, "9-A M.R.S. 5-110, 5-111", exempt_after_cured=1),),
}
