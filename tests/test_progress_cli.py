"""Progress on long work: ``book.simulate(progress=...)`` and the CLI's bar (only on a terminal)."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from typing import Any

import pytest

from autoloan import book
from autoloan.cli import main
from autoloan.cli.common import progress_bar
from autoloan.errors import InvalidInput
from autoloan.policy import Behaviour, Policy


def test_book_simulate_reports_progress_in_order() -> None:
    loans, _ = book.synthetic(6, seed=1, as_of=date(2026, 1, 31))
    calls: list[tuple[int, int]] = []
    run = book.simulate(
        Policy.builtin("cn-auto"),
        loans,
        Behaviour.random(seed=1),
        date(2026, 1, 31),
        date(2026, 2, 28),
        1,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert run.blocked_executed == 0


def test_progress_must_be_callable() -> None:
    loans, _ = book.synthetic(2, seed=1, as_of=date(2026, 1, 31))
    with pytest.raises(InvalidInput, match="progress"):
        book.simulate(
            Policy.builtin("cn-auto"),
            loans,
            Behaviour.random(seed=1),
            date(2026, 1, 31),
            date(2026, 2, 28),
            progress=5,  # type: ignore[arg-type]
        )


def test_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert progress_bar("x") is None  # pytest captures stdout: not a terminal
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    err = io.StringIO()
    bar = progress_bar("simulate", stream=err)
    assert bar is not None
    for done in range(0, 5):
        bar(done, 4)
    text = err.getvalue()
    assert text.count("\r") == 5 and text.endswith("100% 4/4\n")
    assert "[###############...............]  50% 2/4" in text


def test_book_simulate_command_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "book",
        "simulate",
        "cn-auto",
        "-n",
        "8",
        "--start",
        "2026-01-31",
        "--end",
        "2026-02-28",
        "--json",
    ]
    assert main(argv) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out, parse_float=lambda s: pytest.fail(f"a float in the JSON: {s}"))
    assert set(doc) >= {"policy", "digest", "arms", "actions_by_kind", "blocked_executed", "comparison"}
    assert doc["blocked_executed"] == 0 and doc["arms"] == ["champion", "challenger"]
    assert "simulate [" not in captured.err  # no bar when stdout is not a terminal


def test_book_simulate_command_bad_policy_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["book", "simulate", "no-such.json", "--start", "2026-01-31", "--end", "2026-02-28"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("autoloan: error:") and err.count("\n") == 1


def test_book_statuses_and_classify_draw_bars_on_a_terminal_only(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loans, pays = book.synthetic(5000, seed=4, as_of=date(2026, 7, 1))
    lp, pp = tmp_path / "l.csv", tmp_path / "p.csv"
    for path, table in ((lp, loans), (pp, pays)):
        names = list(table)
        rows = [",".join("" if v is None else str(v) for v in r) for r in zip(*table.values(), strict=True)]
        path.write_text("\n".join([",".join(names), *rows]) + "\n", encoding="utf-8")
    argv = ["book", "statuses", "--loans", str(lp), "--payments", str(pp), "--as-of", "2026-07-01"]
    assert main(argv) == 0
    plain = capsys.readouterr()
    assert plain.err == ""  # stdout captured: not a terminal, no bar
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(argv) == 0
    shown = capsys.readouterr()
    assert shown.out == plain.out  # the bars go to stderr only, the table is unchanged
    for label in ("reading loans", "reading payments", "statuses"):
        assert f"{label}" in shown.err and "100%" in shown.err
    assert shown.err.count("\n") == 3  # one finished bar per phase
    lines = shown.err.count("reading payments")
    assert lines > 3  # the payments file (~80,000 lines) is read with several updates
    st = tmp_path / "s.csv"
    st.write_text(plain.out, encoding="utf-8")
    assert main(["book", "classify", "--statuses", str(st)]) == 0
    assert "reading statuses" in capsys.readouterr().err
