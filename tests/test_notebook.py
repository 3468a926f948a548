"""The example notebook ``docs/example.ipynb`` runs: its code cells execute in order in one namespace,
as a Jupyter kernel would run them, and the value each cell displays renders.

Why not nbclient/nbval: executing a notebook through a kernel needs jupyter_client, ipykernel, pyzmq
and tornado in the dev environment and a kernel spec on the machine, for no extra checking — the
cells are plain Python. Reading the JSON (``json`` from the standard library) and executing the cells
here is the lighter, dependency-free runner; the docs build (``docs/hooks.py``) renders the same cells
with their outputs into the site.
"""

from __future__ import annotations

import ast
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "example.ipynb"


def _cells() -> list[dict[str, Any]]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells: list[dict[str, Any]] = nb["cells"]
    return cells


@pytest.fixture
def pyplot() -> Iterator[Any]:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_notebook_is_clean_nbformat_4() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["language"] == "python"
    ids = [c.get("id") for c in nb["cells"]]
    assert len(set(ids)) == len(ids)  # nbformat 4.5 cell ids, unique
    for cell in nb["cells"]:
        assert cell["cell_type"] in {"markdown", "code"}
        if cell["cell_type"] == "code":  # committed without outputs: the build renders them
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_notebook_cells_run_in_order(pyplot: Any, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pandas")
    module = types.ModuleType("docs_example_notebook")
    sys.modules[module.__name__] = module
    shown: list[Any] = []
    try:
        for n, cell in enumerate(_cells(), 1):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            try:
                exec(compile(tree, f"example.ipynb[cell {n}]", "exec"), module.__dict__)
                if last is not None:
                    expr = ast.Expression(last.value)
                    shown.append(eval(compile(expr, f"example.ipynb[cell {n}]", "eval"), module.__dict__))
            except Exception as exc:  # pragma: no cover - reported with its cell
                raise AssertionError(f"example.ipynb cell {n} failed: {exc!r}\n{source}") from exc
    finally:
        sys.modules.pop(module.__name__, None)
    capsys.readouterr()
    # what Jupyter would display: each value renders as HTML (a table) or, at least, as text
    assert shown, "the notebook displays nothing"
    for value in shown:
        html = getattr(value, "_repr_html_", None)
        if callable(html):
            assert "<table" in html()
        else:
            assert repr(value)
    assert pyplot.get_fignums(), "the notebook draws its pictures"
