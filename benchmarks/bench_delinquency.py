"""Delinquency benchmark: bucket + every classifier for 1,000,000 accounts, and a 1,000,000-pair
roll-rate matrix. Run by hand: ``.venv/bin/python benchmarks/bench_delinquency.py [N]``.

Targets (issue 5): all views for 1,000,000 accounts under 10 s on one core; transition matrix of
1,000,000 pairs under 3 s. Day counts are drawn from a fixed-seed generator so runs compare.
Each figure is one wall-clock run (best of one: the loops are long enough to be stable to ~10 %).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from autoloan.delinquency import (
    BucketScheme,
    classify_all,
    classify_basel,
    classify_china,
    classify_ffiec,
    classify_ifrs9,
    classify_many,
    classify_metro2,
    transition_matrix,
)


def _days(n: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    # roughly a servicing book: most current, a tail out to 400 days
    return [0 if rng.random() < 0.8 else rng.randint(1, 400) for _ in range(n)]


def _timed(label: str, fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"{label:<58} {took:8.3f} s   {took / n * 1e9:8.0f} ns/account")
    return took


def main(n: int = 1_000_000) -> None:
    days = _days(n, 1)
    later = _days(n, 2)
    balances = [
        Decimal(random.Random(i).randint(100_00, 40_000_00)).scaleb(-2) for i in range(min(n, 1000))
    ] * (n // min(n, 1000))
    print(f"python {sys.version.split()[0]}, {n:,} accounts")
    cycles = BucketScheme.cycles()
    dpd30 = BucketScheme.dpd30()

    def scalar() -> None:
        for d in days:
            cycles.bucket(d)
            dpd30.bucket(d)
            classify_china(d)
            classify_ffiec(d)
            classify_ifrs9(d)
            classify_basel(d)
            classify_metro2(d)

    def columns() -> None:
        classify_many(days)

    def views_objects() -> None:
        for d in days[: n // 10]:
            classify_all(days_past_due=d)

    def views_with_amounts() -> None:
        for d, bal in zip(days[: n // 10], balances, strict=False):
            classify_all(days_past_due=d, balance=bal, amount_past_due="150.00", currency="EUR")

    t1 = _timed("2 buckets + 5 classifiers, scalar calls (target < 10 s)", scalar, n)
    t2 = _timed("2 buckets + 5 classifiers, classify_many columns", columns, n)
    t3 = _timed(f"classify_all(days_past_due=d) (cached), {n // 10:,} accounts", views_objects, n // 10)
    _timed(f"classify_all with amounts (validated), {n // 10:,} accounts", views_with_amounts, n // 10)
    t4 = _timed(
        "transition matrix, counts only (target < 3 s)",
        lambda: transition_matrix(days, later, scheme="cycles"),
        n,
    )
    t5 = _timed(
        "transition matrix, counts + Decimal balances (target < 3 s)",
        lambda: transition_matrix(days, later, balances=balances, scheme="cycles"),
        n,
    )
    ok = t1 < 10 and t2 < 10 and t4 < 3 and t5 < 3
    print("targets met" if ok else "TARGET MISSED")
    _ = t3


if __name__ == "__main__":
    sizes = [a for a in sys.argv[1:] if a.isdigit()]  # run.py passes benchmark names, not sizes
    main(int(sizes[0]) if sizes else 1_000_000)
