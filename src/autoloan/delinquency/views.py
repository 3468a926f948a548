"""Every view of one account side by side: buckets, 五级分类, FFIEC, IFRS 9, EU default, Metro 2.

:func:`classify_all` takes either plain keyword inputs or any object with a ``days_past_due``
attribute (the servicing layer's ``AccountStatus`` fits: ``amount_past_due``,
``principal_balance`` and ``as_of`` are read when present).

>>> from autoloan.delinquency.views import classify_all
>>> v = classify_all(days_past_due=95)
>>> v.cycle.name, v.dpd30.name, v.china.grade.label_zh, v.ffiec.grade.value, v.ifrs9.grade.value
('M4', '90-119', '次级', 'substandard', 'stage_3')
>>> v.basel.grade.value, v.metro2.grade.value
('defaulted', '80')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from autoloan._html import dataframe, render_html, render_repr
from autoloan.dates import coerce_date
from autoloan.delinquency._validate import (
    MAX_DAYS,
    check_amount,
    check_days,
    check_days_many,
    check_flag,
    check_optional_date,
)
from autoloan.delinquency.basel import BaselRules
from autoloan.delinquency.buckets import Bucket, BucketScheme
from autoloan.delinquency.china import ChinaRules
from autoloan.delinquency.classification import Classification, FiveTier
from autoloan.delinquency.ffiec import FfiecRules
from autoloan.delinquency.ifrs9 import Ifrs9Rules
from autoloan.delinquency.metro2 import classify_metro2, classify_metro2_many
from autoloan.errors import InvalidInput
from autoloan.money import MoneyLike
from autoloan.money import currency as _currency

__all__ = [
    "DEFAULT_RULEBOOK",
    "Rulebook",
    "Snapshot",
    "StatusLike",
    "Views",
    "classify_all",
    "classify_many",
    "classify_snapshot",
]


@runtime_checkable
class StatusLike(Protocol):
    """Anything with ``days_past_due``; ``amount_past_due``, ``principal_balance``, ``as_of`` optional.

    >>> from types import SimpleNamespace
    >>> isinstance(SimpleNamespace(days_past_due=3), StatusLike)
    True
    """

    @property
    def days_past_due(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Rulebook:
    """The parameter sets every view uses (defaults: the rules as published).

    >>> book = Rulebook(china=ChinaRules.credit_card_2011())
    >>> classify_all(days_past_due=150, rulebook=book).china.grade.label_zh
    '可疑'
    """

    china: ChinaRules = field(default_factory=ChinaRules.retail_2023)
    ffiec: FfiecRules = field(default_factory=FfiecRules)
    ifrs9: Ifrs9Rules = field(default_factory=Ifrs9Rules)
    basel: BaselRules = field(default_factory=BaselRules)
    cycles: BucketScheme = field(default_factory=BucketScheme.cycles)
    dpd30: BucketScheme = field(default_factory=BucketScheme.dpd30)

    def __post_init__(self) -> None:
        for name, kind in (
            ("china", ChinaRules),
            ("ffiec", FfiecRules),
            ("ifrs9", Ifrs9Rules),
            ("basel", BaselRules),
            ("cycles", BucketScheme),
            ("dpd30", BucketScheme),
        ):
            if not isinstance(getattr(self, name), kind):
                raise InvalidInput(f"rulebook.{name}", getattr(self, name), f"must be a {kind.__name__}")


_DEFAULT_BOOK = Rulebook()
#: The rules as published (shared: a Rulebook is immutable and builds its lookup tables once).
DEFAULT_RULEBOOK = _DEFAULT_BOOK

_FLAGS = (
    "restructured",
    "unlikely_to_pay",
    "distressed_restructuring",
    "deceased",
    "loss_determined",
    "repayment_likely",
    "repossession_assured",
    "charged_off",
    "repossessed",
    "voluntary_surrender",
    "in_collections",
    "paid_in_full",
    "open_end",
    "rebut_sicr",
    "rebut_default",
    "significant_increase",
    "credit_impaired",
    "zero_balance",
    "paid_late",
    "guarantor_paid",
    "settled_by_assets",
    "account_ended",
    "nothing_due",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One account at one date: days past due, amounts and the event flags the views need.

    ``days_delinquent`` (optional) is the servicing layer's count of days past due while the arrears
    are material; when given, the EU default view counts it instead of ``days_past_due``
    (EBA/GL/2016/07 counts days past due only while the past-due amount is material).

    Amounts are quantized to ``currency``. ``exposure`` (total on-balance exposure, for EU
    materiality) defaults to ``balance``. ``cn_override`` is the bank's qualitative 五级 grade
    (it can only worsen the result). ``restructured`` marks a restructured asset in its observation
    period; in a timeline, ``restructured_first_due`` (the first repayment date after the contract
    change) starts the observation period and the timeline tracks it.

    ``paid_late``, ``guarantor_paid``, ``settled_by_assets``, ``account_ended`` and ``nothing_due``
    are this month's events for the 征信 record (:func:`~.pboc.pboc_status`: ``M``, ``D``, ``Z``,
    ``G``, ``*``); ``paid_in_full`` reports ``C`` and ``charged_off`` ``B`` there.

    >>> Snapshot(days_past_due=-1)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: days_past_due: must be between 0 and 100000 (got -1)
    """

    days_past_due: int
    as_of: date | str | None = None
    days_delinquent: int | None = None
    amount_past_due: MoneyLike | None = None
    balance: MoneyLike | None = None
    exposure: MoneyLike | None = None
    collateral_value: MoneyLike | None = None
    cost_to_sell: MoneyLike | None = None
    currency: str = "USD"
    bankruptcy_notified_on: date | str | None = None
    fraud_discovered_on: date | str | None = None
    cn_override: FiveTier | str | None = None
    restructured_first_due: date | str | None = None
    restructured: bool = False
    unlikely_to_pay: bool = False
    distressed_restructuring: bool = False
    deceased: bool = False
    loss_determined: bool = False
    repayment_likely: bool = False
    repossession_assured: bool = False
    charged_off: bool = False
    repossessed: bool = False
    voluntary_surrender: bool = False
    in_collections: bool = False
    paid_in_full: bool = False
    open_end: bool = False
    rebut_sicr: bool = False
    rebut_default: bool = False
    significant_increase: bool = False
    credit_impaired: bool = False
    zero_balance: bool = False
    paid_late: bool = False
    guarantor_paid: bool = False
    settled_by_assets: bool = False
    account_ended: bool = False
    nothing_due: bool = False

    def __post_init__(self) -> None:
        if type(self.days_past_due) is not int or not 0 <= self.days_past_due <= MAX_DAYS:
            object.__setattr__(self, "days_past_due", check_days(self.days_past_due))
        if self.days_delinquent is not None:
            object.__setattr__(self, "days_delinquent", check_days(self.days_delinquent, "days_delinquent"))
        cur = _currency(self.currency)
        object.__setattr__(self, "currency", cur.code)
        if self.as_of is not None:
            object.__setattr__(self, "as_of", coerce_date(self.as_of, "as_of"))
        for name in ("amount_past_due", "balance", "exposure", "collateral_value", "cost_to_sell"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check_amount(value, name, cur))
        for name in ("bankruptcy_notified_on", "fraud_discovered_on", "restructured_first_due"):
            object.__setattr__(self, name, check_optional_date(getattr(self, name), name))
        if self.cn_override is not None:
            object.__setattr__(self, "cn_override", FiveTier.parse(self.cn_override, "cn_override"))
        for name in _FLAGS:
            value = getattr(self, name)
            if value is not False and value is not True:
                object.__setattr__(self, name, check_flag(value, name))

    @classmethod
    def from_status(cls, status: Any, **overrides: Any) -> Snapshot:
        """Build from an ``AccountStatus``-like object, plus keyword overrides and flags."""
        if not hasattr(status, "days_past_due"):
            raise InvalidInput("status", status, "needs a days_past_due attribute")
        data: dict[str, Any] = {"days_past_due": status.days_past_due}
        for attr, key in (
            ("as_of", "as_of"),
            ("amount_past_due", "amount_past_due"),
            ("principal_balance", "balance"),
            ("currency", "currency"),
            ("days_delinquent", "days_delinquent"),
        ):
            value = getattr(status, attr, None)
            if value is not None:
                data[key] = value
        data.update(overrides)
        try:
            return cls(**data)
        except TypeError as exc:  # unknown keyword
            raise InvalidInput("snapshot", sorted(overrides), f"unknown field: {exc}") from None


@dataclass(frozen=True, slots=True)
class Views:
    """One account through every view. ``str(views)`` is a side-by-side table.

    >>> v = classify_all(days_past_due=61)
    >>> [r["grade"] for r in v.to_rows()]
    ['M3', '60-89', 'special_mention', 'pass', 'stage_2', 'not_defaulted', '78']
    """

    snapshot: Snapshot
    cycle: Bucket
    dpd30: Bucket
    china: Classification
    ffiec: Classification
    ifrs9: Classification
    basel: Classification
    metro2: Classification
    cycle_citation: str = ""
    dpd30_citation: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.snapshot, Snapshot):
            raise InvalidInput("snapshot", self.snapshot, "must be a Snapshot")
        for name in ("cycle", "dpd30"):
            if not isinstance(getattr(self, name), Bucket):
                raise InvalidInput(name, getattr(self, name), "must be a Bucket")
        for name in ("china", "ffiec", "ifrs9", "basel", "metro2"):
            if not isinstance(getattr(self, name), Classification):
                raise InvalidInput(name, getattr(self, name), "must be a Classification")

    def classifications(self) -> tuple[Classification, ...]:
        """The five regulatory / reporting classifications in display order."""
        return (self.china, self.ffiec, self.ifrs9, self.basel, self.metro2)

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain dict per view (bucket views first)."""
        rows: list[dict[str, Any]] = []
        for view, bucket, citation in (
            ("cycle bucket", self.cycle, self.cycle_citation),
            ("DPD bucket", self.dpd30, self.dpd30_citation),
        ):
            rows.append(
                {
                    "view": view,
                    "grade": bucket.name,
                    "label_en": bucket.label_en,
                    "label_zh": bucket.label_zh,
                    "rule_id": "BUCKET." + citation.split(":", 1)[0] if citation else "BUCKET",
                    "citation": citation.split(": ", 1)[1] if ": " in citation else "",
                    "reason": f"{bucket.range_text} days past due",
                }
            )
        names = ("China 五级分类", "FFIEC retail", "IFRS 9", "EU/Basel default", "Metro 2 status")
        for name, c in zip(names, self.classifications(), strict=True):
            row = c.to_row()
            row.pop("scheme")
            row.pop("parameters")
            rows.append({"view": name, **row})
        return rows

    def __str__(self) -> str:
        rows = self.to_rows()
        cols = ("view", "grade", "label_en", "label_zh", "rule_id")
        widths = {c: max(_width(c), *(_width(str(r[c])) for r in rows)) for c in cols}
        head = f"days past due: {self.snapshot.days_past_due}"
        lines = [head, "  ".join(_pad(c, widths[c]) for c in cols).rstrip()]
        lines.append("  ".join("-" * widths[c] for c in cols))
        lines += ["  ".join(_pad(str(r[c]), widths[c]) for c in cols).rstrip() for r in rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return render_repr(self)

    def _repr_html_(self) -> str:
        return render_html(self)

    def to_pandas(self) -> Any:
        """:meth:`to_rows` as a ``pandas.DataFrame`` indexed by view (needs pandas)."""
        return dataframe(self, index="view")


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if ord(ch) >= 0x1100 and not 0x2000 <= ord(ch) <= 0x206F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


_HISTORY_KEYS = frozenset(
    {
        "china_previous",
        "china_months",
        "ifrs9_previous",
        "ifrs9_months",
        "basel_previous",
        "basel_months",
        "basel_after_restructuring",
    }
)


def classify_snapshot(snap: Snapshot, book: Rulebook = _DEFAULT_BOOK, **history: Any) -> Views:
    """All views of one :class:`Snapshot`; ``history`` carries previous grades and cure months.

    >>> classify_snapshot(Snapshot(days_past_due=0), basel_previous="defaulted", basel_months=1).basel.rule_id
    'EU.EBA.GL2016.07.PROBATION'
    """
    if not isinstance(snap, Snapshot):
        raise InvalidInput("snap", snap, "must be a Snapshot (or use classify_all)")
    if not isinstance(book, Rulebook):
        raise InvalidInput("book", book, "must be a Rulebook")
    unknown = set(history) - _HISTORY_KEYS
    if unknown:
        raise InvalidInput(
            "history", sorted(unknown), "unknown keys; use " + ", ".join(sorted(_HISTORY_KEYS))
        )
    d = snap.days_past_due
    china = book.china.classify(
        d,
        restructured=snap.restructured,
        override=snap.cn_override,
        previous=history.get("china_previous"),
        months_performing=history.get("china_months"),
    )
    ffiec = book.ffiec.classify(
        d,
        open_end=snap.open_end,
        as_of=snap.as_of,
        bankruptcy_notified_on=snap.bankruptcy_notified_on,
        repayment_likely=snap.repayment_likely,
        fraud_discovered_on=snap.fraud_discovered_on,
        deceased=snap.deceased,
        loss_determined=snap.loss_determined,
        repossession_assured=snap.repossession_assured,
        balance=snap.balance,
        collateral_value=snap.collateral_value,
        cost_to_sell=snap.cost_to_sell or 0,
        currency=snap.currency,
    )
    ifrs9 = book.ifrs9.classify(
        d,
        rebut_sicr=snap.rebut_sicr,
        rebut_default=snap.rebut_default,
        significant_increase=snap.significant_increase,
        credit_impaired=snap.credit_impaired,
        previous=history.get("ifrs9_previous"),
        months_since_cure=history.get("ifrs9_months"),
    )
    exposure = snap.exposure if snap.exposure is not None else snap.balance
    use_amounts = (
        snap.amount_past_due is not None
        and exposure is not None
        and Decimal(exposure) > 0
        and snap.currency == book.basel.currency
    )
    basel = book.basel.classify(
        d if snap.days_delinquent is None else snap.days_delinquent,
        amount_past_due=snap.amount_past_due if use_amounts else None,
        exposure=exposure if use_amounts else None,
        unlikely_to_pay=snap.unlikely_to_pay,
        distressed_restructuring=snap.distressed_restructuring,
        previous=history.get("basel_previous"),
        months_since_cure=history.get("basel_months"),
        after_restructuring=check_flag(
            history.get("basel_after_restructuring", False), "basel_after_restructuring"
        ),
    )
    metro2 = classify_metro2(
        d,
        charged_off=snap.charged_off,
        repossessed=snap.repossessed,
        voluntary_surrender=snap.voluntary_surrender,
        in_collections=snap.in_collections,
        paid_in_full=snap.paid_in_full,
    )
    return Views(
        snap,
        book.cycles.bucket(d),
        book.dpd30.bucket(d),
        china,
        ffiec,
        ifrs9,
        basel,
        metro2,
        f"{book.cycles.name}: {book.cycles.citation}".rstrip(": "),
        f"{book.dpd30.name}: {book.dpd30.citation}".rstrip(": "),
    )


def classify_all(status: Any = None, *, rulebook: Rulebook | None = None, **inputs: Any) -> Views:
    """Every view of one account.

    Pass an ``AccountStatus``-like object, or plain keywords (the fields of :class:`Snapshot`:
    ``days_past_due``, ``amount_past_due``, ``balance``, ``as_of``, event flags …), or both
    (keywords override the object's attributes).

    >>> from types import SimpleNamespace
    >>> st = SimpleNamespace(days_past_due=45, amount_past_due="600.00", principal_balance="15000.00")
    >>> classify_all(st, currency="EUR").basel.grade.value
    'not_defaulted'
    >>> print(classify_all(days_past_due=45))  # doctest: +ELLIPSIS
    days past due: 45
    view ...
    cycle bucket     M2 ...
    """
    book = _book(rulebook)
    if status is None and book is _DEFAULT_BOOK and len(inputs) == 1:
        days = inputs.get("days_past_due")
        if type(days) is int and 0 <= days < _PLAIN_LIMIT:
            cached = _PLAIN.get(days)
            if cached is None:
                cached = _PLAIN[days] = classify_snapshot(Snapshot(days), book)
            return cached
    snap = status if isinstance(status, Snapshot) and not inputs else None
    if snap is None:
        snap = Snapshot.from_status(status, **inputs) if status is not None else _snapshot(inputs)
    return classify_snapshot(snap, book)


# Views for a bare day count are immutable and depend on nothing else: share them.
_PLAIN: dict[int, Views] = {}
_PLAIN_LIMIT = 4096


def _snapshot(inputs: dict[str, Any]) -> Snapshot:
    if "days_past_due" not in inputs:
        raise InvalidInput("days_past_due", None, "is required (or pass an AccountStatus-like object)")
    try:
        return Snapshot(**inputs)
    except TypeError as exc:
        raise InvalidInput("inputs", sorted(inputs), f"unknown field: {exc}") from None


def classify_many(days: Sequence[int], *, rulebook: Rulebook | None = None) -> dict[str, list[Any]]:
    """Every view for a whole column of day counts (no flags or amounts), as columns.

    ``days`` is a list or tuple of ints, a numpy integer array or a pandas integer Series; it is
    validated once. Results are shared objects (one per distinct grade), so a million accounts
    cost a million list slots per view, not a million objects.

    >>> cols = classify_many([0, 45, 95, 400])
    >>> [b.name for b in cols["cycle"]], [c.grade.label_zh for c in cols["china"]]
    (['M0', 'M2', 'M4', 'M7+'], ['正常', '关注', '次级', '损失'])
    """
    book = _book(rulebook)
    column = check_days_many(days)
    return {
        "cycle": book.cycles.bucket_many(column),
        "dpd30": book.dpd30.bucket_many(column),
        "china": book.china.classify_many(column),
        "ffiec": book.ffiec.classify_many(column),
        "ifrs9": book.ifrs9.classify_many(column),
        "basel": book.basel.classify_many(column),
        "metro2": classify_metro2_many(column),
    }


def _book(rulebook: Any) -> Rulebook:
    if rulebook is None:
        return _DEFAULT_BOOK
    if not isinstance(rulebook, Rulebook):
        raise InvalidInput("rulebook", rulebook, "must be a Rulebook")
    return rulebook
