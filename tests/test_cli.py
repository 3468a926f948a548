"""The command line: schedule, demo, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from autoloan.cli import main


def test_schedule_table_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "schedule",
        "--principal",
        "150000",
        "--rate",
        "4.35%",
        "--term",
        "60",
        "--start",
        "2026-01-15",
        "--currency",
        "CNY",
    ]
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "2,786.23" in table and "Total" in table and "150,000.00" in table
    assert main([*args, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["installments"][0]["payment"] == "2786.23" and len(payload["installments"]) == 60
    assert main([*args, "--format", "csv", "--method", "equal_principal"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "number,due_date,payment,principal,interest,fees,balance" and len(lines) == 61


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["schedule", "--principal", "abc", "--rate", "5%", "--term", "3", "--start", "2026-01-01"],
            "principal",
        ),
        (["schedule", "--principal", "100", "--rate", "5%", "--term", "0"], "--term"),
        (
            [
                "schedule",
                "--principal",
                "100",
                "--rate",
                "5%",
                "--term",
                "3",
                "--start",
                "2026-01-01",
                "--method",
                "x",
            ],
            "method",
        ),
        (
            ["schedule", "--principal", "100", "--rate", "5%", "--term", "3", "--start", "2026-13-01"],
            "--start",
        ),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) != 0
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert "等额本息" in capsys.readouterr().out


def test_python_dash_m_entry_point() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "autoloan",
            "schedule",
            "--principal",
            "1000",
            "--rate",
            "0",
            "--term",
            "2",
            "--start",
            "2026-01-01",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "500.00" in done.stdout


LOAN = ["schedule", "--principal", "140000", "--term", "36", "--start", "2026-01-15", "--currency", "CNY"]


@pytest.mark.parametrize(
    ("rate", "needle"),
    [
        ("1e999999999%", "annual_rate"),  # issue 10: a decimal.Overflow traceback before
        ("4.35", 'did you mean 0.0435 or "4.35%"?'),  # issue 10 #1: was read as 435 %
        ("abc", "annual_rate"),
    ],
)
def test_schedule_bad_rates_are_one_line_exit_2(
    rate: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*LOAN, "--rate", rate]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_schedule_start_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "--principal", "100", "--rate", "5%", "--term", "3"]) == 2
    assert "--start" in capsys.readouterr().err


def test_schedule_json_alias_has_stable_keys_and_string_money(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*LOAN, "--rate", "4.35%", "--json"]) == 0
    short = json.loads(capsys.readouterr().out)
    assert main([*LOAN, "--rate", "4.35％", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == short
    assert list(short) == [
        "terms",
        "level_payment",
        "capitalized_interest",
        "paid_off_early",
        "installments",
        "total_payment",
        "total_interest",
        "total_principal",
    ]
    assert short["level_payment"] == "4155.19" and short["terms"]["annual_rate"] == "0.0435"
    row = short["installments"][0]
    assert list(row) == ["number", "due_date", "payment", "principal", "interest", "fees", "balance"]
    assert all(isinstance(row[k], str) for k in ("payment", "principal", "interest", "fees", "balance"))
    assert short["paid_off_early"] is False
