"""等额本息 equal installment (annuity), with optional balloon and interest-only grace periods."""

from __future__ import annotations

from autoloan.amortization._core import Columns, Plan, annuity_payment, round_up_to_multiple
from autoloan.money import Rounding

__all__ = ["build_annuity"]


def build_annuity(plan: Plan) -> tuple[Columns, int]:
    """Level payments after the interest-only periods; the last payment clears the balance.

    Returns the columns and the level payment (minor units). The columns carry no dates: they are the
    first ``len(columns)`` due dates of the terms, filled in by the schedule when read.
    """
    periods = plan.term - plan.interest_only
    rate_num, rate_den = plan.period_rate_num, plan.period_rate_den
    pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, plan.rounding)
    if plan.multiple > 1:
        pmt = round_up_to_multiple(pmt, plan.multiple)
        return _run(plan, pmt), pmt
    cols = _run(plan, pmt)
    if len(cols.payment) < plan.term:  # rounding the payment up paid a tiny loan off early: round it down
        pmt = annuity_payment(plan.balance, plan.balloon, periods, rate_num, rate_den, Rounding.FLOOR)
        cols = _run(plan, pmt)
    return cols, pmt


def _run(plan: Plan, pmt: int) -> Columns:
    if plan.rounding is Rounding.HALF_UP and plan.term > 1:
        fast = _run_regular_half_up(plan, pmt)
        if fast is not None:
            return fast
    return _run_general(plan, pmt)


def _run_regular_half_up(plan: Plan, pmt: int) -> Columns | None:
    """The hot loop of the library, for the common case; None when a row is not regular.

    Half-up interest on a non-negative balance is ``(2·balance·num + den) // (2·den)``. Interest never
    grows as the balance falls, so each row's principal (``pmt − interest``) is at least the first
    one's: when that is positive and the balance is still positive before the last row, every row is
    regular (no clamping) and the loop needs no branch. Otherwise the general loop decides every row.
    """
    n, io = plan.term, plan.interest_only
    twice_num, den = 2 * plan.period_rate_num, plan.period_rate_den
    twice_den = 2 * den
    balance = plan.balance
    regular = (balance * twice_num + den) // twice_den
    if pmt - regular <= 0 and io < n - 1:
        return None
    interests = [regular] * io
    balances = [balance] * io
    add_interest, add_balance = interests.append, balances.append
    for _ in range(n - 1 - io):
        interest = (balance * twice_num + den) // twice_den
        balance = balance - pmt + interest
        add_interest(interest)
        add_balance(balance)
    if balance <= 0:
        return None
    amortizing = n - 1 - io
    principals = [0] * io
    principals += [pmt - i for i in interests[io:]]
    payments = interests[:io]
    payments += [pmt] * amortizing
    last_interest = (
        plan.period_interest(balance, n - 1) if plan.odd_last else (balance * twice_num + den) // twice_den
    )
    interests.append(last_interest)
    principals.append(balance)
    payments.append(balance + last_interest)
    balances.append(0)
    if plan.odd_first:  # the odd days' interest is paid with the first payment; its principal is regular
        with_odd = plan.period_interest(plan.balance, 0)
        payments[0] += with_odd - interests[0]
        interests[0] = with_odd
    return Columns(None, payments, principals, interests, balances)


def _run_general(plan: Plan, pmt: int) -> Columns:
    rate_num, rate_den, n, io = plan.period_rate_num, plan.period_rate_den, plan.term, plan.interest_only
    half_up, twice_den, rnd = plan.rounding is Rounding.HALF_UP, 2 * plan.period_rate_den, plan.rnd
    principals: list[int] = []
    interests: list[int] = []
    balances: list[int] = []
    balance = plan.balance
    last = n - 1
    for k in range(n):
        regular = interest = (
            (2 * balance * rate_num + rate_den) // twice_den if half_up else rnd(balance * rate_num, rate_den)
        )
        if k == 0 and plan.odd_first:
            interest = plan.period_interest(balance, 0)
        if k == last:
            principal = balance
            if plan.odd_last:
                interest = plan.period_interest(balance, k)
        elif k < io:
            principal = 0
        else:
            principal = pmt - regular
            if principal > balance:
                principal = balance
            elif principal < 0:
                principal = 0
        balance -= principal
        principals.append(principal)
        interests.append(interest)
        balances.append(balance)
        if balance == 0:
            break  # paid off early (a payment rounded up to a multiple)
    payments = [p + i for p, i in zip(principals, interests, strict=True)]
    return Columns(None, payments, principals, interests, balances)
