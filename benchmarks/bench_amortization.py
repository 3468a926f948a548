"""Exact 60-month annuity schedule vs the `amortization` package (float) and numpy-financial ipmt/ppmt.

Run: ``make bench`` (or ``python benchmarks/run.py amortization``). Target (issue 12): building the terms
and the exact schedule, ``LoanTerms(...) + amortize``, no slower than the `amortization` package's float
schedule (ratio <= 1.0), measured in the same run, in alternation (see ``_timing.interleaved``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import fmt, interleaved, load

from autoloan import LoanTerms, amortize

PRINCIPAL, RATE, TERM = 150000, "0.0435", 60
START = date(2026, 1, 15)
terms = LoanTerms(principal=PRINCIPAL, annual_rate=RATE, term=TERM, start=START, currency="CNY")
PEER = "amortization.amortization_schedule (float)"
TERMS_AND_BUILD = "autoloan LoanTerms(...) + amortize"


def autoloan_build() -> object:
    return amortize(terms)


def autoloan_build_and_read() -> object:
    return [(i.due_date, i.payment, i.principal, i.interest, i.balance) for i in amortize(terms)]


def autoloan_terms_and_build() -> object:
    return amortize(LoanTerms(principal=PRINCIPAL, annual_rate=RATE, term=TERM, start=START, currency="CNY"))


contenders: dict[str, Callable[[], object]] = {
    "autoloan amortize(terms) (exact, columns)": autoloan_build,
    TERMS_AND_BUILD: autoloan_terms_and_build,
    "autoloan amortize + read every row as Decimal": autoloan_build_and_read,
}
try:
    from amortization.schedule import amortization_schedule

    contenders[PEER] = lambda: list(amortization_schedule(PRINCIPAL, 0.0435, TERM))
except ImportError:
    print("(amortization package not installed: pip install 'autoloan[bench]')")
try:
    import numpy as np
    import numpy_financial as npf

    per = np.arange(1, TERM + 1)
    contenders["numpy-financial ipmt+ppmt (float, vectorised)"] = lambda: (
        npf.ipmt(0.0435 / 12, per, TERM, PRINCIPAL),
        npf.ppmt(0.0435 / 12, per, TERM, PRINCIPAL),
    )
except ImportError:
    print("(numpy-financial not installed: pip install 'autoloan[bench]')")

results = interleaved(contenders)
print(f"60-month annuity schedule, {PRINCIPAL} at {RATE} ({load()}):")
for name, seconds in results.items():
    print(f"  {fmt(seconds)}  {name}")
peer = results.get(PEER)
if peer:
    for name in list(results)[:3]:
        print(f"  ratio {results[name] / peer:5.2f}  {name} / amortization package")
    ratio = results[TERMS_AND_BUILD] / peer
    print(
        f"  target: {TERMS_AND_BUILD} <= 1.0 x the amortization package: {'met' if ratio <= 1.0 else 'MISSED'}"
    )
