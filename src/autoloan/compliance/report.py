"""Markdown output: the rule table and the coverage map of every registered jurisdiction.

>>> print(rules_table("US-WI").splitlines()[0])
| Pack | Rule id | Citation | Binds | Applies to | In force | Parameters |
>>> print(coverage_table().splitlines()[0])
| Code | Jurisdiction | Parent | Rules encoded | Verified | Secondary | In force from | Not encoded |
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from autoloan.compliance.model import ANYONE, Collector
from autoloan.compliance.registry import REGISTRY, CoverageNote, Pack, Registry
from autoloan.compliance.rule import Rule
from autoloan.errors import InvalidAction

__all__ = ["coverage_rows", "coverage_table", "rules_rows", "rules_table"]

_SHORT = {
    Collector.CREDITOR: "creditor",
    Collector.DEBT_COLLECTOR: "collector",
    Collector.REPOSSESSION_AGENT: "repo agent",
}
_MARKS = ("secondary", "unverified", "per reference note", "not read", "search excerpt")


def is_secondary(rule: Rule) -> bool:
    """True when the rule's citation says it rests on a secondary or unverified source.

    >>> from autoloan.compliance import rules_for
    >>> [r.rule_id for r in rules_for("US-MA") if is_secondary(r)][-1]
    'US-MA.RTC.255B.20A'
    """
    cite = rule.rule_citation.lower()
    return any(m in cite for m in _MARKS)


def _binds(rule: Rule) -> str:
    if rule.binds == ANYONE:
        return "anyone"
    return ", ".join(_SHORT[c] for c in Collector if c in rule.binds)


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(jurisdiction: str | None = None, registry: Registry | None = None) -> str:
    """A Markdown table of every registered rule (id, citation, whom it binds, kinds, dates,
    parameters). With ``jurisdiction``, only the rules that apply there (parent packs included).
    """
    reg = _registry(registry)
    packs: tuple[Pack, ...] = reg.chain(jurisdiction) if jurisdiction is not None else reg.packs()
    lines = [
        "| Pack | Rule id | Citation | Binds | Applies to | In force | Parameters |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in packs:
        for rule in p.rules:
            if isinstance(rule, CoverageNote):
                continue
            kinds = ", ".join(sorted(k.value for k in rule.applies_to())) or "all"
            params = ", ".join(f"{k}={_fmt(v)}" for k, v in rule.parameters().items()) or "—"
            lines.append(
                f"| {p.code} | `{rule.rule_id}` | {_esc(rule.rule_citation)} | {_binds(rule)} | {kinds} | "
                f"{_dates(rule)} | {params} |"
            )
    return "\n".join(lines) + "\n"


def rules_rows(jurisdiction: str | None = None, registry: Registry | None = None) -> list[dict[str, Any]]:
    """The rule table as plain data (JSON-ready: no floats, times as ``HH:MM``, dates ISO).

    >>> rows = rules_rows("US-MA")
    >>> rows[-1]["rule_id"], rows[-1]["binds"], rows[-1]["parameters"]["cure_days"]
    ('US-MA.RTC.255B.20A', ['creditor', 'debt_collector', 'repossession_agent'], 21)
    """
    reg = _registry(registry)
    packs: tuple[Pack, ...] = reg.chain(jurisdiction) if jurisdiction is not None else reg.packs()
    out: list[dict[str, Any]] = []
    for p in packs:
        for rule in p.rules:
            if isinstance(rule, CoverageNote):
                continue
            out.append(
                {
                    "pack": p.code,
                    "rule_id": rule.rule_id,
                    "citation": rule.rule_citation,
                    "binds": [c.value for c in Collector if c in rule.binds],
                    "applies_to": sorted(k.value for k in rule.applies_to()),
                    "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
                    "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
                    "secondary": is_secondary(rule),
                    "parameters": {k: _data(v) for k, v in rule.parameters().items()},
                }
            )
    return out


def coverage_rows(registry: Registry | None = None) -> list[dict[str, Any]]:
    """The coverage map as plain data, one row per jurisdiction.

    >>> [r for r in coverage_rows() if r["code"] == "US-TX"][0]["rules"]
    0
    """
    out: list[dict[str, Any]] = []
    for p in _registry(registry).packs():
        own = [r for r in p.rules if not isinstance(r, CoverageNote)]
        secondary = sum(1 for r in own if is_secondary(r))
        out.append(
            {
                "code": p.code,
                "name": p.name,
                "parent": p.parent,
                "zones": list(p.zones),
                "rules": len(own),
                "verified": len(own) - secondary,
                "secondary": secondary,
                "in_force_from": sorted({r.effective_from.isoformat() for r in own if r.effective_from}),
                "not_encoded": p.not_encoded or None,
            }
        )
    return out


def _data(value: Any) -> Any:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset | set | tuple | list):
        return sorted(_data(v) for v in value)
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dates(rule: Rule) -> str:
    start, end = rule.effective_from, rule.effective_to
    if start is None and end is None:
        return "—"
    text = f"from {start.isoformat()}" if start else ""
    if end:
        text += f" to {end.isoformat()}"
    return text.strip()


def coverage_table(registry: Registry | None = None) -> str:
    """A Markdown coverage map: every jurisdiction, how many rules it encodes, how many rest on
    primary text read and how many on secondary summaries, effective dates, and what it does not
    encode."""
    reg = _registry(registry)
    lines = [
        "| Code | Jurisdiction | Parent | Rules encoded | Verified | Secondary | In force from "
        "| Not encoded |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in reg.packs():
        own = [r for r in p.rules if not isinstance(r, CoverageNote)]
        secondary = sum(1 for r in own if is_secondary(r))
        dates = sorted({r.effective_from.isoformat() for r in own if r.effective_from is not None})
        note = _esc(p.not_encoded) if p.not_encoded else "—"
        lines.append(
            f"| {p.code} | {_esc(p.name)} | {p.parent or '—'} | {len(own)} | {len(own) - secondary} | "
            f"{secondary} | {', '.join(dates) or '—'} | {note} |"
        )
    return "\n".join(lines) + "\n"


def _registry(registry: Any) -> Registry:
    if registry is None:
        return REGISTRY
    if not isinstance(registry, Registry):
        raise InvalidAction("registry", registry, "must be a Registry or None")
    return registry


def _fmt(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset | set | tuple):
        return "/".join(sorted(_fmt(v) for v in value)) if value else "none"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
