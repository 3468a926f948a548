"""Fuzz of the fast constructors the book and the engine use (``Case.of_status``, ``Facts.at``):
hostile values in otherwise valid arguments raise only typed errors."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoloan import LoanTerms
from autoloan.compliance import Borrower
from autoloan.policy import Case
from autoloan.policy.facts import Facts
from autoloan.servicing import account_status
from fuzzkit import call, hostile

FUZZED: set[str] = set()  # methods of classes fuzzed elsewhere (Case, Facts); no new public callables

TERMS = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
STATUS = account_status(TERMS, [], date(2026, 2, 5))
BORROWER = Borrower("CN")
NOW = datetime(2026, 2, 6, 2, tzinfo=UTC)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(hostile(), st.integers(0, 3))
def test_case_of_status_takes_hostile_values(value: Any, where: int) -> None:
    args: list[Any] = ["L1", STATUS, BORROWER]
    if where < 3:
        args[where] = value
    case = call(Case.of_status, *args)
    if isinstance(case, Case):
        assert case.account_id == args[0] and case.status is args[1]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(hostile(), st.integers(0, 4))
def test_facts_at_takes_hostile_values(value: Any, where: int) -> None:
    args: list[Any] = [Case("L1", STATUS, BORROWER), NOW, NOW.date(), 0]
    if where < 4:
        args[where] = value
    f = call(Facts.at, *args)
    if isinstance(f, Facts):
        call(f.get, "dpd")
