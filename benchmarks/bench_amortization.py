"""Exact 60-month annuity schedule vs the `amortization` package (float) and numpy-financial ipmt/ppmt.

Run: ``make bench`` (or ``python benchmarks/run.py amortization``). Target (issue 2): autoloan's exact
schedule no slower than the `amortization` package's float one (ratio <= 1.0).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import fmt, per_call

from autoloan import LoanTerms, amortize

PRINCIPAL, RATE, TERM = 150000, "0.0435", 60
terms = LoanTerms(principal=PRINCIPAL, annual_rate=RATE, term=TERM, start=date(2026, 1, 15), currency="CNY")


def autoloan_build() -> object:
    return amortize(terms)


def autoloan_build_and_read() -> object:
    return [(i.payment, i.principal, i.interest, i.balance) for i in amortize(terms)]


def autoloan_terms_and_build() -> object:
    return amortize(
        LoanTerms(principal=PRINCIPAL, annual_rate=RATE, term=TERM, start=date(2026, 1, 15), currency="CNY")
    )


results: dict[str, float] = {
    "autoloan amortize(terms) (exact, columns)": per_call(autoloan_build),
    "autoloan LoanTerms(...) + amortize": per_call(autoloan_terms_and_build),
    "autoloan amortize + read every row as Decimal": per_call(autoloan_build_and_read),
}
try:
    from amortization.schedule import amortization_schedule

    results["amortization.amortization_schedule (float)"] = per_call(
        lambda: list(amortization_schedule(PRINCIPAL, 0.0435, TERM))
    )
except ImportError:
    print("(amortization package not installed: pip install amortization)")
try:
    import numpy as np
    import numpy_financial as npf

    per = np.arange(1, TERM + 1)
    results["numpy-financial ipmt+ppmt (float, vectorised)"] = per_call(
        lambda: (npf.ipmt(0.0435 / 12, per, TERM, PRINCIPAL), npf.ppmt(0.0435 / 12, per, TERM, PRINCIPAL))
    )
except ImportError:
    print("(numpy-financial not installed: pip install numpy-financial)")

print(f"60-month annuity schedule, {PRINCIPAL} at {RATE}:")
for name, seconds in results.items():
    print(f"  {fmt(seconds)}  {name}")
peer = results.get("amortization.amortization_schedule (float)")
if peer:
    for name in list(results)[:3]:
        print(f"  ratio {results[name] / peer:5.2f}  {name} / amortization package")
