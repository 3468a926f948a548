"""Nebraska: right to cure for installment-loan licensees (Neb. Rev. Stat. 45-1050, 45-1051).

>>> from autoloan.compliance.rules import us_ne
>>> [r.rule_id for r in us_ne.RULES]
['US-NE.RTC.45-1051']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "NebraskaCure"]

CODE = "US-NE"
PARENT = "US"
NAME = "Nebraska"
ZONES = ("America/Chicago", "America/Denver")
NOT_ENCODED = (
    "45-1046 certified-mail cease-contact rule; 45-1052 self-help limits "
    "(no entry into a dwelling or locked car)"
)
K = ActionKind


class NebraskaCure(RightToCure):
    """Neb. Rev. Stat. 45-1050: a notice after 10 days in default; 45-1051: 20 days to cure, and
    after a notice has once been given no further right to cure on the same obligation."""

    __slots__ = ()
    id = "US-NE.RTC.45-1051"
    citation = "Neb. Rev. Stat. 45-1050, 45-1051"


RULES: tuple[Rule, ...] = (
    NebraskaCure(cure_days=20, notice_after_default_days=10, once_per_obligation=True),
)
