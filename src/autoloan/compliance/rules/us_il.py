"""Illinois: the notice of redemption, 21 days before a sale (625 ILCS 5/3-114(f-5); 92 Ill. Adm.
Code 1010.160).

>>> from autoloan.compliance.rules import us_il
>>> [r.rule_id for r in us_il.RULES]
['US-IL.1010.160']
"""

from __future__ import annotations

from autoloan.compliance.model import ActionKind
from autoloan.compliance.rule import Rule
from autoloan.compliance.rules.common import PostRepoNotice

__all__ = ["CODE", "NAME", "NOT_ENCODED", "PARENT", "RULES", "ZONES", "IllinoisRedemptionNotice"]

CODE = "US-IL"
PARENT = "US"
NAME = "Illinois"
ZONES = ("America/Chicago",)
NOT_ENCODED = (
    "205 ILCS 740 (collection agencies only); the affidavit of defense's judicial hold; reinstatement "
    "after 30% paid (secondary)"
)
K = ActionKind


class IllinoisRedemptionNotice(PostRepoNotice):
    """92 Ill. Adm. Code 1010.160 and 625 ILCS 5/3-114(f-5): a Notice of Redemption stating the intent
    to sell after 21 days from its mailing, with an Affidavit of Defense (personal-use vehicles)."""

    __slots__ = ()
    id = "US-IL.1010.160"
    citation = "92 Ill. Adm. Code 1010.160; 625 ILCS 5/3-114(f-5), (f-7)"
    kinds = frozenset({K.REDEMPTION_NOTICE, K.NOTICE_OF_SALE})


RULES: tuple[Rule, ...] = (IllinoisRedemptionNotice(min_days_before_sale=21),)
