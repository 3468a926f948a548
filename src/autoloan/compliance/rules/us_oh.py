"""Ohio: the notice within 5 business days after repossession (R.C. 1317.12).

>>> from autoloan.compliance.rules import us_oh
>>> [r.rule_id for r in us_oh.RULES]
['US-OH.1317.12']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import PostRepoNotice

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "OhioRepossessionNotice"]

CODE = "US-OH"
PARENT = "US"
NAME = "Ohio"
ZONES = ("America/New_York",)
NOT_ENCODED = (
    "R.C. 1317.16 public sale with 10 days' newspaper notice and the cure period after repossession "
    "(secondary / not read); no creditor collection statute found"
)
K = ActionKind


class OhioRepossessionNotice(PostRepoNotice):
    """R.C. 1317.12: within 5 business days after taking possession, a notice of the default and
    the amount owed [statute text read as a search excerpt]. Holidays are not modelled."""

    __slots__ = ()
    id = "US-OH.1317.12"
    citation = "Ohio R.C. 1317.12 [text read as a search excerpt]"
    kinds = frozenset({K.REDEMPTION_NOTICE, K.NOTICE_OF_SALE})


RULES: tuple[Rule, ...] = (OhioRepossessionNotice(within_business_days=5),)
