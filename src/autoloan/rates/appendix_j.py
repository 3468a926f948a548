"""US Truth in Lending APR: the actuarial method of 12 CFR 1026 Appendix J, and the 1026.22 tolerances.

Unit-period by App. J (b)(4), each payment placed by (b)(5) in whole unit-periods plus a fraction earning
simple interest (b)(6), the general equation (b)(8) solved by :mod:`autoloan.rates.kernel`. A regular
monthly series skips the payment-by-payment timing work (each payment is one more whole month than the
one before); a monthly series with a few payments late, early or skipped labels only the periods next to
those payments and counts back only the heads of the chains of whole months; anything either is unsure
of takes the general path (all three give the same result).

>>> from datetime import date
>>> # 12 CFR 1026 App. J (c)(1)(i): $5,000 advanced 1978-01-10, 24 monthly payments of $230.00
>>> pays = [(date(1978 + (k + 1) // 12, (k + 1) % 12 + 1, 10), "230.00") for k in range(24)]
>>> round(apr_actuarial(5000, date(1978, 1, 10), pays) * 100, 2)
Decimal('9.69')
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from autoloan.dates import Frequency, coerce_date, is_month_end
from autoloan.errors import InvalidInput, NoSolution
from autoloan.money import to_decimal, to_rate
from autoloan.rates._months import full_months, months_back
from autoloan.rates.coerce import choice, dated_pairs, flag, split_distinct, whole_number
from autoloan.rates.kernel import (
    CONTEXT,
    ZERO_FRACTION,
    Equation,
    Flow,
    Run,
    Step,
    solve,
    solve_steps,
)

if TYPE_CHECKING:  # pragma: no cover - typing only; amortization imports lazily to avoid a cycle
    from autoloan.amortization import LoanTerms

__all__ = [
    "AprResult",
    "AprTiming",
    "UnitPeriod",
    "apr",
    "apr_actuarial",
    "apr_actuarial_by_path",
    "apr_actuarial_detail",
    "apr_tolerance",
    "apr_tolerance_ok",
    "payment_timing",
]

# 12 CFR 1026.22(a)(2): the APR is accurate if within 1/8 of 1 percentage point of the computed APR;
# 1026.22(a)(3): within 1/4 of 1 percentage point in an irregular transaction.
_TOLERANCE_REGULAR = Decimal("0.00125")
_TOLERANCE_IRREGULAR = Decimal("0.0025")
_DAY = operator.attrgetter("day")
_FIRST = operator.itemgetter(0)
_SECOND = operator.itemgetter(1)

_UNIT_KINDS = {"day": (1, 1), "week": (1, 52), "semimonth": (1, 1), "month": (1, 12)}


@dataclass(frozen=True, slots=True)
class UnitPeriod:
    """An Appendix J unit-period: a day, week(s), semimonth or month(s) up to a year (App. J (b)(3)(iii)).

    >>> UnitPeriod.parse("monthly"), UnitPeriod.parse("biweekly").periods_per_year
    (UnitPeriod(kind='month', multiple=1), Fraction(26, 1))
    >>> UnitPeriod("month", 3).label_en, UnitPeriod("month", 3).label_zh
    ('3 months', '3个月')
    """

    kind: str
    multiple: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in _UNIT_KINDS:
            raise InvalidInput("unit_period.kind", self.kind, "use day, week, semimonth or month")
        low, high = _UNIT_KINDS[self.kind]
        whole_number(self.multiple, "unit_period.multiple", low, high)

    @property
    def periods_per_year(self) -> Fraction:
        """Unit-periods per year: 365 days, 52/w weeks, 24 semimonths, 12/m months (App. J (b)(5)(ii)-(v))."""
        if self.kind == "day":
            return Fraction(365)
        if self.kind == "week":
            return Fraction(52, self.multiple)
        if self.kind == "semimonth":
            return Fraction(24)
        return Fraction(12, self.multiple)

    @property
    def nominal_days(self) -> Fraction:
        """The length used to compare unit-periods: 1, 7w, 365/24 or 365m/12 days."""
        if self.kind == "day":
            return Fraction(1)
        if self.kind == "week":
            return Fraction(7 * self.multiple)
        if self.kind == "semimonth":
            return Fraction(365, 24)
        return Fraction(365 * self.multiple, 12)

    @property
    def label_en(self) -> str:
        if self.kind == "semimonth":
            return "semimonth"
        if self.kind == "month" and self.multiple == 12:
            return "year"
        return f"{self.kind}" if self.multiple == 1 else f"{self.multiple} {self.kind}s"

    @property
    def label_zh(self) -> str:
        if self.kind == "semimonth":
            return "半月"
        if self.kind == "day":
            return "日"
        if self.kind == "week":
            return "周" if self.multiple == 1 else f"{self.multiple}周"
        if self.multiple == 12:
            return "年"
        return "月" if self.multiple == 1 else f"{self.multiple}个月"

    @classmethod
    def parse(cls, value: UnitPeriod | Frequency | str, field: str = "unit_period") -> UnitPeriod:
        """Accept a UnitPeriod, a :class:`~autoloan.dates.Frequency` or a name such as ``"monthly"``."""
        if isinstance(value, UnitPeriod):
            return value
        if isinstance(value, str) and not isinstance(value, Frequency):
            key = value.strip().lower().replace("-", "").replace("_", "").replace(" ", "")
            named = _UNIT_NAMES.get(key)
            if named is not None:
                return cls(*named)
            try:
                value = Frequency.parse(value, field)
            except InvalidInput:
                raise InvalidInput(
                    field, value, "unknown unit-period; use daily, weekly, biweekly, semimonthly, monthly, …"
                ) from None
        if isinstance(value, Frequency):
            if value.months:
                return cls("month", value.months)
            if value.days:
                return cls("week", value.days // 7)
            return cls("semimonth")
        raise InvalidInput(field, value, "must be a UnitPeriod, a Frequency or a name such as 'monthly'")


_UNIT_NAMES = {
    "day": ("day", 1),
    "daily": ("day", 1),
    "week": ("week", 1),
    "weekly": ("week", 1),
    "semimonth": ("semimonth", 1),
    "semimonthly": ("semimonth", 1),
    "month": ("month", 1),
    "year": ("month", 12),
    "yearly": ("month", 12),
}


@dataclass(frozen=True, slots=True)
class AprTiming:
    """Where one payment sits in Appendix J's equation: ``whole`` unit-periods plus ``fraction`` of one."""

    date: date
    amount: Decimal
    whole: int
    fraction: Fraction


@dataclass(frozen=True, slots=True)
class AprResult:
    """An Appendix J APR with the facts that decided it (explanations as data).

    ``irregular`` is the 12 CFR 1026.22(a)(3) class (multiple advances, or irregular payment periods or
    amounts other than an odd first period or an odd first or final payment); ``tolerance`` is the
    matching accuracy tolerance (1/8 or 1/4 percentage point).
    """

    apr: Decimal
    unit_period: UnitPeriod
    unit_periods_per_year: Fraction
    timings: tuple[AprTiming, ...]
    irregular: bool
    tolerance: Decimal
    rule_id: str = "US.REGZ.1026.22.APPJ"
    citation: str = "12 CFR 1026.22(a); 12 CFR 1026 Appendix J (b)(1)-(b)(8)"


@functools.lru_cache(maxsize=4096)
def _frac(num: int, den: int) -> Fraction:
    """Interned fractions: equal timings share one object, so comparing them is an identity check."""
    return Fraction(num, den) if num else ZERO_FRACTION


class _DayRule:
    """App. J (b)(3)(iv): "If a series of payments is scheduled for the last day of each month, months
    shall be measured from the last day … to the last day of another month. If payments are scheduled for
    the 29th or 30th of each month, the last day of February shall be used when applicable." """

    __slots__ = ("eom", "nominal")

    def __init__(self, dates: Sequence[date], nominal: int | None = None, eom: bool | None = None) -> None:
        """``nominal``, when given, must be the latest day of month among ``dates``; ``eom``, when given,
        whether there are several dates, all on a month's last day."""
        self.eom: bool = len(dates) > 1 and all(map(is_month_end, dates)) if eom is None else eom
        self.nominal: int = max(map(_DAY, dates)) if nominal is None else nominal

    def day(self, d: date) -> int | None:
        if self.eom:
            return None
        day = d.day
        if day < 28 or day >= self.nominal:  # (no month ends before the 28th)
            return day
        return self.nominal if is_month_end(d) else day


_Label = tuple[str, int]


def _labels(a: date, b: date, rule: _DayRule) -> list[_Label]:
    """Every standard interval the period from ``a`` to ``b`` equals (App. J (b)(3)(iii))."""
    days = (b - a).days
    found = list(_gap_labels(days))  # the labels a length alone decides; then the months
    if 28 <= days <= 31:
        same_day = a.day == b.day and b.month - a.month in (1, -11)
        if same_day or months_back(b, 1, rule.day(b)) == a:
            found.append(("month", 1))
    elif 56 <= days <= 366:
        months, back = full_months(a, b, rule.day(b))
        if 1 <= months <= 12 and back == a:
            found.append(("month", months))
    return found


@functools.lru_cache(maxsize=1024)
def _gap_labels(days: int) -> tuple[_Label, ...]:
    """:func:`_labels` of a period of ``days`` days that cannot be a month (not 28-31 nor 56-366 days
    long): a day, weeks and the semimonth are lengths alone (App. J (b)(3)(iii))."""
    found: list[_Label] = []
    if days == 1:
        found.append(("day", 1))
    if days % 7 == 0 and 7 <= days <= 364:
        found.append(("week", days // 7))
    if 13 <= days <= 17:
        found.append(("semimonth", 1))
    return tuple(found)


_STANDARD = (
    [UnitPeriod("day")]
    + [UnitPeriod("week", w) for w in range(1, 53)]
    + [UnitPeriod("semimonth")]
    + [UnitPeriod("month", m) for m in range(1, 13)]
)
_UNITS = {(u.kind, u.multiple): u for u in _STANDARD}
_PER_YEAR = {key: u.periods_per_year for key, u in _UNITS.items()}


def _choose_unit_period(
    start: date, dates: Sequence[date], rule: _DayRule
) -> tuple[UnitPeriod, list[list[_Label]]]:
    """App. J (b)(4)(i): the most frequent common period; ties -> the smaller; none -> the average.

    Also returns the standard intervals each period (advance -> 1st payment, 1st -> 2nd, …) equals.
    """
    events = [start, *dates]
    counts: dict[_Label, int] = {}
    lengths: list[int] = []
    per_period: list[list[_Label]] = []
    for a, b in itertools.pairwise(events):
        labels = _labels(a, b, rule) if b != a else []
        per_period.append(labels)
        if b == a:
            continue
        lengths.append((b - a).days)
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    common = [_UNITS[label] for label, c in counts.items() if c >= 2]
    if common:
        best = max(counts[(u.kind, u.multiple)] for u in common)
        top = [u for u in common if counts[(u.kind, u.multiple)] == best]
        return min(top, key=lambda u: u.nominal_days), per_period
    # (b)(4)(i)(B): no common period -> the average of all periods rounded to the nearest standard
    # interval; equally near two -> the lower. Months are taken as 365/12 days here (an assumption:
    # Appendix J does not give a day length for this comparison).
    average = Fraction(sum(lengths), len(lengths))
    unit = min(_STANDARD, key=lambda u: (abs(u.nominal_days - average), u.nominal_days))
    return unit, per_period


_IN_MONTH_DAYS = frozenset((28, 29, 30, 31)).__contains__
_IS_28 = (28).__eq__


def _unit_period_and_chains(
    start: date, dates: Sequence[date], rule: _DayRule, unit_period: UnitPeriod | Frequency | str | None
) -> tuple[UnitPeriod, list[bool]]:
    """The unit-period of :func:`_choose_unit_period` (or the one given) and, for each payment, whether
    the period from the previous payment equals exactly one unit-period (never for the first payment).

    The same answer as labelling every period with :func:`_labels`, but a *plain month* — the same day
    of the month, 28-31 days later — is recognised with C-level passes: its labels are exactly the month
    (and 4 weeks when it is 28 days long). Only the other periods are labelled one by one.
    """
    events = [start, *dates]
    ords = list(map(date.toordinal, events))
    gaps = list(map(operator.sub, ords[1:], ords))
    days = list(map(_DAY, events))
    plain = list(map(operator.and_, map(operator.eq, days[1:], days), map(_IN_MONTH_DAYS, gaps)))
    months = plain.count(True)
    week4 = gaps.count(28)  # less the 28-day periods that are not plain months (below)
    counts: dict[_Label, int] = {}
    others: dict[int, Sequence[_Label]] = {}
    labels: Sequence[_Label]
    if months < len(plain):
        for i in itertools.compress(range(len(plain)), map(operator.not_, plain)):
            gap = gaps[i]
            if not gap:
                others[i] = []
                continue
            week4 -= gap == 28
            if 28 <= gap <= 31 or 56 <= gap <= 366:
                labels = others[i] = _labels(events[i], events[i + 1], rule)
            else:  # no month: the labels depend on the length alone
                labels = others[i] = _gap_labels(gap)
            for label in labels:
                counts[label] = counts.get(label, 0) + 1
    if months:
        counts[_MONTH_KEY] = counts.get(_MONTH_KEY, 0) + months
    if week4:
        counts[_WEEK4_KEY] = counts.get(_WEEK4_KEY, 0) + week4
    if unit_period is not None:
        unit = UnitPeriod.parse(unit_period)
    else:
        common = [_UNITS[label] for label, c in counts.items() if c >= 2]
        if not common:
            unit = _choose_unit_period(start, dates, rule)[0]  # (b)(4)(i)(B): the average
        else:
            best = max(counts[(u.kind, u.multiple)] for u in common)
            top = [u for u in common if counts[(u.kind, u.multiple)] == best]
            unit = top[0] if len(top) == 1 else min(top, key=lambda u: u.nominal_days)
    key = (unit.kind, unit.multiple)
    if key == _MONTH_KEY:
        chained = plain
    elif key == _WEEK4_KEY:
        chained = list(map(operator.and_, plain, map(_IS_28, gaps)))
    else:
        chained = [False] * len(plain)
    for i, labels in others.items():
        chained[i] = key in labels
    chained[0] = False  # the advance is not a payment
    return unit, chained


def _count_back(start: date, d: date, rule: _DayRule) -> tuple[int, int]:
    """Full months counted back from ``d`` without passing ``start`` ((b)(3)(iv), (b)(5)(ii)) and the
    days from ``start`` to the date they reach: :func:`full_months` with (b)(3)(iv)'s day, the count
    written out for a payment on the 27th or earlier (no month's last day, so the day is the day itself
    unless the series is one of month ends): ``k`` months back lands in the advance's month, or one
    month later when the day is before the advance's day."""
    day = d.day
    if day > 27 or rule.eom:
        months, back = full_months(start, d, rule.day(d))
        return months, (back - start).days
    k = (d.year - start.year) * 12 + d.month - start.month
    if k > 0 and day >= start.day:
        return k, day - start.day
    if k > 1:
        year, month0 = divmod(start.year * 12 + start.month, 12)  # the month after the advance's
        return k - 1, (date(year, month0 + 1, day) - start).days
    return 0, (d - start).days


def _timing(start: date, d: date, unit: UnitPeriod, rule: _DayRule) -> tuple[int, Fraction]:
    """Full unit-periods and the fraction of one from ``start`` to ``d`` (App. J (b)(5)(i)-(v))."""
    days = (d - start).days
    if unit.kind == "day":  # (b)(5)(iv)
        return days, ZERO_FRACTION
    if unit.kind == "week":  # (b)(5)(iv): days over the days per unit-period
        whole, rest = divmod(days, 7 * unit.multiple)
        return whole, _frac(rest, 7 * unit.multiple)
    months, remaining = _count_back(start, d, rule)
    if unit.kind == "month" and unit.multiple == 1:  # (b)(5)(ii): full months back, odd days / 30
        return months, _frac(remaining, 30)
    if unit.kind == "month" and unit.multiple == 12:  # (b)(5)(v): full years back; months/12 or days/365
        years, extra = divmod(months, 12)
        if remaining == 0:
            return years, _frac(extra, 12)
        year_back = months_back(d, 12 * years, rule.day(d)) if years else d
        return years, _frac((year_back - start).days, 365)
    # (b)(5)(iii): semimonth and multi-month: 30 × full months + remaining days, over 15 or 30·m.
    unit_days = 15 if unit.kind == "semimonth" else 30 * unit.multiple
    whole, rest = divmod(30 * months + remaining, unit_days)
    return whole, _frac(rest, unit_days)


_Timing = tuple[date, Decimal, int, Fraction]  # (date, amount, whole unit-periods, fraction)


def _irregular(timings: Sequence[_Timing]) -> bool:
    """12 CFR 1026.22(a)(3): irregular payment periods or amounts, other than the first period or the
    first or final payment."""
    if len(timings) <= 2:
        return False
    middle = {t[1] for t in timings[1:-1]}
    if len(middle) > 1:
        return True
    for prev, nxt in itertools.pairwise(timings):
        if (prev[3] is not nxt[3] and prev[3] != nxt[3]) or nxt[2] - prev[2] != 1:
            return True
    return False


_AprWork = tuple[Decimal, UnitPeriod, Fraction, list[_Timing]]
_MONTH_KEY = ("month", 1)
_MONTH = _UNITS[_MONTH_KEY]
_UP_TO_28 = bytes(range(29))  # days.translate(None, _UP_TO_28): the days after the 28th
_UP_TO_27 = bytes(range(28))
_TWELVE = Fraction(12)  # unit-periods a year when the unit-period is the month
_WEEK4_KEY = ("week", 4)


def _advance(amount_financed: Any, advance_date: Any) -> tuple[Decimal, date]:
    """The validated amount financed and advance date."""
    # (The common exact types first: what to_decimal and coerce_date return for them, without the calls.)
    kind = type(amount_financed)
    if kind is int:
        financed = Decimal(amount_financed)
    elif kind is Decimal and amount_financed.is_finite():
        financed = amount_financed
    else:
        financed = to_decimal(amount_financed, "amount_financed")
    if financed <= 0:
        raise InvalidInput("amount_financed", amount_financed, "must be greater than zero")
    start = advance_date if type(advance_date) is date else coerce_date(advance_date, "advance_date")
    return financed, start


def _appendix_j(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool = True,
) -> _AprWork:
    """The work of :func:`apr_actuarial_detail`: (APR, unit-period, unit-periods a year, timings).

    A regular monthly series takes :func:`_regular_monthly`, a monthly one with a few exceptions
    :func:`_near_monthly`; everything else (and anything they are unsure of) the general
    :func:`_appendix_j_general`. All give the same result (tests/test_rates.py checks it on random
    regular and irregular series). ``with_timings=False`` may leave the timings empty.
    """
    financed, start = _advance(amount_financed, advance_date)
    split = split_distinct(payments)
    if split is not None:
        fast = None
        # The days of the month as bytes (1 to 31): C-level counts, searches and strips.
        days = bytes(map(_DAY, split[0])) if len(split[0]) > 1 else None
        # Payments on different days, none after the 28th, are not the regular series (_regular_monthly
        # would refuse them: only month ends may differ from the latest day); perhaps a near-monthly one.
        if days is None or days.count(days[0]) == len(days) or days.translate(None, _UP_TO_28):
            fast = _regular_monthly(financed, start, split, unit_period, with_timings, days)
        if fast is None and days is not None:
            fast = _near_monthly(financed, start, split, days, unit_period, with_timings)
        if fast is not None:
            return _repaid(fast, financed)
        # The same pairs, already validated (a list or tuple of (date, Decimal) tuples, distinct dates).
        given = list(zip(*split, strict=True))
        work = _appendix_j_general(financed, start, payments, unit_period, with_timings, given)
        return _repaid(work, financed)
    return _repaid(_appendix_j_general(financed, start, payments, unit_period, with_timings), financed)


def _repaid(work: _AprWork, financed: Decimal) -> _AprWork:
    """``work`` unless its APR is negative: payments that add up to less than the amount financed never
    repay it, and a negative "APR" is no annual percentage rate (NoSolution says so instead)."""
    if work[0] < 0:
        raise NoSolution(
            "the payments add up to less than the amount financed, so they never repay it "
            "(the rate balancing them is negative: no APR)",
            amount_financed=str(financed),
        )
    return work


def _result(work: _AprWork) -> AprResult:
    rate, unit, per_year, timings = work
    irregular = _irregular(timings)
    return AprResult(
        apr=rate,
        unit_period=unit,
        unit_periods_per_year=per_year,
        timings=tuple(AprTiming(*t) for t in timings),
        irregular=irregular,
        tolerance=apr_tolerance(irregular=irregular),
    )


_PATHS = ("auto", "general", "regular", "near")


def apr_actuarial_by_path(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    unit_period: UnitPeriod | Frequency | str | None = None,
    *,
    path: str = "auto",
) -> AprResult | None:
    """:func:`apr_actuarial_detail` by a chosen path, to compare them: ``"auto"`` (what it does),
    ``"general"`` (the payment-by-payment count of (b)(4)-(b)(5) for any series), ``"regular"`` (the
    regular-monthly shortcut alone: None when the series is not one it is sure of) or ``"near"`` (the
    near-monthly path alone — a monthly series with a few payments on other days or months skipped —
    None when it does not apply).

    >>> from datetime import date
    >>> pays = [(date(2026, m, 15), Decimal(300)) for m in range(2, 8)]  # the shortcut takes Decimals
    >>> fast = apr_actuarial_by_path(1700, date(2026, 1, 15), pays, path="regular")
    >>> fast == apr_actuarial_by_path(1700, date(2026, 1, 15), pays, path="general")
    True
    >>> apr_actuarial_by_path(1700, date(2026, 1, 15), pays[::2], path="regular") is None
    True
    >>> late = pays[:3] + [(date(2026, 5, 18), Decimal(300))] + pays[4:]  # one payment 3 days late
    >>> near = apr_actuarial_by_path(1700, date(2026, 1, 15), late, path="near")
    >>> near == apr_actuarial_by_path(1700, date(2026, 1, 15), late, path="general")
    True
    """
    choice(path, _PATHS, "path")
    if unit_period is not None and not isinstance(unit_period, (UnitPeriod, str)):
        raise InvalidInput("unit_period", unit_period, "must be a UnitPeriod, a Frequency or a name")
    if path == "auto":
        return _result(_appendix_j(amount_financed, advance_date, payments, unit_period))
    financed, start = _advance(amount_financed, advance_date)
    if path == "general":
        return _result(_repaid(_appendix_j_general(financed, start, payments, unit_period), financed))
    split = split_distinct(payments)
    if split is None:
        return None
    if path == "regular":
        fast = _regular_monthly(financed, start, split, unit_period)
    else:
        days = bytes(map(_DAY, split[0]))
        fast = _near_monthly(financed, start, split, days, unit_period, True) if len(days) > 1 else None
    return None if fast is None else _result(_repaid(fast, financed))


def payment_timing(
    advance_date: Any, payment_date: Any, unit_period: UnitPeriod | Frequency | str, payment_dates: Any
) -> tuple[int, Fraction]:
    """Where one payment sits by App. J (b)(5): (whole unit-periods, fraction of one) from the advance,
    counted back from the payment alone. ``payment_dates`` (the whole series) decide (b)(3)(iv)'s
    month-end rule.

    >>> from datetime import date
    >>> # App. J (c)(1)(ii): advance 1978-02-10, first payment 1978-04-01: 1 month and 19 days of 30
    >>> payment_timing(date(1978, 2, 10), date(1978, 4, 1), "monthly", [date(1978, 4, 1), date(1978, 5, 1)])
    (1, Fraction(19, 30))
    """
    start = coerce_date(advance_date, "advance_date")
    when = coerce_date(payment_date, "payment_date")
    if when < start:
        raise InvalidInput("payment_date", when, f"must not be before advance_date ({start})")
    unit = UnitPeriod.parse(unit_period)
    if isinstance(payment_dates, (str, bytes)) or not isinstance(payment_dates, Sequence):
        raise InvalidInput("payment_dates", payment_dates, "must be a sequence of dates")
    dates = [coerce_date(d, f"payment_dates[{i}]") for i, d in enumerate(payment_dates)]
    if not dates:
        raise InvalidInput("payment_dates", payment_dates, "must contain at least one date")
    return _timing(start, when, unit, _DayRule(dates))


def _regular_monthly(
    financed: Decimal,
    start: date,
    split: tuple[list[date], list[Decimal]],
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool = True,
    days: bytes | None = None,
) -> _AprWork | None:
    """Appendix J for the common case, without per-payment work; None when the case does not apply.
    (``days``, when given, are the days of the month of the payment dates.)

    The case (``split`` is :func:`~autoloan.rates.coerce.split_distinct` of the payments): at least two
    ``(date, Decimal)`` pairs, every amount positive, the first
    payment after the advance, one payment in each consecutive calendar month on the same day (or on
    the month's last day when the month is shorter, (b)(3)(iv)), and the month as unit-period — given,
    or sure to be the most frequent common period of (b)(4)(i). Then each payment is exactly one month
    after the previous one, so by (b)(5)(ii) payment ``k`` is ``t₀ + k`` full months plus the first
    payment's fraction ``f₀`` after the advance (what :func:`_appendix_j_general` finds payment by
    payment), and runs of equal amounts make the equation's terms geometric series.
    """
    dates, amounts = split
    n = len(dates)
    first, last = dates[0], dates[-1]
    if n < 2 or not first > start:
        return None
    # Blocks of equal consecutive amounts (usually one, or two with a different last payment).
    if amounts.count(amounts[0]) == n:
        if not amounts[0] > 0:
            return None
        blocks = [(amounts[0], n)]
    else:
        blocks = [(amount, sum(1 for _ in group)) for amount, group in itertools.groupby(amounts)]
        if not all(amount > 0 for amount, _ in blocks):
            return None
    # Consecutive calendar months: strictly increasing dates (so at most one per month) spanning n - 1.
    if (last.year - first.year) * 12 + last.month - first.month != n - 1:
        return None
    if sorted(dates) != dates:  # sorted and distinct: strictly increasing
        return None
    day = first.day
    if days is None:
        days = bytes(map(_DAY, dates))
    single_day = days.count(day) == n
    if not single_day and max(days) <= 28:
        # Days differ, so some day is below the latest one (nominal, at most 28): that date is neither on
        # the nominal day nor a month's last day (those are the 28th or later), refused by the check below.
        return None
    if single_day and day < 28 and start.day == day:
        # No payment on a month's last day and the advance on the payments' day: (b)(3)(iv)'s day rule
        # is the plain day of the month, and the advance is whole months before each payment.
        rule: _DayRule | None = None
        same_day_advance = True
    else:
        rule = _DayRule(dates, day if single_day else max(days))
        same_day_advance = single_day and start.day == day and not rule.eom
    if rule is not None and not single_day:
        # Day D (the latest day seen) with months shorter than D clamped to their last day, and nothing
        # else; the pairs with a clamped date are checked the way the general path does (they are a
        # whole month apart by (b)(3)(iv)).
        nominal = rule.nominal
        for d in dates:
            if d.day != nominal and not is_month_end(d):
                return None
        for a, b in itertools.pairwise(dates):
            if (a.day != nominal or b.day != nominal) and _MONTH_KEY not in _labels(a, b, rule):
                return None
    unit = _UNITS[_MONTH_KEY]
    if unit_period is None:
        # (b)(4)(i): n - 1 payment intervals are months; the only other period a 28-31 day interval can
        # equal is 4 weeks (a 28-day interval, at most one in 12 consecutive months), and the advance's
        # interval adds at most one to each. The month must win outright, else the general path decides.
        if same_day_advance:
            # The advance on the payments' day: its interval is exactly the month iff it is one month
            # long (then 28-31 days), and 4 weeks iff it is 28 days (what _labels finds).
            span = (first.year - start.year) * 12 + first.month - start.month
            month_first, week4_first = span == 1, (first - start).days == 28
        else:
            assert rule is not None  # set whenever same_day_advance is False
            first_labels = _labels(start, first, rule)
            month_first, week4_first = _MONTH_KEY in first_labels, _WEEK4_KEY in first_labels
        months = n - 1 + month_first
        if months < 2 or months <= (n + 10) // 12 + week4_first:
            return None
    else:
        try:
            if UnitPeriod.parse(unit_period) != unit:
                return None
        except InvalidInput:
            return None
    if same_day_advance:
        # The advance on the payments' day: (b)(5)(ii) counts back whole months to it exactly (what
        # _timing finds: k full months, nothing left over).
        whole, frac = (first.year - start.year) * 12 + first.month - start.month, ZERO_FRACTION
    else:
        assert rule is not None  # set whenever same_day_advance is False
        whole, frac = _timing(start, first, unit, rule)
    # The equation's runs, as runs would make them of the flows (0, 0, -financed), (t0 + k, f0, amount_k).
    steps: list[Step] = []
    if len(blocks) == 1:
        steps = [(blocks[0][0], whole, n, frac)]
    else:
        t = whole
        for amount, count in blocks:
            steps.append((amount, t, count, frac))
            t += count
    timings: list[_Timing] = []
    if with_timings:
        timings = [(d, a, whole + i, frac) for i, (d, a) in enumerate(zip(dates, amounts, strict=True))]
    advance = financed.copy_negate()
    # App. J (b)(5)(ii): 12 unit-periods a year. A loan shape, so solve_steps usually decides; if it
    # defers, the general solver runs on the same equation.
    rate = solve_steps(advance, steps, 12, 0)
    if rate is None:
        runs = [Run(advance, 0, 1, 1, 0), *(Run(a, t, 1, c, f) for a, t, c, f in steps)]
        rate = Equation(runs).root(12, fast=False)
    return rate, unit, _TWELVE, timings


def _leap_years(year: int) -> int:
    """The leap years from year 1 to ``year`` (proleptic Gregorian calendar)."""
    return year // 4 - year // 100 + year // 400


def _short_februaries(first: int, last: int) -> int:
    """The Februaries of common years among the months ``first`` to ``last - 1`` (months counted as
    ``year * 12 + month - 1``): from a day of such a February to the same day of March is 28 days."""
    low = (first + 10) // 12  # the first year whose February (year * 12 + 1) is at or after ``first``
    high = (last - 2) // 12  # the last year whose February is before ``last``
    if high < low:
        return 0
    return high - low + 1 - (_leap_years(high) - _leap_years(low - 1))


def _add_runs(steps: list[Step], block: list[Decimal], whole: int, frac: int | Fraction) -> None:
    """Append the runs of a chain of payments one unit-period apart, the first ``whole`` periods and
    ``frac`` after the advance: one run for a level chain, else one per group of equal amounts.

    >>> from decimal import Decimal as D
    >>> runs: list[Step] = []
    >>> _add_runs(runs, [D(5), D(5), D(7)], 2, 0)
    >>> runs
    [(Decimal('5'), 2, 2, 0), (Decimal('7'), 4, 1, 0)]
    """
    n = len(block)
    if block.count(block[0]) == n:  # a level chain: one run
        steps.append((block[0], whole, n, frac))
        return
    t = whole
    for amount, group in itertools.groupby(block):
        count = len(list(group))
        steps.append((amount, t, count, frac))
        t += count


def _month_timing(start: date, d: date, rule: _DayRule) -> tuple[int, Fraction]:
    """:func:`_timing` with the month as unit-period (App. J (b)(5)(ii)): full months back, odd days / 30."""
    months, remaining = _count_back(start, d, rule)
    return months, _frac(remaining, 30)


def _month_runs(dates: list[date], a: int, b: int, plain: list[tuple[int, int]], apart: list[int]) -> None:
    """Split payments ``a..b`` (strictly increasing dates, all on one day of the month) into stretches in
    consecutive months (appended to ``plain`` as ``(a, b)``) and the payments that come more than a month
    after the previous one (appended to ``apart``). Months rise with the dates, so a stretch is in
    consecutive months exactly when it spans as many months as it has steps."""
    todo = [(a, b)]
    while todo:
        a, b = todo.pop()
        da, db = dates[a], dates[b]
        if (db.year - da.year) * 12 + db.month - da.month == b - a:
            plain.append((a, b))
        elif b == a + 1:
            apart.append(b)
        else:
            mid = (a + b) // 2
            todo += ((mid, b), (a, mid))


def _near_monthly(
    financed: Decimal,
    start: date,
    split: tuple[list[date], list[Decimal]],
    days: bytes,
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool,
) -> _AprWork | None:
    """Appendix J for a monthly series with a few exceptions (a payment some days late or early, a
    skipped month, an odd first date), the month being the unit-period; None when the case does not
    apply (then :func:`_appendix_j_general` decides). The same work as the general path, without its
    passes over every period: ``days`` are the payments' days of the month.

    The case: at least two payments, every amount positive, dates strictly increasing and after the
    advance, all but a few on one day D of the month, and the month as unit-period (given, or the most
    frequent common period of (b)(4)(i)). Periods between two payments on day D in a stretch that spans
    as many months as it has steps are *plain months* (same day, the next month); their labels are
    exactly the month and, when 28 days long (a common year's February), 4 weeks — as
    :func:`_unit_period_and_chains` counts them. Every other period is labelled by :func:`_labels`.
    Then each plain month chains a payment to the previous one (one more full unit-period, the same
    fraction), so only the heads of the chains are counted back by (b)(5)(ii).
    """
    dates, amounts = split
    n = len(dates)
    first = dates[0]
    # Dates strictly increasing (sorted, and distinct by split_distinct) after the advance; amounts > 0.
    if not first > start or sorted(dates) != dates:
        return None
    level = amounts[0]
    level_all = amounts.count(level) == n
    if not (level > 0 if level_all else min(amounts) > 0):
        return None
    unit = _MONTH
    if unit_period is not None:
        try:
            unit = UnitPeriod.parse(unit_period)
        except InvalidInput:
            return None
        if unit != _MONTH:
            return None
    day = days[-1]
    on_day = days.count(day)
    if 2 * on_day < n:
        day = days[n // 2]
        on_day = days.count(day)
    if n - on_day > 2 + n // 8:
        return None
    # (b)(3)(iv): a payment on day D <= 27 is no month end, so the series is not one of month ends. The
    # rule reads its nominal day (the latest day) only for a payment on the 28th or later: without one,
    # the latest day is not looked for (27 stands in, never read).
    late_days = days.translate(None, _UP_TO_27)
    rule = _DayRule(dates, max(late_days) if late_days else 27, False if day <= 27 else None)
    # The payments on other days (few: found value by value), and the stretches of payments on day D
    # between them, split into runs in consecutive months.
    odd: list[int] = []
    if on_day < n:
        on = bytes((day,))
        rest = days.lstrip(on)
        while rest:  # the next payment on another day is where the run of day-D bytes ends
            i = n - len(rest)
            odd.append(i)
            rest = rest[1:].lstrip(on)
    plain: list[tuple[int, int]] = []
    labelled: list[int] = []  # the payments whose period (from the previous payment) is labelled
    months = 0  # the plain months
    low = 0
    for i in [*odd, n]:
        high = i - 1
        if high > low:
            da, db = dates[low], dates[high]
            if (db.year - da.year) * 12 + db.month - da.month == high - low:  # all in consecutive months
                plain.append((low, high))
                months += high - low
            else:
                split_at = len(plain)
                _month_runs(dates, low, high, plain, labelled)
                months += sum(b - a for a, b in plain[split_at:])
        if i < n:
            if i:
                labelled.append(i)
            if i + 1 < n:
                labelled.append(i + 1)
        low = i + 1
    counts: dict[_Label, int] = {}
    # The advance's period: a plain month, or labelled.
    plain_first = start.day == days[0] and (first.year - start.year) * 12 + first.month - start.month == 1
    if plain_first:
        months += 1
    else:
        for label in _labels(start, first, rule):
            counts[label] = counts.get(label, 0) + 1
    heads = [0]
    for i in sorted(set(labelled)) if len(labelled) > 1 else labelled:
        labels = _labels(dates[i - 1], dates[i], rule)
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
        if _MONTH_KEY not in labels:
            heads.append(i)
    month_count = counts.get(_MONTH_KEY, 0) + months
    if unit_period is None:
        # (b)(4)(i): the month must be the most frequent common period (ties go to the smaller period).
        # A plain month is also 4 weeks only from a common year's February 28 days on (at most one a
        # year): when the month beats even that bound, the plain 4-week count is not needed.
        others = counts.copy()
        others.pop(_MONTH_KEY, None)
        week4 = others.pop(_WEEK4_KEY, 0)
        rival = max(others.values(), default=0)
        if month_count < 2 or month_count <= rival:
            return None
        if month_count <= week4 + dates[-1].year - start.year + 1:
            week4 += plain_first and (first - start).days == 28
            for a, b in plain:
                da, db = dates[a], dates[b]
                week4 += _short_februaries(da.year * 12 + da.month - 1, db.year * 12 + db.month - 1)
            if month_count <= week4:  # 4 weeks (28 days) is the smaller period: it wins a tie
                return None
    # (b)(5)(ii): the head of each chain counted back in whole months; the chain's payments follow it
    # one month apart, runs of equal amounts making the equation's terms geometric series.
    steps: list[Step] = []
    timings: list[_Timing] = []
    for i, j in zip(heads, [*heads[1:], n], strict=True):
        whole, frac = _month_timing(start, dates[i], rule)
        if with_timings:
            timings += [(dates[k], amounts[k], whole + k - i, frac) for k in range(i, j)]
        if level_all:  # (amounts[i] is block[0] below)
            steps.append((amounts[i], whole, j - i, frac))
            continue
        _add_runs(steps, amounts[i:j], whole, frac)
    advance = financed.copy_negate()
    rate = solve_steps(advance, steps, 12, 0)
    if rate is None:
        netted: list[Flow] = [(0, 0, advance)]
        netted += [(t, f, a) for a, t0, c, f in steps for t in range(t0, t0 + c)]
        rate = solve(netted, _TWELVE)
    return rate, unit, _TWELVE, timings


def _appendix_j_general(
    financed: Decimal,
    start: date,
    payments: Any,
    unit_period: UnitPeriod | Frequency | str | None,
    with_timings: bool = True,
    given: list[tuple[date, Decimal]] | None = None,
) -> _AprWork:
    """Appendix J for any payment series (validated here unless ``given`` holds them validated): (APR,
    unit-period, per year, timings). ``with_timings=False`` may leave the timings of a series of several
    payments empty."""
    if given is None:
        given = dated_pairs(payments, "payments")
    whens = list(map(_FIRST, given))
    amounts = list(map(_SECOND, given))
    smallest = min(amounts) if given else None
    if smallest is not None and (smallest < 0 or min(whens) < start):  # find and name the first bad one
        for i, (when, amount) in enumerate(given):
            if amount < 0:
                raise InvalidInput(f"payments[{i}].amount", amount, "must not be negative")
            if when < start:
                raise InvalidInput(f"payments[{i}].date", when, f"must not be before advance_date ({start})")
    # A zero payment (a skipped or interest-free period) is no payment: the period runs on.
    if smallest is not None and smallest > 0 and all(map(operator.le, whens, whens[1:])):
        pays = given  # already what the stable sort by date of the positive payments gives
        dates = whens
    else:
        pays = sorted((p for p in given if p[1] > 0), key=lambda p: p[0])
        amounts = list(map(_SECOND, pays))
        dates = list(map(_FIRST, pays))
    pay_amounts = amounts
    if not pays:
        raise InvalidInput("payments", payments, "must contain at least one payment greater than zero")
    rule = _DayRule(dates)

    timings: list[_Timing]
    if len(pays) == 1 and unit_period is None:
        # (b)(4)(ii), (b)(5)(vi)-(vii): single advance, single payment.
        when, amount = pays[0]
        days = (when - start).days
        if days == 0:
            raise InvalidInput("payments[0].date", when, "a single payment on the advance date has no term")
        months, back = full_months(start, when, when.day)
        if months_back(when, 12, when.day) < start:  # the term is less than a year
            unit = _UNITS["month", months] if back == start and months >= 1 else _UNITS["day", 1]
            per_year = Fraction(12, months) if unit.kind == "month" else Fraction(365, days)
            timings = [(when, amount, 1, ZERO_FRACTION)]
        else:
            unit = _UNITS["month", 12]
            per_year = Fraction(1)
            whole, frac = _timing(start, when, unit, rule)
            timings = [(when, amount, whole, frac)]
    else:
        if unit_period is None and dates[-1] == start:
            # (b)(4)(i): every period is zero days long, so there is no period to count or average.
            raise InvalidInput("payments", payments, "every payment is on the advance date: there is no term")
        unit, chained = _unit_period_and_chains(start, dates, rule, unit_period)
        per_year = _PER_YEAR.get((unit.kind, unit.multiple)) or unit.periods_per_year
        if unit.kind == "semimonth":
            chained = [False] * len(chained)
        # (b)(5)(ii)-(v) count back from each payment in whole unit-periods, so a payment exactly one
        # unit-period after the previous one is one more full unit-period with the same fraction: only
        # the first payment of each such chain is counted back from.
        n = len(pays)
        heads = list(itertools.compress(range(n), map(operator.not_, chained)))
        ends = [*heads[1:], n]
        advance = financed.copy_negate()
        steps: list[Step] = []
        timings = []
        for i, j in zip(heads, ends, strict=True):
            whole, frac = _timing(start, dates[i], unit, rule)
            if with_timings:
                timings += [(pays[k][0], pays[k][1], whole + k - i, frac) for k in range(i, j)]
            _add_runs(steps, pay_amounts[i:j], whole, frac)
        # The equation has a loan's shape unless a payment falls on the advance itself (then it is netted
        # with the advance, as the general solver's runs do).
        if dates[0] > start:
            # (An int multiplier when the Fraction is whole: the same Decimal and float, without Fraction's
            # Python-level conversions.)
            rate = solve_steps(
                advance, steps, per_year.numerator if per_year.denominator == 1 else per_year, 0
            )
            if rate is not None:
                return rate, unit, per_year, timings
        netted: list[Flow] = [(0, 0, advance)]
        netted += [(t, f, a) for a, t0, c, f in steps for t in range(t0, t0 + c)]
        return solve(netted, per_year), unit, per_year, timings

    flows: list[Flow] = [(0, 0, financed.copy_negate())]
    flows += [(t[2], t[3], t[1]) for t in timings]
    return solve(flows, per_year), unit, per_year, timings


def apr_actuarial_detail(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    *,
    unit_period: UnitPeriod | Frequency | str | None = None,
) -> AprResult:
    """The Appendix J APR with its unit-period, payment timings and tolerance class.

    ``payments`` are ``(date, amount)`` pairs, each on or after ``advance_date`` (the date the finance
    charge begins to be earned, App. J (b)(2)); zero payments are ignored. Without ``unit_period`` the
    unit-period is chosen by (b)(4): the most frequent common period (a single advance, single payment
    transaction uses its term, at most a year, with (b)(5)(vi)-(vii)). Each payment is placed ``t`` full
    unit-periods plus a fraction ``f`` after the advance by (b)(5), the fraction earning simple interest
    (b)(6), and the general equation (b)(8) ``A = Σ P_k / ((1 + f_k·i)(1 + i) ** t_k)`` is solved for the
    unit-period rate ``i``; the APR is ``i`` times the unit-periods per year (b)(1).

    >>> from datetime import date
    >>> # App. J (c)(1)(ii): $6,000 on 1978-02-10, 36 monthly payments of $200 from 1978-04-01: APR 11.82 %
    >>> pays = [(date(1978 + (k + 3) // 12, (k + 3) % 12 + 1, 1), 200) for k in range(36)]
    >>> r = apr_actuarial_detail(6000, date(1978, 2, 10), pays)
    >>> r.unit_period.label_en, r.timings[0].whole, r.timings[0].fraction, round(r.apr * 100, 2)
    ('month', 1, Fraction(19, 30), Decimal('11.82'))
    """
    return _result(_appendix_j(amount_financed, advance_date, payments, unit_period))


def apr_actuarial(
    amount_financed: Any,
    advance_date: Any,
    payments: Any,
    *,
    unit_period: UnitPeriod | Frequency | str | None = None,
) -> Decimal:
    """The annual percentage rate by the actuarial method of 12 CFR 1026 Appendix J, as a fraction.

    See :func:`apr_actuarial_detail` for the rules; this returns only the rate (10 decimals).

    >>> from datetime import date
    >>> # App. J (c)(5)(i): $1,000 on 1978-01-03, $1,080 on 1978-09-15 (255 days): APR 11.45 %
    >>> apr_actuarial(1000, date(1978, 1, 3), [(date(1978, 9, 15), 1080)])
    Decimal('0.1145098039')
    """
    return _appendix_j(amount_financed, advance_date, payments, unit_period, with_timings=False)[0]


def apr(terms: LoanTerms) -> Decimal:
    """The Regulation Z APR of a loan: amount financed (principal less prepaid finance charges), advanced
    on ``terms.start``, repaid by the payments of ``amortize(terms)``.

    >>> from datetime import date
    >>> from autoloan.amortization import Fee, LoanTerms
    >>> t = LoanTerms(principal=10000, annual_rate="0.06", term=36, start=date(2026, 1, 15))
    >>> round(apr(t) * 100, 2)
    Decimal('6.00')
    >>> round(apr(t.replace(fees=(Fee("origination", 300),))) * 100, 2)  # paid at signing, a finance charge
    Decimal('8.06')
    """
    from autoloan.amortization import amortize

    schedule = amortize(terms)
    payments = [(inst.due_date, inst.payment) for inst in schedule]
    return apr_actuarial(terms.amount_financed, terms.start, payments)


def apr_tolerance(*, irregular: bool = False) -> Decimal:
    """The APR accuracy tolerance as a fraction: 1/8 point regular, 1/4 point irregular.

    12 CFR 1026.22(a)(2) and (a)(3).

    >>> apr_tolerance(), apr_tolerance(irregular=True)
    (Decimal('0.00125'), Decimal('0.0025'))
    """
    return _TOLERANCE_IRREGULAR if flag(irregular, "irregular") else _TOLERANCE_REGULAR


def apr_tolerance_ok(disclosed: Any, computed: Any, *, irregular: bool = False) -> bool:
    """Whether a disclosed APR is accurate: within 1/8 percentage point of the computed APR in a regular
    transaction, 1/4 point in an irregular one (12 CFR 1026.22(a)(2)-(3)). Rates are fractions or
    strings with ``%``.

    >>> apr_tolerance_ok("9.75%", "0.0969"), apr_tolerance_ok("9.85%", "0.0969")
    (True, False)
    >>> apr_tolerance_ok("9.85%", "0.0969", irregular=True)
    True
    """
    gap = CONTEXT.subtract(to_rate(disclosed, "disclosed"), to_rate(computed, "computed")).copy_abs()
    return gap <= apr_tolerance(irregular=irregular)
