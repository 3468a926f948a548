"""Iowa: right to cure before repossession (Iowa Code 537.5110-5111).

>>> from autoloan.compliance.rules import us_ia
>>> [r.rule_id for r in us_ia.RULES]
['US-IA.RTC.537.5110']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "IowaCure"]

CODE = "US-IA"
PARENT = "US"
NAME = "Iowa"
ZONES = ("America/Chicago",)
NOT_ENCODED = (
    "537.7103 conduct standards (unusual hours, repeated calls) without numbers; "
    "the 20-day period rests on a secondary summary"
)
K = ActionKind


class IowaCure(RightToCure):
    """Iowa Code 537.5110(2)(a): the notice must be given before legal action and before
    repossession; the 537.5111 form: a default again within the next year needs no new notice.
    The 20-day period is from a secondary summary [not read in the statute]."""

    __slots__ = ()
    id = "US-IA.RTC.537.5110"
    citation = "Iowa Code 537.5110, 537.5111 [20 days: secondary summary]"


RULES: tuple[Rule, ...] = (IowaCure(cure_days=20, no_cure_within_months=12),)
