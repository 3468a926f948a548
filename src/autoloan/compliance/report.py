"""Markdown output: the rule table and the coverage map of every registered jurisdiction.

>>> print(rules_table("US-WI").splitlines()[0])
| Pack | Rule id | Citation | Binds | Applies to | In force | Parameters |
>>> print(coverage_table().splitlines()[0])
| Code | Jurisdiction | Parent | Rules encoded | Verified | Secondary | In force from | Not encoded |
"""

from __future__ import annotations

from datetime import time
from typing import Any

from autoloan.compliance.model import ANYONE, Collector
from autoloan.compliance.registry import REGISTRY, CoverageNote, Pack, Registry
from autoloan.compliance.rule import Rule
from autoloan.errors import InvalidAction

__all__ = ["coverage_table", "rules_table"]

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
