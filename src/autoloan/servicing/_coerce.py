"""Coercion shared by the servicing rules: shares of one (a late-fee percent, a 罚息 markup, a threshold).

A share is a fraction (``0.05`` is 5 %) or a percent string (``"5%"``, ``"5％"``, ``"0.5‰"``); unlike an
annual rate, exactly 1 (100 %) is a valid share.

>>> share("90%", "rules.threshold", "must be greater than 0 and at most 1"), share(1, "x", "")
(Decimal('0.90'), Decimal('1'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from autoloan.errors import InvalidInput
from autoloan.money import to_decimal, to_rate

__all__ = ["share"]


def share(
    value: Any, field: str, reason: str, *, low: Decimal = Decimal(0), open_low: bool = False
) -> Decimal:
    """``value`` as a Decimal share between 0 and 1 (``open_low``: above 0); else ``reason``."""
    if isinstance(value, str) and value.strip()[-1:] in ("%", "％", "‰"):
        number = to_rate(value, field)
    else:
        number = to_decimal(value, field)
    if not (number > 0 if open_low else number >= 0) or number > 1:
        raise InvalidInput(field, value, reason)
    return number
