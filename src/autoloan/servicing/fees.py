"""Late fees and penalty interest (罚息), as data.

:class:`LateFeeRule` — a one-time charge per installment still unpaid after a
grace period: a flat amount and/or a percentage of the installment, with minimum
and maximum caps. Late-fee caps are state law and contract terms, so autoloan
ships no hard-coded caps; :meth:`LateFeeRule.alabama_small_loan` is an example
profile (Ala. Code § 5-18-15.1: a charge "not to exceed the greater of eighteen
dollars ($18) or five percent of the scheduled payment in default" once a
scheduled payment is delinquent for 10 or more days).

:class:`PenaltyInterestRule` — 罚息: daily penalty interest on overdue principal
at the contract rate raised by a markup, with optional 复利 on overdue interest.
PBoC 银发〔2003〕251号 (effective 2004-01-01): "逾期贷款罚息利率 … 改为在借款合同载明的贷款利率
水平上加收30%-50%"; "对逾期…的贷款，从逾期…之日起，按罚息利率计收利息，直至清偿本息为止。对不能
按时支付的利息，按罚息利率计收复利" (text as quoted at https://aolonic.com/aa/4ddaa54k44dgga1gk1.html
and https://shdqb.com/jingyan/v6dp4e.html).

>>> from decimal import Decimal
>>> from autoloan.servicing.fees import LateFeeRule, PenaltyInterestRule
>>> LateFeeRule(grace_days=10, percent="0.05", minimum=18).fee_minor(20000, 20000, "USD")
1800
>>> PenaltyInterestRule(markup="0.5").daily_rate(Decimal("0.0435"))
Decimal('0.00018125')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from autoloan._enums import parse_member
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, Currency, MoneyLike, round_fraction, to_decimal, to_minor, to_rate
from autoloan.servicing._coerce import share

__all__ = ["FeeBasis", "LateFeeRule", "PenaltyInterestRule"]


class FeeBasis(str, Enum):
    """What a percentage late fee is a percentage of.

    >>> FeeBasis.parse("unpaid").label_en
    'the unpaid part of the installment'
    """

    INSTALLMENT = "installment"
    UNPAID = "unpaid"

    @property
    def label_en(self) -> str:
        return (
            "the scheduled installment"
            if self is FeeBasis.INSTALLMENT
            else "the unpaid part of the installment"
        )

    @property
    def label_zh(self) -> str:
        return "当期应还金额" if self is FeeBasis.INSTALLMENT else "当期未还金额"

    @classmethod
    def parse(cls, value: FeeBasis | str, field: str = "late_fee.basis") -> FeeBasis:
        return parse_member(cls, value, field, hint="use 'installment' or 'unpaid'")


def _money(value: Any, field: str) -> Decimal:
    amount = to_decimal(value, field)
    if amount < 0:
        raise InvalidInput(field, value, "must not be negative")
    return amount


def _days(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3660:
        raise InvalidInput(field, value, "must be a whole number of days between 0 and 3660")
    return value


@dataclass(frozen=True, slots=True)
class LateFeeRule:
    """A late charge: assessed once per installment unpaid at the end of ``grace_days``.

    The fee is ``flat + percent × basis``, raised to ``minimum`` and capped at
    ``maximum`` (``None``: no cap). It is assessed on the day after the grace
    period (due date + ``grace_days`` + 1) if any scheduled principal, interest or
    fee of that installment is still unpaid then. Amounts are in the loan's
    currency. Unless ``pyramiding`` is allowed, no fee is charged when the only
    shortfall is earlier late fees taken out of later payments (FTC Credit Practices
    Rule, 16 CFR 444.4(a): no delinquency charge on a payment "otherwise a full
    payment ... when the only delinquency is attributable to late fee(s) ... assessed
    on earlier installment(s)"). A missed payment still draws a fee every month it
    stays unpaid (allowed, per the agencies' Q&A on the rule).

    >>> LateFeeRule(grace_days=15, flat=25).fee_minor(50000, 100, "USD")
    2500
    >>> LateFeeRule(percent="0.05", maximum=10).fee_minor(50000, 50000, "USD")
    1000
    >>> LateFeeRule(percent="5")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: late_fee.percent: is a fraction (0.05 = 5 %); must be ... (got '5')
    """

    grace_days: int = 10
    flat: Decimal = Decimal(0)
    percent: Decimal = Decimal(0)
    minimum: Decimal = Decimal(0)
    maximum: Decimal | None = None
    basis: FeeBasis = FeeBasis.INSTALLMENT
    citation: str = ""
    pyramiding: bool = False

    def __post_init__(self) -> None:
        put = object.__setattr__
        if not isinstance(self.pyramiding, bool):
            raise InvalidInput("late_fee.pyramiding", self.pyramiding, "must be True or False")
        put(self, "grace_days", _days(self.grace_days, "late_fee.grace_days"))
        put(self, "flat", _money(self.flat, "late_fee.flat"))
        pct = share(self.percent, "late_fee.percent", "is a fraction (0.05 = 5 %); must be between 0 and 1")
        put(self, "percent", pct)
        put(self, "minimum", _money(self.minimum, "late_fee.minimum"))
        if self.maximum is not None:
            put(self, "maximum", _money(self.maximum, "late_fee.maximum"))
            if self.maximum < self.minimum:
                raise InvalidInput("late_fee.maximum", self.maximum, f"is below the minimum ({self.minimum})")
        put(self, "basis", FeeBasis.parse(self.basis))
        if not isinstance(self.citation, str):
            raise InvalidInput("late_fee.citation", self.citation, "must be a string")

    def fee_minor(self, installment: int, unpaid: int, code: Currency | str) -> int:
        """The fee in minor units for an installment of ``installment`` with ``unpaid`` still owed."""
        base = installment if self.basis is FeeBasis.INSTALLMENT else unpaid
        n, d = self.percent.as_integer_ratio()
        fee = to_minor(self.flat, code, "late_fee.flat") + round_fraction(base * n, d)
        fee = max(fee, to_minor(self.minimum, code, "late_fee.minimum"))
        if self.maximum is not None:
            fee = min(fee, to_minor(self.maximum, code, "late_fee.maximum"))
        return fee

    @classmethod
    def alabama_small_loan(cls) -> LateFeeRule:
        """Example profile: the greater of $18 or 5 % of the scheduled payment, after 10 days.

        Ala. Code § 5-18-15.1 (Alabama Small Loan Act, contracts after June 7, 2007), text at
        https://law.justia.com/codes/alabama/2018/title-5/chapter-18/section-5-18-15.1/ — "delinquent
        for 10 or more days" is read as unpaid at the end of the 10th day after the due date.

        >>> LateFeeRule.alabama_small_loan().fee_minor(30000, 30000, "USD")
        1800
        """
        return cls(
            grace_days=10,
            percent=Decimal("0.05"),
            minimum=Decimal(18),
            citation="Ala. Code § 5-18-15.1",
        )


@dataclass(frozen=True, slots=True)
class PenaltyInterestRule:
    """罚息: daily penalty interest on overdue amounts.

    Daily rate = contract annual rate × (1 + ``markup``) / ``day_basis``, or a
    fixed ``daily_rate`` (e.g. 万分之五, ``"0.0005"``) when given. It accrues
    from the due date (the first overdue day counts one day) until paid, on
    overdue principal, and, with ``compound`` (复利), on overdue interest too.
    For daily simple-interest loans it accrues on the unpaid installment amount.

    >>> r = PenaltyInterestRule(markup="0.3", day_basis=360)
    >>> r.daily_fraction(Decimal("0.06"))
    Fraction(13, 60000)
    >>> PenaltyInterestRule(markup="1.5")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: penalty.markup: must be between 0 and 1 (0.5 = +50 %) (got '1.5')
    """

    markup: Decimal = Decimal("0.5")
    compound: bool = True
    day_basis: int = 360
    daily_rate_override: Decimal | None = None
    citation: str = (
        "中国人民银行 银发〔2003〕251号 (逾期贷款罚息利率: 合同利率加收30%-50%；对不能按时支付的利息计收复利)"
    )

    def __post_init__(self) -> None:
        markup = share(self.markup, "penalty.markup", "must be between 0 and 1 (0.5 = +50 %)")
        object.__setattr__(self, "markup", markup)
        if not isinstance(self.compound, bool):
            raise InvalidInput("penalty.compound", self.compound, "must be True or False")
        basis: Any = self.day_basis
        if isinstance(basis, bool) or not isinstance(basis, int) or basis not in (360, 365):
            raise InvalidInput("penalty.day_basis", self.day_basis, "must be 360 or 365")
        if self.daily_rate_override is not None:
            rate = to_rate(self.daily_rate_override, "penalty.daily_rate_override")
            if not 0 <= rate <= Decimal("0.01"):
                raise InvalidInput(
                    "penalty.daily_rate_override", self.daily_rate_override, "must be between 0 and 0.01"
                )
            object.__setattr__(self, "daily_rate_override", rate)

    def daily_fraction(self, annual_rate: Decimal) -> Fraction:
        """The exact daily penalty rate for a loan at ``annual_rate``."""
        if self.daily_rate_override is not None:
            return Fraction(*self.daily_rate_override.as_integer_ratio())
        return (
            Fraction(*annual_rate.as_integer_ratio())
            * (1 + Fraction(*self.markup.as_integer_ratio()))
            / self.day_basis
        )

    def daily_rate(self, annual_rate: MoneyLike) -> Decimal:
        """The daily penalty rate as a Decimal (50 significant digits)."""
        f = self.daily_fraction(to_rate(annual_rate))
        return CONTEXT.divide(Decimal(f.numerator), Decimal(f.denominator))
