"""A CLI that scripts can trust: every subcommand's ``--json`` keys are pinned here (money as strings,
never a float), and every class of bad input — a missing file, a malformed CSV row, bad JSON, an
unknown column — prints exactly one line ``autoloan: error: ...`` on stderr and exits 2, never a
traceback.

Commands that are not registered yet are skipped with the reason. A known gap in a registered command
is an ``xfail`` raised only while the gap is there, naming the request in the product engineer's
REQUESTS.md; once the command is fixed the same test checks the behaviour in full.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from autoloan.cli import build_parser, main

LOAN = {"principal": 150000, "annual_rate": "0.0435", "term": 12, "start": "2026-01-15", "currency": "CNY"}
PAYMENTS = "date,amount\n2026-02-15,12812.88\n"


def _commands() -> set[str]:
    parser = build_parser()
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            return set(choices)
    return set()


COMMANDS = _commands()


def _need(command: str) -> None:
    if command not in COMMANDS:
        pytest.skip(f"`autoloan {command}` is not registered yet (its module is not in cli.COMMANDS)")


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def read(self) -> str:
        return self.buffer.read().decode("utf-8")


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = _Stdin(stdin)  # type: ignore[assignment]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse --help/--version paths of older dispatchers
                code = int(exc.code or 0)
            except Exception:  # an escaping exception is what users would see as a traceback
                code = -1
                err.write("Traceback (most recent call last):\n" + traceback.format_exc())
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def _no_float(text: str) -> Any:
    def refuse(number: str) -> Any:
        raise AssertionError(f"a float in JSON output: {number} (money and rates must be strings)")

    return json.loads(text, parse_float=refuse)


def _json(argv: list[str], stdin: bytes = b"", ok: tuple[int, ...] = (0,)) -> Any:
    code, out, err = run(argv, stdin)
    assert code in ok, f"exit {code}: {err}"
    return _no_float(out)


def _is_money(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    Decimal(value)
    return True


def _one_error_line(argv: list[str], *needles: str, stdin: bytes = b"") -> str:
    code, out, err = run(argv, stdin)
    assert code == 2, f"exit {code}, stdout {out!r}, stderr {err!r}"
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, f"want one line on stderr, got {lines}"
    assert lines[0].startswith("autoloan: error: ") or lines[0].startswith("autoloan "), lines[0]
    for needle in needles:
        assert needle in lines[0], f"{needle!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "loan.json").write_text(json.dumps(LOAN), encoding="utf-8")
    (tmp_path / "payments.csv").write_text(PAYMENTS, encoding="utf-8")
    yield tmp_path


# --- the JSON documents -------------------------------------------------------------------------------

SCHEDULE = ["schedule", "--principal", "150000", "--rate", "0.0435", "--term", "12", "--start", "2026-01-15"]


def test_version() -> None:
    code, out, _ = run(["--version"])
    assert code == 0 and out.startswith("autoloan ") and out.split()[1][0].isdigit()


def test_schedule_json_keys() -> None:
    _need("schedule")
    doc = _json([*SCHEDULE, "--currency", "CNY", "--json"])
    assert list(doc) == [
        "terms",
        "level_payment",
        "capitalized_interest",
        "paid_off_early",
        "installments",
        "total_payment",
        "total_interest",
        "total_principal",
    ]
    assert {"principal", "annual_rate", "term", "start", "method", "currency"} <= set(doc["terms"])
    assert list(doc["installments"][0]) == [
        "number",
        "due_date",
        "payment",
        "principal",
        "interest",
        "fees",
        "balance",
    ]
    assert all(_is_money(doc["installments"][0][k]) for k in ("payment", "principal", "interest", "balance"))
    assert doc["total_principal"] == "150000.00" and len(doc["installments"]) == 12
    assert _json([*SCHEDULE, "--format", "json"]) == _json([*SCHEDULE, "--json"])


def test_schedule_csv_and_table_formats() -> None:
    _need("schedule")
    code, out, _ = run([*SCHEDULE, "--format", "csv"])
    assert code == 0 and out.splitlines()[0].startswith("number,due_date,payment")
    code, out, _ = run([*SCHEDULE, "--format", "table"])
    assert code == 0 and "Total" in out


STATUS_KEYS = {
    "as_of",
    "days_past_due",
    "installments_in_arrears",
    "oldest_unpaid_due_date",
    "amount_past_due",
    "principal_past_due",
    "interest_past_due",
    "fees_past_due",
    "penalty_past_due",
    "days_delinquent",
    "next_due_date",
    "next_due_amount",
    "principal_balance",
    "accrued_interest",
    "payoff_amount",
    "per_diem",
    "paid_to_date",
    "last_payment_date",
    "credit_balance",
    "currency",
}


def test_status_json_keys(files: Path) -> None:
    _need("status")
    argv = ["status", "--loan", str(files / "loan.json"), "--payments", str(files / "payments.csv")]
    doc = _json([*argv, "--as-of", "2026-04-20", "--json"])
    assert set(doc) >= STATUS_KEYS
    assert doc["days_past_due"] == 36 and doc["currency"] == "CNY"
    assert _is_money(doc["amount_past_due"]) and _is_money(doc["payoff_amount"])
    doc = _json([*argv, "--as-of", "2026-04-20", "--installments", "--json"])
    assert {"number", "due_date", "due", "paid", "remaining", "paid_on", "state"} <= set(
        doc["installments"][0]
    )


def test_status_reads_payments_from_stdin(files: Path) -> None:
    _need("status")
    argv = [
        "status",
        "--loan",
        str(files / "loan.json"),
        "--payments",
        "-",
        "--as-of",
        "2026-04-20",
        "--json",
    ]
    code, out, err = run(argv, stdin=PAYMENTS.encode())
    if code != 0:
        pytest.xfail(f"REQUESTS.md #1: --payments - (stdin) via common.read_text; today: {err.strip()}")
    assert _no_float(out)["days_past_due"] == 36


def test_payoff_json_keys(files: Path) -> None:
    _need("payoff")
    argv = ["payoff", "--loan", str(files / "loan.json"), "--payments", str(files / "payments.csv")]
    doc = _json([*argv, "--on", "2026-03-01", "--json"])
    money = {"principal", "accrued_interest", "fees", "penalty", "rebate", "credits", "total", "per_diem"}
    assert set(doc) >= money | {"on", "good_through", "currency"}
    assert all(_is_money(doc[k]) for k in money) and doc["on"] == "2026-03-01"


def test_apr_json_keys() -> None:
    _need("apr")
    code, out, err = run(["apr", "--principal", "100000", "--payment", "3055.56", "--term", "36", "--json"])
    if code == 2 and "--json" in err:
        pytest.xfail("REQUESTS.md #2: `autoloan apr --json`")
    doc = _no_float(out)
    assert list(doc) == ["offer", "nominal", "effective"]
    assert {"principal", "payment", "fee", "term", "frequency"} <= set(doc["offer"])
    assert Decimal("0.0629") < Decimal(doc["nominal"]) < Decimal("0.0630") < Decimal(doc["effective"])
    flat = _json(["apr", "--flat-rate", "3.5%", "--term", "36", "--json"])
    assert list(flat) == ["offer", "nominal", "effective"] and flat["offer"]["flat_rate"] == "3.5%"


def test_classify_json_keys() -> None:
    _need("classify")
    doc = _json(["classify", "--dpd", "95", "--json"])
    assert isinstance(doc, list) and len(doc) >= 7
    for row in doc:
        assert {"view", "grade", "label_en", "label_zh", "rule_id", "citation", "reason"} <= set(row)
    assert [r["grade"] for r in doc][:2] == ["M4", "90-119"]


def test_rules_json_keys() -> None:
    _need("rules")
    code, out, err = run(["rules", "--jurisdiction", "US-MA", "--json"])
    if code == 2 and "--json" in err:
        pytest.xfail("REQUESTS.md #3: `autoloan rules --json`")
    doc = _no_float(out)
    assert isinstance(doc, list) and doc
    assert {"pack", "rule_id", "citation", "parameters"} <= set(doc[0])


def test_check_json_keys_and_exit_codes() -> None:
    _need("check")
    base = ["check", "--action", "call", "--jurisdiction", "US", "--tz", "America/New_York", "--json"]
    blocked = _json([*base, "--at", "2026-03-02T07:30-05:00"], ok=(1,))
    assert {"allowed", "next_permitted", "findings"} <= set(blocked)
    assert blocked["allowed"] is False and blocked["next_permitted"].startswith("2026-03-02T08:00")
    assert {"rule_id", "citation", "severity", "message"} <= set(blocked["findings"][0])
    allowed = _json([*base, "--at", "2026-03-02T10:30-05:00"], ok=(0,))
    assert allowed["allowed"] is True


def test_policy_json() -> None:
    _need("policy")
    doc = _json(["policy", "show", "cn-auto", "--json"])
    assert isinstance(doc, dict) and {"name", "stages", "experiments"} <= set(doc)
    assert doc["name"] == "cn-auto" and [s["id"] for s in doc["stages"]][:2] == ["current", "early"]
    lint = _json(["policy", "lint", "cn-auto", "--json"], ok=(0, 1))
    assert isinstance(lint, list | dict)
    sim = _json(["policy", "simulate", "cn-auto", "--end", "2026-04-30", "--json"], ok=(0,))
    assert isinstance(sim, dict) and sim


def test_policy_bad_inputs(tmp_path: Path) -> None:
    _need("policy")
    _one_error_line(["policy", "show", str(tmp_path / "nope.json")], "nope.json")
    (tmp_path / "bad.json").write_text('{"name": "x",', encoding="utf-8")
    _one_error_line(["policy", "show", str(tmp_path / "bad.json")], "bad.json")
    (tmp_path / "unknown.json").write_text(json.dumps({"name": "x", "stagez": []}), encoding="utf-8")
    _one_error_line(["policy", "lint", str(tmp_path / "unknown.json")], "stagez")


def _book_files(tmp_path: Path) -> tuple[Path, Path]:
    loans, payments = tmp_path / "loans.csv", tmp_path / "payments.csv"
    code, _, err = run(
        [
            "book",
            "synthetic",
            "-n",
            "5",
            "--seed",
            "1",
            "--as-of",
            "2026-06-30",
            "--loans",
            str(loans),
            "--payments",
            str(payments),
        ]
    )
    assert code == 0, err
    return loans, payments


def test_book_statuses_json_keys(tmp_path: Path) -> None:
    _need("book")
    from autoloan.book import STATUS_COLUMNS

    loans, payments = _book_files(tmp_path)
    argv = ["book", "statuses", "--loans", str(loans), "--payments", str(payments), "--as-of", "2026-06-30"]
    rows = _json([*argv, "--json"])
    assert isinstance(rows, list) and len(rows) == 5
    assert set(rows[0]) >= set(STATUS_COLUMNS) - {"partial_payment"}
    assert _is_money(rows[0]["principal_balance"]) and _is_money(rows[0]["payoff_amount"])
    assert _json([*argv, "--format", "json"]) == rows


def test_book_bad_inputs(tmp_path: Path) -> None:
    _need("book")
    loans, payments = _book_files(tmp_path)
    as_of = ["--as-of", "2026-06-30"]
    _one_error_line(
        ["book", "statuses", "--loans", str(tmp_path / "no.csv"), "--payments", str(payments), *as_of],
        "no.csv",
    )
    lines = loans.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("principal")] = "lots"
    (tmp_path / "bad.csv").write_text(
        "\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8"
    )
    _one_error_line(
        ["book", "statuses", "--loans", str(tmp_path / "bad.csv"), "--payments", str(payments), *as_of],
        "principal",
    )
    coloured = [lines[0] + ",colour", *(line + ",red" for line in lines[1:])]
    (tmp_path / "unknown.csv").write_text("\n".join(coloured) + "\n", encoding="utf-8")
    code, _, err = run(
        ["book", "statuses", "--loans", str(tmp_path / "unknown.csv"), "--payments", str(payments), *as_of]
    )
    if code == 0:
        pytest.xfail("REQUESTS.md #6: an unknown loans column (colour) is ignored silently")
    assert code == 2 and len(err.splitlines()) == 1 and "colour" in err


def test_every_subcommand_takes_json() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(getattr(a, "choices", None), dict))
    lacking = []
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        if name == "demo":  # a show-case, not an interface
            continue
        nested = [a for a in command._actions if isinstance(getattr(a, "choices", None), dict)]
        parsers = list(nested[0].choices.values()) if nested else [command]
        for p in parsers:
            if not any("--json" in a.option_strings for a in p._actions):
                lacking.append(p.prog)
    if lacking:
        pytest.xfail("REQUESTS.md #2-#3: no --json yet on " + ", ".join(sorted(lacking)))


# --- bad input: one line on stderr, exit 2 ------------------------------------------------------------


def test_missing_file(files: Path) -> None:
    _need("status")
    _one_error_line(["status", "--loan", str(files / "nope.json"), "--as-of", "2026-04-20"], "nope.json")
    _one_error_line(
        [
            "status",
            "--loan",
            str(files / "loan.json"),
            "--payments",
            str(files / "no.csv"),
            "--as-of",
            "2026-04-20",
        ],
        "no.csv",
    )


def test_bad_json(files: Path) -> None:
    _need("status")
    (files / "bad.json").write_text('{"principal": 1,', encoding="utf-8")
    _one_error_line(
        ["status", "--loan", str(files / "bad.json"), "--as-of", "2026-04-20"], "bad.json", "JSON"
    )
    (files / "list.json").write_text("[1, 2]", encoding="utf-8")
    _one_error_line(["status", "--loan", str(files / "list.json"), "--as-of", "2026-04-20"], "list.json")


def test_bad_value_in_json_names_the_key(files: Path) -> None:
    _need("status")
    (files / "rate.json").write_text(json.dumps(LOAN | {"annual_rate": "abc"}), encoding="utf-8")
    _one_error_line(["status", "--loan", str(files / "rate.json"), "--as-of", "2026-04-20"], "annual_rate")
    (files / "key.json").write_text(json.dumps(LOAN | {"principle": 1}), encoding="utf-8")
    _one_error_line(["status", "--loan", str(files / "key.json"), "--as-of", "2026-04-20"], "principle")


def _status_with(files: Path, csv_text: str) -> list[str]:
    (files / "p.csv").write_text(csv_text, encoding="utf-8")
    return [
        "status",
        "--loan",
        str(files / "loan.json"),
        "--payments",
        str(files / "p.csv"),
        "--as-of",
        "2026-04-20",
    ]


def test_malformed_csv_row_names_file_line_and_field(files: Path) -> None:
    _need("status")
    line = _one_error_line(
        _status_with(files, "date,amount\n2026-02-15,100\n2026-03-15,abc\n"), "p.csv", "amount"
    )
    assert "p.csv:3" in line  # the file's line number, header = line 1
    _one_error_line(_status_with(files, "date,amount\n2026-02-31,100\n"), "p.csv:2", "date")


def test_csv_row_with_too_many_fields(files: Path) -> None:
    _need("status")
    code, _, _ = run(_status_with(files, "date,amount\n2026-02-15,100,7\n"))
    if code == 0:
        pytest.xfail("REQUESTS.md #4: a row with more fields than the header is accepted silently")
    _one_error_line(_status_with(files, "date,amount\n2026-02-15,100,7\n"), "p.csv:2")


def test_unknown_column(files: Path) -> None:
    _need("status")
    _one_error_line(_status_with(files, "date,amout\n2026-02-15,100\n"), "p.csv")  # required column missing
    code, _, _ = run(_status_with(files, "date,amount,memo\n2026-02-15,100,x\n"))
    if code == 0:
        pytest.xfail("REQUESTS.md #4: an unknown column (memo) is ignored silently")
    _one_error_line(_status_with(files, "date,amount,memo\n2026-02-15,100,x\n"), "memo")


def test_gb18030_payments_file(files: Path) -> None:
    _need("status")
    (files / "gbk.csv").write_bytes("date,amount,reference\n2026-02-15,12812.88,工行转账\n".encode("gb18030"))
    argv = ["status", "--loan", str(files / "loan.json"), "--payments", str(files / "gbk.csv")]
    code, out, err = run([*argv, "--as-of", "2026-04-20", "--json"])
    if code != 0:
        pytest.xfail(
            f"REQUESTS.md #1: read files with common.read_text (UTF-8/BOM/GB18030); today: {err.strip()}"
        )
    assert _no_float(out)["paid_to_date"] == "12812.88"


@pytest.mark.parametrize(
    "argv",
    [
        [*SCHEDULE[:4], "abc", *SCHEDULE[5:]],  # --rate abc
        [*SCHEDULE[:6], "0", *SCHEDULE[7:]],  # --term 0
        ["schedule", "--principal", "1000", "--rate", "0.05", "--term", "12", "--start", "2026-02-30"],
        ["classify", "--dpd", "abc"],
        ["classify", "--dpd", "-5"],
        ["check", "--action", "call", "--at", "yesterday", "--jurisdiction", "US"],
        ["check", "--action", "call", "--at", "2026-03-02T10:00-05:00", "--jurisdiction", "XX"],
        ["apr", "--principal", "100000", "--term", "36"],
        ["no-such-command"],
    ],
    ids=lambda a: " ".join(a[:3]),
)
def test_bad_arguments_are_one_line(argv: list[str]) -> None:
    if argv[0] != "no-such-command":
        _need(argv[0])
    code, _, err = run(argv)
    assert code == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("autoloan")
