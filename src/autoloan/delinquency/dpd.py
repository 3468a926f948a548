"""Days past due: the contractual count from the oldest unpaid due date.

The past-due status of a loan is determined by its contractual repayment terms, counting from the
due date of the oldest installment not yet paid in full (FFIEC Call Report instructions, Glossary
"Past due"; Apache Fineract ``LoanDelinquencyDomainServiceImpl``). A grace period before late fees
does *not* defer past-due status for regulatory reporting (Call Report instructions), so
``grace_days`` defaults to 0; use it only for an operational "delinquent days" figure.

>>> from datetime import date
>>> days_past_due(date(2024, 1, 15), date(2024, 3, 1))
46
>>> days_past_due(None, date(2024, 3, 1)), days_past_due(date(2024, 3, 1), date(2024, 3, 1))
(0, 0)
"""

from __future__ import annotations

from typing import Any

from autoloan.dates import coerce_date
from autoloan.delinquency._validate import check_days

__all__ = ["days_past_due"]


def days_past_due(oldest_unpaid_due_date: Any, as_of: Any, *, grace_days: int = 0) -> int:
    """Whole days from the oldest unpaid due date to ``as_of``, minus ``grace_days``, floored at 0.

    ``oldest_unpaid_due_date`` is ``None`` when nothing is overdue. A due date after ``as_of`` gives
    0 (not yet due). With ``grace_days=5`` an account 3 days late counts 0 and one 10 days late
    counts 5 (Fineract's ``graceOnArrearsAgeing``: grace shifts the count, it does not reset it).

    >>> from datetime import date
    >>> days_past_due(date(2024, 1, 15), date(2024, 1, 25), grace_days=5)
    5
    >>> days_past_due("2024-01-15", date(2024, 1, 10))
    0
    """
    when = coerce_date(as_of, "as_of")
    grace = check_days(grace_days, "grace_days")
    if oldest_unpaid_due_date is None:
        return 0
    due = coerce_date(oldest_unpaid_due_date, "oldest_unpaid_due_date")
    return max(0, (when - due).days - grace)
