"""``autoloan status`` and ``autoloan payoff``: payments against the contract."""

from __future__ import annotations

import argparse
import csv
import json
from datetime import date
from decimal import Decimal

from autoloan.amortization import LoanTerms, amortize
from autoloan.amortization.terms import LOAN_TERMS_FIELDS
from autoloan.cli.common import Subparsers, iso_date, json_default, out

__all__ = ["demo", "register"]


def demo() -> None:
    from datetime import timedelta

    from autoloan.servicing import Payment, ServicingRules, account_status

    out("== Servicing: real payments against the schedule / 贷后账务 ==")
    car = LoanTerms(principal=150000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY")
    sched = amortize(car)
    paid = [Payment(i.due_date, i.payment) for i in sched[:2]]  # March and April are missed
    st = account_status(car, paid, date(2026, 5, 20), rules=ServicingRules.cn_bank())
    out(
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
        out(f"  US simple interest, $377 after {days} days: interest {a.interest}, principal {a.principal}")
    out("")


def register(sub: Subparsers) -> None:
    """Add ``status`` and ``payoff``."""
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
    p.add_argument("--as-of", required=True, type=iso_date, help="status date YYYY-MM-DD")
    p.add_argument("--installments", action="store_true", help="also list every installment")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(handler=_cmd_status)
    q = sub.add_parser("payoff", help="payoff quote from a loan file and a payments file", description=files)
    q.add_argument("--loan", required=True, help="loan JSON file")
    q.add_argument("--payments", default=None, help="payments CSV file (none: no payments)")
    q.add_argument("--on", required=True, type=iso_date, help="payoff date YYYY-MM-DD")
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
        out(json.dumps(payload, default=json_default, indent=2, ensure_ascii=False))
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
    out("\n".join(lines))
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
        out(json.dumps(data, default=json_default, indent=2, ensure_ascii=False))
    else:
        out("\n".join(f"  {k:<17} {v}" for k, v in data.items()))
    return 0
