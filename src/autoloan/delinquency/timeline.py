"""Classify a sequence of monthly snapshots, so probation, upgrades and Metro 2 history work.

Per-snapshot classifiers cannot know that a loan cured two months ago is still on probation; the
timeline carries that state forward:

* IFRS 9: a stage is left only after the cure probation of :class:`~.ifrs9.Ifrs9Rules`;
* EU default: 3 months without any trigger (12 after a distressed restructuring) — EBA/GL/2016/07
  paras 71–73;
* China: a non-performing asset moves back to 正常/关注 only once its arrears are repaid and it has
  paid normally for ``ChinaRules.upgrade_months``; a restructured asset stays at least 关注 until its
  observation period ends (it restarts when a payment is missed during the period);
* probation months are counted from the first snapshot that shows no trigger (the conservative
  reading when only month-end snapshots are known);
* Metro 2: the 24-month history advances month by month and the date of first delinquency stays
  stable while the delinquency lasts.

>>> from datetime import date
>>> from autoloan.delinquency.timeline import classify_timeline
>>> rows = classify_timeline([
...     {"as_of": date(2024, 1, 31), "days_past_due": 0},
...     {"as_of": date(2024, 2, 29), "days_past_due": 100},
...     {"as_of": date(2024, 3, 31), "days_past_due": 0},
...     {"as_of": date(2024, 6, 30), "days_past_due": 0},
... ])
>>> [r.views.basel.grade.value for r in rows]
['not_defaulted', 'defaulted', 'defaulted', 'not_defaulted']
>>> rows[-1].metro2.payment_history[:5]
'DD030'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, overload

from autoloan.dates import coerce_date
from autoloan.delinquency._validate import months_between
from autoloan.delinquency.china import observation_period_end
from autoloan.delinquency.classification import DefaultStatus, FiveTier, Grade
from autoloan.delinquency.metro2 import Metro2Record, advance
from autoloan.delinquency.views import Rulebook, Snapshot, Views, classify_snapshot
from autoloan.errors import InvalidInput

__all__ = ["Timeline", "TimelineRow", "classify_timeline"]


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """The views of one snapshot plus its Metro 2 record.

    >>> row = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 40}])[0]
    >>> row.as_of, row.to_row()["metro2_status"]
    (datetime.date(2024, 1, 31), '71')
    """

    views: Views
    metro2: Metro2Record

    def __post_init__(self) -> None:
        if not isinstance(self.views, Views):
            raise InvalidInput("views", self.views, "must be Views")
        if not isinstance(self.metro2, Metro2Record):
            raise InvalidInput("metro2", self.metro2, "must be a Metro2Record")

    @property
    def as_of(self) -> date:
        """The snapshot's date."""
        return self.metro2.as_of

    def to_row(self) -> dict[str, Any]:
        """A flat dict: date, days past due and each view's grade."""
        v = self.views
        return {
            "as_of": self.as_of,
            "days_past_due": v.snapshot.days_past_due,
            "cycle": v.cycle.name,
            "dpd30": v.dpd30.name,
            "china": v.china.grade.value,
            "ffiec": v.ffiec.grade.value,
            "ifrs9": v.ifrs9.grade.value,
            "basel": v.basel.grade.value,
            "metro2_status": v.metro2.grade.value,
            "payment_history": self.metro2.payment_history,
            "dofd": self.metro2.dofd,
        }


class Timeline(Sequence[TimelineRow]):
    """The classified rows, in date order; ``str()`` renders a table.

    >>> t = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 0}])
    >>> len(t), str(t).splitlines()[0].split()[:3]
    (1, ['as_of', 'days_past_due', 'cycle'])
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: Iterable[TimelineRow]) -> None:
        self._rows = tuple(rows)

    @overload
    def __getitem__(self, i: int) -> TimelineRow: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[TimelineRow]: ...
    def __getitem__(self, i: int | slice) -> TimelineRow | Sequence[TimelineRow]:
        return self._rows[i]

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[TimelineRow]:
        return iter(self._rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """Plain dicts, one per snapshot."""
        return [r.to_row() for r in self._rows]

    def __str__(self) -> str:
        rows = self.to_rows()
        if not rows:
            return "(empty timeline)"
        cols = list(rows[0])
        text = [[str(r[c]) if r[c] is not None else "" for c in cols] for r in rows]
        widths = [max(len(c), *(len(t[i]) for t in text)) for i, c in enumerate(cols)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
        lines += ["  ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)).rstrip() for row in text]
        return "\n".join(lines)


class _Cure:
    """Track the worst grade held and since when the raw (stateless) grade has been better."""

    __slots__ = ("held", "peak", "since")

    def __init__(self) -> None:
        self.held: Grade | None = None
        self.peak: Grade | None = None
        self.since: date | None = None

    def history(
        self, raw: Grade, as_of: date, *, clock_running: bool = True
    ) -> tuple[Grade | None, int | None]:
        """``(previous, months)`` to pass to the classifier for this snapshot."""
        if self.held is None or raw.rank >= self.held.rank:
            self.since = None
            self.peak = None
            return None, None
        if self.peak is None:
            self.peak = self.held
        if not clock_running:
            self.since = None
            return self.peak, 0
        if self.since is None:
            self.since = as_of
        return self.peak, months_between(self.since, as_of)

    def record(self, result: Grade, raw: Grade) -> None:
        self.held = result
        if result.rank <= raw.rank:
            self.since = None
            self.peak = None


def _as_snapshot(item: Any, i: int) -> Snapshot:
    if isinstance(item, Snapshot):
        snap = item
    elif isinstance(item, Mapping):
        try:
            snap = Snapshot(**item)
        except TypeError as exc:
            raise InvalidInput(f"snapshots[{i}]", dict(item), f"unknown field: {exc}") from None
    elif hasattr(item, "days_past_due"):
        snap = Snapshot.from_status(item)
    else:
        raise InvalidInput(
            f"snapshots[{i}]", item, "must be a Snapshot, a mapping or an AccountStatus-like object"
        )
    if snap.as_of is None:
        raise InvalidInput(f"snapshots[{i}].as_of", None, "every snapshot of a timeline needs as_of")
    return snap


def classify_timeline(
    snapshots: Iterable[Snapshot | Mapping[str, Any] | Any],
    *,
    rulebook: Rulebook | None = None,
    previous_metro2: Metro2Record | None = None,
    dofd_offset_days: int = 30,
) -> Timeline:
    """Classify monthly snapshots in date order (one per month at most), carrying probation state.

    ``snapshots`` are :class:`~.views.Snapshot` objects, dicts of their fields, or
    ``AccountStatus``-like objects. ``previous_metro2`` continues an existing Metro 2 history.

    >>> rows = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 95},
    ...                           {"as_of": "2024-02-29", "days_past_due": 0}])
    >>> [r.views.china.grade.label_zh for r in rows]
    ['次级', '次级']
    """
    book = rulebook or Rulebook()
    ifrs9, basel, china = _Cure(), _Cure(), _Cure()
    basel_restructuring = False
    obs_end: date | None = None
    metro: Metro2Record | None = previous_metro2
    out: list[TimelineRow] = []
    last: date | None = None
    for i, item in enumerate(snapshots):
        snap = _as_snapshot(item, i)
        when = coerce_date(snap.as_of, f"snapshots[{i}].as_of")
        if last is not None and (when.year, when.month) <= (last.year, last.month):
            raise InvalidInput(f"snapshots[{i}].as_of", when, f"must fall in a later month than {last}")
        last = when
        if snap.restructured_first_due is not None:
            first_due = coerce_date(snap.restructured_first_due, f"snapshots[{i}].restructured_first_due")
            obs_end = observation_period_end(first_due, rules=book.china)
        if obs_end is not None:
            if snap.days_past_due > 0 and when < obs_end:
                # missed payment during observation: restart from the point of non-performance
                obs_end = observation_period_end(when - timedelta(days=snap.days_past_due), rules=book.china)
            if when < obs_end:
                if not snap.restructured:
                    snap = replace(snap, restructured=True)
            else:
                obs_end = None
        raw = classify_snapshot(snap, book)
        i_prev, i_months = ifrs9.history(raw.ifrs9.grade, when)
        b_prev, b_months = basel.history(raw.basel.grade, when)
        c_prev, c_months = china.history(raw.china.grade, when, clock_running=snap.days_past_due == 0)
        if raw.basel.grade is DefaultStatus.DEFAULTED:
            basel_restructuring = basel_restructuring or snap.distressed_restructuring
        views = raw
        if i_prev is not None or b_prev is not None or c_prev is not None:
            views = classify_snapshot(
                snap,
                book,
                ifrs9_previous=i_prev,
                ifrs9_months=i_months,
                basel_previous=b_prev,
                basel_months=b_months,
                basel_after_restructuring=basel_restructuring,
                china_previous=c_prev if isinstance(c_prev, FiveTier) else None,
                china_months=c_months,
            )
        ifrs9.record(views.ifrs9.grade, raw.ifrs9.grade)
        basel.record(views.basel.grade, raw.basel.grade)
        china.record(views.china.grade, raw.china.grade)
        if views.basel.grade is DefaultStatus.NOT_DEFAULTED:
            basel_restructuring = False
        metro = advance(
            metro,
            as_of=when,
            days_past_due=snap.days_past_due,
            charged_off=snap.charged_off,
            repossessed=snap.repossessed,
            voluntary_surrender=snap.voluntary_surrender,
            in_collections=snap.in_collections,
            paid_in_full=snap.paid_in_full,
            zero_balance=snap.zero_balance,
            dofd_offset_days=dofd_offset_days,
        )
        out.append(TimelineRow(views, metro))
    return Timeline(out)
