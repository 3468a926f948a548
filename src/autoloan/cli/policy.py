"""``autoloan policy show|lint|decide|simulate``: collection policies from JSON or TOML files.

POLICY is a built-in name (``cn-auto``, ``us-auto``) or a ``.json``/``.toml`` file (``-``: stdin,
JSON). Exit codes: 0 ok; 1 lint findings, or blocked actions in a simulation; 2 bad input (one
line on stderr naming the JSON path of every error).
"""

from __future__ import annotations

import argparse
import json
import tomllib
from datetime import date, datetime
from typing import Any

from autoloan.cli.common import Subparsers, UsageError, iso_date, json_default, out, read_text, save_figure
from autoloan.errors import InvalidInput

__all__ = ["demo", "load_document", "load_policy", "register"]


def _one_line(exc: InvalidInput, what: str) -> UsageError:
    parts = [f"{e.json_path}: {e.reason} (got {_show(e.value)})" for e in exc.errors]
    head = f"{len(parts)} errors in {what}: " if len(parts) > 1 else f"{what}: "
    return UsageError("autoloan: error: " + head + "; ".join(parts))


def _show(value: Any) -> str:
    from autoloan.errors import show_value

    return show_value(value).replace("\n", " ")


def load_document(path: str, field: str) -> Any:
    """The JSON or TOML document in ``path`` (TOML when the name ends in ``.toml``)."""
    text = read_text(path, field)
    try:
        if path.lower().endswith(".toml"):
            return tomllib.loads(text)
        return json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"autoloan: error: {field}: {path} is not valid JSON/TOML ({exc})") from None


def load_policy(ref: str) -> Any:
    """A built-in policy by name, or a policy from a JSON/TOML file (one-line errors)."""
    from autoloan.policy import Policy

    if ref in Policy.builtin_names():
        return Policy.builtin(ref)
    data = load_document(ref, "policy")
    try:
        return Policy.from_dict(data)
    except InvalidInput as exc:
        raise _one_line(exc, f"policy {ref}") from None


def register(sub: Subparsers) -> None:
    """Add ``policy`` with its subcommands."""
    p = sub.add_parser("policy", help="collection policies: show, lint, decide, simulate")
    ps = p.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", parser_class=type(p))
    show = ps.add_parser("show", help="print a policy's stages and treatments (or its JSON)")
    show.add_argument("policy", help="built-in name (cn-auto, us-auto) or a .json/.toml file")
    show.add_argument("--json", action="store_true", help="print the normalised document")
    show.add_argument("--schema", action="store_true", help="print the JSON Schema of policy documents")
    show.set_defaults(handler=_cmd_show)
    lint = ps.add_parser("lint", help="static checks against jurisdictions (exit 1 on findings)")
    lint.add_argument("policy")
    lint.add_argument(
        "--jurisdiction", "-j", action="append", default=None, help="repeatable; default: policy's"
    )
    lint.add_argument("--json", action="store_true")
    lint.set_defaults(handler=_cmd_lint)
    dec = ps.add_parser("decide", help="decide one case (a JSON/TOML file) at a moment")
    dec.add_argument("policy")
    dec.add_argument("--case", required=True, help="case file: terms, payments, as_of, borrower, history, …")
    dec.add_argument("--now", default=None, help="ISO time with offset (default: the case's 'now')")
    dec.add_argument("--json", action="store_true")
    dec.set_defaults(handler=_cmd_decide)
    sim = ps.add_parser("simulate", help="replay a loan through time (exit 1 if an action was blocked)")
    sim.add_argument("policy")
    sim.add_argument("--principal", default="120000")
    sim.add_argument("--rate", default="0.0435", help='annual rate as a fraction ("0.0435") or "4.35%%"')
    sim.add_argument("--term", type=int, default=36)
    sim.add_argument("--currency", default="CNY")
    sim.add_argument("--start", type=iso_date, default=date(2026, 1, 15))
    sim.add_argument("--end", type=iso_date, default=None, help="default: start + 1 year")
    sim.add_argument("--jurisdiction", "-j", default="CN")
    sim.add_argument("--tz", default=None)
    sim.add_argument(
        "--seed", type=int, default=None, help="random borrower with this seed (default: never pays)"
    )
    sim.add_argument("--json", action="store_true")
    sim.add_argument(
        "--plot", default=None, metavar="FILE.png", help="also draw the timeline (autoloan[plot])"
    )
    sim.set_defaults(handler=_cmd_simulate)

    def _help(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(handler=_help)


def _cmd_show(args: argparse.Namespace) -> int:
    from autoloan.policy import Policy

    if args.schema:
        out(json.dumps(Policy.json_schema(), ensure_ascii=False, indent=2))
        return 0
    policy = load_policy(args.policy)
    if args.json:
        out(json.dumps(policy.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    from autoloan.policy.docs import stages_table

    out(f"{policy.name} v{policy.version}  sha256 {policy.digest}")
    out(stages_table(policy))
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    try:
        findings = policy.lint(args.jurisdiction)
    except InvalidInput as exc:
        raise _one_line(exc, "--jurisdiction") from None
    if args.json:
        out(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            out(str(f))
        if not findings:
            out(f"{policy.name}: no findings")
    return 1 if findings else 0


def _aware(text: Any, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        raise UsageError(f"autoloan: error: {field}: not an ISO time with offset: {text!r}") from None
    if value.tzinfo is None:
        raise UsageError(f"autoloan: error: {field}: needs a UTC offset: {text!r}")
    return value


def build_case(doc: Any) -> tuple[Any, datetime | None]:
    """A :class:`~autoloan.policy.Case` (and the document's ``now``) from a case document."""
    from autoloan import LoanTerms
    from autoloan.compliance import Account, Action, Borrower
    from autoloan.policy import Arrangement, Case, Promise
    from autoloan.servicing import Payment, account_status

    if not isinstance(doc, dict):
        raise InvalidInput("case", doc, "must be an object")
    # the Case fields, with the status given as terms + payments + as_of, and the decision time
    known = (set(Case.FIELDS) - {"status"}) | {"as_of", "now"}
    for key in doc:
        if key not in known:
            raise InvalidInput(f"case.{key}", doc[key], "unknown key; allowed: " + ", ".join(sorted(known)))
    terms_doc = doc.get("terms")
    if not isinstance(terms_doc, dict):
        raise InvalidInput("case.terms", terms_doc, "must be an object of LoanTerms fields")
    try:
        terms = LoanTerms(**terms_doc)
    except TypeError as exc:
        raise InvalidInput("case.terms", terms_doc, str(exc)) from None
    payments = [Payment(p["date"], p["amount"]) for p in _list(doc, "payments")]
    as_of = doc.get("as_of")
    if as_of is None:
        raise InvalidInput("case.as_of", None, "give the status date (YYYY-MM-DD)")
    status = account_status(terms, payments, as_of)
    b = doc.get("borrower") or {}
    if not isinstance(b, dict):
        raise InvalidInput("case.borrower", b, "must be an object")
    try:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in b.items()}
        borrower = Borrower(**fields)
        account = Account(**(doc.get("account") or {})) if doc.get("account") is not None else None
        history = [
            Action(
                h["kind"],
                _aware(h["at"], "case.history.at"),
                debt_id=h.get("debt_id", doc.get("account_id", "L1")),
                outcome=h.get("outcome"),
            )
            for h in _list(doc, "history")
        ]
        promises = [
            Promise(p["due"], p["amount"], p.get("paid", 0), p.get("made_on")) for p in _list(doc, "promises")
        ]
        arrangements = [Arrangement(a["kind"], a["on"]) for a in _list(doc, "arrangements")]
    except (TypeError, KeyError) as exc:
        raise InvalidInput("case", doc, f"bad field: {exc}") from None
    case = Case(
        str(doc.get("account_id", "L1")),
        status,
        borrower,
        account=account,
        history=history,
        promises=promises,
        arrangements=arrangements,
        flags=frozenset(doc.get("flags") or ()),
        risk_score=doc.get("risk_score"),
        product=doc.get("product"),
        state=doc.get("state"),
        terms=terms,
        payments=payments,
    )
    now = _aware(doc["now"], "case.now") if doc.get("now") is not None else None
    return case, now


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise InvalidInput(f"case.{key}", value, "must be a list of objects")
    return value


def _cmd_decide(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    doc = load_document(args.case, "--case")
    try:
        case, now = build_case(doc)
    except InvalidInput as exc:
        raise _one_line(exc, f"case {args.case}") from None
    if args.now is not None:
        now = _aware(args.now, "--now")
    if now is None:
        raise UsageError("autoloan: error: --now: give --now or a 'now' in the case file")
    try:
        d = policy.decide(case, now)
    except InvalidInput as exc:
        raise _one_line(exc, "decide") from None
    if args.json:
        out(json.dumps(d.to_dict(), ensure_ascii=False, indent=2, sort_keys=True, default=json_default))
    else:
        out(str(d))
        for line in d.trace:
            out(f"  · {line}")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from autoloan import LoanTerms
    from autoloan.compliance import Borrower
    from autoloan.policy import Behaviour, simulate

    policy = load_policy(args.policy)
    try:
        terms = LoanTerms(
            principal=args.principal,
            annual_rate=args.rate,
            term=args.term,
            start=args.start,
            currency=args.currency,
        )
        borrower = Borrower(args.jurisdiction, timezones=(args.tz,) if args.tz else ())
        behaviour = Behaviour.random(seed=args.seed) if args.seed is not None else Behaviour.scripted()
        end = args.end or args.start + timedelta(days=365)
        run = simulate(
            policy, terms, borrower=borrower, start=args.start, end=end, behaviour=behaviour, tz=args.tz
        )
    except InvalidInput as exc:
        raise _one_line(exc, "simulate") from None
    if args.json:
        out(
            json.dumps(
                {
                    "stage_entries": [[w.isoformat(), s] for w, s in run.stage_entries],
                    "actions_by_kind": run.actions_by_kind,
                    "offers_made": len(run.offers_made),
                    "offers_taken": len(run.offers_taken),
                    "blocked_executed": run.blocked_executed,
                    "events": run.to_rows(),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out(str(run))
        out(f"stages: {' -> '.join(s for _, s in run.stage_entries)}")
        out(f"actions: {run.actions_by_kind}  blocked_executed: {run.blocked_executed}")
    if args.plot:
        from autoloan import plot

        save_figure(plot.account_timeline(terms, end=end, run=run), args.plot)
    return 1 if run.blocked_executed else 0


def demo() -> None:
    """The policy section of ``autoloan demo``."""
    from autoloan import LoanTerms
    from autoloan.compliance import Borrower
    from autoloan.policy import Policy, simulate

    out("\n== Collection policy (cn-auto, a borrower who stops paying) ==")
    terms = LoanTerms(
        principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    run = simulate(
        Policy.builtin("cn-auto"),
        terms,
        borrower=Borrower("CN"),
        start=date(2026, 1, 15),
        end=date(2026, 6, 30),
    )
    for when, stage in run.stage_entries:
        s = Policy.builtin("cn-auto").stage(stage)
        out(f"  {when.date().isoformat()}  {s.label_zh} ({s.label_en})")
    out(f"  actions {run.actions_by_kind}, blocked by compliance when executed: {run.blocked_executed}")
