"""Seeded synthetic books: realistic loans and payment histories for demos, tests and benchmarks.

Deterministic: every draw is derived from SHA-256 of (seed, loan number, purpose), so the same
arguments give the same book on every machine, Python version and ``PYTHONHASHSEED`` -- and loan
``k`` of a book does not depend on how many loans the book has.

Mixes: ``"cn"`` (CNY 等额本息 car loans from 50,000 to 300,000 yuan, some 等额本金, some on Chinese
bank rules with 罚息), ``"us"`` (USD captive auto loans, some daily simple interest, US states),
``"mixed"`` (both, about 60 % CN). Payment behaviours per loan: on time, late (1-20 days), partial
(50-95 % of the installment), stops paying, pays off early.

>>> from datetime import date
>>> loans, payments = synthetic(4, seed=7, as_of=date(2026, 6, 30))
>>> loans["loan_id"]
['L0000000', 'L0000001', 'L0000002', 'L0000003']
>>> synthetic(4, seed=7, as_of=date(2026, 6, 30)) == (loans, payments)
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from decimal import Decimal
from typing import Any

import autoloan.book._columns as _cols
from autoloan.amortization import LoanTerms, amortize
from autoloan.dates import add_months, coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import currency

__all__ = ["BEHAVIOURS", "synthetic"]

#: Payment behaviours and their share of the book.
BEHAVIOURS: dict[str, int] = {"on_time": 74, "late": 12, "partial": 5, "stops": 7, "prepays": 2}
_CN_RATES = ("0.0299", "0.0399", "0.0435", "0.0499", "0.0599", "0.0699", "0.0799")
_US_RATES = ("0.0449", "0.0599", "0.0749", "0.0899", "0.1099", "0.1299", "0.1499")
_US_STATES = ("US-CA", "US-TX", "US-FL", "US-NY", "US-MA", "US-IL", "US-GA", "US-OH", "US-WA", "US-AZ")


class _Draws:
    """Uniform draws from SHA-256(seed, loan, purpose): 8 draws of 32 bits per digest."""

    __slots__ = ("block", "buf", "key", "pos")

    def __init__(self, seed: int, loan: int, purpose: str) -> None:
        self.key = f"{seed}:{loan}:{purpose}:".encode()
        self.block = 0
        self.buf = b""
        self.pos = 32

    def u32(self) -> int:
        if self.pos >= 32:
            self.buf = hashlib.sha256(self.key + str(self.block).encode()).digest()
            self.block += 1
            self.pos = 0
        v = int.from_bytes(self.buf[self.pos : self.pos + 4], "big")
        self.pos += 4
        return v

    def below(self, n: int) -> int:
        return self.u32() * n >> 32

    def pick(self, items: tuple[Any, ...]) -> Any:
        return items[self.below(len(items))]

    def weighted(self, weights: dict[str, int]) -> str:
        x = self.below(sum(weights.values()))
        for name, w in weights.items():
            if x < w:
                return name
            x -= w
        raise AssertionError  # pragma: no cover


def _pmt(principal_minor: int, rate: Decimal, term: int) -> int:
    n, d = rate.as_integer_ratio()
    rn, rd = int(n), int(d) * 12
    if rn == 0:
        return -(-principal_minor // term)
    growth, base = (rn + rd) ** term, rd**term
    num, den = principal_minor * growth * rn, rd * (growth - base)
    return int((2 * num + den) // (2 * den))


def synthetic(
    n: int,
    seed: int,
    *,
    as_of: _dt.date | str,
    mix: str = "cn",
    months_on_book: int | tuple[int, int] = (1, 36),
    kind: str = "mapping",
) -> tuple[Any, Any]:
    """A book of ``n`` loans and their payments up to ``as_of``: ``(loans, payments)`` tables.

    ``months_on_book``: a fixed number of months since disbursement, or a ``(low, high)`` range.
    ``kind``: ``"mapping"`` (dict of lists), ``"arrow"`` or ``"pandas"``.

    >>> from datetime import date
    >>> loans, payments = synthetic(2, seed=1, as_of=date(2026, 6, 30), mix="us", months_on_book=12)
    >>> loans["currency"], sorted(set(payments["loan_id"])) == loans["loan_id"]
    (['USD', 'USD'], True)
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10_000_000:
        raise InvalidInput("n", n, "must be a whole number from 0 to 10,000,000")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidInput("seed", seed, "must be an integer")
    as_of = coerce_date(as_of, "as_of")
    if not isinstance(mix, str) or mix not in ("cn", "us", "mixed"):
        raise InvalidInput("mix", mix, "use 'cn', 'us' or 'mixed'")
    if isinstance(months_on_book, int) and not isinstance(months_on_book, bool):
        lo = hi = months_on_book
    elif (
        isinstance(months_on_book, tuple)
        and len(months_on_book) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in months_on_book)
    ):
        lo, hi = months_on_book
    else:
        raise InvalidInput("months_on_book", months_on_book, "must be an integer or a (low, high) pair")
    if not 0 <= lo <= hi <= 600:
        raise InvalidInput("months_on_book", months_on_book, "must be between 0 and 600, low <= high")
    if as_of.year < 60 or as_of.year > 9900:
        raise InvalidInput("as_of", as_of, "must be between the years 60 and 9900")
    if not isinstance(kind, str) or kind not in ("mapping", "arrow", "pandas"):
        raise InvalidInput("kind", kind, "use 'mapping', 'arrow' or 'pandas'")

    loans: dict[str, list[Any]] = {
        name: []
        for name in (
            "loan_id",
            "principal",
            "annual_rate",
            "term",
            "start",
            "method",
            "currency",
            "servicing",
            "jurisdiction",
            "behaviour",
        )
    }
    pays: dict[str, list[Any]] = {"loan_id": [], "date": [], "amount": [], "reference": []}
    day = _dt.timedelta(days=1)
    for k in range(n):
        r = _Draws(seed, k, "loan")
        us = mix == "us" or (mix == "mixed" and r.below(100) >= 60)
        loan_id = f"L{k:07d}"
        if us:
            principal = Decimal(8000 + 10 * r.below(5201))
            rate = Decimal(r.pick(_US_RATES))
            term = r.pick((36, 48, 60, 60, 72))
            method = "simple_interest" if r.below(100) < 20 else "annuity"
            code, servicing, juris = (
                "USD",
                "us_simple_interest" if method == "simple_interest" else "default",
                r.pick(_US_STATES),
            )
        else:
            principal = Decimal(50000 + 100 * r.below(2501))
            rate = Decimal(r.pick(_CN_RATES))
            term = r.pick((12, 24, 36, 36, 60))
            method = "equal_principal" if r.below(100) < 5 else "annuity"
            code, juris = "CNY", "CN"
            servicing = "cn_bank" if r.below(100) < 20 else "default"
        mob = lo + r.below(hi - lo + 1)
        start = add_months(as_of, -mob)
        if start.day > 28:
            start = start.replace(day=28)
        behaviour = r.weighted(BEHAVIOURS)
        loans["loan_id"].append(loan_id)
        loans["principal"].append(principal)
        loans["annual_rate"].append(rate)
        loans["term"].append(term)
        loans["start"].append(start)
        loans["method"].append(method)
        loans["currency"].append(code)
        loans["servicing"].append(servicing)
        loans["jurisdiction"].append(juris)
        loans["behaviour"].append(behaviour)
        digits = currency(code).minor_units
        p_minor = int(principal.scaleb(digits))
        if method == "annuity":
            level = _pmt(p_minor, rate, term)
            amounts = [level] * term
            due = [add_months(start, i + 1) for i in range(term)]
            if method == "annuity":
                # the last installment clears the rounding residue: stop one short of it on time
                amounts[-1] = level
        else:
            sched = amortize(LoanTerms(principal, rate, term, start, method=method, currency=code))
            amounts = list(sched.minor_units("payment"))
            due = list(sched.due_dates)
        b = _Draws(seed, k, "pay")
        stop_at = b.below(term) if behaviour == "stops" else term
        prepay_at = b.below(max(term - 1, 1)) if behaviour == "prepays" else -1
        for i in range(min(term, stop_at) if term else 0):
            when = due[i]
            if behaviour == "late" and b.below(3) == 0:
                when = when + day * (1 + b.below(20))
            elif behaviour == "on_time" and b.below(4) == 0:
                when = when - day * b.below(5)
            if when > as_of or when <= start:
                break
            amount = amounts[i]
            if i == term - 1:
                break  # the final (residue) installment is left to the payoff
            if behaviour == "partial" and b.below(3) == 0:
                amount = amount * (50 + b.below(46)) // 100
            if i == prepay_at:
                amount = amount + (p_minor // 2)
            if amount <= 0:
                continue
            pays["loan_id"].append(loan_id)
            pays["date"].append(when)
            pays["amount"].append(Decimal(amount).scaleb(-digits))
            pays["reference"].append(f"{loan_id}-{i + 1}")
    if kind == "mapping":
        return loans, pays
    ltypes = {
        "loan_id": "text",
        "principal": "money",
        "annual_rate": "id",
        "term": "int",
        "start": "date",
        "method": "text",
        "currency": "text",
        "servicing": "text",
        "jurisdiction": "text",
        "behaviour": "text",
    }
    ptypes = {"loan_id": "text", "date": "date", "amount": "money", "reference": "text"}
    return _cols.build(kind, loans, ltypes), _cols.build(kind, pays, ptypes)
