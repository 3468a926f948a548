"""Tables in, tables out: read a mapping / ``pyarrow.Table`` / ``pandas.DataFrame`` column by column,
and build the result as the same kind.

Money leaves as ``Decimal`` objects (pyarrow: ``decimal128(38, d)`` with ``d`` the largest number of
minor-unit digits in the table) or, with ``money="minor"``, as int64 minor units next to the
``currency`` column. Never as floats.

>>> kind_of({"a": [1]}), n_rows({"a": [1, 2]}, "mapping")
('mapping', 2)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from autoloan.errors import AutoloanError, InvalidInput

__all__ = [
    "ArrowStrings",
    "LazyColumns",
    "Milli",
    "arrow_blank",
    "arrow_codes",
    "arrow_milli",
    "build",
    "column",
    "has_column",
    "is_missing",
    "kind_of",
    "n_rows",
    "ordinal_date",
    "py_value",
    "string_hashes",
    "string_scan",
]


def _missing_extra(extra: str, what: str) -> AutoloanError:
    return AutoloanError(f"{what} needs the '{extra}' extra (pip install 'autoloan[{extra}]')")


def kind_of(table: Any, field: str = "table") -> str:
    """``"mapping"``, ``"arrow"`` or ``"pandas"``; anything else is refused.

    >>> kind_of([1, 2])
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidInput: table: must be a mapping of column name to values, a pyarrow.Table or ...
    """
    mod = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if mod == "pyarrow" and name == "Table":
        return "arrow"
    if mod == "pandas" and name == "DataFrame":
        return "pandas"
    if isinstance(table, Mapping):
        return "mapping"
    raise InvalidInput(
        field, table, "must be a mapping of column name to values, a pyarrow.Table or a pandas.DataFrame"
    )


def has_column(table: Any, kind: str, name: str) -> bool:
    """Whether the table has the column."""
    if kind == "arrow":
        return name in table.column_names
    if kind == "pandas":
        return name in table.columns
    return name in table


def n_rows(table: Any, kind: str, field: str = "table") -> int:
    """The number of rows; a mapping's columns must all have the same length."""
    if kind == "arrow":
        return int(table.num_rows)
    if kind == "pandas":
        return len(table)
    lengths = set()
    for name, values in table.items():
        try:
            lengths.add(len(values))
        except TypeError:
            raise InvalidInput(f"{field}.{name}", values, "must be a sequence of values") from None
        if isinstance(values, str | bytes):
            raise InvalidInput(f"{field}.{name}", values, "must be a sequence of values, not a string")
    if len(lengths) > 1:
        raise InvalidInput(field, sorted(lengths), "columns have different lengths")
    return lengths.pop() if lengths else 0


class ArrowStrings:
    """A pyarrow string column kept in Arrow (vectorized checks use pyarrow.compute); indexing gives str."""

    __slots__ = ("arrow",)

    def __init__(self, arrow: Any) -> None:
        self.arrow = arrow

    def __len__(self) -> int:
        return len(self.arrow)

    def __getitem__(self, i: int) -> Any:
        return self.arrow[i].as_py()


def string_hashes(arrow: Any) -> Any:
    """A 64-bit fingerprint of each string of a pyarrow string column (its length and bytes 0-23 and
    its last 8 bytes: every byte of a string up to 32 bytes), read from the Arrow buffers without
    Python objects (uint64).

    Equal strings get equal fingerprints; different strings may collide (rarely; always when they
    differ only beyond byte 23 and before the last 8), and callers treat a collision as "check
    exactly".

    >>> import pyarrow as pa
    >>> h = string_hashes(pa.array(["P-0001", "P-0002", "P-0001"]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    return string_scan(arrow)[0]


def string_scan(arrow: Any) -> tuple[Any, Any]:
    """``(string_hashes(arrow), arrow_blank(arrow))`` in one pass over the buffers.

    >>> import pyarrow as pa
    >>> h, blank = string_scan(pa.array(["REF-2026-000001-A", "REF-2026-000002-A", " "]))
    >>> bool(h[0] == h[1]), blank.tolist()
    (False, [False, False, True])
    """
    import numpy as np
    import pyarrow as pa

    arr = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    offsets, data = _string_buffers(arr)
    padded = np.concatenate((data, np.zeros(8, dtype=np.uint8)))
    # windows[j]: the 8 bytes from byte j on (little-endian), unaligned reads of the padded data
    windows = np.ndarray(shape=(len(padded) - 7,), dtype="<u8", buffer=padded.data, strides=(1,))
    starts, ends = offsets[:-1], offsets[1:]
    lengths = ends - starts
    first = windows[starts]
    short = lengths < 8
    u64 = np.uint64
    if short.any():
        width = (u64(8) * np.where(short, lengths, 0).astype(u64)).astype(u64)
        first &= np.where(short, (u64(1) << width) - u64(1), ~u64(0))
        last = np.where(short, u64(0), windows[np.where(short, 0, ends - 8)])
    else:
        last = windows[ends - 8]
    with np.errstate(over="ignore"):
        # multiply-xorshift rounds (each a bijection of 64-bit words) over first, last, length, middle
        hashes = first * u64(0x9E3779B97F4A7C15)
        hashes ^= hashes >> u64(31)
        hashes ^= last
        hashes *= u64(0xC2B2AE3D27D4EB4F)
        hashes ^= hashes >> u64(29)
        hashes ^= lengths.astype(u64)
        hashes *= u64(0x165667B19E3779F9)
        hashes ^= hashes >> u64(32)
        for at in (8, 16):  # bytes 8-15 and 16-23 of longer strings: every byte of one up to 32 bytes
            longer = lengths >= at + 8
            if longer.any():
                # only the longer strings take this round: a string's fingerprint must not depend on
                # the other strings of its column (loan ids are matched across two tables)
                mixed = hashes ^ windows[np.where(longer, starts + at, 0)]
                mixed *= u64(0xD6E8FEB86659FD93)
                mixed ^= mixed >> u64(32)
                hashes = np.where(longer, mixed, hashes)
    # blank (``not s.strip()``): only a string that is empty or starts with a space, a control
    # character or a non-ASCII character can be; those few are looked at in Python
    b0 = (first & u64(0xFF)).astype(np.uint8)
    maybe = (lengths == 0) | (b0 <= 0x20) | (b0 >= 0x7F)
    if arr.null_count:
        maybe &= ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    blank = np.zeros(n, dtype=bool)
    for i in np.nonzero(maybe)[0].tolist():
        blank[i] = not arr[i].as_py().strip()
    return hashes, blank


def column(table: Any, kind: str, name: str, *, keep_arrow_strings: bool = False) -> Any:
    """The values of one column as a numpy array when numpy is available, else a list.

    pyarrow dates come as ``datetime64[D]``, numbers as int64/float64 (float64 with NaN for nulls),
    everything else as an object array of Python values (``None`` for nulls).
    """
    if kind == "arrow":
        col = table.column(name)
        import pyarrow as pa

        t = col.type
        if pa.types.is_date32(t) or pa.types.is_date64(t):
            if col.null_count:
                return _object(col.to_pylist())
            return col.to_numpy().astype("datetime64[D]")
        if (pa.types.is_integer(t) and not col.null_count) or pa.types.is_floating(t):
            return col.to_numpy()
        if pa.types.is_decimal(t):
            milli = _arrow_milli(col)
            if milli is not None:
                return milli
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            if keep_arrow_strings:
                return ArrowStrings(col)
            return col.to_numpy(zero_copy_only=False)
        return _object(col.to_pylist())
    if kind == "pandas":
        series = table[name]
        dtype = series.dtype
        if dtype.kind in "iuf" or str(dtype).startswith("datetime64"):
            return series.to_numpy()
        return series.to_numpy(dtype=object)
    values = table[name]
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy-less installs take the per-row path
        return list(values)
    if isinstance(values, np.ndarray):
        return values
    return _object(values)


class Milli:
    """Amounts as exact thousandths of the unit (int64) with a validity mask (pyarrow decimals).

    ``valid`` is False for nulls and for amounts beyond 64 bits; indexing gives the original value.
    """

    __slots__ = ("source", "valid", "values")

    def __init__(self, values: Any, valid: Any, source: Any) -> None:
        self.values, self.valid, self.source = values, valid, source

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, i: int) -> Any:
        return self.source[i].as_py()


def arrow_milli(col: Any) -> Milli | None:
    """A pyarrow decimal column as exact thousandths (``None`` when it cannot be read so).

    >>> import pyarrow as pa
    >>> from decimal import Decimal
    >>> m = arrow_milli(pa.array([Decimal("12.5"), None]))
    >>> m.values.tolist(), m.valid.tolist()
    ([12500, 0], [True, False])
    """
    return _arrow_milli(col)


def _arrow_milli(col: Any) -> Milli | None:
    """A pyarrow decimal column as exact thousandths, read from its 128-bit words (no Python objects)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if isinstance(t, pa.Decimal128Type) and 0 <= t.scale <= 3:
        # already at most 3 decimals: the words scaled by 10 ** (3 - scale), when every one fits
        arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        n = len(arr)
        buf = arr.buffers()[1]
        if buf is not None and n:
            words = np.frombuffer(buf, dtype="<i8")[2 * arr.offset : 2 * (arr.offset + n)].reshape(n, 2)
            lo, hi = words[:, 0], words[:, 1]
            mult = 10 ** (3 - t.scale)
            bound = -(-(2**60) // mult)  # |lo * mult| < 2**60
            fits = (hi == (lo >> 63)) & (lo < bound) & (lo > -bound)
            if not arr.null_count:
                if bool(fits.all()):
                    return Milli(lo * mult, np.ones(n, dtype=bool), col)
            else:
                valid = ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
                if bool(fits[valid].all()):
                    return Milli(np.where(valid, lo * mult, 0), valid, col)
    try:
        scaled = pc.cast(col, pa.decimal128(38, 3))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    arr = scaled.combine_chunks() if isinstance(scaled, pa.ChunkedArray) else scaled
    n = len(arr)
    buf = arr.buffers()[1]
    if buf is None or n == 0:
        return Milli(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool), col)
    words = np.frombuffer(buf, dtype="<i8")[2 * arr.offset : 2 * (arr.offset + n)].reshape(n, 2)
    lo, hi = words[:, 0].copy(), words[:, 1]
    valid = (hi == (lo >> 63)) & (np.abs(lo) < 2**60)
    if arr.null_count:
        valid &= ~np.asarray(arr.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    return Milli(np.where(valid, lo, 0), valid, col)


def arrow_codes(col: Any) -> tuple[Any, list[Any]] | None:
    """``(codes, values)`` of a pyarrow string or decimal column: ``values`` are the distinct values
    (Python objects, first occurrence first) and ``codes`` (int64) index them, -1 for nulls. ``None``
    for other column types.

    >>> import pyarrow as pa
    >>> codes, values = arrow_codes(pa.chunked_array([["CNY", None, "USD", "CNY"]]))
    >>> codes.tolist(), values
    ([0, -1, 1, 0], ['CNY', 'USD'])
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or isinstance(t, pa.Decimal128Type)):
        return None
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    enc = pc.dictionary_encode(arr)
    indices = enc.indices
    if indices.null_count:
        indices = indices.fill_null(-1)
    return np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64), enc.dictionary.to_pylist()


def _string_buffers(arr: Any) -> tuple[Any, Any]:
    """(offsets into the data as int64, the data bytes) of a combined pyarrow string array."""
    import numpy as np
    import pyarrow as pa

    n = len(arr)
    bufs = arr.buffers()
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(bufs[1], dtype=off_type)[arr.offset : arr.offset + n + 1].astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    lo = int(offsets[0])
    return offsets - lo, data[lo : int(offsets[-1])]


def arrow_blank(col: Any) -> Any:
    """Which strings of a pyarrow string column are empty or only whitespace (``not s.strip()``, the
    Python rule); nulls count as not blank. A string that starts with a printable ASCII character other
    than a space is never blank; only the others are looked at in Python.

    >>> import pyarrow as pa
    >>> arrow_blank(pa.array(["A-1", "", "  ", None, "\\u3000", " x"])).tolist()
    [False, True, True, False, True, False]
    """
    return string_scan(col)[1]


class LazyColumns(Mapping[str, Any]):
    """The columns of ``names`` in a table, each read (:func:`column`) when first asked for.

    ``arrow(name)`` gives a pyarrow table's own column (``None`` for other kinds), for readers
    that work on Arrow directly.

    >>> cols = LazyColumns({"a": [1, 2], "b": [3]}, "mapping", ("a",))
    >>> list(cols), cols.get("b"), list(cols["a"])
    (['a'], None, [1, 2])
    """

    __slots__ = ("_cache", "_keep", "_kind", "_names", "_table")

    def __init__(self, table: Any, kind: str, names: Sequence[str], keep: Sequence[str] = ()) -> None:
        self._table, self._kind, self._names = table, kind, tuple(names)
        self._keep = frozenset(keep)
        self._cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        found = self._cache.get(name)
        if found is None:
            if name not in self._names:
                raise KeyError(name)
            found = self._cache[name] = column(
                self._table, self._kind, name, keep_arrow_strings=name in self._keep
            )
        return found

    def __iter__(self) -> Any:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    @staticmethod
    def sliceable(raw: Any) -> bool:
        """Whether :meth:`rows` can cut ``raw``: Arrow and pandas tables, mappings of lists, tuples and
        numpy arrays."""
        if not isinstance(raw, LazyColumns):
            return False
        if raw._kind != "mapping":
            return True
        return all(
            type(raw._table[name]) in (list, tuple) or hasattr(raw._table[name], "dtype")
            for name in raw._names
        )

    def rows(self, start: int, stop: int) -> LazyColumns:
        """The same columns for the rows ``start`` to ``stop`` (Arrow slices and numpy views: no copy)."""
        if self._kind == "arrow":
            table: Any = self._table.slice(start, stop - start)
        elif self._kind == "pandas":
            table = self._table.iloc[start:stop]
        else:
            table = {name: self._table[name][start:stop] for name in self._names}
        return LazyColumns(table, self._kind, self._names, tuple(self._keep))

    def arrow(self, name: str) -> Any:
        """Column ``name`` as a pyarrow ``ChunkedArray``, or ``None``: a pyarrow table's own column; a
        pandas column backed by Arrow strings; a column of only ``str``, only ``Decimal`` (at most 3
        decimals) or only ``date`` values (``None`` for missing) converted to Arrow once, exactly.
        ``None`` for anything else (the caller reads the column the general way)."""
        if name not in self._names:
            return None
        if self._kind == "arrow":
            return self._table.column(name)
        key = "\0arrow:" + name
        if key not in self._cache:
            self._cache[key] = _as_arrow(self._table, self._kind, name, lambda: self[name])
        return self._cache[key]


def _as_arrow(table: Any, kind: str, name: str, values: Callable[[], Any]) -> Any:
    try:
        import pandas as pd
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return None
    arr: Any = None
    try:
        v: Any = None
        if kind == "pandas":
            series = table[name]
            dtype, backing = series.dtype, series.array
            if (
                hasattr(backing, "__arrow_array__")
                and isinstance(dtype, pd.api.extensions.ExtensionDtype)
                and pd.api.types.is_string_dtype(dtype)
            ):
                arr = pa.array(backing)
            elif dtype.kind == "O":
                v = values()
        else:
            v = table[name]
            if getattr(v, "dtype", None) is not None and v.dtype.kind != "O":
                v = None
        if arr is None:
            if v is None:
                return None
            # only these exact types (no subclass: a datetime is not a date here), None for missing;
            # Arrow then holds each value exactly or refuses the column
            kinds = set(map(type, v))
            kinds.discard(type(None))
            if kinds == {str}:
                arr = pa.array(v, type=pa.string())
            elif kinds == {Decimal}:
                arr = pa.array(v, type=pa.decimal128(38, 3))
            elif kinds == {_dt.date}:
                arr = pa.array(v, type=pa.date32())
            else:
                return None
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return None
    t = arr.type
    if not (pa.types.is_string(t) or isinstance(t, pa.Decimal128Type) or pa.types.is_date32(t)):
        return None
    return pa.chunked_array([arr], type=t)


def _object(values: Sequence[Any]) -> Any:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return list(values)
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def is_missing(value: Any) -> bool:
    """None, NaN, pandas NA/NaT, numpy NaT.

    >>> is_missing(None), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name in ("datetime64", "timedelta64", "float64", "float32", "float16"):
        return bool(value != value)
    return False


def build(
    kind: str, columns: dict[str, list[Any]], types: Mapping[str, str], *, money_digits: int = 2
) -> Any:
    """A table of ``kind`` from Python lists; ``types`` gives each column's kind.

    Kinds: ``id`` (as given), ``text``, ``int``, ``optint`` (int or None), ``date`` (date or None),
    ``money`` (Decimal), ``minor`` (int64 minor units), ``bool``, ``float`` (rates only, never money).
    """
    if kind == "mapping":
        return columns
    if kind == "pandas":
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover
            raise _missing_extra("pandas", "a pandas result") from None
        data: dict[str, Any] = {}
        for name, values in columns.items():
            t = types.get(name, "id")
            if t in ("int", "minor"):
                data[name] = pd.array(values, dtype="int64")
            elif t == "optint":
                data[name] = pd.array(values, dtype="Int64")
            elif t == "bool":
                data[name] = pd.array(values, dtype="bool")
            else:
                data[name] = pd.Series(values, dtype=object)
        return pd.DataFrame(data, columns=list(columns))
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        raise _missing_extra("arrow", "a pyarrow result") from None
    arrays = []
    for name, values in columns.items():
        t = types.get(name, "id")
        if t in ("int", "minor", "optint"):
            arrays.append(pa.array(values, type=pa.int64()))
        elif t == "date":
            arrays.append(pa.array(values, type=pa.date32()))
        elif t == "money":
            q = Decimal(1).scaleb(-money_digits)
            arrays.append(
                pa.array(
                    [v if v is None else v.quantize(q) for v in values],
                    type=pa.decimal128(38, money_digits),
                )
            )
        elif t == "text":
            arrays.append(pa.array(values, type=pa.string()))
        elif t == "bool":
            arrays.append(pa.array(values, type=pa.bool_()))
        elif t == "datetime":
            arrays.append(pa.array(values))
        else:
            arrays.append(pa.array(values))
    return pa.table(arrays, names=list(columns))


def ordinal_date(o: int) -> _dt.date | None:
    """An ordinal (0 = none) as a date."""
    return _dt.date.fromordinal(o) if o else None


def py_value(value: Any) -> Any:
    """numpy / pandas scalars as plain Python values; missing values as None.

    >>> py_value(float("nan")) is None
    True
    """
    if is_missing(value):
        return None
    mod = type(value).__module__
    if mod == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        if type(value).__name__.startswith("datetime64"):
            return value.astype("datetime64[D]").item()
        return value.item()
    if mod.startswith("pandas") and type(value).__name__ == "Timestamp":
        return value.to_pydatetime()
    return value
