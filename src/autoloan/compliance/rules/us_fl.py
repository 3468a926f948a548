"""Florida: the Consumer Collection Practices Act, which binds "any person" (creditors too).

>>> from autoloan.compliance.rules import us_fl
>>> [r.rule_id for r in us_fl.RULES]
['US-FL.559.72(17)', 'US-FL.559.72(4)']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import ContactHours, EmployerContact

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "FloridaEmployer", "FloridaHours"]

CODE = "US-FL"
PARENT = "US"
NAME = "Florida"
ZONES = ("America/New_York", "America/Chicago")
NOT_ENCODED = (
    "559.72(7) harassment standard (no number); 559.553 registration of consumer collection agencies"
)
K = ActionKind


class FloridaHours(ContactHours):
    """Fla. Stat. 559.72(17): no person may communicate with the debtor between 9 p.m. and 8 a.m.
    in the debtor's time zone without prior consent; email is excluded since CS/SB 232 (2025)
    (the bill text was read; its effective date was not, so email is exempt on every date)."""

    __slots__ = ()
    id = "US-FL.559.72(17)"
    citation = "Fla. Stat. 559.72(17); CS/SB 232 (2025) email exclusion"
    exempt = frozenset({K.EMAIL})


class FloridaEmployer(EmployerContact):
    """Fla. Stat. 559.72(4): no communication with the debtor's employer before final judgment,
    unless the debtor gave written permission (or acknowledged the debt in writing after it was
    placed for collection)."""

    __slots__ = ()
    id = "US-FL.559.72(4)"
    citation = "Fla. Stat. 559.72(4)"
    consent_allows = True


RULES: tuple[Rule, ...] = (FloridaHours(), FloridaEmployer())
