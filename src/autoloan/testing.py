"""Hypothesis strategies for property tests of code that uses autoloan.

Requires ``hypothesis`` (a test dependency, not a runtime one).

>>> from hypothesis import given, settings
>>> from autoloan import amortize
>>> @settings(max_examples=5, database=None, derandomize=True)
... @given(loan_terms())
... def test_principal_sums(terms):
...     s = amortize(terms)
...     assert s.total_principal == terms.note_amount + s.capitalized_interest
>>> test_principal_sums()
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError("autoloan.testing needs hypothesis: pip install hypothesis") from exc

from autoloan.amortization import Fee, LoanTerms, Method, OddDays
from autoloan.dates import DayCount, Frequency
from autoloan.money import CURRENCIES, Rounding

__all__ = ["dates", "fees", "frequencies", "loan_terms", "methods", "money", "rates"]


def money(
    min_value: Decimal | int = 1, max_value: Decimal | int = 10_000_000, places: int = 2
) -> st.SearchStrategy[Decimal]:
    """Decimal amounts with at most ``places`` decimals in ``[min_value, max_value]``."""
    scale = 10**places
    lo, hi = int(Decimal(min_value) * scale), int(Decimal(max_value) * scale)
    return st.integers(lo, hi).map(lambda units: Decimal(units).scaleb(-places))


def rates(max_rate: str = "0.60") -> st.SearchStrategy[Decimal]:
    """Annual rates as fractions with up to 6 decimals (0 to ``max_rate``), zero included."""
    top = int(Decimal(max_rate) * 10**6)
    return st.one_of(st.just(Decimal(0)), st.integers(0, top).map(lambda n: Decimal(n).scaleb(-6)))


def dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2060, 12, 31)
) -> st.SearchStrategy[date]:
    return st.dates(min_value=min_value, max_value=max_value)


def frequencies() -> st.SearchStrategy[Frequency]:
    return st.sampled_from(list(Frequency))


def methods() -> st.SearchStrategy[Method]:
    return st.sampled_from(list(Method))


def fees(currency: str = "USD") -> st.SearchStrategy[tuple[Fee, ...]]:
    places = CURRENCIES[currency].minor_units
    fee = st.builds(
        Fee,
        name=st.sampled_from(["origination", "documentation", "title", "gps"]),
        amount=money(0, 2000, places),
        financed=st.booleans(),
        finance_charge=st.booleans(),
    )
    return st.lists(fee, max_size=3).map(tuple)


@st.composite
def loan_terms(
    draw: st.DrawFn,
    method: Method | None = None,
    max_term: int = 120,
    currency: str | None = None,
    odd_first_period: bool = True,
) -> LoanTerms:
    """Valid :class:`LoanTerms` over wide ranges of every field."""
    meth = method if method is not None else draw(methods())
    cur = currency if currency is not None else draw(st.sampled_from(["USD", "CNY", "EUR", "JPY"]))
    places = CURRENCIES[cur].minor_units
    principal = draw(money(Decimal(100), Decimal(5_000_000), places))
    term = draw(st.integers(1, max_term))
    start = draw(dates())
    first_due = None
    if odd_first_period and draw(st.booleans()):
        first_due = start + timedelta(days=draw(st.integers(1, 75)))
    balloon = Decimal(0)
    if meth is Method.BALLOON or (meth in (Method.ANNUITY, Method.EQUAL_PRINCIPAL) and draw(st.booleans())):
        share = draw(st.integers(1 if meth is Method.BALLOON else 0, 60))
        balloon = (principal * share / 100).quantize(Decimal(1).scaleb(-places))
        if meth is Method.BALLOON and balloon <= 0:
            balloon = Decimal(1).scaleb(-places)
    io_allowed = meth in (Method.ANNUITY, Method.BALLOON, Method.EQUAL_PRINCIPAL, Method.SIMPLE_INTEREST)
    io = draw(st.integers(0, min(term - 1, 12))) if io_allowed and term > 1 and draw(st.booleans()) else 0
    multiple = draw(st.sampled_from([None, None, Decimal(1), Decimal(10)]))
    return LoanTerms(
        principal=principal,
        annual_rate=draw(rates()),
        term=term,
        start=start,
        first_due=first_due,
        frequency=draw(frequencies()),
        method=meth,
        day_count=draw(st.one_of(st.none(), st.sampled_from(list(DayCount)))),
        balloon=balloon,
        interest_only_periods=io,
        fees=draw(fees(cur)),
        currency=cur,
        rounding=draw(st.sampled_from([Rounding.HALF_UP, Rounding.HALF_EVEN])),
        payment_multiple=multiple,
        odd_days=draw(st.sampled_from(list(OddDays))),
    )
