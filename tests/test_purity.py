"""The library does no I/O and reads no clock (DEVELOPERS.md): only cli/ and __main__.py may."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "autoloan"
ALLOWED = {"cli.py", "__main__.py", "testing.py"}
MODULES = sorted(
    p for p in SRC.rglob("*.py") if p.name not in ALLOWED and p.relative_to(SRC).parts[0] != "cli"
)
BANNED_CALLS = {"open", "print", "input", "exec", "eval"}
BANNED_ATTRS = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("time", "time"),
    ("time", "monotonic"),
    ("time", "perf_counter"),
    ("os", "environ"),
    ("os", "getenv"),
    ("Path", "read_text"),
    ("Path", "open"),
}
BANNED_IMPORTS = {
    "random",
    "secrets",
    "socket",
    "subprocess",
    "urllib",
    "requests",
    "http",
    "sqlite3",
    "shutil",
}


def _problems(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED_CALLS:
            problems.append(f"line {node.lineno}: {node.func.id}()")
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in BANNED_ATTRS
        ):
            problems.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            problems += [
                f"line {node.lineno}: import {n}" for n in names if n.split(".")[0] in BANNED_IMPORTS
            ]
    return problems


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_io_no_clock_no_randomness(path: Path) -> None:
    problems = _problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.name} does I/O, reads a clock or is random: {problems}"


def test_the_guard_catches_io() -> None:
    sample = (
        "import random\nfrom urllib import request\nprint(1)\nx = date.today()\ny = os.environ\nopen('f')\n"
    )
    assert len(_problems(sample)) == 6
    assert len(MODULES) > 30
