"""Georgia: the notice within 10 days after repossession (O.C.G.A. 10-1-36).

>>> from autoloan.compliance.rules import us_ga
>>> [r.rule_id for r in us_ga.RULES]
['US-GA.10-1-36']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import PostRepoNotice

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "GeorgiaRepossessionNotice"]

CODE = "US-GA"
PARENT = "US"
NAME = "Georgia"
ZONES = ("America/New_York",)
NOT_ENCODED = "the buyer's 10-day demand for a public sale (10-1-36); no creditor collection statute found"
K = ActionKind


class GeorgiaRepossessionNotice(PostRepoNotice):
    """O.C.G.A. 10-1-36: no deficiency unless, within 10 days after the repossession, a notice of the
    intent to pursue one, the redemption rights and the right to demand a public sale is sent by
    registered or certified mail or statutory overnight delivery."""

    __slots__ = ()
    id = "US-GA.10-1-36"
    citation = "O.C.G.A. 10-1-36"
    kinds = frozenset({K.NOTICE_OF_SALE, K.REDEMPTION_NOTICE})
    consequence = "no deficiency"


RULES: tuple[Rule, ...] = (GeorgiaRepossessionNotice(within_days=10),)
