"""Every ```python block in README.md and docs/*.md runs, so the docs cannot rot.

The blocks of one page run in order in one namespace; a block may use ``assert``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    for number, code in enumerate(blocks, 1):
        try:
            exec(compile(code, f"{page.name}[block {number}]", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - reported with its location
            raise AssertionError(f"{page.name} block {number} failed: {exc!r}\n{code}") from exc
    capsys.readouterr()


def test_the_docs_have_examples() -> None:
    assert (ROOT / "docs" / "amortization.md") in PAGES
    assert BLOCK.findall((ROOT / "docs" / "amortization.md").read_text(encoding="utf-8"))
