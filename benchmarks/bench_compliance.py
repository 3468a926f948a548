"""Benchmark: compliance checks per second with every jurisdiction pack registered, and the cost of
building the registry.

Run by hand: ``.venv/bin/python benchmarks/bench_compliance.py``. Targets: ``check``
>= 20,000/s against a 200-item history with all packs registered; building the registry (every
jurisdiction module registered and validated) < 50 ms. No peer library checks collection rules,
so there is no peer ratio; the figures are absolute (note the machine load when reading them).

Scenarios, with histories of 200, 2,000 and 20,000 items (sorted once with
``History.from_actions``; each rule's index is built on its first use and kept, reported
separately as the first check):

* sparse history (one contact every 2 days): the call is allowed, the common case;
* dense history (a contact every 37 minutes): the call is blocked by Reg F 7-in-7 and the state
  caps; ``next_permitted`` is searched on first access, so it is timed separately.

Jurisdictions: US-MA (a creditor cap), US-NY-NYC (three packs deep, the SHIELD cap from
2026-09-01), US-CA (Rosenthal hours), US-TX (federal-only with its coverage warning), CN.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from autoloan.compliance import Action, Borrower, History, Registry, check
from autoloan.compliance.rules import register_builtin

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
OUTCOMES = ("no_answer", "voicemail", "busy", "conversation", "no_answer")


def make_history(n: int, end: datetime, step: timedelta) -> list[Action]:
    """``n`` contacts spaced ``step`` apart before ``end``, across 4 debts, calls and texts."""
    items = []
    for i in range(n):
        kind = "sms" if i % 5 == 0 else "call"
        outcome = "delivered" if kind == "sms" else OUTCOMES[i % 5]
        items.append(Action(kind, end - step * (n - i), debt_id=f"L{i % 4}", outcome=outcome))
    return items


def rate(fn: Callable[[], object], seconds: float = 0.6) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (best of 3 rounds)."""
    best = 0.0
    for _ in range(3):
        n, start = 0, time.perf_counter()
        while True:
            for _ in range(100):
                fn()
            n += 100
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / 3:
                break
        best = max(best, n / elapsed)
    return best


def _with_next(action: Action, hist: History, borrower: Borrower) -> object:
    return check(action, history=hist, borrower=borrower).next_permitted


def registry_build_ms() -> float:
    """Best of 20 builds of a fresh registry from every built-in module (validation included)."""
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        register_builtin(Registry())
        best = min(best, time.perf_counter() - start)
    return best * 1000


_IMPORT = """
import time
import autoloan.money, autoloan.dates, autoloan.errors, autoloan._enums
t = time.perf_counter()
import autoloan.compliance
print((time.perf_counter() - t) * 1000)
"""


def import_ms() -> float:
    """Best of 5 fresh processes: importing autoloan.compliance (every jurisdiction module, the
    registry built and validated) once its dependencies are loaded. Bytecode is cached in a
    temporary directory (a first warm-up run fills it), as an installed package would have it."""
    import subprocess
    import sys
    import tempfile

    env = dict(os.environ, PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "autoloan-bench-pyc"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    runs = []
    for _ in range(6):
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT], capture_output=True, text=True, check=True, env=env
        )
        runs.append(float(done.stdout))
    return min(runs[1:])


def main() -> None:
    from autoloan.compliance import REGISTRY

    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (shared machine)")
    print(
        f"registry build (all {len(REGISTRY.codes)} packs, validated): {registry_build_ms():.2f} ms; "
        f"import of autoloan.compliance in a fresh process: {import_ms():.1f} ms (target < 50 ms)"
    )
    end = datetime(2026, 9, 15, 12, 0, tzinfo=NY)
    cn_end = datetime(2026, 9, 15, 12, 0, tzinfo=SH)
    borrowers = {
        "US-MA": Borrower("US-MA"),
        "US-NY-NYC": Borrower("US-NY-NYC"),
        "US-CA": Borrower("US-CA", timezones=("America/New_York", "America/Los_Angeles")),
        "US-TX": Borrower("US-TX"),
    }
    call = Action("call", end, debt_id="L1")
    cn_call = Action("call", cn_end, debt_id="L1")
    print("autoloan.compliance.check, checks per second on one core (target >= 20,000/s at n=200)")
    for label, step in (("sparse (allowed)", timedelta(days=2)), ("dense (blocked)", timedelta(minutes=37))):
        print(f" {label} history:")
        for n in (200, 2_000, 20_000):
            items = make_history(n, end, step)
            t = time.perf_counter()
            hist = History.from_actions(items)
            sort_ms = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            for b in borrowers.values():
                check(call, history=hist, borrower=b)  # first use builds the rules' indexes
            first_ms = (time.perf_counter() - t) * 1000
            cn_hist = History.from_actions(make_history(n, cn_end, step))
            rates = {
                code: rate(partial(check, call, history=hist, borrower=b)) for code, b in borrowers.items()
            }
            rates["CN"] = rate(partial(check, cn_call, history=cn_hist, borrower=Borrower("CN")))
            nxt = rate(partial(_with_next, call, hist, borrowers["US-NY-NYC"]))
            cells = " | ".join(f"{code} {r:>7,.0f}" for code, r in rates.items())
            print(
                f"  n={n:>6}: {cells} | NYC + next_permitted {nxt:>7,.0f} | sort {sort_ms:6.1f} ms, "
                f"first checks (index build) {first_ms:6.1f} ms"
            )
    items = make_history(200, end, timedelta(days=2))
    plain = rate(lambda: check(call, history=items, borrower=borrowers["US-NY-NYC"]))
    print(f" plain list of 200 (sorted and indexed on every check), US-NY-NYC: {plain:,.0f}/s")


if __name__ == "__main__":
    main()
