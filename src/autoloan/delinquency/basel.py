"""EU / Basel prudential default: 90 days past due on a material amount, or unlikely to pay.

* CRR (Regulation (EU) No 575/2013) Art. 178(1): default when the obligor is unlikely to pay, or
  "more than 90 days past due on any material credit obligation"; for retail exposures this may
  be applied per credit facility.
* Commission Delegated Regulation (EU) 2018/171 Art. 1 (retail): the materiality threshold has an
  absolute component that "shall not exceed 100 EUR" and a relative component "between 0 % and
  2,5 %" that "shall be set at 1 %"; recital 2: a past-due obligation is material "when both the
  limit expressed as an absolute amount and the limit expressed as a percentage are exceeded".
* EBA/GL/2016/07 para 71(a): return to non-default only when no default trigger has applied for at
  least 3 months; paras 72–73: 1 year of probation after a distressed restructuring (with regular
  payments and no past-due amounts). Read via EBA Q&A 2022_6527.

``days_past_due`` is the counter of days the past-due amount has been *material* (EBA/GL/2016/07
counts days past due only while the threshold is breached). When ``amount_past_due`` and
``exposure`` are given, an immaterial amount at ``as_of`` also switches the DPD trigger off.

>>> from autoloan.delinquency.basel import classify_basel, is_material
>>> classify_basel(91).grade.value, classify_basel(90).grade.value
('defaulted', 'not_defaulted')
>>> is_material("150", "10000"), is_material("99", "1000"), is_material("150", "20000")
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from autoloan.delinquency._table import DayTable
from autoloan.delinquency._validate import check_days, check_flag
from autoloan.delinquency.classification import Classification, DefaultStatus
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, MoneyLike, to_decimal, to_rate

__all__ = ["BaselRules", "classify_basel", "is_material"]

CIT_DPD = "CRR (EU) 575/2013 Art. 178(1)(b); Delegated Regulation (EU) 2018/171 Art. 1"
CIT_UTP = "CRR (EU) 575/2013 Art. 178(1)(a), 178(3)"
CIT_PROBATION = "EBA/GL/2016/07 paras 71-73 (return to non-defaulted status)"


@dataclass(frozen=True, slots=True)
class BaselRules:
    """Default-definition parameters; amounts are in ``currency`` (EUR by default).

    >>> BaselRules(relative_threshold="3%")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: relative_threshold: must be between 0 and 2.5 % ... (got '3%')
    """

    past_due_after_days: int = 90
    absolute_threshold: MoneyLike = Decimal("100")
    relative_threshold: MoneyLike = Decimal("0.01")
    currency: str = "EUR"
    probation_months: int = 3
    restructuring_probation_months: int = 12
    _table: DayTable[Classification] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_days(self.past_due_after_days, "past_due_after_days")
        check_days(self.probation_months, "probation_months")
        check_days(self.restructuring_probation_months, "restructuring_probation_months")
        absolute = to_decimal(self.absolute_threshold, "absolute_threshold")
        if absolute < 0:
            raise InvalidInput("absolute_threshold", self.absolute_threshold, "must not be negative")
        relative = to_rate(self.relative_threshold, "relative_threshold")
        if not Decimal(0) <= relative <= Decimal("0.025"):
            raise InvalidInput(
                "relative_threshold",
                self.relative_threshold,
                "must be between 0 and 2.5 % (Delegated Regulation (EU) 2018/171 Art. 1(2))",
            )
        if not isinstance(self.currency, str) or not self.currency:
            raise InvalidInput("currency", self.currency, "must be a currency code")
        object.__setattr__(self, "absolute_threshold", absolute)
        object.__setattr__(self, "relative_threshold", relative)
        object.__setattr__(self, "_table", DayTable(self._by_days, self.past_due_after_days + 1))

    def _params(self) -> tuple[tuple[str, Any], ...]:
        return (
            ("past_due_after_days", self.past_due_after_days),
            ("absolute_threshold", self.absolute_threshold),
            ("relative_threshold", self.relative_threshold),
            ("currency", self.currency),
        )

    def _by_days(self, days: int) -> Classification:
        if days > self.past_due_after_days:
            return Classification(
                "EU-DEFAULT",
                DefaultStatus.DEFAULTED,
                "EU.CRR178.DPD90",
                CIT_DPD,
                f"more than {self.past_due_after_days} days past due on a material amount",
                self._params(),
            )
        return Classification(
            "EU-DEFAULT",
            DefaultStatus.NOT_DEFAULTED,
            "EU.CRR178.PERFORMING",
            CIT_DPD,
            "no default trigger",
            self._params(),
        )

    def is_material(self, amount_past_due: Any, exposure: Any) -> bool:
        """Both thresholds exceeded: past due > absolute and past due / exposure > relative."""
        past_due = to_decimal(amount_past_due, "amount_past_due")
        total = to_decimal(exposure, "exposure")
        if past_due < 0:
            raise InvalidInput("amount_past_due", amount_past_due, "must not be negative")
        if total <= 0:
            raise InvalidInput("exposure", exposure, "must be greater than 0")
        absolute, relative = Decimal(self.absolute_threshold), Decimal(self.relative_threshold)
        return past_due > absolute and past_due > CONTEXT.multiply(relative, total)

    def classify(
        self,
        days_past_due: int,
        *,
        amount_past_due: Any = None,
        exposure: Any = None,
        unlikely_to_pay: bool = False,
        distressed_restructuring: bool = False,
        previous: DefaultStatus | str | None = None,
        months_since_cure: int | None = None,
        after_restructuring: bool = False,
    ) -> Classification:
        """Classify one exposure; see :func:`classify_basel`."""
        if (
            amount_past_due is None
            and exposure is None
            and unlikely_to_pay is False
            and distressed_restructuring is False
            and previous is None
            and after_restructuring is False
        ):
            return self._table.get(days_past_due)
        for name, flag in (
            ("unlikely_to_pay", unlikely_to_pay),
            ("distressed_restructuring", distressed_restructuring),
            ("after_restructuring", after_restructuring),
        ):
            check_flag(flag, name)
        result = self._table.get(days_past_due)
        if (amount_past_due is None) != (exposure is None):
            raise InvalidInput(
                "exposure" if exposure is None else "amount_past_due",
                None,
                "amount_past_due and exposure must be given together",
            )
        if amount_past_due is not None and not self.is_material(amount_past_due, exposure):
            result = Classification(
                "EU-DEFAULT",
                DefaultStatus.NOT_DEFAULTED,
                "EU.CRR178.IMMATERIAL",
                CIT_DPD,
                "past-due amount below the materiality threshold",
                (
                    *self._params(),
                    ("amount_past_due", to_decimal(amount_past_due)),
                    ("exposure", to_decimal(exposure)),
                ),
            )
        if result.grade is DefaultStatus.NOT_DEFAULTED and (unlikely_to_pay or distressed_restructuring):
            reason = "distressed restructuring" if distressed_restructuring else "unlikely to pay"
            result = Classification(
                "EU-DEFAULT",
                DefaultStatus.DEFAULTED,
                "EU.CRR178.UTP_RESTRUCTURING" if distressed_restructuring else "EU.CRR178.UTP",
                CIT_UTP,
                reason,
                (),
            )
        if result.grade is DefaultStatus.NOT_DEFAULTED and previous is not None:
            prev = DefaultStatus.parse(previous, "previous")
            if prev is DefaultStatus.DEFAULTED:
                months = check_days(
                    months_since_cure if months_since_cure is not None else 0, "months_since_cure"
                )
                needed = self.restructuring_probation_months if after_restructuring else self.probation_months
                if months < needed:
                    result = Classification(
                        "EU-DEFAULT",
                        DefaultStatus.DEFAULTED,
                        "EU.EBA.GL2016.07.PROBATION_RESTRUCTURING"
                        if after_restructuring
                        else "EU.EBA.GL2016.07.PROBATION",
                        CIT_PROBATION,
                        f"no trigger for {months} month(s); in default until {needed} months of probation",
                        (("probation_months", needed),),
                    )
        return result

    def classify_many(self, days: Sequence[int]) -> list[Classification]:
        """Default status for a whole column of (material) day counts."""
        return self._table.many(days)


_DEFAULT = BaselRules()


def is_material(amount_past_due: Any, exposure: Any, *, rules: BaselRules | None = None) -> bool:
    """Whether a past-due amount is material: absolute (EUR 100) and relative (1 %) limits both exceeded.

    >>> is_material("100.01", "5000"), is_material("100.00", "5000")
    (True, False)
    """
    return _rules(rules).is_material(amount_past_due, exposure)


def classify_basel(
    days_past_due: int,
    *,
    amount_past_due: Any = None,
    exposure: Any = None,
    unlikely_to_pay: bool = False,
    distressed_restructuring: bool = False,
    previous: DefaultStatus | str | None = None,
    months_since_cure: int | None = None,
    after_restructuring: bool = False,
    rules: BaselRules | None = None,
) -> Classification:
    """Prudential default status of one exposure (facility level for retail).

    * ``days_past_due`` — days the past-due amount has been material;
    * ``amount_past_due`` with ``exposure`` — apply the materiality threshold at ``as_of``;
    * ``unlikely_to_pay`` / ``distressed_restructuring`` — unlikeliness-to-pay indicators;
    * ``previous``, ``months_since_cure`` and ``after_restructuring`` — stay in default for the 3
      (12 after a distressed restructuring) months of probation.

    >>> classify_basel(120, amount_past_due="80", exposure="20000").rule_id
    'EU.CRR178.IMMATERIAL'
    >>> classify_basel(0, previous="defaulted", months_since_cure=2).rule_id
    'EU.EBA.GL2016.07.PROBATION'
    >>> classify_basel(0, previous="defaulted", months_since_cure=5, after_restructuring=True).grade.value
    'defaulted'
    """
    return _rules(rules).classify(
        days_past_due,
        amount_past_due=amount_past_due,
        exposure=exposure,
        unlikely_to_pay=unlikely_to_pay,
        distressed_restructuring=distressed_restructuring,
        previous=previous,
        months_since_cure=months_since_cure,
        after_restructuring=after_restructuring,
    )


def _rules(rules: Any) -> BaselRules:
    if rules is None:
        return _DEFAULT
    if not isinstance(rules, BaselRules):
        raise InvalidInput("rules", rules, "must be a BaselRules (or None for the published defaults)")
    return rules
