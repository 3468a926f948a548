"""Wisconsin: right to cure (Wis. Stat. 425.105) and no employer contact before judgment (427.104(1)(d)).

>>> from autoloan.compliance.rules import us_wi
>>> [r.rule_id for r in us_wi.RULES]
['US-WI.RTC.425.105', 'US-WI.427.104(1)(d)']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind, Purpose
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import CREDITOR_AND_COLLECTOR, EmployerContact, RightToCure

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "WisconsinCure", "WisconsinEmployer"]

CODE = "US-WI"
PARENT = "US"
NAME = "Wisconsin"
ZONES = ("America/Chicago",)
NOT_ENCODED = (
    "ch. 427 unusual-hours and frequency standards (no numbers); ch. 425 subch. II repossession procedure"
)
K = ActionKind


class WisconsinCure(RightToCure):
    """Wis. Stat. 425.105(1): no acceleration, action or taking possession (except voluntary
    surrender) until 15 days after a notice of right to cure is given; 425.105(3): no right to cure
    after two defaults, each noticed and cured, in the preceding 12 months (statute text read)."""

    __slots__ = ()
    id = "US-WI.RTC.425.105"
    citation = "Wis. Stat. 425.104, 425.105(1), (3)"
    kinds = frozenset({K.REPOSSESSION, K.ACCELERATION, K.LAWSUIT})


class WisconsinEmployer(EmployerContact):
    """Wis. Stat. 427.104(1)(d): no communication with the customer's employer before final
    judgment except to verify employment or earnings; 427.103(3) makes creditors collecting their
    own debts debt collectors."""

    __slots__ = ()
    id = "US-WI.427.104(1)(d)"
    citation = "Wis. Stat. 427.103(3), 427.104(1)(d)"
    binds = CREDITOR_AND_COLLECTOR
    allowed_purposes = frozenset({Purpose.EMPLOYMENT_VERIFICATION})


RULES: tuple[Rule, ...] = (WisconsinCure(cure_days=15, exempt_after_cured=2), WisconsinEmployer())
