"""``autoloan classify`` (one account through every delinquency view) and ``autoloan timeline``
(month-end snapshots from a CSV or JSON file: every view, Metro 2 and the 征信 record, month by month)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date
from typing import Any

from autoloan.cli.common import Subparsers, iso_date, json_default, out, read_text, save_figure
from autoloan.errors import InvalidInput

__all__ = ["demo", "register"]

FORMATS = ("table", "csv", "json")

#: Snapshot fields a timeline file may carry besides ``as_of`` and ``days_past_due``.
_AMOUNTS = ("amount_past_due", "balance", "exposure")
_FLAGS = (
    "charged_off",
    "repossessed",
    "voluntary_surrender",
    "in_collections",
    "paid_in_full",
    "zero_balance",
    "restructured",
    "unlikely_to_pay",
    "distressed_restructuring",
    "paid_late",
    "guarantor_paid",
    "settled_by_assets",
    "account_ended",
    "nothing_due",
)


def register(sub: Subparsers) -> None:
    """Add ``classify`` and ``timeline``."""
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
    p.add_argument("--as-of", type=iso_date, default=None, help="snapshot date (needed with event dates)")
    p.add_argument("--restructured", action="store_true", help="restructured asset in observation (重组资产)")
    p.add_argument("--unlikely-to-pay", action="store_true", help="unlikeliness to pay (EU default)")
    p.add_argument("--charged-off", action="store_true")
    p.add_argument("--repossessed", action="store_true")
    p.add_argument("--bankruptcy-notified", type=iso_date, default=None, help="bankruptcy notice date")
    p.add_argument("--citations", action="store_true", help="also print each rule's citation and reason")
    p.add_argument(
        "--plot",
        default=None,
        metavar="FILE.png",
        help="also draw the DPD on the bucket bands (autoloan[plot])",
    )
    _output_args(p)
    p.set_defaults(handler=_cmd_classify)

    t = sub.add_parser(
        "timeline",
        help="month-end snapshots from a CSV/JSON file: every view, Metro 2 and the 征信 record by month",
        description="Read month-end snapshots (columns as_of, days_past_due, and optionally "
        "amount_past_due, balance, currency and event flags such as charged_off, paid_late, "
        "guarantor_paid) from a CSV file with a header row or a JSON list of objects, and classify "
        "them in order. UTF-8 (with or without BOM) and GB18030 files are read; '-' is stdin.",
    )
    t.add_argument("file", help="CSV or JSON file of month-end snapshots ('-' for stdin)")
    t.add_argument("--encoding", default=None, help="file encoding (default: UTF-8, then GB18030)")
    t.add_argument(
        "--summary",
        action="store_true",
        help="print only the last month's Metro 2 and 征信 summary (24-month record, 连三累六)",
    )
    t.add_argument(
        "--plot",
        default=None,
        metavar="FILE.png",
        help="also draw DPD by month over the buckets (autoloan[plot])",
    )
    _output_args(t)
    t.set_defaults(handler=_cmd_timeline)


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default=None, help="output format (default: table)")
    p.add_argument("--json", action="store_true", help="same as --format json")


def _format(args: argparse.Namespace) -> str:
    if args.json and args.format not in (None, "json"):
        raise InvalidInput("--format", args.format, "conflicts with --json")
    return "json" if args.json else args.format or "table"


def _dpd_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _cell(value: Any) -> str:
    """A value as the user would write it: dates ISO, Decimals plain, None empty."""
    if value is None:
        return ""
    if isinstance(value, str | int):
        return str(value)
    try:
        return json_default(value)
    except TypeError:
        return str(value)


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


def _cmd_classify(args: argparse.Namespace) -> int:
    from autoloan.delinquency import classify_all

    fmt = _format(args)
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
    rows = views.to_rows()
    if args.plot:
        from autoloan import plot

        when = args.as_of if args.as_of is not None else date.today()  # the CLI may read the clock
        save_figure(plot.dpd_history([(when, args.dpd)]), args.plot)
    if fmt == "json":
        out(json.dumps(rows, ensure_ascii=False, indent=2, default=json_default))
        return 0
    if fmt == "csv":
        out(_csv(rows))
        return 0
    out(str(views))
    if args.citations:
        out("")
        for row in rows:
            out(f"{row['view']}: {row['reason']} — {row['citation'] or 'custom scheme'}")
    return 0


def _snapshots(text: str, path: str) -> list[dict[str, Any]]:
    """Snapshot dicts from CSV (header row) or JSON (a list of objects) text."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InvalidInput("file", path, f"not valid JSON ({exc.msg}, line {exc.lineno})") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InvalidInput("file", path, "JSON must be a list of objects, one per month")
        records: list[dict[str, Any]] = data
    else:
        reader = csv.DictReader(io.StringIO(stripped))
        if not reader.fieldnames or "as_of" not in [f.strip() for f in reader.fieldnames]:
            raise InvalidInput("file", path, "needs a header row with as_of and days_past_due")
        records = [{(k or "").strip(): v for k, v in row.items()} for row in reader]
    return [_snapshot(r, i) for i, r in enumerate(records)]


def _snapshot(record: dict[str, Any], i: int) -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = value.strip() if isinstance(value, str) else value
        if key == "as_of":
            try:
                snap[key] = iso_date(text) if isinstance(text, str) else text
            except argparse.ArgumentTypeError:
                raise InvalidInput(f"rows[{i}].as_of", text, "not a date (YYYY-MM-DD)") from None
        elif key in ("days_past_due", "days_delinquent"):
            snap[key] = _whole(text, f"rows[{i}].{key}")
        elif key in _AMOUNTS:
            snap[key] = text.replace(",", "") if isinstance(text, str) else text
        elif key == "currency":
            snap[key] = text
        elif key in _FLAGS:
            snap[key] = _flag(text, f"rows[{i}].{key}")
        else:
            known = ", ".join(("as_of", "days_past_due", *_AMOUNTS, "currency", *_FLAGS))
            raise InvalidInput(f"rows[{i}]", key, "unknown column; use " + known)
    return snap


def _whole(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise InvalidInput(field, value, "must be a whole number of days")


def _flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("1", "true", "yes", "y", "是"):
        return True
    if isinstance(value, str) and value.lower() in ("0", "false", "no", "n", "否"):
        return False
    raise InvalidInput(field, value, "must be true/false (1/0, yes/no, 是/否)")


def _cmd_timeline(args: argparse.Namespace) -> int:
    from autoloan.delinquency import classify_timeline

    fmt = _format(args)
    snaps = _snapshots(read_text(args.file, "file", args.encoding), args.file)
    timeline = classify_timeline(snaps)
    if args.plot:
        from autoloan import plot

        if not snaps:
            raise InvalidInput("file", args.file, "has no snapshots to draw")
        save_figure(plot.dpd_history([(sn["as_of"], sn.get("days_past_due", 0)) for sn in snaps]), args.plot)
    if args.summary:
        if not len(timeline):
            raise InvalidInput("file", args.file, "has no snapshots")
        last = timeline[-1]
        summary: dict[str, Any] = {"metro2": last.metro2.to_row()}
        if last.pboc is not None:
            summary["pboc"] = last.pboc.to_row()
        if fmt == "json":
            out(json.dumps(summary, ensure_ascii=False, indent=2, default=json_default))
        elif fmt == "csv":
            flat = {f"metro2_{k}": v for k, v in summary["metro2"].items()}
            flat.update({f"pboc_{k}": v for k, v in summary.get("pboc", {}).items()})
            out(_csv([flat]))
        else:
            for section, row in summary.items():
                out(f"{section}:")
                for key, value in row.items():
                    out(f"  {key:<26} {_cell(value)}")
        return 0
    rows = timeline.to_rows()
    if fmt == "json":
        out(json.dumps(rows, ensure_ascii=False, indent=2, default=json_default))
    elif fmt == "csv":
        out(_csv(rows))
    else:
        out(str(timeline))
    return 0


def demo() -> None:
    from autoloan.delinquency import BucketScheme, classify_all, pboc_report

    out("== Delinquency: one account, every view / 逾期分类 ==")
    for dpd in (0, 45, 95, 200):
        bucket = BucketScheme.cycles().bucket(dpd)
        out(f"  {dpd:>3} days past due -> {bucket.name} ({bucket.label_zh})")
    out(str(classify_all(days_past_due=95, balance="18000", amount_past_due="1500", currency="EUR")))
    months = [0, 0, 20, 50, 80, 0, 0]
    report = pboc_report(
        {"as_of": date(2024, m, 28), "days_past_due": d, "currency": "CNY"} for m, d in enumerate(months, 1)
    )
    out(
        f"  征信 record (Jan–Jul 2024): {report.record[-7:]}  overdue months (24): "
        f"{report.overdue_months(24)}  longest run: {report.longest_run(24)}  "
        f"连三累六: {'yes' if report.lian_san_lei_liu else 'no'}"
    )
    out("")
