"""``autoloan policy show|lint|decide|simulate`` (registered by the lead in ``cli.COMMANDS``; the
tests build a parser with the policy group alone so they run before that)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autoloan.cli import policy as policy_cli
from autoloan.cli.common import Parser, UsageError
from autoloan.errors import AutoloanError
from autoloan.policy import Policy


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = Parser(prog="autoloan")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    policy_cli.register(sub)
    try:
        args = parser.parse_args(argv)
        code = args.handler(args)
    except (UsageError, AutoloanError) as exc:  # what cli.main turns into one line and exit 2
        return 2, "", str(exc)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_builtin_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["policy", "show", "cn-auto"], capsys)
    assert code == 0 and "初次催收" in out and "| Stage |" in out
    code, out, _ = run(["policy", "show", "us-auto", "--json"], capsys)
    assert code == 0 and Policy.from_dict(json.loads(out)) == Policy.builtin("us-auto")
    code, out, _ = run(["policy", "show", "x", "--schema"], capsys)
    assert code == 0 and json.loads(out)["$schema"].endswith("2020-12/schema")


def test_lint_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["policy", "lint", "us-auto", "-j", "US-MA", "-j", "US-WI"], capsys)[0] == 0
    doc = Policy.builtin("cn-auto").to_dict()
    doc["stages"][1]["treatments"][1]["window"] = ["22:00", "23:00"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(["policy", "lint", str(path), "-j", "CN", "--json"], capsys)
    assert code == 1 and json.loads(out)[0]["path"] == "$.stages[1].treatments[1].window"


def test_toml_policy_and_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = tmp_path / "p.toml"
    toml.write_text(
        'name = "tiny"\n[[segments]]\nid = "all"\n[[stages]]\nid = "s"\nlabel_en = "s"\nlabel_zh = "阶段"\n'
        '[[stages.treatments]]\nid = "t"\naction = "sms"\nevery_days = -1\n',
        encoding="utf-8",
    )
    code, _, err = run(["policy", "show", str(toml)], capsys)
    assert code == 2 and "\n" not in err.strip()
    assert "$.stages[0].treatments[0].every_days: must be a positive integer (got -1)" in err
    toml.write_text(
        'name = "tiny"\n[[segments]]\nid = "all"\n[[stages]]\nid = "s"\nlabel_en = "s"\nlabel_zh = "z"\n'
    )
    assert run(["policy", "show", str(toml)], capsys)[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    assert run(["policy", "show", str(bad)], capsys)[0] == 2
    assert run(["policy", "show", str(tmp_path / "missing.json")], capsys)[0] == 2


def test_decide_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = {
        "account_id": "L1",
        "terms": {
            "principal": "120000",
            "annual_rate": "0.0435",
            "term": 36,
            "start": "2026-01-15",
            "currency": "CNY",
        },
        "payments": [],
        "as_of": "2026-02-17",
        "borrower": {"jurisdiction": "CN"},
        "history": [{"kind": "sms", "at": "2026-02-16T09:00:00+08:00", "outcome": "delivered"}],
        "now": "2026-02-17T00:00:00+08:00",
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    code, out, _ = run(["policy", "decide", "cn-auto", "--case", str(path), "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["stage"]["id"] == "early" and d["actions"][0]["kind"] == "call"
    case["borrower"] = {"jurisdiction": "CN", "colour": 1}
    path.write_text(json.dumps(case), encoding="utf-8")
    assert run(["policy", "decide", "cn-auto", "--case", str(path)], capsys)[0] == 2


def test_simulate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["policy", "simulate", "us-auto", "-j", "US-WI", "--end", "2026-08-01", "--json"], capsys
    )
    data = json.loads(out)
    assert code == 0 and data["blocked_executed"] == 0
    assert [s for _, s in data["stage_entries"]][-1] == "charge_off"
    code, out, _ = run(["policy", "simulate", "cn-auto", "--seed", "3", "--end", "2026-04-01"], capsys)
    assert code == 0 and "blocked_executed: 0" in out
    assert run(["policy", "simulate", "cn-auto", "--rate", "4.35"], capsys)[0] == 2


def test_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    policy_cli.demo()
    assert "初次催收" in capsys.readouterr().out
