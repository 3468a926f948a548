"""``autoloan schedule``: a repayment schedule and its totals."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date

from autoloan.amortization import Fee, LoanTerms, Method, Schedule, amortize
from autoloan.cli.common import Subparsers, iso_date, out, positive_int, save_figure

__all__ = ["demo", "register"]


def _add_loan_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--principal", required=True, help="amount lent, e.g. 150000")
    p.add_argument(
        "--rate", required=True, help="annual rate: 4.35%% or the fraction 0.0435 (a bare 4.35 is refused)"
    )
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
    p.add_argument(
        "--odd-days",
        default=None,
        help="odd first period interest: add, capitalize or last (default by method)",
    )


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
        odd_days=getattr(args, "odd_days", None),
    )


def _schedule_json(schedule: Schedule) -> dict[str, object]:
    """The ``--json`` document: always the same keys in the same order; money and rates as strings."""
    t = schedule.terms
    return {
        "terms": {
            "principal": str(t.principal),
            "annual_rate": str(t.annual_rate),
            "term": t.term,
            "start": t.start.isoformat(),
            "first_due": t.first_due.isoformat() if t.first_due else None,
            "frequency": t.frequency.value,
            "method": t.method.value,
            "day_count": t.day_count.value,
            "odd_days": t.odd_days.value,
            "currency": t.currency,
            "note_amount": str(t.note_amount),
        },
        "level_payment": str(schedule.level_payment),
        "capitalized_interest": str(schedule.capitalized_interest),
        "paid_off_early": schedule.paid_off_early,
        "installments": [
            {
                "number": i.number,
                "due_date": i.due_date.isoformat(),
                "payment": str(i.payment),
                "principal": str(i.principal),
                "interest": str(i.interest),
                "fees": str(i.fees),
                "balance": str(i.balance),
            }
            for i in schedule
        ],
        "total_payment": str(schedule.total_payment),
        "total_interest": str(schedule.total_interest),
        "total_principal": str(schedule.total_principal),
    }


def _print_schedule(schedule: Schedule, fmt: str) -> None:
    if fmt == "json":
        out(json.dumps(_schedule_json(schedule), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        rows = schedule.to_rows()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out(buffer.getvalue())
    else:
        out(str(schedule))


def _cmd_schedule(args: argparse.Namespace) -> int:
    schedule = amortize(_terms_from_args(args))
    _print_schedule(schedule, args.format)
    if args.plot:
        from autoloan import plot

        save_figure(plot.schedule_balance(schedule), args.plot)
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
    p.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")
    p.add_argument("--plot", default=None, metavar="FILE.png", help="also draw the balance (autoloan[plot])")
    p.set_defaults(handler=_cmd_schedule)
