"""Rule packs keyed by jurisdiction, composed on their parent's (a state on its country).

A pack is validated when it is registered, and every problem is reported at once with its path
(``rules[2].citation``): a code shaped like an ISO 3166 code, a registered parent whose code
prefixes it, rules with a non-empty id starting with the pack code, a citation, an overridden
``evaluate``, sound parameters, ids unique along the parent chain, and valid IANA zones.

>>> reg = Registry()
>>> reg.register("ZZ", (), name="Test land")
>>> reg.rules_for("ZZ")
()
>>> reg.rules_for("YY")
Traceback (most recent call last):
...
autoloan.errors.UnknownJurisdiction: jurisdiction: no rule pack registered; known: ZZ (got 'YY')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any

from autoloan.compliance.model import DEFAULT_ZONES, Finding, Severity, zone
from autoloan.compliance.rule import Context, Rule
from autoloan.errors import InvalidAction, InvalidInput, UnknownJurisdiction

__all__ = ["REGISTRY", "CoverageNote", "Pack", "Registry", "register_module", "register_pack", "rules_for"]

_CODE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3}){0,2}")


@dataclass(frozen=True, slots=True)
class Pack:
    """A jurisdiction's own rules (its parent's apply first), name, default zones and a coverage note.

    ``not_encoded`` names what the pack does not encode (statutes found but not verified, or
    standards without numbers); a non-empty note makes the pack add a ``warn`` finding to every
    verdict, so a user always sees the coverage.
    """

    code: str
    rules: tuple[Rule, ...]
    parent: str | None
    name: str
    zones: tuple[str, ...] = ()
    not_encoded: str = ""


@dataclass(frozen=True, slots=True)
class CoverageNote(Rule):
    """The ``warn`` finding a pack adds to every verdict naming what it does not encode.

    >>> CoverageNote("US-TX", "Tex. Fin. Code ch. 392 standards").rule_id
    'US-TX.coverage'
    """

    code: str
    note: str

    @property
    def rule_id(self) -> str:
        return f"{self.code}.coverage"

    @property
    def rule_citation(self) -> str:
        return "autoloan coverage note (what this pack does not encode; not law)"

    def parameters(self) -> dict[str, Any]:
        return {}

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        return _note(self)


@lru_cache(maxsize=256)
def _note(rule: CoverageNote) -> tuple[Finding, ...]:
    return (rule.finding(Severity.WARN, f"not encoded for {rule.code}: {rule.note}"),)


class Registry:
    """Rule packs keyed by jurisdiction; a pack is composed on top of its parent pack.

    >>> reg = Registry()
    >>> reg.register("XX", ())
    >>> reg.register("XX-A", (), parent="XX")
    >>> reg.codes
    ('XX', 'XX-A')
    """

    def __init__(self, default_zones: MutableMapping[str, tuple[str, ...]] | None = None) -> None:
        if default_zones is not None and not isinstance(default_zones, MutableMapping):
            raise InvalidAction(
                "default_zones", default_zones, "must be a dict of code to zone names or None"
            )
        self._packs: dict[str, Pack] = {}
        self._cache: dict[str, tuple[Rule, ...]] = {}
        self._zones = default_zones

    def register(
        self,
        code: str,
        rules: Iterable[Rule],
        *,
        parent: str | None = None,
        name: str = "",
        zones: Iterable[str] = (),
        not_encoded: str = "",
    ) -> None:
        """Register (or replace) the pack for ``code``; ``parent`` packs apply first.

        Every problem is collected and raised at once (:class:`InvalidAction`, or
        :class:`UnknownJurisdiction` for an unregistered parent).
        """
        errors: list[InvalidInput] = []
        key = code.strip().upper() if isinstance(code, str) else code
        if not isinstance(key, str) or not _CODE.fullmatch(key):
            errors.append(
                InvalidAction("code", code, "must be an ISO 3166 code such as US, US-MA or US-NY-NYC")
            )
            key = str(code)
        if parent is not None:
            if not isinstance(parent, str) or not parent.strip():
                errors.append(InvalidAction("parent", parent, "must be a jurisdiction code or None"))
                parent = None
            else:
                parent = parent.strip().upper()
                if parent not in self._packs:
                    errors.append(UnknownJurisdiction("parent", parent, "register the parent pack first"))
                elif not key.startswith(parent + "-"):
                    errors.append(InvalidAction("parent", parent, f"must prefix the pack code {key}"))
        if not isinstance(name, str):
            errors.append(InvalidAction("name", name, "must be a string"))
            name = ""
        if not isinstance(not_encoded, str):
            errors.append(InvalidAction("not_encoded", not_encoded, "must be a string"))
            not_encoded = ""
        zone_names = _zones(zones, errors)
        rule_list = _rules(rules, errors)
        inherited = {r.rule_id for r in self.rules_for(parent)} if parent in self._packs else set()
        seen: set[str] = set()
        for i, rule in enumerate(rule_list):
            for err in rule.problems():
                errors.append(err.prefixed("rules", i))
            rid = rule.rule_id
            if isinstance(rid, str) and rid:
                if not rid.startswith(key + "."):
                    errors.append(
                        InvalidAction(f"rules[{i}].id", rid, f"must start with the pack code '{key}.'")
                    )
                if rid in seen or rid in inherited:
                    errors.append(InvalidAction(f"rules[{i}].id", rid, "duplicate rule id"))
                seen.add(rid)
        if errors:
            unknown = [e for e in errors if isinstance(e, UnknownJurisdiction)]
            cls = UnknownJurisdiction if unknown and len(unknown) == len(errors) else InvalidAction
            raise cls.collect(errors)
        if not_encoded:
            rule_list.append(CoverageNote(key, not_encoded))
        self._packs[key] = Pack(key, tuple(rule_list), parent, name or key, zone_names, not_encoded)
        if self._zones is not None and zone_names:
            self._zones[key] = zone_names
        self._cache.clear()

    def unregister(self, code: str) -> None:
        """Remove the pack for ``code`` (and nothing else; packs built on it must go first).

        >>> reg = Registry()
        >>> reg.register("XX", ())
        >>> reg.unregister("XX")
        >>> reg.codes
        ()
        """
        pack = self.pack(code)
        children = [p.code for p in self._packs.values() if p.parent == pack.code]
        if children:
            raise InvalidAction("jurisdiction", code, "unregister these packs first: " + ", ".join(children))
        del self._packs[pack.code]
        if self._zones is not None:
            self._zones.pop(pack.code, None)
        self._cache.clear()

    @property
    def codes(self) -> tuple[str, ...]:
        """Registered jurisdiction codes, sorted."""
        return tuple(sorted(self._packs))

    def packs(self) -> tuple[Pack, ...]:
        """Every registered pack, sorted by code."""
        return tuple(self._packs[c] for c in self.codes)

    def pack(self, code: str) -> Pack:
        """The pack registered for ``code`` (its own rules only)."""
        key = code.strip().upper() if isinstance(code, str) else code
        found = self._packs.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownJurisdiction(
                "jurisdiction", code, "no rule pack registered; known: " + ", ".join(self.codes)
            )
        return found

    def chain(self, code: str) -> tuple[Pack, ...]:
        """The pack for ``code`` and its ancestors, root first."""
        out = [self.pack(code)]
        while out[-1].parent:
            out.append(self._packs[out[-1].parent])
        return tuple(reversed(out))

    def rules_for(self, code: str | None) -> tuple[Rule, ...]:
        """Every rule that applies in ``code``: the parent's, then the pack's own."""
        if code is None:
            return ()
        key = code.strip().upper() if isinstance(code, str) else code
        cached = self._cache.get(key) if isinstance(key, str) else None
        if cached is not None:
            return cached
        pack = self.pack(code)
        rules = (self.rules_for(pack.parent) if pack.parent else ()) + pack.rules
        self._cache[pack.code] = rules
        return rules


def _zones(zones: Any, errors: list[InvalidInput]) -> tuple[str, ...]:
    if isinstance(zones, str):
        zones = (zones,)
    try:
        names = tuple(zones)
    except TypeError:
        errors.append(InvalidAction("zones", zones, "must be a tuple of IANA zone names"))
        return ()
    for i, name in enumerate(names):
        try:
            zone(name, f"zones[{i}]")
        except InvalidAction as exc:
            errors.append(exc)
    return names


def _rules(rules: Any, errors: list[InvalidInput]) -> list[Rule]:
    if isinstance(rules, Rule | str | bytes):
        errors.append(InvalidAction("rules", rules, "must be a sequence of Rule"))
        return []
    try:
        items = list(rules)
    except TypeError:
        errors.append(InvalidAction("rules", rules, "must be a sequence of Rule"))
        return []
    out: list[Rule] = []
    for i, rule in enumerate(items):
        if isinstance(rule, Rule):
            out.append(rule)
        else:
            errors.append(InvalidAction(f"rules[{i}]", rule, "must be a Rule"))
    return out


#: The default registry; the built-in packs register themselves when autoloan.compliance is imported.
REGISTRY = Registry(default_zones=DEFAULT_ZONES)


def register_module(module: ModuleType, registry: Registry | None = None) -> None:
    """Register the pack(s) a jurisdiction module declares.

    A module declares one pack with ``CODE``, ``PARENT``, ``NAME``, ``ZONES``, ``RULES`` and
    ``NOT_ENCODED`` (the shape of :mod:`autoloan.compliance.rules.us_wi`), or several
    rule-less packs as ``PACKS``: a tuple of ``(code, name, zones, not_encoded)`` under
    ``PARENT`` (:mod:`autoloan.compliance.rules.us_federal_only`).
    """
    reg = registry if registry is not None else REGISTRY
    if not isinstance(reg, Registry):
        raise InvalidAction("registry", registry, "must be a Registry")
    if not isinstance(module, ModuleType) or not (hasattr(module, "PACKS") or hasattr(module, "CODE")):
        raise InvalidAction("module", module, "must be a jurisdiction module with CODE and RULES, or PACKS")
    if hasattr(module, "PACKS"):
        for code, name, zones, note in module.PACKS:
            reg.register(code, (), parent=module.PARENT, name=name, zones=zones, not_encoded=note)
        return
    reg.register(
        module.CODE,
        getattr(module, "RULES", ()),
        parent=getattr(module, "PARENT", None),
        name=getattr(module, "NAME", ""),
        zones=getattr(module, "ZONES", ()),
        not_encoded=getattr(module, "NOT_ENCODED", ""),
    )


def register_pack(
    code: str,
    rules: Iterable[Rule],
    *,
    parent: str | None = None,
    name: str = "",
    zones: Iterable[str] = (),
    not_encoded: str = "",
) -> None:
    """Register a pack in the default registry (replacing any pack with that code), validated as
    the built-in packs are.

    >>> from dataclasses import dataclass
    >>> from autoloan.compliance import Severity
    >>> @dataclass(frozen=True, slots=True)
    ... class NoVisits(Rule):
    ...     id = "US-ZZ.no-visits"
    ...     citation = "Lender policy P-7"
    ...     def evaluate(self, ctx):
    ...         return (self.finding(Severity.BLOCK, "no visits"),) if ctx.action.kind == "visit" else ()
    >>> register_pack("US-ZZ", (NoVisits(),), parent="US", name="Test state", zones=("America/Denver",))
    >>> rules_for("US-ZZ")[-1].rule_id
    'US-ZZ.no-visits'
    >>> REGISTRY.unregister("US-ZZ")
    >>> register_pack("ZZ", (), parent=5)
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidAction: parent: must be a jurisdiction code or None (got 5)
    """
    REGISTRY.register(code, rules, parent=parent, name=name, zones=zones, not_encoded=not_encoded)


def rules_for(code: str) -> tuple[Rule, ...]:
    """The rules that apply in jurisdiction ``code`` (country pack plus state pack).

    >>> [r.rule_id for r in rules_for("US-WI")][-1]
    'US-WI.coverage'
    """
    if not isinstance(code, str):
        raise UnknownJurisdiction("jurisdiction", code, "must be an ISO 3166 code such as US-MA")
    return REGISTRY.rules_for(code)
