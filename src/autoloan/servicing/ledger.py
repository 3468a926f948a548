"""The posting engine: apply a payment history to the contract and report the account status.

Two accrual models, chosen by ``terms.method``:

* **scheduled** (every method except ``simple_interest``): the schedule from
  :func:`autoloan.amortize` fixes each installment's principal, interest and fees;
  payments are allocated to them by the waterfall. Late fees and 罚息 are added per
  installment. This is how Chinese bank and consumer-finance systems service
  等额本息 / 等额本金 car loans.
* **daily simple interest** (``simple_interest``): interest accrues every day on the
  actual principal balance between actual posting dates (per diem = balance × rate /
  365 under ACT/365F), so an early payment saves interest, a late one costs more and the
  last payment trues up (GM Financial, Chase and Southeast Toyota Finance explain the
  method this way; Federal Reserve leasing guide: paying after the due date means owing
  "an additional amount after the last scheduled payment"). The scheduled payments still
  define what is due and when, for days past due.

All arithmetic inside the loop is on integers (minor units; rates as exact fractions);
Decimals appear only at the boundary.

>>> from datetime import date
>>> from autoloan import LoanTerms, amortize
>>> from autoloan.servicing import Payment, account_status
>>> terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 15))
>>> pay = amortize(terms)[0].payment
>>> st = account_status(terms, [Payment(date(2026, 2, 15), pay)], as_of=date(2026, 3, 20))
>>> st.days_past_due, st.amount_past_due == pay, st.installments_in_arrears
(5, True, 1)
"""

from __future__ import annotations

import datetime as _dt
import itertools
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from autoloan.amortization import LoanTerms, Method, amortize
from autoloan.dates import DayCount, coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, Rounding, currency, round_fraction, to_minor
from autoloan.servicing.fees import FeeBasis, LateFeeRule, PenaltyInterestRule
from autoloan.servicing.payment import Payment
from autoloan.servicing.rules import PartialPayment, ServicingRules
from autoloan.servicing.status import AccountStatus, _Detail
from autoloan.servicing.waterfall import Overpayment, Processing

__all__ = ["account_status"]

_DEFAULT_RULES = ServicingRules()
_ACT_ACT_DEN = 365 * 366


@dataclass(frozen=True, slots=True)
class _Plan:
    """The contract in integer columns, cached per LoanTerms."""

    terms: LoanTerms
    code: str
    digits: int
    scale: int
    n: int
    dates: tuple[_dt.date, ...]
    ords: tuple[int, ...]
    sp: tuple[int, ...]
    si: tuple[int, ...]
    sf: tuple[int, ...]
    pay: tuple[int, ...]
    note: int
    rn: int
    rd: int
    simple: bool
    r78: bool
    flat: bool
    level: int
    charge: int
    start: _dt.date
    start_ord: int
    cum_int: tuple[int, ...]
    zero: Decimal
    day_count: DayCount
    basis_den: int
    rounding: Rounding


def _dc_num(dc: DayCount, a: _dt.date, b: _dt.date) -> int:
    """Year fraction numerator over the plan's ``basis_den`` (exact)."""
    if dc is DayCount.ACT_365F or dc is DayCount.ACT_360:
        return b.toordinal() - a.toordinal()
    if dc is DayCount.ACT_ACT:
        f = dc.fraction(a, b) * _ACT_ACT_DEN
        return f.numerator // f.denominator
    return dc.days(a, b)


def _basis_den(dc: DayCount) -> int:
    if dc is DayCount.ACT_365F:
        return 365
    if dc is DayCount.ACT_ACT:
        return _ACT_ACT_DEN
    return 360


@lru_cache(maxsize=2048)
def _plan(terms: LoanTerms) -> _Plan:
    sched = amortize(terms)
    cur = currency(terms.currency)
    sp = tuple(sched.minor_units("principal"))
    si = tuple(sched.minor_units("interest"))
    sf = tuple(sched.minor_units("fees"))
    pay = tuple(p + i + f for p, i, f in zip(sp, si, sf, strict=True))
    dates = tuple(sched.due_dates)
    rn, rd = terms.annual_rate.as_integer_ratio()
    dc = terms.day_count
    assert dc is not None
    level = int(sched.level_payment.scaleb(cur.minor_units))
    return _Plan(
        terms=terms,
        code=cur.code,
        digits=cur.minor_units,
        scale=cur.scale,
        n=len(dates),
        dates=dates,
        ords=tuple(d.toordinal() for d in dates),
        sp=sp,
        si=si,
        sf=sf,
        pay=pay,
        note=sum(sp),
        rn=rn,
        rd=rd,
        simple=terms.method is Method.SIMPLE_INTEREST,
        r78=terms.method is Method.RULE_OF_78,
        flat=terms.method is Method.FLAT,
        level=level if level > 0 else max(pay),
        charge=sum(si),
        start=terms.start,
        start_ord=terms.start.toordinal(),
        cum_int=tuple(itertools.accumulate(si, initial=0)),
        zero=Decimal(0).scaleb(-cur.minor_units),
        day_count=dc,
        basis_den=_basis_den(dc),
        rounding=terms.rounding,
    )


def _resolve(payments: Iterable[Payment], as_of_ord: int, digits: int) -> list[tuple[int, int, str, Payment]]:
    """Payments counted on ``as_of``: reversals applied, sorted canonically (date, amount, reference)."""
    if isinstance(payments, Payment | str | bytes):
        raise InvalidInput("payments", payments, "must be a sequence of Payment")
    try:
        items = list(payments)
    except TypeError:
        raise InvalidInput("payments", payments, "must be a sequence of Payment") from None
    refs: list[str] = []
    reversals: list[int] = []
    out: list[tuple[int, int, str, int, Payment]] = []
    for i, p in enumerate(items):
        if type(p) is not Payment and not isinstance(p, Payment):
            raise InvalidInput(f"payments[{i}]", p, "must be a Payment")
        ref = p.reference
        if ref is not None:
            refs.append(ref)
        if p.reversal_of is not None:
            reversals.append(i)
            continue
        cached = p._minor
        units = cached[1] if cached[0] == digits else p.minor_units(digits)  # validates the precision
        if p._ord <= as_of_ord:
            out.append((p._ord, units, ref or "", i, p))
    if len(set(refs)) != len(refs):
        seen: set[str] = set()
        for i, p in enumerate(items):
            if p.reference is not None:
                if p.reference in seen:
                    raise InvalidInput(f"payments[{i}].reference", p.reference, "is used by two payments")
                seen.add(p.reference)
    if reversals:
        by_ref = {p.reference: p for p in items if p.reference is not None}
        undone: dict[str, int] = {}
        for i in reversals:
            r = items[i]
            target_ref = r.reversal_of
            assert target_ref is not None
            target = by_ref.get(target_ref)
            field = f"payments[{i}]"
            if target is None:
                raise InvalidInput(field + ".reversal_of", target_ref, "no payment has this reference")
            if target.reversal_of is not None:
                raise InvalidInput(field + ".reversal_of", target_ref, "a reversal cannot itself be reversed")
            if target_ref in undone:
                raise InvalidInput(field + ".reversal_of", target_ref, "this payment is already reversed")
            if r.date < target.date:
                raise InvalidInput(
                    field + ".date", r.date, f"is before the payment it reverses ({target.date})"
                )
            if r.amount != target.amount:
                raise InvalidInput(
                    field + ".amount", r.amount, f"must equal the reversed payment ({target.amount})"
                )
            undone[target_ref] = r._ord
        out = [e for e in out if not (e[2] and undone.get(e[2], as_of_ord + 1) <= as_of_ord)]
    out.sort()
    return [(o, u, r, p) for o, u, r, _, p in out]


@lru_cache(maxsize=256)
def _fee_params(rule: LateFeeRule, code: str) -> tuple[int, int, int, int, int | None, bool]:
    pn, pd = rule.percent.as_integer_ratio()
    return (
        to_minor(rule.flat, code, "late_fee.flat"),
        pn,
        pd,
        to_minor(rule.minimum, code, "late_fee.minimum"),
        to_minor(rule.maximum, code, "late_fee.maximum") if rule.maximum is not None else None,
        rule.basis is FeeBasis.INSTALLMENT,
    )


@lru_cache(maxsize=256)
def _daily(rule: PenaltyInterestRule, annual_rate: Decimal) -> tuple[int, int]:
    f = rule.daily_fraction(annual_rate)
    return f.numerator, f.denominator


def account_status(
    terms: LoanTerms,
    payments: Iterable[Payment],
    as_of: _dt.date,
    *,
    rules: ServicingRules | None = None,
) -> AccountStatus:
    """The status of the loan on ``as_of`` given the payments received.

    Pure: the same inputs give the same answer; payments may be given in any
    order (same-day payments are posted in a canonical order); payments dated
    after ``as_of`` are ignored; a reversal dated on or before ``as_of`` removes
    its payment from the history.

    >>> from datetime import date
    >>> from autoloan import LoanTerms, amortize
    >>> from autoloan.servicing import Payment, account_status
    >>> t = LoanTerms(principal=150000, annual_rate="0.0435", term=60, start=date(2026, 1, 15))
    >>> s = amortize(t)
    >>> st = account_status(t, [Payment(date(2026, 2, 15), s[0].payment)], date(2026, 3, 15))
    >>> st.days_past_due, st.next_due_date, st.next_due_amount == s[1].payment
    (0, datetime.date(2026, 3, 15), True)
    >>> account_status(t, [], date(2026, 3, 1)).days_past_due
    14
    """
    if not isinstance(terms, LoanTerms):
        raise InvalidInput("terms", terms, "must be a LoanTerms")
    as_of = coerce_date(as_of, "as_of")
    if rules is None:
        rules = _DEFAULT_RULES
    elif not isinstance(rules, ServicingRules):
        raise InvalidInput("rules", rules, "must be a ServicingRules")
    plan = _plan(terms)
    as_of_ord = as_of.toordinal()
    pays = _resolve(payments, as_of_ord, plan.digits)
    return _post(plan, pays, as_of, as_of_ord, rules)


def _post(
    plan: _Plan,
    pays: list[tuple[int, int, str, Payment]],
    as_of: _dt.date,
    as_of_ord: int,
    rules: ServicingRules,
) -> AccountStatus:
    n = plan.n
    ords = plan.ords
    simple = plan.simple
    rounding = plan.rounding
    code = plan.code
    if pays and pays[0][0] < plan.start_ord:
        first = pays[0][3]
        raise InvalidInput("payments.date", first.date, f"is before the loan start ({plan.start})")
    # remaining amounts per installment, by component: penalty, fees (late + scheduled), interest, principal
    rpen = [0] * n
    rfee = list(plan.sf)
    ri = list(plan.si)
    rp = list(plan.sp)
    R = (rpen, rfee, ri, rp)
    cov = list(plan.pay) if simple else rp  # simple interest: installment amount not yet covered
    late = [0] * n
    fee_paid = [0] * n
    pen_num = [0] * n
    pen = [0] * n
    pen_at = list(ords)  # 罚息 settled up to this day (it starts on the due date)
    paid_on = [0] * n
    waived = [0] * n
    late_paid_total = 0  # late fees collected so far
    allocs: list[tuple[Payment, int, list[int]]] = []

    wf = rules.waterfall
    past_order, due_order, future_order, flat_steps = wf._index
    component_first = wf.processing is Processing.COMPONENT_FIRST
    prepay_next = wf.overpayment is Overpayment.PREPAY_NEXT

    late_rule = rules.late_fee
    late_after = late_rule.grace_days + 1 if late_rule is not None else 0
    if late_rule is not None:
        fee_flat, fee_pn, fee_pd, fee_min, fee_max, fee_on_installment = _fee_params(late_rule, code)
        fee_pyramiding = late_rule.pyramiding
    pen_rule = rules.penalty
    if pen_rule is not None:
        pn, pd = _daily(pen_rule, plan.terms.annual_rate)
        compound = pen_rule.compound
    else:
        pn, pd, compound = 0, 1, False
    thr_n, thr_d = rules.threshold.as_integer_ratio()
    use_threshold = rules.partial_payment is PartialPayment.THRESHOLD
    materiality = rules.materiality
    dc = plan.day_count
    basis_den = plan.basis_den
    rn, rd = plan.rn, plan.rd
    level_q = thr_n * plan.level
    pay_col = plan.pay

    past = 0  # installments due before the day being posted
    lo = 0  # installments below lo owe nothing
    last_t = 0
    fee_next = 0
    diverted = 0  # late fees paid out of money that installments still needed (16 CFR 444.4): not arrears
    t = 0
    P = plan.note  # simple interest: principal balance
    int_unpaid = 0  # simple interest: interest accrued at postings and not yet paid
    last_post = plan.start
    last_post_ord = plan.start_ord
    actual_days = dc is DayCount.ACT_365F or dc is DayCount.ACT_360
    half_up = rounding is Rounding.HALF_UP
    si_den = rd * basis_den
    mat_since = 0

    def sched_rem(i: int) -> int:
        if simple:
            return cov[i]
        unpaid_late = late[i] - fee_paid[i]
        return rp[i] + ri[i] + rfee[i] - (unpaid_late if unpaid_late > 0 else 0)

    def advance(day: int) -> None:
        """Move to ``day``: accrue 罚息 and assess late fees (before that day's payments)."""
        nonlocal past, lo, last_t, fee_next
        while past < n and ords[past] < day:
            past += 1
        if late_rule is not None:
            k = fee_next
            while k < n and ords[k] + late_after <= day:
                unpaid = sched_rem(k)
                if unpaid > 0 and use_threshold and k < k_thr:
                    unpaid = 0  # a full payment under the loan's partial-payment rule: not delinquent
                if unpaid > 0 and diverted and not fee_pyramiding:
                    # 16 CFR 444.4(a): no late charge on a payment that is otherwise a full payment for the
                    # period, made by the end of its grace period, when the only delinquency is earlier late
                    # fees: the period's payments cover the installment, and the whole shortfall through
                    # this installment is no more than the late fees taken out of installment money.
                    hi = ords[k] + late_after - 1
                    low = ords[k - 1] + late_after - 1 if k else plan.start_ord - 1
                    in_window = pay_cum[bisect_right(pay_ords, hi)] - pay_cum[bisect_right(pay_ords, low)]
                    if in_window >= pay_col[k] and shortfall_within(k + 1, diverted):
                        unpaid = 0
                if unpaid > 0:
                    base = pay_col[k] if fee_on_installment else unpaid
                    fee = fee_flat + round_fraction(base * fee_pn, fee_pd)
                    if fee < fee_min:
                        fee = fee_min
                    if fee_max is not None and fee > fee_max:
                        fee = fee_max
                    late[k] = fee
                    rfee[k] += fee
                k += 1
            fee_next = k
        last_t = day
        while lo < past and not cov[lo] and not rpen[lo] and not rfee[lo] and (simple or not ri[lo]):
            lo += 1

    def shortfall_within(stop: int, budget: int) -> bool:
        """Whether the installments below ``stop`` are short by no more than ``budget`` in all."""
        total = 0
        for j in range(lo, stop):
            total += sched_rem(j)
            if total > budget:
                return False
        return True

    def shortfall(stop: int) -> int:
        return sum(sched_rem(j) for j in range(lo, stop))

    def settle(i: int, day: int) -> None:
        """Bring installment ``i``'s 罚息 up to ``day``. The base only changes when the installment is
        paid, so accrual is settled lazily: before a payment touches it, and at the end. The numerator
        is exact and rounded half up as a whole, so settling more or less often gives the same cents."""
        at = pen_at[i]
        if day > at:
            base = cov[i] if simple else rp[i] + (ri[i] if compound else 0)
            if base:
                acc = pen_num[i] + base * (day - at) * pn
                pen_num[i] = acc
                q, r = divmod(acc, pd)
                total = q + 1 if 2 * r >= pd else q  # half up
                rpen[i] += total - pen[i]
                pen[i] = total
            pen_at[i] = day

    def settle_all(day: int) -> None:
        for i in range(lo, past):
            if pen_at[i] < day:
                settle(i, day)

    def pay_fee(i: int, x: int) -> None:
        """Record ``x`` paid to installment ``i``'s fees (its late fee first)."""
        nonlocal late_paid_total
        before = fee_paid[i]
        fee_paid[i] = before + x
        li = late[i]
        if li > before:
            late_paid_total += (before + x if before + x < li else li) - before

    def pay_inst(i: int, order: tuple[int, ...], a: int, parts: list[int]) -> int:
        """Pay installment ``i``'s components in ``order``; returns the money left."""
        if pn and pen_at[i] < t:
            settle(i, t)
        for comp in order:
            lst = R[comp]
            v = lst[i]
            if v:
                x = v if v < a else a
                lst[i] = v - x
                parts[comp] += x
                a -= x
                if comp == 1:
                    pay_fee(i, x)
                if not a:
                    break
        if not paid_on[i] and (not (rp[i] or ri[i] or rfee[i]) or (track_late and not sched_rem(i))):
            paid_on[i] = t
        return a

    def material_now() -> bool:
        assert materiality is not None
        if pn:
            settle_all(t)
        unpaid_late = sum(max(late[i] - fee_paid[i], 0) for i in range(past))
        pdue = sum(sched_rem(i) for i in range(past)) + sum(rpen) + unpaid_late
        if simple:
            expo = P + int_unpaid + sum(rpen) + sum(rfee)
        else:
            expo = sum(rp) + sum(ri[:past]) + sum(rpen) + sum(rfee[:past])
        return materiality.is_material(pdue, expo, plan.scale)

    # simple interest: components that can never be owed are skipped (no 罚息 rule, no fees at all)
    no_fees = late_rule is None and not any(rfee)
    si_order = tuple(c for c in past_order if not (c == 0 and not pn) and not (c == 1 and no_fees))
    # principal ahead of fees or 罚息 (e.g. us_simple_interest): only the installments' share of principal is
    # paid in that step; what is left after the charges reduces principal
    si_cap = 3 in si_order and si_order.index(3) < len(si_order) - 1
    events = [e[0] for e in pays]
    if late_rule is not None:
        pay_ords = events[:]
        pay_cum = list(itertools.accumulate((e[1] for e in pays), initial=0))
    if materiality is not None:
        extra = {o + 1 for o in ords if o + 1 <= as_of_ord}
        if late_rule is not None:
            extra |= {o + late_after for o in ords if o + late_after <= as_of_ord}
        events = sorted(set(events) | extra)
    elif late_rule is not None:
        events = sorted(set(events))
    else:
        events = [e[0] for e in pays]  # no time-driven charges: one step per payment is enough
    timed = late_rule is not None
    track_late = late_rule is not None
    paid_total = credit = interest_paid = 0
    last_pay = last_q = 0
    k_thr = carry = 0
    pi = 0
    npays = len(pays)
    last_event = -1
    for t in events:
        if t != last_event:
            if timed:
                advance(t)
            else:
                while past < n and ords[past] < t:
                    past += 1
                while lo < past and not cov[lo] and not rpen[lo] and not rfee[lo] and (simple or not ri[lo]):
                    lo += 1
            last_event = t
        while pi < npays and pays[pi][0] == t:
            _, amount, _ref, payment = pays[pi]
            pi += 1
            paid_total += amount
            last_pay = t
            if amount * thr_d >= level_q:
                last_q = t
            if use_threshold:
                c = carry + amount
                while k_thr < n and c * thr_d >= thr_n * pay_col[k_thr]:
                    c -= pay_col[k_thr]
                    if c < 0:
                        c = 0
                    k_thr += 1
                carry = c
            cur = past  # the currently due installment: the first with due date >= t
            late_before = late_paid_total
            a = amount
            parts = [0, 0, 0, 0]
            if simple:
                if pn:
                    settle_all(t)  # the penalty base (the uncovered installment amount) changes below
                if t > last_post_ord:
                    day = payment.date
                    num = t - last_post_ord if actual_days else _dc_num(dc, last_post, day)
                    if num > 0:
                        if half_up:
                            q, r = divmod(P * rn * num, si_den)
                            int_unpaid += q + 1 if 2 * r >= si_den else q
                        else:
                            int_unpaid += round_fraction(P * rn * num, si_den, rounding)
                    last_post = day
                    last_post_ord = t
                for comp in si_order:
                    if comp == 2:
                        x = int_unpaid if int_unpaid < a else a
                        int_unpaid -= x
                    elif comp == 3:
                        x = a if a < P else P
                        if si_cap:
                            need = sum(cov[lo : cur + 1 if cur < n else n]) - parts[2]
                            if x > need:
                                x = need if need > 0 else 0
                        P -= x
                    else:
                        lst = R[comp]
                        x = 0
                        for i in range(lo, past + 1 if past < n else n):
                            v = lst[i]
                            if v:
                                y = v if v < a - x else a - x
                                lst[i] = v - y
                                x += y
                                if comp == 1:
                                    pay_fee(i, y)
                                if x == a:
                                    break
                    parts[comp] += x
                    a -= x
                    if not a:
                        break
                if a and si_cap and P:
                    x = a if a < P else P
                    P -= x
                    parts[3] += x
                    a -= x
                # interest and principal paid cover installments, oldest first; beyond the current one
                # only when the waterfall prepays (otherwise the extra is a principal-only payment)
                x_cov = parts[2] + parts[3]
                stop = n if prepay_next else (cur + 1 if cur < n else n)
                i = lo
                while x_cov and i < stop:
                    v = cov[i]
                    if v:
                        y = v if v < x_cov else x_cov
                        cov[i] = v - y
                        x_cov -= y
                        if v == y:
                            paid_on[i] = t
                    i += 1
            else:
                if component_first:
                    due_range = range(cur, cur + 1) if cur < n else range(0)
                    for scope, comp in flat_steps:
                        if scope == 2:
                            continue
                        for i in range(lo, past) if scope == 0 else due_range:
                            a = pay_inst(i, (comp,), a, parts)
                            if not a:
                                break
                        if not a:
                            break
                else:
                    # oldest installment first: one that the money covers is paid in full whatever the
                    # component order, so only the last, partly paid one needs the waterfall's order
                    last = cur if cur < n else n - 1
                    i = lo
                    while i <= last:
                        if pn and pen_at[i] < t:
                            settle(i, t)
                        tot = rpen[i] + rfee[i] + ri[i] + rp[i]
                        if tot <= a:
                            if tot:
                                if rpen[i]:
                                    parts[0] += rpen[i]
                                    rpen[i] = 0
                                if rfee[i]:
                                    parts[1] += rfee[i]
                                    pay_fee(i, rfee[i])
                                    rfee[i] = 0
                                parts[2] += ri[i]
                                parts[3] += rp[i]
                                ri[i] = rp[i] = 0
                                a -= tot
                            if not paid_on[i]:
                                paid_on[i] = t
                            i += 1
                            if not a:
                                break
                        else:
                            a = pay_inst(i, past_order if i < past else due_order, a, parts)
                            break
                if a and cur + 1 < n:
                    if prepay_next:
                        for i in range(cur + 1, n):
                            a = pay_inst(i, future_order, a, parts)
                            if not a:
                                break
                    else:
                        for i in range(n - 1, cur, -1):
                            a = pay_inst(i, (3,), a, parts)
                            if not rp[i] and ri[i]:
                                # principal fully prepaid: its scheduled interest is never earned
                                waived[i] += ri[i]
                                ri[i] = 0
                                if not paid_on[i] and not sched_rem(i):
                                    paid_on[i] = t
                            if not a:
                                break
                if a:  # safety net: anything still owed anywhere, oldest first
                    for i in range(lo, n):
                        a = pay_inst(i, (0, 1, 2, 3), a, parts)
                        if not a:
                            break
            if track_late and (diverted or late_paid_total != late_before):
                # late fees this payment paid while its installments stayed short count as installment money
                # for past-due status (the shortfall they left is capped by what is actually short)
                short = shortfall(cur + 1 if cur < n else n)
                diverted += late_paid_total - late_before
                if diverted > short:
                    diverted = short
            interest_paid += parts[2]
            credit += a
            parts.append(a)
            allocs.append((payment, amount, parts))
        if materiality is not None:
            if material_now():
                if not mat_since:
                    mat_since = t
            else:
                mat_since = 0
    t = as_of_ord
    advance(as_of_ord)
    if pn:
        settle_all(as_of_ord)
    if materiality is not None:
        if material_now():
            if not mat_since:
                mat_since = as_of_ord
        else:
            mat_since = 0

    # -- figures on as_of ------------------------------------------------------------------------------
    rebate = 0
    any_late = late_rule is not None and any(late)
    if simple:
        num = _dc_num(dc, last_post, as_of) if as_of > last_post else 0
        accrued = int_unpaid + (round_fraction(P * rn * num, rd * basis_den, rounding) if num > 0 else 0)
        left = P + accrued
        rem_si = [0] * n
        for i in range(n):
            v = cov[i] if cov[i] < left else left
            rem_si[i] = v
            left -= v
        if as_of_ord >= ords[-1]:
            rem_si[-1] += left  # the last payment trues up
        principal_balance = P
        day_basis = 365 if dc is DayCount.ACT_ACT else basis_den
        per_diem = round_fraction(P * rn, rd * day_basis, rounding)
        pd_total = sum(rem_si[:past])
        remaining: list[int] | _Remaining = rem_si
        int_pd = accrued if accrued < pd_total else pd_total
        prin_pd = pd_total - int_pd
        owed_interest = accrued
    else:
        principal_balance = sum(rp)
        remaining = _Remaining(rp, ri, rfee, late, fee_paid, any_late)
        n_due = past
        while n_due < n and ords[n_due] <= as_of_ord:
            n_due += 1
        si = plan.si
        total_waived = sum(waived)
        if plan.r78:
            k = n - n_due
            rebate = round_fraction(plan.charge * k * (k + 1), n * (n + 1))
            earned = plan.charge - rebate - total_waived
        else:
            earned = plan.cum_int[n_due] - (sum(waived[:n_due]) if total_waived else 0)
            if n_due < n:
                prev = plan.dates[n_due - 1] if n_due else plan.start
                if as_of > prev:
                    span = _dc_num(dc, prev, plan.dates[n_due])
                    done = _dc_num(dc, prev, as_of)
                    if span > 0 and done > 0:
                        part = si[n_due] - waived[n_due]
                        earned += round_fraction(part * (done if done < span else span), span, rounding)
            if plan.flat:
                rebate = plan.charge - total_waived - earned
        owed_interest = earned - interest_paid  # negative: interest paid ahead, refunded at payoff
        accrued = owed_interest if owed_interest > 0 else 0
        prin_pd = sum(rp[:past])
        int_pd = sum(ri[:past])
        basis = 365 if dc is DayCount.ACT_365F or dc is DayCount.ACT_ACT else 360
        per_diem = round_fraction(principal_balance * rn, rd * basis, rounding)
    fees_pd = sum(rfee[:past]) if past else 0
    if any_late and past:
        # unpaid late fees are owed (fees_due, payoff) but are not arrears: they never make days past due
        fees_pd -= sum(x - y for x, y in zip(late[:past], fee_paid[:past], strict=True) if x > y)
    pen_total = sum(rpen) if pn else 0
    amount_pd = prin_pd + int_pd + fees_pd + pen_total

    # days past due, contractual: the oldest installment not satisfied under the partial-payment rule
    oldest = k_thr if use_threshold and k_thr > lo else lo  # installments below lo owe nothing
    budget = diverted
    while oldest < n and (not remaining[oldest] or (oldest < past and remaining[oldest] <= budget)):
        budget -= remaining[oldest]
        oldest += 1
    if oldest < past:
        dpd = as_of_ord - ords[oldest]
        oldest_date: _dt.date | None = plan.dates[oldest]
        if simple or any_late:
            arrears = sum(1 for i in range(oldest, past) if remaining[i])
        else:
            cols = zip(rp[oldest:past], ri[oldest:past], rfee[oldest:past], strict=True)
            arrears = sum(1 for x, y, z in cols if x or y or z)
    else:
        dpd, oldest_date, arrears = 0, None, 0
    if materiality is not None:
        material_days = as_of_ord - mat_since + 1 if mat_since else 0
        counted = dpd if dpd < material_days else material_days
    else:
        counted = dpd
    delinquent = counted - rules.classification_grace_days
    if delinquent < 0:
        delinquent = 0

    nxt = past
    while nxt < n and not remaining[nxt]:
        nxt += 1
    n_le = past
    while n_le < n and ords[n_le] <= as_of_ord:
        n_le += 1
    fees_now = sum(rfee[:n_le]) if n_le else 0
    payoff = principal_balance + owed_interest + fees_now + pen_total - credit
    if payoff < 0:
        payoff = 0

    neg = -plan.digits
    zero = plan.zero

    def dec(units: int) -> Decimal:
        return Decimal(units).scaleb(neg, CONTEXT) if units else zero

    detail = _Detail(
        allocs=allocs,
        code=code,
        dates=plan.dates,
        late=late,
        late_unpaid=(lambda: [max(x - y, 0) for x, y in zip(late, fee_paid, strict=True)])
        if any_late
        else late,
        paid_on=paid_on,
        past=past,
        pen=pen,
        pen_unpaid=rpen,
        sched_f=plan.sf,
        sched_i=plan.si,
        sched_p=plan.sp,
        sched_rem=remaining if isinstance(remaining, list) else remaining.as_list,
    )
    return AccountStatus(
        as_of,
        code,
        dec(principal_balance),
        dec(accrued),
        dec(amount_pd),
        dec(prin_pd),
        dec(int_pd),
        dec(fees_pd),
        dec(pen_total),
        oldest_date,
        dpd,
        arrears,
        delinquent,
        (as_of_ord - last_q) if last_q else None,
        plan.dates[nxt] if nxt < n else None,
        dec(remaining[nxt] if nxt < n else 0),
        dec(fees_now),
        dec(pen_total),
        dec(payoff),
        dec(rebate),
        dec(per_diem),
        dec(paid_total),
        _dt.date.fromordinal(last_pay) if last_pay else None,
        dec(credit),
        rules.partial_payment,
        detail,
    )


class _Remaining:
    """Scheduled amount still owed per installment, computed on demand (scheduled loans)."""

    __slots__ = ("fee_paid", "late", "rfee", "ri", "rp", "with_late")

    def __init__(
        self,
        rp: list[int],
        ri: list[int],
        rfee: list[int],
        late: list[int],
        fee_paid: list[int],
        with_late: bool,
    ) -> None:
        self.rp, self.ri, self.rfee, self.late, self.fee_paid, self.with_late = (
            rp,
            ri,
            rfee,
            late,
            fee_paid,
            with_late,
        )

    def __getitem__(self, i: int) -> int:
        v = self.rp[i] + self.ri[i] + self.rfee[i]
        if self.with_late:
            unpaid_late = self.late[i] - self.fee_paid[i]
            if unpaid_late > 0:
                v -= unpaid_late
        return v

    def as_list(self) -> list[int]:
        return [self[i] for i in range(len(self.rp))]
