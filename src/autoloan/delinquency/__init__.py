"""Delinquency: days past due, bucket schemes, regulatory classifications, Metro 2, roll rates.

The same overdue account is "M2" to a collections team, "30-59" on a US report, 关注 to the
Chinese regulator, stage 2 to IFRS 9, status 71 on the US credit report and "2" in its 征信
record. This package gives every view from one input, each with the rule and the citation that
decided it.

>>> from autoloan.delinquency import BucketScheme, classify_all
>>> BucketScheme.cycles().bucket(45).name
'M2'
>>> v = classify_all(days_past_due=45)
>>> v.dpd30.name, v.china.grade.label_zh, v.ifrs9.grade.number, v.metro2.grade.value
('30-59', '关注', 2, '71')
"""

from __future__ import annotations

from autoloan.delinquency.basel import BaselRules, classify_basel, is_material
from autoloan.delinquency.buckets import Bucket, BucketScheme
from autoloan.delinquency.china import ChinaRules, classify_china, observation_period_end
from autoloan.delinquency.classification import (
    Classification,
    DefaultStatus,
    FfiecGrade,
    FiveTier,
    Grade,
    Ifrs9Stage,
    worst,
)
from autoloan.delinquency.dpd import days_past_due
from autoloan.delinquency.ffiec import FfiecRules, classify_ffiec
from autoloan.delinquency.ifrs9 import Ifrs9Rules, classify_ifrs9
from autoloan.delinquency.metro2 import (
    PAYMENT_HISTORY_CODES,
    PAYMENT_RATINGS,
    Metro2Record,
    Metro2Status,
    advance,
    classify_metro2,
    classify_metro2_many,
    history_char,
)
from autoloan.delinquency.pboc import (
    PBOC_CITATIONS,
    PbocRecord,
    PbocStatus,
    advance_pboc,
    pboc_report,
    pboc_status,
)
from autoloan.delinquency.portfolio import (
    ABSORBING_STATES,
    TransitionMatrix,
    VintageTable,
    transition_matrix,
    vintage_curves,
)
from autoloan.delinquency.timeline import Timeline, TimelineRow, classify_timeline
from autoloan.delinquency.views import (
    DEFAULT_RULEBOOK,
    Rulebook,
    Snapshot,
    StatusLike,
    Views,
    classify_all,
    classify_many,
    classify_snapshot,
)

__all__ = [
    "ABSORBING_STATES",
    "DEFAULT_RULEBOOK",
    "PAYMENT_HISTORY_CODES",
    "PAYMENT_RATINGS",
    "PBOC_CITATIONS",
    "BaselRules",
    "Bucket",
    "BucketScheme",
    "ChinaRules",
    "Classification",
    "DefaultStatus",
    "FfiecGrade",
    "FfiecRules",
    "FiveTier",
    "Grade",
    "Ifrs9Rules",
    "Ifrs9Stage",
    "Metro2Record",
    "Metro2Status",
    "PbocRecord",
    "PbocStatus",
    "Rulebook",
    "Snapshot",
    "StatusLike",
    "Timeline",
    "TimelineRow",
    "TransitionMatrix",
    "Views",
    "VintageTable",
    "advance",
    "advance_pboc",
    "classify_all",
    "classify_basel",
    "classify_china",
    "classify_ffiec",
    "classify_ifrs9",
    "classify_many",
    "classify_metro2",
    "classify_metro2_many",
    "classify_snapshot",
    "classify_timeline",
    "days_past_due",
    "history_char",
    "is_material",
    "observation_period_end",
    "pboc_report",
    "pboc_status",
    "transition_matrix",
    "vintage_curves",
    "worst",
]
