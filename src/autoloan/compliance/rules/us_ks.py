"""Kansas: right to cure (K.S.A. 16a-5-111, text in force from 2025-01-01).

>>> from autoloan.compliance.rules import us_ks
>>> [r.rule_id for r in us_ks.RULES]
['US-KS.RTC.16a-5-111']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "KansasCure"]

CODE = "US-KS"
PARENT = "US"
NAME = "Kansas"
ZONES = ("America/Chicago", "America/Denver")
NOT_ENCODED = "16a-5-111(4) (2025 text, repeat-default rule) not read"
K = ActionKind


class KansasCure(RightToCure):
    """K.S.A. 16a-5-111 (16a-5-110 merged, in force 2025-01-01): a notice may be given after 10
    days in default; no acceleration or repossession until 20 days after it."""

    __slots__ = ()
    id = "US-KS.RTC.16a-5-111"
    citation = "K.S.A. 16a-5-111 [subsection (4) not read]"


RULES: tuple[Rule, ...] = (KansasCure(cure_days=20, notice_after_default_days=10),)
