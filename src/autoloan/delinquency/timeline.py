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

from autoloan._html import dataframe, render_html
from autoloan.dates import coerce_date, months_between
from autoloan.delinquency.china import observation_period_end
from autoloan.delinquency.classification import DefaultStatus, FiveTier, Grade
from autoloan.delinquency.metro2 import Metro2Record, advance
from autoloan.delinquency.pboc import PbocRecord, advance_pboc
from autoloan.delinquency.views import DEFAULT_RULEBOOK, Rulebook, Snapshot, Views, classify_snapshot
from autoloan.errors import InvalidInput

__all__ = ["Timeline", "TimelineRow", "classify_timeline"]


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """The views of one snapshot plus its Metro 2 record and its 征信 (PBoC) record.

    >>> row = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 40}])[0]
    >>> row.as_of, row.to_row()["metro2_status"], row.pboc.status.value
    (datetime.date(2024, 1, 31), '71', '2')
    """

    views: Views
    metro2: Metro2Record
    pboc: PbocRecord | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.views, Views):
            raise InvalidInput("views", self.views, "must be Views")
        if not isinstance(self.metro2, Metro2Record):
            raise InvalidInput("metro2", self.metro2, "must be a Metro2Record")
        if self.pboc is not None and not isinstance(self.pboc, PbocRecord):
            raise InvalidInput("pboc", self.pboc, "must be a PbocRecord or None")

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
            "pboc": self.pboc.status.value if self.pboc is not None else None,
        }


class Timeline(Sequence[TimelineRow]):
    """The classified rows, in date order; ``str()`` renders a table.

    >>> t = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 0}])
    >>> len(t), str(t).splitlines()[0].split()[:3]
    (1, ['as_of', 'days_past_due', 'cycle'])
    """

    __slots__ = ("_rows",)

    def __init__(self, rows: Iterable[TimelineRow]) -> None:
        if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
            raise InvalidInput("rows", rows, "must be a sequence of TimelineRow")
        self._rows = tuple(rows)
        for i, row in enumerate(self._rows):
            if not isinstance(row, TimelineRow):
                raise InvalidInput(f"rows[{i}]", row, "must be a TimelineRow")

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

    def _repr_html_(self) -> str:
        return render_html(self)

    def to_pandas(self) -> Any:
        """:meth:`to_rows` as a ``pandas.DataFrame`` (needs pandas)."""
        return dataframe(self)


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

    def reset(self, raw: Grade) -> None:
        """``history`` and ``record`` when nothing is held above ``raw``: hold ``raw``, no clock."""
        self.held = raw
        self.since = None
        self.peak = None

    def record(self, result: Grade, raw: Grade) -> None:
        self.held = result
        if result.rank <= raw.rank:
            self.since = None
            self.peak = None


# Plain snapshots ({"as_of": date, "days_past_due": int}) and their views under the published
# rules repeat across the loans of a book (same month-ends, same day counts): share them. Every
# cached object is immutable and depends only on its key, so sharing never changes a result.
_MEMO: dict[Any, Any] = {}
_MEMO_LIMIT = 30_000  # entries of about 1 kB (a snapshot and its views): at most ~30 MB, then cleared


def _remember(key: Any, value: Any) -> Any:
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[key] = value
    return value


def _plain_views(days: int, history: tuple[tuple[str, Any], ...]) -> Views:
    """The views of ``Snapshot(days)`` under the published rules, given the probation history.

    For a snapshot with nothing but a date and a day count, no view depends on the date (the FFIEC
    view reads it only with bankruptcy or fraud dates), so these are shared across month-ends.
    """
    key = ("days", days, history)
    views: Views | None = _MEMO.get(key)
    if views is None:
        views = classify_snapshot(Snapshot(days), DEFAULT_RULEBOOK, **dict(history))
        _remember(key, views)
    return views


def _rebind(views: Views, snap: Snapshot) -> Views:
    """The same views, of ``snap``."""
    return replace(views, snapshot=snap)


def _as_snapshot(item: Any, i: int) -> tuple[Snapshot, Any]:
    """The snapshot and, for a plain ``{"as_of": date, "days_past_due": int}`` dict, its memo key."""
    if type(item) is dict and len(item) == 2:
        when, days = item.get("as_of"), item.get("days_past_due")
        if type(when) is date and type(days) is int:
            key = (when, days)
            snap = _MEMO.get(key)
            if snap is None:
                snap = _remember(key, _plain_snapshot(item, i))
            return snap, key
    if isinstance(item, Snapshot):
        snap = item
    elif isinstance(item, Mapping):
        snap = _plain_snapshot(item, i)
    elif hasattr(item, "days_past_due"):
        try:
            snap = Snapshot.from_status(item)
        except InvalidInput as err:
            raise err.prefixed("snapshots", i) from None
    else:
        raise InvalidInput(
            f"snapshots[{i}]", item, "must be a Snapshot, a mapping or an AccountStatus-like object"
        )
    if snap.as_of is None:
        raise InvalidInput(f"snapshots[{i}].as_of", None, "every snapshot of a timeline needs as_of")
    return snap, None


def _plain_snapshot(item: Mapping[str, Any], i: int) -> Snapshot:
    try:
        snap = Snapshot(**item)
    except TypeError as exc:
        raise InvalidInput(f"snapshots[{i}]", dict(item), f"unknown field: {exc}") from None
    except InvalidInput as err:
        raise err.prefixed("snapshots", i) from None
    if snap.as_of is None:
        raise InvalidInput(f"snapshots[{i}].as_of", None, "every snapshot of a timeline needs as_of")
    return snap


_PBOC_EVENTS = (
    "paid_in_full",
    "charged_off",
    "account_ended",
    "settled_by_assets",
    "guarantor_paid",
    "paid_late",
    "nothing_due",
)


def classify_timeline(
    snapshots: Iterable[Snapshot | Mapping[str, Any] | Any],
    *,
    rulebook: Rulebook | None = None,
    previous_metro2: Metro2Record | None = None,
    dofd_offset_days: int = 30,
    previous_pboc: PbocRecord | None = None,
) -> Timeline:
    """Classify monthly snapshots in date order (one per month at most), carrying probation state.

    ``snapshots`` are :class:`~.views.Snapshot` objects, dicts of their fields, or
    ``AccountStatus``-like objects. ``previous_metro2`` continues an existing Metro 2 history and
    ``previous_pboc`` an existing 征信 record (:mod:`~.pboc`); each row carries both.

    >>> rows = classify_timeline([{"as_of": "2024-01-31", "days_past_due": 95},
    ...                           {"as_of": "2024-02-29", "days_past_due": 0}])
    >>> [r.views.china.grade.label_zh for r in rows]
    ['次级', '次级']
    """
    book = DEFAULT_RULEBOOK if rulebook is None else rulebook
    if not isinstance(book, Rulebook):
        raise InvalidInput("rulebook", rulebook, "must be a Rulebook")
    if previous_metro2 is not None and not isinstance(previous_metro2, Metro2Record):
        raise InvalidInput("previous_metro2", previous_metro2, "must be a Metro2Record or None")
    if previous_pboc is not None and not isinstance(previous_pboc, PbocRecord):
        raise InvalidInput("previous_pboc", previous_pboc, "must be a PbocRecord or None")
    if isinstance(snapshots, str | bytes | Mapping) or not isinstance(snapshots, Iterable):
        raise InvalidInput("snapshots", snapshots, "must be a sequence of monthly snapshots")
    memo = book is DEFAULT_RULEBOOK
    ifrs9, basel, china = _Cure(), _Cure(), _Cure()
    basel_restructuring = False
    obs_end: date | None = None
    metro: Metro2Record | None = previous_metro2
    pboc: PbocRecord | None = previous_pboc
    out: list[TimelineRow] = []
    last: date | None = None
    for i, item in enumerate(snapshots):
        key: Any = None
        if type(item) is dict and len(item) == 2:  # the common plain snapshot: memoised
            when, days = item.get("as_of"), item.get("days_past_due")
            if type(when) is date and type(days) is int:
                key = (when, days)
                cached = _MEMO.get(key)
                snap = cached if cached is not None else _remember(key, _plain_snapshot(item, i))
        if key is None:
            snap, key = _as_snapshot(item, i)
        when = snap.as_of
        assert isinstance(when, date)
        if last is not None and (when.year, when.month) <= (last.year, last.month):
            raise InvalidInput(f"snapshots[{i}].as_of", when, f"must fall in a later month than {last}")
        last = when
        days = snap.days_past_due
        if snap.restructured_first_due is not None:
            first_due = coerce_date(snap.restructured_first_due, f"snapshots[{i}].restructured_first_due")
            obs_end = _observation_end(first_due, book, i)
        if obs_end is not None:
            if days > 0 and when < obs_end:
                # missed payment during observation: restart from the point of non-performance
                if days >= when.toordinal():
                    raise InvalidInput(
                        f"snapshots[{i}].days_past_due", days, f"reaches back before the calendar from {when}"
                    )
                obs_end = _observation_end(when - timedelta(days=days), book, i)
            if when < obs_end:
                if not snap.restructured:
                    snap, key = replace(snap, restructured=True), None
            else:
                obs_end = None
        memo_key = ("raw", key) if memo and key is not None else None
        raw = _MEMO.get(memo_key) if memo_key is not None else None
        if raw is None:
            if memo_key is not None:
                raw = _remember(memo_key, _rebind(_plain_views(days, ()), snap))
            else:
                raw = classify_snapshot(snap, book)
        ig, bg, cg = raw.ifrs9.grade, raw.basel.grade, raw.china.grade
        if bg is DefaultStatus.DEFAULTED:
            basel_restructuring = basel_restructuring or snap.distressed_restructuring
        views = raw
        if (
            (ifrs9.held is None or ig.rank >= ifrs9.held.rank)
            and (basel.held is None or bg.rank >= basel.held.rank)
            and (china.held is None or cg.rank >= china.held.rank)
        ):
            # nothing is held above today's grades: no probation runs, every view is today's
            ifrs9.reset(ig)
            basel.reset(bg)
            china.reset(cg)
        else:
            i_prev, i_months = ifrs9.history(ig, when)
            b_prev, b_months = basel.history(bg, when)
            c_prev, c_months = china.history(cg, when, clock_running=days == 0)
            if i_prev is not None or b_prev is not None or c_prev is not None:
                c_prev5 = c_prev if isinstance(c_prev, FiveTier) else None
                hist_key = (
                    ("held", key, i_prev, i_months, b_prev, b_months, basel_restructuring, c_prev5, c_months)
                    if memo_key is not None
                    else None
                )
                history = {
                    "ifrs9_previous": i_prev,
                    "ifrs9_months": i_months,
                    "basel_previous": b_prev,
                    "basel_months": b_months,
                    "basel_after_restructuring": basel_restructuring,
                    "china_previous": c_prev5,
                    "china_months": c_months,
                }
                held = _MEMO.get(hist_key) if hist_key is not None else None
                if held is None:
                    if hist_key is not None:
                        base = _plain_views(days, tuple(history.items()))
                        held = _remember(hist_key, _rebind(base, snap))
                    else:
                        held = classify_snapshot(snap, book, **history)
                views = held
            ifrs9.record(views.ifrs9.grade, ig)
            basel.record(views.basel.grade, bg)
            china.record(views.china.grade, cg)
        if views.basel.grade is DefaultStatus.NOT_DEFAULTED:
            basel_restructuring = False
        try:
            if key is not None:  # a plain snapshot: no events
                metro = advance(metro, as_of=when, days_past_due=days, dofd_offset_days=dofd_offset_days)
                pboc = advance_pboc(pboc, as_of=when, days_past_due=days, currency=snap.currency)
            else:
                metro = advance(
                    metro,
                    as_of=when,
                    days_past_due=days,
                    charged_off=snap.charged_off,
                    repossessed=snap.repossessed,
                    voluntary_surrender=snap.voluntary_surrender,
                    in_collections=snap.in_collections,
                    paid_in_full=snap.paid_in_full,
                    zero_balance=snap.zero_balance,
                    dofd_offset_days=dofd_offset_days,
                )
                events = {n: True for n in _PBOC_EVENTS if getattr(snap, n)}
                pboc = advance_pboc(
                    pboc,
                    as_of=when,
                    days_past_due=days,
                    amount_past_due=snap.amount_past_due,
                    currency=snap.currency,
                    **events,
                )
        except InvalidInput as err:
            raise err.prefixed("snapshots", i) from None
        # The row's parts are checked already: build it without checking them again.
        row = object.__new__(TimelineRow)
        object.__setattr__(row, "views", views)
        object.__setattr__(row, "metro2", metro)
        object.__setattr__(row, "pboc", pboc)
        out.append(row)
    return Timeline(out)


def _observation_end(first_due: date, book: Rulebook, i: int) -> date:
    try:
        return observation_period_end(first_due, rules=book.china)
    except InvalidInput as err:
        raise InvalidInput(
            f"snapshots[{i}].restructured_first_due", first_due, "its observation period leaves the calendar"
        ) from err
