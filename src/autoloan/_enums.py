"""One parser for every string enum in autoloan: members, values, aliases and Chinese labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, TypeVar

from autoloan.errors import InvalidInput

__all__ = ["normalize", "parse_member"]

E = TypeVar("E", bound=Enum)


def normalize(text: str) -> str:
    """Case- and separator-insensitive key: ``" Semi-Monthly "`` -> ``"semi_monthly"``."""
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def parse_member(
    cls: type[E],
    value: Any,
    field: str,
    *,
    aliases: Mapping[str, str] | None = None,
    hint: str | None = None,
    error: type[InvalidInput] = InvalidInput,
    key: Callable[[str], str] = normalize,
) -> E:
    """``value`` as a member of ``cls``.

    Accepts a member, its value, its name, an alias (keyed by the normalized text) or its
    ``label_zh``; anything else raises ``error`` naming ``field``, the value and the choices.

    >>> from autoloan.dates import Frequency
    >>> parse_member(Frequency, "Semi-Monthly", "frequency")
    <Frequency.SEMI_MONTHLY: 'semi_monthly'>
    """
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        raw = value.strip()
        wanted = key(raw)
        if aliases:
            wanted = aliases.get(wanted, wanted)
        for member in cls:
            if wanted in (key(str(member.value)), key(member.name)) or raw == getattr(
                member, "label_zh", None
            ):
                return member
    choices = ", ".join(str(m.value) for m in cls)
    raise error(field, value, hint or f"unknown {field.rsplit('.', 1)[-1]}; use one of {choices}")
