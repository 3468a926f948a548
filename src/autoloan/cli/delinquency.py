"""``autoloan classify``: one account through every delinquency view."""

from __future__ import annotations

import argparse
import json

from autoloan.cli.common import Subparsers, iso_date, out

__all__ = ["demo", "register"]


def register(sub: Subparsers) -> None:
    """Add ``classify``."""
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
        out(json.dumps(views.to_rows(), ensure_ascii=False, indent=2, default=str))
        return 0
    out(str(views))
    if args.citations:
        out("")
        for row in views.to_rows():
            out(f"{row['view']}: {row['reason']} — {row['citation'] or 'custom scheme'}")
    return 0


def demo() -> None:
    from autoloan.delinquency import BucketScheme, classify_all

    out("== Delinquency: one account, every view / 逾期分类 ==")
    for dpd in (0, 45, 95, 200):
        bucket = BucketScheme.cycles().bucket(dpd)
        out(f"  {dpd:>3} days past due -> {bucket.name} ({bucket.label_zh})")
    out(str(classify_all(days_past_due=95, balance="18000", amount_past_due="1500", currency="EUR")))
    out("")
