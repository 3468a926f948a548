"""China credit reporting (征信): the PBoC Credit Reference Center's monthly repayment record.

Beside Metro 2, a Chinese lender reports each instalment loan to the People's Bank of China Credit
Reference Center (中国人民银行征信中心) once a month, and the personal credit report shows the loan's
repayment status month by month (还款记录). Lenders reading a report count the overdue months in the
last 24 and 60 months, the longest run of consecutive overdue months and the "连三累六" flag (three
consecutive, or six overdue months in all within two years), and read the amount overdue now.

Status characters, as public explanations of the report describe them (the PBoC's own
编制说明 at the end of a detailed report could not be read here; these are secondary sources that
agree with each other):

* ``N`` paid in full on time; ``1``–``7`` overdue 1–30, 31–60, 61–90, 91–120, 121–150, 151–180
  and more than 180 days; ``C`` closed (结清: paid off, early, by assets or by a guarantor);
  ``G`` ended other than by closing (结束); ``D`` paid by the guarantor (担保人代还, also in part);
  ``Z`` repaid by assets (以资抵债, for that part); ``*`` no repayment history this month (nothing
  due, e.g. the month the account opened); ``#`` account open but the status is unknown;
  ``/`` account not opened — 南方财富网 2022-12-07 (southmoney.com/yinhang/daikuan/202212/34044174.html)
  and 希财网 (csai.cn/v/74234.html).
* ``B`` bad debt (呆账, long unpaid) and ``M`` overdue amounts all repaid, but after the due date
  (逾期后已还清所有逾期款项，并非在还款日前还清) — 希财网 (csai.cn/video/76500.html).
* 连三累六: "连三: 连续三个月未按时还款; 累六: 两年内累计六次逾期记录" (ptssm.com/post/13876.html).

The library keeps the record oldest month first, the current month last, as a calendar reads.

>>> from datetime import date
>>> r = None
>>> for month, dpd in ((1, 0), (2, 12), (3, 40), (4, 70), (5, 0)):
...     r = advance_pboc(r, as_of=date(2024, month, 28), days_past_due=dpd)
>>> r.record[-5:], r.overdue_months(), r.longest_run(), r.lian_san_lei_liu
('N123N', 3, 3, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from autoloan.dates import coerce_date
from autoloan.delinquency._validate import MAX_DAYS, check_amount, check_days, check_flag
from autoloan.delinquency.classification import Grade
from autoloan.errors import InvalidInput
from autoloan.money import currency as _currency

__all__ = [
    "PBOC_CITATIONS",
    "PbocRecord",
    "PbocStatus",
    "advance_pboc",
    "pboc_report",
    "pboc_status",
]

#: The public sources each status character was checked against.
PBOC_CITATIONS: dict[str, str] = {
    "codes": "南方财富网《征信报告上的字母是什么意思?里面数字代表什么》2022-12-07 "
    "(southmoney.com/yinhang/daikuan/202212/34044174.html); 希财网 csai.cn/v/74234.html",
    "B,M": "希财网《征信报告数字符号解读》(csai.cn/video/76500.html)",
    "连三累六": "ptssm.com/post/13876.html: 连三 = 连续三个月未按时还款, 累六 = 两年内累计六次逾期记录",
}

#: Months a record keeps: the longest window lenders read (five years).
HISTORY_MONTHS = 60


class PbocStatus(Grade):
    """One month's repayment status character in the PBoC personal credit report (还款状态).

    ``rank`` orders severity: 0 for the non-overdue characters, 1–7 for the overdue digits, 8 for
    ``B`` (呆账). ``parse`` accepts the character itself (``"N"``, ``"3"``, ``"*"``) or a label.

    >>> PbocStatus.parse("3").label_zh, PbocStatus.BAD_DEBT.rank, PbocStatus("N").overdue
    ('逾期61–90天', 8, False)
    """

    NORMAL = ("N", 0, "paid in full on time", "正常（按时足额还款）")
    OVERDUE_1 = ("1", 1, "overdue 1–30 days", "逾期1–30天")
    OVERDUE_2 = ("2", 2, "overdue 31–60 days", "逾期31–60天")
    OVERDUE_3 = ("3", 3, "overdue 61–90 days", "逾期61–90天")
    OVERDUE_4 = ("4", 4, "overdue 91–120 days", "逾期91–120天")
    OVERDUE_5 = ("5", 5, "overdue 121–150 days", "逾期121–150天")
    OVERDUE_6 = ("6", 6, "overdue 151–180 days", "逾期151–180天")
    OVERDUE_7 = ("7", 7, "overdue more than 180 days", "逾期180天以上")
    PAID_LATE = ("M", 0, "overdue amounts repaid, after the due date", "逾期后已还清（非按时）")
    CLOSED = ("C", 0, "closed (paid off)", "结清")
    ENDED = ("G", 0, "ended other than by closing", "结束（结清以外的终止）")
    GUARANTOR_PAID = ("D", 0, "paid by the guarantor", "担保人代还")
    SETTLED_BY_ASSETS = ("Z", 0, "repaid by assets (for that part)", "以资抵债")
    BAD_DEBT = ("B", 8, "bad debt", "呆账")
    NOTHING_DUE = ("*", 0, "no repayment history this month (nothing due)", "本月没有还款历史")
    UNKNOWN = ("#", 0, "account open, status unknown this month", "账户已开立，本月状态未知")
    NOT_OPENED = ("/", 0, "account not opened", "未开立账户")

    @property
    def overdue(self) -> bool:
        """An overdue digit ``1``–``7``."""
        return 1 <= self.rank <= 7

    @property
    def char(self) -> str:
        """The one-character code."""
        return str(self.value)

    @classmethod
    def parse(cls, value: Any, field: str = "status") -> PbocStatus:
        """A member, its character (``"N"``, ``"n"``, ``"7"``), its name or a label."""
        if isinstance(value, str) and value.strip().upper() in _BY_CHAR:
            return _BY_CHAR[value.strip().upper()]
        return super().parse(value, field)


_BY_CHAR: dict[str, PbocStatus] = {m.value: m for m in PbocStatus}
_CHAR: dict[PbocStatus, str] = {m: str(m.value) for m in PbocStatus}
_DIGITS: tuple[PbocStatus, ...] = (
    PbocStatus.NORMAL,
    PbocStatus.OVERDUE_1,
    PbocStatus.OVERDUE_2,
    PbocStatus.OVERDUE_3,
    PbocStatus.OVERDUE_4,
    PbocStatus.OVERDUE_5,
    PbocStatus.OVERDUE_6,
    PbocStatus.OVERDUE_7,
)
_OVERDUE_CHARS = frozenset("1234567")
_ALL_CHARS = frozenset(_BY_CHAR)
_FLAG_NAMES = (
    "paid_in_full",
    "charged_off",
    "account_ended",
    "settled_by_assets",
    "guarantor_paid",
    "paid_late",
    "nothing_due",
)


def _digit(days: int) -> PbocStatus:
    # 1: 1–30 days, 2: 31–60 … 6: 151–180, 7: more than 180 days.
    return _DIGITS[min(7, (days + 29) // 30)]


def pboc_status(
    days_past_due: int,
    *,
    paid_in_full: bool = False,
    charged_off: bool = False,
    account_ended: bool = False,
    settled_by_assets: bool = False,
    guarantor_paid: bool = False,
    paid_late: bool = False,
    nothing_due: bool = False,
) -> PbocStatus:
    """The month's status character from days past due at the report date and the month's events.

    Events take precedence, in this order: ``paid_in_full`` → ``C``, ``charged_off`` → ``B`` (呆账),
    ``account_ended`` → ``G``, ``settled_by_assets`` → ``Z``, ``guarantor_paid`` → ``D``; then days
    past due → ``1``–``7``; then, with nothing overdue, ``paid_late`` (this month's instalment was
    paid after its due date) → ``M``, ``nothing_due`` → ``*``, else ``N``.

    >>> [pboc_status(d).value for d in (0, 1, 30, 31, 90, 91, 180, 181)]
    ['N', '1', '1', '2', '3', '4', '6', '7']
    >>> pboc_status(0, paid_late=True).value, pboc_status(400, charged_off=True).value
    ('M', 'B')
    """
    days = check_days(days_past_due)
    given: tuple[bool, ...] = (paid_in_full, charged_off, account_ended, settled_by_assets, guarantor_paid)
    given += (paid_late, nothing_due)
    flags = [check_flag(v, n) for n, v in zip(_FLAG_NAMES, given, strict=True)]
    if flags[0]:
        return PbocStatus.CLOSED
    if flags[1]:
        return PbocStatus.BAD_DEBT
    if flags[2]:
        return PbocStatus.ENDED
    if flags[3]:
        return PbocStatus.SETTLED_BY_ASSETS
    if flags[4]:
        return PbocStatus.GUARANTOR_PAID
    if days:
        return _digit(days)
    if flags[5]:
        return PbocStatus.PAID_LATE
    if flags[6]:
        return PbocStatus.NOTHING_DUE
    return PbocStatus.NORMAL


@dataclass(frozen=True, slots=True)
class PbocRecord:
    """One account's 征信 repayment record as of a month-end report.

    ``history`` holds up to 60 status characters, oldest month first, ``as_of``'s month last
    (months before the account opened are ``/``). ``overdue_amount`` is the amount overdue reported
    this month (当前逾期总额; ``None`` when not given while the account is overdue).

    >>> r = PbocRecord(date(2024, 6, 30), "NNN1NN", Decimal("0.00"), "CNY")
    >>> r.status.label_zh, r.record, r.overdue_months(24)
    ('正常（按时足额还款）', '//////////////////NNN1NN', 1)
    """

    as_of: date
    history: str
    overdue_amount: Decimal | None = None
    currency: str = "CNY"

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", coerce_date(self.as_of, "as_of"))
        h = self.history
        if not isinstance(h, str) or not 1 <= len(h) <= HISTORY_MONTHS or not _ALL_CHARS.issuperset(h):
            raise InvalidInput(
                "history",
                h,
                f"must be 1 to {HISTORY_MONTHS} status characters from " + "".join(_BY_CHAR),
            )
        object.__setattr__(self, "history", h.rjust(HISTORY_MONTHS, "/"))
        cur = _currency(self.currency)
        object.__setattr__(self, "currency", cur.code)
        if self.overdue_amount is not None:
            amount = check_amount(self.overdue_amount, "overdue_amount", cur)
            object.__setattr__(self, "overdue_amount", amount)

    @property
    def status(self) -> PbocStatus:
        """This month's status."""
        return _BY_CHAR[self.history[-1]]

    @property
    def record(self) -> str:
        """The 24-month repayment record (24个月还款记录), oldest first."""
        return self.history[-24:]

    def _window(self, window: int) -> str:
        w = check_days(window, "window")
        if not 1 <= w <= HISTORY_MONTHS:
            raise InvalidInput("window", window, f"must be between 1 and {HISTORY_MONTHS} months")
        return self.history[-w:]

    def overdue_months(self, window: int = 24) -> int:
        """Months with an overdue digit (``1``–``7``) among the last ``window`` months (24 or 60)."""
        return sum(ch in _OVERDUE_CHARS for ch in self._window(window))

    def longest_run(self, window: int = 24) -> int:
        """The longest run of consecutive overdue months among the last ``window`` months."""
        best = run = 0
        for ch in self._window(window):
            run = run + 1 if ch in _OVERDUE_CHARS else 0
            best = max(best, run)
        return best

    def worst(self, window: int = 24) -> PbocStatus:
        """The most severe status among the last ``window`` months (``B`` > ``7`` > … > ``1``)."""
        return max((_BY_CHAR[ch] for ch in self._window(window)), key=lambda s: s.rank)

    @property
    def overdue_months_24(self) -> int:
        """Overdue months in the last 24."""
        return self.overdue_months(24)

    @property
    def overdue_months_60(self) -> int:
        """Overdue months in the last 60."""
        return self.overdue_months(60)

    @property
    def lian_san_lei_liu(self) -> bool:
        """连三累六: three consecutive overdue months, or six in all, within the last 24 months."""
        return self.longest_run(24) >= 3 or self.overdue_months(24) >= 6

    def to_row(self) -> dict[str, Any]:
        """A flat dict for JSON or a data frame row."""
        return {
            "as_of": self.as_of,
            "status": self.status.value,
            "status_zh": self.status.label_zh,
            "record_24": self.record,
            "overdue_months_24": self.overdue_months(24),
            "overdue_months_60": self.overdue_months(60),
            "longest_run_24": self.longest_run(24),
            "longest_run_60": self.longest_run(60),
            "lian_san_lei_liu": self.lian_san_lei_liu,
            "overdue_amount": self.overdue_amount,
            "currency": self.currency,
        }


def advance_pboc(
    previous: PbocRecord | None,
    *,
    as_of: Any,
    days_past_due: int,
    amount_past_due: Any = None,
    currency: str | None = None,
    **events: bool,
) -> PbocRecord:
    """This month's record from last month's (``None`` for the first report).

    Months between two reports are ``#`` (open, status unknown); months before the first report
    are ``/`` (not opened). ``events`` are :func:`pboc_status`'s flags.

    >>> r = advance_pboc(None, as_of=date(2024, 1, 31), days_past_due=0, nothing_due=True)
    >>> r = advance_pboc(r, as_of=date(2024, 4, 30), days_past_due=45, amount_past_due="3100")
    >>> r.record[-4:], r.overdue_amount
    ('*##2', Decimal('3100.00'))
    """
    when = as_of if type(as_of) is date else coerce_date(as_of, "as_of")
    if events:
        unknown = set(events) - set(_FLAG_NAMES)
        if unknown:
            raise InvalidInput("events", sorted(unknown), "unknown event; use " + ", ".join(_FLAG_NAMES))
        status = pboc_status(days_past_due, **events)
    elif type(days_past_due) is int and 0 <= days_past_due <= MAX_DAYS:
        status = _digit(days_past_due)
    else:
        status = _digit(check_days(days_past_due))
    if previous is None:
        history = _CHAR[status].rjust(HISTORY_MONTHS, "/")
        code = currency if currency is not None else "CNY"
    else:
        if not isinstance(previous, PbocRecord):
            raise InvalidInput("previous", previous, "must be a PbocRecord or None")
        gap = (when.year - previous.as_of.year) * 12 + (when.month - previous.as_of.month)
        if gap < 1:
            raise InvalidInput(
                "as_of", when, f"must be in a later month than the previous report ({previous.as_of})"
            )
        if gap == 1:
            history = previous.history[1:] + _CHAR[status]
        else:
            gaps = "#" * min(gap - 1, HISTORY_MONTHS)
            history = (previous.history + gaps + _CHAR[status])[-HISTORY_MONTHS:]
        code = currency if currency is not None else previous.currency
    zero = _ZERO.get(code) if type(code) is str else None
    if zero is None or amount_past_due is not None:
        cur = _currency(code)
        code = cur.code
        zero = _ZERO.get(code)
        if zero is None:
            zero = _ZERO.setdefault(code, check_amount(0, "amount_past_due", cur))
        if amount_past_due is not None:
            amount: Decimal | None = check_amount(amount_past_due, "amount_past_due", cur)
    if amount_past_due is None:
        amount = zero if status.rank == 0 and status is not PbocStatus.UNKNOWN else None
    # Every field is checked above: build the record without checking it again.
    record = object.__new__(PbocRecord)
    object.__setattr__(record, "as_of", when)
    object.__setattr__(record, "history", history)
    object.__setattr__(record, "overdue_amount", amount)
    object.__setattr__(record, "currency", code)
    return record


_ZERO: dict[str, Decimal] = {}


def pboc_report(snapshots: Iterable[Any], *, previous: PbocRecord | None = None) -> PbocRecord:
    """The 征信 record after a run of monthly snapshots (the same input as the Metro 2 timeline).

    Each snapshot is a :class:`~.views.Snapshot`, a mapping of its fields, or an
    ``AccountStatus``-like object (``as_of``, ``days_past_due``, ``amount_past_due``, ``currency``
    are read), exactly as :func:`~.timeline.classify_timeline` takes them; the events of
    :func:`pboc_status` are the snapshot's flags. The record's currency is the snapshot's.
    ``classify_timeline(snapshots)[-1].pboc`` is the same record, with every other view beside it.

    >>> dpd = [0, 0, 35, 65, 95, 0]
    >>> snaps = [{"as_of": date(2024, m, 28), "days_past_due": d} for m, d in enumerate(dpd, 1)]
    >>> r = pboc_report(snaps)
    >>> r.record[-6:], r.longest_run(), r.lian_san_lei_liu
    ('NN234N', 3, True)
    """
    from autoloan.delinquency.views import Snapshot

    if isinstance(snapshots, str | bytes | Mapping) or not isinstance(snapshots, Iterable):
        raise InvalidInput("snapshots", snapshots, "must be a sequence of monthly snapshots")
    if previous is not None and not isinstance(previous, PbocRecord):
        raise InvalidInput("previous", previous, "must be a PbocRecord or None")
    record = previous
    seen = False
    for i, item in enumerate(snapshots):
        seen = True
        try:
            if isinstance(item, Snapshot):
                snap = item
            elif isinstance(item, Mapping):
                try:
                    snap = Snapshot(**item)
                except TypeError as exc:
                    raise InvalidInput("", dict(item), f"unknown field: {exc}") from None
            elif hasattr(item, "days_past_due"):
                snap = Snapshot.from_status(item)
            else:
                raise InvalidInput("", item, "must be a Snapshot, a mapping or an AccountStatus-like object")
            if snap.as_of is None:
                raise InvalidInput("as_of", None, "every monthly snapshot needs as_of")
            events = {n: True for n in _FLAG_NAMES if getattr(snap, n)}
            record = advance_pboc(
                record,
                as_of=snap.as_of,
                days_past_due=snap.days_past_due,
                amount_past_due=snap.amount_past_due,
                currency=snap.currency,
                **events,
            )
        except InvalidInput as err:
            raise err.prefixed("snapshots", i) from None
    if record is None or not seen:
        raise InvalidInput("snapshots", [], "needs at least one monthly snapshot")
    return record
