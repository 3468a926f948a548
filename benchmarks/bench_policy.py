"""Benchmark: policy decisions per second, and simulating one account over a year.

Run by hand: ``.venv/bin/python benchmarks/bench_policy.py [N]``. Targets (issue 9): ``decide`` on
100,000 cases with 30-item contact histories at >= 10,000 decisions/s on one core (aim 20,000),
cases built once; ``simulate`` one account over 365 days in < 50 ms.

The cases: the built-in policies (cn-auto for CN borrowers, us-auto for US-MA/US-WI), loans 0-150
days past due, each with a 30-item history (calls, texts, emails; mixed outcomes) indexed once,
decided at local midnight (the nightly batch: every treatment of the day is planned and checked
by compliance, the heaviest time of day) and, separately, at 15:00 (most treatments done).
There is no peer library for collection policies; the figures are absolute: CPU time of this
process (one core), best of 3 runs; wall time is shown too (the machine is shared).
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from autoloan import LoanTerms, amortize
from autoloan.compliance import Action, Borrower, History
from autoloan.policy import Behaviour, Case, Policy, simulate
from autoloan.servicing import Payment, account_status

OUTCOMES = ("no_answer", "voicemail", "conversation", "no_answer", "busy")
ACCOUNTS = 2_000
JURIS = (("CN", "cn-auto"), ("US-MA", "us-auto"), ("US-WI", "us-auto"), ("CN", "cn-auto"))


def build_cases(n: int, hour: int) -> list[tuple[Policy, Case, datetime]]:
    """``n`` (policy, case, now) triples; statuses shared by day, histories of 30 items per case."""
    terms = LoanTerms(
        principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    sched = amortize(terms)
    paid = [Payment(i.due_date, i.payment) for i in sched[:3]]  # current through 2026-04-15
    statuses = {}
    for k in range(160):
        as_of = date(2026, 5, 1) + timedelta(days=k)
        statuses[k] = account_status(terms, paid, as_of)
    borrowers = {code: Borrower(code) for code, _ in JURIS}
    policies = {name: Policy.builtin(name) for _, name in JURIS}
    out = []
    histories: dict[tuple[int, int], History] = {}
    for i in range(n):
        code, pname = JURIS[i % len(JURIS)]
        b = borrowers[code]
        tz = ZoneInfo(b.timezones[0])
        k = (i * 37) % 160
        st = statuses[k]
        now = datetime.combine(st.as_of, datetime.min.time(), tz) + timedelta(hours=hour)
        account = i % ACCOUNTS  # 30-item histories per (account, day): built once, shared by the cases
        hist = histories.get((account, k))
        if hist is None:
            items = []
            for j in range(30):
                kind = ("call", "sms", "email")[j % 3]
                outcome = OUTCOMES[(account + j) % 5] if kind == "call" else "delivered"
                at = now - timedelta(hours=37 * (j + 1) + 3)
                items.append(Action(kind, at, debt_id=f"L{account}", outcome=outcome))
            hist = histories[(account, k)] = History.from_actions(items)
        out.append((policies[pname], Case(f"L{account}", st, b, history=hist), now))
    return out


def run_decide(n: int) -> None:
    for hour in (0, 15):
        t0 = time.perf_counter()
        cases = build_cases(n, hour)
        built = time.perf_counter() - t0
        best = wall = 1e9
        planned = 0
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            planned = 0
            for policy, case, now in cases:
                planned += len(policy.decide(case, now).actions)
            best = min(best, time.process_time() - c0)
            wall = min(wall, time.perf_counter() - t0)
        print(
            f"decide at {hour:02d}:00 local: {n:,} cases (built in {built:.1f} s): {n / best:,.0f} decisions/s "
            f"per core (CPU time {best:.2f} s; wall {wall:.2f} s on the shared machine; "
            f"{planned / n:.2f} actions planned per decision)"
        )


def run_simulate() -> None:
    terms = LoanTerms(
        principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    for pname, code in (("cn-auto", "CN"), ("us-auto", "US-MA"), ("us-auto", "US-WI")):
        for beh in (Behaviour.scripted(), Behaviour.random(seed=11)):
            policy, borrower = Policy.builtin(pname), Borrower(code)
            best = wall = 1e9
            run = None
            for _ in range(5):
                t0, c0 = time.perf_counter(), time.process_time()
                run = simulate(
                    policy,
                    terms,
                    borrower=borrower,
                    start=date(2026, 1, 15),
                    end=date(2027, 1, 14),
                    behaviour=beh,
                )
                best = min(best, time.process_time() - c0)
                wall = min(wall, time.perf_counter() - t0)
            assert run is not None
            print(
                f"simulate {pname} {code:<5} {beh.mode:<8} 365 days: {best * 1e3:6.1f} ms CPU ({wall * 1e3:.1f} ms wall) "
                f"({run.decisions} decisions, {len(run.actions)} actions, blocked_executed={run.blocked_executed})"
            )


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    try:
        import os

        load = os.getloadavg()[0]
        print(f"load average: {load:.1f} (machine shared; figures are best-of runs)")
    except OSError:  # pragma: no cover
        pass
    run_decide(n)
    run_simulate()
