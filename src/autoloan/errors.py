"""Typed errors raised by autoloan.

Every error the library raises on bad input is an :class:`AutoloanError`; the
input errors are also :class:`ValueError` so ``except ValueError`` keeps
working. Each message names the field (a path for data documents) and the value,
shown as the user wrote it (a date as ``2026-01-01``, a Decimal as ``1.50``).

>>> from autoloan.errors import InvalidTerms
>>> err = InvalidTerms("term", 0, "must be at least 1")
>>> str(err)
'term: must be at least 1 (got 0)'
>>> isinstance(err, ValueError), err.field, err.value, err.path
(True, 'term', 0, ('term',))

Errors in data documents carry a path, a JSON path, and every error of the document at once
(jsonschema's ``iter_errors`` is the model):

>>> from autoloan.errors import InvalidPolicy
>>> a = InvalidPolicy("stages[2].treatments[0].every_days", -1, "must be a positive integer")
>>> a.path, a.json_path
(('stages', 2, 'treatments', 0, 'every_days'), '$.stages[2].treatments[0].every_days')
>>> b = InvalidPolicy("name", 5, "must be a string")
>>> both = InvalidPolicy.collect([a, b])
>>> len(both.errors), both.field
(2, 'stages[2].treatments[0].every_days')
>>> print(both)
2 errors:
  stages[2].treatments[0].every_days: must be a positive integer (got -1)
  name: must be a string (got 5)
>>> str(b.prefixed("policy"))
'policy.name: must be a string (got 5)'
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

__all__ = [
    "AutoloanError",
    "InvalidAction",
    "InvalidInput",
    "InvalidPolicy",
    "InvalidTerms",
    "NoSolution",
    "Path",
    "UnknownJurisdiction",
    "format_path",
    "parse_path",
    "show_value",
]

Path = tuple[str | int, ...]
"""A location inside a document: keys (str) and list indices (int)."""

_E = TypeVar("_E", bound="InvalidInput")
_TOKEN = re.compile(r"\[(-?\d+)\]|\[(?:'([^']*)'|\"([^\"]*)\")\]|([^.\[\]]+)")


def parse_path(field: str) -> Path:
    """The path tuple of a dotted/indexed field name.

    >>> parse_path("stages[2].treatments[0].every_days")
    ('stages', 2, 'treatments', 0, 'every_days')
    >>> parse_path("$.rules['US.MA'].max")
    ('rules', 'US.MA', 'max')
    """
    text = field[1:] if field.startswith("$") else field
    out: list[str | int] = []
    for m in _TOKEN.finditer(text):
        index, quoted1, quoted2, name = m.groups()
        if index is not None:
            out.append(int(index))
        elif quoted1 is not None or quoted2 is not None:
            out.append(quoted1 if quoted1 is not None else quoted2)
        elif name is not None:
            out.append(name)
    return tuple(out)


def format_path(path: Iterable[str | int], *, json: bool = False) -> str:
    """The field name of a path (``json=True``: a JSON path starting at ``$``).

    >>> format_path(("stages", 2, "id")), format_path(("rules", "US.MA"), json=True)
    ('stages[2].id', "$.rules['US.MA']")
    """
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][\w\-]*", part) or (not json and "." not in part and "[" not in part):
            text += f".{part}" if text or json else part
        else:
            text += f"['{part}']"
    return "$" + (text if not text or text[0] in ".[" else "." + text) if json else text


def show_value(value: Any) -> str:
    """A value as the user wrote it: dates in ISO form, Decimals as numbers, others by ``repr``.

    >>> show_value(_dt.date(2026, 1, 1)), show_value(Decimal("1.50")), show_value("x")
    ('2026-01-01', '1.50', "'x'")
    """
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 200 else text[:197] + "..."


class AutoloanError(Exception):
    """Base class of every error autoloan raises."""


class InvalidInput(AutoloanError, ValueError):
    """A value handed to autoloan is not acceptable.

    ``field`` names the offending input (a dotted path such as ``rules.late_fee.flat``),
    ``path`` is the same as a tuple of keys and indices, ``json_path`` as a JSON path,
    ``value`` is what was given and ``reason`` says what is wrong with it. ``errors`` holds
    every error of a document (a one-error exception holds itself).
    """

    field: str
    value: Any
    reason: str
    path: Path
    errors: tuple[InvalidInput, ...]

    def __init__(self, field: str, value: Any, reason: str, *, errors: Sequence[InvalidInput] = ()) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.path = parse_path(field)
        self.errors = tuple(errors) if len(errors) > 1 else (self,)
        if len(self.errors) > 1:
            message = f"{len(self.errors)} errors:\n" + "\n".join(f"  {e.line()}" for e in self.errors)
        else:
            message = self.line()
        super().__init__(message)

    def line(self) -> str:
        """This error alone as one line: ``field: reason (got value)``."""
        return f"{self.field}: {self.reason} (got {show_value(self.value)})"

    @property
    def json_path(self) -> str:
        """The JSON path of the bad value, e.g. ``$.stages[2].treatments[0].every_days``."""
        return format_path(self.path, json=True)

    def prefixed(self: _E, *prefix: str | int) -> _E:
        """The same error (and every collected one) located under ``prefix``."""
        if not prefix:
            return self
        inner = [type(e)(format_path((*prefix, *e.path)), e.value, e.reason) for e in self.errors]
        if len(inner) == 1:
            return inner[0]  # type: ignore[return-value]
        return type(self).collect(inner)

    @classmethod
    def collect(cls: type[_E], errors: Iterable[InvalidInput]) -> _E:
        """One exception of this class carrying every error in ``errors`` (flattened).

        Raise it only when ``errors`` is not empty.
        """
        flat: list[InvalidInput] = []
        for e in errors:
            flat.extend(e.errors)
        if not flat:
            raise ValueError("collect() needs at least one error")
        first = flat[0]
        return cls(first.field, first.value, first.reason, errors=flat)

    def __reduce__(self) -> tuple[Any, ...]:
        many = self.errors if len(self.errors) > 1 else ()
        return (_rebuild_invalid, (type(self), self.field, self.value, self.reason, many))


def _rebuild_invalid(
    cls: type[InvalidInput], field: str, value: Any, reason: str, errors: tuple[InvalidInput, ...]
) -> InvalidInput:
    return cls(field, value, reason, errors=errors)


class InvalidTerms(InvalidInput):
    """Loan terms that cannot describe a loan (e.g. a zero principal)."""


class InvalidPolicy(InvalidInput):
    """A collection policy document that does not validate; ``field`` is its path."""


class InvalidAction(InvalidInput):
    """A collection action or borrower fact that the compliance checker cannot evaluate."""


class UnknownJurisdiction(InvalidInput):
    """No rule pack is registered for the jurisdiction code."""


class NoSolution(AutoloanError, ValueError):
    """A solver found no root, or the root is ambiguous (several sign changes).

    ``reason`` says why, so callers can show it.
    """

    def __init__(self, reason: str, **context: Any) -> None:
        self.reason = reason
        self.context = context
        detail = ", ".join(f"{k}={show_value(v)}" for k, v in context.items())
        super().__init__(f"{reason}" + (f" ({detail})" if detail else ""))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_no_solution, (self.reason, self.context))


def _rebuild_no_solution(reason: str, context: dict[str, Any]) -> NoSolution:
    return NoSolution(reason, **context)
