"""Shared timing helpers for the benchmarks: best-of-N wall time per call, and interleaved comparisons."""

from __future__ import annotations

import os
import time
import timeit
from collections.abc import Callable, Mapping


def per_call(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.2) -> float:
    """Best per-call time in seconds over ``repeat`` runs of an auto-sized loop."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def interleaved(
    fns: Mapping[str, Callable[[], object]], *, rounds: int = 300, batch: int = 10
) -> dict[str, float]:
    """Best per-call time of each function, measured in alternation.

    On a shared, loaded machine the load changes from second to second; alternating short batches of
    each contender and keeping each one's best batch compares them under the same conditions, so the
    ratios are stable even when the absolute times are not.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for name, fn in fns.items():
            started = time.perf_counter()
            for _ in range(batch):
                fn()
            best[name] = min(best[name], (time.perf_counter() - started) / batch)
    return best


def load() -> str:
    """The machine's 1-minute load average and CPU count, to print beside the figures."""
    try:
        one, _, _ = os.getloadavg()
    except OSError:  # pragma: no cover - not on every platform
        return "load unknown"
    return f"load average {one:.1f} on {os.cpu_count()} CPUs"


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} µs"
    return f"{seconds * 1e3:8.2f} ms"
