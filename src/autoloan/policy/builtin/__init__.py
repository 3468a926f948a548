"""The built-in policies, shipped as package data (``cn-auto.json``, ``us-auto.json``).

Reading them is the library's only access to its own installed files (never a user's file).

>>> load("us-auto").stage("charge_off").terminal
True
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from autoloan.errors import InvalidPolicy

if TYPE_CHECKING:
    from autoloan.policy.model import Policy

__all__ = ["NAMES", "load", "source"]

#: The built-in policy names.
NAMES: tuple[str, ...] = ("cn-auto", "us-auto")


def source(name: str) -> str:
    """The JSON text of built-in policy ``name``.

    >>> source("cn-auto").lstrip().startswith("{")
    True"""
    if not isinstance(name, str) or name not in NAMES:
        raise InvalidPolicy("name", name, "no such built-in policy; use one of " + ", ".join(NAMES))
    return resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")


def load(name: str) -> Policy:
    """The built-in policy ``name`` (loaded and validated once per process).

    >>> load("cn-auto") is load("cn-auto")
    True"""
    if not isinstance(name, str) or name not in NAMES:
        raise InvalidPolicy("name", name, "no such built-in policy; use one of " + ", ".join(NAMES))
    return _load(name)


@cache
def _load(name: str) -> Policy:
    from autoloan.policy.model import Policy

    return Policy.from_dict(json.loads(source(name)))
