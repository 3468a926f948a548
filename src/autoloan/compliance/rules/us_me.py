"""Maine: right to cure (9-A M.R.S. 5-110, 5-111).

>>> from autoloan.compliance.rules import us_me
>>> [r.rule_id for r in us_me.RULES]
['US-ME.RTC.5-110']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "MaineCure"]

CODE = "US-ME"
PARENT = "US"
NAME = "Maine"
ZONES = ("America/New_York",)
NOT_ENCODED = "32 M.R.S. ch. 109 (Maine FDCPA, repossession agents covered) not read"
K = ActionKind


class MaineCure(RightToCure):
    """9-A M.R.S. 5-110, 5-111: 14 days after the notice; no right to cure a default within 12
    months after an earlier notice [carried over from the earlier research note]."""

    __slots__ = ()
    id = "US-ME.RTC.5-110"
    citation = "9-A M.R.S. 5-110, 5-111"


RULES: tuple[Rule, ...] = (MaineCure(cure_days=14, no_cure_within_months=12),)
