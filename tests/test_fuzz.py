"""The fuzz covers every public callable (DEVELOPERS.md: never an untyped error, never a hang).

Each ``tests/test_fuzz_<area>.py`` declares ``FUZZED``, the dotted public names it calls with
hostile values through :func:`fuzzkit.call`. This test fails when a public callable of the library
is in no ``FUZZED`` set, so a new public function cannot skip the fuzz.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import autoloan

HERE = Path(__file__).resolve().parent
#: Public modules whose ``__all__`` callables must be fuzzed (CLI and testing helpers are not library API).
SKIP_MODULES = {"autoloan.cli", "autoloan.testing", "autoloan.__main__", "autoloan.plot"}


def public_callables() -> set[str]:
    names: set[str] = set()
    for info in pkgutil.walk_packages(autoloan.__path__, "autoloan."):
        mod_name = info.name
        if any(mod_name == s or mod_name.startswith(s + ".") for s in SKIP_MODULES):
            continue
        if any(part.startswith("_") for part in mod_name.split(".")):
            continue
        try:
            module = importlib.import_module(mod_name)
        except ImportError:  # an optional extra (spark, dask) that is not installed
            continue
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if obj is None or (isinstance(obj, type) and issubclass(obj, BaseException)):
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and not _is_plain_enum(obj)):
                target = f"{obj.__module__}.{obj.__qualname__}"
                names.add(target)
    return names


def _is_plain_enum(obj: type) -> bool:
    import enum

    return issubclass(obj, enum.Enum)


def fuzzed() -> set[str]:
    out: set[str] = set()
    for path in sorted(HERE.glob("test_fuzz_*.py")):
        module = importlib.import_module(path.stem)
        out |= set(getattr(module, "FUZZED", ()))
    return out


def test_every_public_callable_is_fuzzed() -> None:
    covered = fuzzed()
    # FUZZED may name a callable by any public path it is reachable by; resolve them to definitions.
    resolved: set[str] = set()
    for dotted in covered:
        module_name, _, attr = dotted.rpartition(".")
        obj = getattr(importlib.import_module(module_name), attr)
        resolved.add(f"{obj.__module__}.{obj.__qualname__}")
    missing = sorted(public_callables() - resolved)
    assert not missing, "public callables no fuzz test calls: " + ", ".join(missing)
