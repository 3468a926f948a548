"""The ``autoloan classify`` subcommand (delinquency section of the CLI)."""

from __future__ import annotations

import json

import pytest

from autoloan.cli import main


def test_classify_prints_every_view(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--dpd", "95", "--citations"]) == 0
    out = capsys.readouterr().out
    for needle in ("M4", "90-119", "次级", "substandard", "stage_3", "defaulted", "80", "65 FR 36903"):
        assert needle in out


def test_classify_json_with_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    # Delegated Regulation (EU) 2018/171: EUR 99 past due is below the EUR 100 absolute limit.
    args = [
        "classify",
        "--dpd",
        "120",
        "--balance",
        "10000",
        "--past-due",
        "99",
        "--currency",
        "EUR",
        "--json",
    ]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    by_view = {r["view"]: r for r in rows}
    assert by_view["EU/Basel default"]["grade"] == "not_defaulted"
    assert by_view["EU/Basel default"]["rule_id"] == "EU.CRR178.IMMATERIAL"
    assert by_view["FFIEC retail"]["grade"] == "loss"


def test_classify_events(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["classify", "--dpd", "10", "--as-of", "2024-03-15", "--bankruptcy-notified", "2024-01-02"]) == 0
    )
    assert "US.FFIEC.RETAIL.BANKRUPTCY" in capsys.readouterr().out
    assert main(["classify", "--dpd", "40", "--charged-off"]) == 0
    assert "97" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["classify", "--dpd", "-3"],
        ["classify", "--dpd", "ten"],
        ["classify"],
        ["classify", "--dpd", "10", "--bankruptcy-notified", "2024-01-02"],
        ["classify", "--dpd", "10", "--balance", "abc"],
    ],
)
def test_classify_errors_are_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
