"""South Carolina: right to cure (S.C. Code 37-5-110, 37-5-111, 37-5-114).

>>> from autoloan.compliance.rules import us_sc
>>> [r.rule_id for r in us_sc.RULES]
['US-SC.RTC.37-5-111']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "SouthCarolinaCure"]

CODE = "US-SC"
PARENT = "US"
NAME = "South Carolina"
ZONES = ("America/New_York",)
NOT_ENCODED = "consumer collection-conduct statutes not researched"
K = ActionKind


class SouthCarolinaCure(RightToCure):
    """S.C. Code 37-5-111(1): 20 days after the notice; (2): once a notice is given, no further
    right to cure on the same obligation; 37-5-114: a complaint must allege the notice was given."""

    __slots__ = ()
    id = "US-SC.RTC.37-5-111"
    citation = "S.C. Code 37-5-110, 37-5-111, 37-5-114"
    kinds = frozenset({K.REPOSSESSION, K.ACCELERATION, K.LAWSUIT})


RULES: tuple[Rule, ...] = (SouthCarolinaCure(cure_days=20, once_per_obligation=True),)
