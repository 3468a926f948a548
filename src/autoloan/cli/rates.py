"""``autoloan apr``: the annualized rate of an offer."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal

from autoloan.cli.common import Subparsers, json_default, out, positive_int

__all__ = ["demo", "register"]


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
        offer: dict[str, object] = {
            "flat_rate": args.flat_rate,
            "per": args.per,
            "term": args.term,
            "frequency": args.frequency,
        }
        heading = f"flat rate {args.flat_rate} {basis}, {args.term} {args.frequency} payments"
    else:
        if args.principal is None or args.payment is None:
            raise InvalidInput("--principal/--payment", None, "give both, or --flat-rate")
        terms = {"term": args.term, "fees": args.fee, "frequency": args.frequency}
        nominal = rates.annualized_rate(args.principal, args.payment, **terms)
        effective = rates.annualized_rate(args.principal, args.payment, effective=True, **terms)
        offer = {
            "principal": args.principal,
            "payment": args.payment,
            "fee": args.fee,
            "term": args.term,
            "frequency": args.frequency,
        }
        heading = f"principal {args.principal}, fee {args.fee}, {args.term} x {args.payment}"
        heading += f" ({args.frequency})"
    if args.json:
        # Rates as exact decimal strings (fractions: "0.0629..." is 6.29 %), never floats.
        out(json.dumps({"offer": offer, "nominal": nominal, "effective": effective}, default=json_default))
        return 0
    out(heading)
    out(f"APR / 年化利率 (IRR method, nominal): {_percent(nominal)}")
    out(f"effective annual rate (实际年利率):     {_percent(effective)}")
    return 0


def demo() -> None:
    from autoloan import rates

    out("Rates: a 10 % total fee over 36 months (月供 3,055.56 on 100,000) is not 3.33 % a year:")
    out(f"  APR (IRR method): {_percent(rates.annualized_rate(100000, '3055.56', term=36))}")
    out("")


def register(sub: Subparsers) -> None:
    """Add ``apr``."""
    p = sub.add_parser(
        "apr",
        help="annualized rate (APR, 年化利率) of an instalment or flat-fee offer, IRR method",
        description="APR by the IRR method: either --principal/--payment/--term (optionally --fee paid "
        "upfront), or --flat-rate/--term for a flat (add-on, 手续费) offer.",
    )
    p.add_argument("--principal", default=None, help="amount lent, e.g. 100000")
    p.add_argument("--payment", default=None, help="level payment per period, e.g. 3055.56")
    p.add_argument("--term", required=True, type=positive_int, help="number of payments")
    p.add_argument("--fee", default="0", help="upfront fee deducted from the principal (手续费), default 0")
    p.add_argument("--flat-rate", default=None, help="flat / add-on rate, e.g. 3.5%%")
    p.add_argument(
        "--per",
        choices=("year", "term", "period"),
        default="year",
        help="the flat rate is per year (年费率, default), for the whole term (总费率) or a period (月费率)",
    )
    p.add_argument("--frequency", default="monthly", help="payment frequency (default monthly)")
    p.add_argument(
        "--json", action="store_true", help="print one JSON object (rates as decimal-string fractions)"
    )
    p.set_defaults(handler=_cmd_apr)
