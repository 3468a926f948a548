"""Benchmark: the APR / IRR of a 60-payment loan, autoloan against numpy-financial and pyxirr, same run.

Run by hand:  .venv/bin/python benchmarks/bench_rates.py
Peers that are not installed are skipped (``pip install -e '.[bench]'`` installs them).

The loan: 25,000 at 6.9 % nominal for 60 months, advanced 2026-01-15, payments from 2026-02-15.
autoloan returns exact, certified rates (10 decimals, proven correctly rounded); the peers return floats.

A regular monthly series takes autoloan.rates' shortcut (payment k is t0 + k months after the advance,
runs of equal payments summed in closed form, a bracket-free Newton proposal). Its 10-place result is
certified by evaluating the equation at both ends of the rounding interval: in float with a rigorous
error bound when the values are clear of zero by more than the bound (the usual case), else in 50-digit
Decimal arithmetic. The "one payment 3 days late" case takes the near-monthly path: the payments on
another day are found with C-level byte searches, plain months are recognised stretch by stretch (a
stretch of payments on one day spanning as many months as it has steps), only the periods next to the
late payment are labelled by (b)(3)(iii), only the heads of the chains of whole months are counted back
by (b)(5)(ii), and the same loan-shaped solver and float certificate decide (the general Appendix J
path gives the same result: tests/test_rates.py). ``xirr`` solves one advance and later repayments flow
by flow with a float certificate from one evaluation (convexity: a tangent bound), Decimal only as the
fallback.
Times are CPU time (``time.process_time``), best batch of many rounds that alternate all the cases, so
other processes on a shared machine slow every case alike; read the ratios, not the microseconds.
Targets (issue 12): xirr <= 20x pyxirr.xirr, the irregular APR <= 10x pyxirr.xirr, same certified result.
"""

from __future__ import annotations

import importlib
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from types import ModuleType
from typing import Any

import autoloan as al
from autoloan.dates import add_months

PRINCIPAL = 25000
RATE = Decimal("0.069")
TERM = 60
START = date(2026, 1, 15)


def _peer(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        print(f"  ({name} is not installed: skipped)")
        return None


def _best_cpu(cases: list[tuple[str, Callable[[], Any]]], rounds: int = 40) -> dict[str, float]:
    """Best CPU microseconds per call of each case, measured in alternation: each round runs a batch of
    every case (sized to ~5 ms) and keeps each case's best batch."""
    batches = {}
    for name, fn in cases:
        number = 1
        while True:
            started = time.process_time()
            for _ in range(number):
                fn()
            if time.process_time() - started >= 0.005 or number >= 1 << 16:
                break
            number *= 2
        batches[name] = number
    best = dict.fromkeys(batches, float("inf"))
    for _ in range(rounds):
        for name, fn in cases:
            number = batches[name]
            started = time.process_time()
            for _ in range(number):
                fn()
            best[name] = min(best[name], (time.process_time() - started) / number * 1e6)
    return best


def main() -> None:
    payment = al.level_payment(PRINCIPAL, RATE, TERM)
    dates = [add_months(START, k) for k in range(1, TERM + 1)]
    dated = list(zip(dates, [payment] * TERM, strict=True))
    flows = [-PRINCIPAL] + [payment] * TERM
    flows_f = [float(x) for x in flows]
    dated_all = [(START, -PRINCIPAL), *dated]

    # The same loan with one payment three days late: not a regular monthly series, so Appendix J's
    # general path (unit-period by (b)(4), each payment counted back by (b)(5)) and the general solver.
    irregular = list(dated)
    irregular[29] = (irregular[29][0] + timedelta(days=3), payment)

    print(f"60-payment loan: {PRINCIPAL} at {RATE} nominal, payment {payment}")
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("autoloan.apr_actuarial (Reg Z App. J, dated)", lambda: al.apr_actuarial(PRINCIPAL, START, dated)),
        (
            "autoloan.apr_actuarial (one payment 3 days late)",
            lambda: al.apr_actuarial(PRINCIPAL, START, irregular),
        ),
        ("autoloan.solve_rate (RATE x 12)", lambda: al.solve_rate(PRINCIPAL, payment, TERM)),
        ("autoloan.irr (periodic IRR x 12)", lambda: al.irr(flows)),
        ("autoloan.xirr (Actual/365)", lambda: al.xirr(dated_all)),
    ]
    npf = _peer("numpy_financial")
    if npf is not None:
        pmt_f = float(payment)
        cases += [
            ("numpy_financial.rate", lambda: npf.rate(TERM, pmt_f, -PRINCIPAL, 0)),
            ("numpy_financial.irr", lambda: npf.irr(flows_f)),
        ]
    pyxirr = _peer("pyxirr")
    if pyxirr is not None:
        pmt_f = float(payment)
        xdates = [START, *dates]
        cases += [
            ("pyxirr.rate", lambda: pyxirr.rate(TERM, pmt_f, -PRINCIPAL)),
            ("pyxirr.irr", lambda: pyxirr.irr(flows_f)),
            ("pyxirr.xirr", lambda: pyxirr.xirr(xdates, flows_f)),
        ]

    # Interleave: many rounds over all cases, keeping each case's best, so that load from other
    # processes during one case does not decide the comparison.
    results = _best_cpu(cases)
    print(f"{'case':48} {'CPU µs/call':>11}  result (annual)")
    for name, fn in cases:
        value = fn()
        scale = 12 if name.startswith(("numpy", "pyxirr.rate", "pyxirr.irr")) else 1
        print(f"{name:48} {results[name]:11.1f}  {float(value) * scale:.10f}")

    base = results["autoloan.apr_actuarial (Reg Z App. J, dated)"]
    late = results["autoloan.apr_actuarial (one payment 3 days late)"]
    own_xirr = results["autoloan.xirr (Actual/365)"]
    if "numpy_financial.rate" in results:
        print(f"apr_actuarial vs numpy_financial.rate: {results['numpy_financial.rate'] / base:.2f}x faster")
    if "pyxirr.xirr" in results:
        peer = results["pyxirr.xirr"]
        print(f"apr_actuarial (regular) vs pyxirr.xirr: {base / peer:.1f}x")
        print(f"apr_actuarial (one payment 3 days late) vs pyxirr.xirr: {late / peer:.1f}x (target: <= 10x)")
        print(f"autoloan.xirr vs pyxirr.xirr: {own_xirr / peer:.1f}x (target: <= 20x)")
    if "pyxirr.rate" in results:
        ratio = results["autoloan.solve_rate (RATE x 12)"] / results["pyxirr.rate"]
        print(f"solve_rate vs pyxirr.rate: {ratio:.1f}x")
    own = [micros for name, micros in results.items() if name.startswith("autoloan")]
    print(f"(median of the autoloan cases: {statistics.median(own):.1f} µs)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average {load:.1f} on {os.cpu_count()} CPUs: compare ratios, not microseconds)")


if __name__ == "__main__":
    main()
