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

Posting is a sequence of named steps over one :class:`_Ledger` (the account being posted):

1. :func:`_resolve` — the payments that count on ``as_of``: reversals applied, canonical order;
2. for every event day, :meth:`_Ledger.advance` — installments falling due, late fees assessed
   (:meth:`_Ledger.assess_late_fees`); 罚息 is settled lazily (:meth:`_Ledger.settle_penalty`);
3. for every payment, accrual and allocation by the waterfall: :meth:`_Ledger.post_simple` for daily
   simple interest; for scheduled interest (fixed by the schedule) :meth:`_Ledger.allocate_oldest_first`
   or :meth:`_Ledger.allocate_by_component`, then :meth:`_Ledger.allocate_overpayment` — or, for a
   plain account (no charges over time, one order), :func:`_plain_status` in one pass, figures included;
4. :func:`_figures` — the as-of figures (interest earned, past due, days past due, payoff).

All arithmetic is on integers (minor units; rates as exact fractions); Decimals appear only at
the boundary.

Posting takes time linear in installments and payments, whatever the rules: each walk over installments
starts where the last one found work (``lo``; per part, ``clear``; ``cov_lo`` for daily simple interest;
``short_lo`` for shortfalls; ``next_open`` and ``tail`` for prepayments), since what an installment owes
only falls (a late fee raising it moves ``clear`` back); 罚息 not yet settled is bounded from exact running
sums (:meth:`_Ledger.unsettled_penalty`) so a materiality check settles every installment only when the
bounds straddle a limit. Schedules with a part below zero (Rule of 78 at high rates) keep the plain walks.

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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import cast

from autoloan.amortization import LoanTerms, Method, amortize
from autoloan.dates import DayCount, coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, Rounding, currency, round_fraction, to_minor
from autoloan.servicing.fees import FeeBasis, LateFeeRule, PenaltyInterestRule
from autoloan.servicing.payment import Payment
from autoloan.servicing.rules import PartialPayment, ServicingRules
from autoloan.servicing.status import AccountStatus, StatusColumns, status_from_values
from autoloan.servicing.waterfall import Overpayment, Part, Processing

__all__ = ["account_status"]

PENALTY, FEES, INTEREST, PRINCIPAL = Part.PENALTY, Part.FEES, Part.INTEREST, Part.PRINCIPAL
ALL_PARTS = (PENALTY, FEES, INTEREST, PRINCIPAL)

_DEFAULT_RULES = ServicingRules()

#: A posted payment: (date ordinal, amount in minor units, reference or "", position given, the Payment).
Posted = tuple[int, int, str, int, Payment]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The contract as integer columns (minor units), cached per LoanTerms."""

    terms: LoanTerms
    currency: str  # ISO code
    digits: int  # decimals of the minor unit
    minor_per_major: int  # minor units in one major unit (100 for USD)
    count: int  # installments
    due_dates: tuple[_dt.date, ...]
    due_ords: tuple[int, ...]  # due dates as ordinals
    principal_due: tuple[int, ...]  # scheduled principal of each installment
    interest_due: tuple[int, ...]  # scheduled interest of each installment
    fees_due: tuple[int, ...]  # scheduled fees of each installment
    installment: tuple[int, ...]  # principal + interest + fees of each installment
    zeros: tuple[int, ...]  # the column of a charge that never arises (read-only)
    has_fees: bool  # any scheduled fee
    negative_parts: bool  # a scheduled part below zero (Rule of 78 at high rates: negative principal)
    principal: int  # amount financed (the principal column's sum)
    rate_num: int  # annual rate = rate_num / rate_den, exactly
    rate_den: int
    simple_interest: bool
    rule_of_78: bool
    flat: bool
    level: int  # the regular installment (the largest one when the schedule has no level payment)
    finance_charge: int  # total scheduled interest
    start: _dt.date
    start_ord: int
    interest_through: tuple[int, ...]  # interest_through[k]: scheduled interest of the first k installments
    principal_through: tuple[int, ...]  # the same for principal,
    fees_through: tuple[int, ...]  # for scheduled fees,
    installment_through: tuple[int, ...]  # and for whole installments
    nonzero_through: tuple[int, ...]  # nonzero_through[k]: installments of a nonzero amount among the first k
    period_start: tuple[_dt.date, ...]  # where each installment's interest period begins
    period_span: tuple[int, ...]  # each period's day-count numerator (over ``basis``)
    period_start_ords: tuple[int, ...]  # period_start as ordinals
    actual_days: bool  # the day count's numerator is the number of days (ACT/365F, ACT/360)
    zero: Decimal  # 0 at the currency's precision
    day_count: DayCount
    basis: int  # year-fraction denominator of the day count
    rounding: Rounding


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
    starts = (terms.start, *dates[:-1])
    return _Plan(
        terms=terms,
        currency=cur.code,
        digits=cur.minor_units,
        minor_per_major=cur.scale,
        count=len(dates),
        due_dates=dates,
        due_ords=tuple(d.toordinal() for d in dates),
        principal_due=sp,
        interest_due=si,
        fees_due=sf,
        installment=pay,
        zeros=(0,) * len(dates),
        has_fees=any(sf),
        negative_parts=min(min(sp), min(si), min(sf)) < 0,
        principal=sum(sp),
        rate_num=rn,
        rate_den=rd,
        simple_interest=terms.method is Method.SIMPLE_INTEREST,
        rule_of_78=terms.method is Method.RULE_OF_78,
        flat=terms.method is Method.FLAT,
        level=level if level > 0 else max(pay),
        finance_charge=sum(si),
        start=terms.start,
        start_ord=terms.start.toordinal(),
        interest_through=tuple(itertools.accumulate(si, initial=0)),
        principal_through=tuple(itertools.accumulate(sp, initial=0)),
        fees_through=tuple(itertools.accumulate(sf, initial=0)),
        installment_through=tuple(itertools.accumulate(pay, initial=0)),
        nonzero_through=tuple(itertools.accumulate((1 if x else 0 for x in pay), initial=0)),
        period_start=starts,
        period_span=tuple(dc.numerator(a, b) for a, b in zip(starts, dates, strict=True)),
        period_start_ords=tuple(d.toordinal() for d in starts),
        actual_days=dc is DayCount.ACT_365F or dc is DayCount.ACT_360,
        zero=Decimal(0).scaleb(-cur.minor_units),
        day_count=dc,
        basis=dc.basis,
        rounding=terms.rounding,
    )


# -- step 1: the payments that count -------------------------------------------------------------------


def _resolve(payments: Iterable[Payment], as_of_ord: int, digits: int) -> list[Posted]:
    """Payments counted on ``as_of``: reversals applied, sorted canonically (date, amount, reference)."""
    if isinstance(payments, Payment | str | bytes):
        raise InvalidInput("payments", payments, "must be a sequence of Payment")
    try:
        items = list(payments)
    except TypeError:
        raise InvalidInput("payments", payments, "must be a sequence of Payment") from None
    refs: set[str] = set()
    nrefs = 0
    reversals: list[int] = []
    keyed: list[Posted] = []
    append = keyed.append
    for i, p in enumerate(items):
        if type(p) is not Payment and not isinstance(p, Payment):
            raise InvalidInput(f"payments[{i}]", p, "must be a Payment")
        ref = p.reference
        if ref is not None:
            refs.add(ref)
            nrefs += 1
        if p.reversal_of is not None:
            reversals.append(i)
            continue
        cached = p.minor
        units = cached[1] if cached[0] == digits else p.minor_units(digits)  # validates the precision
        if p.ordinal <= as_of_ord:
            append((p.ordinal, units, ref or "", i, p))
    if len(refs) != nrefs:
        seen: set[str] = set()
        for i, p in enumerate(items):
            if p.reference is not None:
                if p.reference in seen:
                    raise InvalidInput(f"payments[{i}].reference", p.reference, "is used by two payments")
                seen.add(p.reference)
    if reversals:
        undone = _reversed(items, reversals)
        keyed = [e for e in keyed if not (e[2] and undone.get(e[2], as_of_ord + 1) <= as_of_ord)]
    keyed.sort()
    return keyed


def _reversed(items: list[Payment], reversals: list[int]) -> dict[str, int]:
    """The reference of every reversed payment -> the ordinal of the day it is reversed (validated)."""
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
            raise InvalidInput(field + ".date", r.date, f"is before the payment it reverses ({target.date})")
        if r.amount != target.amount:
            reason = f"must equal the reversed payment ({target.amount})"
            raise InvalidInput(field + ".amount", r.amount, reason)
        undone[target_ref] = r.ordinal
    return undone


# -- rule parameters in integers -----------------------------------------------------------------------


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


# -- the account being posted --------------------------------------------------------------------------


class _Ledger:
    """What each installment still owes, by part, and the running totals of one posting.

    ``owed[part][i]`` is what installment ``i`` still owes of ``part`` (penalty, fees, interest,
    principal). For daily simple interest ``uncovered[i]`` is the part of installment ``i``'s amount
    not yet covered by interest and principal paid (for scheduled loans it is the principal column).
    ``past`` counts the installments due before the day being posted; installments below ``lo`` owe
    nothing.
    """

    __slots__ = (
        "accrual_den",
        "actual_days",
        "allocs",
        "carry",
        "clear",
        "compound",
        "count",
        "cov_lo",
        "cov_past",
        "credit",
        "diverted",
        "done",
        "fee_next",
        "fee_paid",
        "fee_params",
        "fees_sum",
        "half_up",
        "int_unpaid",
        "interest_paid",
        "k_thr",
        "last_pay",
        "last_post",
        "last_post_ord",
        "last_q",
        "late",
        "late_after",
        "late_paid_total",
        "late_rule",
        "late_unpaid",
        "lo",
        "mat_since",
        "materiality",
        "n",
        "owed",
        "owed_past",
        "paid_on",
        "paid_total",
        "past",
        "pay_cum",
        "pay_ords",
        "pen",
        "pen_at",
        "pen_den",
        "pen_num",
        "pen_rate",
        "pen_sum",
        "plan",
        "prepay_next",
        "principal",
        "principal_paid",
        "principal_past",
        "reg",
        "reg_b",
        "reg_c",
        "reg_m",
        "reg_p",
        "rules",
        "short_lo",
        "t",
        "tail",
        "track_late",
        "track_pen",
        "uncovered",
        "use_threshold",
        "waived",
        "waived_total",
    )

    owed: tuple[list[int], list[int], list[int], list[int]]
    uncovered: list[int]
    late: list[int]
    fee_paid: list[int]
    pen_num: list[int]
    pen: list[int]
    pen_at: list[int]

    def __init__(self, plan: _Plan, rules: ServicingRules) -> None:
        n = plan.count
        zeros = cast(list[int], plan.zeros)  # read-only: writing to it would raise
        self.plan = plan
        self.rules = rules
        self.n = n
        self.t = 0  # the day being posted (ordinal)
        late_rule = rules.late_fee
        self.late_rule = late_rule
        self.track_late = late_rule is not None
        self.late_after = late_rule.grace_days + 1 if late_rule is not None else 0
        self.fee_params = _fee_params(late_rule, plan.currency) if late_rule is not None else None
        pen_rule = rules.penalty
        if pen_rule is not None:
            self.pen_rate, self.pen_den = _daily(pen_rule, plan.terms.annual_rate)
            self.compound = pen_rule.compound
        else:
            self.pen_rate, self.pen_den, self.compound = 0, 1, False
        pn = self.pen_rate
        # a column that can never change is the shared read-only zeros
        principal = list(plan.principal_due)
        self.owed = (
            [0] * n if pn else zeros,
            list(plan.fees_due) if plan.has_fees or late_rule is not None else zeros,
            list(plan.interest_due),
            principal,
        )
        self.uncovered = list(plan.installment) if plan.simple_interest else principal
        self.late = [0] * n if late_rule is not None else zeros  # late fee assessed per installment
        self.fee_paid = [0] * n if late_rule is not None else zeros  # fees paid per installment
        self.pen_num = [0] * n if pn else zeros  # exact 罚息 numerator (over pen_den)
        self.pen = [0] * n if pn else zeros  # 罚息 charged so far, rounded
        self.pen_at = list(plan.due_ords) if pn else zeros  # 罚息 settled up to this day
        self.paid_on = [0] * n
        self.waived = [0] * n  # scheduled interest never earned (principal prepaid), per installment
        self.waived_total = 0
        self.late_paid_total = 0  # late fees collected so far
        self.diverted = 0  # late fees paid out of money installments still needed: not arrears
        self.allocs: list[tuple[Payment, int, list[int]]] = []
        self.past = self.lo = self.fee_next = 0
        self.principal = plan.principal  # simple interest: principal balance
        self.int_unpaid = 0  # simple interest: interest accrued at postings and not yet paid
        self.last_post = plan.start
        self.last_post_ord = plan.start_ord
        self.paid_total = self.credit = self.interest_paid = 0
        self.last_pay = self.last_q = 0
        self.k_thr = self.carry = 0  # threshold method: installments satisfied, money carried
        self.use_threshold = rules.partial_payment is PartialPayment.THRESHOLD
        self.prepay_next = rules.waterfall.overpayment is Overpayment.PREPAY_NEXT
        dc = plan.day_count
        self.actual_days = dc is DayCount.ACT_365F or dc is DayCount.ACT_360  # numerator = days
        self.accrual_den = plan.rate_den * plan.basis
        self.half_up = plan.rounding is Rounding.HALF_UP
        self.materiality = rules.materiality
        self.mat_since = 0
        # running sums for materiality (kept only when it is checked), so each check costs O(1):
        # scheduled loans: what installments due before ``past`` owe in all, and of principal;
        # simple interest: their uncovered amounts, all 罚息, all fees, all unpaid late fees
        self.count = rules.materiality is not None
        self.owed_past = self.principal_past = self.principal_paid = 0
        self.cov_past = self.pen_sum = self.late_unpaid = 0
        self.fees_sum = plan.fees_through[-1]
        self.pay_ords: list[int] = []
        self.pay_cum: list[int] = [0]
        self.short_lo = 0  # from lo to short_lo no installment owes any of its scheduled amount
        self.cov_lo = 0  # daily simple interest: every installment before it is covered
        # materiality with 罚息: the 罚息 not yet settled, as one exact sum over the accruing installments
        # (see :meth:`unsettled_penalty`), so a check need not settle every installment
        self.track_pen = self.count and pn != 0 and not plan.negative_parts
        self.reg: list[tuple[int, int, int]] = [(0, 0, 0)] * n if self.track_pen else []
        self.reg_c = self.reg_b = self.reg_p = self.reg_m = 0
        self.done = list(range(n + 1))  # see next_open
        self.tail = n + 1  # reduce principal: from tail on no installment owes principal (n + 1: unknown)
        self.clear = [0, 0, 0, 0]  # per part: from lo to clear[part] no installment owes any of it

    # -- reading ------------------------------------------------------------------------------------------

    def scheduled_left(self, i: int) -> int:
        """What installment ``i`` still owes of its scheduled amount (late fees and 罚息 excluded)."""
        if self.plan.simple_interest:
            return self.uncovered[i]
        owed = self.owed
        v = owed[PRINCIPAL][i] + owed[INTEREST][i] + owed[FEES][i]
        unpaid_late = self.late[i] - self.fee_paid[i]
        return v - unpaid_late if unpaid_late > 0 else v

    def shortfall_capped(self, stop: int, cap: int) -> int:
        """What the installments below ``stop`` still owe of their scheduled amounts, or ``cap`` if less."""
        total = 0
        left = self.scheduled_left
        for j in range(self.first_short(), stop):
            total += left(j)
            if total >= cap:
                return cap
        return total

    def shortfall_within(self, stop: int, budget: int) -> bool:
        """Whether the installments below ``stop`` are short by no more than ``budget`` in all."""
        total = 0
        left = self.scheduled_left
        for j in range(self.first_short(), stop):
            total += left(j)
            if total > budget:
                return False
        return True

    def first_uncovered(self) -> int:
        """Daily simple interest: the first installment from which payments still have something to cover
        (they cover oldest first, so every one before it is covered)."""
        j = self.cov_lo
        cov = self.uncovered
        n = self.n
        while j < n and not cov[j]:
            j += 1
        self.cov_lo = j
        return j

    def first_short(self) -> int:
        """The first installment from ``lo`` on that may still owe part of its scheduled amount. What an
        installment still owes of it only ever falls (no scheduled part below zero), so the run of
        installments owing none of it is remembered and each is read once per posting."""
        j = self.short_lo if self.short_lo > self.lo else self.lo
        if self.plan.negative_parts:
            return self.lo  # a negative part paid raises what is left: nothing to remember
        left = self.scheduled_left
        n = self.n
        while j < n and not left(j):
            j += 1
        self.short_lo = j
        return j

    # -- step 2: time passes ------------------------------------------------------------------------------

    def advance(self, day: int) -> None:
        """Move to ``day``: installments falling due, late fees assessed (before that day's payments)."""
        ords = self.plan.due_ords
        n = self.n
        past = start = self.past
        while past < n and ords[past] < day:
            past += 1
        if self.count and past > start:
            self.count_due(start, past)
        self.past = past
        if self.track_pen:
            for i in range(start, past):
                self.register(i)
        k = self.fee_next
        if self.late_rule is not None and k < n and ords[k] + self.late_after <= day:
            self.assess_late_fees(day)
        self.skip_settled()

    def count_due(self, start: int, stop: int) -> None:
        """Installments ``start`` to ``stop - 1`` fall due: add them to the running sums of arrears."""
        if self.plan.simple_interest:
            self.cov_past += sum(self.uncovered[start:stop])
        else:
            pen, fees, interest, principal = self.owed
            added = sum(principal[start:stop])
            self.principal_past += added
            self.owed_past += added + sum(interest[start:stop]) + sum(fees[start:stop]) + sum(pen[start:stop])

    def skip_settled(self) -> None:
        """Move ``lo`` past installments that owe nothing."""
        lo, past = self.lo, self.past
        pen, fees, interest, _ = self.owed
        cov = self.uncovered
        if self.plan.simple_interest:
            while lo < past and not cov[lo] and not pen[lo] and not fees[lo]:
                lo += 1
        else:
            while lo < past and not cov[lo] and not pen[lo] and not fees[lo] and not interest[lo]:
                lo += 1
        self.lo = lo

    def assess_late_fees(self, day: int) -> None:
        """Charge the late fee of every installment whose grace period ended before ``day`` unpaid.

        16 CFR 444.4(a) (FTC Credit Practices Rule): no delinquency charge on a payment that is otherwise a
        full payment for the period, made by the end of its grace period, when the only delinquency is
        earlier late fees: the period's payments cover the installment, and the whole shortfall through this
        installment is no more than the late fees taken out of installment money."""
        rule = self.late_rule
        assert rule is not None and self.fee_params is not None
        flat, pct_num, pct_den, minimum, maximum, on_installment = self.fee_params
        ords = self.plan.due_ords
        pay_col = self.plan.installment
        late_after = self.late_after
        fees = self.owed[FEES]
        n = self.n
        k = self.fee_next
        while k < n and ords[k] + late_after <= day:
            unpaid = self.scheduled_left(k)
            if unpaid > 0 and self.use_threshold and k < self.k_thr:
                unpaid = 0  # a full payment under the loan's partial-payment rule: not delinquent
            if unpaid > 0 and self.diverted and not rule.pyramiding:
                hi = ords[k] + late_after - 1
                low = ords[k - 1] + late_after - 1 if k else self.plan.start_ord - 1
                pay_ords, pay_cum = self.pay_ords, self.pay_cum
                in_window = pay_cum[bisect_right(pay_ords, hi)] - pay_cum[bisect_right(pay_ords, low)]
                if in_window >= pay_col[k] and self.shortfall_within(k + 1, self.diverted):
                    unpaid = 0
            if unpaid > 0:
                base = pay_col[k] if on_installment else unpaid
                fee = flat + round_fraction(base * pct_num, pct_den)
                if fee < minimum:
                    fee = minimum
                if maximum is not None and fee > maximum:
                    fee = maximum
                self.late[k] = fee
                fees[k] += fee
                if fee and k < self.clear[FEES]:
                    self.clear[FEES] = k  # it owes fees again
                if self.count:
                    self.owed_past += fee
                    self.fees_sum += fee
                    left = fee - self.fee_paid[k]
                    if left > 0:
                        self.late_unpaid += left
            k += 1
        self.fee_next = k

    def settle_penalty(self, i: int, day: int) -> None:
        """Bring installment ``i``'s 罚息 up to ``day``. The base only changes when the installment is
        paid, so accrual is settled lazily: before a payment touches it, and at the end. The numerator
        is exact and rounded half up as a whole, so settling more or less often gives the same cents."""
        at = self.pen_at[i]
        if day > at:
            if self.plan.simple_interest:
                base = self.uncovered[i]
            else:
                owed = self.owed
                base = owed[PRINCIPAL][i] + (owed[INTEREST][i] if self.compound else 0)
            if base:
                acc = self.pen_num[i] + base * (day - at) * self.pen_rate
                self.pen_num[i] = acc
                d = self.pen_den
                q, r = divmod(acc, d)
                total = q + 1 if 2 * r >= d else q  # half up
                self.owed[PENALTY][i] += total - self.pen[i]
                if self.count:
                    self.pen_sum += total - self.pen[i]
                    if i < self.past:
                        self.owed_past += total - self.pen[i]
                self.pen[i] = total
            self.pen_at[i] = day
            if self.track_pen:
                self.register(i)

    def settle_all_penalties(self, day: int) -> None:
        pen_at = self.pen_at
        for i in range(self.lo, self.past):
            if pen_at[i] < day:
                self.settle_penalty(i, day)

    # -- step 3: payments ---------------------------------------------------------------------------------

    def pay_fee(self, i: int, x: int) -> None:
        """Record ``x`` paid to installment ``i``'s fees (its late fee first)."""
        before = self.fee_paid[i]
        self.fee_paid[i] = before + x
        li = self.late[i]
        if li > before:
            late_paid = (before + x if before + x < li else li) - before
            self.late_paid_total += late_paid
            if self.count:
                self.late_unpaid -= late_paid

    def pay_installment(self, i: int, order: tuple[Part, ...], a: int, parts: list[int]) -> int:
        """Pay installment ``i``'s parts in ``order``; returns the money left."""
        if self.pen_rate and self.pen_at[i] < self.t:
            self.settle_penalty(i, self.t)
        owed = self.owed
        for part in order:
            col = owed[part]
            v = col[i]
            if v:
                x = v if v < a else a
                col[i] = v - x
                parts[part] += x
                a -= x
                if part is FEES and self.track_late:
                    self.pay_fee(i, x)
                if self.count:
                    self.count_paid(i, part, x)
                if not a:
                    break
        if not self.paid_on[i]:
            _, fees, interest, principal = owed
            cleared = not (principal[i] or interest[i] or fees[i])
            if cleared or (self.track_late and not self.scheduled_left(i)):
                self.paid_on[i] = self.t
        if self.track_pen:
            self.register(i)  # its 罚息 base may have changed
        return a

    def count_paid(self, i: int, part: Part, x: int) -> None:
        """``x`` of ``part`` of installment ``i`` paid: take it off the running sums of arrears."""
        if part is PRINCIPAL:
            self.principal_paid += x
            if i < self.past:
                self.principal_past -= x
        elif part is PENALTY:
            self.pen_sum -= x
        elif part is FEES:
            self.fees_sum -= x
        if i < self.past:
            self.owed_past -= x

    def post_simple(
        self, a: int, day: _dt.date, cur: int, order: tuple[Part, ...], cap: bool, parts: list[int]
    ) -> int:
        """Daily simple interest: accrue to ``day``, then pay accrued interest, principal, fees and 罚息 in
        the waterfall's order; returns the money left.

        Interest accrues on the principal balance from the last posting to ``day``. With ``cap``
        (principal ahead of fees or 罚息, as in ``us_simple_interest``) the principal step pays only the
        installments' share; what is left after the charges reduces principal."""
        t = self.t
        pn = self.pen_rate  # 罚息 is settled lazily: on an installment before its base or its 罚息 is read
        pen_at = self.pen_at
        principal = self.principal
        unpaid = self.int_unpaid
        if t > self.last_post_ord:
            plan = self.plan
            num = (
                t - self.last_post_ord if self.actual_days else plan.day_count.numerator(self.last_post, day)
            )
            if num > 0:
                den = self.accrual_den
                if self.half_up:
                    q, r = divmod(principal * plan.rate_num * num, den)
                    unpaid += q + 1 if 2 * r >= den else q
                else:
                    unpaid += round_fraction(principal * plan.rate_num * num, den, plan.rounding)
            self.last_post = day
            self.last_post_ord = t
        n = self.n
        lo, past = self.lo, self.past
        cov = self.uncovered
        first = self.first_uncovered()
        if first < lo:
            first = lo
        for part in order:
            if part is INTEREST:
                x = unpaid if unpaid < a else a
                unpaid -= x
            elif part is PRINCIPAL:
                x = a if a < principal else principal
                if cap:
                    # the installments' uncovered amounts (counted only as far as they can matter)
                    enough = x + parts[INTEREST]
                    need = 0
                    for j in range(first, cur + 1 if cur < n else n):
                        need += cov[j]
                        if need >= enough:
                            break
                    need -= parts[INTEREST]
                    if x > need:
                        x = need if need > 0 else 0
                principal -= x
            else:
                col = self.owed[part]
                x = 0
                clear = self.clear
                front = True  # installments from lo to clear[part] owe none of it, and never will
                penalty = part is PENALTY
                for i in range(clear[part] if clear[part] > lo else lo, past + 1 if past < n else n):
                    if penalty and pn and pen_at[i] < t:
                        self.settle_penalty(i, t)
                    v = col[i]
                    if front:
                        if v or (penalty and cov[i]):
                            front = False
                        else:
                            clear[part] = i + 1
                    if v:
                        y = v if v < a - x else a - x
                        col[i] = v - y
                        x += y
                        if part is FEES and self.track_late:
                            self.pay_fee(i, y)
                        if self.count:
                            self.count_paid(i, part, y)
                        if x == a:
                            break
            parts[part] += x
            a -= x
            if not a:
                break
        if a and cap and principal:
            x = a if a < principal else principal
            principal -= x
            parts[PRINCIPAL] += x
            a -= x
        self.principal = principal
        self.int_unpaid = unpaid
        # interest and principal paid cover installments, oldest first; beyond the current one only when
        # the waterfall prepays (otherwise the extra is a principal-only payment)
        x_cov = parts[INTEREST] + parts[PRINCIPAL]
        stop = n if self.prepay_next else (cur + 1 if cur < n else n)
        i = first
        paid_on = self.paid_on
        while x_cov and i < stop:
            v = cov[i]
            if v:
                if pn and pen_at[i] < t:
                    self.settle_penalty(i, t)  # its base changes
                y = v if v < x_cov else x_cov
                cov[i] = v - y
                if self.track_pen:
                    self.register(i)
                x_cov -= y
                if self.count and i < past:
                    self.cov_past -= y
                if v == y:
                    paid_on[i] = t
            i += 1
        return a

    def allocate_by_component(self, a: int, cur: int, parts: list[int]) -> int:
        """Components first (vertical): each (scope, part) step across its installments in turn.

        A past-due step starts at ``clear[part]``: from ``lo`` up to it no installment owes any of the part
        or needs a visit (nothing to settle, nothing to record), so each installment is passed over once per
        posting rather than once per payment."""
        n = self.n
        due_range = range(cur, cur + 1) if cur < n else range(0)
        t = self.t
        pn = self.pen_rate
        pen_at, paid_on = self.pen_at, self.paid_on
        track_late = self.track_late
        owed = self.owed
        _, fees, interest, principal = owed
        compound = self.compound
        clear = self.clear
        lo, past = self.lo, self.past
        remember = not self.plan.negative_parts
        for scope, part in self.rules.waterfall.index.steps:
            if scope == 2:
                continue
            col = owed[part]
            if scope == 0:
                start = clear[part] if clear[part] > lo else lo
                front = remember
                steps = range(start, past)
            else:
                front = False
                steps = due_range
            for i in steps:
                if not col[i] and not (pn and pen_at[i] < t):
                    # nothing of this part owed and no 罚息 to settle: paying it changes nothing unless it
                    # records the installment as paid
                    if paid_on[i]:
                        if front:  # paid: nothing left to accrue 罚息 on either
                            clear[part] = i + 1
                        continue
                    cleared = not (principal[i] or interest[i] or fees[i])
                    if not cleared and not (track_late and not self.scheduled_left(i)):
                        if front:
                            if part is PENALTY and pn and (principal[i] or (compound and interest[i])):
                                front = False  # 罚息 still accrues on it
                            else:
                                clear[part] = i + 1
                        continue
                a = self.pay_installment(i, (part,), a, parts)
                if front:
                    # recorded as paid if it is; passed for good once it owes none of the part (and, for
                    # 罚息, nothing is left to accrue on)
                    if col[i] or (part is PENALTY and pn and (principal[i] or (compound and interest[i]))):
                        front = False
                    else:
                        clear[part] = i + 1
                if not a:
                    return a
        return a

    def allocate_oldest_first(self, a: int, cur: int, parts: list[int]) -> int:
        """Installments first (horizontal), oldest first. An installment the money covers is paid in full
        whatever the part order, so only the last, partly paid one needs the waterfall's order."""
        n = self.n
        last = cur if cur < n else n - 1
        i = self.lo
        t = self.t
        pn = self.pen_rate
        pen, fees, interest, principal = self.owed
        paid_on = self.paid_on
        pen_at = self.pen_at
        while i <= last:
            if pn and pen_at[i] < t:
                self.settle_penalty(i, t)
            tot = pen[i] + fees[i] + interest[i] + principal[i]
            if tot <= a:
                if tot and self.count:
                    self.principal_paid += principal[i]
                    self.pen_sum -= pen[i]
                    self.fees_sum -= fees[i]
                    if i < self.past:
                        self.owed_past -= tot
                        self.principal_past -= principal[i]
                if tot:
                    if pen[i]:
                        parts[PENALTY] += pen[i]
                        pen[i] = 0
                    if fees[i]:
                        parts[FEES] += fees[i]
                        if self.track_late:
                            self.pay_fee(i, fees[i])
                        fees[i] = 0
                    parts[INTEREST] += interest[i]
                    parts[PRINCIPAL] += principal[i]
                    interest[i] = principal[i] = 0
                    if self.track_pen:
                        self.register(i)
                    a -= tot
                if not paid_on[i]:
                    paid_on[i] = t
                i += 1
                if not a:
                    break
            else:
                index = self.rules.waterfall.index
                return self.pay_installment(i, index.past_due if i < self.past else index.due, a, parts)
        return a

    def allocate_overpayment(self, a: int, cur: int, parts: list[int]) -> int:
        """Money left once everything past due and currently due is paid: the next installments in order
        (prepay next) or the principal of the last ones (reduce principal); then anything still owed.

        Installments that owe nothing and are recorded as paid (:meth:`is_done`) are passed over through
        :meth:`next_open`, and the reduce-principal walk starts below ``tail``, so repeated prepayments do not
        walk the installments they already paid."""
        n = self.n
        if cur + 1 < n:
            wf = self.rules.waterfall
            if wf.overpayment is Overpayment.PREPAY_NEXT:
                order = wf.index.not_yet_due
                i = self.next_open(cur + 1)
                while i < n:
                    a = self.pay_installment(i, order, a, parts)
                    self.note_done(i)
                    if not a:
                        break
                    i = self.next_open(i + 1)
            else:
                _, fees, interest, principal = self.owed
                paid_on = self.paid_on
                track_late = self.track_late
                front = not self.plan.negative_parts
                for i in range(self.tail - 1 if front and self.tail <= n else n - 1, cur, -1):
                    a = self.pay_installment(i, (PRINCIPAL,), a, parts)
                    if not principal[i] and interest[i]:
                        # principal fully prepaid: its scheduled interest is never earned
                        self.waived[i] += interest[i]
                        self.waived_total += interest[i]
                        interest[i] = 0
                        if self.track_pen:
                            self.register(i)
                        if not self.paid_on[i] and not self.scheduled_left(i):
                            self.paid_on[i] = self.t
                    if front:
                        # no principal or interest left, and recorded as paid if it can be: a later walk
                        # would change nothing here (what it still owes is paid through pay_installment,
                        # which records it)
                        if (
                            not principal[i]
                            and not interest[i]
                            and (paid_on[i] or (fees[i] and not (track_late and not self.scheduled_left(i))))
                        ):
                            self.tail = i
                        else:
                            front = False
                    if not a:
                        break
        if a:  # safety net: anything still owed anywhere, oldest first
            i = self.next_open(self.lo)
            while i < n:
                a = self.pay_installment(i, ALL_PARTS, a, parts)
                self.note_done(i)
                if not a:
                    break
                i = self.next_open(i + 1)
        return a

    def is_done(self, i: int) -> bool:
        """Installment ``i`` owes nothing and is recorded as paid: for good (no part below zero), and
        paying it changes nothing."""
        pen, fees, interest, principal = self.owed
        return bool(self.paid_on[i]) and not (principal[i] or interest[i] or fees[i] or pen[i])

    def note_done(self, i: int) -> None:
        if self.done[i] == i and not self.plan.negative_parts and self.is_done(i):
            self.done[i] = i + 1

    def next_open(self, i: int) -> int:
        """The first installment from ``i`` on not known to be done (``n`` if none): ``done`` links each
        installment known to be done to a later one, shortened as it is followed (path compression)."""
        done = self.done
        j = i
        while done[j] != j:
            j = done[j]
        while done[i] != j:
            done[i], i = j, done[i]
        return j

    def is_material(self) -> bool:
        """Materiality of the arrears now (past due and exposure, with 罚息 settled to today)."""
        materiality = self.materiality
        assert materiality is not None
        if self.track_pen:
            # 罚息 owed now = pen_sum + the unsettled 罚息, known within a few minor units; the check is
            # monotone in it, so both ends agreeing decides it without settling every installment
            low, high = self.unsettled_penalty()
            pdue, expo = self.arrears()
            scale = self.plan.minor_per_major
            if materiality.is_material(pdue + low, expo + low, scale):
                return True
            if not materiality.is_material(pdue + high, expo + high, scale):
                return False
        if self.pen_rate:
            self.settle_all_penalties(self.t)
        pdue, expo = self.arrears()
        return materiality.is_material(pdue, expo, self.plan.minor_per_major)

    def arrears(self) -> tuple[int, int]:
        """(past due, exposure) from the running sums, with 罚息 as last settled."""
        if self.plan.simple_interest:
            pdue = self.cov_past + self.pen_sum + self.late_unpaid
            expo = self.principal + self.int_unpaid + self.pen_sum + self.fees_sum
        else:
            # past due: everything installments due before today still owe (late fees and 罚息 included);
            # exposure: the principal not yet due on top of that
            pdue = self.owed_past
            expo = self.plan.principal - self.principal_paid - self.principal_past + self.owed_past
        return pdue, expo

    def register(self, i: int) -> None:
        """Bring installment ``i``'s terms in the unsettled-罚息 sums up to date (after a settlement or a
        change of its base). An installment due before today with base ``b`` accrues, by day ``t``, the
        exact numerator ``pen_num + b * rate * (t - pen_at)`` = ``c + b * rate * t`` with
        ``c = pen_num - b * rate * pen_at``; the sums hold ``c``, ``b * rate``, the 罚息 charged at its last
        settlement, and how many installments accrue."""
        if i >= self.past:
            return  # not due yet: registered when it falls due
        if self.plan.simple_interest:
            base = self.uncovered[i]
        else:
            owed = self.owed
            base = owed[PRINCIPAL][i] + (owed[INTEREST][i] if self.compound else 0)
        old_c, old_b, old_p = self.reg[i]
        if base:
            b = base * self.pen_rate
            c = self.pen_num[i] - b * self.pen_at[i]
            p = self.pen[i]
        else:
            b = c = p = 0
        self.reg[i] = (c, b, p)
        self.reg_c += c - old_c
        self.reg_b += b - old_b
        self.reg_p += p - old_p
        self.reg_m += (1 if b else 0) - (1 if old_b else 0)

    def unsettled_penalty(self) -> tuple[int, int]:
        """Bounds on the 罚息 accrued since each installment's last settlement, in all, on day ``t``.

        Each installment's 罚息 is its numerator over ``pen_den`` rounded half up, so within half a minor
        unit of the exact quotient; the sum of ``m`` of them is within ``m / 2`` of the exact sum, which
        the registered sums give in O(1)."""
        m = self.reg_m
        if not m:
            return 0, 0
        d2 = 2 * self.pen_den
        s2 = 2 * (self.reg_c + self.reg_b * self.t)  # twice the exact sum of numerators
        md = m * self.pen_den
        low = (s2 - md) // d2 + 1  # the least integer above (sum - m/2)
        high = (s2 + md) // d2  # the greatest integer at most (sum + m/2)
        return low - self.reg_p, high - self.reg_p

    def note_materiality(self, day: int) -> None:
        if self.is_material():
            if not self.mat_since:
                self.mat_since = day
        else:
            self.mat_since = 0


def _events(ledger: _Ledger, pays: list[Posted], as_of_ord: int) -> list[int]:
    """The days to visit: payment days, and with time-driven charges every due date + 1 and every end of
    a late-fee grace period (materiality can change on those days)."""
    days = [e[0] for e in pays]
    ords = ledger.plan.due_ords
    if ledger.materiality is not None:
        extra = {o + 1 for o in ords if o + 1 <= as_of_ord}
        if ledger.late_rule is not None:
            late_after = ledger.late_after
            extra |= {o + late_after for o in ords if o + late_after <= as_of_ord}
        return sorted(set(days) | extra)
    if ledger.late_rule is not None:
        return sorted(set(days))
    return days  # no time-driven charges: one step per payment is enough


def _post(ledger: _Ledger, pays: list[Posted], as_of_ord: int) -> None:
    """Post every payment, in order, visiting the days on which something changes."""
    plan = ledger.plan
    n = plan.count
    ords = plan.due_ords
    simple = plan.simple_interest
    rules = ledger.rules
    wf = rules.waterfall
    component_first = wf.processing is Processing.COMPONENT_FIRST
    timed = ledger.late_rule is not None or ledger.materiality is not None
    track_late = ledger.track_late
    pn = ledger.pen_rate
    thr_n, thr_d = rules.threshold.as_integer_ratio()
    use_threshold = ledger.use_threshold
    level_q = thr_n * plan.level
    pay_col = plan.installment
    materiality = ledger.materiality
    # simple interest: parts that can never be owed are skipped (no 罚息 rule, no fees at all)
    no_fees = ledger.late_rule is None and not plan.has_fees
    si_order = tuple(
        p for p in wf.index.past_due if not (p is PENALTY and not pn) and not (p is FEES and no_fees)
    )
    # principal ahead of fees or 罚息 (e.g. us_simple_interest): see post_simple
    si_cap = PRINCIPAL in si_order and si_order.index(PRINCIPAL) < len(si_order) - 1
    if timed:
        ledger.pay_ords = [e[0] for e in pays]
        ledger.pay_cum = list(itertools.accumulate((e[1] for e in pays), initial=0))
    events = _events(ledger, pays, as_of_ord)
    pen_col, fee_col, int_col, _ = ledger.owed
    cov = ledger.uncovered
    append = ledger.allocs.append
    allocate = (
        ledger.allocate_by_component if component_first else ledger.allocate_oldest_first
    )  # scheduled loans
    paid_total = credit = interest_paid = last_pay = last_q = carry = 0
    k_thr = 0
    pi = 0
    npays = len(pays)
    last_event = -1
    past = 0
    for t in events:
        if t != last_event:
            ledger.t = t
            if timed:
                ledger.advance(t)
                past = ledger.past
            else:
                while past < n and ords[past] < t:
                    past += 1
                ledger.past = past
                lo = ledger.lo  # skip_settled, inline
                while (
                    lo < past
                    and not cov[lo]
                    and not pen_col[lo]
                    and not fee_col[lo]
                    and (simple or not int_col[lo])
                ):
                    lo += 1
                ledger.lo = lo
            last_event = t
        while pi < npays and pays[pi][0] == t:
            _, amount, _, _, payment = pays[pi]
            pi += 1
            paid_total += amount
            last_pay = t
            if amount * thr_d >= level_q:
                last_q = t
            if use_threshold:
                carry += amount
                while k_thr < n and carry * thr_d >= thr_n * pay_col[k_thr]:
                    carry -= pay_col[k_thr]
                    if carry < 0:
                        carry = 0
                    k_thr += 1
                ledger.k_thr = k_thr
            # ``past`` is the currently due installment: the first with due date >= t
            parts = [0, 0, 0, 0]
            if simple:
                late_before = ledger.late_paid_total
                a = ledger.post_simple(amount, payment.date, past, si_order, si_cap, parts)
            else:
                late_before = ledger.late_paid_total
                a = allocate(amount, past, parts)
                if a:
                    a = ledger.allocate_overpayment(a, past, parts)
            if track_late and (ledger.diverted or ledger.late_paid_total != late_before):
                # late fees this payment paid while its installments stayed short count as installment
                # money for past-due status (capped by what is actually short)
                diverted = ledger.diverted + ledger.late_paid_total - late_before
                ledger.diverted = ledger.shortfall_capped(past + 1 if past < n else n, diverted)
            interest_paid += parts[INTEREST]
            credit += a
            parts.append(a)
            append((payment, amount, parts))
        if materiality is not None:
            ledger.note_materiality(t)
    ledger.paid_total, ledger.credit, ledger.interest_paid = paid_total, credit, interest_paid
    ledger.last_pay, ledger.last_q, ledger.carry = last_pay, last_q, carry
    ledger.t = as_of_ord
    ledger.advance(as_of_ord)
    if pn:
        ledger.settle_all_penalties(as_of_ord)
    if materiality is not None:
        ledger.note_materiality(as_of_ord)


def _is_plain(plan: _Plan, rules: ServicingRules) -> bool:
    """No charges arise over time and every payment fills the installments in one order, oldest first: the
    account after any payments is determined by the money received (see :func:`_plain_status`)."""
    if plan.simple_interest or plan.negative_parts or rules.late_fee is not None:
        return False
    if rules.materiality is not None or (
        rules.penalty is not None and _daily(rules.penalty, plan.terms.annual_rate)[0]
    ):
        return False
    wf = rules.waterfall
    index = wf.index
    return (
        wf.processing is Processing.INSTALLMENT_FIRST
        and wf.overpayment is Overpayment.PREPAY_NEXT
        and index.past_due == index.due == index.not_yet_due
    )


def _plain_status(
    plan: _Plan, rules: ServicingRules, pays: list[Posted], as_of: _dt.date, as_of_ord: int
) -> AccountStatus:
    """The status of a plain account (:func:`_is_plain`) in time linear in the payments.

    Money fills installments in order and each installment's parts in the waterfall's one order, so the
    account after money ``M`` is: installments through ``k`` paid (``installment_through[k] <= M``), the
    next one partly, the rest untouched. Every as-of figure is a difference of the plan's running totals,
    and a payment's parts are the difference of two such states (worked out when the allocations are
    read). Gives the same figures, allocations and paid-on dates as :func:`_post`, which the test suite
    checks."""
    n = plan.count
    ords = plan.due_ords
    through = plan.installment_through
    total = through[n]
    thr_n, thr_d = rules.threshold.as_integer_ratio()
    use_threshold = rules.partial_payment is PartialPayment.THRESHOLD
    level_q = thr_n * plan.level
    pay_col = plan.installment
    paid_on = [0] * n
    # payment, amount, money received before it and with it (in all; above ``total`` it is credit)
    fills: list[tuple[Payment, int, int, int]] = []
    append = fills.append
    last_q = carry = k_thr = 0
    cum = seen = past = 0
    if plan.nonzero_through[n] == n:
        # every installment is of some amount: a payment leaves paid every installment its money reaches to
        # the end of, from the first one not yet paid
        for t, amount, _, _, payment in pays:
            if amount * thr_d >= level_q:
                last_q = t
            reach = cum + amount
            while seen < n and through[seen + 1] <= reach:
                paid_on[seen] = t
                seen += 1
            append((payment, amount, cum, reach))
            cum = reach
    else:
        # installments of no amount are recorded as paid when a payment reaches past their place, unless
        # they fell due while the money stood exactly at it
        lo = 0
        last_day = -1
        for t, amount, _, _, payment in pays:
            if t != last_day:
                past = bisect_left(ords, t, past)  # due dates ascending: the first due on or after t
                money = cum if cum < total else total
                while lo < past and through[lo + 1] <= money:
                    lo += 1
                last_day = t
            if amount * thr_d >= level_q:
                last_q = t
            reach = cum + amount
            # installments this payment reaches with money left and leaves fully paid: paid on t
            i = seen if seen > lo else lo
            while i < n and through[i] < reach and through[i + 1] <= reach:
                if not paid_on[i]:
                    paid_on[i] = t
                i += 1
            seen = i
            append((payment, amount, cum, reach))
            cum = reach
    if use_threshold:
        for _, amount, _, _, _ in pays:
            carry += amount
            while k_thr < n and carry * thr_d >= thr_n * pay_col[k_thr]:
                carry -= pay_col[k_thr]
                if carry < 0:
                    carry = 0
                k_thr += 1
    paid_total = cum
    last_pay = pays[-1][0] if pays else 0
    credit = cum - total if cum > total else 0
    money = cum - credit
    order = _plain_order(rules.waterfall.index.due)
    # the account on as_of: installments below k paid, k partly (f, i, p of it paid), the rest untouched
    k = bisect_right(through, money) - 1
    f = i = p = 0
    if k < n and money > through[k]:
        f, i, p = _split(plan, order, k, money - through[k])
    fees_t, int_t, prin_t = plan.fees_through, plan.interest_through, plan.principal_through
    past = bisect_left(ords, as_of_ord, past)  # installments due before as_of
    lo = k if k < past else past  # below lo nothing is owed
    n_due = bisect_right(ords, as_of_ord, past)  # due on or before as_of
    if k < n:
        rest = money - through[k]
        owed_k = pay_col[k] - rest  # what installment k still owes (> 0)
        principal_balance = prin_t[n] - prin_t[k] - p
        interest_paid = int_t[k] + i
    else:
        rest = owed_k = principal_balance = 0
        interest_paid = int_t[n]

    def owes(j: int) -> int:
        return 0 if j < k else (owed_k if j == k else pay_col[j])

    rounding = plan.rounding
    dc = plan.day_count
    rebate = 0
    if plan.rule_of_78:
        kk = n - n_due
        rebate = round_fraction(plan.finance_charge * kk * (kk + 1), n * (n + 1))
        earned = plan.finance_charge - rebate
    else:
        earned = int_t[n_due]
        if n_due < n:
            prev = plan.period_start_ords[n_due]
            if as_of_ord > prev:
                span = plan.period_span[n_due]
                done = as_of_ord - prev if plan.actual_days else dc.numerator(plan.period_start[n_due], as_of)
                if span > 0 and done > 0:
                    part = plan.interest_due[n_due]
                    earned += round_fraction(part * (done if done < span else span), span, rounding)
        if plan.flat:
            rebate = plan.finance_charge - earned
    owed_interest = earned - interest_paid  # negative: interest paid ahead, refunded at payoff
    accrued = owed_interest if owed_interest > 0 else 0
    if k < past:
        prin_pd = prin_t[past] - prin_t[k] - p
        int_pd = int_t[past] - int_t[k] - i
        fees_pd = fees_t[past] - fees_t[k] - f
    else:
        prin_pd = int_pd = fees_pd = 0
    basis = 365 if dc is DayCount.ACT_365F or dc is DayCount.ACT_ACT else 360
    per_diem = round_fraction(principal_balance * plan.rate_num, plan.rate_den * basis, rounding)
    amount_pd = prin_pd + int_pd + fees_pd

    # days past due, contractual: the oldest installment not satisfied under the partial-payment rule
    oldest = k_thr if use_threshold and k_thr > lo else lo
    while oldest < past and owes(oldest) <= 0:
        oldest += 1
    while oldest < n and oldest >= past and not owes(oldest):
        oldest += 1
    if oldest < past:
        dpd = as_of_ord - ords[oldest]
        oldest_date: _dt.date | None = plan.due_dates[oldest]
        # installments owing something from oldest to past: k (if in range) and the non-empty ones after it
        after = oldest if oldest > k else k + 1
        nonzero = plan.nonzero_through
        arrears = (nonzero[past] - nonzero[after] if after < past else 0) + (1 if oldest <= k < past else 0)
    else:
        dpd, oldest_date, arrears = 0, None, 0
    delinquent = dpd - rules.classification_grace_days
    if delinquent < 0:
        delinquent = 0
    nxt = past
    while nxt < n and not owes(nxt):
        nxt += 1
    next_amount = owes(nxt) if nxt < n else 0
    fees_now = fees_t[n_due] - fees_t[k] - f if k < n_due else 0
    payoff = principal_balance + owed_interest + fees_now - credit
    if payoff < 0:
        payoff = 0

    neg = -plan.digits
    zero = plan.zero

    zeros = plan.zeros
    columns = StatusColumns(
        lambda: _plain_allocations(plan, order, fills),
        plan.currency,
        plan.due_dates,
        zeros,
        zeros,
        paid_on,
        past,
        zeros,
        zeros,
        plan.fees_due,
        plan.interest_due,
        plan.principal_due,
        lambda: [owes(j) for j in range(n)],
    )
    return status_from_values(
        (
            as_of,
            plan.currency,
            Decimal(principal_balance).scaleb(neg, CONTEXT) if principal_balance else zero,
            Decimal(accrued).scaleb(neg, CONTEXT) if accrued else zero,
            Decimal(amount_pd).scaleb(neg, CONTEXT) if amount_pd else zero,
            Decimal(prin_pd).scaleb(neg, CONTEXT) if prin_pd else zero,
            Decimal(int_pd).scaleb(neg, CONTEXT) if int_pd else zero,
            Decimal(fees_pd).scaleb(neg, CONTEXT) if fees_pd else zero,
            zero,
            oldest_date,
            dpd,
            arrears,
            delinquent,
            (as_of_ord - last_q) if last_q else None,
            plan.due_dates[nxt] if nxt < n else None,
            Decimal(next_amount).scaleb(neg, CONTEXT) if next_amount else zero,
            Decimal(fees_now).scaleb(neg, CONTEXT) if fees_now else zero,
            zero,
            Decimal(payoff).scaleb(neg, CONTEXT) if payoff else zero,
            Decimal(rebate).scaleb(neg, CONTEXT) if rebate else zero,
            Decimal(per_diem).scaleb(neg, CONTEXT) if per_diem else zero,
            Decimal(paid_total).scaleb(neg, CONTEXT) if paid_total else zero,
            _dt.date.fromordinal(last_pay) if last_pay else None,
            Decimal(credit).scaleb(neg, CONTEXT) if credit else zero,
            rules.partial_payment,
            columns,
        )
    )


@lru_cache(maxsize=64)
def _plain_order(due: tuple[Part, ...]) -> tuple[Part, ...]:
    return tuple(p for p in due if p is not PENALTY)


def _plain_allocations(
    plan: _Plan, order: tuple[Part, ...], fills: list[tuple[Payment, int, int, int]]
) -> list[tuple[Payment, int, list[int]]]:
    out = []
    total = plan.installment_through[-1]
    for payment, amount, received_before, received in fills:
        before = received_before if received_before < total else total
        after = received if received < total else total
        f0, i0, p0 = _filled(plan, order, before)
        f1, i1, p1 = _filled(plan, order, after)
        out.append((payment, amount, [0, f1 - f0, i1 - i0, p1 - p0, amount - (after - before)]))
    return out


def _filled(plan: _Plan, order: tuple[Part, ...], money: int) -> tuple[int, int, int]:
    """(fees, interest, principal) paid in all once ``money`` has filled the installments in order."""
    through = plan.installment_through
    k = bisect_right(through, money) - 1
    f, i, p = plan.fees_through[k], plan.interest_through[k], plan.principal_through[k]
    rest = money - through[k]
    if rest:
        sf, si, sp = _split(plan, order, k, rest)
        return f + sf, i + si, p + sp
    return f, i, p


def _split(plan: _Plan, order: tuple[Part, ...], k: int, money: int) -> tuple[int, int, int]:
    """``money`` paid into installment ``k`` in ``order``: (fees, interest, principal)."""
    got = [0, 0, 0, 0]
    cols = (plan.zeros, plan.fees_due, plan.interest_due, plan.principal_due)
    for part in order:
        due = cols[part][k]
        x = money if money < due else due
        got[part] = x
        money -= x
        if not money:
            break
    return got[FEES], got[INTEREST], got[PRINCIPAL]


# -- step 4: the figures on as_of ----------------------------------------------------------------------


def _figures(ledger: _Ledger, as_of: _dt.date, as_of_ord: int) -> AccountStatus:
    plan = ledger.plan
    rules = ledger.rules
    n = plan.count
    ords = plan.due_ords
    past = ledger.past
    pen, fees, interest, principal = ledger.owed
    late, fee_paid = ledger.late, ledger.fee_paid
    rounding = plan.rounding
    dc = plan.day_count
    rn, rd = plan.rate_num, plan.rate_den
    rebate = 0
    any_late = ledger.late_rule is not None and any(late)
    remaining: list[int] | _Remaining
    if plan.simple_interest:
        p_bal = ledger.principal
        last_post = ledger.last_post
        num = dc.numerator(last_post, as_of) if as_of > last_post else 0
        accrued = ledger.int_unpaid
        if num > 0:
            accrued += round_fraction(p_bal * rn * num, rd * plan.basis, rounding)
        left = p_bal + accrued
        cov = ledger.uncovered
        rem_si = [0] * n
        for i in range(n):
            v = cov[i] if cov[i] < left else left
            rem_si[i] = v
            left -= v
        if as_of_ord >= ords[-1]:
            rem_si[-1] += left  # the last payment trues up
        principal_balance = p_bal
        day_basis = 365 if dc is DayCount.ACT_ACT else plan.basis
        per_diem = round_fraction(p_bal * rn, rd * day_basis, rounding)
        pd_total = sum(rem_si[:past])
        remaining = rem_si
        int_pd = accrued if accrued < pd_total else pd_total
        prin_pd = pd_total - int_pd
        owed_interest = accrued
    else:
        principal_balance = sum(principal)
        remaining = _Remaining(principal, interest, fees, late, fee_paid, any_late)
        n_due = past
        while n_due < n and ords[n_due] <= as_of_ord:
            n_due += 1
        waived = ledger.waived
        total_waived = ledger.waived_total
        if plan.rule_of_78:
            k = n - n_due
            rebate = round_fraction(plan.finance_charge * k * (k + 1), n * (n + 1))
            earned = plan.finance_charge - rebate - total_waived
        else:
            earned = plan.interest_through[n_due] - (sum(waived[:n_due]) if total_waived else 0)
            if n_due < n:
                prev = plan.period_start[n_due]
                if as_of > prev:
                    span = plan.period_span[n_due]
                    done = dc.numerator(prev, as_of)
                    if span > 0 and done > 0:
                        part = plan.interest_due[n_due] - waived[n_due]
                        earned += round_fraction(part * (done if done < span else span), span, rounding)
            if plan.flat:
                rebate = plan.finance_charge - total_waived - earned
        owed_interest = earned - ledger.interest_paid  # negative: interest paid ahead, refunded at payoff
        accrued = owed_interest if owed_interest > 0 else 0
        prin_pd = sum(principal[:past])
        int_pd = sum(interest[:past])
        basis = 365 if dc is DayCount.ACT_365F or dc is DayCount.ACT_ACT else 360
        per_diem = round_fraction(principal_balance * rn, rd * basis, rounding)
    fees_pd = sum(fees[:past]) if past else 0
    if any_late and past:
        # unpaid late fees are owed (fees_due, payoff) but are not arrears: they never make days past due
        fees_pd -= sum(x - y for x, y in zip(late[:past], fee_paid[:past], strict=True) if x > y)
    pen_total = sum(pen) if ledger.pen_rate else 0
    amount_pd = prin_pd + int_pd + fees_pd + pen_total

    # days past due, contractual: the oldest installment not satisfied under the partial-payment rule
    lo = ledger.lo
    oldest = ledger.k_thr if ledger.use_threshold and ledger.k_thr > lo else lo  # below lo: nothing owed
    general = plan.simple_interest or any_late
    if general:
        budget = ledger.diverted  # late fees taken out of installment money (see _post)
        while oldest < n and (not remaining[oldest] or (oldest < past and remaining[oldest] <= budget)):
            budget -= remaining[oldest]
            oldest += 1
    else:  # what an installment still owes is its principal + interest + fees (a part may be negative)
        while oldest < past and principal[oldest] + interest[oldest] + fees[oldest] <= 0:
            oldest += 1  # a due installment owing nothing, or less than nothing (a negative part overpaid)
        while oldest < n and oldest >= past and not principal[oldest] + interest[oldest] + fees[oldest]:
            oldest += 1
    if oldest < past:
        dpd = as_of_ord - ords[oldest]
        oldest_date: _dt.date | None = plan.due_dates[oldest]
        if general:
            arrears = sum(1 for i in range(oldest, past) if remaining[i])
        else:
            cols = zip(principal[oldest:past], interest[oldest:past], fees[oldest:past], strict=True)
            arrears = sum(1 for x, y, z in cols if x or y or z)
    else:
        dpd, oldest_date, arrears = 0, None, 0
    if ledger.materiality is not None:
        mat_since = ledger.mat_since
        material_days = as_of_ord - mat_since + 1 if mat_since else 0
        counted = dpd if dpd < material_days else material_days
    else:
        counted = dpd
    delinquent = counted - rules.classification_grace_days
    if delinquent < 0:
        delinquent = 0

    nxt = past
    if general:
        while nxt < n and not remaining[nxt]:
            nxt += 1
        next_amount = remaining[nxt] if nxt < n else 0
    else:
        while nxt < n and not principal[nxt] + interest[nxt] + fees[nxt]:
            nxt += 1
        next_amount = principal[nxt] + interest[nxt] + fees[nxt] if nxt < n else 0
    n_le = past
    while n_le < n and ords[n_le] <= as_of_ord:
        n_le += 1
    fees_now = sum(fees[:n_le]) if n_le else 0
    credit = ledger.credit
    payoff = principal_balance + owed_interest + fees_now + pen_total - credit
    if payoff < 0:
        payoff = 0

    neg = -plan.digits
    zero = plan.zero

    def dec(units: int) -> Decimal:
        return Decimal(units).scaleb(neg, CONTEXT) if units else zero

    columns = StatusColumns(
        ledger.allocs,
        plan.currency,
        plan.due_dates,
        late,
        (lambda: [max(x - y, 0) for x, y in zip(late, fee_paid, strict=True)]) if any_late else late,
        ledger.paid_on,
        past,
        ledger.pen,
        pen,
        plan.fees_due,
        plan.interest_due,
        plan.principal_due,
        remaining if isinstance(remaining, list) else remaining.as_list,
    )
    last_q, last_pay = ledger.last_q, ledger.last_pay
    return status_from_values(
        (
            as_of,
            plan.currency,
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
            plan.due_dates[nxt] if nxt < n else None,
            dec(next_amount),
            dec(fees_now),
            dec(pen_total),
            dec(payoff),
            dec(rebate),
            dec(per_diem),
            dec(ledger.paid_total),
            _dt.date.fromordinal(last_pay) if last_pay else None,
            dec(credit),
            rules.partial_payment,
            columns,
        )
    )


class _Remaining:
    """Scheduled amount still owed per installment, computed on demand (scheduled loans)."""

    __slots__ = ("fee_paid", "fees", "interest", "late", "principal", "with_late")

    def __init__(
        self,
        principal: list[int],
        interest: list[int],
        fees: list[int] | tuple[int, ...],
        late: list[int] | tuple[int, ...],
        fee_paid: list[int] | tuple[int, ...],
        with_late: bool,
    ) -> None:
        self.principal, self.interest, self.fees = principal, interest, fees
        self.late, self.fee_paid, self.with_late = late, fee_paid, with_late

    def __getitem__(self, i: int) -> int:
        v = self.principal[i] + self.interest[i] + self.fees[i]
        if self.with_late:
            unpaid_late = self.late[i] - self.fee_paid[i]
            if unpaid_late > 0:
                v -= unpaid_late
        return v

    def as_list(self) -> list[int]:
        return [self[i] for i in range(len(self.principal))]


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
    if pays and pays[0][0] < plan.start_ord:
        raise InvalidInput("payments.date", pays[0][4].date, f"is before the loan start ({plan.start})")
    if _is_plain(plan, rules):
        return _plain_status(plan, rules, pays, as_of, as_of_ord)
    ledger = _Ledger(plan, rules)
    _post(ledger, pays, as_of_ord)
    return _figures(ledger, as_of, as_of_ord)
