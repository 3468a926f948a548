"""``--plot FILE.png`` on the CLI commands that draw: each writes a PNG and still prints its result.

The pictures themselves are checked on their artists in tests/test_plot.py; here we check that every
command's ``--plot`` reaches the drawing and the file is a real PNG, and that stdout is unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from autoloan.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def _png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG and len(data) > 2000, path


def test_schedule_and_status_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--principal", "120000", "--rate", "0.0435", "--term", "24", "--start", "2026-01-15"]
    code, plain = _run(["schedule", *common], capsys)
    code2, drawn = _run(["schedule", *common, "--plot", str(tmp_path / "s.png")], capsys)
    assert code == code2 == 0 and plain == drawn
    _png(tmp_path / "s.png")
    loan = tmp_path / "loan.json"
    loan.write_text(json.dumps({"principal": "1200", "annual_rate": "0", "term": 3, "start": "2026-01-01"}))
    pays = tmp_path / "p.csv"
    pays.write_text("date,amount\n2026-02-01,400\n")
    code, _ = _run(
        [
            "status",
            "--loan",
            str(loan),
            "--payments",
            str(pays),
            "--as-of",
            "2026-04-01",
            "--plot",
            str(tmp_path / "a.png"),
        ],
        capsys,
    )
    assert code == 0
    _png(tmp_path / "a.png")


def test_classify_and_timeline_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, plain = _run(["classify", "--dpd", "95", "--as-of", "2026-03-31"], capsys)
    code2, drawn = _run(
        ["classify", "--dpd", "95", "--as-of", "2026-03-31", "--plot", str(tmp_path / "c.png")], capsys
    )
    assert code == code2 == 0 and plain == drawn
    _png(tmp_path / "c.png")
    snaps = tmp_path / "t.csv"
    snaps.write_text("as_of,days_past_due\n2026-01-31,0\n2026-02-28,20\n2026-03-31,50\n")
    code, out = _run(["timeline", str(snaps), "--plot", str(tmp_path / "t.png")], capsys)
    assert code == 0 and "2026-03-31" in out
    _png(tmp_path / "t.png")


def test_book_classify_and_policy_simulate_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loans, pays, stat = tmp_path / "l.csv", tmp_path / "p.csv", tmp_path / "s.csv"
    common = ["--as-of", "2026-07-01"]
    assert (
        _run(
            [
                "book",
                "synthetic",
                "-n",
                "40",
                "--seed",
                "3",
                "--loans",
                str(loans),
                "--payments",
                str(pays),
                *common,
            ],
            capsys,
        )[0]
        == 0
    )
    code, out = _run(["book", "statuses", "--loans", str(loans), "--payments", str(pays), *common], capsys)
    assert code == 0
    stat.write_text(out)
    code, out = _run(["book", "classify", "--statuses", str(stat), "--plot", str(tmp_path / "b.png")], capsys)
    assert code == 0 and out.startswith("loan_id,")
    _png(tmp_path / "b.png")
    code, _ = _run(
        [
            "policy",
            "simulate",
            "cn-auto",
            "--start",
            "2026-01-15",
            "--end",
            "2026-05-31",
            "--plot",
            str(tmp_path / "r.png"),
        ],
        capsys,
    )
    assert code in (0, 1)
    _png(tmp_path / "r.png")


def test_plot_without_a_writable_path_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["classify", "--dpd", "5", "--plot", str(tmp_path / "missing" / "c.png")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("autoloan: error:") and err.count("\n") == 1
