"""The fast path of :func:`autoloan.book.statuses`: whole columns of regular annuity loans at once.

The common case -- a monthly 等额本息 (annuity or balloon) loan with a regular first period,
half-up rounding, no fees, no interest-only periods, default servicing rules (no late fee, no 罚息,
oldest installment first, overpayment prepays the next installment; money beyond the whole
schedule is a credit balance) and no reversals -- needs no posting loop: under that waterfall each
installment is paid in full before the next one receives anything, so the status on ``as_of`` is
a function of the cumulative installment sums and the total paid. The schedules are built for all
loans of one term at once (integer minor units, the periodic rate as an exact fraction, the same
half-up rounding as :func:`autoloan.amortize`), then every :class:`~autoloan.servicing.AccountStatus`
field is read off with integer array arithmetic.

Loans that leave the common case anywhere (a payment before the start, a schedule that would
pay off early, numbers too large for 64-bit integers) are flagged and handled by
:func:`autoloan.servicing.account_status` instead; a property test proves both give the same
status, field by field.

Needs numpy (imported when called).

>>> import numpy as np
>>> from datetime import date
>>> cols = fast_statuses(
...     principal=np.array([1200000]), balloon=np.array([0]), term=np.array([12]),
...     start=np.array([date(2026, 1, 15).toordinal()]), rate_num=np.array([6]), rate_den=np.array([100]),
...     day_count=np.array([0]), pay_loan=np.array([0]), pay_ord=np.array([date(2026, 2, 15).toordinal()]),
...     pay_amount=np.array([103280]), as_of=date(2026, 3, 20).toordinal())
>>> int(cols["days_past_due"][0]), int(cols["amount_past_due"][0]), bool(cols["ok"][0])
(5, 103280, True)
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from autoloan.dates import DayCount

__all__ = ["FAST_DAY_COUNTS", "add_months_columns", "fast_statuses"]

#: Day counts the fast path handles (index = the ``day_count`` code it takes).
FAST_DAY_COUNTS: tuple[DayCount, ...] = (
    DayCount.THIRTY_360,
    DayCount.THIRTY_E_360,
    DayCount.ACT_360,
    DayCount.ACT_365F,
)
_EPOCH = _dt.date(1970, 1, 1).toordinal()
_LIMIT = 2**61


def _np() -> Any:
    import numpy

    return numpy


_CUM_DAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months_columns(np: Any, start_ord: Any, months: Any) -> Any:
    """Ordinals of ``add_months(start, months)`` (month-end clamped), elementwise (broadcasting).

    The start dates are split into year, month and day once; the month steps are integer arithmetic
    (proleptic Gregorian calendar, the same as ``datetime.date.toordinal``).

    >>> import numpy as np
    >>> from datetime import date
    >>> o = add_months_columns(np, np.array([date(2024, 1, 31).toordinal()]), np.array([1, 2, 13]))
    >>> [date.fromordinal(int(x)).isoformat() for x in o]
    ['2024-02-29', '2024-03-31', '2025-02-28']
    """
    start_ord = np.asarray(start_ord, dtype=np.int64)
    d64 = (start_ord - _EPOCH).astype("datetime64[D]")
    m64 = d64.astype("datetime64[M]")
    day = (d64 - m64.astype("datetime64[D]")).astype(np.int64) + 1
    month_index = m64.astype(np.int64) + 1970 * 12  # year * 12 + month - 1
    total = month_index + months
    year = total // 12
    month0 = total - year * 12
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    feb_leap = leap & (month0 == 1)
    dim = np.asarray(_MONTH_DAYS, dtype=np.int64)[month0] + feb_leap
    y1 = year - 1
    before_year = y1 * 365 + y1 // 4 - y1 // 100 + y1 // 400
    before_month = np.asarray(_CUM_DAYS, dtype=np.int64)[month0] + (leap & (month0 > 1))
    return before_year + before_month + np.minimum(day, dim)


def _pmt(p: int, b: int, n: int, rn: int, rd: int, cache: dict[tuple[int, int, int], tuple[int, int]]) -> int:
    """The level payment, exactly as ``amortize`` computes it (half-up); 0 when it cannot say."""
    if rn == 0:
        total = p - b
        per = (2 * total + n) // (2 * n)
        if n > 1 and per * (n - 1) > total:
            per = total // n
        return per
    key = (rn, rd, n)
    gb = cache.get(key)
    if gb is None:
        gb = cache[key] = ((rn + rd) ** n, rd**n)
    growth, base = gb
    num = (p * growth - b * base) * rn
    den = rd * (growth - base)
    return (2 * num + den) // (2 * den)


def _pmts(np: Any, p: Any, b: Any, n: int, rn: Any, rd: Any, cache: dict[Any, Any]) -> tuple[Any, Any]:
    """Level payments of a group: a float estimate, exact wherever it is not within 1e-4 of a rounding
    tie; the rest (and every large or zero-rate loan) by exact integer arithmetic."""
    _, inv_rn = np.unique(rn, return_inverse=True)
    u_rd, inv_rd = np.unique(rd, return_inverse=True)
    pair = inv_rn.reshape(-1) * len(u_rd) + inv_rd.reshape(-1)
    u_pair, first, inv = np.unique(pair, return_index=True, return_inverse=True)
    fa_u = np.zeros(len(u_pair))
    fb_u = np.zeros(len(u_pair))
    for u, j in enumerate(first.tolist()):  # once per distinct rate
        a, d = int(rn[j]), int(rd[j])
        if a == 0:
            continue
        growth, base = (a + d) ** n, d**n
        fa_u[u] = float(a * growth * 10**30 // (d * (growth - base))) / 10**30
        fb_u[u] = float(a * base * 10**30 // (d * (growth - base))) / 10**30
    inv = inv.reshape(-1)
    est = p * fa_u[inv] - b * fb_u[inv]
    frac = est - np.floor(est)
    sure = (np.abs(frac - 0.5) > 1e-4) & (rn > 0) & (np.abs(est) < 2**50) & (p < 2**50)
    pmt = np.where(sure, np.floor(est + 0.5), 0).astype(np.int64)
    ok = sure.copy()
    for j in np.nonzero(~sure)[0].tolist():
        v = _pmt(int(p[j]), int(b[j]), n, int(rn[j]), int(rd[j]), cache)
        if -_LIMIT < v < _LIMIT:
            pmt[j] = v
            ok[j] = True
    return pmt, ok


#: Loans per block of the schedule arrays: memory stays bounded (a block of 60-month loans holds an
#: array of 61 x 16,384 int64 values) whatever the size of the book.
CHUNK = 16_384


def fast_statuses(
    *,
    principal: Any,
    balloon: Any,
    term: Any,
    start: Any,
    rate_num: Any,
    rate_den: Any,
    day_count: Any,
    pay_loan: Any,
    pay_ord: Any,
    pay_amount: Any,
    as_of: int,
    chunk: int = CHUNK,
) -> dict[str, Any]:
    """Every status field, in minor units and date ordinals (0 = none), for regular annuity loans.

    Arrays per loan: ``principal`` and ``balloon`` (minor units), ``term``, ``start`` (ordinal),
    the annual rate as ``rate_num / rate_den``, ``day_count`` (index into :data:`FAST_DAY_COUNTS`).
    Arrays per payment: ``pay_loan`` (loan index), ``pay_ord`` (ordinal), ``pay_amount`` (minor units).
    The result's ``ok`` column is False for a loan the fast path cannot answer exactly. The schedules
    are built ``chunk`` loans at a time (memory bounded by ``chunk`` times the longest term).
    """
    np = _np()
    i64 = np.int64
    m = len(principal)
    principal = np.asarray(principal, dtype=i64)
    balloon = np.asarray(balloon, dtype=i64)
    term = np.asarray(term, dtype=i64)
    start = np.asarray(start, dtype=i64)
    rate_num = np.asarray(rate_num, dtype=i64)
    rate_den = np.asarray(rate_den, dtype=i64)
    day_count = np.asarray(day_count, dtype=i64)
    pay_loan = np.asarray(pay_loan, dtype=i64)
    pay_ord = np.asarray(pay_ord, dtype=i64)
    pay_amount = np.asarray(pay_amount, dtype=i64)
    ok = np.ones(m, dtype=bool)
    out: dict[str, Any] = {name: np.zeros(m, dtype=i64) for name in _OUT}
    if m == 0:
        out["ok"] = ok
        return out
    # 64-bit safety: 2 * balance * periodic-rate numerator, balance * annual-rate numerator, sums
    rd = rate_den * 12
    big = (principal.astype(np.float64) * np.maximum(rate_num, 1) * 4.0 >= _LIMIT) | (rd >= 2**40)
    ok &= ~big

    # -- payments counted on as_of ---------------------------------------------------------------------
    counted = pay_ord <= as_of
    if counted.all():
        ploan, pord, pamt = pay_loan, pay_ord, pay_amount
    else:
        ploan, pord, pamt = pay_loan[counted], pay_ord[counted], pay_amount[counted]
    if len(ploan) > 1 and not bool((ploan[1:] >= ploan[:-1]).all()):
        order = np.argsort(ploan, kind="stable")
        ploan, pord, pamt = ploan[order], pord[order], pamt[order]
    paid = np.zeros(m, dtype=i64)
    last_pay = np.zeros(m, dtype=i64)
    first_pay = np.full(m, 2**62, dtype=i64)
    starts = np.zeros(0, dtype=i64)
    if len(ploan):
        starts = np.flatnonzero(np.concatenate(([True], ploan[1:] != ploan[:-1])))
        who = ploan[starts]
        paid[who] = np.add.reduceat(pamt, starts)  # exact: int64 sums of minor units
        last_pay[who] = np.maximum.reduceat(pord, starts)
        first_pay[who] = np.minimum.reduceat(pord, starts)
    ok &= first_pay >= start  # a payment before the start: account_status refuses it
    out["paid_to_date"] = paid
    out["last_payment_date"] = last_pay

    # -- schedules, one term at a time, ``chunk`` loans at a time ----------------------------------------
    level = np.zeros(m, dtype=i64)
    cache: dict[tuple[int, int, int], tuple[int, int]] = {}
    for n in np.unique(term).tolist():
        group = np.nonzero((term == n) & ok)[0]
        for c0 in range(0, len(group), chunk):
            rows = group[c0 : c0 + chunk]
            p = principal[rows]
            rn = rate_num[rows]
            rdd = rd[rows]
            pmt, pmt_ok = _pmts(np, p, balloon[rows], n, rn, rdd, cache)
            good = pmt_ok & (pmt > 0)
            level[rows] = pmt
            _block(
                np,
                out,
                rows,
                n,
                pmt,
                good,
                p,
                rn,
                rdd,
                start[rows],
                paid[rows],
                as_of,
                rate_den[rows],
                day_count[rows],
            )
            ok[rows] &= good
    ok &= level > 0

    # -- the last qualifying payment (at least 90 % of the level payment, the default threshold) -------
    qual = pamt * 10 >= 9 * level[ploan]
    last_q = np.zeros(m, dtype=i64)
    if len(ploan):
        if qual.all():
            last_q[ploan[starts]] = last_pay[ploan[starts]]
        else:
            ql, qo = ploan[qual], pord[qual]
            if len(ql):
                qs = np.flatnonzero(np.concatenate(([True], ql[1:] != ql[:-1])))
                last_q[ql[qs]] = np.maximum.reduceat(qo, qs)
    out["last_qualifying_date"] = last_q
    out["ok"] = ok
    return out


_OUT = (
    "principal_balance",
    "accrued_interest",
    "amount_past_due",
    "principal_past_due",
    "interest_past_due",
    "oldest_unpaid_due_date",
    "days_past_due",
    "installments_in_arrears",
    "next_due_date",
    "next_due_amount",
    "payoff_amount",
    "per_diem",
    "paid_to_date",
    "last_payment_date",
    "last_qualifying_date",
    "credit_balance",
)


def _block(
    np: Any,
    out: dict[str, Any],
    rows: Any,
    n: int,
    pmt: Any,
    good: Any,
    note: Any,
    rn: Any,
    rd: Any,
    start: Any,
    paid: Any,
    as_of: int,
    ad: Any,
    dcs: Any,
) -> None:
    """The schedules of one block of loans of term ``n`` and every status field read off them.

    A loan whose level payment covers the first period's interest amortizes from the start: its
    balance never grows, so no later period's interest exceeds the first's, and every installment but
    the last is the level payment (the sum of the first ``k`` is ``k * pmt``). Only the interest
    is kept per installment: ``ci[k]``, the interest of the first ``k`` (one row per installment, a
    row holds the whole block). The balance reaches zero early (``amortize`` would re-plan) exactly
    when the balance before the last installment is not positive. Other loans are flagged.
    """
    i64 = np.int64
    g = len(rows)
    rn2 = 2 * rn
    rd2 = 2 * rd
    ci = np.empty((n + 1, g), dtype=i64)
    ci[0] = 0
    bal = note.copy()
    interest = np.empty(g, dtype=i64)
    for k in range(n):
        np.multiply(bal, rn2, out=interest)
        interest += rd
        np.floor_divide(interest, rd2, out=interest)  # half-up: (2 * bal * r + 1) // 2 in exact fractions
        np.add(ci[k], interest, out=ci[k + 1])
        if k == 0:
            good &= (pmt >= interest) & (note > 0)
        if k < n - 1:
            bal -= pmt
            bal += interest
    good &= bal > 0  # the balance before the last installment: positive, or the loan pays off early
    last = bal + interest
    good &= last > 0
    total = (n - 1) * pmt + last
    safe_pmt = np.where(pmt > 0, pmt, 1)

    def through(j: Any) -> Any:
        """The sum of the first ``j`` installments."""
        return np.where(j >= n, total, j * pmt)

    # due dates: computed once per distinct start date of the block
    ustart, inv = np.unique(start, return_inverse=True)
    inv = inv.reshape(-1)
    ks = np.arange(1, n + 1, dtype=i64)
    due_u = add_months_columns(np, ustart[:, None], ks[None, :])  # (distinct starts, n)
    good &= (due_u[:, -1] <= _dt.date.max.toordinal())[inv]
    past = (due_u < as_of).sum(axis=1)[inv]  # installments due before as_of
    n_due = (due_u <= as_of).sum(axis=1)[inv]

    idx = np.arange(g)
    credit = np.maximum(paid - total, 0)  # paid beyond the schedule: a credit balance
    t = np.minimum(paid, total)
    # installments paid in full (clipped: a flagged loan's numbers may be anything, its indices stay in range)
    k = np.clip(np.minimum(t // safe_pmt, n - 1) + (t >= total), 0, n)
    kk = np.minimum(k, n - 1)
    cp_k = through(k)
    ci_k = ci[k, idx]
    x = t - cp_k  # paid into installment k
    si_kk = ci[kk + 1, idx] - ci[kk, idx]
    ip_k = np.where(k < n, np.minimum(si_kk, x), 0)
    interest_paid = ci_k + ip_k
    balance = note - (t - interest_paid)
    apd = np.maximum(through(past) - t, 0)
    behind = k < past
    ipd = np.where(behind, ci[past, idx] - ci_k - ip_k, 0)
    oldest = np.where(behind, due_u[inv, kk], 0)
    dpd = np.where(behind, as_of - oldest, 0)
    arrears = np.where(behind, past - k, 0)
    nxt = np.maximum(past, k)
    has_next = nxt < n
    nx = np.minimum(nxt, n - 1)
    next_date = np.where(has_next, due_u[inv, nx], 0)
    next_amt = np.where(has_next, through(nx + 1) - np.maximum(t, through(nx)), 0)

    # interest earned to as_of: whole installments due, plus the current period pro rata (day count)
    earned = ci[n_due, idx]
    open_ = n_due < n
    nd = np.minimum(n_due, n - 1)
    prev = np.where(n_due > 0, due_u[inv, np.maximum(n_due - 1, 0)], start)
    nxt_due = due_u[inv, nd]
    active = open_ & (as_of > prev)
    if active.any():
        span = nxt_due - prev  # ACT/360, ACT/365F: actual days
        done = as_of - prev
        thirty = active & (dcs < 2)  # the 30/360 family: once per distinct (day count, period)
        if thirty.any():
            rows30 = np.nonzero(thirty)[0]
            key = (dcs[rows30] * (len(ustart) + 1) + inv[rows30]) * (n + 1) + n_due[rows30]
            ukey, first, back = np.unique(key, return_index=True, return_inverse=True)
            us, ud = np.empty(len(ukey), dtype=i64), np.empty(len(ukey), dtype=i64)
            as_of_date = _dt.date.fromordinal(as_of)
            for u, j in enumerate(rows30[first].tolist()):
                day_count = FAST_DAY_COUNTS[int(dcs[j])]
                pa, pb = _dt.date.fromordinal(int(prev[j])), _dt.date.fromordinal(int(nxt_due[j]))
                us[u], ud[u] = day_count.days(pa, pb), day_count.days(pa, as_of_date)
            span[rows30] = us[back.reshape(-1)]
            done[rows30] = ud[back.reshape(-1)]
        use = active & (span > 0) & (done > 0)
        part = ci[nd + 1, idx] - ci[nd, idx]
        num = part * np.minimum(done, span)
        safe_span = np.where(use, span, 1)
        earned += np.where(use, (2 * num + safe_span) // (2 * safe_span), 0)
    owed = earned - interest_paid
    basis = np.where((dcs == _ACT_365F), 365, 360)
    per_den = ad * basis
    per_diem = (2 * balance * rn + per_den) // (2 * per_den)
    good &= balance.astype(np.float64) * np.maximum(rn, 1) * 2.0 < _LIMIT

    out["principal_balance"][rows] = balance
    out["accrued_interest"][rows] = np.maximum(owed, 0)
    out["amount_past_due"][rows] = apd
    out["interest_past_due"][rows] = ipd
    out["principal_past_due"][rows] = apd - ipd
    out["oldest_unpaid_due_date"][rows] = oldest
    out["days_past_due"][rows] = dpd
    out["installments_in_arrears"][rows] = arrears
    out["next_due_date"][rows] = next_date
    out["next_due_amount"][rows] = next_amt
    out["payoff_amount"][rows] = np.maximum(balance + owed - credit, 0)
    out["per_diem"][rows] = per_diem
    out["credit_balance"][rows] = credit


_ACT_365F = FAST_DAY_COUNTS.index(DayCount.ACT_365F)
