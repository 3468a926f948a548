"""``autoloan status`` and ``autoloan payoff``: payments against the contract."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date
from decimal import Decimal

from autoloan.amortization import LoanTerms, amortize
from autoloan.amortization.terms import LOAN_TERMS_FIELDS
from autoloan.cli.common import Subparsers, iso_date, json_default, out, read_text, save_figure
from autoloan.errors import InvalidInput

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
        "first_due, frequency, method, day_count, balloon, interest_only_periods, currency, rounding, "
        "fees: a list of {name, amount, financed, finance_charge}) and an optional 'rules' object (see "
        "docs/servicing.md). --payments: CSV with a header row date,amount[,reference,reversal_of]; dates "
        "as 2026-03-10 or 2026/03/10, amounts may carry thousands separators (1,234.50). Files may be "
        "UTF-8 (with or without BOM) or GBK/GB18030 as Excel and WPS write them; --encoding forces one."
    )
    p = sub.add_parser(
        "status", help="account status from a loan file and a payments file", description=files
    )
    p.add_argument("--loan", required=True, help="loan JSON file (- for stdin)")
    p.add_argument("--payments", default=None, help="payments CSV file (none: no payments)")
    p.add_argument("--as-of", required=True, type=iso_date, help="status date YYYY-MM-DD")
    p.add_argument("--installments", action="store_true", help="also list every installment")
    p.add_argument("--encoding", default=None, help="file encoding (default: UTF-8, then GB18030)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    p.add_argument("--json", action="store_true", help="JSON output (same as --format json)")
    p.add_argument("--plot", default=None, metavar="FILE.png", help="also draw the timeline (autoloan[plot])")
    p.set_defaults(handler=_cmd_status)
    q = sub.add_parser("payoff", help="payoff quote from a loan file and a payments file", description=files)
    q.add_argument("--loan", required=True, help="loan JSON file (- for stdin)")
    q.add_argument("--payments", default=None, help="payments CSV file (none: no payments)")
    q.add_argument("--on", required=True, type=iso_date, help="payoff date YYYY-MM-DD")
    q.add_argument("--good-through-days", type=int, default=0)
    q.add_argument("--encoding", default=None, help="file encoding (default: UTF-8, then GB18030)")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    q.add_argument("--json", action="store_true", help="JSON output (same as --format json)")
    q.set_defaults(handler=_cmd_payoff)


_LOAN_KEYS = LOAN_TERMS_FIELDS


def _at(path: str, line: int | None, field: str, value: object, reason: str) -> InvalidInput:
    """An error shown as ``<file>:<line>: <field>: <reason>``."""
    where = f"{path}:{line}" if line is not None else path
    return InvalidInput(f"{where}: {field}", value, reason)


def _one_line(errors: list[InvalidInput]) -> InvalidInput:
    """The first error, saying how many more there are (the CLI reports one line)."""
    first = errors[0].errors[0]
    more = sum(len(e.errors) for e in errors) - 1
    return InvalidInput(first.field, first.value, first.reason + (f" [and {more} more]" if more else ""))


def _line_of(text: str, key: str) -> int | None:
    """The first line of a JSON text mentioning ``"key"`` (for messages), if any."""
    needle = f'"{key}"'
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _read_loan(path: str, encoding: str | None = None) -> tuple[LoanTerms, object]:
    from autoloan.amortization import Fee
    from autoloan.dates import coerce_date
    from autoloan.servicing import rules_from_dict

    text = read_text(path, "--loan", encoding)
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _at(path, exc.lineno, "loan", path, f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise _at(path, None, "loan", path, "nested too deeply") from None
    if not isinstance(data, dict):
        raise _at(path, 1, "loan", type(data).__name__, "must hold a JSON object")
    errors: list[InvalidInput] = []
    for key in sorted(set(data) - set(_LOAN_KEYS) - {"rules"}):
        errors.append(
            _at(
                path,
                _line_of(text, key),
                f"loan.{key}",
                data[key],
                "unknown key; use " + ", ".join(_LOAN_KEYS),
            )
        )
    for key in ("principal", "annual_rate", "term", "start"):
        if key not in data:
            errors.append(_at(path, None, f"loan.{key}", None, "is required"))
    fields = {k: data[k] for k in _LOAN_KEYS if k in data and k != "fees"}
    for key in ("start", "first_due"):
        if fields.get(key) is not None:
            try:
                fields[key] = coerce_date(_slashes(fields[key]), f"loan.{key}")
            except InvalidInput as exc:
                errors.append(_at(path, _line_of(text, key), f"loan.{key}", exc.value, exc.reason))
    fees = data.get("fees", [])
    if not isinstance(fees, list):
        errors.append(_at(path, _line_of(text, "fees"), "loan.fees", fees, "must be a list of fee objects"))
        fees = []
    built = []
    for i, fee in enumerate(fees):
        if not isinstance(fee, dict) or not {"name", "amount"} <= set(fee) or set(fee) - _FEE_KEYS:
            reason = "must be an object with name, amount and optionally financed, finance_charge"
            errors.append(_at(path, _line_of(text, "fees"), f"loan.fees[{i}]", fee, reason))
            continue
        try:
            built.append(Fee(**fee))
        except InvalidInput as exc:
            errors.append(
                _at(
                    path,
                    _line_of(text, "fees"),
                    f"loan.fees[{i}].{exc.field.rsplit('.', 1)[-1]}",
                    exc.value,
                    exc.reason,
                )
            )
    if errors:
        raise _one_line(errors)
    try:
        terms = LoanTerms(**fields, fees=tuple(built))
    except InvalidInput as exc:
        key = exc.field.split(".")[-1].split("[")[0]
        raise _at(path, _line_of(text, key), f"loan.{exc.field}", exc.value, exc.reason) from None
    try:
        rules = rules_from_dict(data.get("rules"), "loan.rules")
    except InvalidInput as exc:
        raise _one_line(
            [
                _at(path, _line_of(text, e.field.split(".")[-1].split("[")[0]), e.field, e.value, e.reason)
                for e in exc.errors
            ]
        ) from None
    return terms, rules


_FEE_KEYS = {"name", "amount", "financed", "finance_charge"}


def _slashes(value: object) -> object:
    """``2026/03/10`` and ``2026/3/10`` (as Excel and WPS write dates) as ISO ``2026-03-10``."""
    if isinstance(value, str) and "/" in value:
        parts = value.strip().split("/")
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            y, m, d = (int(p) for p in parts)
            return f"{y:04d}-{m:02d}-{d:02d}"
    return value


def _amount(text: str) -> str:
    """An amount as a spreadsheet writes it: thousands separators (``1,234.50``, ``1，234.50``) dropped."""
    return text.replace(",", "").replace("，", "").replace(" ", "").replace("\u00a0", "")


def _read_payments(path: str | None, encoding: str | None = None) -> list[object]:
    from autoloan.dates import coerce_date
    from autoloan.money import to_decimal
    from autoloan.servicing import Payment

    if path is None:
        return []
    text = read_text(path, "--payments", encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as exc:
        raise _at(path, 1, "header", path, f"not CSV ({exc})") from None
    if not {"date", "amount"} <= set(header):
        raise _at(path, 1, "header", ",".join(header), "needs a header row with at least date,amount")
    known = ("date", "amount", "reference", "reversal_of")
    for name in header:
        if name not in known:  # a script must not lose a column silently
            raise _at(path, 1, name, name, "unknown column; known: " + ", ".join(known))
    col = {name: header.index(name) for name in known if name in header}
    out: list[object] = []
    errors: list[InvalidInput] = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise _at(path, reader.line_num, "row", path, f"not CSV ({exc})") from None
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            reason = f"has {len(row)} fields, the header has {len(header)}"
            errors.append(_at(path, line, "row", ",".join(row), reason))
            continue
        cell = {name: (row[i].strip() if i < len(row) else "") for name, i in col.items()}
        field = "date"
        try:
            day = coerce_date(_slashes(cell["date"]), "date")
            field = "amount"
            amount = to_decimal(_amount(cell["amount"]), "amount")
            field = "payment"
            out.append(
                Payment(
                    day,
                    amount,
                    reference=cell.get("reference") or None,
                    reversal_of=cell.get("reversal_of") or None,
                )
            )
        except InvalidInput as exc:
            name = exc.field.split(".")[-1] if field == "payment" else field
            errors.append(_at(path, line, name, exc.value, exc.reason))
        if len(errors) >= 20:
            break
    if errors:
        raise _one_line(errors)
    return out


def _cmd_status(args: argparse.Namespace) -> int:
    from autoloan.servicing import ServicingRules, account_status

    terms, rules = _read_loan(args.loan, args.encoding)
    assert isinstance(rules, ServicingRules)
    payments = _read_payments(args.payments, args.encoding)
    st = account_status(terms, payments, args.as_of, rules=rules)  # type: ignore[arg-type]
    if args.plot:
        from autoloan import plot

        save_figure(plot.account_timeline(terms, payments, end=args.as_of, rules=rules), args.plot)
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
    fmt = "json" if args.json else args.format
    if fmt == "json":
        payload: dict[str, object] = {"currency": st.currency}
        payload |= {name: getattr(st, name) for name, _, _ in fields}
        if args.installments:
            payload["installments"] = [
                {k: getattr(i, k) for k in ("number", "due_date", "due", "paid", "remaining", "paid_on")}
                | {"state": i.state.value}
                for i in st.installments
            ]
        out(json.dumps(payload, default=json_default, indent=2, ensure_ascii=False))
        return 0
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if args.installments:
            keys = ("number", "due_date", "due", "paid", "remaining", "paid_on", "state")
            writer.writerow(keys)
            for i in st.installments:
                writer.writerow([i.state.value if k == "state" else _cell(getattr(i, k)) for k in keys])
        else:
            writer.writerow(["field", "value"])
            writer.writerow(["currency", st.currency])
            for name, _, _ in fields:
                writer.writerow([name, _cell(getattr(st, name))])
        out(buf.getvalue())
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

    terms, rules = _read_loan(args.loan, args.encoding)
    assert isinstance(rules, ServicingRules)
    q = payoff_quote(
        terms,
        _read_payments(args.payments, args.encoding),  # type: ignore[arg-type]
        args.on,
        rules=rules,
        good_through_days=args.good_through_days,
    )
    data = q.to_dict()
    fmt = "json" if args.json else args.format
    if fmt == "json":
        out(json.dumps(data, default=json_default, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        out("field,value\n" + "\n".join(f"{k},{_cell(v)}" for k, v in data.items()))
    else:
        out("\n".join(f"  {k:<17} {v}" for k, v in data.items()))
    return 0


def _cell(value: object) -> str:
    return "" if value is None else str(value)
