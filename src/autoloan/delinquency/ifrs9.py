"""IFRS 9 impairment stage (1 / 2 / 3) from days past due, rebuttals and a cure probation.

* IFRS 9 para 5.5.11: a rebuttable presumption that credit risk has increased significantly
  since initial recognition when contractual payments are *more than 30 days* past due → stage 2.
* IFRS 9 para B5.5.37: a rebuttable presumption that default "does not occur later than when a
  financial asset is 90 days past due" — so 90 days (inclusive) is the backstop; this library
  treats default as credit-impaired → stage 3.
* Either presumption may be rebutted with reasonable and supportable information
  (``rebut_sicr`` / ``rebut_default``), e.g. an administrative oversight (IFRS 9 BC5.190).
* IFRS 9 sets no probation period; moving back is an entity policy. :class:`Ifrs9Rules` keeps an
  asset in stage 3 for ``stage_3_probation_months`` (default 3, aligned with EBA/GL/2016/07 para
  71(a)) and then in stage 2 for ``stage_2_probation_months`` (default 0) after its triggers cease.

Sources read: annualreporting.info "30 days past due rebuttable presumption" (quoting 5.5.11 and
BC5.190); Open Risk Manual "Rebuttable Presumption" (quoting both presumptions). Note the
difference from CRR Art. 178 ("more than 90 days"): set ``default_from_days=91`` to align the
stage 3 backstop with the prudential default.

>>> from autoloan.delinquency.ifrs9 import classify_ifrs9
>>> [classify_ifrs9(d).grade.number for d in (0, 30, 31, 90, 91)]
[1, 1, 2, 3, 3]
>>> classify_ifrs9(45, rebut_sicr=True).grade.number
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from autoloan.delinquency._table import DayTable
from autoloan.delinquency._validate import check_days, check_flag
from autoloan.delinquency.classification import Classification, Ifrs9Stage
from autoloan.errors import InvalidInput

__all__ = ["Ifrs9Rules", "classify_ifrs9"]

CIT_SICR = "IFRS 9 para 5.5.11 (more than 30 days past due rebuttable presumption)"
CIT_DEFAULT = "IFRS 9 para B5.5.37 (90 days past due rebuttable presumption of default)"
CIT_STAGE1 = "IFRS 9 para 5.5.5 (12-month expected credit losses)"
CIT_PROBATION = "IFRS 9 para 5.5.7 (return to 12-month ECL); probation per entity policy"


@dataclass(frozen=True, slots=True)
class Ifrs9Rules:
    """Backstops and cure probation: ``sicr_after_days=30`` is "more than 30 days";
    ``default_from_days=90`` is "90 days or more".

    >>> Ifrs9Rules(sicr_after_days=120)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: sicr_after_days: must be less than default_from_days (90) (got 120)
    """

    sicr_after_days: int = 30
    default_from_days: int = 90
    stage_3_probation_months: int = 3
    stage_2_probation_months: int = 0
    _table: DayTable[Classification] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for n in (
            "sicr_after_days",
            "default_from_days",
            "stage_3_probation_months",
            "stage_2_probation_months",
        ):
            check_days(getattr(self, n), n)
        if self.sicr_after_days >= self.default_from_days:
            raise InvalidInput(
                "sicr_after_days",
                self.sicr_after_days,
                f"must be less than default_from_days ({self.default_from_days})",
            )
        object.__setattr__(self, "_table", DayTable(self._by_days, self.default_from_days))

    def _params(self) -> tuple[tuple[str, int], ...]:
        return (("sicr_after_days", self.sicr_after_days), ("default_from_days", self.default_from_days))

    def _by_days(self, days: int, rebut_sicr: bool = False, rebut_default: bool = False) -> Classification:
        if days >= self.default_from_days and not rebut_default:
            return Classification(
                "IFRS9",
                Ifrs9Stage.STAGE_3,
                "IFRS9.B5.5.37.DPD90",
                CIT_DEFAULT,
                f"{self.default_from_days} days or more past due: default, credit-impaired",
                self._params(),
            )
        if days > self.sicr_after_days and not rebut_sicr:
            rule, reason = (
                "IFRS9.5.5.11.DPD30",
                f"more than {self.sicr_after_days} days past due: significant increase",
            )
            if days >= self.default_from_days:
                rule, reason = (
                    "IFRS9.B5.5.37.REBUTTED",
                    "default presumption rebutted; significant increase remains",
                )
            return Classification("IFRS9", Ifrs9Stage.STAGE_2, rule, CIT_SICR, reason, self._params())
        rule, reason = "IFRS9.STAGE_1", "no significant increase in credit risk"
        if days > self.sicr_after_days:
            rule, reason = "IFRS9.5.5.11.REBUTTED", "30-day presumption rebutted with supportable information"
        return Classification("IFRS9", Ifrs9Stage.STAGE_1, rule, CIT_STAGE1, reason, self._params())

    def classify(
        self,
        days_past_due: int,
        *,
        rebut_sicr: bool = False,
        rebut_default: bool = False,
        significant_increase: bool = False,
        credit_impaired: bool = False,
        previous: Ifrs9Stage | str | None = None,
        months_since_cure: int | None = None,
    ) -> Classification:
        """Classify one asset; see :func:`classify_ifrs9`."""
        if (
            rebut_sicr is False
            and rebut_default is False
            and significant_increase is False
            and credit_impaired is False
            and previous is None
        ):
            return self._table.get(days_past_due)
        for name, flag in (
            ("rebut_sicr", rebut_sicr),
            ("rebut_default", rebut_default),
            ("significant_increase", significant_increase),
            ("credit_impaired", credit_impaired),
        ):
            check_flag(flag, name)
        result = self._by_days(check_days(days_past_due), rebut_sicr, rebut_default)
        if credit_impaired and result.grade.rank < 3:
            result = Classification(
                "IFRS9",
                Ifrs9Stage.STAGE_3,
                "IFRS9.CREDIT_IMPAIRED",
                "IFRS 9 Appendix A (credit-impaired financial asset)",
                "evidence of credit impairment",
                self._params(),
            )
        elif significant_increase and result.grade.rank < 2:
            result = Classification(
                "IFRS9",
                Ifrs9Stage.STAGE_2,
                "IFRS9.5.5.3.SICR",
                "IFRS 9 para 5.5.3 (significant increase in credit risk)",
                "significant increase in credit risk on other information",
                self._params(),
            )
        if previous is not None:
            prev = Ifrs9Stage.parse(previous, "previous")
            if prev.rank > result.grade.rank:
                months = check_days(
                    months_since_cure if months_since_cure is not None else 0, "months_since_cure"
                )
                held = self._held_stage(prev, result.grade.rank, months)
                if held is not None and held.rank > result.grade.rank:
                    result = Classification(
                        "IFRS9",
                        held,
                        f"IFRS9.PROBATION.{held.name}",
                        CIT_PROBATION,
                        f"triggers ceased {months} month(s) ago; held in {held.value} during probation",
                        (
                            ("stage_3_probation_months", self.stage_3_probation_months),
                            ("stage_2_probation_months", self.stage_2_probation_months),
                        ),
                    )
        return result

    def _held_stage(self, prev: Ifrs9Stage, candidate_rank: int, months: int) -> Ifrs9Stage | None:
        if prev is Ifrs9Stage.STAGE_3:
            if months < self.stage_3_probation_months:
                return Ifrs9Stage.STAGE_3
            if candidate_rank < 2 and months < self.stage_3_probation_months + self.stage_2_probation_months:
                return Ifrs9Stage.STAGE_2
            return None
        if prev is Ifrs9Stage.STAGE_2 and months < self.stage_2_probation_months:
            return Ifrs9Stage.STAGE_2
        return None

    def classify_many(self, days: Sequence[int]) -> list[Classification]:
        """Stages for a whole column of day counts (no flags)."""
        return self._table.many(days)


_DEFAULT = Ifrs9Rules()


def classify_ifrs9(
    days_past_due: int,
    *,
    rebut_sicr: bool = False,
    rebut_default: bool = False,
    significant_increase: bool = False,
    credit_impaired: bool = False,
    previous: Ifrs9Stage | str | None = None,
    months_since_cure: int | None = None,
    rules: Ifrs9Rules | None = None,
) -> Classification:
    """IFRS 9 stage of one asset.

    * ``rebut_sicr`` / ``rebut_default`` — the 30- / 90-day presumptions are rebutted;
    * ``significant_increase`` / ``credit_impaired`` — other evidence (watch list, forbearance,
      bankruptcy): at least stage 2 / stage 3;
    * ``previous`` and ``months_since_cure`` — last stage and whole months since every trigger
      ceased; a better stage is granted only after the probation of ``rules``.

    >>> classify_ifrs9(0, previous="stage_3", months_since_cure=1).grade.number
    3
    >>> classify_ifrs9(0, previous="stage_3", months_since_cure=3).grade.number
    1
    >>> classify_ifrs9(0, credit_impaired=True).rule_id
    'IFRS9.CREDIT_IMPAIRED'
    """
    return _rules(rules).classify(
        days_past_due,
        rebut_sicr=rebut_sicr,
        rebut_default=rebut_default,
        significant_increase=significant_increase,
        credit_impaired=credit_impaired,
        previous=previous,
        months_since_cure=months_since_cure,
    )


def _rules(rules: Any) -> Ifrs9Rules:
    if rules is None:
        return _DEFAULT
    if not isinstance(rules, Ifrs9Rules):
        raise InvalidInput("rules", rules, "must be a Ifrs9Rules (or None for the published defaults)")
    return rules
