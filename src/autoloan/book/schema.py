"""The fixed table schemas of :mod:`autoloan.book`: loans, payments, contacts, and the outputs.

Every table is columnar: a mapping of column name to a sequence (list, tuple, numpy array), a
``pyarrow.Table`` or a ``pandas.DataFrame``. Columns not named here are ignored; a required column
that is missing fails the call. Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) in an optional
column take the default.

>>> from autoloan.book.schema import LOANS
>>> [c.name for c in LOANS if c.required]
['loan_id', 'principal', 'annual_rate', 'term', 'start']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

__all__ = [
    "CLASSIFY_COLUMNS",
    "CONTACTS",
    "ERROR_COLUMNS",
    "LOANS",
    "MONEY_STATUS_COLUMNS",
    "PAYMENTS",
    "STATUS_COLUMNS",
    "Column",
    "describe",
]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a book table: name, kind, whether required, default and meaning.

    >>> Column("term", "int", True, None, "number of installments").kind
    'int'
    """

    name: str
    kind: str  # id, money, rate, int, date, text, datetime, bool
    required: bool
    default: Any
    doc: str


LOANS: tuple[Column, ...] = (
    Column("loan_id", "id", True, None, "unique account id (string or integer)"),
    Column("principal", "money", True, None, "amount lent, in the loan's currency"),
    Column("annual_rate", "rate", True, None, "nominal annual rate as a fraction (0.0435) or '4.35%'"),
    Column("term", "int", True, None, "number of installments"),
    Column("start", "date", True, None, "disbursement date"),
    Column("first_due", "date", False, None, "first due date (default: one period after start)"),
    Column("method", "text", False, "annuity", "annuity, equal_principal, … (等额本息 works too)"),
    Column("frequency", "text", False, "monthly", "monthly, biweekly, …"),
    Column("day_count", "text", False, None, "30/360, ACT/365F, … (default: the method's)"),
    Column("currency", "text", False, "CNY", "ISO 4217 code"),
    Column("balloon", "money", False, 0, "final balloon amount"),
    Column("interest_only_periods", "int", False, 0, "interest-only periods at the start"),
    Column("fees", "money", False, 0, "one financed fee added to the amount repaid"),
    Column("rounding", "text", False, "half_up", "rounding mode of the schedule"),
    Column("servicing", "text", False, "default", "servicing rules: default, cn_bank, us_simple_interest"),
    Column("jurisdiction", "text", False, None, "ISO 3166 code of the borrower (passed through)"),
    Column(
        "behaviour", "text", False, None, "a synthetic loan's payment behaviour (informational, not used)"
    ),
)

PAYMENTS: tuple[Column, ...] = (
    Column("loan_id", "id", True, None, "the loan paid"),
    Column("date", "date", True, None, "date received"),
    Column("amount", "money", True, None, "amount, positive, in the loan's currency"),
    Column("reference", "text", False, None, "unique per loan when given"),
    Column("reversal_of", "text", False, None, "reference of the payment this row reverses (NSF)"),
)

CONTACTS: tuple[Column, ...] = (
    Column("loan_id", "id", True, None, "the loan (the action's debt_id)"),
    Column("kind", "text", True, None, "call, sms, email, letter, visit, …"),
    Column("at", "datetime", True, None, "timezone-aware time of the contact"),
    Column("target", "text", False, "borrower", "borrower, third_party, attorney"),
    Column("contact_id", "text", False, None, "person reached, when not the borrower"),
    Column("place", "text", False, None, "home, work, …"),
    Column("outcome", "text", False, None, "delivered, answered, refused, …"),
    Column("automated", "bool", False, False, "dialer or prerecorded"),
    Column("initiated_by_borrower", "bool", False, False, "inbound contact"),
)

#: Money columns of the statuses table (Decimal, or int64 minor units with ``money="minor"``).
MONEY_STATUS_COLUMNS: tuple[str, ...] = (
    "principal_balance",
    "accrued_interest",
    "amount_past_due",
    "principal_past_due",
    "interest_past_due",
    "fees_past_due",
    "penalty_past_due",
    "next_due_amount",
    "fees_due",
    "penalty_due",
    "payoff_amount",
    "rebate",
    "per_diem",
    "paid_to_date",
    "credit_balance",
)

#: Columns of ``book.statuses``: the loan id, then every field of ``servicing.AccountStatus``.
STATUS_COLUMNS: tuple[str, ...] = (
    "loan_id",
    "as_of",
    "currency",
    "principal_balance",
    "accrued_interest",
    "amount_past_due",
    "principal_past_due",
    "interest_past_due",
    "fees_past_due",
    "penalty_past_due",
    "oldest_unpaid_due_date",
    "days_past_due",
    "installments_in_arrears",
    "days_delinquent",
    "days_since_qualifying_payment",
    "next_due_date",
    "next_due_amount",
    "fees_due",
    "penalty_due",
    "payoff_amount",
    "rebate",
    "per_diem",
    "paid_to_date",
    "last_payment_date",
    "credit_balance",
    "partial_payment",
)

#: Columns of ``book.classify``: the loan id, days past due, and one grade per view of ``classify_all``.
CLASSIFY_COLUMNS: tuple[str, ...] = (
    "loan_id",
    "days_past_due",
    "cycle",
    "dpd30",
    "china",
    "china_zh",
    "ffiec",
    "ifrs9",
    "basel",
    "metro2",
)

#: Columns of the errors table (``errors="collect"``): one row per bad input row.
ERROR_COLUMNS: tuple[str, ...] = ("table", "row", "loan_id", "column", "reason", "value")
#: Kind of each column of the errors table (a copy to change: Arrow tables hold the loan id as text).
ERROR_TYPES: Mapping[str, str] = MappingProxyType(
    {"table": "text", "row": "int", "loan_id": "id", "column": "text", "reason": "text", "value": "text"}
)


def describe(schema: tuple[Column, ...]) -> list[dict[str, Any]]:
    """The schema as plain rows (for docs and ``autoloan book schema``).

    >>> describe(PAYMENTS)[0]["name"]
    'loan_id'
    """
    return [
        {"name": c.name, "kind": c.kind, "required": c.required, "default": c.default, "doc": c.doc}
        for c in schema
    ]
