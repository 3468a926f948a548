"""Payments as they really arrive: a date, an amount, an optional reference, and reversals.

A reversal (NSF cheque, ACH return, card chargeback) names the payment it undoes by
``reversal_of``. Reverse-and-replay: from the reversal's own date on, the original
payment is treated as if it had never been made, so interest, 罚息 and late fees are
recomputed from the original payment's date; before the reversal date the payment
counts as received. This is how servicing systems re-post an NSF (compare Apache
Fineract's chargeback handling, FINERACT-1706, apache/fineract PR #2668).

>>> from datetime import date
>>> from autoloan.servicing import Payment
>>> p = Payment(date(2026, 2, 15), "2784.56", reference="T1")
>>> p.amount, p.is_reversal
(Decimal('2784.56'), False)
>>> Payment(date(2026, 2, 20), "2784.56", reversal_of="T1").is_reversal
True
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal
from typing import Any

from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import MoneyLike, to_decimal

__all__ = ["Payment"]


@dataclass(frozen=True, slots=True, init=False)
class Payment:
    """One payment received (or, with ``reversal_of``, the reversal of one).

    ``amount`` is positive and in the loan's currency; a reversal carries the
    amount of the payment it reverses. ``reference`` must be unique within one
    account's history when given; a reversal needs the original's reference.

    >>> from datetime import date
    >>> Payment(date(2026, 3, 1), 0)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: payment.amount: must be greater than zero (got 0)
    """

    date: _dt.date
    amount: Decimal
    _: KW_ONLY
    reference: str | None = None
    reversal_of: str | None = None
    ordinal: int = field(default=0, init=False, repr=False, compare=False)
    """``date.toordinal()``, kept for posting."""
    minor: tuple[int, int] = field(default=(-1, 0), init=False, repr=False, compare=False)
    """``(digits, units)``: the amount in minor units at the last precision asked of :meth:`minor_units`."""

    def __init__(
        self,
        date: _dt.date | str,
        amount: MoneyLike,
        *,
        reference: str | None = None,
        reversal_of: str | None = None,
    ) -> None:
        # Written out (not generated) so that type checkers accept str/int amounts and ISO dates.
        put = object.__setattr__
        put(self, "date", date)
        put(self, "amount", amount)
        put(self, "reference", reference)
        put(self, "reversal_of", reversal_of)
        put(self, "ordinal", 0)
        put(self, "minor", (-1, 0))
        self.__post_init__()

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", coerce_date(self.date, "payment.date"))
        object.__setattr__(self, "ordinal", self.date.toordinal())
        amount = to_decimal(self.amount, "payment.amount")
        if amount <= 0:
            raise InvalidInput("payment.amount", self.amount, "must be greater than zero")
        object.__setattr__(self, "amount", amount)
        for name in ("reference", "reversal_of"):
            value: Any = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise InvalidInput(f"payment.{name}", value, "must be a non-empty string or None")
        if self.reversal_of is not None and self.reversal_of == self.reference:
            raise InvalidInput("payment.reversal_of", self.reversal_of, "a payment cannot reverse itself")

    def minor_units(self, digits: int) -> int:
        """The amount in minor units of a currency with ``digits`` decimals (cached per object).

        >>> Payment("2026-03-01", "12.34").minor_units(2)
        1234
        """
        cached = self.minor
        if cached[0] == digits:
            return cached[1]
        scaled = self.amount.scaleb(digits)
        if scaled != scaled.to_integral_value():
            raise InvalidInput(
                "payment.amount", self.amount, f"has more than {digits} decimals for the loan's currency"
            )
        units = int(scaled)
        object.__setattr__(self, "minor", (digits, units))
        return units

    @property
    def is_reversal(self) -> bool:
        """True for an NSF / chargeback reversal of an earlier payment."""
        return self.reversal_of is not None
