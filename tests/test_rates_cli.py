"""`autoloan apr`: the annualized rate of an instalment or flat-fee offer from the command line.

Expected figures: reference note arithmetic.md section 7 (¥100,000, 36 months, 10 % total fee,
月供 3,055.56 -> nominal IRR 6.29 %, effective 6.48 %), checked against autoloan.rates in-process.
"""

from __future__ import annotations

import pytest

from autoloan.cli import main
from autoloan.rates import flat_rate_to_apr


def test_apr_from_payment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apr", "--principal", "100000", "--payment", "3055.56", "--term", "36"]) == 0
    out = capsys.readouterr().out
    assert "6.2946 %" in out and "6.4794 %" in out and "年化利率" in out


def test_apr_from_flat_rate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["apr", "--flat-rate", "3.5%", "--term", "36"]) == 0
    out = capsys.readouterr().out
    assert f"{round(flat_rate_to_apr('3.5%', 36) * 100, 4)} %" in out  # 6.5998 %
    assert main(["apr", "--flat-rate", "0.35%", "--per", "period", "--term", "36"]) == 0
    assert "7.8729 %" in capsys.readouterr().out


def test_apr_with_fee_is_higher(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["apr", "--principal", "100000", "--payment", "3055.56", "--term", "36", "--fee", "2000"]) == 0
    )
    out = capsys.readouterr().out
    nominal = float(out.split("nominal): ")[1].split(" %")[0])
    assert nominal > 6.2946


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["apr", "--term", "36"], "give both"),
        (["apr", "--principal", "1000", "--term", "12"], "give both"),
        (["apr", "--flat-rate", "3%", "--principal", "1000", "--term", "12"], "--flat-rate"),
        (["apr", "--principal", "100", "--payment", "0", "--term", "3"], "never change sign"),
        (["apr", "--principal", "abc", "--payment", "10", "--term", "3"], "principal"),
        (["apr", "--flat-rate", "3%", "--term", "0"], "at least 1"),
        (["apr", "--flat-rate", "3%", "--term", "12", "--frequency", "hourly"], "frequency"),
    ],
)
def test_apr_errors_are_one_line(args: list[str], needle: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_apr_json(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 10: ``apr`` gets ``--json`` (rates as decimal-string fractions, never floats)."""
    import json

    assert main(["apr", "--principal", "100000", "--payment", "3055.56", "--term", "36", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nominal"] == "0.0629460033" and data["effective"] == "0.0647941421"
    assert data["offer"]["principal"] == "100000" and data["offer"]["term"] == 36
    assert main(["apr", "--flat-rate", "3.5%", "--term", "36", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nominal"] == str(flat_rate_to_apr("3.5%", 36))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        # Issue 10 #5: printed "APR -226.9 %" and exited 0.
        (["apr", "--principal", "100000", "--payment", "10", "--term", "36"], "never repay"),
        # Issue 10: a traceback before.
        (["apr", "--flat-rate", "1e999999999%", "--term", "36"], "flat_rate"),
        (["apr", "--principal", "1e999999999", "--payment", "10", "--term", "36"], "principal"),
    ],
)
def test_apr_refusals_are_one_line_exit_2(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert needle in captured.err and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.out == ""
