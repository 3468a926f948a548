"""Metro 2 credit reporting: account status (17A), payment rating (17B), payment history profile
(18, 24 characters) and the FCRA date of first delinquency (25).

Codes as tabulated by the CFPB's Metro 2 evaluator (cfpb/Metro2
``front-end/src/constants/annotationLookups.ts``, "the definitions of the codes provided in the
Credit Reporting Resource Guide"). An account is not delinquent for reporting until it is at least
30 days past the due date (status 71) (m2reporter.com Metro 2 FAQ 10). The payment rating is
required with status 13, 65, 88, 89, 94 or 95 (m2reporter.com FAQ 12). The history profile is
advanced monthly: the month just ended goes to position 1 and position 24 drops off.

>>> from datetime import date
>>> from autoloan.delinquency.metro2 import classify_metro2, advance
>>> classify_metro2(65).grade.value, classify_metro2(200, charged_off=True).grade.value
('78', '97')
>>> r = advance(None, as_of=date(2024, 1, 31), days_past_due=0)
>>> r = advance(r, as_of=date(2024, 2, 29), days_past_due=35)
>>> r = advance(r, as_of=date(2024, 3, 31), days_past_due=64)
>>> r.account_status.value, r.payment_history[:3], len(r.payment_history), r.dofd
('78', '10B', 24, datetime.date(2024, 2, 24))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from autoloan.dates import coerce_date
from autoloan.delinquency._table import DayTable
from autoloan.delinquency._validate import MAX_DAYS, check_days, check_flag
from autoloan.delinquency.classification import Classification, Grade
from autoloan.errors import InvalidInput

__all__ = [
    "PAYMENT_HISTORY_CODES",
    "PAYMENT_RATINGS",
    "Metro2Record",
    "Metro2Status",
    "advance",
    "classify_metro2",
    "classify_metro2_many",
    "history_char",
]

CITATION = "CDIA Metro 2 Credit Reporting Resource Guide, Base Segment field 17A (Account Status)"
CIT_DOFD = "FCRA 15 U.S.C. 1681s-2(a)(5); Metro 2 Base Segment field 25 (Date of First Delinquency)"


class Metro2Status(Grade):
    """Metro 2 Account Status (field 17A) codes relevant to auto loans; ``rank`` orders severity.

    >>> Metro2Status("96").label_en, Metro2Status.CHARGE_OFF.code
    ('merchandise was repossessed; there may be a balance due', '97')
    """

    CURRENT = ("11", 0, "current account (0–29 days past the due date)", "正常（逾期0–29天）")
    PAID_OR_CLOSED = ("13", 0, "paid or closed account / zero balance", "已结清或已关闭")
    PAID_VOLUNTARY_SURRENDER = ("61", 1, "paid in full, was a voluntary surrender", "已结清（曾自愿交车）")
    PAID_COLLECTION = ("62", 1, "paid in full, was a collection account", "已结清（曾催收）")
    PAID_REPOSSESSION = ("63", 1, "paid in full, was a repossession", "已结清（曾收车）")
    PAID_CHARGE_OFF = ("64", 1, "paid in full, was a charge-off", "已结清（曾核销）")
    DPD_30 = ("71", 1, "30–59 days past the due date", "逾期30–59天")
    DPD_60 = ("78", 2, "60–89 days past the due date", "逾期60–89天")
    DPD_90 = ("80", 3, "90–119 days past the due date", "逾期90–119天")
    DPD_120 = ("82", 4, "120–149 days past the due date", "逾期120–149天")
    DPD_150 = ("83", 5, "150–179 days past the due date", "逾期150–179天")
    DPD_180 = ("84", 6, "180 days or more past the due date", "逾期180天及以上")
    COLLECTIONS = ("93", 7, "assigned to internal or external collections", "已转催收")
    VOLUNTARY_SURRENDER = (
        "95",
        8,
        "voluntary surrender; there may be a balance due",
        "自愿交车，可能仍有欠款",
    )
    REPOSSESSION = (
        "96",
        8,
        "merchandise was repossessed; there may be a balance due",
        "已收车，可能仍有欠款",
    )
    CHARGE_OFF = ("97", 9, "unpaid balance reported as a loss (charge-off)", "未偿余额已核销")

    @property
    def code(self) -> str:
        """The two-character code (``"71"``)."""
        return str(self.value)


#: Payment rating (field 17B) values.
PAYMENT_RATINGS: dict[str, tuple[str, str]] = {
    "0": ("current (0–29 days past the due date)", "正常（逾期0–29天）"),
    "1": ("30–59 days past the due date", "逾期30–59天"),
    "2": ("60–89 days past the due date", "逾期60–89天"),
    "3": ("90–119 days past the due date", "逾期90–119天"),
    "4": ("120–149 days past the due date", "逾期120–149天"),
    "5": ("150–179 days past the due date", "逾期150–179天"),
    "6": ("180 or more days past the due date", "逾期180天及以上"),
    "G": ("collection", "催收"),
    "L": ("charge-off", "核销"),
}

#: Payment history profile (field 18) characters.
PAYMENT_HISTORY_CODES: dict[str, tuple[str, str]] = {
    **PAYMENT_RATINGS,  # 0-6, G (collection) and L (charge-off) mean the same in both fields
    "B": ("no payment history available prior to this time", "此前无还款记录"),
    "D": ("no payment history reported/available this month", "本月无还款记录"),
    "E": ("zero balance and account status 11", "余额为零且状态为11"),
    "H": ("foreclosure completed", "止赎完成"),
    "J": ("voluntary surrender", "自愿交车"),
    "K": ("repossession", "收车"),
}

_PHP_CHARS = frozenset(PAYMENT_HISTORY_CODES)

_BY_DAYS = (
    (180, Metro2Status.DPD_180),
    (150, Metro2Status.DPD_150),
    (120, Metro2Status.DPD_120),
    (90, Metro2Status.DPD_90),
    (60, Metro2Status.DPD_60),
    (30, Metro2Status.DPD_30),
)
_DIGIT = {
    Metro2Status.CURRENT: "0",
    Metro2Status.DPD_30: "1",
    Metro2Status.DPD_60: "2",
    Metro2Status.DPD_90: "3",
    Metro2Status.DPD_120: "4",
    Metro2Status.DPD_150: "5",
    Metro2Status.DPD_180: "6",
}
_LETTER = {
    Metro2Status.COLLECTIONS: "G",
    Metro2Status.VOLUNTARY_SURRENDER: "J",
    Metro2Status.REPOSSESSION: "K",
    Metro2Status.CHARGE_OFF: "L",
    Metro2Status.PAID_COLLECTION: "G",
    Metro2Status.PAID_VOLUNTARY_SURRENDER: "J",
    Metro2Status.PAID_REPOSSESSION: "K",
    Metro2Status.PAID_CHARGE_OFF: "L",
}
# Statuses that carry a payment rating (m2reporter FAQ 12: 13, 65, 88, 89, 94, 95; of these, the
# auto-loan ones).
_RATED = frozenset({Metro2Status.PAID_OR_CLOSED, Metro2Status.VOLUNTARY_SURRENDER})
_DEROGATORY_EVENTS = frozenset(
    {
        Metro2Status.COLLECTIONS,
        Metro2Status.VOLUNTARY_SURRENDER,
        Metro2Status.REPOSSESSION,
        Metro2Status.CHARGE_OFF,
        Metro2Status.PAID_VOLUNTARY_SURRENDER,
        Metro2Status.PAID_COLLECTION,
        Metro2Status.PAID_REPOSSESSION,
        Metro2Status.PAID_CHARGE_OFF,
    }
)


def _rating_for_days(days: int) -> str:
    for low, status in _BY_DAYS:
        if days >= low:
            return _DIGIT[status]
    return "0"


def _by_days(days: int) -> Classification:
    status = Metro2Status.CURRENT
    for low, st in _BY_DAYS:
        if days >= low:
            status = st
            break
    reason = status.label_en
    return Classification("METRO2", status, f"METRO2.17A.{status.code}", CITATION, reason, ())


_TABLE: DayTable[Classification] = DayTable(_by_days, 180)


def classify_metro2(
    days_past_due: int,
    *,
    charged_off: bool = False,
    repossessed: bool = False,
    voluntary_surrender: bool = False,
    in_collections: bool = False,
    paid_in_full: bool = False,
) -> Classification:
    """Metro 2 account status for one account; ``params()["payment_rating"]`` when one is required.

    Events take precedence over days past due: charge-off (97) > repossession (96) > voluntary
    surrender (95) > collections (93). ``paid_in_full`` turns them into 64 / 63 / 61 / 62, or 13.

    >>> classify_metro2(29).grade.value, classify_metro2(30).grade.value
    ('11', '71')
    >>> c = classify_metro2(75, voluntary_surrender=True)
    >>> c.grade.value, c.params()["payment_rating"]
    ('95', '2')
    >>> classify_metro2(0, paid_in_full=True, repossessed=True).grade.value
    '63'
    """
    if (
        charged_off is False
        and repossessed is False
        and voluntary_surrender is False
        and in_collections is False
        and paid_in_full is False
    ):
        return _TABLE.get(days_past_due)
    days = check_days(days_past_due)
    for name, flag in (
        ("charged_off", charged_off),
        ("repossessed", repossessed),
        ("voluntary_surrender", voluntary_surrender),
        ("in_collections", in_collections),
        ("paid_in_full", paid_in_full),
    ):
        check_flag(flag, name)
    if paid_in_full:
        if charged_off:
            status = Metro2Status.PAID_CHARGE_OFF
        elif repossessed:
            status = Metro2Status.PAID_REPOSSESSION
        elif voluntary_surrender:
            status = Metro2Status.PAID_VOLUNTARY_SURRENDER
        elif in_collections:
            status = Metro2Status.PAID_COLLECTION
        else:
            status = Metro2Status.PAID_OR_CLOSED
    elif charged_off:
        status = Metro2Status.CHARGE_OFF
    elif repossessed:
        status = Metro2Status.REPOSSESSION
    elif voluntary_surrender:
        status = Metro2Status.VOLUNTARY_SURRENDER
    else:
        status = Metro2Status.COLLECTIONS
    params: tuple[tuple[str, Any], ...] = ()
    if status in _RATED:
        params = (("payment_rating", _rating_for_days(days)),)
    return Classification("METRO2", status, f"METRO2.17A.{status.code}", CITATION, status.label_en, params)


def history_char(
    status: Metro2Status, *, zero_balance: bool = False, payment_rating: str | None = None
) -> str:
    """The payment-history-profile character for a month reported with ``status``.

    >>> history_char(Metro2Status.DPD_90), history_char(Metro2Status.CURRENT, zero_balance=True)
    ('3', 'E')
    >>> history_char(Metro2Status.REPOSSESSION), history_char(Metro2Status.PAID_OR_CLOSED, payment_rating="1")
    ('K', '1')
    """
    status = Metro2Status.parse(status, "status")
    if status is Metro2Status.CURRENT and check_flag(zero_balance, "zero_balance"):
        return "E"
    if status in _DIGIT:
        return _DIGIT[status]
    if status in _LETTER:
        return _LETTER[status]
    if payment_rating is not None:
        if not isinstance(payment_rating, str) or payment_rating not in PAYMENT_RATINGS:
            raise InvalidInput("payment_rating", payment_rating, "unknown payment rating")
        return payment_rating
    return "0"


@dataclass(frozen=True, slots=True)
class Metro2Record:
    """One month's Metro 2 base-segment fields for an account.

    ``payment_history`` holds the 24 months *before* ``as_of`` (position 1 = the previous month).

    >>> r = Metro2Record(date(2024, 3, 31), Metro2Status.DPD_30, None, "0" + "B" * 23, date(2024, 3, 20), 41)
    >>> r.month_char, r.to_row()["account_status"]
    ('1', '71')
    """

    as_of: date
    account_status: Metro2Status
    payment_rating: str | None
    payment_history: str
    dofd: date | None
    days_past_due: int
    zero_balance: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", coerce_date(self.as_of, "as_of"))
        object.__setattr__(self, "account_status", Metro2Status.parse(self.account_status, "account_status"))
        rating = self.payment_rating
        if rating is not None and (not isinstance(rating, str) or rating not in PAYMENT_RATINGS):
            raise InvalidInput("payment_rating", self.payment_rating, "unknown payment rating")
        php = self.payment_history
        if not isinstance(php, str) or len(php) != 24 or not _PHP_CHARS.issuperset(php):
            raise InvalidInput(
                "payment_history", php, "must be 24 characters from " + "".join(PAYMENT_HISTORY_CODES)
            )
        if self.dofd is not None:
            object.__setattr__(self, "dofd", coerce_date(self.dofd, "dofd"))
        object.__setattr__(self, "days_past_due", check_days(self.days_past_due))
        object.__setattr__(self, "zero_balance", check_flag(self.zero_balance, "zero_balance"))

    @property
    def month_char(self) -> str:
        """This month's character, which becomes position 1 of next month's history."""
        status = self.account_status
        if status is Metro2Status.CURRENT:
            return "E" if self.zero_balance else "0"
        char = _DIGIT.get(status) or _LETTER.get(status)
        if char is not None:
            return char
        return history_char(status, zero_balance=self.zero_balance, payment_rating=self.payment_rating)

    def to_row(self) -> dict[str, Any]:
        """Plain dict of the fields (17A, 17B, 18, 25)."""
        return {
            "as_of": self.as_of,
            "account_status": self.account_status.code,
            "payment_rating": self.payment_rating,
            "payment_history_profile": self.payment_history,
            "date_of_first_delinquency": self.dofd,
        }


def advance(
    previous: Metro2Record | None,
    *,
    as_of: Any,
    days_past_due: int,
    charged_off: bool = False,
    repossessed: bool = False,
    voluntary_surrender: bool = False,
    in_collections: bool = False,
    paid_in_full: bool = False,
    zero_balance: bool = False,
    dofd_offset_days: int = 30,
) -> Metro2Record:
    """This month's record from last month's: status, rating, shifted history, stable DOFD.

    * first report (``previous=None``): history is 24 × ``B`` (no history before);
    * months not reported between ``previous.as_of`` and ``as_of`` are filled with ``D``;
    * the date of first delinquency is the day the current delinquency reached
      ``dofd_offset_days`` (30) days past due; it is kept unchanged while the account stays
      delinquent or derogatory, and cleared when the account is reported current (11).

    >>> r = advance(None, as_of=date(2024, 1, 31), days_past_due=40)
    >>> r = advance(r, as_of=date(2024, 4, 30), days_past_due=20)   # February and March missing
    >>> r.payment_history[:4], r.dofd
    ('DD1B', None)
    """
    when = as_of if type(as_of) is date else coerce_date(as_of, "as_of")
    if type(dofd_offset_days) is not int or not 0 <= dofd_offset_days <= MAX_DAYS:
        dofd_offset_days = check_days(dofd_offset_days, "dofd_offset_days")
    if zero_balance is not False:
        zero_balance = check_flag(zero_balance, "zero_balance")
    if (
        charged_off is False
        and repossessed is False
        and voluntary_surrender is False
        and in_collections is False
        and paid_in_full is False
    ):
        cls = _TABLE.get(days_past_due)
    else:
        cls = classify_metro2(
            days_past_due,
            charged_off=charged_off,
            repossessed=repossessed,
            voluntary_surrender=voluntary_surrender,
            in_collections=in_collections,
            paid_in_full=paid_in_full,
        )
    status = cls.grade
    assert isinstance(status, Metro2Status)
    rating = dict(cls.parameters).get("payment_rating") if cls.parameters else None
    if previous is None:
        php = "B" * 24
        prev_dofd = None
    else:
        if not isinstance(previous, Metro2Record):
            raise InvalidInput("previous", previous, "must be a Metro2Record or None")
        gap = (when.year - previous.as_of.year) * 12 + (when.month - previous.as_of.month)
        if gap < 1:
            raise InvalidInput(
                "as_of", when, f"must be in a later month than the previous report ({previous.as_of})"
            )
        php = ("D" * (gap - 1) + previous.month_char + previous.payment_history)[:24]
        prev_dofd = previous.dofd
    days = days_past_due if type(days_past_due) is int else check_days(days_past_due)
    if status is Metro2Status.CURRENT:
        dofd = None
    elif status is Metro2Status.PAID_OR_CLOSED:
        dofd = prev_dofd if rating not in (None, "0") else None
    elif prev_dofd is not None:
        dofd = prev_dofd  # stable while the delinquency continues (FCRA 623(a)(5))
    elif days >= dofd_offset_days:
        back = days - dofd_offset_days
        if back >= when.toordinal():
            raise InvalidInput(
                "days_past_due", days_past_due, f"reaches back before the first calendar day from {when}"
            )
        dofd = when - timedelta(days=back)
    elif status in _DEROGATORY_EVENTS:
        dofd = when
    else:
        dofd = None
    # Every field is checked above: build the record without checking it again.
    record = object.__new__(Metro2Record)
    setattr_ = object.__setattr__
    setattr_(record, "as_of", when)
    setattr_(record, "account_status", status)
    setattr_(record, "payment_rating", rating)
    setattr_(record, "payment_history", php)
    setattr_(record, "dofd", dofd)
    setattr_(record, "days_past_due", days)
    setattr_(record, "zero_balance", zero_balance)
    return record


def classify_metro2_many(days: Sequence[int]) -> list[Classification]:
    """Account status for a whole column of day counts (no events).

    >>> [c.grade.value for c in classify_metro2_many([0, 45, 200])]
    ['11', '71', '84']
    """
    return _TABLE.many(days)
