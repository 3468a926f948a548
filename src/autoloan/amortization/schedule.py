"""Schedule and Installment: the result of :func:`autoloan.amortize`.

A schedule is stored as integer columns (minor units) and hands out
:class:`Installment` value objects with Decimal amounts on access.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, overload

from autoloan._html import dataframe
from autoloan.amortization.terms import LoanTerms, Method
from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput, InvalidTerms
from autoloan.money import CONTEXT, currency, to_decimal, to_int

__all__ = ["Installment", "Schedule"]


@dataclass(frozen=True, slots=True)
class Installment:
    """One row of a schedule; ``balance`` is the principal outstanding after this payment.

    ``payment == principal + interest + fees`` on every row.
    """

    number: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal
    balance: Decimal

    def __post_init__(self) -> None:
        if (
            type(self.number) is not int
            or type(self.due_date) is not date
            or type(self.payment) is not Decimal
            or type(self.principal) is not Decimal
            or type(self.interest) is not Decimal
            or type(self.fees) is not Decimal
            or type(self.balance) is not Decimal
        ):
            self._coerce()

    def _coerce(self) -> None:
        put = object.__setattr__
        put(self, "number", to_int(self.number, "number", 1))
        put(self, "due_date", coerce_date(self.due_date, "due_date"))
        for name in ("payment", "principal", "interest", "fees", "balance"):
            put(self, name, to_decimal(getattr(self, name), name))

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict (Decimals and a date), e.g. for pandas or JSON."""
        return {
            "number": self.number,
            "due_date": self.due_date,
            "payment": self.payment,
            "principal": self.principal,
            "interest": self.interest,
            "fees": self.fees,
            "balance": self.balance,
        }


_HEADERS = ("No.", "Due date", "Payment", "Principal", "Interest", "Fees", "Balance")
_HEADERS_ZH = ("期数", "还款日", "月供", "本金", "利息", "费用", "剩余本金")


class Schedule(Sequence[Installment]):
    """A repayment schedule: a read-only sequence of :class:`Installment`.

    Columns are held as integer minor units; totals are exact. ``str(schedule)``
    is a text table, ``_repr_html_`` an HTML one, ``to_rows()`` plain dicts.
    """

    __slots__ = (
        "_balance",
        "_dates",
        "_exp",
        "_fees",
        "_interest",
        "_payment",
        "_principal",
        "_rows",
        "capitalized_interest",
        "level_payment",
        "paid_off_early",
        "terms",
    )

    def __init__(
        self,
        terms: Any,
        dates: Sequence[date],
        payment: Sequence[int],
        principal: Sequence[int],
        interest: Sequence[int],
        fees: Sequence[int],
        balance: Sequence[int],
        *,
        level_payment: int,
        capitalized_interest: int = 0,
    ) -> None:
        """A schedule from its columns in minor units (validated; :func:`autoloan.amortize` builds them)."""
        if not isinstance(terms, LoanTerms):
            raise InvalidTerms("terms", terms, "must be a LoanTerms")
        try:
            day_list = [coerce_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
        except TypeError:
            raise InvalidTerms("dates", dates, "must be a sequence of dates") from None
        columns = {"payment": payment, "principal": principal, "interest": interest, "fees": fees}
        columns["balance"] = balance
        ints: dict[str, list[int]] = {}
        for name, values in columns.items():
            try:
                ints[name] = [to_int(v, f"{name}[{i}]") for i, v in enumerate(values)]
            except TypeError:
                raise InvalidTerms(name, values, "must be a sequence of whole minor units") from None
            if len(ints[name]) != len(day_list):
                raise InvalidTerms(name, values, f"must have one value per due date ({len(day_list)})")
        for i, (pay, p, r, f) in enumerate(
            zip(ints["payment"], ints["principal"], ints["interest"], ints["fees"], strict=True)
        ):
            if pay != p + r + f:
                raise InvalidTerms(f"payment[{i}]", pay, "must equal principal + interest + fees")
        self._init(
            terms,
            tuple(day_list),
            tuple(ints["payment"]),
            tuple(ints["principal"]),
            tuple(ints["interest"]),
            tuple(ints["fees"]),
            tuple(ints["balance"]),
            to_int(level_payment, "level_payment"),
            to_int(capitalized_interest, "capitalized_interest"),
        )

    @classmethod
    def from_columns(
        cls,
        terms: Any,
        dates: Sequence[date] | None,
        payment: Sequence[int],
        principal: Sequence[int],
        interest: Sequence[int],
        balance: Sequence[int],
        *,
        level_payment: int,
        capitalized_interest: int = 0,
    ) -> Schedule:
        """A schedule from the builders' trusted columns (no fees column; not validated again).

        ``dates`` None: the rows fall on the terms' first ``len(payment)`` due dates, computed on first use.
        """
        self = cls.__new__(cls)
        self._init(
            terms,
            None if dates is None else tuple(dates),
            tuple(payment),
            tuple(principal),
            tuple(interest),
            (0,) * len(payment),
            tuple(balance),
            level_payment,
            capitalized_interest,
        )
        return self

    def _init(
        self,
        terms: Any,
        dates: tuple[date, ...] | None,
        payment: tuple[int, ...],
        principal: tuple[int, ...],
        interest: tuple[int, ...],
        fees: tuple[int, ...],
        balance: tuple[int, ...],
        level_payment: int,
        capitalized_interest: int,
    ) -> None:
        self.terms = terms
        self._exp = -currency(terms.currency).minor_units
        self._rows: tuple[Installment, ...] | None = None
        self._dates = dates
        self._payment = payment
        self._principal = principal
        self._interest = interest
        self._fees = fees
        self._balance = balance
        self.level_payment: Decimal = self._money(level_payment)
        """The regular (level) payment before odd-period and last-payment adjustments."""
        self.capitalized_interest: Decimal = self._money(capitalized_interest)
        """Odd-period interest added to the balance before amortizing (``odd_days="capitalize"``)."""
        expected_rows = 1 if terms.method is Method.BULLET else terms.term
        self.paid_off_early: bool = len(payment) < expected_rows
        """True when the loan is repaid before its last due date, so the schedule has fewer than
        ``terms.term`` rows (a tiny loan whose interest rounds to nothing, or a payment multiple)."""

    def _money(self, units: int) -> Decimal:
        return Decimal(units).scaleb(self._exp, context=CONTEXT)

    def _all_rows(self) -> tuple[Installment, ...]:
        if self._rows is None:
            m = self._money
            self._rows = tuple(
                Installment(n, d, m(pay), m(p), m(i), m(f), m(b))
                for n, (d, pay, p, i, f, b) in enumerate(zip(*self._columns(), strict=True), 1)
            )
        return self._rows

    def __len__(self) -> int:
        return len(self._payment)

    @overload
    def __getitem__(self, index: int) -> Installment: ...
    @overload
    def __getitem__(self, index: slice) -> list[Installment]: ...
    def __getitem__(self, index: int | slice) -> Installment | list[Installment]:
        rows = self._all_rows()
        if isinstance(index, slice):
            return list(rows[index])
        try:
            return rows[index]
        except (IndexError, TypeError):
            raise IndexError(
                f"installment index {index!r} out of range for a schedule of {len(rows)}"
            ) from None

    def __iter__(self) -> Iterator[Installment]:
        return iter(self._all_rows())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.terms == other.terms and self._columns() == other._columns()

    def __hash__(self) -> int:
        return hash(self._columns())

    def _columns(self) -> tuple[tuple[Any, ...], ...]:
        return (self.due_dates, self._payment, self._principal, self._interest, self._fees, self._balance)

    # -- columns and totals (exact) ----------------------------------------------------------------------

    @property
    def due_dates(self) -> tuple[date, ...]:
        """The due date of each row."""
        dates = self._dates
        if dates is None:
            dates = self.terms.due_dates()[: len(self._payment)]
            self._dates = dates
        return dates

    def column(self, name: str) -> tuple[Decimal, ...]:
        """One money column (``payment``, ``principal``, ``interest``, ``fees``, ``balance``) as Decimals.

        >>> from datetime import date
        >>> from autoloan import LoanTerms, amortize
        >>> s = amortize(LoanTerms(principal=100, annual_rate=0, term=2, start=date(2026, 1, 1)))
        >>> s.column("payment")
        (Decimal('50.00'), Decimal('50.00'))
        """
        return tuple(self._money(v) for v in self.minor_units(name))

    def minor_units(self, name: str) -> tuple[int, ...]:
        """One money column in integer minor units (cheap; for servicing engines)."""
        cols = {
            "payment": self._payment,
            "principal": self._principal,
            "interest": self._interest,
            "fees": self._fees,
            "balance": self._balance,
        }
        if name not in cols:
            raise InvalidInput("column", name, "use one of " + ", ".join(cols))
        return cols[name]

    @property
    def total_payment(self) -> Decimal:
        return self._money(sum(self._payment))

    @property
    def total_principal(self) -> Decimal:
        return self._money(sum(self._principal))

    @property
    def total_interest(self) -> Decimal:
        return self._money(sum(self._interest))

    @property
    def total_fees(self) -> Decimal:
        return self._money(sum(self._fees))

    @property
    def maturity(self) -> date:
        """The due date of the last row."""
        return self.due_dates[-1]

    # -- renderings ------------------------------------------------------------------------------------------

    def to_rows(self) -> list[dict[str, Any]]:
        """Plain dicts, one per installment: ``pandas.DataFrame(schedule.to_rows())``."""
        return [inst.to_dict() for inst in self]

    def _text_rows(self) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = [
            (
                str(i.number),
                i.due_date.isoformat(),
                f"{i.payment:,}",
                f"{i.principal:,}",
                f"{i.interest:,}",
                f"{i.fees:,}",
                f"{i.balance:,}",
            )
            for i in self
        ]
        rows.append(
            (
                "Total",
                "",
                f"{self.total_payment:,}",
                f"{self.total_principal:,}",
                f"{self.total_interest:,}",
                f"{self.total_fees:,}",
                "",
            )
        )
        return rows

    def __str__(self) -> str:
        rows = [_HEADERS, *self._text_rows()]
        widths = [max(len(r[c]) for r in rows) for c in range(len(_HEADERS))]
        lines = []
        for n, row in enumerate(rows):
            cells = [row[0].rjust(widths[0]), row[1].ljust(widths[1])]
            cells += [cell.rjust(w) for cell, w in zip(row[2:], widths[2:], strict=True)]
            lines.append("  ".join(cells).rstrip())
            if n == 0 or n == len(rows) - 2:
                lines.append("  ".join("-" * w for w in widths))
        t = self.terms
        title = (
            f"{t.method.label_en} / {t.method.label_zh}: {t.currency} {t.note_amount:,} at "
            f"{t.annual_rate * 100:.4f}% over {t.term} {t.frequency.value} payments"
        )
        if self.paid_off_early:
            title += f" (paid off early: {len(self)} of {t.term} payments)"
        return title + "\n" + "\n".join(lines)

    def __repr__(self) -> str:
        t = self.terms
        return (
            f"<Schedule {t.method.value} {t.currency} {t.note_amount} @ {t.annual_rate} x{len(self)}: "
            f"payment {self.level_payment}, total interest {self.total_interest}"
            f"{', paid off early' if self.paid_off_early else ''}>"
        )

    def _repr_html_(self) -> str:
        head = "".join(
            f"<th>{html.escape(a)}<br><small>{html.escape(b)}</small></th>"
            for a, b in zip(_HEADERS, _HEADERS_ZH, strict=True)
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in self._text_rows()
        )
        return f"<table class='autoloan-schedule'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per installment indexed by number; money stays ``Decimal``.

        Needs pandas (``pip install 'autoloan[pandas]'``).

        >>> from datetime import date
        >>> from autoloan import LoanTerms, amortize
        >>> s = amortize(LoanTerms(principal=1200, annual_rate=0, term=3, start=date(2026, 1, 1)))
        >>> s.to_pandas()["payment"].tolist()
        [Decimal('400.00'), Decimal('400.00'), Decimal('400.00')]
        """
        return dataframe(self, index="number")
