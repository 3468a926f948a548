"""``autoloan rules`` and ``autoloan check``: the compliance checker."""

from __future__ import annotations

import argparse
import json

from autoloan.cli.common import Subparsers, out

__all__ = ["demo", "register"]


def register(sub: Subparsers) -> None:
    """Add ``rules`` and ``check``."""
    from autoloan.compliance.model import ActionKind, Collector, Place, Purpose, Target

    rules = sub.add_parser("rules", help="print the compliance rule table or coverage map (Markdown)")
    rules.add_argument("--jurisdiction", "-j", default=None, help="ISO 3166 code, e.g. US-MA (default: all)")
    rules.add_argument("--coverage", action="store_true", help="print the coverage map of every jurisdiction")
    rules.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)"
    )
    rules.add_argument("--json", action="store_true", help="same as --format json")
    rules.set_defaults(handler=_cmd_rules)

    chk = sub.add_parser("check", help="is a collection action allowed now? (exit 0 allowed, 1 blocked)")
    chk.add_argument("--action", required=True, choices=[k.value for k in ActionKind])
    chk.add_argument("--at", required=True, help="ISO 8601 time with offset, e.g. 2026-03-02T07:30-05:00")
    chk.add_argument("--jurisdiction", "-j", required=True, help="ISO 3166 code: US, US-MA, GB, CN …")
    chk.add_argument("--tz", action="append", default=[], help="a plausible IANA zone (repeatable)")
    chk.add_argument("--debt", default="default", help="debt id")
    chk.add_argument("--target", default="borrower", choices=[t.value for t in Target])
    chk.add_argument("--place", default=None, choices=[p.value for p in Place])
    chk.add_argument("--target-role", default=None, help="who the third party is: employer, spouse, …")
    chk.add_argument("--purpose", default="collection", choices=[p.value for p in Purpose])
    chk.add_argument(
        "--collector",
        default=None,
        choices=[c.value for c in Collector],
        help="who collects (default: debt_collector, bound by the most rules)",
    )
    chk.add_argument("--automated", action="store_true", help="dialer or prerecorded (TCPA)")
    chk.add_argument("--json", action="store_true", help="print the verdict as JSON")
    chk.set_defaults(handler=_cmd_check)


def _cmd_rules(args: argparse.Namespace) -> int:
    from autoloan.compliance import coverage_rows, coverage_table, rules_rows, rules_table

    fmt = "json" if args.json else args.format
    if fmt == "table":
        out(coverage_table() if args.coverage else rules_table(args.jurisdiction))
        return 0
    rows = coverage_rows() if args.coverage else rules_rows(args.jurisdiction)
    if fmt == "json":
        out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["code"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    out(buffer.getvalue().rstrip("\n"))
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
        args.action,
        at,
        debt_id=args.debt,
        target=args.target,
        target_role=args.target_role,
        place=args.place,
        purpose=args.purpose,
        automated=args.automated,
    )
    borrower = Borrower(args.jurisdiction, timezones=tuple(args.tz))
    verdict = check(action, history=(), borrower=borrower, collector=args.collector)
    out(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2) if args.json else str(verdict))
    return 0 if verdict.allowed else 1


def demo() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from autoloan.compliance import Action, Borrower, check

    out("== Compliance: may we call now? / 催收合规 ==")
    boston = ZoneInfo("America/New_York")
    borrower = Borrower("US-MA", timezones=("America/New_York", "America/Los_Angeles"))
    history = [
        Action("call", datetime(2026, 3, 2, 12, 0, tzinfo=boston) + timedelta(days=d), debt_id="L1")
        for d in (0, 1)
    ]
    proposed = Action("call", datetime(2026, 3, 4, 9, 30, tzinfo=boston), debt_id="L1")
    verdict = check(proposed, history=history, borrower=borrower)
    out("  Massachusetts borrower (address in Boston, cell phone in Los Angeles), 2 calls this week:")
    out("  " + str(verdict).replace("\n", "\n  "))
    cn = check(
        Action("call", datetime(2026, 3, 4, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai")), debt_id="C1"),
        history=(),
        borrower=Borrower("CN"),
    )
    out(f"  CN call at 22:30: allowed={cn.allowed}, next permitted {cn.next_permitted}")
    la = ZoneInfo("America/Los_Angeles")
    early = Action("call", datetime(2026, 3, 4, 7, 30, tzinfo=la), debt_id="L1")
    for who in ("creditor", "debt_collector"):
        v = check(early, borrower=Borrower("US-CA"), collector=who)
        law = sorted({f.rule_id for f in v.blocking if f.binding})
        house = sorted({f.rule_id for f in v.blocking if not f.binding})
        out(f"  California call at 07:30 by a {who}: law {law}, house policy {house}")
    out("")
