"""Typed errors raised by autoloan.

Every error the library raises on bad input is an :class:`AutoloanError`; the
input errors are also :class:`ValueError` so ``except ValueError`` keeps
working. Each message names the field (a JSON path for policies) and the value.

>>> from autoloan.errors import InvalidTerms
>>> err = InvalidTerms("term", 0, "must be at least 1")
>>> str(err)
'term: must be at least 1 (got 0)'
>>> isinstance(err, ValueError), err.field, err.value
(True, 'term', 0)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AutoloanError",
    "InvalidAction",
    "InvalidInput",
    "InvalidPolicy",
    "InvalidTerms",
    "NoSolution",
    "UnknownJurisdiction",
]


class AutoloanError(Exception):
    """Base class of every error autoloan raises."""


class InvalidInput(AutoloanError, ValueError):
    """A value handed to autoloan is not acceptable.

    ``field`` names the offending input (a dotted or JSON path), ``value`` is
    what was given and ``reason`` says what is wrong with it.
    """

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.reason))


class InvalidTerms(InvalidInput):
    """Loan terms that cannot describe a loan (e.g. a zero principal)."""


class InvalidPolicy(InvalidInput):
    """A collection policy document that does not validate; ``field`` is a JSON path."""


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
        detail = ", ".join(f"{k}={v!r}" for k, v in context.items())
        super().__init__(f"{reason}" + (f" ({detail})" if detail else ""))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_no_solution, (self.reason, self.context))


def _rebuild_no_solution(reason: str, context: dict[str, Any]) -> NoSolution:
    return NoSolution(reason, **context)
