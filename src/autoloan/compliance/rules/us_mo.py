"""Missouri: right to cure, notice to the borrower and every cosigner (RSMo 408.554-408.555).

>>> from autoloan.compliance.rules import us_mo
>>> [r.rule_id for r in us_mo.RULES]
['US-MO.RTC.408.555']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "MissouriCure"]

CODE = "US-MO"
PARENT = "US"
NAME = "Missouri"
ZONES = ("America/Chicago",)
NOT_ENCODED = "408.555.3 repeat-default limit (text truncated, not encoded); 408.556 deficiency limits"
K = ActionKind


class MissouriCure(RightToCure):
    """RSMo 408.554: after 10 days in default, a notice to the borrower and all cosigners; no
    repossession or acceleration until 20 days after it; 408.555.1: not before default."""

    __slots__ = ()
    id = "US-MO.RTC.408.555"
    citation = "RSMo 408.554, 408.555"


RULES: tuple[Rule, ...] = (MissouriCure(cure_days=20, notice_after_default_days=10, to_cosigners=True),)
