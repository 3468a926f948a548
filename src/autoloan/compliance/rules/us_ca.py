"""California: the Rosenthal Act (binds creditors collecting their own debts) and the notice of
intent to dispose of a repossessed car.

>>> from autoloan.compliance.rules import us_ca
>>> [r.rule_id for r in us_ca.RULES]
['US-CA.1788.17', 'US-CA.1788.12(a)', 'US-CA.NOI.22328']
"""

from __future__ import annotations

from collections.abc import Iterable

from autoloan.compliance.model import ActionKind, Finding, Purpose, Severity
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import (
    CREDITOR_AND_COLLECTOR,
    NONE,
    ContactHours,
    EmployerContact,
    PostRepoNotice,
)

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "CaliforniaEmployer",
    "CaliforniaHours",
    "CaliforniaNoticeOfSale",
]

CODE = "US-CA"
PARENT = "US"
NAME = "California"
ZONES = ("America/Los_Angeles",)
NOT_ENCODED = (
    "Rosenthal 1788.11(d)-(e) frequency standards (no numbers); Civ. Code 2983.3 reinstatement limits; "
    "the Debt Collection Licensing Act (Fin. Code 100000 et seq.)"
)
K = ActionKind
_WRITING = frozenset({K.LETTER, K.EMAIL, K.LEGAL_LETTER})


class CaliforniaHours(ContactHours):
    """Cal. Civ. Code 1788.17: every debt collector (1788.2(c): anyone collecting on its own behalf
    or others', so creditors too) must comply with 15 U.S.C. 1692b-1692j as they read on
    2001-01-01, including 1692c(a)(1): no communication before 8:00 or after 21:00 local time."""

    __slots__ = ()
    id = "US-CA.1788.17"
    citation = "Cal. Civ. Code 1788.17, 1788.2(c); 15 U.S.C. 1692c(a)(1)"
    binds = CREDITOR_AND_COLLECTOR


class CaliforniaEmployer(EmployerContact):
    """Cal. Civ. Code 1788.12(a): no communication with the debtor's employer about the debt unless
    necessary to collect it (verifying employment, locating the debtor, or garnishment after
    judgment) or the debtor consented in writing; such communications must be in writing unless a
    written one got no response within 15 days."""

    __slots__ = ()
    id = "US-CA.1788.12(a)"
    citation = "Cal. Civ. Code 1788.12(a)"
    binds = CREDITOR_AND_COLLECTOR
    allowed_purposes = frozenset({Purpose.EMPLOYMENT_VERIFICATION, Purpose.LOCATION})
    consent_allows = True

    def permitted(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.kind in _WRITING:
            return NONE
        return (
            self.finding(
                Severity.REVIEW,
                "an oral employer contact only if a written one got no response within 15 days",
            ),
        )


class CaliforniaNoticeOfSale(PostRepoNotice):
    """Notice of intent to dispose of a repossessed car: at least 15 days before the sale, given
    within 60 days of the repossession, or no deficiency. Cal. Fin. Code 22328 (CFL loans, text
    read); Civ. Code 2983.2 sets the same for conditional sale contracts [secondary summary]."""

    __slots__ = ()
    id = "US-CA.NOI.22328"
    citation = "Cal. Fin. Code 22328; Civ. Code 2983.2 (sale contracts) [2983.2: secondary summary]"
    consequence = "no deficiency judgment"


RULES: tuple[Rule, ...] = (
    CaliforniaHours(),
    CaliforniaEmployer(),
    CaliforniaNoticeOfSale(within_days=60, min_days_before_sale=15),
)
