"""account_status throughput: a 60-month loan with 20 payments (issue 4 target: >= 20,000 per second).

Run: ``python benchmarks/run.py servicing``. Three loans are measured: a 等额本息 loan under the
default waterfall, the same loan under the Chinese bank rules (罚息 with 复利, some payments late so
penalty accrues), and a US daily simple-interest loan. "warm" reuses the LoanTerms (its schedule is
cached, as for a portfolio re-run); "cold" builds new LoanTerms for every account, so amortize runs
each time. Figures are printed, never asserted.
"""

from __future__ import annotations

import itertools
import sys
import time
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import fmt

from autoloan import LoanTerms, amortize
from autoloan.servicing import LateFeeRule, Materiality, Payment, ServicingRules, account_status, payoff_quote

AS_OF = date(2027, 12, 1)
_COUNTER = itertools.count()


def per_call(fn: Callable[[], object], repeat: int = 30) -> float:
    """Best per-call CPU time over many short runs (process time; on a busy machine the minimum is the
    run least disturbed by other processes)."""
    timer = timeit.Timer(fn, timer=time.process_time)
    number, _ = timer.autorange()
    number = max(1, number // 4)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def make(method: str, currency: str) -> tuple[LoanTerms, list[Payment]]:
    terms = LoanTerms(
        principal=150000,
        annual_rate="0.0435",
        term=60,
        start=date(2026, 1, 15),
        currency=currency,
        method=method,
    )
    sched = amortize(terms)
    # 20 payments: on time, 3 days late, 6 days late in turn; one short payment
    pays = [
        Payment(
            i.due_date + timedelta(days=3 * (k % 3)),
            i.payment - (Decimal(100) if k == 7 else 0),
            reference=f"P{k}",
        )
        for k, i in enumerate(sched[:20])
    ]
    return terms, pays


cases = {
    "annuity, default rules": (*make("annuity", "CNY"), ServicingRules()),
    "annuity, cn_bank (罚息 + 复利)": (*make("annuity", "CNY"), ServicingRules.cn_bank()),
    "simple interest, US servicer + late fee": (
        *make("simple_interest", "USD"),
        ServicingRules.us_simple_interest(LateFeeRule.alabama_small_loan()),
    ),
}

print(f"account_status, 60 installments, 20 payments, as of {AS_OF} (CPU time, best of 30 runs)")
for name, (terms, pays, rules) in cases.items():
    warm = per_call(lambda t=terms, p=pays, r=rules: account_status(t, p, AS_OF, rules=r))

    def cold(
        t: LoanTerms = terms,
        p: list[Payment] = pays,
        r: ServicingRules = rules,
    ) -> object:
        # new terms every call (a cent more principal), so the schedule is never cached
        fresh = t.replace(principal=t.principal + Decimal(next(_COUNTER) % 100000) / 100)
        return account_status(fresh, p, AS_OF, rules=r)

    cold_t = per_call(cold)
    print(f"  {name:42s} warm {fmt(warm)} = {1 / warm:9,.0f}/s   cold {fmt(cold_t)} = {1 / cold_t:8,.0f}/s")

terms, pays, rules = cases["annuity, cn_bank (罚息 + 复利)"]
q = per_call(lambda: payoff_quote(terms, pays, AS_OF, rules=rules))
print(f"  payoff_quote (cn_bank)                     {fmt(q)} = {1 / q:9,.0f}/s")
st = account_status(terms, pays, AS_OF, rules=rules)
inst = per_call(lambda: st.installments)
print(f"  AccountStatus.installments (60 rows)       {fmt(inst)}")

# -- every rule linear in installments and payments (issue 12): 60 -> 240 installments, payments x4 --------


def _scaled(n: int, rules: ServicingRules, method: str = "annuity") -> Callable[[], object]:
    terms = LoanTerms(
        principal=150000, annual_rate="0.0435", term=n, start=date(2026, 1, 15), currency="EUR", method=method
    )
    sched = amortize(terms)
    # the first third paid (some late, some short), then small payments while arrears build up
    pays = [
        Payment(i.due_date + timedelta(days=15 * (k % 2)), i.payment - (Decimal(50) if k % 3 == 0 else 0))
        for k, i in enumerate(sched[: n // 3])
    ]
    pays += [Payment(i.due_date, Decimal(100)) for i in sched[n // 3 : n : 2]]
    as_of = sched[-1].due_date + timedelta(days=30)
    return lambda: account_status(terms, pays, as_of, rules=rules)


print("scaling, 60 -> 240 installments (payments x4; linear = x4.0)")
for label, scaled_rules in (
    ("default", ServicingRules()),
    ("materiality (EU 2018/171)", ServicingRules(materiality=Materiality())),
    ("late fee", ServicingRules(late_fee=LateFeeRule(grace_days=10, flat=25))),
    ("us_simple_interest + late fee", ServicingRules.us_simple_interest(LateFeeRule(grace_days=10, flat=25))),
    ("cn_bank (罚息 + 复利)", ServicingRules.cn_bank()),
):
    small = per_call(_scaled(60, scaled_rules), repeat=5)
    large = per_call(_scaled(240, scaled_rules), repeat=5)
    print(f"  {label:32s} 60: {fmt(small)}  240: {fmt(large)}  x{large / small:4.1f}")
