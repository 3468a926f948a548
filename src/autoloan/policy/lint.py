"""Static checks of a policy: gaps, dead stages, hidden overlaps, windows and caps against the rules.

Conditions are evaluated three-valued over every DPD from 0 to :data:`MAX_DPD` (facts other than
``dpd``, ``bucket`` and ``china_grade`` are unknown), so "no stage can match DPD 31-45" and
"stage X is always taken by an earlier stage" are exact for DPD-driven policies and cautious for
the rest. Windows and frequency caps are compared with the rule parameters of each jurisdiction's
registered pack (hours rules with ``start``/``end``; frequency rules with ``max_calls`` per
``window_days``, ``max_personal`` per ``personal_days``, ``max_unanswered_per_day``).

>>> [f.code for f in lint(Policy.builtin("cn-auto"), ("CN",))]
[]
>>> bad = Policy.builtin("cn-auto").to_dict()
>>> bad["stages"][1]["treatments"][1]["window"] = ["22:00", "23:00"]
>>> [(f.code, f.path) for f in lint(Policy.from_dict(bad), ("CN",))]
[('window_outside_hours', '$.stages[1].treatments[1].window')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from typing import Any

from autoloan.compliance import ActionKind, rules_for
from autoloan.delinquency import BucketScheme, ChinaRules
from autoloan.errors import AutoloanError, InvalidInput, format_path
from autoloan.policy.conditions import Tree, eval3, facts_used
from autoloan.policy.model import Policy, Stage, Treatment

__all__ = ["MAX_DPD", "LintFinding", "lint"]

#: DPD values examined (0 to this, inclusive); beyond it conditions are assumed not to change.
MAX_DPD = 400

_CYCLES = BucketScheme.cycles()
_CHINA = ChinaRules.retail_2023()


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One finding: ``code``, JSON ``path``, ``message``, ``severity`` (error/warning) and jurisdiction."""

    code: str
    path: str
    message: str
    severity: str = "warning"
    jurisdiction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "jurisdiction": self.jurisdiction,
        }

    def __str__(self) -> str:
        where = f" [{self.jurisdiction}]" if self.jurisdiction else ""
        return f"{self.severity}: {self.code} at {self.path}{where}: {self.message}"


def _p(*parts: str | int) -> str:
    return format_path(parts, json=True)


def _known(dpd: int) -> dict[str, Any]:
    return {"dpd": dpd, "bucket": _CYCLES.bucket(dpd).name, "china_grade": _CHINA.grade_for_days(dpd).value}


def _ranges(values: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in values:
        if out and out[-1][1] == v - 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _show(ranges: list[tuple[int, int]]) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" + ("+" if b == MAX_DPD else "") for a, b in ranges)


def _matrix(policy: Policy) -> list[list[bool | None]]:
    """``m[d][i]``: stage i matches at DPD d (True), cannot (False) or may (None)."""
    return [[eval3(s.tree, _known(d)) for s in policy.stages] for d in range(MAX_DPD + 1)]


def _stage_checks(policy: Policy, m: list[list[bool | None]], out: list[LintFinding]) -> dict[str, list[int]]:
    reachable: dict[str, list[int]] = {s.id: [] for s in policy.stages}
    uncovered = [d for d in range(MAX_DPD + 1) if all(v is False for v in m[d])]
    if uncovered:
        out.append(
            LintFinding(
                "uncovered_dpd", "$.stages", f"no stage covers DPD {_show(_ranges(uncovered))}", "error"
            )
        )
    special = {policy.promises.on_broken}
    for i, s in enumerate(policy.stages):
        may = [d for d in range(MAX_DPD + 1) if m[d][i] is not False]
        live = [d for d in may if not any(m[d][j] is True for j in range(i))]
        reachable[s.id] = live
        if not may:
            if s.id not in special and not s.mandatory:
                out.append(
                    LintFinding(
                        "unreachable_stage",
                        _p("stages", i, "when"),
                        f"stage {s.id}: its condition matches no DPD",
                        "error",
                    )
                )
            continue
        if not live:
            if s.id not in special and not s.mandatory:
                out.append(
                    LintFinding(
                        "unreachable_stage",
                        _p("stages", i, "when"),
                        f"stage {s.id}: always taken by an earlier stage",
                        "error",
                    )
                )
            continue
        hidden = [d for d in may if d not in set(live)]
        if hidden:
            takers = sorted({policy.stages[j].id for d in hidden for j in range(i) if m[d][j] is True})
            out.append(
                LintFinding(
                    "hidden_overlap",
                    _p("stages", i, "when"),
                    f"stage {s.id} at DPD {_show(_ranges(hidden))} is taken by earlier "
                    f"stage(s) {', '.join(takers)} (first match wins)",
                )
            )
    return reachable


def _days(t: Treatment, stage_dpd: list[int]) -> list[int]:
    """Day numbers of the treatment's anchor the stage can see (approximate for stage days)."""
    if t.anchor == "dpd":
        return [d for d in stage_dpd if d > 0 and t.runs_on(d)]
    if t.anchor == "due":
        return [d for d in range(-31, 1) if t.runs_on(d)] + [d for d in stage_dpd if d > 0 and t.runs_on(d)]
    length = (max(stage_dpd) - min(stage_dpd) + 1) if stage_dpd else 1
    return [d for d in range(min(length, MAX_DPD)) if t.runs_on(d)]


def _terminal_checks(policy: Policy, out: list[LintFinding]) -> None:
    for i, s in enumerate(policy.stages):
        if not s.terminal:
            continue
        for j, t in enumerate(s.treatments):
            late = t.anchor != "stage" or (t.on_days is None) or any(d > 0 for d in t.on_days)
            if late:
                out.append(
                    LintFinding(
                        "terminal_treatment",
                        _p("stages", i, "treatments", j),
                        f"terminal stage {s.id}: treatment {t.id} runs after the day of entry, "
                        "but a terminal stage is never evaluated again (use on_days [0])",
                        "error",
                    )
                )


def _stage_day_checks(policy: Policy, out: list[LintFinding]) -> None:
    """A stage condition on ``days_in_stage`` reads the days in the stage the account is in, so it
    chooses when to leave that stage; once the stage is entered the count restarts at 0 and the
    same condition may send the account straight back (the engine then decides again at the
    plan's first action, and a caller asking hourly sees the change an hour after entry)."""
    for i, s in enumerate(policy.stages):
        if "days_in_stage" in facts_used(s.tree):
            out.append(
                LintFinding(
                    "stage_on_days_in_stage",
                    _p("stages", i, "when"),
                    f"stage {s.id}: its condition reads days_in_stage, the days in the stage being left; "
                    "once entered the count restarts and the stage may give way at once (use min_days, "
                    "or conditions on dpd)",
                )
            )


def _offer_checks(policy: Policy, reachable: dict[str, list[int]], out: list[LintFinding]) -> None:
    used = {oid for s in policy.stages for oid in s.offers}
    ids = list(policy.offers)
    for k, oid in enumerate(ids):
        o = policy.offers[oid]
        if oid not in used:
            out.append(LintFinding("offer_unused", _p("offers", k), f"offer {oid} is made in no stage"))
            continue
        if o.per_life == 0 or o.per_12_months == 0:
            out.append(
                LintFinding(
                    "offer_never_eligible",
                    _p("offers", k, "caps"),
                    f"offer {oid}: a cap of 0 makes it never eligible",
                    "error",
                )
            )
            continue
        lo = o.min_dpd if o.min_dpd is not None else 0
        hi = o.max_dpd if o.max_dpd is not None else MAX_DPD
        seen = [d for s in policy.stages if oid in s.offers for d in reachable[s.id] if lo <= d <= hi]
        if o.kind == "instalment_plan":
            seen = [d for d in seen if d > 0]
        if not any(eval3(o.tree, _known(d)) is not False for d in seen):
            out.append(
                LintFinding(
                    "offer_never_eligible",
                    _p("offers", k),
                    f"offer {oid}: no account in its stages meets its DPD caps and condition",
                    "error",
                )
            )


def _hours(rules: Iterable[Any], kind: ActionKind) -> tuple[time, time] | None:
    for r in rules:
        kinds = r.applies_to()
        if kinds and kind not in kinds:
            continue
        params = r.parameters()
        start, end = params.get("start"), params.get("end")
        if isinstance(start, time) and isinstance(end, time):
            return start, end
    return None


def _limits(rules: Iterable[Any]) -> list[tuple[frozenset[ActionKind], int, int, str]]:
    """(kinds, max count, days, rule id) of the frequency rules."""
    out = []
    for r in rules:
        params = r.parameters()
        kinds = frozenset(r.applies_to()) or frozenset(ActionKind)
        for count_key, days_key, fixed in (
            ("max_calls", "window_days", None),
            ("max_personal", "personal_days", None),
            ("max_unanswered_per_day", None, 1),
        ):
            n = params.get(count_key)
            days = params.get(days_key) if days_key else fixed
            if isinstance(n, int) and isinstance(days, int) and n > 0 and days > 0:
                out.append((kinds, n, days, r.rule_id))
    return out


def _jurisdiction_checks(
    policy: Policy, code: str, reachable: dict[str, list[int]], out: list[LintFinding]
) -> None:
    try:
        rules = rules_for(code)
    except AutoloanError:
        out.append(
            LintFinding(
                "unknown_jurisdiction",
                "$.jurisdictions",
                f"no compliance rule pack is registered for {code}",
                "warning",
                code,
            )
        )
        return
    limits = _limits(rules)
    for i, s in enumerate(policy.stages):
        for j, t in enumerate(s.treatments):
            for kind_name in (t.action, *t.fallbacks):
                if kind_name == "task":
                    continue
                hours = _hours(rules, ActionKind(kind_name))
                if hours is None:
                    continue
                ws, we = t.window
                hs, he = hours
                path = _p("stages", i, "treatments", j, "window")
                if we <= hs or ws >= he:
                    out.append(
                        LintFinding(
                            "window_outside_hours",
                            path,
                            f"{kind_name} window {ws:%H:%M}-{we:%H:%M} lies outside the permitted "
                            f"{hs:%H:%M}-{he:%H:%M}",
                            "error",
                            code,
                        )
                    )
                elif ws < hs or we > he:
                    out.append(
                        LintFinding(
                            "window_partly_outside",
                            path,
                            f"{kind_name} window {ws:%H:%M}-{we:%H:%M} runs outside the permitted "
                            f"{hs:%H:%M}-{he:%H:%M}",
                            "warning",
                            code,
                        )
                    )
                break
        _cap_checks(policy, i, s, reachable[s.id], limits, code, out)


def _cap_checks(
    policy: Policy,
    i: int,
    s: Stage,
    stage_dpd: list[int],
    limits: list[tuple[frozenset[ActionKind], int, int, str]],
    code: str,
    out: list[LintFinding],
) -> None:
    if not stage_dpd:
        return
    for kinds, limit, days, rule_id in limits:
        per_day: dict[int, int] = {}
        first: dict[int, int] = {}
        for j, t in enumerate(s.treatments):
            if t.kind is None or t.kind not in kinds:
                continue
            if t.anchor == "stage":
                # stage days: count on the DPD line starting at the stage's first DPD
                base = min(stage_dpd)
                tdays = [base + d for d in _days(t, stage_dpd)]
            else:
                tdays = _days(t, stage_dpd)
            for d in tdays:
                per_day[d] = per_day.get(d, 0) + 1  # one action per treatment occurrence
                first.setdefault(d, j)
        if not per_day:
            continue
        worst, at = 0, 0
        for d0 in sorted(per_day):
            n = sum(per_day.get(d, 0) for d in range(d0, d0 + days))
            if n > worst:
                worst, at = n, d0
        if worst > limit:
            j = first[at]
            kinds_text = "/".join(sorted(k.value for k in kinds))
            out.append(
                LintFinding(
                    "cap_above_rule",
                    _p("stages", i, "treatments", j),
                    f"stage {s.id} plans up to {worst} {kinds_text} in {days} day(s) from day {at}; "
                    f"{rule_id} allows {limit} (the engine will refuse or fall back)",
                    "warning",
                    code,
                )
            )


def _arm_checks(policy: Policy, out: list[LintFinding]) -> None:
    arms = {a for e in policy.experiments for a, _ in e.arms}

    def walk(tree: Tree | None, path: tuple[str | int, ...]) -> None:
        if tree is None:
            return
        if tree[0] == "cmp":
            if tree[1] == "arm":
                values = tree[3] if isinstance(tree[3], tuple) else (tree[3],)
                for v in values:
                    if v not in arms:
                        out.append(
                            LintFinding("unknown_arm", _p(*path), f"no experiment has an arm {v}", "error")
                        )
            return
        if tree[0] == "not":
            walk(tree[1], path)
            return
        for child in tree[1]:
            walk(child, path)

    for i, s in enumerate(policy.stages):
        walk(s.tree, ("stages", i, "when"))
        for j, t in enumerate(s.treatments):
            walk(t.tree, ("stages", i, "treatments", j, "when"))


def lint(policy: Policy, jurisdictions: Iterable[str] | None = None) -> list[LintFinding]:
    """Findings for ``policy``, checked against each of ``jurisdictions`` (default: the policy's own).

    Codes: ``uncovered_dpd``, ``unreachable_stage``, ``hidden_overlap``, ``terminal_treatment``,
    ``stage_on_days_in_stage``, ``offer_unused``, ``offer_never_eligible``, ``unknown_arm``, and per
    jurisdiction
    ``window_outside_hours``, ``window_partly_outside``, ``cap_above_rule``, ``unknown_jurisdiction``.

    >>> [f.code for f in lint(Policy.builtin("us-auto"), ("US-ZZ",))]
    ['unknown_jurisdiction']
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    if jurisdictions is None:
        codes = policy.jurisdictions
    elif isinstance(jurisdictions, str):
        codes = (jurisdictions,)
    else:
        try:
            codes = tuple(jurisdictions)
        except TypeError:
            raise InvalidInput(
                "jurisdictions", jurisdictions, "must be a list of jurisdiction codes"
            ) from None
    for k, code in enumerate(codes):
        if not isinstance(code, str) or not code.strip():
            raise InvalidInput(f"jurisdictions[{k}]", code, "must be a jurisdiction code such as CN or US-MA")
    out: list[LintFinding] = []
    m = _matrix(policy)
    reachable = _stage_checks(policy, m, out)
    _terminal_checks(policy, out)
    _stage_day_checks(policy, out)
    _offer_checks(policy, reachable, out)
    _arm_checks(policy, out)
    for code in codes:
        _jurisdiction_checks(policy, code.strip().upper(), reachable, out)
    return out
