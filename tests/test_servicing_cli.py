"""``autoloan status`` and ``autoloan payoff``: the CLI reads the files, the library does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autoloan.cli import main

LOAN = {
    "principal": "150000",
    "annual_rate": "0.0435",
    "term": 60,
    "start": "2026-01-15",
    "currency": "CNY",
    "rules": {"waterfall": "cn_bank", "penalty": {"markup": "0.5"}},
}
PAYMENTS = (
    "date,amount,reference,reversal_of\n"
    "2026-02-15,2786.23,T1,\n"
    "2026-03-20,2786.23,T2,\n"
    "2026-03-25,2786.23,,T2\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    loan = tmp_path / "loan.json"
    loan.write_text(json.dumps(LOAN), encoding="utf-8")
    pays = tmp_path / "payments.csv"
    pays.write_text(PAYMENTS, encoding="utf-8")
    return loan, pays


def test_status_text_and_json(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    loan, pays = files
    args = ["status", "--loan", str(loan), "--payments", str(pays), "--as-of", "2026-06-01"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "days past due:" in text and "逾期天数" in text and "罚息" in text
    assert main([*args, "--json", "--installments"]) == 0
    data = json.loads(capsys.readouterr().out)
    # T2 was reversed (NSF) on 2026-03-25, so only the February installment is paid: March 15 is the oldest
    assert data["days_past_due"] == 78 and data["oldest_unpaid_due_date"] == "2026-03-15"
    assert data["installments_in_arrears"] == 3 and data["paid_to_date"] == "2786.23"
    assert data["installments"][0]["state"] == "paid" and len(data["installments"]) == 60


def test_payoff(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    loan, pays = files
    assert main(["payoff", "--loan", str(loan), "--payments", str(pays), "--on", "2026-06-01", "--json"]) == 0
    q = json.loads(capsys.readouterr().out)
    assert q["principal"] == "147757.52" and q["on"] == "2026-06-01"


@pytest.mark.parametrize(
    ("loan_text", "csv_text", "needle"),
    [
        ('{"principal": 1000}', "date,amount\n", "loan.annual_rate: is required"),
        ("[1, 2]", "date,amount\n", "JSON object"),
        ("{oops", "date,amount\n", "not valid JSON"),
        (json.dumps({**LOAN, "colour": "red"}), "date,amount\n", "loan.colour: unknown key"),
        (json.dumps({**LOAN, "rules": {"waterfall": "nope"}}), "date,amount\n", "unknown preset"),
        (json.dumps(LOAN), "when,how much\n", "header row"),
        (json.dumps(LOAN), "date,amount\n2026-02-30,10\n", "payments.csv:2: date"),
        (json.dumps(LOAN), "date,amount\n2026-02-15,-10\n", "payments.csv:2: amount"),
    ],
)
def test_bad_files_give_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], loan_text: str, csv_text: str, needle: str
) -> None:
    loan = tmp_path / "loan.json"
    loan.write_text(loan_text, encoding="utf-8")
    pays = tmp_path / "payments.csv"
    pays.write_text(csv_text, encoding="utf-8")
    assert main(["status", "--loan", str(loan), "--payments", str(pays), "--as-of", "2026-06-01"]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.count("\n") == 1


# -- issue 10: files from real desks ------------------------------------------------------------------------


def _write(tmp_path: Path, loan: dict[str, object], csv_text: str, encoding: str) -> tuple[Path, Path]:
    lp = tmp_path / "loan.json"
    lp.write_bytes(json.dumps(loan, ensure_ascii=False).encode(encoding))
    pp = tmp_path / "payments.csv"
    pp.write_bytes(csv_text.encode(encoding))
    return lp, pp


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-8"])
def test_excel_and_wps_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    """UTF-8 with BOM and GBK/GB18030 as Excel and WPS write them; 2026/03/10 dates; 2,786.23 amounts; a
    Chinese reference; fees in the loan file."""
    loan = {**LOAN, "fees": [{"name": "手续费", "amount": "1000", "financed": True}]}
    text = 'date,amount,reference\n2026/2/15,"2,786.23",二月\n2026/03/20,"2,786.23",三月\n'
    lp, pp = _write(tmp_path, loan, text, encoding)
    args = ["status", "--loan", str(lp), "--payments", str(pp), "--as-of", "2026-06-01", "--format", "json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["paid_to_date"] == "5572.46" and data["currency"] == "CNY"
    assert main([*args[:-2], "--format", "csv"]) == 0
    assert "days_past_due," in capsys.readouterr().out


def test_encoding_option_and_undecodable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lp, pp = _write(tmp_path, LOAN, "date,amount,reference\n2026-02-15,10,二月\n", "gbk")
    args = ["status", "--loan", str(lp), "--payments", str(pp), "--as-of", "2026-06-01"]
    assert main([*args, "--encoding", "gbk"]) == 0
    capsys.readouterr()
    assert main([*args, "--encoding", "utf-8"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("csv_text", "needle"),
    [
        ("date,amount\n2026-02-15,1e999999999\n", "payments.csv:2: amount"),
        ("date,amount\n2026-02-15,abc\n2026-02-16,-1\n", "[and 1 more]"),
        ("date,amount\n2026/13/45,10\n", "payments.csv:2: date"),
    ],
)
def test_bad_cells_are_one_line_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], csv_text: str, needle: str
) -> None:
    lp, pp = _write(tmp_path, LOAN, csv_text, "utf-8")
    assert main(["status", "--loan", str(lp), "--payments", str(pp), "--as-of", "2026-06-01"]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_bad_fee_in_the_loan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lp, pp = _write(tmp_path, {**LOAN, "fees": [{"name": "gps", "amount": "-5"}]}, "date,amount\n", "utf-8")
    assert main(["payoff", "--loan", str(lp), "--payments", str(pp), "--on", "2026-06-01"]) == 2
    err = capsys.readouterr().err
    assert "loan.fees[0]" in err and "loan.json" in err and err.count("\n") == 1
