"""Money: Decimal coercion, currencies and their minor units, explicit rounding.

autoloan never touches the global :mod:`decimal` context: every operation that
needs a precision or a rounding mode passes it explicitly.

>>> from autoloan.money import to_decimal, quantize, Rounding
>>> to_decimal(0.1), to_decimal("1,234.50"), to_decimal(7)
(Decimal('0.1'), Decimal('1234.50'), Decimal('7'))
>>> quantize("2.345", "CNY"), quantize("2.345", "CNY", Rounding.HALF_EVEN)
(Decimal('2.35'), Decimal('2.34'))
>>> quantize("1234.5", "JPY")
Decimal('1235')
"""

from __future__ import annotations

import decimal
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from autoloan._enums import normalize, parse_member
from autoloan.errors import InvalidInput

__all__ = [
    "CONTEXT",
    "CURRENCIES",
    "MAX_EXPONENT",
    "Currency",
    "MoneyLike",
    "Rounding",
    "currency",
    "from_minor",
    "quantize",
    "round_fraction",
    "to_decimal",
    "to_int",
    "to_minor",
    "to_rate",
]

MoneyLike = int | str | Decimal | float
"""What autoloan accepts wherever an amount or a rate is expected."""

#: The explicit context autoloan uses for intermediate Decimal arithmetic.
CONTEXT = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN, Emin=-999999, Emax=999999)


class Rounding(str, Enum):
    """Rounding modes, named as in :mod:`decimal` (``"half_up"`` is accepted too)."""

    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    HALF_DOWN = "half_down"
    UP = "up"
    DOWN = "down"
    CEILING = "ceiling"
    FLOOR = "floor"

    @property
    def decimal_mode(self) -> str:
        """The :mod:`decimal` constant for this mode (e.g. ``ROUND_HALF_UP``)."""
        return _DECIMAL_MODES[self]

    @classmethod
    def parse(cls, value: Rounding | str, field: str = "rounding") -> Rounding:
        """Accept a member, its value, or a :mod:`decimal` constant name."""
        return parse_member(cls, value, field, key=lambda text: normalize(text).removeprefix("round_"))


_DECIMAL_MODES = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.HALF_DOWN: decimal.ROUND_HALF_DOWN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.DOWN: decimal.ROUND_DOWN,
    Rounding.CEILING: decimal.ROUND_CEILING,
    Rounding.FLOOR: decimal.ROUND_FLOOR,
}


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and the number of digits of its minor unit."""

    code: str
    minor_units: int
    name_en: str
    name_zh: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or len(self.code) != 3 or not self.code.isalpha():
            raise InvalidInput("code", self.code, "must be a three-letter ISO 4217 code")
        units = self.minor_units
        if isinstance(units, bool) or not isinstance(units, int) or not 0 <= units <= 4:
            raise InvalidInput("minor_units", units, "must be a whole number from 0 to 4")
        for name in ("name_en", "name_zh"):
            if not isinstance(getattr(self, name), str):
                raise InvalidInput(name, getattr(self, name), "must be a string")

    @property
    def exponent(self) -> Decimal:
        """The quantum of one minor unit: ``Decimal('0.01')`` for 2 digits."""
        return Decimal(1).scaleb(-self.minor_units)

    @property
    def scale(self) -> int:
        """Minor units per major unit (100 for USD, 1 for JPY)."""
        return int(10**self.minor_units)


# ISO 4217 minor units (the "E" column of the ISO 4217 list of currency codes).
CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        Currency("CNY", 2, "Chinese yuan", "人民币"),
        Currency("USD", 2, "US dollar", "美元"),
        Currency("EUR", 2, "Euro", "欧元"),
        Currency("GBP", 2, "Pound sterling", "英镑"),
        Currency("HKD", 2, "Hong Kong dollar", "港元"),
        Currency("JPY", 0, "Japanese yen", "日元"),
        Currency("CAD", 2, "Canadian dollar", "加元"),
        Currency("AUD", 2, "Australian dollar", "澳元"),
        Currency("SGD", 2, "Singapore dollar", "新加坡元"),
        Currency("KRW", 0, "South Korean won", "韩元"),
        Currency("CHF", 2, "Swiss franc", "瑞士法郎"),
        Currency("MOP", 2, "Macanese pataca", "澳门元"),
        Currency("TWD", 2, "New Taiwan dollar", "新台币"),
        Currency("KWD", 3, "Kuwaiti dinar", "科威特第纳尔"),
    )
}


def currency(code: Currency | str, field: str = "currency") -> Currency:
    """Look up a currency by ISO code (case-insensitive).

    >>> currency("cny").minor_units
    2
    """
    if isinstance(code, Currency):
        return code
    if isinstance(code, str):
        found = CURRENCIES.get(code.strip().upper())
        if found is not None:
            return found
    raise InvalidInput(field, code, "unknown currency; known: " + ", ".join(sorted(CURRENCIES)))


#: The largest decimal exponent autoloan takes in an amount or rate (``1e999999999`` is refused, not an
#: overflow later): far beyond any real amount, within what :data:`CONTEXT` computes with.
MAX_EXPONENT = 100_000


def _numpy_scalar(value: Any, field: str) -> Decimal:
    """A numpy scalar (or 0-d array) as a Decimal, without importing numpy (duck-typed on ``dtype``)."""
    if getattr(value, "ndim", 0) != 0:
        raise InvalidInput(field, value, "must be a single number, not an array")
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if type(value).__name__ == "ndarray":  # a 0-d array: its one element
        value = value[()]
    if kind == "f":  # numpy's str() of a float is its shortest repr at its own precision (float32 too)
        return Decimal(str(value))
    if kind in ("i", "u"):
        return Decimal(int(value))
    if kind == "b":
        raise InvalidInput(field, value, "not a number (a boolean)")
    raise InvalidInput(field, value, "not a number")


def _missing(value: Any) -> bool:
    """pandas.NA, pandas.NaT and similar missing-value markers (duck-typed, pandas is optional)."""
    module = type(value).__module__
    return module.startswith("pandas") and type(value).__name__ in ("NAType", "NaTType")


def to_decimal(value: Any, field: str = "amount") -> Decimal:
    """Coerce ``int``, ``str``, ``Decimal``, ``float`` or a numpy number to a finite ``Decimal``.

    A float is taken by its shortest repr (``0.1`` → ``Decimal('0.1')``), so ``0.0435`` means what
    the user typed; numpy floats the same way (``np.float64(1234.56)`` → ``Decimal('1234.56')``,
    a ``float32`` by its own shortest repr), numpy integers exactly. numpy is never imported: any
    object whose type lives in numpy and has a ``dtype`` is read as a scalar. Strings may carry
    thousands separators (``"1,234.50"``), full-width digits and surrounding spaces. ``bool``,
    arrays, NaN, infinities, ``pandas.NA`` and exponents beyond :data:`MAX_EXPONENT` are refused
    with :class:`~autoloan.errors.InvalidInput` naming ``field``.

    >>> to_decimal("  42 ")
    Decimal('42')
    >>> to_decimal("abc", "principal")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: principal: not a number (got 'abc')
    """
    cls = type(value)
    result: Decimal
    if cls is Decimal:
        result = value
    elif cls is int:
        result = Decimal(value)
    elif cls is str:
        text = value if value.isascii() else unicodedata.normalize("NFKC", value)
        text = text.strip().replace(",", "").replace("_", "")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise InvalidInput(field, value, "not a number") from None
    elif isinstance(value, bool):
        raise InvalidInput(field, value, "not a number (a boolean)")
    elif isinstance(value, float):  # also numpy.float64, a float subclass: its float repr is the shortest
        result = Decimal(float.__repr__(value))
    elif isinstance(value, Decimal):
        result = Decimal(value)
    elif isinstance(value, int):
        result = Decimal(int(value))
    elif cls.__module__ == "numpy":
        result = _numpy_scalar(value, field)
    elif _missing(value):
        raise InvalidInput(field, value, "is missing (NA)")
    else:
        raise InvalidInput(field, value, "not a number")
    if not result.is_finite():
        raise InvalidInput(field, value, "must be a finite number (not NaN or infinity)")
    if result and not -MAX_EXPONENT <= result.adjusted() <= MAX_EXPONENT:
        raise InvalidInput(field, value, f"is out of range (exponent beyond ±{MAX_EXPONENT})")
    return result


def to_rate(value: Any, field: str = "annual_rate") -> Decimal:
    """Coerce a rate given as a fraction, or as a string with ``%`` (also full-width ``％``) or ``‰``.

    A bare number is a fraction: ``0.0435`` is 4.35 %. A bare number of 1 or more (``4.35``, also as
    the plain string ``"4.35"``, a Decimal or a numpy number) is refused, because it is almost always
    a percent typed without its sign and would silently mean 435 %. A rate of 100 % or more is written
    as a percent string: ``"435%"``.

    >>> to_rate("4.35%"), to_rate("0.0435"), to_rate(0.0435), to_rate("0.5‰"), to_rate("4.35％")
    (Decimal('0.0435'), Decimal('0.0435'), Decimal('0.0435'), Decimal('0.0005'), Decimal('0.0435'))
    >>> to_rate("435%")
    Decimal('4.35')
    >>> to_rate(4.35)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: annual_rate: a bare number is a fraction (0.0435 = 4.35 %), so this \
would be 435 % a year; did you mean 0.0435 or "4.35%"? (got 4.35)
    """
    if isinstance(value, str):
        text = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
        for suffix, scale in (("%", 2), ("‰", 3)):
            if text.endswith(suffix):
                try:
                    number = to_decimal(text[: -len(suffix)], field)
                except InvalidInput as err:  # show the value as written, with its percent sign
                    raise InvalidInput(field, value, err.reason) from None
                return number.scaleb(-scale, context=CONTEXT)
    rate = to_decimal(value, field)
    if abs(rate) >= 1:
        shown = _plain(rate)
        raise InvalidInput(
            field,
            value,
            f"a bare number is a fraction (0.0435 = 4.35 %), so this would be {_plain(rate.scaleb(2))} % "
            f'a year; did you mean {_plain(rate.scaleb(-2))} or "{shown}%"?',
        )
    return rate


def _plain(value: Decimal) -> str:
    """A Decimal in plain notation (no exponent), for messages."""
    return f"{value.normalize(context=CONTEXT):f}"


def quantize(
    amount: Any, code: Currency | str = "USD", rounding: Rounding | str = Rounding.HALF_UP
) -> Decimal:
    """Round ``amount`` to the currency's minor unit with an explicit mode.

    >>> quantize(1e308)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: amount: too large to hold to the minor unit in 50 digits (got 1e+308)
    """
    cur = currency(code)
    mode = Rounding.parse(rounding)
    value = to_decimal(amount)
    try:
        return value.quantize(cur.exponent, rounding=mode.decimal_mode, context=CONTEXT)
    except decimal.InvalidOperation:
        raise InvalidInput(
            "amount", amount, f"too large to hold to the minor unit in {CONTEXT.prec} digits"
        ) from None


def round_fraction(num: int, den: int, rounding: Rounding = Rounding.HALF_UP) -> int:
    """Round the exact rational ``num / den`` to an integer with ``rounding``.

    This is the integer core of autoloan's arithmetic: amounts are held in
    minor units and rates as exact fractions, so a whole schedule is computed
    without any binary floating point.

    >>> round_fraction(5, 2), round_fraction(-5, 2), round_fraction(5, 2, Rounding.HALF_EVEN)
    (3, -3, 2)
    """
    if type(num) is not int or type(den) is not int:
        num, den = _whole(num, "num"), _whole(den, "den")
    if type(rounding) is not Rounding:
        rounding = Rounding.parse(rounding)
    if den == 0:
        raise InvalidInput("den", den, "division by zero")
    if den < 0:
        num, den = -num, -den
    q, r = divmod(num, den)  # floor division: 0 <= r < den
    if r == 0:
        return q
    twice = 2 * r
    if rounding is Rounding.HALF_UP:
        return q + 1 if (twice > den or (twice == den and q >= 0)) else q
    if rounding is Rounding.HALF_EVEN:
        return q + 1 if (twice > den or (twice == den and q % 2 == 1)) else q
    if rounding is Rounding.HALF_DOWN:
        return q + 1 if (twice > den or (twice == den and q < 0)) else q
    if rounding is Rounding.FLOOR:
        return q
    if rounding is Rounding.CEILING:
        return q + 1
    if rounding is Rounding.DOWN:
        return q + 1 if q < 0 else q
    return q if q < 0 else q + 1  # UP: away from zero


def to_minor(amount: Any, code: Currency | str = "USD", field: str = "amount") -> int:
    """An exact amount in minor units; refuses amounts finer than the currency allows.

    >>> to_minor("12.34", "USD"), to_minor(500, "JPY")
    (1234, 500)
    """
    cur = currency(code)
    if type(amount) is int:
        return amount * cur.scale
    value = to_decimal(amount, field)
    scaled = value.scaleb(cur.minor_units, context=CONTEXT)
    if scaled != scaled.to_integral_value(context=CONTEXT):
        raise InvalidInput(field, amount, f"has more decimals than {cur.code} allows ({cur.minor_units})")
    return int(scaled)


def from_minor(units: int, code: Currency | str = "USD") -> Decimal:
    """Minor units back to a Decimal with the currency's exponent.

    >>> from_minor(1234, "USD"), from_minor(-5, "CNY"), from_minor(7, "JPY")
    (Decimal('12.34'), Decimal('-0.05'), Decimal('7'))
    """
    cur = currency(code)
    if type(units) is not int:
        units = _whole(units, "units")
    if not -_MAX_UNITS < units < _MAX_UNITS:
        raise InvalidInput("units", units, f"has more than {CONTEXT.prec} digits")
    return Decimal(units).scaleb(-cur.minor_units, context=CONTEXT)


_MAX_UNITS = 10**50  # CONTEXT.prec digits: larger amounts could not be shown exactly


def to_int(value: Any, field: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number (``int`` or a numpy integer) within ``[low, high]``; bool, float and str are refused.

    >>> to_int(36, "term", 1, 5200)
    36
    >>> to_int(36.0, "term")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: term: must be a whole number (got 36.0)
    """
    number = value if type(value) is int else _whole(value, field)
    if low is not None and type(low) is not int:
        low = _whole(low, "low")
    if high is not None and type(high) is not int:
        high = _whole(high, "high")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise InvalidInput(field, value, f"must be between {low} and {high}")
        raise InvalidInput(
            field, value, f"must be at least {low}" if low is not None else f"must be at most {high}"
        )
    return number


def _whole(value: Any, field: str) -> int:
    """An ``int`` or a numpy integer as an int; anything else (bool, float, str) is refused."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if type(value).__module__ == "numpy" and kind in ("i", "u") and getattr(value, "ndim", 0) == 0:
        return int(value)
    raise InvalidInput(field, value, "must be a whole number")


def as_fraction(value: Decimal) -> Fraction:
    """The exact rational value of a finite Decimal."""
    n, d = value.as_integer_ratio()
    return Fraction(n, d)
