"""Maryland: no employer contact before judgment (Com. Law 14-202(4)) and the notice within 5 days
after repossession (Com. Law 12-624, 12-625).

>>> from autoloan.compliance.rules import us_md
>>> [r.rule_id for r in us_md.RULES]
['US-MD.14-202(4)', 'US-MD.12-624']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import EmployerContact, PostRepoNotice

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "RULES",
    "ZONES",
    "MarylandEmployer",
    "MarylandRepossessionNotice",
]

CODE = "US-MD"
PARENT = "US"
NAME = "Maryland"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "14-202(6) unusual-hours and frequency standards (no numbers); the discretionary 10-day notice "
    "before repossession (only repossession costs depend on it); 14-202(11) text truncated"
)
K = ActionKind


class MarylandEmployer(EmployerContact):
    """Md. Code, Com. Law 14-202(4): a collector (any person collecting a consumer debt, 14-201)
    may not communicate with the debtor's employer about the delinquency before final judgment."""

    __slots__ = ()
    id = "US-MD.14-202(4)"
    citation = "Md. Code, Com. Law 14-201(b), 14-202(4)"


class MarylandRepossessionNotice(PostRepoNotice):
    """Md. Code, Com. Law 12-624, 12-625 (retail installment sales): within 5 days after the
    repossession, a notice of the redemption amount, resale rights and deficiency; the car is held
    15 days."""

    __slots__ = ()
    id = "US-MD.12-624"
    citation = "Md. Code, Com. Law 12-624, 12-625; COMAR 09.03.04.01"
    kinds = frozenset({K.REDEMPTION_NOTICE, K.NOTICE_OF_SALE})


RULES: tuple[Rule, ...] = (MarylandEmployer(), MarylandRepossessionNotice(within_days=5))
