"""Nevada: notice of intent to sell a repossessed car (NRS 482.516).

>>> from autoloan.compliance.rules import us_nv
>>> [r.rule_id for r in us_nv.RULES]
['US-NV.482.516']
"""

from __future__ import annotations

from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import PostRepoNotice

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "NevadaNoticeOfSale"]

CODE = "US-NV"
PARENT = "US"
NAME = "Nevada"
ZONES = ("America/Los_Angeles",)
NOT_ENCODED = "NRS 649 (collection agencies) conduct rules; no creditor collection statute found"


class NevadaNoticeOfSale(PostRepoNotice):
    """NRS 482.516: at least 10 days' written notice of intent to sell to every person liable,
    with the redemption amount; a deficiency only if the notice is given within 60 days."""

    __slots__ = ()
    id = "US-NV.482.516"
    citation = "NRS 482.516"
    consequence = "no deficiency"


RULES: tuple[Rule, ...] = (NevadaNoticeOfSale(within_days=60, min_days_before_sale=10),)
