"""mkdocs hooks: draw the site's pictures and render the example notebook, during the build.

Nothing binary is committed. A page shows a picture by following a ```python block that draws it with
an image link into ``figures/``::

    ```python
    ax = autoloan.plot.schedule_balance(schedule)
    ```
    ![Balance over time](figures/cny-balance.png)

At build time the page's python blocks run in order in one namespace (as tests/test_docs.py runs them);
the matplotlib figures a block leaves open become, in order, the ``figures/*.png`` images linked after
that block and before the next one. A link with no figure to fill it fails the build.

``docs/example.ipynb`` becomes the page ``tutorial/notebook.md``: markdown cells as they are, code cells
as python blocks followed by their output (printed text, the value of the last expression as HTML
when it has ``_repr_html_``, figures as images).
"""

from __future__ import annotations

import ast
import contextlib
import html
import io
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
FIGURE = re.compile(r"!\[[^\]]*\]\(figures/([\w.-]+\.png)\)")
NOTEBOOK = "example.ipynb"
NOTEBOOK_PAGE = "tutorial/notebook.md"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def _take_figures(plt: Any) -> list[bytes]:
    images = [_png(plt.figure(n)) for n in plt.get_fignums()]
    plt.close("all")
    return images


def _page_figures(text: str, where: str) -> dict[str, bytes]:
    """Run the page's blocks; map each ``figures/NAME.png`` link to the figure drawn before it."""
    plt = _pyplot()
    plt.close("all")
    blocks = list(BLOCK.finditer(text))
    module = types.ModuleType(f"docs_{Path(where).stem.replace('-', '_')}")
    sys.modules[module.__name__] = module  # classes defined on a page (dataclasses) resolve their module
    namespace: dict[str, Any] = module.__dict__
    made: dict[str, bytes] = {}
    for n, block in enumerate(blocks):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block.group(1), f"{where}[block {n + 1}]", "exec"), namespace)
        except Exception as exc:
            raise PluginError(f"{where}: block {n + 1} failed while drawing the figures: {exc!r}") from exc
        images = _take_figures(plt)
        end = blocks[n + 1].start() if n + 1 < len(blocks) else len(text)
        wanted = FIGURE.findall(text, block.end(), end)
        if len(wanted) > len(images):
            raise PluginError(f"{where}: block {n + 1} drew {len(images)} figure(s) for links {wanted}")
        made.update(zip(wanted, images, strict=False))
    return made


def _notebook_page(path: Path) -> tuple[str, dict[str, bytes]]:
    """The notebook as a Markdown page with its outputs, and the figures it drew."""
    plt = _pyplot()
    plt.close("all")
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "docs_notebook"}
    parts = ["<!-- generated from docs/example.ipynb by docs/hooks.py; edit the notebook, not this page -->"]
    figures: dict[str, bytes] = {}
    for n, cell in enumerate(nb["cells"], 1):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            parts.append(source)
            continue
        if cell["cell_type"] != "code":
            continue
        parts.append(f"```python\n{source}\n```")
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        if last is not None:
            tree.body.pop()
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            exec(compile(tree, f"{path.name}[cell {n}]", "exec"), namespace)
            value = (
                eval(compile(ast.Expression(last.value), f"{path.name}[cell {n}]", "eval"), namespace)
                if last is not None
                else None
            )
        if stdout.getvalue():
            parts.append(f"```text\n{stdout.getvalue().rstrip()}\n```")
        images = _take_figures(plt)
        for k, png in enumerate(images, 1):
            name = f"notebook-{n}-{k}.png"
            figures[name] = png
            parts.append(f"![cell {n} figure {k}](figures/{name})")
        if value is not None and not images:
            if hasattr(value, "_repr_html_"):
                parts.append(f'<div class="autoloan-output">{value._repr_html_()}</div>')
            else:
                parts.append(f"```text\n{html.unescape(repr(value))}\n```")
    return "\n\n".join(parts) + "\n", figures


def on_files(files: Files, config: Any) -> Files:
    docs = Path(config["docs_dir"])
    generated: list[tuple[str, bytes | str]] = []
    notebook = docs / NOTEBOOK
    if notebook.is_file():
        page, figures = _notebook_page(notebook)
        generated.append((NOTEBOOK_PAGE, page))
        generated += [(f"tutorial/figures/{name}", png) for name, png in figures.items()]
    for file in list(files):
        if not file.src_uri.endswith(".md") or file.abs_src_path is None:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        if not FIGURE.search(text):
            continue
        folder = str(Path(file.src_uri).parent)
        prefix = "" if folder == "." else folder + "/"
        made = _page_figures(text, file.src_uri)
        missing = [name for name in FIGURE.findall(text) if name not in made]
        if missing:
            raise PluginError(f"{file.src_uri}: no figure drawn for {missing}")
        generated += [(f"{prefix}figures/{name}", png) for name, png in made.items()]
    for src_uri, content in generated:
        files.append(File.generated(config, src_uri, content=content))
    return files
