"""``autoloan book``: statuses and classification from CSV files, synthetic books, the schema."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from autoloan.cli import book as book_cli
from autoloan.cli.common import Parser
from autoloan.errors import InvalidInput


def run(argv: list[str]) -> int:
    parser = Parser(prog="autoloan")
    sub = parser.add_subparsers(dest="command")
    book_cli.register(sub)
    args = parser.parse_args(argv)
    return int(args.handler(args))


def test_synthetic_then_statuses_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loans, pays = str(tmp_path / "loans.csv"), str(tmp_path / "payments.csv")
    assert (
        run(
            [
                "book",
                "synthetic",
                "-n",
                "30",
                "--seed",
                "2",
                "--as-of",
                "2026-06-30",
                "--loans",
                loans,
                "--payments",
                pays,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        run(["book", "statuses", "--loans", loans, "--payments", pays, "--as-of", "2026-06-30", "--classify"])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 30 and {"payoff_amount", "china_zh", "cycle"} <= set(rows[0])
    assert "." in rows[0]["payoff_amount"]  # exact decimal text, never a float repr


def test_bad_rows_one_line_and_collect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loans = tmp_path / "loans.csv"
    loans.write_text(
        "loan_id,principal,annual_rate,term,start\nA,1000,0.05,12,2026-01-01\nB,-1,0.05,12,2026-01-01\n"
        "C,1000,0.05,0,2026-01-01\n",
        encoding="utf-8",
    )
    pays = tmp_path / "payments.csv"
    pays.write_text("loan_id,date,amount\nA,2026-02-01,85.61\n", encoding="utf-8")
    args = ["book", "statuses", "--loans", str(loans), "--payments", str(pays), "--as-of", "2026-06-30"]
    with pytest.raises(InvalidInput, match="and 1 more bad rows") as info:
        run(args)
    assert "\n" not in str(info.value)
    assert run([*args, "--errors", "collect", "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert '"loan_id": "A"' in captured.out and "principal" in captured.err and "term" in captured.err


def test_schema_lists_the_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["book", "schema"]) == 0
    text = capsys.readouterr().out
    assert "loans:" in text and "reversal_of" in text and "initiated_by_borrower" in text
    assert run(["book", "schema", "--json"]) == 0
    assert '"reversal_of"' in capsys.readouterr().out


def test_demo_section(capsys: pytest.CaptureFixture[str]) -> None:
    book_cli.demo()
    assert "五级分类" in capsys.readouterr().out


def test_unknown_columns_are_refused(tmp_path: Path) -> None:
    loans = tmp_path / "loans.csv"
    loans.write_text(
        "loan_id,principal,annual_rate,term,start,frist_due\nA,1000,0.05,12,2026-01-01,\n", encoding="utf-8"
    )
    pays = tmp_path / "payments.csv"
    pays.write_text("loan_id,date,amount\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"loans\.frist_due: unknown column"):
        run(["book", "statuses", "--loans", str(loans), "--payments", str(pays), "--as-of", "2026-06-30"])
