"""The ``autoloan classify`` subcommand (delinquency section of the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_classify_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--dpd", "45", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "view,grade,label_en,label_zh,rule_id,citation,reason"
    assert lines[1].startswith("cycle bucket,M2,")
    assert main(["classify", "--dpd", "45", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["grade"] == "M2"
    assert main(["classify", "--dpd", "45", "--json", "--format", "csv"]) == 2


TIMELINE_CSV = (
    "as_of,days_past_due,amount_past_due,currency,paid_late\n"
    "2024/01/31,0,,CNY,\n"
    '2024-02-29,20,"3,561.59",CNY,\n'
    "2024-03-31,50,7123.18,CNY,\n"
    "2024-04-30,0,,CNY,是\n"
)


def test_timeline_from_a_wps_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GB18030 with a Chinese flag value, as WPS saves it; slashes in dates and thousands separators.
    path = tmp_path / "book.csv"
    path.write_bytes(TIMELINE_CSV.encode("gb18030"))
    assert main(["timeline", str(path)]) == 0
    table = capsys.readouterr().out
    assert "pboc" in table.splitlines()[0] and "71" in table
    assert main(["timeline", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["pboc"] for r in rows] == ["N", "1", "2", "M"]
    assert main(["timeline", str(path), "--summary", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["pboc"]["record_24"].endswith("N12M")
    assert summary["pboc"]["overdue_amount"] == "0.00" and summary["pboc"]["currency"] == "CNY"
    assert main(["timeline", str(path), "--summary", "--format", "csv"]) == 0
    head, body = capsys.readouterr().out.splitlines()[:2]
    assert "pboc_lian_san_lei_liu" in head and "N12M" in body


def test_timeline_from_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "book.json"
    data = [{"as_of": "2024-01-31", "days_past_due": 0}, {"as_of": "2024-02-29", "days_past_due": 95}]
    path.write_text(json.dumps(data), encoding="utf-8-sig")
    assert main(["timeline", str(path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[-1] == "pboc" and lines[2].endswith(",4")


@pytest.mark.parametrize(
    "content",
    [
        "as_of,days_past_due,colour\n2024-01-31,0,red\n",
        "as_of,days_past_due\n2024-13-31,0\n",
        "as_of,days_past_due\n2024-01-31,ten\n",
        "as_of,days_past_due\n2024-01-31,0\n2024-01-31,0\n",
        "days_past_due\n0\n",
        "[1, 2]",
        "[{",
    ],
)
def test_timeline_errors_are_one_line(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["timeline", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
