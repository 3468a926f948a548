"""Colorado: right to cure (C.R.S. 5-5-110, 5-5-111).

>>> from autoloan.compliance.rules import us_co
>>> [r.rule_id for r in us_co.RULES]
['US-CO.RTC.5-5-111']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "ColoradoCure"]

CODE = "US-CO"
PARENT = "US"
NAME = "Colorado"
ZONES = ("America/Denver",)
NOT_ENCODED = "Colorado FDCPA (C.R.S. 5-16) not read"
K = ActionKind


class ColoradoCure(RightToCure):
    """C.R.S. 5-5-110: a notice after 10 days in default; 5-5-111(1): 20 days to cure; 5-5-111(2):
    no right to cure a default within 12 months of an earlier notice."""

    __slots__ = ()
    id = "US-CO.RTC.5-5-111"
    citation = "C.R.S. 5-5-110, 5-5-111(1)-(2)"


RULES: tuple[Rule, ...] = (
    ColoradoCure(cure_days=20, notice_after_default_days=10, no_cure_within_months=12),
)
