"""One guard for the engine-level functions of :mod:`autoloan.rates.kernel` and :mod:`autoloan.rates.coerce`.

Their callers in the package hand them validated data; a user calling them directly with something
else gets :class:`~autoloan.errors.InvalidInput` naming the function and the arguments, never a bare
TypeError, AttributeError, IndexError or arithmetic error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from autoloan.errors import AutoloanError, InvalidInput

__all__ = ["typed_errors"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_UNTYPED = (TypeError, ValueError, AttributeError, LookupError, ArithmeticError, RecursionError)


def typed_errors(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``fn`` with any untyped error of bad arguments raised as :class:`InvalidInput` (field: its name)."""
    name = fn.__name__

    @functools.wraps(fn)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return fn(*args, **kwargs)
        except AutoloanError:
            raise
        except _UNTYPED as exc:
            given = (*args, kwargs) if kwargs else args
            raise InvalidInput(
                name, given, f"not arguments {name} takes ({type(exc).__name__}: {exc})"
            ) from None

    return guarded
