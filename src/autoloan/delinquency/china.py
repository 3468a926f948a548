"""China's five-tier risk classification (五级分类) of retail loans.

Rules of 《商业银行金融资产风险分类办法》 (中国银行保险监督管理委员会 中国人民银行令〔2023〕第1号,
issued 2023-02-10, in force 2023-07-01) as applied to retail assets (零售资产) by days overdue:

* overdue at all → at least 关注 (special mention);
* overdue more than 90 days → at least 次级 (substandard);
* overdue more than 270 days → at least 可疑 (doubtful);
* overdue more than 360 days → 损失 (loss).

Restructured assets (重组资产) are at least 关注 during their observation period (重组观察期), which
starts on the first repayment date after the contract change, spans at least two consecutive
repayment periods and not less than one year. A qualitative override supplied by the bank can only
worsen the grade. All thresholds are parameters of :class:`ChinaRules` with these defaults.

The day thresholds follow the reference note's reading of the 2023 rules. Secondary sources read:
coverage of the 2022 consultation draft (《暂行办法》) quoting "金融资产逾期后应至少归为关注类,逾期90天
以上应至少归为次级类,逾期270天以上应至少归为可疑类,逾期360天以上应归为损失类" (cnjiayu.com.cn;
dazhou.cn.xtxcm.com) and the PBoC release of the final text (wjn340.cn mirror). The final articles
could not be read verbatim here: cite their numbers from the official text before relying on them
in a filing. Note that in PRC statutes "以上" includes the number itself (Civil Code art. 1259)
while "超过" does not; the defaults read the thresholds as "more than" (超过), as the issue states,
and each is a parameter.

>>> from autoloan.delinquency.china import classify_china
>>> [classify_china(d).grade.label_zh for d in (0, 1, 90, 91, 271, 361)]
['正常', '关注', '关注', '次级', '可疑', '损失']
>>> classify_china(10, override="可疑").rule_id
'CN.RISK2023.OVERRIDE'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from autoloan.dates import add_months, coerce_date
from autoloan.delinquency._table import DayTable
from autoloan.delinquency._validate import check_days, check_flag
from autoloan.delinquency.classification import Classification, FiveTier, worst
from autoloan.errors import InvalidInput

__all__ = ["ChinaRules", "classify_china", "observation_period_end"]

CITATION_2023 = "《商业银行金融资产风险分类办法》(银保监会 人民银行令〔2023〕第1号) 零售资产逾期分类"
CITATION_RESTRUCTURED = "《商业银行金融资产风险分类办法》(银保监会 人民银行令〔2023〕第1号) 重组资产"
CITATION_UPGRADE = "《商业银行金融资产风险分类办法》(银保监会 人民银行令〔2023〕第1号) 不良资产上调条件"
CITATION_CARD_2011 = "《商业银行信用卡业务监督管理办法》(2011) 第九十二条"


@dataclass(frozen=True, slots=True)
class ChinaRules:
    """Thresholds of the five-tier classification; defaults are the 2023 retail rules.

    ``*_after_days`` are exclusive: ``substandard_after_days=90`` means "more than 90 days".
    ``upgrade_months`` / ``upgrade_periods``: a non-performing asset may move back to 正常/关注
    only after its arrears are repaid and it then pays normally for this long (used by
    :mod:`autoloan.delinquency.timeline`; both must be met).

    >>> ChinaRules.credit_card_2011().classify(121).grade.label_zh
    '可疑'
    >>> ChinaRules(doubtful_after_days=400)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: doubtful_after_days: must not exceed loss_after_days (360) (got 400)
    """

    special_mention_after_days: int = 0
    substandard_after_days: int = 90
    doubtful_after_days: int = 270
    loss_after_days: int = 360
    restructured_floor: FiveTier = FiveTier.SPECIAL_MENTION
    observation_min_months: int = 12
    observation_min_periods: int = 2
    upgrade_months: int = 6
    upgrade_periods: int = 2
    citation: str = CITATION_2023
    rule_prefix: str = "CN.RISK2023.RETAIL"
    _table: DayTable[Classification] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = (
            "special_mention_after_days",
            "substandard_after_days",
            "doubtful_after_days",
            "loss_after_days",
        )
        values = [check_days(getattr(self, n), n) for n in names]
        for i in range(1, len(names)):
            if values[i - 1] > values[i]:
                raise InvalidInput(names[i - 1], values[i - 1], f"must not exceed {names[i]} ({values[i]})")
        object.__setattr__(
            self, "restructured_floor", FiveTier.parse(self.restructured_floor, "restructured_floor")
        )
        for n in ("observation_min_months", "observation_min_periods", "upgrade_months", "upgrade_periods"):
            check_days(getattr(self, n), n)
        for n in ("citation", "rule_prefix"):
            if not isinstance(getattr(self, n), str) or not getattr(self, n):
                raise InvalidInput(n, getattr(self, n), "must be a non-empty string")
        object.__setattr__(self, "_table", DayTable(self._by_days, self.loss_after_days + 1))

    @classmethod
    def retail_2023(cls) -> ChinaRules:
        """The default: 2023 rules for retail assets (90 / 270 / 360 days)."""
        return _RETAIL_2023

    @classmethod
    def credit_card_2011(cls) -> ChinaRules:
        """Credit-card variant: 关注 1–90, 次级 91–120, 可疑 121–180, 损失 over 180 days.

        《商业银行信用卡业务监督管理办法》(2011) 第九十二条 (text quoted at
        http://www.halei720.com/yiliaoshigu/ylsgjd/56701.html); check for later revisions.
        """
        return _CARD_2011

    def _by_days(self, days: int) -> Classification:
        p = self.rule_prefix
        params = (
            ("special_mention_after_days", self.special_mention_after_days),
            ("substandard_after_days", self.substandard_after_days),
            ("doubtful_after_days", self.doubtful_after_days),
            ("loss_after_days", self.loss_after_days),
        )
        if days > self.loss_after_days:
            grade, rule, reason = (
                FiveTier.LOSS,
                f"{p}.OVERDUE_LOSS",
                f"overdue more than {self.loss_after_days} days",
            )
        elif days > self.doubtful_after_days:
            grade, rule = FiveTier.DOUBTFUL, f"{p}.OVERDUE_DOUBTFUL"
            reason = f"overdue more than {self.doubtful_after_days} days"
        elif days > self.substandard_after_days:
            grade, rule = FiveTier.SUBSTANDARD, f"{p}.OVERDUE_SUBSTANDARD"
            reason = f"overdue more than {self.substandard_after_days} days"
        elif days > self.special_mention_after_days:
            grade, rule = FiveTier.SPECIAL_MENTION, f"{p}.OVERDUE"
            reason = (
                f"overdue more than {self.special_mention_after_days} days"
                if self.special_mention_after_days
                else "overdue (逾期)"
            )
        else:
            grade, rule, reason = FiveTier.NORMAL, f"{p}.CURRENT", "not overdue"
        return Classification("CN-5", grade, rule, self.citation, reason, params)

    def grade_for_days(self, days_past_due: int) -> FiveTier:
        """The grade implied by days overdue alone."""
        grade = self._table.get(days_past_due).grade
        assert isinstance(grade, FiveTier)
        return grade

    def classify(
        self,
        days_past_due: int,
        *,
        restructured: bool = False,
        override: FiveTier | str | None = None,
        override_reason: str = "",
        previous: FiveTier | str | None = None,
        months_performing: int | None = None,
    ) -> Classification:
        """Classify one asset; see :func:`classify_china` for the arguments."""
        base = self._table.get(days_past_due)
        if restructured is False and override is None and previous is None:
            return base
        restructured = check_flag(restructured, "restructured")
        grade = base.grade
        assert isinstance(grade, FiveTier)
        result = base
        if previous is not None:
            prev = FiveTier.parse(previous, "previous")
            months = check_days(
                months_performing if months_performing is not None else 0, "months_performing"
            )
            if prev.non_performing and grade.rank < prev.rank and not grade.non_performing:
                needed = max(self.upgrade_months, self.upgrade_periods)
                if months < needed:
                    grade = prev
                    result = Classification(
                        "CN-5",
                        prev,
                        f"{self.rule_prefix}.UPGRADE_PENDING",
                        CITATION_UPGRADE,
                        f"non-performing asset repaid {months} month(s) ago; may move up only after "
                        f"{needed} months of normal payment",
                        (("upgrade_months", self.upgrade_months), ("upgrade_periods", self.upgrade_periods)),
                    )
        if restructured and self.restructured_floor.rank > grade.rank:
            grade = self.restructured_floor
            result = Classification(
                "CN-5",
                grade,
                f"{self.rule_prefix}.RESTRUCTURED",
                CITATION_RESTRUCTURED,
                "restructured asset within its observation period",
                (
                    ("restructured_floor", self.restructured_floor.value),
                    ("observation_min_months", self.observation_min_months),
                    ("observation_min_periods", self.observation_min_periods),
                ),
            )
        if override is not None:
            floor = FiveTier.parse(override, "override")
            if not isinstance(override_reason, str):
                raise InvalidInput("override_reason", override_reason, "must be a string")
            if floor.rank > grade.rank:
                grade = worst(grade, floor)
                result = Classification(
                    "CN-5",
                    grade,
                    "CN.RISK2023.OVERRIDE",
                    self.citation,
                    "qualitative assessment: " + (override_reason or f"at least {floor.label_zh}"),
                    (("override", floor.value),),
                )
        return result

    def classify_many(self, days: Sequence[int]) -> list[Classification]:
        """Classify a whole column of day counts (no flags): one shared object per grade."""
        return self._table.many(days)


_RETAIL_2023 = ChinaRules()
_CARD_2011 = ChinaRules(
    special_mention_after_days=0,
    substandard_after_days=90,
    doubtful_after_days=120,
    loss_after_days=180,
    citation=CITATION_CARD_2011,
    rule_prefix="CN.CARD2011",
)


def classify_china(
    days_past_due: int,
    *,
    restructured: bool = False,
    override: FiveTier | str | None = None,
    override_reason: str = "",
    previous: FiveTier | str | None = None,
    months_performing: int | None = None,
    rules: ChinaRules | None = None,
) -> Classification:
    """Five-tier grade of a retail asset.

    * ``days_past_due`` — days overdue (逾期天数) of the oldest unpaid amount;
    * ``restructured`` — the asset is a restructured asset still in its observation period
      (see :func:`observation_period_end`); floors the grade at 关注;
    * ``override`` — the bank's qualitative grade (e.g. fraud, 逃废债); it only ever worsens;
    * ``previous`` and ``months_performing`` — last period's grade and how many months the asset
      has paid normally since its arrears were cleared: a non-performing asset is not upgraded
      before ``rules.upgrade_months``.

    >>> classify_china(0, restructured=True).grade.label_zh
    '关注'
    >>> classify_china(0, previous="次级", months_performing=2).rule_id
    'CN.RISK2023.RETAIL.UPGRADE_PENDING'
    >>> classify_china(200, override="正常").grade.label_zh  # an override never improves
    '次级'
    """
    return _rules(rules).classify(
        days_past_due,
        restructured=restructured,
        override=override,
        override_reason=override_reason,
        previous=previous,
        months_performing=months_performing,
    )


def observation_period_end(
    first_due_after_restructuring: Any, *, period_months: int = 1, rules: ChinaRules | None = None
) -> date:
    """End of a restructured asset's observation period (重组观察期).

    It starts on the first repayment date after the contract change and must contain at least two
    consecutive repayment periods and last no less than one year (2023 rules, as reported by
    每日经济新闻, 2023-02-11). A missed payment restarts it (handled by the timeline).

    >>> from datetime import date
    >>> observation_period_end(date(2024, 3, 31))
    datetime.date(2025, 3, 31)
    >>> observation_period_end(date(2024, 3, 31), period_months=12)
    datetime.date(2026, 3, 31)
    """
    r = _rules(rules)
    start = coerce_date(first_due_after_restructuring, "first_due_after_restructuring")
    months = check_days(period_months, "period_months")
    if months == 0:
        raise InvalidInput("period_months", period_months, "must be at least 1")
    return add_months(start, max(r.observation_min_months, r.observation_min_periods * months))


def _rules(rules: Any) -> ChinaRules:
    if rules is None:
        return _RETAIL_2023
    if not isinstance(rules, ChinaRules):
        raise InvalidInput("rules", rules, "must be a ChinaRules (or None for the published defaults)")
    return rules
