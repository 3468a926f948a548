"""``autoloan schedule``: a repayment schedule and its totals."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date

from autoloan.amortization import Fee, LoanTerms, Method, Schedule, amortize
from autoloan.cli.common import Subparsers, iso_date, json_default, out, positive_int

__all__ = ["demo", "register"]


def _add_loan_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--principal", required=True, help="amount lent, e.g. 150000")
    p.add_argument("--rate", required=True, help="annual rate: 4.35%% or 0.0435")
    p.add_argument("--term", required=True, type=positive_int, help="number of payments")
    p.add_argument(
        "--method",
        default="annuity",
        help="annuity, equal_principal, interest_only, bullet, "
        "balloon, flat, rule_of_78, simple_interest (default annuity)",
    )
    p.add_argument("--start", type=iso_date, required=True, help="disbursement date YYYY-MM-DD")
    p.add_argument("--first-due", type=iso_date, default=None, help="first due date (odd first period)")
    p.add_argument("--frequency", default="monthly")
    p.add_argument("--day-count", default=None, help="30/360, 30E/360, ACT/360, ACT/365F, ACT/ACT")
    p.add_argument("--balloon", default="0")
    p.add_argument("--interest-only-periods", type=int, default=0)
    p.add_argument("--currency", default="USD")
    p.add_argument("--payment-multiple", default=None)


def _terms_from_args(args: argparse.Namespace) -> LoanTerms:
    return LoanTerms(
        principal=args.principal,
        annual_rate=args.rate,
        term=args.term,
        start=args.start,
        first_due=args.first_due,
        frequency=args.frequency,
        method=args.method,
        day_count=args.day_count,
        balloon=args.balloon,
        interest_only_periods=args.interest_only_periods,
        currency=args.currency,
        payment_multiple=args.payment_multiple,
    )


def _print_schedule(schedule: Schedule, fmt: str) -> None:
    rows = schedule.to_rows()
    if fmt == "json":
        payload = {
            "terms": {
                "principal": schedule.terms.principal,
                "annual_rate": schedule.terms.annual_rate,
                "term": schedule.terms.term,
                "method": schedule.terms.method.value,
                "currency": schedule.terms.currency,
            },
            "installments": rows,
            "total_payment": schedule.total_payment,
            "total_interest": schedule.total_interest,
            "total_principal": schedule.total_principal,
        }
        out(json.dumps(payload, default=json_default, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out(buffer.getvalue())
    else:
        out(str(schedule))


def _cmd_schedule(args: argparse.Namespace) -> int:
    _print_schedule(amortize(_terms_from_args(args)), args.format)
    return 0


def demo() -> None:
    start = date(2026, 1, 15)
    out("== 1. Schedules, exact to the cent / 还款计划 ==")
    car = LoanTerms(principal=150000, annual_rate="0.0435", term=36, start=start, currency="CNY")
    for method in (Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.FLAT):
        s = amortize(car.replace(method=method))
        out(
            f"  {method.label_zh:<12} {method.label_en:<32} first payment {s[0].payment:>10,}  "
            f"last {s[-1].payment:>10,}  total interest {s.total_interest:>10,}"
        )
    us = LoanTerms(
        principal="28500",
        annual_rate="0.0699",
        term=60,
        start=start,
        first_due=date(2026, 3, 1),
        method="simple_interest",
        fees=(Fee("documentation fee", 499, financed=True),),
    )
    s = amortize(us)
    out(
        f"  US simple interest, odd first period: first {s[0].payment} (interest {s[0].interest}), "
        f"level {s.level_payment}, last {s[-1].payment}, principal sums to {s.total_principal}"
    )
    out("")
    out(str(amortize(car.replace(term=6))))
    out("")


def register(sub: Subparsers) -> None:
    """Add ``schedule``."""
    p = sub.add_parser("schedule", help="print a repayment schedule and its totals")
    _add_loan_arguments(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=_cmd_schedule)
