"""Compliance checker: is this collection action allowed now, and if not, when?

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from autoloan.compliance import Action, Borrower, check
>>> at = datetime(2026, 3, 2, 7, 30, tzinfo=ZoneInfo("America/New_York"))
>>> v = check(Action("call", at, debt_id="L1"), history=[], borrower=Borrower("US-MA"))
>>> v.allowed, v.findings[0].rule_id, v.next_permitted.isoformat()
(False, 'US.REGF.1006.6(b)(1)(i)', '2026-03-02T08:00:00-05:00')
"""

from __future__ import annotations

from autoloan.compliance.engine import check, with_overrides
from autoloan.compliance.history import History
from autoloan.compliance.model import (
    Account,
    Action,
    ActionKind,
    AgreementType,
    Borrower,
    Collector,
    Finding,
    HousePolicy,
    Outcome,
    Place,
    Purpose,
    Severity,
    Target,
    Verdict,
)
from autoloan.compliance.registry import REGISTRY, Pack, Registry, register_pack, rules_for
from autoloan.compliance.report import coverage_rows, coverage_table, rules_rows, rules_table
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules import register_builtin

register_builtin(REGISTRY)

__all__ = [
    "REGISTRY",
    "Account",
    "Action",
    "ActionKind",
    "AgreementType",
    "Borrower",
    "Collector",
    "Context",
    "Finding",
    "History",
    "HousePolicy",
    "Outcome",
    "Pack",
    "Place",
    "Purpose",
    "Registry",
    "Rule",
    "Severity",
    "Target",
    "Verdict",
    "check",
    "coverage_rows",
    "coverage_table",
    "register_pack",
    "rules_for",
    "rules_rows",
    "rules_table",
    "with_overrides",
]
