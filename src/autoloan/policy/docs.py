"""Readable renderings of a policy (Markdown tables for docs, the CLI and reviews).

>>> print(stages_table(Policy.builtin("cn-auto")).splitlines()[0])
| Stage | 中文 | Enters when | Flags | Treatments | Offers |
"""

from __future__ import annotations

from autoloan.errors import InvalidInput
from autoloan.policy.conditions import describe
from autoloan.policy.model import Policy, Treatment

__all__ = ["holds_table", "stages_table", "treatment_text"]


def _days(t: Treatment) -> str:
    unit = {"stage": "stage day", "dpd": "DPD", "due": "day from due date"}[t.anchor]
    if t.on_days is not None:
        return f"{unit} {', '.join(str(d) for d in sorted(t.on_days))}"
    text = f"{unit} {t.from_day or 0}"
    if t.until_day is not None:
        text += f"–{t.until_day}"
    else:
        text += "+"
    if (t.every_days or 1) > 1:
        text += f" every {t.every_days}"
    return text


def treatment_text(t: Treatment) -> str:
    """One treatment as a short phrase: ``sms DPD 1, 3, 7 09:00–20:00 (fallback email)``.

    >>> treatment_text(Policy.builtin("cn-auto").stages[1].treatments[0])
    'sms DPD 1, 3, 7, 15, 25 09:00–20:00'"""
    if not isinstance(t, Treatment):
        raise InvalidInput("treatment", t, "must be a policy Treatment")
    what = t.task if t.action == "task" and t.task else t.action
    text = f"{what} {_days(t)} {t.window[0]:%H:%M}–{t.window[1]:%H:%M}"
    extras = []
    if t.per_day:
        extras.append(f"≤{t.per_day}/day")
    if t.per_week:
        extras.append(f"≤{t.per_week}/week")
    if t.fallbacks:
        extras.append("fallback " + ", ".join(t.fallbacks))
    if t.notice:
        extras.append(f"{t.notice} notice")
    if t.tree is not None:
        extras.append("if " + describe(t.tree))
    return text + (f" ({'; '.join(extras)})" if extras else "")


def stages_table(policy: Policy) -> str:
    """The stages, their conditions, flags, treatments and offers as a Markdown table.

    >>> "初次催收" in stages_table(Policy.builtin("cn-auto"))
    True"""
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    lines = ["| Stage | 中文 | Enters when | Flags | Treatments | Offers |", "|---|---|---|---|---|---|"]
    for s in policy.stages:
        flags = [f for f, on in (("mandatory", s.mandatory), ("terminal", s.terminal)) if on]
        if s.min_days:
            flags.append(f"min {s.min_days} days")
        treatments = "<br>".join(treatment_text(t) for t in s.treatments) or "—"
        offers = (
            ", ".join(f"{o} ({policy.offers[o].label_zh or policy.offers[o].label_en})" for o in s.offers)
            or "—"
        )
        cond = describe(s.tree).replace("|", "\\|")
        flag_text = ", ".join(flags) or "—"
        cells = [f"`{s.id}` {s.label_en}", s.label_zh, cond, flag_text, treatments, offers]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def holds_table(policy: Policy) -> str:
    """The holds and what they suppress, as a Markdown table.

    >>> holds_table(Policy.builtin("us-auto")).splitlines()[2].startswith("| `bankruptcy`")
    True"""
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    lines = ["| Hold | While | Suppresses | Reason |", "|---|---|---|---|"]
    for h in policy.holds:
        kinds = "every action kind" if h.all_kinds else ", ".join(sorted(h.suppress))
        lines.append(f"| `{h.id}` | {describe(h.tree)} | {kinds} | {h.label_en} / {h.label_zh} |")
    return "\n".join(lines) + "\n"
