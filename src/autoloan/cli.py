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
from autoloan.amortization.terms import LOAN_TERMS_FIELDS
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


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.0001'))} %"


def _cmd_apr(args: argparse.Namespace) -> int:
    from autoloan import rates
    from autoloan.errors import InvalidInput

    if args.flat_rate is not None:
        if args.principal is not None or args.payment is not None:
            raise InvalidInput("--flat-rate", args.flat_rate, "use --flat-rate or --principal/--payment")
        nominal = rates.flat_rate_to_apr(args.flat_rate, args.term, per=args.per, frequency=args.frequency)
        effective = rates.flat_rate_to_apr(
            args.flat_rate, args.term, per=args.per, frequency=args.frequency, effective=True
        )
        basis = {"year": "a year", "term": "over the term", "period": "a period"}[args.per]
        _out(f"flat rate {args.flat_rate} {basis}, {args.term} {args.frequency} payments")
    else:
        if args.principal is None or args.payment is None:
            raise InvalidInput("--principal/--payment", None, "give both, or --flat-rate")
        offer = {"term": args.term, "fees": args.fee, "frequency": args.frequency}
        nominal = rates.annualized_rate(args.principal, args.payment, **offer)
        effective = rates.annualized_rate(args.principal, args.payment, effective=True, **offer)
        _out(f"principal {args.principal}, fee {args.fee}, {args.term} x {args.payment} ({args.frequency})")
    _out(f"APR / 年化利率 (IRR method, nominal): {_percent(nominal)}")
    _out(f"effective annual rate (实际年利率):     {_percent(effective)}")
    return 0


def _demo_rates() -> None:
    from autoloan import rates

    _out("Rates: a 10 % total fee over 36 months (月供 3,055.56 on 100,000) is not 3.33 % a year:")
    _out(f"  APR (IRR method): {_percent(rates.annualized_rate(100000, '3055.56', term=36))}")
    _out("")


_DEMO_SECTIONS.append(_demo_rates)


def _register_rates(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "apr",
        help="annualized rate (APR, 年化利率) of an instalment or flat-fee offer, IRR method",
        description="APR by the IRR method: either --principal/--payment/--term (optionally --fee paid "
        "upfront), or --flat-rate/--term for a flat (add-on, 手续费) offer.",
    )
    p.add_argument("--principal", default=None, help="amount lent, e.g. 100000")
    p.add_argument("--payment", default=None, help="level payment per period, e.g. 3055.56")
    p.add_argument("--term", required=True, type=_positive_int, help="number of payments")
    p.add_argument("--fee", default="0", help="upfront fee deducted from the principal (手续费), default 0")
    p.add_argument("--flat-rate", default=None, help="flat / add-on rate, e.g. 3.5%%")
    p.add_argument(
        "--per",
        choices=("year", "term", "period"),
        default="year",
        help="the flat rate is per year (年费率, default), for the whole term (总费率) or a period (月费率)",
    )
    p.add_argument("--frequency", default="monthly", help="payment frequency (default monthly)")
    p.set_defaults(handler=_cmd_apr)


# --- section: servicing (issue 4) ---------------------------------------------------------------------


def _demo_servicing() -> None:
    from datetime import timedelta

    from autoloan.servicing import Payment, ServicingRules, account_status

    _out("== Servicing: real payments against the schedule / 贷后账务 ==")
    car = LoanTerms(principal=150000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY")
    sched = amortize(car)
    paid = [Payment(i.due_date, i.payment) for i in sched[:2]]  # March and April are missed
    st = account_status(car, paid, date(2026, 5, 20), rules=ServicingRules.cn_bank())
    _out(
        f"  CN car loan, 2 of 4 installments paid, on 2026-05-20: {st.days_past_due} days past due "
        f"(逾期天数), {st.installments_in_arrears} installments in arrears, past due {st.amount_past_due} "
        f"incl. 罚息 {st.penalty_past_due}; payoff {st.payoff_amount}"
    )
    us = LoanTerms(
        principal=20000, annual_rate="0.05", term=60, start=date(2026, 4, 1), method="simple_interest"
    )
    for days in (25, 30, 35):
        day = us.start + timedelta(days=days)
        (a,) = account_status(us, [Payment(day, Decimal(377))], day).allocations
        _out(f"  US simple interest, $377 after {days} days: interest {a.interest}, principal {a.principal}")
    _out("")


_DEMO_SECTIONS.append(_demo_servicing)


def _register_servicing(sub: argparse._SubParsersAction[_Parser]) -> None:
    files = (
        "--loan: a JSON object with LoanTerms fields (principal, annual_rate, term, start, and optionally "
        "first_due, frequency, method, day_count, balloon, interest_only_periods, currency, rounding) and an "
        "optional 'rules' object (see docs/servicing.md). --payments: CSV with a header row "
        "date,amount[,reference,reversal_of]."
    )
    p = sub.add_parser(
        "status", help="account status from a loan file and a payments file", description=files
    )
    p.add_argument("--loan", required=True, help="loan JSON file")
    p.add_argument("--payments", default=None, help="payments CSV file (none: no payments)")
    p.add_argument("--as-of", required=True, type=_iso_date, help="status date YYYY-MM-DD")
    p.add_argument("--installments", action="store_true", help="also list every installment")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(handler=_cmd_status)
    q = sub.add_parser("payoff", help="payoff quote from a loan file and a payments file", description=files)
    q.add_argument("--loan", required=True, help="loan JSON file")
    q.add_argument("--payments", default=None, help="payments CSV file (none: no payments)")
    q.add_argument("--on", required=True, type=_iso_date, help="payoff date YYYY-MM-DD")
    q.add_argument("--good-through-days", type=int, default=0)
    q.add_argument("--json", action="store_true", help="JSON output")
    q.set_defaults(handler=_cmd_payoff)


_LOAN_KEYS = tuple(key for key in LOAN_TERMS_FIELDS if key != "fees")  # fees: not read from JSON yet


def _read_loan(path: str) -> tuple[LoanTerms, object]:
    from autoloan.dates import coerce_date
    from autoloan.errors import InvalidInput
    from autoloan.servicing import rules_from_dict

    with open(path, encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise InvalidInput("--loan", path, f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise InvalidInput("--loan", path, "must hold a JSON object")
    unknown = sorted(set(data) - set(_LOAN_KEYS) - {"rules"})
    if unknown:
        raise InvalidInput(
            f"loan.{unknown[0]}", data[unknown[0]], "unknown key; use " + ", ".join(_LOAN_KEYS)
        )
    for key in ("principal", "annual_rate", "term", "start"):
        if key not in data:
            raise InvalidInput(f"loan.{key}", None, "is required")
    fields = {k: data[k] for k in _LOAN_KEYS if k in data}
    for key in ("start", "first_due"):
        if fields.get(key) is not None:
            fields[key] = coerce_date(fields[key], f"loan.{key}")
    if isinstance(fields.get("annual_rate"), float) or isinstance(fields.get("principal"), float):
        fields = {k: (str(v) if isinstance(v, float) else v) for k, v in fields.items()}
    return LoanTerms(**fields), rules_from_dict(data.get("rules"), "loan.rules")


def _read_payments(path: str | None) -> list[object]:
    from autoloan.dates import coerce_date
    from autoloan.errors import InvalidInput
    from autoloan.money import to_decimal
    from autoloan.servicing import Payment

    if path is None:
        return []
    out: list[object] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or not {"date", "amount"} <= {f.strip() for f in reader.fieldnames}:
            raise InvalidInput("--payments", path, "needs a header row with at least date,amount")
        for line, row in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            try:
                out.append(
                    Payment(
                        coerce_date(row["date"], "date"),
                        to_decimal(row["amount"], "amount"),
                        reference=row.get("reference") or None,
                        reversal_of=row.get("reversal_of") or None,
                    )
                )
            except InvalidInput as exc:
                raise InvalidInput(f"{path}:{line}.{exc.field}", exc.value, exc.reason) from None
    return out


def _cmd_status(args: argparse.Namespace) -> int:
    from autoloan.servicing import ServicingRules, account_status

    terms, rules = _read_loan(args.loan)
    assert isinstance(rules, ServicingRules)
    st = account_status(terms, _read_payments(args.payments), args.as_of, rules=rules)  # type: ignore[arg-type]
    fields = [
        ("as_of", "status date", "状态日期"),
        ("days_past_due", "days past due", "逾期天数"),
        ("installments_in_arrears", "installments in arrears", "逾期期数"),
        ("oldest_unpaid_due_date", "oldest unpaid due date", "最早未还期次应还日"),
        ("amount_past_due", "amount past due", "逾期金额"),
        ("principal_past_due", "  principal", "  逾期本金"),
        ("interest_past_due", "  interest", "  逾期利息"),
        ("fees_past_due", "  fees", "  费用"),
        ("penalty_past_due", "  penalty interest", "  罚息"),
        ("days_delinquent", "days delinquent (classification)", "分类逾期天数"),
        ("next_due_date", "next due date", "下次还款日"),
        ("next_due_amount", "next due amount", "下次应还"),
        ("principal_balance", "principal balance", "剩余本金"),
        ("accrued_interest", "accrued interest", "应计利息"),
        ("payoff_amount", "payoff amount", "提前结清金额"),
        ("per_diem", "per diem", "日息"),
        ("paid_to_date", "paid to date", "累计已还"),
        ("last_payment_date", "last payment date", "最近还款日"),
        ("credit_balance", "credit balance", "溢缴款"),
    ]
    if args.json:
        payload: dict[str, object] = {name: getattr(st, name) for name, _, _ in fields}
        payload["currency"] = st.currency
        if args.installments:
            payload["installments"] = [
                {k: getattr(i, k) for k in ("number", "due_date", "due", "paid", "remaining", "paid_on")}
                | {"state": i.state.value}
                for i in st.installments
            ]
        _out(json.dumps(payload, default=_json_default, indent=2, ensure_ascii=False))
        return 0
    lines = [f"Account status / 账户状态 ({st.currency})"]
    for name, en, zh in fields:
        value = getattr(st, name)
        lines.append(f"  {en + ':':<34} {'-' if value is None else str(value):<12}  {zh.strip()}")
    if args.installments:
        lines.append("  No.  due date     due          paid         remaining    paid on     state")
        for i in st.installments:
            lines.append(
                f"  {i.number:>3}  {i.due_date}  {i.due:>11}  {i.paid:>11}  {i.remaining:>11}  "
                f"{i.paid_on or '-'!s:<10}  {i.state.label_en} / {i.state.label_zh}"
            )
    _out("\n".join(lines))
    return 0


def _cmd_payoff(args: argparse.Namespace) -> int:
    from autoloan.servicing import ServicingRules, payoff_quote

    terms, rules = _read_loan(args.loan)
    assert isinstance(rules, ServicingRules)
    q = payoff_quote(
        terms,
        _read_payments(args.payments),  # type: ignore[arg-type]
        args.on,
        rules=rules,
        good_through_days=args.good_through_days,
    )
    data = q.to_dict()
    if args.json:
        _out(json.dumps(data, default=_json_default, indent=2, ensure_ascii=False))
    else:
        _out("\n".join(f"  {k:<17} {v}" for k, v in data.items()))
    return 0


# --- section: delinquency (issue 5) -------------------------------------------------------------------


def _register_delinquency(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "classify",
        help="one account through every delinquency view (buckets, 五级分类, FFIEC, IFRS 9, EU, Metro 2)",
        description="Classify one account by days past due (and optional amounts and events); "
        "prints every view side by side with the rule that decided it.",
    )
    p.add_argument("--dpd", required=True, type=_dpd_arg, help="days past due, e.g. 95")
    p.add_argument("--balance", default=None, help="principal balance (exposure for EU materiality)")
    p.add_argument("--past-due", default=None, help="amount past due (EU materiality needs --balance)")
    p.add_argument("--currency", default="USD", help="currency of the amounts (EU thresholds apply to EUR)")
    p.add_argument("--as-of", type=_iso_date, default=None, help="snapshot date (needed with event dates)")
    p.add_argument("--restructured", action="store_true", help="restructured asset in observation (重组资产)")
    p.add_argument("--unlikely-to-pay", action="store_true", help="unlikeliness to pay (EU default)")
    p.add_argument("--charged-off", action="store_true")
    p.add_argument("--repossessed", action="store_true")
    p.add_argument("--bankruptcy-notified", type=_iso_date, default=None, help="bankruptcy notice date")
    p.add_argument("--citations", action="store_true", help="also print each rule's citation and reason")
    p.add_argument("--json", action="store_true", help="print the views as JSON")
    p.set_defaults(handler=_cmd_classify)


def _dpd_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _cmd_classify(args: argparse.Namespace) -> int:
    from typing import Any

    from autoloan.delinquency import classify_all

    inputs: dict[str, Any] = {"days_past_due": args.dpd, "currency": args.currency}
    for key, value in (
        ("balance", args.balance),
        ("amount_past_due", args.past_due),
        ("as_of", args.as_of),
        ("bankruptcy_notified_on", args.bankruptcy_notified),
    ):
        if value is not None:
            inputs[key] = value
    for key in ("restructured", "unlikely_to_pay", "charged_off", "repossessed"):
        if getattr(args, key):
            inputs[key] = True
    views = classify_all(**inputs)
    if args.json:
        _out(json.dumps(views.to_rows(), ensure_ascii=False, indent=2, default=str))
        return 0
    _out(str(views))
    if args.citations:
        _out("")
        for row in views.to_rows():
            _out(f"{row['view']}: {row['reason']} — {row['citation'] or 'custom scheme'}")
    return 0


def _demo_delinquency() -> None:
    from autoloan.delinquency import BucketScheme, classify_all

    _out("== Delinquency: one account, every view / 逾期分类 ==")
    for dpd in (0, 45, 95, 200):
        bucket = BucketScheme.cycles().bucket(dpd)
        _out(f"  {dpd:>3} days past due -> {bucket.name} ({bucket.label_zh})")
    _out(str(classify_all(days_past_due=95, balance="18000", amount_past_due="1500", currency="EUR")))
    _out("")


_DEMO_SECTIONS.append(_demo_delinquency)


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


def _demo_compliance() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from autoloan.compliance import Action, Borrower, check

    _out("== Compliance: may we call now? / 催收合规 ==")
    boston = ZoneInfo("America/New_York")
    borrower = Borrower("US-MA", timezones=("America/New_York", "America/Los_Angeles"))
    history = [
        Action("call", datetime(2026, 3, 2, 12, 0, tzinfo=boston) + timedelta(days=d), debt_id="L1")
        for d in (0, 1)
    ]
    proposed = Action("call", datetime(2026, 3, 4, 9, 30, tzinfo=boston), debt_id="L1")
    verdict = check(proposed, history=history, borrower=borrower)
    _out("  Massachusetts borrower (address in Boston, cell phone in Los Angeles), 2 calls this week:")
    _out("  " + str(verdict).replace("\n", "\n  "))
    cn = check(
        Action("call", datetime(2026, 3, 4, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai")), debt_id="C1"),
        history=(),
        borrower=Borrower("CN"),
    )
    _out(f"  CN call at 22:30: allowed={cn.allowed}, next permitted {cn.next_permitted}")
    _out("")


_DEMO_SECTIONS.append(_demo_compliance)


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
