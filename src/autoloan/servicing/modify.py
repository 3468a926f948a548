"""Prepayment (提前还款) and deferral (延期/展期): the schedule after the change.

Both start from the account's status on the day of the change, so arrears, accrued
interest, fees and 罚息 are taken into account, and both return an ordinary
:class:`~autoloan.amortization.Schedule` (its ``terms`` describe the re-amortized
remainder), so the policy engine can show a borrower real numbers.

>>> from datetime import date
>>> from autoloan import LoanTerms, amortize
>>> from autoloan.servicing import Payment, prepay
>>> t = LoanTerms(principal=150000, annual_rate="0.0435", term=60, start=date(2026, 1, 15), currency="CNY")
>>> s = amortize(t)
>>> paid = [Payment(i.due_date, i.payment) for i in s[:12]]
>>> shorter = prepay(t, paid, date(2027, 1, 15), 50000, keep="payment")
>>> lower = prepay(t, paid, date(2027, 1, 15), 50000, keep="term")
>>> len(shorter) < 48, len(lower), lower[1].payment < s[13].payment
(True, 48, True)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Any

from autoloan._enums import parse_member
from autoloan.amortization import LoanTerms, Method, Schedule, amortize
from autoloan.dates import coerce_date, step
from autoloan.errors import InvalidInput
from autoloan.money import from_minor, round_fraction, to_decimal, to_minor
from autoloan.servicing.ledger import _dc_num, _plan, account_status
from autoloan.servicing.payment import Payment
from autoloan.servicing.rules import ServicingRules

__all__ = ["DeferredInterest", "Keep", "defer", "prepay"]


class Keep(str, Enum):
    """What a partial prepayment keeps unchanged.

    >>> Keep.parse("term").label_zh
    '期限不变，减少月供'
    """

    PAYMENT = "payment"
    TERM = "term"

    @property
    def label_en(self) -> str:
        return (
            "keep the payment, shorten the term"
            if self is Keep.PAYMENT
            else "keep the term, lower the payment"
        )

    @property
    def label_zh(self) -> str:
        return "月供不变，缩短期限" if self is Keep.PAYMENT else "期限不变，减少月供"

    @classmethod
    def parse(cls, value: Keep | str, field: str = "keep") -> Keep:
        return parse_member(cls, value, field, hint="use 'payment' (缩短期限) or 'term' (减少月供)")


class DeferredInterest(str, Enum):
    """What happens to the interest of a deferral period.

    >>> DeferredInterest.parse("capitalize").label_zh
    '利息资本化（计入本金）'
    """

    CAPITALIZE = "capitalize"
    ACCRUE = "accrue"

    @property
    def label_en(self) -> str:
        if self is DeferredInterest.CAPITALIZE:
            return "added to the principal"
        return "accrued and due with the first payment after the deferral"

    @property
    def label_zh(self) -> str:
        return "利息资本化（计入本金）" if self is DeferredInterest.CAPITALIZE else "利息挂账，延期后首期收取"

    @classmethod
    def parse(cls, value: DeferredInterest | str, field: str = "interest") -> DeferredInterest:
        return parse_member(cls, value, field, hint="use 'capitalize' or 'accrue'")


def _remainder_terms(
    terms: LoanTerms, principal: Any, start: _dt.date, first_due: _dt.date, term: int
) -> LoanTerms:
    done = terms.term - term
    io = max(terms.interest_only_periods - done, 0)
    io = min(io, term - 1)
    method = terms.method
    balloon = terms.balloon
    if balloon and to_decimal(principal) <= balloon:
        # prepaid into the balloon: what is left is due at maturity, with interest meanwhile
        method, balloon, io = Method.INTEREST_ONLY, Decimal(0), 0
    if method is Method.BALLOON and not balloon:
        method = Method.ANNUITY
    return terms.replace(
        principal=principal,
        start=start,
        first_due=first_due,
        term=term,
        interest_only_periods=io,
        fees=(),
        method=method,
        balloon=balloon,
    )


def prepay(
    terms: LoanTerms,
    payments: Iterable[Payment],
    on: _dt.date,
    amount: Any,
    *,
    keep: Keep | str = Keep.PAYMENT,
    rules: ServicingRules | None = None,
) -> Schedule:
    """The new schedule after a partial prepayment of ``amount`` on ``on``.

    The prepayment first clears everything owed that day (arrears, interest accrued
    to the day, fees, 罚息); the rest reduces the principal, which is re-amortized
    from ``on`` over the remaining due dates. ``keep="payment"`` (缩短期限) keeps the
    regular payment and shortens the term to the fewest installments whose level
    payment does not exceed the old one; ``keep="term"`` (减少月供) keeps the
    remaining number of installments and lowers the payment (the only choice for
    interest-only and bullet loans). Raises
    :class:`~autoloan.errors.InvalidInput` if ``amount`` does not cover what is owed
    or would pay the loan off (use :func:`payoff_quote` for that).

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> t = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    >>> new = prepay(t, [], date(2026, 1, 1), 6000, keep="term")
    >>> len(new), new.total_principal
    (12, Decimal('6000.00'))
    """
    keep = Keep.parse(keep)
    on = coerce_date(on, "on")
    st = account_status(terms, payments, on, rules=rules)
    code = st.currency
    amt = to_minor(amount, code, "amount")
    if amt <= 0:
        raise InvalidInput("amount", amount, "must be greater than zero")
    payoff = to_minor(st.payoff_amount, code)
    balance = to_minor(st.principal_balance, code)
    owed_first = payoff - balance + to_minor(st.principal_past_due, code)
    if amt <= owed_first:
        raise InvalidInput(
            "amount",
            amount,
            f"must exceed what is owed on {on} ({from_minor(owed_first, code)}) to reduce principal",
        )
    if amt >= payoff:
        raise InvalidInput(
            "amount", amount, f"pays the loan off (payoff {st.payoff_amount}); use payoff_quote"
        )
    remaining_dates = [d for d in terms.due_dates() if d > on]
    if not remaining_dates:
        raise InvalidInput("on", on, "is on or after the last due date; nothing is left to re-amortize")
    new_principal = from_minor(payoff - amt, code)
    k = len(remaining_dates)
    first_due = remaining_dates[0]

    def build(term: int) -> Schedule:
        return amortize(_remainder_terms(terms, new_principal, on, first_due, term))

    if keep is Keep.TERM or (terms.balloon and new_principal <= terms.balloon):
        return build(k)
    if terms.method in (Method.INTEREST_ONLY, Method.BULLET):
        raise InvalidInput(
            "keep", keep.value, f"a {terms.method.value} loan has no level payment to keep; use 'term'"
        )
    old_level = _plan(terms).level
    lo, hi = 1, k
    best = build(k)
    if to_minor(best.level_payment, code) > old_level:
        return best
    while lo < hi:
        mid = (lo + hi) // 2
        candidate = build(mid)
        if to_minor(candidate.level_payment, code) <= old_level:
            hi = mid
            best = candidate
        else:
            lo = mid + 1
    return best if len(best) == lo else build(lo)


def defer(
    terms: LoanTerms,
    payments: Iterable[Payment],
    on: _dt.date,
    periods: int,
    *,
    interest: DeferredInterest | str = DeferredInterest.CAPITALIZE,
    rules: ServicingRules | None = None,
) -> Schedule:
    """The extended schedule after deferring the next ``periods`` installments from ``on`` (延期/展期).

    The account is taken as it stands on ``on``: arrears and unpaid principal stay in
    the balance, and the remaining installments move ``periods`` periods later, so the
    term grows by ``periods``. Interest keeps accruing through the deferral (simple
    interest on the principal, by the loan's day count). ``interest="capitalize"``
    adds it, with the interest already owed, to the principal at the end of the
    deferral; ``interest="accrue"`` leaves the principal alone and makes that interest
    due with the first payment after the deferral. Unpaid fees and 罚息 are due with
    that first payment too. The first ``periods`` rows have no payment (a capitalizing
    deferral shows the capitalized interest as negative principal in its last row).

    >>> from datetime import date
    >>> from autoloan import LoanTerms, amortize
    >>> from autoloan.servicing import Payment, defer
    >>> t = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 15))
    >>> s = amortize(t)
    >>> d = defer(t, [Payment(i.due_date, i.payment) for i in s[:3]], date(2026, 4, 20), 2)
    >>> len(d), d[0].payment, d[1].payment, d[-1].due_date, d[-1].balance
    (11, Decimal('0.00'), Decimal('0.00'), datetime.date(2027, 3, 15), Decimal('0.00'))
    """
    mode = DeferredInterest.parse(interest)
    on = coerce_date(on, "on")
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= 120:
        raise InvalidInput("periods", periods, "must be a whole number of periods, 1 to 120")
    st = account_status(terms, payments, on, rules=rules)
    code = st.currency
    dates = terms.due_dates()
    remaining_dates = [d for d in dates if d > on]
    if not remaining_dates:
        raise InvalidInput("on", on, "is on or after the last due date; nothing is left to defer")
    done = len(dates) - len(remaining_dates)
    anchor = dates[done - 1] if done else terms.start
    k = len(remaining_dates)
    freq = terms.frequency
    deferral_dates = [step(remaining_dates[0], j, freq) for j in range(periods)]
    end = deferral_dates[-1]
    first_due = step(remaining_dates[0], periods, freq)
    balance = to_minor(st.principal_balance, code)
    owed_interest = to_minor(st.accrued_interest, code)
    extra_fees = to_minor(st.fees_due, code) + to_minor(st.penalty_due, code)
    dc = terms.day_count
    assert dc is not None
    n, d = terms.annual_rate.as_integer_ratio()
    den = 365 if dc.value == "ACT/365F" else 360
    if dc.value == "ACT/ACT":
        den = 365 * 366
    deferral_interest = round_fraction(balance * n * _dc_num(dc, on, end), d * den, terms.rounding)
    del anchor
    rows_dates: list[_dt.date] = list(deferral_dates)
    pay_col = [0] * periods
    prin_col = [0] * periods
    int_col = [0] * periods
    fee_col = [0] * periods
    bal_col = [balance] * periods
    if mode is DeferredInterest.CAPITALIZE:
        capitalized = owed_interest + deferral_interest
        new_principal = balance + capitalized
        prin_col[-1] = -capitalized
        int_col[-1] = capitalized
        bal_col[-1] = new_principal
        carried = 0
    else:
        new_principal = balance
        carried = owed_interest + deferral_interest
    if new_principal <= 0:
        raise InvalidInput("on", on, "the loan has no balance left to defer")
    rest_terms = _remainder_terms(terms, from_minor(new_principal, code), end, first_due, k)
    rest = amortize(rest_terms)
    for j, inst in enumerate(rest):
        rows_dates.append(inst.due_date)
        p = to_minor(inst.principal, code)
        i = to_minor(inst.interest, code)
        f = to_minor(inst.fees, code)
        if j == 0:
            i += carried
            f += extra_fees
        prin_col.append(p)
        int_col.append(i)
        fee_col.append(f)
        pay_col.append(p + i + f)
        bal_col.append(to_minor(inst.balance, code))
    return Schedule(
        rest_terms,
        rows_dates,
        pay_col,
        prin_col,
        int_col,
        fee_col,
        bal_col,
        level_payment=to_minor(rest.level_payment, code),
    )
