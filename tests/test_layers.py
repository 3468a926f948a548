"""The import-layer map of DESIGN.md, and no cross-module private imports (kept true by this test).

Layers, lowest first; a module may import only from strictly lower layers of another package::

    errors → _enums → money → dates, _html → amortization → rates → servicing → delinquency
    compliance (beside the loan layers: errors, _enums, money, dates, _html only)
    policy (reads servicing and delinquency, asks compliance) → book → plot, testing → cli, __main__

A private name (``_x``) is never imported from another module, and a private module
(``autoloan.pkg._mod``) is imported only inside its own package; ``autoloan._enums`` and
``autoloan._html`` are the two shared internals every layer may use.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "autoloan"

RANK = {
    "errors": 0,
    "_enums": 1,
    "money": 2,
    "dates": 3,
    "_html": 3,
    "amortization": 4,
    "compliance": 4,
    "rates": 5,
    "servicing": 6,
    "delinquency": 7,
    "policy": 8,
    "book": 9,
    "plot": 10,
    "testing": 10,
    "cli": 11,
    "__main__": 12,
    "__init__": 12,
}
SHARED_INTERNALS = {"_enums", "_html"}


def _package(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, imported names) for every ``autoloan`` import in ``path``."""
    out: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "autoloan" or node.module.startswith("autoloan."):
                out.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("autoloan")]
    return out


MODULES = sorted(SRC.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["autoloan", *parts])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_layers_and_private_names(path: Path) -> None:
    here = _package(path)
    assert here in RANK, f"{here}: a new top-level module; give it a place in RANK (and DESIGN.md)"
    me = _module_name(path)
    problems: list[str] = []
    for line, module, names in _imports(path):
        parts = module.split(".")
        target = parts[1] if len(parts) > 1 else "__init__"
        if target != here:
            if target == "__init__":
                if here not in {"cli", "__main__"}:
                    problems.append(f"line {line}: imports the package root 'autoloan' (import the module)")
            elif RANK.get(target, 99) >= RANK[here]:
                problems.append(f"line {line}: {here} (layer {RANK[here]}) imports {module} (layer up)")
            private_parts = [p for p in parts[2:] if p.startswith("_") and not p.startswith("__")]
            if private_parts:
                problems.append(f"line {line}: imports the private module {module} of another package")
        if module != me:
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                problems.append(f"line {line}: from {module} import {', '.join(private)} (a private name)")
    if here == "compliance":
        problems += [
            f"line {line}: compliance imports {module}"
            for line, module, _ in _imports(path)
            if module.split(".")[1:2] and module.split(".")[1] in {"amortization", "rates", "servicing"}
        ]
    assert not problems, f"{path.relative_to(SRC)}:\n  " + "\n  ".join(problems)


def test_the_guard_sees_imports() -> None:
    assert any(_imports(p) for p in MODULES)
    assert set(RANK) >= SHARED_INTERNALS
