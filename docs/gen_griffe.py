"""A griffe extension for the API reference: docstrings written for ``help()`` render as Markdown.

autoloan's docstrings are plain prose with doctests (run by ``pytest --doctest-modules``) and an
occasional Sphinx role. Markdown would read ``>>> m.rates()[0][:3]`` as a link reference and print
``:class:`~autoloan.errors.InvalidInput``` literally, so before the docstrings are parsed this
extension

- fences each doctest (a ``>>>`` line through the next blank line) as a ``pycon`` code block, and
- turns ``:role:`~pkg.mod.Name``` into ``Name`` in code font (``:role:`pkg.mod.Name``` keeps the path).

It is loaded by mkdocstrings (``extensions:`` in ``mkdocs.yml``) and only changes the rendered text.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["DocstringsAsMarkdown", "markdown_docstring"]

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|exc|obj|const|ref):`(~?)([^`]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _role(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    target = target.strip()
    if target.endswith(">") and "<" in target:  # :ref:`text <target>`
        target = target.split("<", 1)[0].strip()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def markdown_docstring(text: str) -> str:
    """The docstring with doctests fenced and Sphinx roles turned into code spans."""
    out: list[str] = []
    in_fence = in_doctest = False
    indent = ""
    for line in text.splitlines():
        if in_doctest and not line.strip():
            out.append(indent + "```")
            in_doctest = False
        if not in_doctest and _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and not in_doctest and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + "```pycon")
            in_doctest = True
        if in_doctest or in_fence:
            out.append(line)
        else:
            out.append(_ROLE.sub(_role, line))
    if in_doctest:
        out.append(indent + "```")
    return "\n".join(out)


class DocstringsAsMarkdown(griffe.Extension):
    """Rewrite each docstring once, when griffe creates the object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
