"""AccountStatus and InstallmentStatus: what the ledger says about one loan on one day.

Built by :func:`autoloan.servicing.account_status`. The per-installment picture and
the per-payment allocations are produced on access from integer columns, so a status
is cheap to build for a whole portfolio.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import Enum
from typing import Any

from autoloan._html import dataframe, render_html, render_repr, render_text
from autoloan.money import CONTEXT, currency, from_minor
from autoloan.servicing.rules import PartialPayment

__all__ = ["AccountStatus", "Allocation", "InstallmentState", "InstallmentStatus"]


class InstallmentState(str, Enum):
    """Where one installment stands on the status date.

    >>> InstallmentState.PARTIAL.label_zh
    '部分还款'
    """

    PAID = "paid"
    PARTIAL = "partial"
    UNPAID = "unpaid"
    NOT_DUE = "not_due"

    @property
    def label_en(self) -> str:
        return {"paid": "paid", "partial": "partly paid", "unpaid": "unpaid", "not_due": "not yet due"}[
            self.value
        ]

    @property
    def label_zh(self) -> str:
        return {"paid": "已结清", "partial": "部分还款", "unpaid": "未还", "not_due": "未到期"}[self.value]


@dataclass(frozen=True, slots=True)
class InstallmentStatus:
    """One installment: scheduled amounts, what was paid, what remains, late fee and 罚息 charged.

    ``due`` is the scheduled principal + interest + scheduled fees; ``paid`` and
    ``remaining`` refer to those scheduled amounts; ``late_fee`` and ``penalty`` are
    the charges assessed on this installment (``late_fee_unpaid``/``penalty_unpaid``
    still owed). ``paid_on`` is the date the scheduled amount was fully paid.

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> from autoloan.servicing import Payment, account_status
    >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    >>> first = account_status(t, [Payment(date(2026, 2, 1), 40)], date(2026, 2, 5)).installments[0]
    >>> first.due, first.paid, first.remaining, first.state.value
    (Decimal('100.00'), Decimal('40.00'), Decimal('60.00'), 'partial')
    """

    number: int
    due_date: _dt.date
    due: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal
    paid: Decimal
    remaining: Decimal
    late_fee: Decimal
    late_fee_unpaid: Decimal
    penalty: Decimal
    penalty_unpaid: Decimal
    paid_on: _dt.date | None
    state: InstallmentState


@dataclass(frozen=True, slots=True)
class Allocation:
    """How one payment was applied; the parts always add up to ``amount``.

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> from autoloan.servicing import Payment, account_status
    >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    >>> (a,) = account_status(t, [Payment(date(2026, 2, 1), 1500)], date(2026, 2, 1)).allocations
    >>> a.principal, a.credit
    (Decimal('1200.00'), Decimal('300.00'))
    """

    date: _dt.date
    amount: Decimal
    reference: str | None
    penalty: Decimal
    fees: Decimal
    interest: Decimal
    principal: Decimal
    credit: Decimal


@dataclass(slots=True)
class StatusColumns:
    """Integer columns behind a status (minor units), built by the posting engine; expanded on access.

    ``allocs`` holds (payment, amount, [penalty, fees, interest, principal, credit]) per payment;
    ``allocs``, ``late_unpaid`` and ``sched_rem`` may be given as callables computing them when first read.
    """

    allocs: list[tuple[Any, int, list[int]]] | Callable[[], list[tuple[Any, int, list[int]]]]
    code: str
    dates: tuple[_dt.date, ...]
    late: Sequence[int]
    late_unpaid: Sequence[int] | Callable[[], list[int]]
    paid_on: list[int]
    past: int
    pen: Sequence[int]
    pen_unpaid: Sequence[int]
    sched_f: tuple[int, ...]
    sched_i: tuple[int, ...]
    sched_p: tuple[int, ...]
    sched_rem: Sequence[int] | Callable[[], list[int]]

    def installments(self) -> tuple[InstallmentStatus, ...]:
        if callable(self.sched_rem):
            self.sched_rem = self.sched_rem()
        if callable(self.late_unpaid):
            self.late_unpaid = self.late_unpaid()
        digits = currency(self.code).minor_units
        cache: dict[int, Decimal] = {0: from_minor(0, self.code)}

        def dec(units: int) -> Decimal:
            value = cache.get(units)
            if value is None:
                value = cache[units] = Decimal(units).scaleb(-digits, CONTEXT)
            return value

        sp, si, sf, rem_col = self.sched_p, self.sched_i, self.sched_f, self.sched_rem
        late, late_unpaid, pen, pen_unpaid, paid_on, past = (
            self.late,
            self.late_unpaid,
            self.pen,
            self.pen_unpaid,
            self.paid_on,
            self.past,
        )
        out = []
        for i, d in enumerate(self.dates):
            due = sp[i] + si[i] + sf[i]
            rem = rem_col[i]
            if rem == 0:
                state = InstallmentState.PAID
            elif i >= past:
                state = InstallmentState.NOT_DUE
            elif rem < due:
                state = InstallmentState.PARTIAL
            else:
                state = InstallmentState.UNPAID
            on = paid_on[i]
            out.append(
                InstallmentStatus(
                    i + 1,
                    d,
                    dec(due),
                    dec(sp[i]),
                    dec(si[i]),
                    dec(sf[i]),
                    dec(due - rem if due > rem else 0),
                    dec(rem),
                    dec(late[i]),
                    dec(late_unpaid[i]),
                    dec(pen[i]),
                    dec(pen_unpaid[i]),
                    _dt.date.fromordinal(on) if on and rem == 0 else None,
                    state,
                )
            )
        return tuple(out)

    def allocations(self) -> tuple[Allocation, ...]:
        if callable(self.allocs):
            self.allocs = self.allocs()
        m = self.code
        return tuple(
            Allocation(p.date, from_minor(amt, m), p.reference, *(from_minor(x, m) for x in parts))
            for p, amt, parts in self.allocs
        )


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """The state of a loan account on ``as_of`` (payments dated after it are ignored).

    Delinquency figures:

    * ``days_past_due`` — contractual method: days since the due date of the oldest
      installment not satisfied under the loan's partial-payment rule; no grace
      (Call Report: late-fee grace periods do not defer past-due status). 0 on the
      due date itself, 1 the day after.
    * ``installments_in_arrears`` — payments behind (the "two or more monthly
      payments" convention).
    * ``days_delinquent`` — for classification: ``days_past_due`` counted only
      while arrears are material, less ``classification_grace_days``.
    * ``days_since_qualifying_payment`` — the recency view: days since the last
      payment of at least the threshold share of the regular installment.
      **Operational only**; regulators expect the contractual method.

    ``amount_past_due`` = ``principal_past_due`` + ``interest_past_due`` +
    ``fees_past_due`` + ``penalty_past_due``. ``payoff_amount`` is what closes the
    loan on ``as_of`` (after any rebate of unearned precomputed interest).

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> from autoloan.servicing import account_status
    >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    >>> st = account_status(t, [], date(2026, 3, 10))
    >>> st.days_past_due, st.installments_in_arrears, st.amount_past_due, st.is_current
    (37, 2, Decimal('200.00'), False)
    >>> st.explain()["rule_id"]
    'servicing.dpd.contractual'
    """

    as_of: _dt.date
    currency: str
    principal_balance: Decimal
    accrued_interest: Decimal
    amount_past_due: Decimal
    principal_past_due: Decimal
    interest_past_due: Decimal
    fees_past_due: Decimal
    penalty_past_due: Decimal
    oldest_unpaid_due_date: _dt.date | None
    days_past_due: int
    installments_in_arrears: int
    days_delinquent: int
    days_since_qualifying_payment: int | None
    next_due_date: _dt.date | None
    next_due_amount: Decimal
    fees_due: Decimal
    penalty_due: Decimal
    payoff_amount: Decimal
    rebate: Decimal
    per_diem: Decimal
    paid_to_date: Decimal
    last_payment_date: _dt.date | None
    credit_balance: Decimal
    partial_payment: PartialPayment
    _detail: StatusColumns = field(repr=False, compare=False)

    @property
    def is_current(self) -> bool:
        """No installment past due."""
        return self.days_past_due == 0

    @property
    def is_paid_off(self) -> bool:
        """Nothing left to pay."""
        return self.payoff_amount == 0

    @property
    def installments(self) -> tuple[InstallmentStatus, ...]:
        """The per-installment picture (built on access)."""
        return self._detail.installments()

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        """How each payment counted on ``as_of`` was applied, in posting order."""
        return self._detail.allocations()

    def explain(self) -> dict[str, Any]:
        """The rules that decided the delinquency figures, as data."""
        return {
            "rule_id": "servicing.dpd.contractual",
            "partial_payment": self.partial_payment.value,
            "citation": (
                "FFIEC Uniform Retail Credit Classification and Account Management Policy (64 FR 6655; "
                "65 FR 36903), partial payments"
            ),
            "days_past_due": self.days_past_due,
            "oldest_unpaid_due_date": self.oldest_unpaid_due_date,
            "installments_in_arrears": self.installments_in_arrears,
            "days_delinquent": self.days_delinquent,
        }

    def __repr__(self) -> str:
        return render_repr(self)

    def __str__(self) -> str:
        return render_text(self)

    def _repr_html_(self) -> str:
        return render_html(self)

    def to_pandas(self) -> Any:
        """The installments as a ``pandas.DataFrame`` indexed by number; money stays ``Decimal``."""
        return dataframe(self, index="number")


_SETTERS = tuple(AccountStatus.__dict__[f.name].__set__ for f in fields(AccountStatus))


def status_from_values(values: Sequence[Any]) -> AccountStatus:
    """An :class:`AccountStatus` from its field values in declaration order, set slot by slot (about twice
    as fast as the generated ``__init__`` of a frozen dataclass; the posting engine's last step).

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> from autoloan.servicing import account_status
    >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    >>> st = account_status(t, [], date(2026, 3, 1))
    >>> status_from_values([getattr(st, f.name) for f in fields(st)]) == st
    True
    """
    status = object.__new__(AccountStatus)
    for put, value in zip(_SETTERS, values, strict=True):
        put(status, value)
    return status
