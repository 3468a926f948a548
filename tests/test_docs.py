"""The docs cannot rot: every ```python block in README.md and docs/**/*.md runs, and the site's
structure matches the package (a reference page per public module, every nav entry a real page).

The blocks of one page run in order in one namespace (one namespace per page); a block may use
``assert``. ``mkdocs build --strict`` itself runs in ``make test`` (the ``docs-build`` target).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import autoloan

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted([ROOT / "README.md", *DOCS.rglob("*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
REFERENCE = re.compile(r"^::: (autoloan(?:\.\w+)*)\s*$", re.MULTILINE)


def _page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_examples_run(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The page's namespace is a real module, so classes defined on the page (dataclasses) resolve it.
    module = types.ModuleType(f"docs_{page.stem.replace('-', '_')}")
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    try:
        for number, code in enumerate(blocks, 1):
            try:
                exec(compile(code, f"{_page_id(page)}[block {number}]", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - reported with its location
                raise AssertionError(f"{_page_id(page)} block {number} failed: {exc!r}\n{code}") from exc
    finally:
        sys.modules.pop(module.__name__, None)
        if "matplotlib.pyplot" in sys.modules:  # pages that draw: free their figures
            sys.modules["matplotlib.pyplot"].close("all")
    capsys.readouterr()


def test_the_docs_have_examples() -> None:
    assert (DOCS / "amortization.md") in PAGES
    assert (DOCS / "tutorial" / "cny-car-loan.md") in PAGES  # subfolders are collected too
    assert BLOCK.findall((DOCS / "amortization.md").read_text(encoding="utf-8"))


def public_modules() -> list[str]:
    """``autoloan`` and each public subpackage/module directly under it (no ``_private``, no ``cli``)."""
    names = ["autoloan"]
    for info in pkgutil.iter_modules(autoloan.__path__):
        if not info.name.startswith("_") and info.name not in {"cli"}:
            names.append(f"autoloan.{info.name}")
    return names


def _referenced() -> dict[str, Path]:
    found = {}
    for page in (DOCS / "reference").glob("*.md"):
        for name in REFERENCE.findall(page.read_text(encoding="utf-8")):
            found[name] = page
    return found


def test_every_public_module_has_a_reference_page() -> None:
    referenced = _referenced()
    missing = [m for m in public_modules() if m not in referenced]
    assert not missing, f"add a docs/reference/<name>.md page with '::: <module>' for {missing}"
    for name in referenced:  # and every page documents a module that exists
        importlib.import_module(name)


def test_every_public_module_exports_all() -> None:
    for name in public_modules():
        module = importlib.import_module(name)
        assert isinstance(getattr(module, "__all__", None), list | tuple), f"{name} has no __all__"


def _nav_pages() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text.split("\nnav:\n", 1)[1]
    return re.findall(r"(?:^|: |- )([\w./-]+\.md)\s*$", nav, re.MULTILINE)


def test_nav_lists_real_pages_and_every_reference_page() -> None:
    nav = _nav_pages()
    generated = {"tutorial/notebook.md"}  # written by docs/hooks.py from docs/example.ipynb
    assert nav and not [p for p in nav if p not in generated and not (DOCS / p).is_file()]
    for page in (DOCS / "reference").glob("*.md"):
        assert page.relative_to(DOCS).as_posix() in nav, f"{page.name} is not in mkdocs.yml's nav"
    assert "repo_url" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # no placeholder URL


def test_import_is_light() -> None:
    """``import autoloan`` pulls in none of the optional extras, nor numpy (fresh interpreter)."""
    heavy = ["matplotlib", "pandas", "pyarrow", "dask", "pyspark", "numpy"]
    code = (
        "import sys, autoloan; "
        f"print(','.join(m for m in {heavy!r} if any(k == m or k.startswith(m + '.') for k in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"import autoloan imported {result.stdout.strip()}"
