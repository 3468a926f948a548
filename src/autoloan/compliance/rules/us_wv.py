"""West Virginia: the Consumer Credit and Protection Act (binds creditors): presumed-convenient
hours and call volume (W. Va. Code 46A-2-125(d)).

>>> from autoloan.compliance.rules import us_wv
>>> [r.rule_id for r in us_wv.RULES]
['US-WV.46A-2-125(d).hours', 'US-WV.46A-2-125(d).volume']
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from autoloan.compliance.model import Action, ActionKind, Collector, Finding, Outcome, Severity
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import (
    CREDITOR_AND_COLLECTOR,
    NONE,
    NOT_CONNECTED,
    ContactHours,
    rolling_window,
)

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "CallVolume", "WestVirginiaHours"]

CODE = "US-WV"
PARENT = "US"
NAME = "West Virginia"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "46A-2-106 10-day right to cure (read only in the Attorney General's FAQ); 46A-2-128(e) stop after "
    "notice of attorney representation"
)
K = ActionKind


class WestVirginiaHours(ContactHours):
    """W. Va. Code 46A-2-125(d): without knowledge to the contrary a debt collector (46A-2-122(d):
    anyone collecting, creditors included) is presumed to know the convenient time for a call is
    after 8 a.m. and before 9 p.m. local time."""

    __slots__ = ()
    id = "US-WV.46A-2-125(d).hours"
    citation = "W. Va. Code 46A-2-122(d), 46A-2-125(d)"
    binds = CREDITOR_AND_COLLECTOR
    kinds = frozenset({K.CALL})


def wv_calls(a: Action) -> Hashable | None:
    """History key: outbound calls that rang, per person."""
    if a.kind is K.CALL and not a.initiated_by_borrower and a.outcome not in NOT_CONNECTED:
        return a.person
    return None


def wv_conversations(a: Action) -> Hashable | None:
    """History key: telephone conversations, per person."""
    if a.kind is K.CALL and a.outcome is Outcome.CONVERSATION:
        return a.person
    return None


@dataclass(frozen=True, slots=True)
class CallVolume(Rule):
    """W. Va. Code 46A-2-125(d): more than 30 calls or more than 10 conversations a week, with intent
    to annoy, is a violation. Volume alone is not enough (Valentine & Kebartas v. Lenahan, W. Va.
    2017), so the finding is a ``review``."""

    id: ClassVar[str] = "US-WV.46A-2-125(d).volume"
    citation: ClassVar[str] = "W. Va. Code 46A-2-125(d); Valentine & Kebartas v. Lenahan (W. Va. 2017)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL})
    binds: ClassVar[frozenset[Collector]] = CREDITOR_AND_COLLECTOR
    max_calls: int = 30
    max_conversations: int = 10
    window_days: int = 7

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        person = ctx.action.person
        calls, _ = rolling_window(ctx, ctx.series(wv_calls, person), self.window_days, self.max_calls)
        talks, _ = rolling_window(
            ctx, ctx.series(wv_conversations, person), self.window_days, self.max_conversations
        )
        if calls < self.max_calls and talks < self.max_conversations:
            return NONE
        return (
            self.finding(
                Severity.REVIEW,
                f"{calls} calls and {talks} conversations with {person} in {self.window_days} days: over "
                f"{self.max_calls} calls or {self.max_conversations} conversations a week is a violation "
                "with intent to annoy",
                max_calls=self.max_calls,
                max_conversations=self.max_conversations,
            ),
        )


RULES: tuple[Rule, ...] = (WestVirginiaHours(), CallVolume())
