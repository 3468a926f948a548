"""Shared fuzz harness: hostile-but-plausible values and the "only typed errors" assertion.

Every ``tests/test_fuzz_<area>.py`` module declares ``FUZZED``: the public names (dotted, e.g.
``"autoloan.rates.irr"``) its properties call with :func:`hostile` values through :func:`call`.
``tests/test_fuzz.py`` checks that together they cover every public callable of the library.

Profiles (``tests/conftest.py``): ``ci`` keeps CI fast; ``HYPOTHESIS_PROFILE=deep`` runs 20x more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from autoloan.errors import AutoloanError

__all__ = ["CALLS", "SECONDS", "call", "hostile", "hostile_dates", "hostile_numbers", "numpy_values"]

CALLS = [0]
"""How many calls :func:`call` made in this test session (printed at the end of the run)."""

SECONDS = 5.0
"""No public call may take more CPU time than this on any input (the "never a hang" rule). CPU time,
not wall time: a loaded CI machine does not fail the fuzz, a runaway computation still does."""


def numpy_values() -> st.SearchStrategy[Any]:
    """numpy and pandas scalars and arrays (skipped silently when not installed)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        return st.nothing()
    out: list[st.SearchStrategy[Any]] = [
        st.floats(allow_nan=True, allow_infinity=True).map(np.float64),
        st.integers(-(2**63), 2**63 - 1).map(np.int64),
        st.integers(-(2**31), 2**31 - 1).map(np.int32),
        st.lists(st.integers(-1000, 100000), max_size=5).map(np.array),
        st.lists(st.floats(-1e6, 1e6), max_size=5).map(np.array),
        st.just(np.datetime64("2026-03-10")),
        st.just(np.bool_(True)),
    ]
    try:
        import pandas as pd

        out += [
            st.just(pd.NA),
            st.just(pd.NaT),
            st.just(pd.Timestamp("2026-03-10")),
            st.lists(st.integers(0, 400), max_size=5).map(lambda v: pd.Series(v, dtype="int64")),
            st.lists(st.one_of(st.integers(0, 400), st.none()), max_size=5).map(
                lambda v: pd.Series(v, dtype="Int64")
            ),
        ]
    except ImportError:  # pragma: no cover
        pass
    return st.one_of(out)


def hostile_numbers() -> st.SearchStrategy[Any]:
    """Numbers and number-like strings at and past every edge."""
    return st.one_of(
        st.integers(),
        st.integers(-10, 10),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.sampled_from(
            [
                "1e999999999",
                "-1e999999999",
                "1e999999999%",
                "1e-999999999",
                "NaN",
                "Infinity",
                "-0",
                "4.35",
                "4.35%",
                "4.35％",
                "435%",
                "1,234.50",
                "",
                " ",
                "abc",
                1e308,
                -1e308,
                5e-324,
                10**400,
            ]
        ),
        numpy_values(),
    )


def hostile_dates() -> st.SearchStrategy[Any]:
    """Dates and times at the calendar's edges, naive and aware, and date-like strings."""
    return st.one_of(
        st.dates(),
        st.sampled_from([date.min, date.max, date(1, 1, 31), date(9999, 12, 31), date(2024, 2, 29)]),
        st.datetimes(timezones=st.just(UTC)),
        st.datetimes(),
        st.sampled_from(
            [
                datetime.min.replace(tzinfo=UTC),
                datetime.max.replace(tzinfo=UTC),
                datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
                "2026-03-10",
                "2026/03/10",
                "0001-01-01T00:00+00:00",
                "2026-02-30",
                "not a date",
            ]
        ),
    )


def hostile() -> st.SearchStrategy[Any]:
    """Anything a user might pass by mistake."""
    return st.one_of(
        st.none(),
        st.booleans(),
        hostile_numbers(),
        hostile_dates(),
        st.text(max_size=12),
        st.lists(st.integers(-5, 5), max_size=3),
        st.lists(st.lists(st.integers(), max_size=2), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.just(object()),
        st.just(()),
        st.just(b"bytes"),
    )


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn``; only a result or an :class:`AutoloanError` may come back, within :data:`SECONDS`.

    Returns the result, or the AutoloanError instance that was raised. Any other exception fails
    the test with the call spelled out.
    """
    CALLS[0] += 1
    started = time.process_time()
    try:
        result: Any = fn(*args, **kwargs)
    except AutoloanError as exc:
        result = exc
    except Exception as exc:  # pragma: no cover - this is what the fuzz looks for
        shown = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        name = getattr(fn, "__qualname__", repr(fn))
        raise AssertionError(f"untyped {type(exc).__name__} from {name}({shown}): {exc}") from exc
    elapsed = time.process_time() - started
    assert elapsed < SECONDS, f"{getattr(fn, '__qualname__', fn)} took {elapsed:.1f}s"
    return result
