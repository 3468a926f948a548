"""FFIEC Uniform Retail Credit Classification and Account Management Policy.

65 FR 36903 (June 12, 2000), revising 64 FR 6655 (Feb 10, 1999); codified at FRRS 3-1502:

* "Open- and closed-end retail loans past due 90 cumulative days from the contractual due date
  should be classified substandard."
* "Closed-end retail loans that become past due 120 cumulative days and open-end retail loans
  that become past due 180 cumulative days from the contractual due date should be classified
  loss and charged off. In lieu of charging off the entire loan balance, loans with non-real
  estate collateral may be written down to the value of the collateral, less cost to sell, if
  repossession of collateral is assured and in process."
* Bankruptcy: charge off within 60 days of receipt of notification of filing from the bankruptcy
  court (or the delinquency time frame, whichever is shorter), unless the institution can clearly
  demonstrate and document that repayment is likely to occur (then substandard).
* Fraud: charge off within 90 days of discovery (or the time frame above, whichever is shorter).
* Deceased borrower: charge off when the loss is determined (or the time frame, whichever is
  shorter).

Sources read: FRRS 3-1502 (frrsdigital.com), FDIC FIL-17-99, FRBNY circular 11141, OCC private
student lending checklist (Comptroller's Handbook, Appendix C).

>>> from autoloan.delinquency.ffiec import classify_ffiec
>>> [classify_ffiec(d).grade.value for d in (0, 89, 90, 119, 120)]
['pass', 'pass', 'substandard', 'substandard', 'loss']
>>> classify_ffiec(150, open_end=True).grade.value
'substandard'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from autoloan.delinquency._table import DayTable
from autoloan.delinquency._validate import check_amount, check_days, check_flag, check_optional_date
from autoloan.delinquency.classification import Classification, FfiecGrade
from autoloan.errors import InvalidInput
from autoloan.money import Currency
from autoloan.money import currency as _currency

__all__ = ["FfiecRules", "classify_ffiec"]

CITATION = "FFIEC Uniform Retail Credit Classification and Account Management Policy, 65 FR 36903 (2000)"
CITATION_BK = CITATION + " (bankruptcy)"
CITATION_FRAUD = CITATION + " (fraud)"
CITATION_DECEASED = CITATION + " (deceased borrower)"


@dataclass(frozen=True, slots=True)
class FfiecRules:
    """Thresholds of the FFIEC policy (inclusive: "past due 90 cumulative days" is ``>= 90``).

    >>> FfiecRules(loss_closed_end_days=60)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: loss_closed_end_days: must be greater than substandard_days (90) (got 60)
    """

    substandard_days: int = 90
    loss_closed_end_days: int = 120
    loss_open_end_days: int = 180
    bankruptcy_charge_off_days: int = 60
    fraud_charge_off_days: int = 90
    _closed: DayTable[Classification] = field(init=False, repr=False, compare=False)
    _open: DayTable[Classification] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for n in (
            "substandard_days",
            "loss_closed_end_days",
            "loss_open_end_days",
            "bankruptcy_charge_off_days",
            "fraud_charge_off_days",
        ):
            check_days(getattr(self, n), n)
        for n in ("loss_closed_end_days", "loss_open_end_days"):
            if getattr(self, n) <= self.substandard_days:
                raise InvalidInput(
                    n, getattr(self, n), f"must be greater than substandard_days ({self.substandard_days})"
                )
        object.__setattr__(
            self, "_closed", DayTable(lambda d: self._by_days(d, False), self.loss_closed_end_days)
        )
        object.__setattr__(self, "_open", DayTable(lambda d: self._by_days(d, True), self.loss_open_end_days))

    def _by_days(self, days: int, open_end: bool) -> Classification:
        loss_at = self.loss_open_end_days if open_end else self.loss_closed_end_days
        kind = "open-end" if open_end else "closed-end"
        params = (("substandard_days", self.substandard_days), ("loss_days", loss_at), ("credit", kind))
        if days >= loss_at:
            return Classification(
                "FFIEC",
                FfiecGrade.LOSS,
                f"US.FFIEC.RETAIL.{'OPEN' if open_end else 'CLOSED'}_END_LOSS",
                CITATION,
                f"{kind} retail loan past due {loss_at} cumulative days: classify loss and charge off",
                (*params, ("action", "charge_off")),
            )
        if days >= self.substandard_days:
            return Classification(
                "FFIEC",
                FfiecGrade.SUBSTANDARD,
                "US.FFIEC.RETAIL.SUBSTANDARD_90",
                CITATION,
                f"retail loan past due {self.substandard_days} cumulative days: substandard",
                params,
            )
        return Classification(
            "FFIEC", FfiecGrade.PASS, "US.FFIEC.RETAIL.PASS", CITATION, "not classified", params
        )

    def classify(
        self,
        days_past_due: int,
        *,
        open_end: bool = False,
        as_of: Any = None,
        bankruptcy_notified_on: Any = None,
        repayment_likely: bool = False,
        fraud_discovered_on: Any = None,
        deceased: bool = False,
        loss_determined: bool = False,
        repossession_assured: bool = False,
        balance: Any = None,
        collateral_value: Any = None,
        cost_to_sell: Any = 0,
        currency: Currency | str = "USD",
    ) -> Classification:
        """Classify one retail loan; see :func:`classify_ffiec`."""
        if open_end is not True and open_end is not False:
            check_flag(open_end, "open_end")
        base = (self._open if open_end else self._closed).get(days_past_due)
        if (
            bankruptcy_notified_on is None
            and fraud_discovered_on is None
            and deceased is False
            and repossession_assured is False
            and repayment_likely is False
            and loss_determined is False
        ):
            return base
        for name, flag in (
            ("repayment_likely", repayment_likely),
            ("deceased", deceased),
            ("loss_determined", loss_determined),
            ("repossession_assured", repossession_assured),
        ):
            check_flag(flag, name)
        result = base
        event: Classification | None = None
        bk = check_optional_date(bankruptcy_notified_on, "bankruptcy_notified_on")
        fraud = check_optional_date(fraud_discovered_on, "fraud_discovered_on")
        if (bk is not None or fraud is not None) and as_of is None:
            raise InvalidInput(
                "as_of", as_of, "is required with bankruptcy_notified_on or fraud_discovered_on"
            )
        when = check_optional_date(as_of, "as_of")
        if bk is not None and when is not None and when >= bk:  # a notice after as_of is not yet known
            event = _worse(event, self._bankruptcy(bk, when, repayment_likely))
        if fraud is not None and when is not None and when >= fraud:
            deadline = fraud + timedelta(days=self.fraud_charge_off_days)
            grade = FfiecGrade.LOSS if when >= deadline else FfiecGrade.SUBSTANDARD
            event = _worse(
                event,
                Classification(
                    "FFIEC",
                    grade,
                    "US.FFIEC.RETAIL.FRAUD",
                    CITATION_FRAUD,
                    f"fraud discovered {fraud.isoformat()}: charge off by {deadline.isoformat()}",
                    (("fraud_charge_off_days", self.fraud_charge_off_days), ("charge_off_by", deadline)),
                ),
            )
        if deceased and loss_determined:
            event = _worse(
                event,
                Classification(
                    "FFIEC",
                    FfiecGrade.LOSS,
                    "US.FFIEC.RETAIL.DECEASED",
                    CITATION_DECEASED,
                    "borrower deceased and loss determined: charge off",
                    (("action", "charge_off"),),
                ),
            )
        if event is not None and event.grade.rank > result.grade.rank:
            result = event
        if result.grade is FfiecGrade.LOSS and repossession_assured:
            result = self._write_down(result, balance, collateral_value, cost_to_sell, currency)
        return result

    def _bankruptcy(self, notified: date, when: date, repayment_likely: bool) -> Classification:
        deadline = notified + timedelta(days=self.bankruptcy_charge_off_days)
        params: tuple[tuple[str, Any], ...] = (
            ("bankruptcy_charge_off_days", self.bankruptcy_charge_off_days),
            ("charge_off_by", deadline),
        )
        if repayment_likely:
            return Classification(
                "FFIEC",
                FfiecGrade.SUBSTANDARD,
                "US.FFIEC.RETAIL.BANKRUPTCY_REPAYMENT_LIKELY",
                CITATION_BK,
                "bankruptcy: repayment shown likely, substandard until ability and willingness to repay "
                "are re-established",
                params,
            )
        grade = FfiecGrade.LOSS if when >= deadline else FfiecGrade.SUBSTANDARD
        return Classification(
            "FFIEC",
            grade,
            "US.FFIEC.RETAIL.BANKRUPTCY",
            CITATION_BK,
            f"bankruptcy notice received {notified.isoformat()}: charge off by {deadline.isoformat()}",
            params,
        )

    @staticmethod
    def _write_down(
        result: Classification,
        balance: Any,
        collateral_value: Any,
        cost_to_sell: Any,
        currency: Currency | str,
    ) -> Classification:
        if balance is None or collateral_value is None:
            raise InvalidInput(
                "collateral_value",
                collateral_value,
                "balance and collateral_value are required when repossession_assured is True",
            )
        cur = _currency(currency)
        amounts = {}
        for name, value in (
            ("balance", balance),
            ("collateral_value", collateral_value),
            ("cost_to_sell", cost_to_sell),
        ):
            amounts[name] = check_amount(value, name, cur)
        bal = amounts["balance"]
        net = amounts["collateral_value"] - amounts["cost_to_sell"]
        net = max(net, Decimal(0))
        loss = max(bal - net, Decimal(0))
        return Classification(
            "FFIEC",
            FfiecGrade.LOSS,
            result.rule_id + ".WRITE_DOWN",
            result.citation,
            "non-real-estate collateral, repossession assured and in process: write down to collateral "
            "value less cost to sell",
            (*result.parameters, ("action", "write_down"), ("carrying_value", net), ("loss_amount", loss)),
        )

    def classify_many(self, days: Sequence[int], *, open_end: bool = False) -> list[Classification]:
        """Classify a whole column of day counts (no event flags)."""
        return (self._open if check_flag(open_end, "open_end") else self._closed).many(days)


def _worse(a: Classification | None, b: Classification) -> Classification:
    return b if a is None or b.grade.rank > a.grade.rank else a


_DEFAULT = FfiecRules()


def classify_ffiec(
    days_past_due: int,
    *,
    open_end: bool = False,
    as_of: Any = None,
    bankruptcy_notified_on: Any = None,
    repayment_likely: bool = False,
    fraud_discovered_on: Any = None,
    deceased: bool = False,
    loss_determined: bool = False,
    repossession_assured: bool = False,
    balance: Any = None,
    collateral_value: Any = None,
    cost_to_sell: Any = 0,
    currency: Currency | str = "USD",
    rules: FfiecRules | None = None,
) -> Classification:
    """FFIEC grade of a retail loan: pass, substandard or loss.

    * ``open_end`` — open-end credit (cards, lines) uses 180 days for loss; auto loans are
      closed-end (120 days);
    * ``bankruptcy_notified_on`` / ``fraud_discovered_on`` with ``as_of`` — substandard while the
      charge-off deadline (60 / 90 days) is running, loss once it has passed; the deadline is in
      ``params()["charge_off_by"]``; ``repayment_likely`` keeps a bankruptcy at substandard;
    * ``deceased`` with ``loss_determined`` — loss;
    * ``repossession_assured`` with ``balance``, ``collateral_value`` and ``cost_to_sell`` — a loss
      becomes a write-down to collateral value less cost to sell (``loss_amount`` in params).

    >>> from datetime import date
    >>> c = classify_ffiec(130, repossession_assured=True, balance="12000", collateral_value="9000",
    ...                    cost_to_sell="600")
    >>> c.rule_id, c.params()["loss_amount"]
    ('US.FFIEC.RETAIL.CLOSED_END_LOSS.WRITE_DOWN', Decimal('3600.00'))
    >>> classify_ffiec(10, as_of=date(2024, 3, 1), bankruptcy_notified_on=date(2024, 1, 1)).grade.value
    'loss'
    """
    return _rules(rules).classify(
        days_past_due,
        open_end=open_end,
        as_of=as_of,
        bankruptcy_notified_on=bankruptcy_notified_on,
        repayment_likely=repayment_likely,
        fraud_discovered_on=fraud_discovered_on,
        deceased=deceased,
        loss_determined=loss_determined,
        repossession_assured=repossession_assured,
        balance=balance,
        collateral_value=collateral_value,
        cost_to_sell=cost_to_sell,
        currency=currency,
    )


def _rules(rules: Any) -> FfiecRules:
    if rules is None:
        return _DEFAULT
    if not isinstance(rules, FfiecRules):
        raise InvalidInput("rules", rules, "must be a FfiecRules (or None for the published defaults)")
    return rules
