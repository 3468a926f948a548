"""Shared timing helper for the benchmarks: best-of-N wall time per call."""

from __future__ import annotations

import timeit
from collections.abc import Callable


def per_call(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.2) -> float:
    """Best per-call time in seconds over ``repeat`` runs of an auto-sized loop."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    return f"{seconds * 1e3:8.2f} ms"
