"""Benchmark: compliance checks per second against a pre-indexed contact history.

Run by hand: ``.venv/bin/python benchmarks/bench_compliance.py``. Target (issue 6): >= 20,000
checks/s against a 200-item history on one core, cost growing at most logarithmically with the
history length.

Scenarios, each with histories of 200, 2,000 and 20,000 items (indexed once with
``History.from_actions``; building the index is O(n log n) and reported separately):

* sparse history (one contact every 2 days): the call is allowed — the common case;
* dense history (a contact every 37 minutes): the call is blocked by Reg F 7-in-7 and
  Massachusetts limits. ``check`` returns the verdict and findings; ``next_permitted`` is searched
  on first access (re-evaluating the rule set at each candidate time), so it is timed separately.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from autoloan.compliance import Action, Borrower, History, check

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


def rate(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(200):
            fn()
        n += 200
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def _with_next(action: Action, hist: History, borrower: Borrower) -> object:
    return check(action, history=hist, borrower=borrower).next_permitted


def main() -> None:
    end = datetime(2026, 6, 1, 12, 0, tzinfo=NY)
    cn_end = datetime(2026, 6, 1, 12, 0, tzinfo=SH)
    ma = Borrower("US-MA")
    us2 = Borrower("US", timezones=("America/New_York", "America/Los_Angeles"))
    cn = Borrower("CN")
    call = Action("call", end, debt_id="L1")
    cn_call = Action("call", cn_end, debt_id="L1")
    print("autoloan.compliance.check, checks per second on one core")
    for label, step in (("sparse (allowed)", timedelta(days=2)), ("dense (blocked)", timedelta(minutes=37))):
        print(f" {label} history:")
        for n in (200, 2_000, 20_000):
            items = make_history(n, end, step)
            t0 = time.perf_counter()
            hist = History.from_actions(items)
            build_ms = (time.perf_counter() - t0) * 1000
            cn_hist = History.from_actions(make_history(n, cn_end, step))
            r_ma = rate(partial(check, call, history=hist, borrower=ma))
            r_us = rate(partial(check, call, history=hist, borrower=us2))
            r_cn = rate(partial(check, cn_call, history=cn_hist, borrower=cn))
            r_next = rate(partial(_with_next, call, hist, ma))
            print(
                f"  n={n:>6}: US-MA call {r_ma:>8,.0f} | US 2-zone call {r_us:>8,.0f} | CN call {r_cn:>8,.0f}"
                f" | US-MA + next_permitted {r_next:>8,.0f} | index build {build_ms:6.1f} ms"
            )
    items = make_history(200, end, timedelta(days=2))
    print(
        f" plain list of 200 (indexed on every check): {rate(lambda: check(call, history=items, borrower=ma)):,.0f}"
    )


if __name__ == "__main__":
    main()
