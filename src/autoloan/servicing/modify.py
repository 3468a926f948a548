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
>>> shorter = prepay(t, paid, date(2027, 1, 15), 50000, keep="缩短期限")
>>> lower = prepay(t, paid, date(2027, 1, 15), 50000, keep="减少月供")
>>> len(shorter) < 48, shorter[0].payment == s.level_payment, len(lower), lower[1].payment < s[13].payment
(True, True, 48, True)
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
from autoloan.servicing.ledger import account_status
from autoloan.servicing.payment import Payment
from autoloan.servicing.rules import ServicingRules

__all__ = ["DeferredInterest", "Keep", "defer", "prepay"]


class Keep(str, Enum):
    """What a partial prepayment keeps unchanged.

    * ``payment`` (缩短期限, 月供不变) — the instalment stays exactly as it was; the term shortens and the
      last instalment is smaller (how Chinese lenders explain 缩短期限).
    * ``term`` (减少月供, 期限不变) — the remaining number of instalments stays; the payment drops.
    * ``relevel`` (缩短期限并重算月供) — the fewest instalments whose re-levelled payment does not exceed the
      old one: the term shortens and every payment is equal again (a little below the old one).

    >>> Keep.parse("term").label_zh
    '期限不变，减少月供'
    >>> Keep.parse("缩短期限"), Keep.parse("减少月供")
    (<Keep.PAYMENT: 'payment'>, <Keep.TERM: 'term'>)
    """

    PAYMENT = "payment"
    TERM = "term"
    RELEVEL = "relevel"

    @property
    def label_en(self) -> str:
        return {
            "payment": "keep the payment, shorten the term",
            "term": "keep the term, lower the payment",
            "relevel": "shorten the term, re-level the payment",
        }[self.value]

    @property
    def label_zh(self) -> str:
        return {
            "payment": "月供不变，缩短期限",
            "term": "期限不变，减少月供",
            "relevel": "缩短期限并重算月供",
        }[self.value]

    @classmethod
    def parse(cls, value: Keep | str, field: str = "keep") -> Keep:
        return parse_member(
            cls,
            value,
            field,
            aliases=_KEEP_ALIASES,
            hint="use 'payment' (缩短期限), 'term' (减少月供) or 'relevel' (缩短期限并重算月供)",
        )


_KEEP_ALIASES = {
    "缩短期限": "payment",
    "月供不变": "payment",
    "shorten_term": "payment",
    "减少月供": "term",
    "期限不变": "term",
    "lower_payment": "term",
    "reduce_payment": "term",
    "re_level": "relevel",
}


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
    from ``on`` over the remaining due dates. ``keep="payment"`` (缩短期限, the default) keeps
    the regular payment exactly and shortens the term, the last installment being smaller
    (annuity and simple-interest loans; an equal-principal loan keeps its principal
    portion); ``keep="term"`` (减少月供) keeps the remaining number of installments and
    lowers the payment (the only choice for interest-only and bullet loans);
    ``keep="relevel"`` shortens the term to the fewest installments whose re-levelled
    payment does not exceed the old one. Raises
    :class:`~autoloan.errors.InvalidInput` if ``amount`` does not cover what is owed
    or would pay the loan off (use :func:`payoff_quote` for that).

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> t = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    >>> new = prepay(t, [], date(2026, 1, 1), 6000, keep="term")
    >>> len(new), new.total_principal
    (12, Decimal('6000.00'))
    >>> short = prepay(t, [], date(2026, 1, 1), 6000, keep="payment")
    >>> len(short), short[0].payment == amortize(t).level_payment, short[-1].payment < short[0].payment
    (6, True, True)
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
    original = amortize(terms)
    old_level = to_minor(original.level_payment, code)
    if old_level <= 0:
        old_level = max(to_minor(i.payment, code) for i in original)
    if keep is Keep.PAYMENT:
        if terms.method not in _KEEPS_PAYMENT:
            raise InvalidInput(
                "keep",
                keep.value,
                f"a {terms.method.value} loan's payment cannot be kept exactly; use 'relevel' or 'term'",
            )
        return _keep_payment(terms, original, build(k), remaining_dates, on, payoff - amt, old_level)
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


_KEEPS_PAYMENT = (Method.ANNUITY, Method.SIMPLE_INTEREST, Method.EQUAL_PRINCIPAL)


def _keep_payment(
    terms: LoanTerms,
    original: Schedule,
    full: Schedule,
    dates: list[_dt.date],
    on: _dt.date,
    principal: int,
    level: int,
) -> Schedule:
    """Rows at the old payment until the balance is gone; the last one smaller (缩短期限).

    Each row's interest is what the loan's own method charges on that balance over that period: the
    first row is the re-amortized schedule's first row (same balance, same period); later rows are a
    one-period loan of the balance over the period."""
    code = terms.currency
    equal_principal = terms.method is Method.EQUAL_PRINCIPAL
    keep_principal = to_minor(original[0].principal, code) if equal_principal else 0
    balance = principal
    cols: tuple[list[int], ...] = ([], [], [], [], [])
    pay_c, prin_c, int_c, fee_c, bal_c = cols
    prev = on
    for j, due in enumerate(dates):
        if j == 0:
            interest = to_minor(full[0].interest, code)
        else:
            one = amortize(_remainder_terms(terms, from_minor(balance, code), prev, due, 1))
            interest = to_minor(one[0].interest, code)
        last = j == len(dates) - 1
        if equal_principal:
            part = balance if last or keep_principal >= balance else keep_principal
        else:
            if level <= interest and not last:
                raise InvalidInput(
                    "keep", "payment", f"the payment ({from_minor(level, code)}) does not cover the interest"
                )
            part = balance if last or level - interest >= balance else level - interest
        balance -= part
        pay_c.append(part + interest)
        prin_c.append(part)
        int_c.append(interest)
        fee_c.append(0)
        bal_c.append(balance)
        prev = due
        if not balance:
            break
    rest = _remainder_terms(terms, from_minor(principal, code), on, dates[0], len(pay_c))
    return Schedule(
        rest,
        dates[: len(pay_c)],
        pay_c,
        prin_c,
        int_c,
        fee_c,
        bal_c,
        level_payment=keep_principal + int_c[0] if equal_principal else level,
    )


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
    deferral_interest = round_fraction(balance * n * dc.numerator(on, end), d * dc.basis, terms.rounding)
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
