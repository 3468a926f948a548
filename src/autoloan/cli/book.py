"""``autoloan book``: whole books from files — statuses, classification, synthetic books, the schemas.

Tables are CSV files with a header row (UTF-8 or GB18030) or, with pyarrow installed, Parquet files
(``.parquet``); a column that is not in the schema (``autoloan book schema``) is refused, so a
misspelt optional column is not dropped silently. Money is printed exactly (decimal strings, or
integer minor units with ``--money minor``), never as floats.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from autoloan.cli.common import (
    Subparsers,
    iso_date,
    json_default,
    out,
    positive_int,
    progress_bar,
    read_text,
    save_figure,
)
from autoloan.errors import InvalidInput

Progress = Callable[[int, int], None] | None

__all__ = ["demo", "register"]

_INT_COLUMNS = ("term", "interest_only_periods")


def demo() -> None:
    from autoloan import book

    out("== Whole books: the same rules over a table / 资产包批量计算 ==")
    as_of = date(2026, 6, 30)
    loans, payments = book.synthetic(500, seed=1, as_of=as_of, mix="mixed")
    st = book.statuses(loans, payments, as_of=as_of)
    views = book.classify(st)
    late = sum(1 for d in st["days_past_due"] if d > 0)
    counts: dict[str, int] = {}
    for grade in views["china_zh"]:
        counts[grade] = counts.get(grade, 0) + 1
    out(
        f"  synthetic book of {len(loans['loan_id'])} loans ({len(payments['loan_id'])} payments) "
        f"as of {as_of}: {late} past due; 五级分类 {dict(sorted(counts.items()))}"
    )
    out("")


def register(sub: Subparsers) -> None:
    """Add ``book`` with ``statuses``, ``classify``, ``simulate``, ``synthetic`` and ``schema``."""
    p = sub.add_parser("book", help="whole books: statuses, classification, synthetic books (资产包)")
    bsub = p.add_subparsers(dest="book_command", metavar="{statuses,classify,simulate,synthetic,schema}")
    s = bsub.add_parser("statuses", help="every AccountStatus field for every loan of a book")
    s.add_argument("--loans", required=True, help="loans table (CSV or .parquet); see 'autoloan book schema'")
    s.add_argument("--payments", required=True, help="payments table (CSV or .parquet)")
    s.add_argument("--as-of", required=True, type=iso_date, help="status date YYYY-MM-DD")
    s.add_argument("--format", choices=("csv", "json"), default="csv")
    s.add_argument("--json", action="store_true", help="JSON output (same as --format json)")
    s.add_argument("--money", choices=("decimal", "minor"), default="decimal")
    s.add_argument("--classify", action="store_true", help="add the delinquency views (cycle, 五级分类 …)")
    s.add_argument(
        "--errors",
        choices=("raise", "collect"),
        default="raise",
        help="collect: process the good rows and write the bad ones to --errors-out (default: stderr)",
    )
    s.add_argument("--errors-out", default=None, help="CSV file for the bad rows (with --errors collect)")
    s.add_argument("--encoding", default=None, help="CSV encoding (default: UTF-8, then GB18030)")
    s.set_defaults(handler=_cmd_statuses)
    c = bsub.add_parser("classify", help="delinquency views for a statuses table (CSV or .parquet)")
    c.add_argument("--statuses", required=True)
    c.add_argument("--format", choices=("csv", "json"), default="csv")
    c.add_argument("--json", action="store_true", help="JSON output (same as --format json)")
    c.add_argument("--encoding", default=None)
    c.add_argument(
        "--plot", default=None, metavar="FILE.png", help="also draw accounts per M-bucket (autoloan[plot])"
    )
    c.set_defaults(handler=_cmd_classify)
    g = bsub.add_parser("synthetic", help="write a seeded synthetic book (loans and payments CSV)")
    g.add_argument("-n", "--loans-count", type=positive_int, default=1000, dest="n")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--as-of", required=True, type=iso_date)
    g.add_argument("--mix", choices=("cn", "us", "mixed"), default="cn")
    g.add_argument("--loans", required=True, help="output loans CSV")
    g.add_argument("--payments", required=True, help="output payments CSV")
    g.add_argument("--json", action="store_true", help="print the summary as JSON")
    g.set_defaults(handler=_cmd_synthetic)
    m = bsub.add_parser(
        "simulate",
        help="replay a collection policy over a book by experiment arm (exit 1 if compliance blocked any)",
    )
    m.add_argument("policy", help="built-in name (cn-auto, us-auto) or a .json/.toml policy file")
    m.add_argument("--loans", default=None, help="loans table (CSV or .parquet); default: a synthetic book")
    m.add_argument("-n", "--synthetic", type=positive_int, default=1000, help="synthetic book size")
    m.add_argument("--mix", choices=("cn", "us", "mixed"), default="cn", help="synthetic book mix")
    m.add_argument("--start", required=True, type=iso_date, help="first day reported YYYY-MM-DD")
    m.add_argument("--end", required=True, type=iso_date, help="last day simulated YYYY-MM-DD")
    m.add_argument("--seed", type=int, default=0, help="behaviour seed (same seed, same result)")
    m.add_argument("--pay-probability", default="0.08", help="daily chance of paying while past due")
    m.add_argument("--stress", default="1", help="downturn factor on paying (e.g. 0.7)")
    m.add_argument("--json", action="store_true", help="JSON summary (money as strings)")
    m.add_argument("--encoding", default=None, help="CSV encoding (default: UTF-8, then GB18030)")
    m.set_defaults(handler=_cmd_simulate)
    h = bsub.add_parser("schema", help="the loans, payments and contacts columns")
    h.add_argument("--json", action="store_true", help="JSON output")
    h.set_defaults(handler=_cmd_schema)
    p.set_defaults(handler=lambda args: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    sys.stderr.write(p.format_usage())
    return 2


_STEP = 2000  # rows between progress callbacks


def _read(path: str, field: str, encoding: str | None, progress: Progress = None) -> Any:
    """A table from a CSV (a dict of columns, empty cells None) or a Parquet file (a pyarrow.Table).

    ``progress(done, total)`` is called every few thousand lines of a CSV file (total: its lines)."""
    if path.lower().endswith(".parquet"):
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise InvalidInput(
                field, path, "reading Parquet needs pyarrow (pip install 'autoloan[arrow]')"
            ) from None
        try:
            return pq.read_table(path)
        except (OSError, ValueError) as exc:
            raise InvalidInput(field, path, f"cannot read the Parquet file ({exc})") from None
    text = read_text(path, field, encoding)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(field, path, "empty file; needs a header row") from None
    names = [h.strip() for h in header]
    cols: dict[str, list[Any]] = {n: [] for n in names}
    total = text.count("\n") if progress is not None else 0
    for lineno, row in enumerate(reader, start=2):
        if progress is not None and lineno % _STEP == 0:
            progress(min(lineno, total), total)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise InvalidInput(f"{field}:{lineno}", row, f"has {len(row)} cells, the header {len(names)}")
        for name, cell in zip(names, row, strict=True):
            v: Any = cell.strip() or None
            if v is not None and name in _INT_COLUMNS and v.lstrip("-").isdigit():
                v = int(v)
            cols[name].append(v)
    if progress is not None:
        progress(total, total)
    return cols


def _rows(table: Any) -> tuple[list[str], list[list[Any]]]:
    if type(table).__module__.split(".")[0] == "pyarrow":
        cols = {n: table.column(n).to_pylist() for n in table.column_names}
    else:
        cols = table
    names = list(cols)
    n = len(next(iter(cols.values()))) if cols else 0
    return names, [[cols[name][i] for name in names] for i in range(n)]


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _write(table: Any, fmt: str, stream: Any) -> None:
    names, rows = _rows(table)
    if fmt == "json":
        stream.write(
            json.dumps(
                [dict(zip(names, r, strict=True)) for r in rows], default=json_default, ensure_ascii=False
            )
            + "\n"
        )
        return
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow([_cell(v) for v in r])


def _one_line(exc: InvalidInput) -> InvalidInput:
    """The first bad row, saying how many more there are (one line on stderr)."""
    n = len(exc.errors)
    first = exc.errors[0]
    if n == 1:
        return first
    more = f"{first.reason} (and {n - 1} more bad rows: --errors collect lists them all)"
    return InvalidInput(first.field, first.value, more)


def _known_columns(table: Any, label: str, schema: Any) -> None:
    """A file's columns must all be in the schema: a misspelt optional column would be dropped silently."""
    names = table.column_names if type(table).__module__.split(".")[0] == "pyarrow" else list(table)
    known = [c.name for c in schema]
    for name in names:
        if name not in known:
            raise InvalidInput(f"{label}.{name}", name, "unknown column; known: " + ", ".join(known))


def _cmd_statuses(args: argparse.Namespace) -> int:
    from autoloan import book
    from autoloan.book import schema

    loans = _read(args.loans, "--loans", args.encoding, progress_bar("reading loans   "))
    payments = _read(args.payments, "--payments", args.encoding, progress_bar("reading payments"))
    _known_columns(loans, "loans", schema.LOANS)
    _known_columns(payments, "payments", schema.PAYMENTS)
    working = progress_bar("statuses        ")
    if working is not None:
        working(0, 1)
    try:
        res = book.statuses(loans, payments, args.as_of, errors=args.errors, money=args.money)
    except InvalidInput as exc:
        raise _one_line(exc) from None
    if working is not None:
        working(1, 1)
    if args.errors == "collect":
        table, errors = res
    else:
        table, errors = res, None
    if args.classify:
        views = book.classify(table)
        names, _ = _rows(views)
        extra = {n: views[n] if isinstance(views, dict) else views.column(n).to_pylist() for n in names[2:]}
        if isinstance(table, dict):
            table = {**table, **extra}
        else:
            table = {**{n: table.column(n).to_pylist() for n in table.column_names}, **extra}
    _write(table, "json" if args.json else args.format, sys.stdout)
    if errors is not None:
        _, bad = _rows(errors)
        if bad:
            if args.errors_out:
                with open(args.errors_out, "w", encoding="utf-8", newline="") as fh:
                    _write(errors, "csv", fh)
            else:
                _write(errors, "csv", sys.stderr)
            return 1
    return 0


def _cmd_classify(args: argparse.Namespace) -> int:
    from autoloan import book

    table = _read(args.statuses, "--statuses", args.encoding, progress_bar("reading statuses"))
    if isinstance(table, dict):
        for name in ("days_past_due", "days_delinquent"):
            if name in table:
                table[name] = [int(v) if isinstance(v, str) and v.isdigit() else v for v in table[name]]
    try:
        views = book.classify(table)
    except InvalidInput as exc:
        raise _one_line(exc) from None
    _write(views, "json" if args.json else args.format, sys.stdout)
    if args.plot:
        from autoloan import plot
        from autoloan.delinquency import BucketScheme

        cycle = views["cycle"] if isinstance(views, dict) else views.column("cycle").to_pylist()
        order = [b.name for b in BucketScheme.cycles().buckets]
        save_figure(plot.grade_counts(cycle, order=order), args.plot)
    return 0


def _cmd_synthetic(args: argparse.Namespace) -> int:
    from autoloan import book

    loans, payments = book.synthetic(args.n, args.seed, as_of=args.as_of, mix=args.mix)
    for path, table in ((args.loans, loans), (args.payments, payments)):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            _write(table, "csv", fh)
    if args.json:
        summary = {"loans": len(loans["loan_id"]), "payments": len(payments["loan_id"]), "seed": args.seed}
        out(json.dumps({**summary, "loans_file": args.loans, "payments_file": args.payments}))
        return 0
    out(
        f"wrote {len(loans['loan_id'])} loans to {args.loans} "
        f"and {len(payments['loan_id'])} payments to {args.payments}"
    )
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from autoloan.book import schema

    if args.json:
        data = {
            t: schema.describe(c)
            for t, c in (
                ("loans", schema.LOANS),
                ("payments", schema.PAYMENTS),
                ("contacts", schema.CONTACTS),
            )
        }
        out(json.dumps(data, default=json_default, ensure_ascii=False))
        return 0
    for title, cols in (
        ("loans", schema.LOANS),
        ("payments", schema.PAYMENTS),
        ("contacts", schema.CONTACTS),
    ):
        out(f"{title}:")
        for c in cols:
            req = "required" if c.required else f"default {c.default!r}"
            out(f"  {c.name:<24} {c.kind:<9} {req:<22} {c.doc}")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from autoloan import book
    from autoloan.book import schema
    from autoloan.cli.policy import load_policy
    from autoloan.policy import Behaviour

    policy = load_policy(args.policy)
    if args.loans is not None:
        loans = _read(args.loans, "--loans", args.encoding)
        _known_columns(loans, "loans", schema.LOANS)
    else:
        loans, _ = book.synthetic(args.synthetic, seed=args.seed, as_of=args.start, mix=args.mix)
    try:
        behaviour = Behaviour.random(seed=args.seed, pay_probability=args.pay_probability)
        run = book.simulate(
            policy,
            loans,
            behaviour,
            args.start,
            args.end,
            args.seed,
            stress=args.stress,
            progress=progress_bar("simulate"),
        )
    except InvalidInput as exc:
        raise _one_line(exc) from None
    if args.json:
        doc = {
            "policy": policy.name,
            "digest": policy.digest,
            "arms": list(run.arms),
            "months": [m.isoformat() for m in run.months],
            "actions_by_kind": run.actions_by_kind,
            "contact_cost": run.contact_cost,
            "offers_taken": run.offers_taken,
            "charge_offs": run.charge_offs,
            "recoveries": run.recoveries,
            "blocked_executed": run.blocked_executed,
            "comparison": list(run.comparison),
        }
        out(json.dumps(doc, default=json_default, ensure_ascii=False, indent=2))
    else:
        out(str(run))
    return 1 if run.blocked_executed else 0
