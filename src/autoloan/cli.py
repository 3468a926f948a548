"""The ``autoloan`` command line. With ``__main__.py`` the only module that does I/O.

Each capability registers its subcommands in its own section below
(``_register_*`` functions); ``main`` turns every :class:`AutoloanError` and
bad argument into one clear line on stderr and a non-zero exit, no traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from autoloan.amortization import Fee, LoanTerms, Method, Schedule, amortize
from autoloan.errors import AutoloanError

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- section: schedule and demo (issue 2) -----------------------------------------------------------


def _add_loan_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--principal", required=True, help="amount lent, e.g. 150000")
    p.add_argument("--rate", required=True, help="annual rate: 4.35%% or 0.0435")
    p.add_argument("--term", required=True, type=_positive_int, help="number of payments")
    p.add_argument(
        "--method",
        default="annuity",
        help="annuity, equal_principal, interest_only, bullet, "
        "balloon, flat, rule_of_78, simple_interest (default annuity)",
    )
    p.add_argument("--start", type=_iso_date, default=None, help="disbursement date (default: today)")
    p.add_argument("--first-due", type=_iso_date, default=None, help="first due date (odd first period)")
    p.add_argument("--frequency", default="monthly")
    p.add_argument("--day-count", default=None, help="30/360, 30E/360, ACT/360, ACT/365F, ACT/ACT")
    p.add_argument("--balloon", default="0")
    p.add_argument("--interest-only-periods", type=int, default=0)
    p.add_argument("--currency", default="USD")
    p.add_argument("--payment-multiple", default=None)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _terms_from_args(args: argparse.Namespace) -> LoanTerms:
    return LoanTerms(
        principal=args.principal,
        annual_rate=args.rate,
        term=args.term,
        start=args.start or date.today(),
        first_due=args.first_due,
        frequency=args.frequency,
        method=args.method,
        day_count=args.day_count,
        balloon=args.balloon,
        interest_only_periods=args.interest_only_periods,
        currency=args.currency,
        payment_multiple=args.payment_multiple,
    )


def _json_default(value: object) -> str:
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(type(value).__name__)


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
        _out(json.dumps(payload, default=_json_default, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        _out(buffer.getvalue())
    else:
        _out(str(schedule))


def _cmd_schedule(args: argparse.Namespace) -> int:
    _print_schedule(amortize(_terms_from_args(args)), args.format)
    return 0


def _demo_core() -> None:
    start = date(2026, 1, 15)
    _out("== 1. Schedules, exact to the cent / 还款计划 ==")
    car = LoanTerms(principal=150000, annual_rate="0.0435", term=36, start=start, currency="CNY")
    for method in (Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.FLAT):
        s = amortize(car.replace(method=method))
        _out(
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
    _out(
        f"  US simple interest, odd first period: first {s[0].payment} (interest {s[0].interest}), "
        f"level {s.level_payment}, last {s[-1].payment}, principal sums to {s.total_principal}"
    )
    _out("")
    _out(str(amortize(car.replace(term=6))))
    _out("")


def _cmd_demo(args: argparse.Namespace) -> int:
    for section in _DEMO_SECTIONS:
        section()
    return 0


_DEMO_SECTIONS: list[Callable[[], None]] = [_demo_core]


def _register_core(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("schedule", help="print a repayment schedule and its totals")
    _add_loan_arguments(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(handler=_cmd_schedule)
    d = sub.add_parser("demo", help="show what autoloan does, on embedded sample data")
    d.set_defaults(handler=_cmd_demo)


# --- section: rates (issue 3) -------------------------------------------------------------------------


def _register_rates(sub: argparse._SubParsersAction[_Parser]) -> None:
    pass


# --- section: servicing (issue 4) ---------------------------------------------------------------------


def _register_servicing(sub: argparse._SubParsersAction[_Parser]) -> None:
    pass


# --- section: delinquency (issue 5) -------------------------------------------------------------------


def _register_delinquency(sub: argparse._SubParsersAction[_Parser]) -> None:
    pass


# --- section: compliance (issue 6) --------------------------------------------------------------------


def _register_compliance(sub: argparse._SubParsersAction[_Parser]) -> None:
    from autoloan.compliance.model import ActionKind, Place, Target

    rules = sub.add_parser("rules", help="print the compliance rule table (Markdown)")
    rules.add_argument("--jurisdiction", "-j", default=None, help="ISO 3166 code, e.g. US-MA (default: all)")
    rules.set_defaults(handler=_cmd_rules)

    chk = sub.add_parser("check", help="is a collection action allowed now? (exit 0 allowed, 1 blocked)")
    chk.add_argument("--action", required=True, choices=[k.value for k in ActionKind])
    chk.add_argument("--at", required=True, help="ISO 8601 time with offset, e.g. 2026-03-02T07:30-05:00")
    chk.add_argument("--jurisdiction", "-j", required=True, help="ISO 3166 code: US, US-MA, GB, CN …")
    chk.add_argument("--tz", action="append", default=[], help="a plausible IANA zone (repeatable)")
    chk.add_argument("--debt", default="default", help="debt id")
    chk.add_argument("--target", default="borrower", choices=[t.value for t in Target])
    chk.add_argument("--place", default=None, choices=[p.value for p in Place])
    chk.add_argument("--automated", action="store_true", help="dialer or prerecorded (TCPA)")
    chk.add_argument("--json", action="store_true", help="print the verdict as JSON")
    chk.set_defaults(handler=_cmd_check)


def _cmd_rules(args: argparse.Namespace) -> int:
    from autoloan.compliance import rules_table

    _out(rules_table(args.jurisdiction))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from datetime import datetime

    from autoloan.compliance import Action, Borrower, check
    from autoloan.errors import InvalidAction

    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        raise InvalidAction("--at", args.at, "not an ISO 8601 date-time") from None
    action = Action(
        args.action, at, debt_id=args.debt, target=args.target, place=args.place, automated=args.automated
    )
    borrower = Borrower(args.jurisdiction, timezones=tuple(args.tz))
    verdict = check(action, history=(), borrower=borrower)
    _out(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2) if args.json else str(verdict))
    return 0 if verdict.allowed else 1


# --- entry point ---------------------------------------------------------------------------------------


def build_parser() -> _Parser:
    """The argument parser with every registered subcommand."""
    parser = _Parser(prog="autoloan", description="Exact auto-loan arithmetic and collections rules.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in (
        _register_core,
        _register_rates,
        _register_servicing,
        _register_delinquency,
        _register_compliance,
    ):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 2
        return handler(args)
    except _UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except AutoloanError as exc:
        sys.stderr.write(f"autoloan: error: {exc}\n")
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. `autoloan schedule | head`
        return 0
    except OSError as exc:
        sys.stderr.write(f"autoloan: error: {exc}\n")
        return 2
