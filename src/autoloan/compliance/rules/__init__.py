"""The built-in jurisdiction modules and the registry built from them.

One module per jurisdiction (the ``holidays`` package's shape): each declares ``CODE``,
``PARENT``, ``NAME``, default ``ZONES``, ``RULES`` and ``NOT_ENCODED``; states with no rule of
their own are rows of :mod:`.us_federal_only`. Adding a state is one new module and one entry in
:data:`MODULES` (parents before children).

>>> from autoloan.compliance.rules import MODULES
>>> MODULES[0].CODE, len(MODULES) > 20
('US', True)
"""

from __future__ import annotations

from types import ModuleType

from autoloan.compliance.registry import Registry, register_module
from autoloan.compliance.rules import (
    cn,
    gb,
    us,
    us_ca,
    us_co,
    us_dc,
    us_federal_only,
    us_fl,
    us_ga,
    us_ia,
    us_il,
    us_ks,
    us_la,
    us_ma,
    us_md,
    us_me,
    us_mi,
    us_mo,
    us_ne,
    us_nv,
    us_ny,
    us_ny_nyc,
    us_oh,
    us_sc,
    us_wi,
    us_wv,
)
from autoloan.errors import InvalidAction

__all__ = ["MODULES", "register_builtin"]

#: Every built-in jurisdiction module, parents first.
MODULES: tuple[ModuleType, ...] = (
    us,
    us_ca,
    us_co,
    us_dc,
    us_fl,
    us_ga,
    us_ia,
    us_il,
    us_ks,
    us_la,
    us_ma,
    us_md,
    us_me,
    us_mi,
    us_mo,
    us_ne,
    us_nv,
    us_ny,
    us_ny_nyc,
    us_oh,
    us_sc,
    us_wi,
    us_wv,
    us_federal_only,
    gb,
    cn,
)


def register_builtin(registry: Registry) -> None:
    """Register the built-in packs in ``registry``.

    >>> reg = Registry()
    >>> register_builtin(reg)
    >>> reg.codes[:3], "US-NY-NYC" in reg.codes
    (('CN', 'GB', 'US'), True)
    """
    if not isinstance(registry, Registry):
        raise InvalidAction("registry", registry, "must be a Registry")
    for module in MODULES:
        register_module(module, registry)
