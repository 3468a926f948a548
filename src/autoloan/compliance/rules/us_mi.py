"""Michigan: the Regulation of Collection Practices Act (binds creditors) on employer contact.

>>> from autoloan.compliance.rules import us_mi
>>> [r.rule_id for r in us_mi.RULES]
['US-MI.445.252(i)']
"""

from __future__ import annotations

from autoloan.compliance.model import Collector, Purpose
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import EmployerContact

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "MichiganEmployer"]

CODE = "US-MI"
PARENT = "US"
NAME = "Michigan"
ZONES = ("America/Detroit", "America/Menominee")
NOT_ENCODED = (
    "08:00-21:00 contact hours (secondary sources only); Occupational Code 339.915 (collection agencies "
    "and repossessors)"
)


class MichiganEmployer(EmployerContact):
    """MCL 445.252(i): a regulated person (a creditor, 445.251) may not communicate the debt to the
    debtor's employer without the debtor's written authorization, except to locate the debtor."""

    __slots__ = ()
    id = "US-MI.445.252(i)"
    citation = "MCL 445.251, 445.252(i)"
    binds = frozenset({Collector.CREDITOR})
    allowed_purposes = frozenset({Purpose.LOCATION})
    consent_allows = True


RULES: tuple[Rule, ...] = (MichiganEmployer(),)
