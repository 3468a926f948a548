"""Loan terms: the validated, immutable description of a loan contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from autoloan._enums import parse_member
from autoloan.dates import DayCount, Frequency, coerce_date, due_dates, step
from autoloan.errors import InvalidInput, InvalidTerms
from autoloan.money import MoneyLike, Rounding, currency, from_minor, to_decimal, to_int, to_minor, to_rate

__all__ = ["LOAN_TERMS_FIELDS", "MAX_ANNUAL_RATE", "MAX_TERM", "Fee", "LoanTerms", "Method", "OddDays"]

#: Upper bound on ``annual_rate`` (1000 % a year): beyond it the input is almost surely a percent typed
#: as a fraction (``4.35`` for 4.35 %), which would silently produce absurd numbers.
MAX_ANNUAL_RATE = Decimal(10)
#: Upper bound on ``term`` (number of installments): 100 years of weekly payments.
MAX_TERM = 5200
_MAX_PRINCIPAL = Decimal(10) ** 15


#: The constructor arguments of :class:`LoanTerms`, in order (e.g. for loading terms from JSON).
LOAN_TERMS_FIELDS = (
    "principal",
    "annual_rate",
    "term",
    "start",
    "first_due",
    "frequency",
    "method",
    "day_count",
    "balloon",
    "interest_only_periods",
    "fees",
    "currency",
    "rounding",
    "payment_multiple",
    "odd_days",
)


class Method(str, Enum):
    """Repayment methods. Accepts its string value (``"annuity"``)."""

    ANNUITY = "annuity"
    EQUAL_PRINCIPAL = "equal_principal"
    INTEREST_ONLY = "interest_only"
    BULLET = "bullet"
    BALLOON = "balloon"
    FLAT = "flat"
    RULE_OF_78 = "rule_of_78"
    SIMPLE_INTEREST = "simple_interest"

    @property
    def label_en(self) -> str:
        return _METHOD_LABELS[self][0]

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self][1]

    @classmethod
    def parse(cls, value: Method | str, field: str = "method") -> Method:
        """Accept a member or its value (``"等额本息"`` and the other Chinese names work too)."""
        return parse_member(cls, value, field, aliases=_METHOD_ALIASES)


_METHOD_LABELS = {
    Method.ANNUITY: ("equal installment (annuity)", "等额本息"),
    Method.EQUAL_PRINCIPAL: ("equal principal", "等额本金"),
    Method.INTEREST_ONLY: ("interest only, principal at maturity", "先息后本"),
    Method.BULLET: ("bullet: principal and interest at maturity", "一次性还本付息"),
    Method.BALLOON: ("balloon", "尾款贷（气球贷）"),
    Method.FLAT: ("flat / add-on rate", "等本等息（手续费率）"),
    Method.RULE_OF_78: ("Rule of 78s (precomputed)", "78法则"),
    Method.SIMPLE_INTEREST: ("simple interest, daily accrual", "按日计息"),
}
_METHOD_ALIASES = {
    "level": "annuity",
    "level_payment": "annuity",
    "equal_installment": "annuity",
    "mortgage": "annuity",
    "add_on": "flat",
    "等本等息": "flat",
    "手续费率": "flat",
    "addon": "flat",
    "rule_of_78s": "rule_of_78",
    "rule78": "rule_of_78",
    "daily_simple_interest": "simple_interest",
    "simple": "simple_interest",
}


class OddDays(str, Enum):
    """What happens to the interest of an odd (longer or shorter) first period.

    The default is ``ADD`` for every method except ``simple_interest``, whose default is ``LAST``
    (the usual US daily-simple-interest contract: the first payment stays level).
    """

    ADD = "add"  # added to (or, for a short period, taken off) the first payment
    CAPITALIZE = "capitalize"  # added to the balance before amortizing (long first periods only)
    LAST = "last"  # left to the last payment, which absorbs the difference

    @property
    def label_en(self) -> str:
        return _ODD_LABELS[self][0]

    @property
    def label_zh(self) -> str:
        return _ODD_LABELS[self][1]

    @classmethod
    def parse(cls, value: OddDays | str, field: str = "odd_days") -> OddDays:
        """Accept a member, its value or its Chinese label."""
        return parse_member(cls, value, field, hint="use 'add', 'capitalize' or 'last'")


_ODD_LABELS = {
    OddDays.ADD: ("added to the first payment", "计入首期"),
    OddDays.CAPITALIZE: ("capitalized", "资本化（计入本金）"),
    OddDays.LAST: ("absorbed by the last payment", "计入末期"),
}


@dataclass(frozen=True, slots=True, init=False)
class Fee:
    """An upfront fee.

    ``financed`` fees are added to the amount the borrower repays; the others are
    paid in cash at signing. ``finance_charge`` fees (origination, points, 手续费)
    count as prepaid finance charges in the APR (12 CFR 1026.4); others (title,
    registration) do not.

    >>> Fee("origination", "500")
    Fee(name='origination', amount=Decimal('500'), financed=False, finance_charge=True)
    """

    name: str
    amount: Decimal
    financed: bool
    finance_charge: bool

    def __init__(
        self, name: str, amount: MoneyLike, financed: bool = False, finance_charge: bool = True
    ) -> None:
        put = object.__setattr__
        put(self, "name", name)
        put(self, "amount", amount)
        put(self, "financed", financed)
        put(self, "finance_charge", finance_charge)
        self.__post_init__()

    def __post_init__(self) -> None:
        try:
            self._validate()
        except InvalidTerms:
            raise
        except InvalidInput as err:
            raise InvalidTerms(err.field, err.value, err.reason) from None

    def _validate(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidTerms("fees.name", self.name, "must be a non-empty string")
        amount = to_decimal(self.amount, f"fees[{self.name}].amount")
        if amount < 0:
            raise InvalidTerms(f"fees[{self.name}].amount", self.amount, "must not be negative")
        object.__setattr__(self, "amount", amount)
        for flag in ("financed", "finance_charge"):
            if not isinstance(getattr(self, flag), bool):
                raise InvalidTerms(f"fees[{self.name}].{flag}", getattr(self, flag), "must be True or False")


@dataclass(frozen=True, slots=True, init=False)
class LoanTerms:
    """The terms of a loan, validated at construction.

    ``principal`` is the cash lent; financed fees are added to it to give the
    :attr:`note_amount` that is amortized. ``term`` is the number of payments
    (for ``bullet``, the number of periods to maturity). ``first_due`` defaults
    to one period after ``start``; any other date makes an odd first period, whose
    interest ``odd_days`` places (:class:`OddDays`; ``add`` by default, ``last`` for
    ``simple_interest``). ``annual_rate`` is a fraction (``0.0435``) or a percent string
    (``"4.35%"``); a bare number of 1 or more is refused (see :func:`autoloan.money.to_rate`).
    Every invalid field raises :class:`~autoloan.errors.InvalidTerms` naming it.

    >>> from datetime import date
    >>> t = LoanTerms(principal=150000, annual_rate="4.35%", term=60, start=date(2026, 1, 15), currency="CNY")
    >>> t.annual_rate, t.method.label_zh, t.due_dates()[0]
    (Decimal('0.0435'), '等额本息', datetime.date(2026, 2, 15))
    >>> LoanTerms(principal=0, annual_rate="0.05", term=12, start=date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidTerms: principal: must be greater than zero (got 0)
    """

    principal: Decimal
    annual_rate: Decimal
    term: int
    start: date
    first_due: date | None
    frequency: Frequency
    method: Method
    day_count: DayCount
    balloon: Decimal
    interest_only_periods: int
    fees: tuple[Fee, ...]
    currency: str
    rounding: Rounding
    payment_multiple: Decimal | None
    odd_days: OddDays
    _due: tuple[date, ...] | None = field(repr=False, compare=False)
    #: (note amount, balloon, payment multiple or 0) in minor units, kept from validation for amortize.
    minor_amounts: tuple[int, int, int] = field(repr=False, compare=False)

    def __init__(
        self,
        principal: MoneyLike,
        annual_rate: MoneyLike,
        term: int,
        start: date | str,
        first_due: date | str | None = None,
        frequency: Frequency | str = Frequency.MONTHLY,
        method: Method | str = Method.ANNUITY,
        day_count: DayCount | str | None = None,
        balloon: MoneyLike = 0,
        interest_only_periods: int = 0,
        fees: Iterable[Fee] = (),
        currency: str = "USD",
        rounding: Rounding | str = Rounding.HALF_UP,
        payment_multiple: MoneyLike | None = None,
        odd_days: OddDays | str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "principal", principal)
        put(self, "annual_rate", annual_rate)
        put(self, "term", term)
        put(self, "start", start)
        put(self, "first_due", first_due)
        put(self, "frequency", frequency)
        put(self, "method", method)
        put(self, "day_count", day_count)
        put(self, "balloon", balloon)
        put(self, "interest_only_periods", interest_only_periods)
        put(self, "fees", fees)
        put(self, "currency", currency)
        put(self, "rounding", rounding)
        put(self, "payment_multiple", payment_multiple)
        put(self, "odd_days", odd_days)
        put(self, "_due", None)
        put(self, "minor_amounts", (0, 0, 0))
        self.__post_init__()

    def __post_init__(self) -> None:
        try:
            self._validate()
        except InvalidTerms:
            raise
        except InvalidInput as err:  # the error class follows the object: bad terms are InvalidTerms
            raise InvalidTerms(err.field, err.value, err.reason) from None

    def _validate(self) -> None:
        put = object.__setattr__
        cur = currency(self.currency)
        put(self, "currency", cur.code)
        put(self, "rounding", Rounding.parse(self.rounding))
        put(self, "frequency", Frequency.parse(self.frequency))
        put(self, "method", Method.parse(self.method))
        odd_days: OddDays | str | None = self.odd_days
        if odd_days is None:
            odd_days = OddDays.LAST if self.method is Method.SIMPLE_INTEREST else OddDays.ADD
        put(self, "odd_days", OddDays.parse(odd_days))
        day_count: DayCount | str | None = self.day_count
        if day_count is None:
            default = DayCount.ACT_365F if self.method is Method.SIMPLE_INTEREST else DayCount.THIRTY_360
            put(self, "day_count", default)
        else:
            put(self, "day_count", DayCount.parse(day_count))

        principal = to_decimal(self.principal, "principal")
        if principal <= 0:
            raise InvalidTerms("principal", self.principal, "must be greater than zero")
        if principal > _MAX_PRINCIPAL:
            raise InvalidTerms("principal", self.principal, f"must be at most {_MAX_PRINCIPAL:,}")
        principal_units = to_minor(principal, cur, "principal")
        put(self, "principal", principal)

        rate = to_rate(self.annual_rate, "annual_rate")
        if rate < 0:
            raise InvalidTerms("annual_rate", self.annual_rate, "must not be negative")
        if rate > MAX_ANNUAL_RATE:
            raise InvalidTerms("annual_rate", self.annual_rate, "must be at most 1000 % a year")
        put(self, "annual_rate", rate)

        put(self, "term", to_int(self.term, "term", 1, MAX_TERM))

        put(self, "start", coerce_date(self.start, "start"))
        if self.first_due is not None:
            first_due = coerce_date(self.first_due, "first_due")
            if first_due <= self.start:
                raise InvalidTerms("first_due", self.first_due, f"must be after start ({self.start})")
            if first_due > step(self.start, 12, Frequency.MONTHLY) and first_due > step(
                self.start, 2, self.frequency
            ):
                raise InvalidTerms(
                    "first_due", self.first_due, "is more than a year and two periods after start"
                )
            put(self, "first_due", first_due)

        balloon = to_decimal(self.balloon, "balloon")
        if balloon < 0:
            raise InvalidTerms("balloon", self.balloon, "must not be negative")
        balloon_units = to_minor(balloon, cur, "balloon")
        put(self, "balloon", balloon)

        put(self, "interest_only_periods", to_int(self.interest_only_periods, "interest_only_periods", 0))
        if self.interest_only_periods >= self.term:
            raise InvalidTerms(
                "interest_only_periods",
                self.interest_only_periods,
                f"must be between 0 and term - 1 ({self.term - 1})",
            )

        if isinstance(self.fees, Fee):
            put(self, "fees", (self.fees,))
        try:
            fees = tuple(self.fees)
        except TypeError:
            raise InvalidTerms("fees", self.fees, "must be a sequence of Fee") from None
        note_units = principal_units
        for i, fee in enumerate(fees):
            if not isinstance(fee, Fee):
                raise InvalidTerms(f"fees[{i}]", fee, "must be a Fee")
            fee_units = to_minor(fee.amount, cur, f"fees[{i}].amount")
            if fee.financed:
                note_units += fee_units
        put(self, "fees", fees)

        if self.payment_multiple is not None:
            multiple = to_decimal(self.payment_multiple, "payment_multiple")
            if multiple <= 0:
                raise InvalidTerms("payment_multiple", self.payment_multiple, "must be greater than zero")
            multiple_units = to_minor(multiple, cur, "payment_multiple")
            put(self, "payment_multiple", multiple)
        else:
            multiple_units = 0
        put(self, "minor_amounts", (note_units, balloon_units, multiple_units))

        note = self.note_amount
        self._check_method(note, balloon)
        self._check_calendar()
        put(self, "_due", None)  # computed on first use (amortize, due_dates()), from the validated anchor

    def _check_method(self, note: Decimal, balloon: Decimal) -> None:
        method = self.method
        if method is Method.BALLOON and balloon <= 0:
            raise InvalidTerms(
                "balloon", self.balloon, "the balloon method needs a balloon greater than zero"
            )
        if balloon > 0 and method not in (Method.ANNUITY, Method.BALLOON, Method.EQUAL_PRINCIPAL):
            raise InvalidTerms("balloon", self.balloon, f"is not supported by the {method.value} method")
        if balloon >= note:
            raise InvalidTerms("balloon", self.balloon, f"must be less than the amount financed ({note})")
        if self.interest_only_periods and method not in (
            Method.ANNUITY,
            Method.BALLOON,
            Method.EQUAL_PRINCIPAL,
            Method.SIMPLE_INTEREST,
        ):
            raise InvalidTerms(
                "interest_only_periods",
                self.interest_only_periods,
                f"is not supported by the {method.value} method",
            )

    def _anchor(self) -> tuple[date, int]:
        """The date due dates are stepped from and the period number of the first due date."""
        if self.first_due is None or self.first_due == step(self.start, 1, self.frequency):
            return self.start, 1
        return self.first_due, 0

    def _check_calendar(self) -> None:
        """The last due date must exist: one step from the anchor (the series itself is built lazily)."""
        anchor, skip = self._anchor()
        try:
            step(anchor, skip + self.term - 1, self.frequency)
        except InvalidInput:
            raise InvalidTerms("term", self.term, "the last due date would be past the year 9999") from None

    def _compute_due_dates(self) -> tuple[date, ...]:
        anchor, skip = self._anchor()
        return tuple(due_dates(anchor, self.term, self.frequency, skip=skip))

    # -- derived values --------------------------------------------------------------------------------

    @property
    def financed_fees(self) -> Decimal:
        """Sum of the fees added to the amount repaid."""
        return sum((f.amount for f in self.fees if f.financed), Decimal(0))

    @property
    def prepaid_finance_charges(self) -> Decimal:
        """Sum of the fees that are finance charges (financed or paid at signing)."""
        return sum((f.amount for f in self.fees if f.finance_charge), Decimal(0))

    @property
    def note_amount(self) -> Decimal:
        """The amount amortized: principal plus financed fees."""
        return self.principal + self.financed_fees if self.fees else self.principal

    @property
    def amount_financed(self) -> Decimal:
        """Amount financed in the Regulation Z sense (12 CFR 1026.18(b)).

        The note amount less prepaid finance charges, whether those were financed or paid at signing.

        >>> from datetime import date
        >>> LoanTerms(principal=10000, annual_rate="0.06", term=36, start=date(2026, 1, 1),
        ...           fees=(Fee("origination", 300, financed=True),)).amount_financed
        Decimal('10000')
        """
        return self.note_amount - self.prepaid_finance_charges

    @property
    def periodic_rate(self) -> Fraction:
        """The exact nominal rate per period: ``annual_rate / periods_per_year``."""
        n, d = self.annual_rate.as_integer_ratio()
        return Fraction(n, d * self.frequency.periods_per_year)

    def due_dates(self) -> tuple[date, ...]:
        """The ``term`` due dates, anchored to ``start`` (or to ``first_due`` when it is irregular)."""
        due = self._due
        if due is None:
            due = self._compute_due_dates()
            object.__setattr__(self, "_due", due)
        return due

    @property
    def maturity(self) -> date:
        """The last due date."""
        due = self._due
        if due is None:
            anchor, skip = self._anchor()
            return step(anchor, skip + self.term - 1, self.frequency)
        return due[-1]

    @property
    def regular_first_due(self) -> date:
        """The first due date of a loan with no odd first period: one period after ``start``."""
        return step(self.start, 1, self.frequency)

    def amount(self, minor_units: int) -> Decimal:
        """Minor units of this loan's currency as a Decimal."""
        return from_minor(minor_units, self.currency)

    def replace(self, **changes: Any) -> LoanTerms:
        """A copy with some fields changed (validated again)."""
        values = {name: getattr(self, name) for name in LOAN_TERMS_FIELDS}
        unknown = set(changes) - set(values)
        if unknown:
            raise InvalidTerms("replace", sorted(unknown), "unknown LoanTerms fields")
        if self.annual_rate >= 1:  # a rate of 100 % or more is only taken as a percent string
            values["annual_rate"] = f"{self.annual_rate.scaleb(2)}%"
        values.update(changes)
        return LoanTerms(**values)
