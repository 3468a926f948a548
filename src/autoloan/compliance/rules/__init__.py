"""Built-in rule packs and their registration.

>>> from autoloan.compliance.rules import BUILTIN_PACKS
>>> [code for code, _, _, _ in BUILTIN_PACKS][:2]
['US', 'US-MA']
"""

from __future__ import annotations

from autoloan.compliance.engine import Registry, Rule
from autoloan.compliance.rules.cn import CN_RULES
from autoloan.compliance.rules.gb import GB_RULES
from autoloan.compliance.rules.us import US_RULES
from autoloan.compliance.rules.us_states import STATE_PACKS

__all__ = ["BUILTIN_PACKS", "register_builtin"]

_STATE_NAMES = {
    "US-MA": "Massachusetts",
    "US-WI": "Wisconsin",
    "US-IA": "Iowa",
    "US-KS": "Kansas",
    "US-MO": "Missouri",
    "US-ME": "Maine",
}

#: (code, rules, parent, name) for every built-in pack, parents first.
BUILTIN_PACKS: tuple[tuple[str, tuple[Rule, ...], str | None, str], ...] = (
    ("US", US_RULES, None, "United States (federal)"),
    *((code, rules, "US", _STATE_NAMES[code]) for code, rules in STATE_PACKS.items()),
    ("GB", GB_RULES, None, "United Kingdom"),
    ("CN", CN_RULES, None, "China 中国"),
)


def register_builtin(registry: Registry) -> None:
    """Register the built-in packs in ``registry``.

    >>> reg = Registry()
    >>> register_builtin(reg)
    >>> reg.codes[:3]
    ('CN', 'GB', 'US')
    """
    for code, rules, parent, name in BUILTIN_PACKS:
        registry.register(code, rules, parent=parent, name=name)
