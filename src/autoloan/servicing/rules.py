"""ServicingRules: the per-loan choices that turn a payment history into a status.

* **waterfall** — allocation order (:class:`~autoloan.servicing.waterfall.Waterfall` or a preset name).
* **late_fee** / **penalty** — :class:`LateFeeRule` and :class:`PenaltyInterestRule` (罚息), or None.
* **partial_payment** — how days past due treat short payments. FFIEC Uniform Retail
  Credit Classification and Account Management Policy (64 FR 6655, Feb 10, 1999; text
  at https://bankersonline.com/forum/ubbthreads.php/topics/1700035/): "A payment
  equivalent to 90 percent or more of the contractual payment may be considered a full
  payment in computing past due status. Alternatively, the institution may aggregate
  payments and give credit for any partial payment received … may not use both methods
  simultaneously with a single loan." One method per loan, by construction.
* **classification_grace_days** — days subtracted for classification only; the Call Report
  instructions exclude late-fee grace periods from past-due status, so ``days_past_due``
  never uses it (Fineract keeps the same split: ``graceOnArrearsAgeing``).
* **materiality** — optional absolute and relative thresholds: arrears count only while
  both are exceeded (Commission Delegated Regulation (EU) 2018/171, Art. 1(2): absolute
  component at most EUR 100 for retail, relative component 1 % unless the authority sets
  otherwise; recital (2): material "when both … are exceeded").

>>> from autoloan.servicing.rules import ServicingRules, Materiality
>>> r = ServicingRules(partial_payment="threshold", materiality=Materiality.eu_retail())
>>> r.partial_payment.label_zh, r.threshold, r.materiality.absolute
('按比例视同足额（如90%）', Decimal('0.9'), Decimal('100'))
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from enum import Enum
from typing import Any

from autoloan._enums import parse_member
from autoloan.errors import InvalidInput
from autoloan.money import to_decimal
from autoloan.servicing._coerce import share
from autoloan.servicing.fees import LateFeeRule, PenaltyInterestRule
from autoloan.servicing.waterfall import PRESETS, Component, Overpayment, Processing, Waterfall

__all__ = ["Materiality", "PartialPayment", "ServicingRules", "rules_from_dict", "waterfall_from_data"]


class PartialPayment(str, Enum):
    """How a short payment counts toward past-due status (FFIEC Uniform Retail Credit Policy).

    >>> PartialPayment.parse("threshold").label_en
    'a payment of at least the threshold counts as a full payment'
    """

    AGGREGATE = "aggregate"
    THRESHOLD = "threshold"

    @property
    def label_en(self) -> str:
        if self is PartialPayment.AGGREGATE:
            return "aggregate payments (oldest installment not fully paid)"
        return "a payment of at least the threshold counts as a full payment"

    @property
    def label_zh(self) -> str:
        return "累计还款（最早未结清期次）" if self is PartialPayment.AGGREGATE else "按比例视同足额（如90%）"

    @classmethod
    def parse(cls, value: PartialPayment | str, field: str = "partial_payment") -> PartialPayment:
        return parse_member(cls, value, field, hint="use 'aggregate' or 'threshold'")


@dataclass(frozen=True, slots=True)
class Materiality:
    """Arrears are material only when above ``absolute`` and above ``relative`` × exposure.

    ``absolute`` is in the loan's currency (EUR 100 for a EUR loan; convert it yourself for
    others). Exposure is the principal balance plus the unpaid interest, fees and penalty.
    Materiality is checked when arrears change (due dates, payments, fee assessments), not
    as 罚息 accrues from day to day.

    >>> Materiality(absolute=100, relative="1%").is_material(15000, 500000)
    True
    >>> Materiality(absolute=100, relative="1%").is_material(9000, 5000000)
    False
    """

    absolute: Decimal = Decimal(100)
    relative: Decimal = Decimal("0.01")

    def __post_init__(self) -> None:
        absolute = to_decimal(self.absolute, "materiality.absolute")
        if absolute < 0:
            raise InvalidInput("materiality.absolute", self.absolute, "must not be negative")
        relative = share(self.relative, "materiality.relative", "is a fraction; must be between 0 and 1")
        object.__setattr__(self, "absolute", absolute)
        object.__setattr__(self, "relative", relative)

    def is_material(self, past_due_minor: int, exposure_minor: int, scale: int = 100) -> bool:
        """Both limits exceeded (amounts in minor units; ``scale`` minor units per major unit)."""
        n, d = self.absolute.as_integer_ratio()
        rn, rd = self.relative.as_integer_ratio()
        return past_due_minor * d > n * scale and past_due_minor * rd > rn * exposure_minor

    @classmethod
    def eu_retail(cls) -> Materiality:
        """EUR 100 and 1 %: the maximum absolute and the default relative component for retail
        exposures in Commission Delegated Regulation (EU) 2018/171, Art. 1(2)."""
        return cls(Decimal(100), Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class ServicingRules:
    """Per-loan servicing choices (all optional; defaults: no late fee, no 罚息, aggregate method).

    ``threshold`` is used by the ``threshold`` partial-payment method and by the
    operational recency view (a qualifying payment is at least ``threshold`` × the
    regular installment).

    >>> ServicingRules(waterfall="cn_bank").waterfall.name
    'cn_bank'
    >>> ServicingRules(threshold="1.2")
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: rules.threshold: must be greater than 0 and at most 1 (got '1.2')
    """

    waterfall: Waterfall = PRESETS["fineract_standard"]
    late_fee: LateFeeRule | None = None
    penalty: PenaltyInterestRule | None = None
    partial_payment: PartialPayment = PartialPayment.AGGREGATE
    threshold: Decimal = Decimal("0.9")
    classification_grace_days: int = 0
    materiality: Materiality | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(
            self,
            "waterfall",
            Waterfall.preset(self.waterfall) if not isinstance(self.waterfall, Waterfall) else self.waterfall,
        )
        if self.late_fee is not None and not isinstance(self.late_fee, LateFeeRule):
            raise InvalidInput("rules.late_fee", self.late_fee, "must be a LateFeeRule or None")
        if self.penalty is not None and not isinstance(self.penalty, PenaltyInterestRule):
            raise InvalidInput("rules.penalty", self.penalty, "must be a PenaltyInterestRule or None")
        put(self, "partial_payment", PartialPayment.parse(self.partial_payment, "rules.partial_payment"))
        threshold = share(
            self.threshold, "rules.threshold", "must be greater than 0 and at most 1", open_low=True
        )
        put(self, "threshold", threshold)
        grace: Any = self.classification_grace_days
        if isinstance(grace, bool) or not isinstance(grace, int) or not 0 <= grace <= 3660:
            raise InvalidInput(
                "rules.classification_grace_days", grace, "must be a whole number of days, 0 to 3660"
            )
        if self.materiality is not None and not isinstance(self.materiality, Materiality):
            raise InvalidInput("rules.materiality", self.materiality, "must be a Materiality or None")

    @classmethod
    def cn_bank(cls, markup: Any = "0.5") -> ServicingRules:
        """A Chinese bank car loan: 罚息 at contract rate +``markup`` with 复利, 罚息→利息→本金, no late fee.

        >>> ServicingRules.cn_bank().penalty.markup
        Decimal('0.5')
        """
        return cls(waterfall=Waterfall.preset("cn_bank"), penalty=PenaltyInterestRule(markup=markup))

    @classmethod
    def us_simple_interest(cls, late_fee: LateFeeRule | None = None) -> ServicingRules:
        """A US simple-interest auto servicer: fees → interest → principal, extra reduces principal.

        >>> ServicingRules.us_simple_interest().waterfall.overpayment.value
        'reduce_principal'
        """
        return cls(waterfall=Waterfall.preset("us_simple_interest"), late_fee=late_fee)


def rules_from_dict(data: Any, path: str = "rules") -> ServicingRules:
    """Build :class:`ServicingRules` from plain data (e.g. the ``rules`` object of a loan JSON file).

    Keys: ``waterfall`` (a preset name, or ``{"order": [...], "processing": ..., "overpayment": ...}``),
    ``late_fee`` (``LateFeeRule`` fields), ``penalty`` (``PenaltyInterestRule`` fields),
    ``partial_payment``, ``threshold``, ``classification_grace_days``, ``materiality``
    (``{"absolute": ..., "relative": ...}``). Every error of the document is collected and raised
    once, each with its full path under ``path``.

    >>> data = {"waterfall": "cn_bank", "penalty": {"markup": "0.3"}, "partial_payment": "threshold"}
    >>> r = rules_from_dict(data)
    >>> r.waterfall.name, r.penalty.markup, r.partial_payment.value
    ('cn_bank', Decimal('0.3'), 'threshold')
    >>> rules_from_dict({"late_fee": {"flatt": 25, "grace_days": -1}})
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: 2 errors:
      rules.late_fee.flatt: unknown field; use one of ... (got 25)
      rules.late_fee.grace_days: must be a whole number of days between 0 and 3660 (got -1)
    """
    if data is None:
        return ServicingRules()
    if not isinstance(data, dict):
        raise InvalidInput(path, data, "must be an object")
    errors: list[InvalidInput] = []
    kwargs: dict[str, Any] = {}
    for key in data:
        if key not in _RULE_KEYS:
            errors.append(
                InvalidInput(
                    f"{path}.{key}", data[key], "unknown key; use one of " + ", ".join(sorted(_RULE_KEYS))
                )
            )
    if "waterfall" in data:
        try:
            kwargs["waterfall"] = waterfall_from_data(data["waterfall"], f"{path}.waterfall")
        except InvalidInput as exc:
            errors.extend(exc.errors)
    for key, cls, prefix in (
        ("late_fee", LateFeeRule, "late_fee"),
        ("penalty", PenaltyInterestRule, "penalty"),
        ("materiality", Materiality, "materiality"),
    ):
        value = data.get(key)
        if value is None:
            continue
        try:
            kwargs[key] = _object_from_data(cls, value, f"{path}.{key}", prefix)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    for key in ("partial_payment", "threshold", "classification_grace_days"):
        if key in data:
            try:
                ServicingRules(**{key: data[key]})
            except InvalidInput as exc:
                errors.extend(_moved(exc, "rules", path).errors)
            else:
                kwargs[key] = data[key]
    if errors:
        raise InvalidInput.collect(errors)
    return ServicingRules(**kwargs)


_RULE_KEYS = (
    "waterfall",
    "late_fee",
    "penalty",
    "partial_payment",
    "threshold",
    "classification_grace_days",
    "materiality",
)
_WATERFALL_KEYS = ("order", "processing", "overpayment", "name", "citation")


def waterfall_from_data(data: Any, path: str = "waterfall") -> Waterfall:
    """A :class:`Waterfall` from a preset name or ``{"order": [...], "processing": ..., "overpayment": ...}``,
    every error collected with its path under ``path``.

    >>> waterfall_from_data({"order": ["fees", "interest", "principal", "penalty"]}).order("due")[0].value
    'fees'
    >>> waterfall_from_data({"order": ["fees", "intrest"], "processing": 0.0})
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: 2 errors:
      waterfall.order[1]: unknown component; use penalty, fees, interest or principal (got 'intrest')
      waterfall.processing: use installment_first (horizontal) or component_first (vertical) (got 0.0)
    """
    if not isinstance(data, dict):
        try:
            return Waterfall.preset(data)
        except InvalidInput as exc:
            raise InvalidInput(path, data, exc.reason) from None
    errors: list[InvalidInput] = []
    for key in data:
        if key not in _WATERFALL_KEYS:
            reason = "unknown key; use one of " + ", ".join(_WATERFALL_KEYS)
            errors.append(InvalidInput(f"{path}.{key}", data[key], reason))
    order = data.get("order")
    if "order" not in data:
        errors.append(InvalidInput(f"{path}.order", None, "a custom waterfall needs an 'order' list"))
    elif isinstance(order, str | bytes) or not isinstance(order, list | tuple):
        errors.append(InvalidInput(f"{path}.order", order, "must be a list of components"))
    else:
        for i, c in enumerate(order):
            try:
                Component.parse(c, f"{path}.order[{i}]")
            except InvalidInput as exc:
                errors.append(exc)
    for key, parse in (("processing", Processing.parse), ("overpayment", Overpayment.parse)):
        if key in data:
            try:
                parse(data[key], f"{path}.{key}")
            except InvalidInput as exc:
                errors.append(exc)
    for key in ("name", "citation"):
        if key in data and not isinstance(data[key], str):
            errors.append(InvalidInput(f"{path}.{key}", data[key], "must be a string"))
    if errors:
        raise InvalidInput.collect(errors)
    try:
        return Waterfall.from_order(
            order,  # type: ignore[arg-type]
            processing=data.get("processing", "installment_first"),
            overpayment=data.get("overpayment", "prepay_next"),
            name=data.get("name", "custom"),
            citation=data.get("citation", ""),
        )
    except InvalidInput as exc:
        raise _moved(exc, "waterfall", path) from None


def _moved(exc: InvalidInput, old: str, new: str) -> InvalidInput:
    """``exc`` with every field under ``old`` moved under ``new``."""
    moved = [
        InvalidInput(
            new + e.field[len(old) :] if e.field.startswith(old) else f"{new}.{e.field}", e.value, e.reason
        )
        for e in exc.errors
    ]
    return moved[0] if len(moved) == 1 else InvalidInput.collect(moved)


def _relocate(field: str, old: str, new: str) -> str:
    return new + field[len(old) :] if field.startswith(old) else f"{new}.{field}"


def _object_from_data(cls: Any, data: Any, path: str, prefix: str) -> Any:
    """``cls(**data)`` with every unknown field and every bad value reported under ``path``."""
    if not isinstance(data, dict):
        raise InvalidInput(path, data, "must be an object")
    names = [f.name for f in fields(cls) if not f.name.startswith("_")]
    errors: list[InvalidInput] = []
    for key, value in data.items():
        if key not in names:
            errors.append(
                InvalidInput(f"{path}.{key}", value, "unknown field; use one of " + ", ".join(names))
            )
            continue
        try:
            cls(**{key: value})
        except InvalidInput as exc:
            errors.extend(_moved(exc, prefix, path).errors)
    if errors:
        raise InvalidInput.collect(errors)
    try:
        return cls(**data)
    except InvalidInput as exc:  # a rule between fields (e.g. maximum below minimum)
        raise _moved(exc, prefix, path) from None
