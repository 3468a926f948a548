"""The :class:`Classification` value object and the grade enums every classifier returns.

A classifier never returns a bare grade: it returns a :class:`Classification` carrying the grade,
the id of the rule that decided it, the citation of that rule, a one-line reason and the
parameters in force, so a UI or an auditor can show *why*.

Grades are ordered by severity (``rank``; higher is worse), so "at least 关注" is ``max(...)``:

>>> from autoloan.delinquency.classification import FiveTier, worst
>>> worst(FiveTier.NORMAL, FiveTier.SUBSTANDARD).label_zh
'次级'
>>> FiveTier.parse("关注") is FiveTier.SPECIAL_MENTION
True
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from autoloan.errors import InvalidInput

__all__ = [
    "Classification",
    "DefaultStatus",
    "FfiecGrade",
    "FiveTier",
    "Grade",
    "Ifrs9Stage",
    "worst",
]


class Grade(str, Enum):
    """Base of the grade enums: a severity ``rank`` and bilingual labels.

    Members are defined as ``NAME = (value, rank, label_en, label_zh)``; the enum value is the
    first element, so ``FiveTier("substandard")`` and ``FiveTier.parse("次级")`` both work.

    >>> FiveTier("substandard") is FiveTier.parse("次级"), FiveTier.SUBSTANDARD.rank
    (True, 2)
    """

    _rank: int
    _label_en: str
    _label_zh: str

    def __new__(cls, value: str, rank: int = 0, label_en: str = "", label_zh: str = "") -> Grade:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._rank = rank
        obj._label_en = label_en
        obj._label_zh = label_zh
        return obj

    @property
    def rank(self) -> int:
        """Severity: 0 is the best grade, higher is worse."""
        return self._rank

    @property
    def label_en(self) -> str:
        """English label."""
        return self._label_en

    @property
    def label_zh(self) -> str:
        """Chinese label (中文)."""
        return self._label_zh

    @classmethod
    def parse(cls: type[_G], value: Any, field: str = "grade") -> _G:
        """Accept a member, its value, its name, or either label (case-insensitive)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if key in (member.value, member.name.lower(), member.label_en.lower(), member.label_zh):
                    return member
        raise InvalidInput(field, value, "unknown grade; use one of " + ", ".join(m.value for m in cls))

    def __str__(self) -> str:
        return str(self.value)


_G = TypeVar("_G", bound=Grade)


def worst(first: _G, *others: _G) -> _G:
    """The most severe of the given grades (the highest ``rank``).

    >>> worst(Ifrs9Stage.STAGE_2, Ifrs9Stage.STAGE_1).value
    'stage_2'
    """
    if not isinstance(first, Grade):
        raise InvalidInput("grades[0]", first, "must be a grade (a Grade enum member)")
    result = first
    for i, grade in enumerate(others, 1):
        if not isinstance(grade, Grade):
            raise InvalidInput(f"grades[{i}]", grade, "must be a grade (a Grade enum member)")
        if grade.rank > result.rank:
            result = grade
    return result


class FiveTier(Grade):
    """China's five-tier risk classification (五级分类) of financial assets.

    正常 / 关注 / 次级 / 可疑 / 损失; the last three are non-performing (不良).
    Source: 《商业银行金融资产风险分类办法》(中国银行保险监督管理委员会 中国人民银行令〔2023〕第1号).

    >>> [g.label_zh for g in FiveTier], FiveTier.DOUBTFUL.non_performing
    (['正常', '关注', '次级', '可疑', '损失'], True)
    """

    NORMAL = ("normal", 0, "normal", "正常")
    SPECIAL_MENTION = ("special_mention", 1, "special mention", "关注")
    SUBSTANDARD = ("substandard", 2, "substandard", "次级")
    DOUBTFUL = ("doubtful", 3, "doubtful", "可疑")
    LOSS = ("loss", 4, "loss", "损失")

    @property
    def non_performing(self) -> bool:
        """次级, 可疑 and 损失 are non-performing (不良资产)."""
        return self.rank >= 2


class FfiecGrade(Grade):
    """Grades of the FFIEC Uniform Retail Credit Classification and Account Management Policy.

    >>> FfiecGrade.LOSS.label_en, FfiecGrade.parse("substandard").rank
    ('loss (charge off)', 2)
    """

    PASS = ("pass", 0, "pass (not classified)", "正常（未分类）")
    SUBSTANDARD = ("substandard", 2, "substandard", "次级")
    LOSS = ("loss", 4, "loss (charge off)", "损失（核销）")


class Ifrs9Stage(Grade):
    """IFRS 9 impairment stage: 1 (12-month ECL), 2 (lifetime ECL), 3 (credit-impaired).

    >>> Ifrs9Stage.STAGE_2.number, Ifrs9Stage.STAGE_3.label_zh
    (2, '第三阶段：已发生信用减值')
    """

    STAGE_1 = ("stage_1", 1, "stage 1: 12-month expected credit losses", "第一阶段：12个月预期信用损失")
    STAGE_2 = ("stage_2", 2, "stage 2: significant increase in credit risk", "第二阶段：信用风险显著增加")
    STAGE_3 = ("stage_3", 3, "stage 3: credit-impaired", "第三阶段：已发生信用减值")

    @property
    def number(self) -> int:
        """1, 2 or 3."""
        return self.rank


class DefaultStatus(Grade):
    """Prudential default status (CRR Art. 178, EBA/GL/2016/07).

    >>> DefaultStatus.parse("defaulted").label_zh
    '违约'
    """

    NOT_DEFAULTED = ("not_defaulted", 0, "not in default", "未违约")
    DEFAULTED = ("defaulted", 1, "in default", "违约")


@dataclass(frozen=True, slots=True)
class Classification:
    """One view's verdict on one account, with the rule that decided it.

    ``parameters`` is a tuple of ``(name, value)`` pairs (hashable and immutable); use
    :meth:`params` for a dict. Classifiers hand out cached instances for the common cases,
    so comparing two of them with ``==`` is cheap and ``is`` may hold.

    >>> c = Classification("CN-5", FiveTier.SUBSTANDARD, "CN.RISK2023.RETAIL.OVERDUE_90",
    ...                    "商业银行金融资产风险分类办法 (2023)", "overdue more than 90 days",
    ...                    (("substandard_after_days", 90),))
    >>> c.grade.label_zh, c.params()["substandard_after_days"]
    ('次级', 90)
    >>> str(c)
    'CN-5 substandard 次级 [CN.RISK2023.RETAIL.OVERDUE_90]: overdue more than 90 days'
    """

    scheme: str
    grade: Grade
    rule_id: str
    citation: str
    reason: str
    parameters: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.grade, Grade):
            raise InvalidInput("grade", self.grade, "must be a Grade enum member")
        for name, text in (("scheme", self.scheme), ("rule_id", self.rule_id), ("citation", self.citation)):
            if not isinstance(text, str) or not text:
                raise InvalidInput(name, text, "must be a non-empty string")
        if not isinstance(self.reason, str):
            raise InvalidInput("reason", self.reason, "must be a string")
        if not isinstance(self.parameters, tuple) or not all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in self.parameters
        ):
            raise InvalidInput("parameters", self.parameters, "must be a tuple of (name, value) pairs")

    @property
    def label_en(self) -> str:
        """The grade's English label."""
        return self.grade.label_en

    @property
    def label_zh(self) -> str:
        """The grade's Chinese label."""
        return self.grade.label_zh

    def params(self) -> dict[str, Any]:
        """The parameters as a new dict."""
        return dict(self.parameters)

    def to_row(self) -> dict[str, Any]:
        """A plain dict for JSON or a data frame row."""
        return {
            "scheme": self.scheme,
            "grade": self.grade.value,
            "label_en": self.grade.label_en,
            "label_zh": self.grade.label_zh,
            "rule_id": self.rule_id,
            "citation": self.citation,
            "reason": self.reason,
            "parameters": self.params(),
        }

    def __str__(self) -> str:
        return f"{self.scheme} {self.grade.value} {self.grade.label_zh} [{self.rule_id}]: {self.reason}"
