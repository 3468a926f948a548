"""Fuzz of ``autoloan.rates``: every public callable, hostile values mixed into valid arguments.

Each callable is called through :func:`fuzzkit.call` (only an :class:`~autoloan.errors.AutoloanError`
or a result may come back, within :data:`fuzzkit.SECONDS`) with each argument either a valid value
(so the calls reach past the first check) or something hostile: numbers at every edge, numpy and
pandas values, dates at the calendar's ends, strings, containers. Lists of pairs also get hostile
items. Results that come back are checked: rates are finite Decimals with 10 places.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autoloan.amortization import LoanTerms
from autoloan.dates import add_months
from autoloan.errors import AutoloanError
from autoloan.rates import appendix_j, coerce, eu, kernel, returns, solve
from fuzzkit import call, hostile, hostile_dates, hostile_numbers, numpy_values

START = date(2026, 1, 15)
PAYS = [(add_months(START, k), Decimal("88.85")) for k in range(1, 13)]
DATES = [d for d, _ in PAYS]
STEPS = [(Decimal("88.85"), 1, 12, Fraction(0))]
FSTEPS = [(88.85, 1, 12, 0.0)]
FLOWS = [(0, 0, Decimal(-1000)), *((k, 0, Decimal("88.85")) for k in range(1, 13))]
TERMS = LoanTerms(principal=10000, annual_rate="0.06", term=12, start=START)

#: name -> (callable, positional arguments, keyword arguments), all valid.
CASES: dict[str, tuple[Callable[..., Any], list[Any], dict[str, Any]]] = {
    # appendix_j
    "autoloan.rates.appendix_j.apr_actuarial": (
        appendix_j.apr_actuarial,
        [Decimal(1000), START, PAYS],
        {"unit_period": None},
    ),
    "autoloan.rates.appendix_j.apr_actuarial_detail": (
        appendix_j.apr_actuarial_detail,
        [Decimal(1000), START, PAYS],
        {"unit_period": "monthly"},
    ),
    "autoloan.rates.appendix_j.apr_actuarial_by_path": (
        appendix_j.apr_actuarial_by_path,
        [Decimal(1000), START, PAYS, None],
        {"path": "general"},
    ),
    "autoloan.rates.appendix_j.apr": (appendix_j.apr, [TERMS], {}),
    "autoloan.rates.appendix_j.apr_tolerance": (appendix_j.apr_tolerance, [], {"irregular": True}),
    "autoloan.rates.appendix_j.apr_tolerance_ok": (appendix_j.apr_tolerance_ok, ["9.75%", "0.0969"], {}),
    "autoloan.rates.appendix_j.payment_timing": (
        appendix_j.payment_timing,
        [START, DATES[3], "monthly", DATES],
        {},
    ),
    "autoloan.rates.appendix_j.UnitPeriod": (appendix_j.UnitPeriod, ["month", 3], {}),
    "autoloan.rates.appendix_j.AprTiming": (appendix_j.AprTiming, [START, Decimal(1), 1, Fraction(0)], {}),
    "autoloan.rates.appendix_j.AprResult": (
        appendix_j.AprResult,
        [Decimal("0.1"), appendix_j.UnitPeriod("month"), Fraction(12), (), False, Decimal("0.00125")],
        {},
    ),
    # eu, returns, solve
    "autoloan.rates.eu.aprc_eu": (
        eu.aprc_eu,
        [[(START, Decimal(1000))], [(START + timedelta(days=400), Decimal(1100))]],
        {"basis": "calendar"},
    ),
    "autoloan.rates.returns.irr": (returns.irr, [[-100, 39, 59, 55, 20], 12], {}),
    "autoloan.rates.returns.xirr": (returns.xirr, [[(START, -100), (START + timedelta(days=365), 110)]], {}),
    "autoloan.rates.returns.annualized_rate": (
        returns.annualized_rate,
        [100000, "3055.56"],
        {"term": 36, "fees": 0, "frequency": "monthly", "effective": False},
    ),
    "autoloan.rates.returns.flat_rate_to_apr": (
        returns.flat_rate_to_apr,
        ["10%", 36],
        {"per": "term", "frequency": "monthly", "effective": True},
    ),
    "autoloan.rates.returns.effective_rate": (returns.effective_rate, ["0.12", 12], {}),
    "autoloan.rates.solve.solve_rate": (
        solve.solve_rate,
        [8000, 200, 48],
        {"frequency": "monthly", "balloon": 0},
    ),
    "autoloan.rates.solve.solve_term": (
        solve.solve_term,
        [8000, "0.07", 150],
        {"frequency": "monthly", "currency": "USD", "rounding": "half_up"},
    ),
    # coerce
    "autoloan.rates.coerce.split_pairs": (coerce.split_pairs, [PAYS], {}),
    "autoloan.rates.coerce.split_distinct": (coerce.split_distinct, [PAYS], {}),
    "autoloan.rates.coerce.dated_pairs": (coerce.dated_pairs, [PAYS, "payments"], {}),
    "autoloan.rates.coerce.amount_list": (coerce.amount_list, [[1, "2.5", Decimal(3)], "cashflows"], {}),
    "autoloan.rates.coerce.whole_number": (coerce.whole_number, [5, "term", 1, 10], {}),
    "autoloan.rates.coerce.frequency_per_year": (coerce.frequency_per_year, ["monthly"], {}),
    "autoloan.rates.coerce.flag": (coerce.flag, [True, "effective"], {}),
    "autoloan.rates.coerce.choice": (coerce.choice, ["term", ("year", "term"), "per"], {}),
    # kernel
    "autoloan.rates.kernel.Run": (kernel.Run, [Decimal(-1), 0, 1, 1, 0], {}),
    "autoloan.rates.kernel.runs": (kernel.runs, [FLOWS], {}),
    "autoloan.rates.kernel.Equation": (kernel.Equation, [kernel.runs(FLOWS)], {}),
    "autoloan.rates.kernel.decimal_exponent": (kernel.decimal_exponent, [Fraction(1, 3)], {}),
    "autoloan.rates.kernel.steps_value": (
        kernel.steps_value,
        [Decimal(-1000), [(Decimal("88.85"), 1, 12, None)], Decimal("0.01")],
        {},
    ),
    "autoloan.rates.kernel.steps_float": (kernel.steps_float, [1000.0, FSTEPS, 0.01], {}),
    "autoloan.rates.kernel.steps_float_at_zero": (kernel.steps_float_at_zero, [1000.0, FSTEPS], {}),
    "autoloan.rates.kernel.solve_steps": (kernel.solve_steps, [Decimal(-1000), STEPS, 12, 0], {}),
    "autoloan.rates.kernel.certify_steps_decimal": (
        kernel.certify_steps_decimal,
        [Decimal(-1000), STEPS, FSTEPS, Decimal("0.12"), 12, 0],
        {},
    ),
    "autoloan.rates.kernel.certify_steps_float": (
        kernel.certify_steps_float,
        [1000.0, FSTEPS, Decimal("0.12"), 12.0],
        {},
    ),
    "autoloan.rates.kernel.solve_singles": (
        kernel.solve_singles,
        [Decimal(-100), [365, 400], [Decimal(50), Decimal(60)], 365],
        {},
    ),
    "autoloan.rates.kernel.periodic_runs": (kernel.periodic_runs, [[Decimal(-100), Decimal(110)]], {}),
    "autoloan.rates.kernel.solve_periodic": (
        kernel.solve_periodic,
        [[Decimal(-100), Decimal(110)], 1, 0],
        {},
    ),
    "autoloan.rates.kernel.solve": (kernel.solve, [FLOWS, 12, 0], {}),
}

#: Every public callable of autoloan.rates (its submodules' ``__all__``); the package's re-exports
#: resolve to these definitions in tests/test_fuzz.py, so they are not listed a second time.
FUZZED = set(CASES)


def hostile_pairs() -> st.SearchStrategy[Any]:
    """Lists of (date, amount) pairs with hostile dates, amounts or shapes among valid ones."""
    good = st.tuples(st.dates(date(1990, 1, 1), date(2060, 1, 1)), st.integers(-(10**6), 10**6))
    bad = st.one_of(
        st.tuples(hostile_dates(), st.integers(0, 1000)),
        st.tuples(st.just(START), st.one_of(hostile_numbers(), numpy_values())),
        hostile(),
    )
    return st.lists(st.one_of(good, good, bad), max_size=6)


def mixed(valid: Any) -> st.SearchStrategy[Any]:
    """Mostly the valid value, often something hostile (pair lists also with hostile items)."""
    options = [st.just(valid), st.just(valid), hostile(), hostile_numbers(), numpy_values()]
    if isinstance(valid, list) and valid and isinstance(valid[0], tuple) and len(valid[0]) == 2:
        options.append(hostile_pairs())
    if isinstance(valid, date):
        options.append(hostile_dates())
    return st.one_of(options)


def _check(name: str, result: Any) -> None:
    if isinstance(result, AutoloanError) or name.rsplit(".", 1)[1] not in {
        "apr_actuarial",
        "apr",
        "aprc_eu",
        "irr",
        "xirr",
        "annualized_rate",
        "flat_rate_to_apr",
        "effective_rate",
        "solve_rate",
    }:
        return
    assert isinstance(result, Decimal) and result.is_finite() and result.as_tuple().exponent == -10


CALLS = [0]  # fuzzed calls made in this session (printed by the last test; run with -s to see it)

#: Examples per callable: an eighth of the profile's (CI 25, deep 500: 40 callables share the budget).
EXAMPLES = max(10, settings().max_examples // 8)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_only_typed_errors(name: str, data: st.DataObject) -> None:
    fn, args, kwargs = CASES[name]
    drawn = [data.draw(mixed(a), label=f"arg{i}") for i, a in enumerate(args)]
    kw = {k: data.draw(mixed(v), label=k) for k, v in kwargs.items()}
    CALLS[0] += 1
    _check(name, call(fn, *drawn, **kw))


def test_the_valid_cases_are_valid() -> None:
    """The unmixed arguments really are valid (else the fuzz would only ever meet the first check)."""
    for name, (fn, args, kwargs) in CASES.items():
        result = call(fn, *args, **kwargs)
        assert not isinstance(result, AutoloanError), (name, result)


def test_every_public_rates_callable_is_a_case() -> None:
    """CASES (= FUZZED) covers every submodule's ``__all__`` callable; the package re-exports are these."""
    import inspect

    for module in (appendix_j, coerce, eu, kernel, returns, solve):
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                assert f"{module.__name__}.{attr}" in CASES, attr


def test_report_the_call_count() -> None:
    """Runs after the fuzz (file order): print how many hostile calls were made (``pytest -s``)."""
    print(f"\nrates fuzz: {CALLS[0]} calls over {len(CASES)} public callables")
