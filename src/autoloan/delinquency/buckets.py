"""Bucket schemes: named, ordered, validated ranges of days past due.

A scheme covers every non-negative whole number of days exactly once: the first bucket starts at
0, each next one starts the day after the previous one ends, and only the last is open-ended.

>>> from autoloan.delinquency.buckets import BucketScheme
>>> BucketScheme.cycles().bucket(45).name
'M2'
>>> b = BucketScheme.dpd30().bucket(95)
>>> b.name, b.label_en, b.label_zh
('90-119', '90–119 days past due', '逾期90–119天')
>>> [b.name for b in BucketScheme.metro2().bucket_many([0, 29, 30, 200])]
['11', '11', '71', '84']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autoloan.delinquency._table import lookup_column
from autoloan.delinquency._validate import check_days, check_days_many
from autoloan.errors import InvalidInput

__all__ = ["Bucket", "BucketScheme"]

# Lookup tables cover days 0.._TABLE_SIZE-1 directly; larger counts fall back to bisect.
_TABLE_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Bucket:
    """One range ``low..high`` of days past due (``high=None``: open-ended), with bilingual labels.

    >>> Bucket("M1", 1, 30, "1–30 days (one cycle)", "M1（逾期1–30天）").contains(30)
    True
    """

    name: str
    low: int
    high: int | None
    label_en: str = ""
    label_zh: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("bucket.name", self.name, "must be a non-empty string")
        object.__setattr__(self, "low", check_days(self.low, f"bucket[{self.name}].low"))
        if self.high is not None:
            object.__setattr__(self, "high", check_days(self.high, f"bucket[{self.name}].high"))
            if self.high < self.low:
                raise InvalidInput(
                    f"bucket[{self.name}].high", self.high, f"must be at least low ({self.low})"
                )
        for attr in ("label_en", "label_zh"):
            if not isinstance(getattr(self, attr), str):
                raise InvalidInput(f"bucket[{self.name}].{attr}", getattr(self, attr), "must be a string")
        if not self.label_en:
            object.__setattr__(self, "label_en", self.range_text)
        if not self.label_zh:
            object.__setattr__(self, "label_zh", f"逾期{self.range_text}天")

    @property
    def range_text(self) -> str:
        """``"30–59"`` or ``"180+"``."""
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.high == self.low else f"{self.low}–{self.high}"

    def contains(self, days: int) -> bool:
        """Whether ``days`` falls in this bucket."""
        return self.low <= days and (self.high is None or days <= self.high)


@dataclass(frozen=True, slots=True)
class BucketScheme:
    """A named, ordered, gap-free, overlap-free set of buckets; the last is open-ended.

    Build one from :class:`Bucket` objects or with :meth:`from_bounds`; presets are
    :meth:`cycles` (M0…M7+), :meth:`dpd30` (current, 1–29, 30–59 … 180+) and :meth:`metro2`
    (Metro 2 account status 11/71/78/80/82/83/84).

    >>> BucketScheme.from_bounds("mine", [("ok", 0, 0), ("late", 1, 10), ("bad", 12, None)])
    ...                                                       # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: buckets[2]: leaves a gap: 'late' ends at 10 but 'bad' starts at 12 ...
    """

    name: str
    buckets: tuple[Bucket, ...]
    citation: str = ""
    _lows: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _table: tuple[Bucket, ...] = field(init=False, repr=False, compare=False)
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("name", self.name, "must be a non-empty string")
        if not isinstance(self.citation, str):
            raise InvalidInput("citation", self.citation, "must be a string")
        given = self.buckets
        if isinstance(given, str | bytes | Mapping | Bucket) or not isinstance(given, Iterable):
            raise InvalidInput("buckets", given, "must be a sequence of Bucket objects")
        buckets = tuple(given)
        if not buckets:
            raise InvalidInput("buckets", buckets, "a scheme needs at least one bucket")
        for i, b in enumerate(buckets):
            if not isinstance(b, Bucket):
                raise InvalidInput(f"buckets[{i}]", b, "must be a Bucket")
        seen: set[str] = set()
        for i, b in enumerate(buckets):
            if b.name in seen:
                raise InvalidInput(f"buckets[{i}].name", b.name, "duplicate bucket name")
            seen.add(b.name)
        ordered = sorted(buckets, key=lambda b: b.low)
        if ordered[0].low != 0:
            raise InvalidInput(
                "buckets", ordered[0].name, f"the first bucket must start at 0, not {ordered[0].low}"
            )
        for i in range(1, len(ordered)):
            prev, cur = ordered[i - 1], ordered[i]
            if prev.high is None:
                raise InvalidInput(
                    f"buckets[{i}]",
                    cur.name,
                    f"overlaps: {prev.name!r} ({prev.range_text}) is open-ended but {cur.name!r} "
                    f"({cur.range_text}) follows it",
                )
            if cur.low <= prev.high:
                raise InvalidInput(
                    f"buckets[{i}]",
                    cur.name,
                    f"overlaps: {prev.name!r} ({prev.range_text}) and {cur.name!r} ({cur.range_text})",
                )
            if cur.low != prev.high + 1:
                raise InvalidInput(
                    f"buckets[{i}]",
                    cur.name,
                    f"leaves a gap: {prev.name!r} ends at {prev.high} but {cur.name!r} starts at {cur.low}",
                )
        if ordered[-1].high is not None:
            raise InvalidInput(
                "buckets",
                ordered[-1].name,
                f"the last bucket must be open-ended (high=None), not end at {ordered[-1].high}",
            )
        ordered_t = tuple(ordered)
        object.__setattr__(self, "buckets", ordered_t)
        lows = tuple(b.low for b in ordered_t)
        object.__setattr__(self, "_lows", lows)
        size = min(_TABLE_LIMIT, lows[-1] + 1)
        object.__setattr__(self, "_table", tuple(ordered_t[bisect_right(lows, d) - 1] for d in range(size)))
        object.__setattr__(self, "_index", {b.name: i for i, b in enumerate(ordered_t)})

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_bounds(
        cls,
        name: str,
        bounds: Iterable[tuple[str, int, int | None] | tuple[str, int, int | None, str, str]],
        citation: str = "",
    ) -> BucketScheme:
        """Build a scheme from ``(name, low, high[, label_en, label_zh])`` tuples.

        >>> s = BucketScheme.from_bounds("simple", [("current", 0, 29), ("30+", 30, None)])
        >>> s.bucket(31).name, len(s)
        ('30+', 2)
        """
        if isinstance(bounds, str | bytes | Mapping) or not isinstance(bounds, Iterable):
            raise InvalidInput("bounds", bounds, "must be a sequence of (name, low, high) tuples")
        items: list[Bucket] = []
        for i, spec in enumerate(bounds):
            if not isinstance(spec, tuple) or len(spec) not in (3, 5):
                raise InvalidInput(
                    f"bounds[{i}]", spec, "must be (name, low, high) or (name, low, high, en, zh)"
                )
            items.append(Bucket(*spec))
        return cls(name, tuple(items), citation)

    @classmethod
    def cycles(cls) -> BucketScheme:
        """M-cycle buckets (payments behind): M0 current, M1 1–30, M2 31–60 … M6 151–180, M7+ 181+.

        Chinese consumer- and auto-finance practice (M1逾期率, C-M1/M1-M2 迁徙率).
        """
        return _CYCLES

    @classmethod
    def dpd30(cls) -> BucketScheme:
        """US reporting buckets: current, 1–29, 30–59, 60–89, 90–119, 120–149, 150–179, 180+.

        OCC Comptroller's Handbook, Retail Lending examination procedures (roll rates stratified
        "current, 30-59 days past due, 60-89 days past due, and so on").
        """
        return _DPD30

    @classmethod
    def metro2(cls) -> BucketScheme:
        """Metro 2 account status ranges: 11 (0–29), 71, 78, 80, 82, 83, 84 (180+).

        CDIA Credit Reporting Resource Guide, field 17A (as tabulated in cfpb/Metro2
        ``annotationLookups.ts``).
        """
        return _METRO2

    # -- lookup ---------------------------------------------------------------------------------

    def bucket(self, days_past_due: int) -> Bucket:
        """The bucket holding ``days_past_due`` (a non-negative int)."""
        table = self._table
        if type(days_past_due) is int and 0 <= days_past_due < len(table):
            return table[days_past_due]
        days = check_days(days_past_due)
        return self.buckets[bisect_right(self._lows, days) - 1]

    def index(self, days_past_due: int) -> int:
        """Position of the bucket holding ``days_past_due`` (0 is the first bucket)."""
        return self._index[self.bucket(days_past_due).name]

    def bucket_many(self, days: Sequence[int]) -> list[Bucket]:
        """Buckets for a whole column of day counts (validated once, then table lookups).

        Takes a list, a tuple, a numpy integer array or a pandas integer Series.
        """
        column = check_days_many(days)
        table = self._table
        n = len(table)
        if n == self._lows[-1] + 1:  # every day past the table is in the last bucket
            return lookup_column(table, self.buckets[-1], column)
        lows, buckets = self._lows, self.buckets
        return [table[d] if d < n else buckets[bisect_right(lows, d) - 1] for d in column]

    def index_many(self, days: Sequence[int]) -> list[int]:
        """Bucket positions for a whole column of day counts."""
        idx = self._index
        return [idx[b.name] for b in self.bucket_many(days)]

    def counts(self, days: Sequence[int]) -> dict[str, int]:
        """How many of ``days`` fall in each bucket (every bucket listed, in order).

        >>> BucketScheme.cycles().counts([0, 5, 45, 400])["M2"]
        1
        """
        result = {b.name: 0 for b in self.buckets}
        for b in self.bucket_many(days):
            result[b.name] += 1
        return result

    def get(self, name: str) -> Bucket:
        """The bucket called ``name``."""
        i = self._index.get(name) if isinstance(name, str) else None
        if i is None:
            raise InvalidInput(
                "bucket", name, f"not a bucket of {self.name!r}; known: " + ", ".join(self.names)
            )
        return self.buckets[i]

    @property
    def names(self) -> tuple[str, ...]:
        """Bucket names in order."""
        return tuple(b.name for b in self.buckets)

    def __len__(self) -> int:
        return len(self.buckets)

    def __iter__(self) -> Iterator[Bucket]:
        return iter(self.buckets)

    def __contains__(self, name: Any) -> bool:
        return isinstance(name, str) and name in self._index

    def __str__(self) -> str:
        width = max(len(b.name) for b in self.buckets)
        lines = [f"{self.name}:"]
        lines += [
            f"  {b.name:<{width}}  {b.range_text:>9}  {b.label_en} / {b.label_zh}" for b in self.buckets
        ]
        return "\n".join(lines)


_CYCLES = BucketScheme(
    "cycles",
    (
        Bucket("M0", 0, 0, "current (M0)", "正常（M0）"),
        *(
            Bucket(
                f"M{k}",
                30 * (k - 1) + 1,
                30 * k,
                f"{30 * (k - 1) + 1}–{30 * k} days (M{k})",
                f"M{k}（逾期{30 * (k - 1) + 1}–{30 * k}天）",
            )
            for k in range(1, 7)
        ),
        Bucket("M7+", 181, None, "181+ days (M7+)", "M7+（逾期181天以上）"),
    ),
    "M-cycle convention (payments behind), Chinese consumer and auto finance: M1逾期率, C-M1/M1-M2 迁徙率",
)

_DPD30 = BucketScheme(
    "dpd30",
    (
        Bucket("current", 0, 0, "current", "正常"),
        Bucket("1-29", 1, 29, "1–29 days past due", "逾期1–29天"),
        *(
            Bucket(f"{lo}-{lo + 29}", lo, lo + 29, f"{lo}–{lo + 29} days past due", f"逾期{lo}–{lo + 29}天")
            for lo in range(30, 180, 30)
        ),
        Bucket("180+", 180, None, "180+ days past due", "逾期180天以上"),
    ),
    "OCC Comptroller's Handbook, Retail Lending examination procedures (delinquency strata)",
)

_METRO2 = BucketScheme(
    "metro2",
    (
        Bucket("11", 0, 29, "11: current (0–29 days past the due date)", "11：正常（逾期0–29天）"),
        Bucket("71", 30, 59, "71: 30–59 days past the due date", "71：逾期30–59天"),
        Bucket("78", 60, 89, "78: 60–89 days past the due date", "78：逾期60–89天"),
        Bucket("80", 90, 119, "80: 90–119 days past the due date", "80：逾期90–119天"),
        Bucket("82", 120, 149, "82: 120–149 days past the due date", "82：逾期120–149天"),
        Bucket("83", 150, 179, "83: 150–179 days past the due date", "83：逾期150–179天"),
        Bucket("84", 180, None, "84: 180 days or more past the due date", "84：逾期180天及以上"),
    ),
    "CDIA Metro 2 Credit Reporting Resource Guide, Base Segment field 17A (Account Status)",
)
