"""Portfolio analytics over plain sequences: transition (roll-rate) matrices, flow rates, cure
rates and vintage curves. No pandas needed; :meth:`TransitionMatrix.to_pandas` and
:meth:`VintageTable.to_pandas` use it when it is installed.

* A **transition matrix** counts accounts (and sums their opening balances) by state at the start
  and at the end of a period; "paid_off" and "charged_off" are absorbing states (dv01 transition
  matrix docs; OCC Comptroller's Handbook, Retail Lending: roll rates measure the share of loans
  that "migrate or 'roll' from early delinquency to late stage delinquency buckets, or 'flow' to
  charge-off").
* **Flow rate** (迁移率, e.g. C→M1, M1→M2): the closing stock of bucket *i+1* over the opening
  stock of bucket *i*.
* **Roll rate** (滚动率): the share of bucket *i* that is in a worse bucket (or charged off) at
  the end of the period. **Cure rate**: the share of a delinquent bucket that is current again.
* **Vintage curve** (账龄分析): per origination cohort, the cumulative share of loans that have
  ever reached a delinquency threshold by each month on book (MOB).

Rates are ``Decimal`` fractions rounded half-even to 6 places (``None`` when the base is empty).

>>> from autoloan.delinquency.portfolio import transition_matrix
>>> m = transition_matrix([0, 0, 0, 45, 45], [0, 40, "paid_off", 75, 0], scheme="cycles")
>>> m.count("M0", "M2"), m.opening_counts["M0"], m.rate("M2", "M3")
(1, 3, Decimal('0.500000'))
>>> m.flow_rates()["M2->M3"], m.cure_rates()["M2"], m.flow_rates()["M1->M2"] is None
(Decimal('0.500000'), Decimal('0.500000'), True)
"""

from __future__ import annotations

import importlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from autoloan._html import render_html, render_repr
from autoloan.delinquency._validate import check_days
from autoloan.delinquency.buckets import BucketScheme
from autoloan.errors import AutoloanError, InvalidInput
from autoloan.money import CONTEXT, from_minor
from autoloan.money import currency as _currency

__all__ = [
    "ABSORBING_STATES",
    "VINTAGE_COLUMNS",
    "TransitionMatrix",
    "VintageTable",
    "transition_matrix",
    "vintage_curves",
]

#: Absorbing end states every matrix carries after the buckets.
ABSORBING_STATES = ("paid_off", "charged_off")
_RATE_Q = Decimal("0.000001")


def _rate(num: int | Decimal, den: int | Decimal) -> Decimal | None:
    if not den:
        return None
    return CONTEXT.divide(Decimal(num), Decimal(den)).quantize(
        _RATE_Q, rounding=ROUND_HALF_EVEN, context=CONTEXT
    )


def _scheme(scheme: BucketScheme | str) -> BucketScheme:
    if isinstance(scheme, BucketScheme):
        return scheme
    presets = {"cycles": BucketScheme.cycles, "dpd30": BucketScheme.dpd30, "metro2": BucketScheme.metro2}
    if isinstance(scheme, str) and scheme in presets:
        return presets[scheme]()
    raise InvalidInput("scheme", scheme, "must be a BucketScheme or one of " + ", ".join(presets))


def _pandas() -> Any:
    try:
        pandas = importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - depends on the environment
        raise AutoloanError("to_pandas() needs pandas, which is not installed (pip install pandas)") from None
    return pandas


@dataclass(frozen=True, slots=True)
class TransitionMatrix:
    """Accounts (and opening balances) by opening state (rows) and closing state (columns).

    ``counts[i][j]``: accounts in ``states[i]`` at the start and ``states[j]`` at the end.
    ``balances[i][j]``: the sum of their *opening* balances (``None`` when none were given), so
    each row sums to the opening balance of its state.

    >>> m = transition_matrix([0, 0, 35], [0, 35, "charged_off"], balances=["10", "20", "30"])
    >>> m.rates()[0][:3], m.opening_balances["30-59"]
    ((Decimal('0.500000'), Decimal('0.000000'), Decimal('0.500000')), Decimal('30.00'))
    """

    states: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    balances: tuple[tuple[Decimal, ...], ...] | None
    bucket_count: int
    currency: str = "USD"

    def __post_init__(self) -> None:
        states = self.states
        if not isinstance(states, tuple) or not states or not all(isinstance(x, str) for x in states):
            raise InvalidInput("states", states, "must be a non-empty tuple of state names")
        n = len(states)
        if len(set(states)) != n:
            raise InvalidInput("states", states, "duplicate state names")
        count = check_days(self.bucket_count, "bucket_count")
        if not 0 < count <= n:
            raise InvalidInput("bucket_count", self.bucket_count, f"must be between 1 and {n}")
        object.__setattr__(self, "bucket_count", count)
        object.__setattr__(self, "counts", _grid_of(self.counts, "counts", n, int))
        if self.balances is not None:
            object.__setattr__(self, "balances", _grid_of(self.balances, "balances", n, Decimal))
        object.__setattr__(self, "currency", _currency(self.currency).code)

    def _i(self, state: str) -> int:
        if not isinstance(state, str):
            raise InvalidInput("state", state, "must be a state name; known: " + ", ".join(self.states))
        try:
            return self.states.index(state)
        except ValueError:
            raise InvalidInput("state", state, "unknown state; known: " + ", ".join(self.states)) from None

    def _grid(self, by: str) -> tuple[tuple[int, ...], ...] | tuple[tuple[Decimal, ...], ...]:
        if not isinstance(by, str):
            raise InvalidInput("by", by, "must be 'count' or 'balance'")
        if by == "count":
            return self.counts
        if by == "balance":
            if self.balances is None:
                raise InvalidInput("by", by, "no balances were given to transition_matrix")
            return self.balances
        raise InvalidInput("by", by, "must be 'count' or 'balance'")

    @property
    def buckets(self) -> tuple[str, ...]:
        """The bucket states (without the absorbing ones)."""
        return self.states[: self.bucket_count]

    @property
    def opening_counts(self) -> dict[str, int]:
        """Accounts per opening state (row sums)."""
        return {s: sum(row) for s, row in zip(self.states, self.counts, strict=True)}

    @property
    def closing_counts(self) -> dict[str, int]:
        """Accounts per closing state (column sums)."""
        return {s: sum(row[j] for row in self.counts) for j, s in enumerate(self.states)}

    @property
    def opening_balances(self) -> dict[str, Decimal]:
        """Opening balance per opening state (row sums)."""
        grid = self.balances
        if grid is None:
            raise InvalidInput("by", "balance", "no balances were given to transition_matrix")
        return {s: sum(row, Decimal(0)) for s, row in zip(self.states, grid, strict=True)}

    def count(self, opening: str, closing: str) -> int:
        """Accounts that went from ``opening`` to ``closing``."""
        return self.counts[self._i(opening)][self._i(closing)]

    def balance(self, opening: str, closing: str) -> Decimal:
        """Opening balance of the accounts that went from ``opening`` to ``closing``."""
        grid = self._grid("balance")
        return Decimal(grid[self._i(opening)][self._i(closing)])

    def rate(self, opening: str, closing: str, *, by: str = "count") -> Decimal | None:
        """Share of ``opening`` that ended in ``closing`` (``None`` if ``opening`` was empty)."""
        grid = self._grid(by)
        row = grid[self._i(opening)]
        return _rate(row[self._i(closing)], sum(row))

    def rates(self, *, by: str = "count") -> tuple[tuple[Decimal | None, ...], ...]:
        """The row-normalised matrix (each non-empty row sums to 1 up to rounding)."""
        grid = self._grid(by)
        return tuple(tuple(_rate(v, sum(row)) for v in row) for row in grid)

    def flow_rates(self, *, by: str = "count") -> dict[str, Decimal | None]:
        """迁移率: closing stock of bucket i+1 over opening stock of bucket i (``"M0->M1"`` …)."""
        grid = self._grid(by)
        opening = [sum(row) for row in grid]
        closing = [sum(row[j] for row in grid) for j in range(len(self.states))]
        b = self.buckets
        return {f"{b[i]}->{b[i + 1]}": _rate(closing[i + 1], opening[i]) for i in range(len(b) - 1)}

    def roll_rates(self, *, by: str = "count") -> dict[str, Decimal | None]:
        """滚动率: share of each bucket that is in a worse bucket or charged off at the end."""
        grid = self._grid(by)
        k = self.bucket_count
        co = self.states.index("charged_off") if "charged_off" in self.states else None
        out: dict[str, Decimal | None] = {}
        for i, name in enumerate(self.buckets):
            row = grid[i]
            worse = sum(row[i + 1 : k], Decimal(0) if by == "balance" else 0)
            if co is not None:
                worse += row[co]
            out[name] = _rate(worse, sum(row))
        return out

    def cure_rates(self, *, by: str = "count") -> dict[str, Decimal | None]:
        """Share of each delinquent bucket that is back in the first (current) bucket at the end."""
        grid = self._grid(by)
        return {name: _rate(grid[i][0], sum(grid[i])) for i, name in enumerate(self.buckets) if i > 0}

    def to_rows(self, *, by: str = "count") -> list[dict[str, Any]]:
        """One dict per opening state: ``{"from": state, <closing state>: value, …}``."""
        grid = self._grid(by)
        return [
            {"from": s, **dict(zip(self.states, row, strict=True))}
            for s, row in zip(self.states, grid, strict=True)
        ]

    def to_pandas(self, *, by: str = "count") -> Any:
        """A ``pandas.DataFrame`` (rows: opening state, columns: closing state); needs pandas."""
        pd = _pandas()
        grid = self._grid(by)
        return pd.DataFrame([list(r) for r in grid], index=list(self.states), columns=list(self.states))

    def render(self, *, by: str = "count", percent: bool = False) -> str:
        """A text table for the terminal; ``percent=True`` shows row shares."""
        grid = self._grid(by)
        cells: list[list[str]] = []
        for row in grid:
            total = sum(row)
            if percent:
                cells.append([_pct(v, total) for v in row] + [str(total)])
            else:
                cells.append([str(v) for v in row] + [str(total)])
        head = ["from \\ to", *self.states, "total"]
        first = [s for s in self.states]
        w0 = max(len(head[0]), *(len(s) for s in first))
        widths = [max(len(head[j + 1]), *(len(c[j]) for c in cells)) for j in range(len(head) - 1)]
        lines = [
            head[0].ljust(w0) + "  " + "  ".join(h.rjust(w) for h, w in zip(head[1:], widths, strict=True))
        ]
        for s, c in zip(first, cells, strict=True):
            lines.append(s.ljust(w0) + "  " + "  ".join(v.rjust(w) for v, w in zip(c, widths, strict=True)))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return render_repr(self)

    def _repr_html_(self) -> str:
        return render_html(self)


def _grid_of(grid: Any, name: str, n: int, kind: type[Any]) -> Any:
    """An ``n``×``n`` tuple of tuples of non-negative ``kind`` values (ints, or finite Decimals)."""
    ok = isinstance(grid, tuple | list) and len(grid) == n
    if ok:
        rows = []
        for row in grid:
            if not isinstance(row, tuple | list) or len(row) != n:
                ok = False
                break
            for v in row:
                if type(v) is not kind or (isinstance(v, Decimal) and not v.is_finite()) or v < 0:
                    ok = False
                    break
            rows.append(tuple(row))
    if not ok:
        raise InvalidInput(name, grid, f"must be a {n}×{n} grid of non-negative {kind.__name__} values")
    return tuple(rows)


def _pct(v: int | Decimal, total: int | Decimal) -> str:
    r = _rate(v, total)
    return "-" if r is None else f"{r * 100:.1f}%"


def _encoder(scheme: BucketScheme, absorbing: Sequence[str], field: str) -> Any:
    k = len(scheme)
    names = {name: i for i, name in enumerate(scheme.names)}
    for j, a in enumerate(absorbing):
        names[a] = k + j
    limit = scheme.buckets[-1].low + 1
    table = [scheme.index(d) for d in range(limit)]
    lows = [b.low for b in scheme.buckets]

    def encode(values: Sequence[Any]) -> list[int]:
        out: list[int] = []
        append = out.append
        for pos, v in enumerate(values):
            if type(v) is int and 0 <= v < limit:
                append(table[v])
            elif type(v) is int and v >= limit:
                append(k - 1 if v <= 100_000 else check_days(v, f"{field}[{pos}]"))
            elif isinstance(v, str) and v in names:
                append(names[v])
            else:
                if isinstance(v, str):
                    raise InvalidInput(
                        f"{field}[{pos}]", v, "unknown state; use a bucket name, " + ", ".join(absorbing)
                    )
                check_days(v, f"{field}[{pos}]")
                append(bisect_right(lows, v) - 1)
        return out

    return encode


def transition_matrix(
    opening: Sequence[int | str],
    closing: Sequence[int | str],
    *,
    balances: Sequence[Any] | None = None,
    scheme: BucketScheme | str = "dpd30",
    absorbing: Sequence[str] = ABSORBING_STATES,
    currency: str = "USD",
) -> TransitionMatrix:
    """Count account transitions between two snapshots.

    ``opening[k]`` and ``closing[k]`` are account *k*'s state at the start and the end: days past
    due (bucketed with ``scheme``), a bucket name, or an absorbing state (``"paid_off"``,
    ``"charged_off"``). ``balances[k]`` is its opening balance (optional).

    >>> m = transition_matrix([0, 30, 30], [0, 0, "charged_off"], balances=["100", "50.50", "25"])
    >>> m.opening_balances["30-59"], m.balance("30-59", "charged_off")
    (Decimal('75.50'), Decimal('25.00'))
    """
    sch = _scheme(scheme)
    opening = _as_column(opening, "opening")
    closing = _as_column(closing, "closing")
    if isinstance(absorbing, str) or not isinstance(absorbing, Iterable):
        raise InvalidInput("absorbing", absorbing, "must be a sequence of state names")
    absorbing_t = tuple(absorbing)
    if any(not isinstance(a, str) or a in sch for a in absorbing_t) or len(set(absorbing_t)) != len(
        absorbing_t
    ):
        raise InvalidInput("absorbing", absorbing, "must be distinct names that are not bucket names")
    n_open, n_close = len(opening), len(closing)
    if n_open != n_close:
        raise InvalidInput("closing", n_close, f"must have as many accounts as opening ({n_open})")
    cur = _currency(currency)
    states = (*sch.names, *absorbing_t)
    n = len(states)
    a = _encoder(sch, absorbing_t, "opening")(opening)
    b = _encoder(sch, absorbing_t, "closing")(closing)
    codes = [i * n + j for i, j in zip(a, b, strict=True)]
    tally = Counter(codes)
    counts = tuple(tuple(tally.get(i * n + j, 0) for j in range(n)) for i in range(n))
    grid_b: tuple[tuple[Decimal, ...], ...] | None = None
    if balances is not None:
        balances = _as_column(balances, "balances")
        if len(balances) != n_open:
            raise InvalidInput("balances", len(balances), f"must have as many entries as opening ({n_open})")
        sums = [0] * (n * n)
        for code, minor in zip(codes, _minor_units(balances, cur.minor_units), strict=True):
            sums[code] += minor
        grid_b = tuple(tuple(from_minor(sums[i * n + j], cur) for j in range(n)) for i in range(n))
    return TransitionMatrix(states, counts, grid_b, len(sch), cur.code)


def _as_column(values: Any, field: str) -> Sequence[Any]:
    """A list, tuple, numpy array or pandas Series as a sequence; anything else refused."""
    if isinstance(values, list | tuple | range):
        return values
    if isinstance(values, str | bytes | Mapping | set | frozenset) or not isinstance(values, Iterable):
        raise InvalidInput(field, values, "must be a sequence (list, tuple, numpy array or pandas Series)")
    tolist = getattr(values, "tolist", None)
    if callable(tolist):
        try:
            converted = tolist()
        except Exception as exc:  # a foreign container's own failure
            raise InvalidInput(field, values, f"cannot be read as a column ({exc})") from None
        if isinstance(converted, list):
            return converted
    return list(values)


def _minor_units(values: Sequence[Any], digits: int) -> list[int]:
    """Exact minor units of each amount; refuses negatives, floats' noise and extra decimals."""
    scale = 10**digits
    out: list[int] = []
    append = out.append
    for pos, v in enumerate(values):
        if type(v) is Decimal:
            if v.is_finite():
                num, den = v.as_integer_ratio()  # exact; cheaper than scaleb + int + compare
                units, rest = divmod(num * scale, den)
                if not rest and units >= 0:
                    append(units)
                    continue
        elif type(v) is int and v >= 0:
            append(v * scale)
            continue
        elif isinstance(v, str | float) and not isinstance(v, bool):
            from autoloan.money import to_decimal

            d = to_decimal(v, f"balances[{pos}]")
            if d >= 0:
                m = d.scaleb(digits, context=CONTEXT)
                if int(m) == m:
                    append(int(m))
                    continue
        raise InvalidInput(
            f"balances[{pos}]", v, f"must be a non-negative amount with at most {digits} decimals"
        )
    return out


def _usable_key(value: Any) -> bool:
    """Hashable, and equal to itself as a plain bool (not NaN, pd.NA or an array)."""
    try:
        hash(value)
        return bool(value == value) is True
    except Exception:  # unhashable, or an ambiguous truth value (pd.NA, arrays)
        return False


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # an ambiguous comparison is not "the same"
        return False


#: The columns :func:`vintage_curves` reads from a data frame (or the keys of a mapping).
VINTAGE_COLUMNS = ("loan_id", "cohort", "mob", "days_past_due")


def _observations(observations: Any) -> Iterable[Any]:
    """Observations as an iterable of tuples or mappings; a pandas DataFrame is read by column."""
    columns = getattr(observations, "columns", None)
    if columns is not None and hasattr(observations, "itertuples"):
        names = [str(c) for c in columns]
        missing = [c for c in VINTAGE_COLUMNS if c not in names]
        if missing:
            raise InvalidInput(
                "observations",
                f"DataFrame with columns {names}",
                "needs the columns " + ", ".join(VINTAGE_COLUMNS) + " (missing: " + ", ".join(missing) + ")",
            )
        return zip(*(observations[c].tolist() for c in VINTAGE_COLUMNS), strict=True)
    if isinstance(observations, str | bytes | Mapping) or not isinstance(observations, Iterable):
        raise InvalidInput(
            "observations",
            observations,
            "must be (loan_id, cohort, mob, days_past_due) rows or a DataFrame with those columns",
        )
    return observations


@dataclass(frozen=True, slots=True)
class VintageTable:
    """Cumulative share of each cohort's loans that ever reached the threshold, by month on book.

    ``rates[c][m]`` is cohort ``cohorts[c]`` at MOB ``m`` (``None`` past its last observation).

    >>> t = vintage_curves([("a", "2024-01", 0, 0), ("b", "2024-01", 0, 95)], threshold_days=90)
    >>> t.sizes, t.max_mob, t.curve("2024-01")
    ((2,), 0, (Decimal('0.500000'),))
    """

    cohorts: tuple[Hashable, ...]
    sizes: tuple[int, ...]
    rates: tuple[tuple[Decimal | None, ...], ...]
    threshold_days: int

    def __post_init__(self) -> None:
        for name in ("cohorts", "sizes", "rates"):
            if not isinstance(getattr(self, name), tuple):
                raise InvalidInput(name, getattr(self, name), "must be a tuple")
        if not len(self.cohorts) == len(self.sizes) == len(self.rates):
            raise InvalidInput("rates", self.rates, "cohorts, sizes and rates must have the same length")
        for i, size in enumerate(self.sizes):
            check_days(size, f"sizes[{i}]")
        for i, row in enumerate(self.rates):
            if not isinstance(row, tuple) or not all(
                r is None or (type(r) is Decimal and r.is_finite()) for r in row
            ):
                raise InvalidInput(f"rates[{i}]", row, "must be a tuple of Decimal rates or None")
        object.__setattr__(self, "threshold_days", check_days(self.threshold_days, "threshold_days"))

    @property
    def max_mob(self) -> int:
        """The last month on book in the table."""
        return max((len(r) for r in self.rates), default=1) - 1

    def curve(self, cohort: Hashable) -> tuple[Decimal | None, ...]:
        """The curve of one cohort."""
        for known, rates in zip(self.cohorts, self.rates, strict=True):
            if known is cohort or _same(known, cohort):
                return rates
        raise InvalidInput("cohort", cohort, "not in the table")

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per cohort: ``{"cohort", "loans", "mob_0", "mob_1", …}``."""
        width = self.max_mob + 1
        rows = []
        for c, size, r in zip(self.cohorts, self.sizes, self.rates, strict=True):
            padded = list(r) + [None] * (width - len(r))
            rows.append({"cohort": c, "loans": size, **{f"mob_{m}": v for m, v in enumerate(padded)}})
        return rows

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` indexed by cohort; needs pandas."""
        return _pandas().DataFrame(self.to_rows()).set_index("cohort")

    def __str__(self) -> str:
        width = self.max_mob + 1
        head = ["cohort", "loans", *(f"{m}" for m in range(width))]
        body = []
        for c, size, r in zip(self.cohorts, self.sizes, self.rates, strict=True):
            cells = ["" if v is None else f"{v * 100:.1f}%" for v in r] + [""] * (width - len(r))
            body.append([str(c), str(size), *cells])
        widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]
        title = f"cumulative share of loans ever {self.threshold_days}+ days past due, by month on book"
        lines = [title, "  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(b, widths, strict=True)) for b in body]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return render_repr(self)

    def _repr_html_(self) -> str:
        return render_html(self)


def vintage_curves(
    observations: Iterable[tuple[Any, ...] | Mapping[str, Any]],
    *,
    threshold_days: int = 30,
    bad_states: Sequence[str] = ("charged_off",),
    cohort_sizes: Mapping[Hashable, int] | None = None,
) -> VintageTable:
    """Vintage curves from ``(loan_id, cohort, months_on_book, days_past_due_or_state)`` observations.

    A loan is "bad" from the first month its days past due reach ``threshold_days`` or its state
    is one of ``bad_states``; it stays bad (cumulative). Cohort size is the number of distinct
    loans seen (or ``cohort_sizes[cohort]``). Mappings with keys ``loan_id``, ``cohort``, ``mob``,
    ``days_past_due`` are accepted too, and so is a pandas DataFrame with those columns
    (:data:`VINTAGE_COLUMNS`); a frame without them is refused with an error naming the columns.

    >>> obs = [("a", "2024-01", 1, 0), ("a", "2024-01", 2, 35), ("b", "2024-01", 1, 0),
    ...        ("b", "2024-01", 2, 0), ("c", "2024-02", 1, "charged_off")]
    >>> t = vintage_curves(obs)
    >>> t.curve("2024-01")
    (Decimal('0.000000'), Decimal('0.000000'), Decimal('0.500000'))
    >>> t.curve("2024-02")
    (Decimal('0.000000'), Decimal('1.000000'))
    """
    threshold = check_days(threshold_days, "threshold_days")
    if isinstance(bad_states, str) or not isinstance(bad_states, Iterable):
        raise InvalidInput("bad_states", bad_states, "must be a sequence of state names")
    states = list(bad_states)
    if not all(isinstance(b, str) for b in states):
        raise InvalidInput("bad_states", bad_states, "must be a sequence of state names (strings)")
    bad_set = frozenset(states)
    if cohort_sizes is not None and not isinstance(cohort_sizes, Mapping):
        raise InvalidInput("cohort_sizes", cohort_sizes, "must be a mapping of cohort to number of loans")
    observations = _observations(observations)
    loans: dict[Hashable, Hashable] = {}
    first_bad: dict[Hashable, int] = {}
    last_mob: dict[Hashable, int] = {}
    for pos, obs in enumerate(observations):
        if isinstance(obs, Mapping):
            try:
                loan, cohort, mob, status = obs["loan_id"], obs["cohort"], obs["mob"], obs["days_past_due"]
            except KeyError as exc:
                raise InvalidInput(f"observations[{pos}]", dict(obs), f"missing key {exc}") from None
        elif isinstance(obs, tuple | list) and len(obs) == 4:
            loan, cohort, mob, status = obs
        else:
            raise InvalidInput(f"observations[{pos}]", obs, "must be (loan_id, cohort, mob, days_past_due)")
        mob = check_days(mob, f"observations[{pos}].mob")
        for name, key in (("loan_id", loan), ("cohort", cohort)):
            if not _usable_key(key):
                raise InvalidInput(f"observations[{pos}].{name}", key, "must be a hashable, comparable id")
        known = loans.setdefault(loan, cohort)
        if known is not cohort and not _same(known, cohort):
            raise InvalidInput(
                f"observations[{pos}].cohort", cohort, f"loan {loan!r} is already in cohort {known!r}"
            )
        if isinstance(status, str):
            if status not in bad_set and status not in ("paid_off", "current"):
                raise InvalidInput(f"observations[{pos}].days_past_due", status, "unknown state")
            bad = status in bad_set
        else:
            bad = check_days(status, f"observations[{pos}].days_past_due") >= threshold
        if bad and (loan not in first_bad or mob < first_bad[loan]):
            first_bad[loan] = mob
        if mob > last_mob.get(cohort, -1):
            last_mob[cohort] = mob
    members: dict[Hashable, int] = Counter(loans.values())
    if cohort_sizes is not None:
        for c, size in cohort_sizes.items():
            if check_days(size, f"cohort_sizes[{c!r}]") < members.get(c, 0):
                raise InvalidInput(
                    f"cohort_sizes[{c!r}]", size, f"is smaller than the {members.get(c, 0)} loans observed"
                )
            members[c] = size
    cohorts = tuple(sorted(members, key=lambda c: (str(type(c)), str(c))))
    bad_by: dict[Hashable, Counter[int]] = {c: Counter() for c in cohorts}
    for loan, mob in first_bad.items():
        bad_by[loans[loan]][mob] += 1
    rates = []
    for c in cohorts:
        size, running, curve = members[c], 0, []
        for m in range(last_mob.get(c, -1) + 1):
            running += bad_by[c][m]
            curve.append(_rate(running, size) if size else None)
        rates.append(tuple(curve))
    return VintageTable(cohorts, tuple(members[c] for c in cohorts), tuple(rates), threshold)
