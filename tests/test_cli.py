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
