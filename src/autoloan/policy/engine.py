"""``decide``: what the collections team does next for one case — a pure function of policy, case, now.

The engine keeps nothing between calls: the previous decision's ``state`` comes in with the case
and the new one goes out with the decision. The same inputs give the same decision and the same
``to_dict()`` bytes; no clock, no randomness (experiment arms come from SHA-256).

A decision's ``actions`` are the plan for the rest of the local day, in time order: do them at
their times; a later decision replaces the plan of an earlier one (actions already executed are
recognised in the contact history and not planned again; a task, which leaves no history, is kept
in the day's plans until its time). Ask again at ``next_review_at`` — the first moment anything
can change when nothing happens — and whenever something happens. Every planned action has passed
:func:`autoloan.compliance.check` at its scheduled time against the contact history plus the
actions planned before it; a refused one is moved to its ``next_permitted`` time when that falls
inside the treatment's window, replaced by its fallback, or reported in ``suppressed`` with the
findings and their citations.

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> from autoloan import LoanTerms
>>> from autoloan.compliance import Borrower
>>> from autoloan.servicing import account_status
>>> from autoloan.policy import Case, Policy
>>> terms = LoanTerms(principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15),
...                   currency="CNY")
>>> case = Case("L1", account_status(terms, [], date(2026, 2, 17)), Borrower("CN"))
>>> d = Policy.builtin("cn-auto").decide(case, datetime(2026, 2, 17, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
>>> d.stage.id, d.stage.label_zh, d.segment
('early', '初次催收', 'standard')
>>> [(a.kind, a.at.strftime("%H:%M")) for a in d.actions]
[('call', '10:00')]
>>> d.next_review_at.isoformat()  # past due: DPD changes at midnight
'2026-02-18T00:00:00+08:00'
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from autoloan._html import render_html, render_repr
from autoloan.amortization import Schedule
from autoloan.compliance import Action, ActionKind, Finding, History, Purpose, check
from autoloan.compliance.model import zone
from autoloan.errors import InvalidInput
from autoloan.policy import conditions
from autoloan.policy.case import Case
from autoloan.policy.facts import FACTS, Facts
from autoloan.policy.history import extended
from autoloan.policy.model import NO_STAGE, Hold, OfferSpec, Policy, Stage, Treatment, canonical_json

__all__ = ["QUIET_HORIZON", "Decision", "Offer", "PlannedAction", "Suppressed", "decide"]

_UTC = ZoneInfo("UTC")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class PlannedAction:
    """One decided action: kind, scheduled time, the stage and treatment it comes from, and why.

    ``action`` is the :class:`~autoloan.compliance.Action` to record in the contact history once
    done (``None`` for a ``task``); ``fallback_for`` names the kind it replaces; ``moved_from``
    the time it was first planned at when compliance moved it.
    """

    kind: str
    at: datetime
    stage_id: str
    treatment_id: str
    reason: str
    action: Action | None
    task: str | None = None
    fallback_for: str | None = None
    moved_from: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "kind": self.kind,
            "at": _iso(self.at),
            "stage_id": self.stage_id,
            "treatment_id": self.treatment_id,
            "reason": self.reason,
            "task": self.task,
            "fallback_for": self.fallback_for,
            "moved_from": _iso(self.moved_from),
        }


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A treatment that was due but is not planned: the reason, the holds and the compliance findings."""

    stage_id: str
    treatment_id: str
    kind: str
    at: datetime
    reason: str
    holds: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data (findings with rule id and citation)."""
        return {
            "stage_id": self.stage_id,
            "treatment_id": self.treatment_id,
            "kind": self.kind,
            "at": _iso(self.at),
            "reason": self.reason,
            "holds": list(self.holds),
            "findings": [
                {"rule_id": f.rule_id, "citation": f.citation, "message": f.message} for f in self.findings
            ],
        }


@dataclass(frozen=True, slots=True, eq=False)
class Offer:
    """An arrangement offered to the borrower (eligible, within caps), priced on demand.

    :meth:`quote` gives the plan's schedule for one of ``months`` (an instalment plan of the arrears
    via :func:`autoloan.servicing.restructure.instalment_plan`, or a deferral via
    :func:`autoloan.servicing.defer` when the case carries ``terms``).
    """

    id: str
    kind: str
    label_en: str
    label_zh: str
    months: tuple[int, ...]
    on: date
    arrears: Decimal
    _spec: OfferSpec = field(repr=False)
    _case: Case = field(repr=False)

    def quote(self, months: int) -> Schedule | None:
        """The schedule of the arrangement over ``months`` (``None``: a deferral without loan terms)."""
        if months not in self.months:
            raise InvalidInput(
                "months", months, "not offered; choose one of " + ", ".join(map(str, self.months))
            )
        if self.kind == "instalment_plan":
            from autoloan.servicing.restructure import instalment_plan

            return instalment_plan(
                self.arrears,
                months,
                self.on,
                annual_rate=self._spec.annual_rate,
                currency=self._case.status.currency,
            )
        terms = self._case.terms
        if terms is None:
            return None
        from autoloan.servicing import defer

        return defer(terms, self._case.payments, self.on, months, interest=self._spec.interest)

    def to_dict(self) -> dict[str, Any]:
        """Plain data with each option's first payment and total (null when not priced)."""
        options = []
        for m in self.months:
            try:
                sched = self.quote(m)
            except InvalidInput:
                sched = None
            options.append(
                {
                    "months": m,
                    "first_payment": None if sched is None else str(next(iter(sched)).payment),
                    "total": None if sched is None else str(sched.total_payment),
                }
            )
        return {
            "id": self.id,
            "kind": self.kind,
            "label_en": self.label_en,
            "label_zh": self.label_zh,
            "on": self.on.isoformat(),
            "arrears": str(self.arrears),
            "options": options,
        }


@dataclass(frozen=True, slots=True, eq=False)
class Decision:
    """The engine's answer for one case at one moment.

    ``stage`` (with ``id``, ``label_en``, ``label_zh``), ``segment``, ``arm`` (first experiment's
    arm, ``arms`` all of them), ``actions`` (time order), ``suppressed``, ``offers``,
    ``next_review_at`` (``None`` in a terminal stage), ``state`` (pass it in with the next case),
    ``trace`` (readable lines: what matched and why), ``entered`` (the stage was entered now),
    ``dpd`` (days past due at ``now``).
    """

    account_id: str
    now: datetime
    segment: str
    arm: str | None
    arms: dict[str, str]
    stage: Stage
    entered: bool
    actions: tuple[PlannedAction, ...]
    suppressed: tuple[Suppressed, ...]
    offers: tuple[Offer, ...]
    next_review_at: datetime | None
    state: dict[str, Any]
    trace: tuple[str, ...]
    policy: str
    dpd: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (money as strings, datetimes ISO with offset)."""
        return {
            "account_id": self.account_id,
            "dpd": self.dpd,
            "now": _iso(self.now),
            "policy": self.policy,
            "segment": self.segment,
            "arm": self.arm,
            "arms": dict(self.arms),
            "stage": self.stage.to_dict(),
            "entered": self.entered,
            "actions": [a.to_dict() for a in self.actions],
            "suppressed": [s.to_dict() for s in self.suppressed],
            "offers": [o.to_dict() for o in self.offers],
            "next_review_at": _iso(self.next_review_at),
            "state": dict(self.state),
            "trace": list(self.trace),
        }

    def to_json(self) -> bytes:
        """Canonical JSON bytes of :meth:`to_dict` (sorted keys): equal for equal inputs."""
        return canonical_json(self.to_dict())

    def __str__(self) -> str:
        lines = [
            f"{self.account_id} @ {self.now.isoformat()}: stage {self.stage.id} ({self.stage.label_en} / "
            f"{self.stage.label_zh}), segment {self.segment}" + (f", arm {self.arm}" if self.arm else "")
        ]
        for a in self.actions:
            lines.append(f"  {a.at.isoformat()}  {a.kind:<14} {a.treatment_id}  {a.reason}")
        for s in self.suppressed:
            lines.append(f"  suppressed {s.kind} ({s.treatment_id}): {s.reason}")
        for o in self.offers:
            lines.append(f"  offer {o.id} ({o.label_zh or o.label_en}) months {list(o.months)}")
        lines.append(f"  next review: {_iso(self.next_review_at) or 'none (terminal)'}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return render_repr(self)

    def _repr_html_(self) -> str:
        return render_html(self)


# --- state ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _State:
    stage: Stage
    entered_at: datetime
    visited: frozenset[str]
    last: datetime | None
    terminal: bool
    via: str


@lru_cache(maxsize=4096)
def _fromiso(text: str) -> datetime:
    """``datetime.fromisoformat`` (immutable results: a state's times repeat from call to call)."""
    return datetime.fromisoformat(text)


def _parse_dt(value: Any, name: str) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif type(value) is str and len(value) <= 40:
        try:
            dt = _fromiso(value)
        except ValueError:
            raise InvalidInput(f"case.state.{name}", value, "must be an ISO datetime with offset") from None
    elif isinstance(value, str) and len(value) <= 40:
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"case.state.{name}", value, "must be an ISO datetime with offset") from None
    else:
        raise InvalidInput(f"case.state.{name}", value, "must be an ISO datetime with offset")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise InvalidInput(f"case.state.{name}", value, "must have a UTC offset")
    return dt


_STATE_KEYS = frozenset({"stage", "entered_at", "visited", "last", "terminal", "policy", "tasks", "via"})
_VIA = ("match", "catch_up", "on_broken")


def _read_state(policy: Policy, state: Mapping[str, Any] | None) -> _State | None:
    if not state:
        return None
    if not _STATE_KEYS.issuperset(state):
        bad = sorted(map(str, set(state) - _STATE_KEYS))[0]
        raise InvalidInput(f"case.state.{bad}", state.get(bad), "unknown key in a decision state")
    sid = state.get("stage")
    stage = NO_STAGE if sid == NO_STAGE.id else policy.stage_by_id.get(sid) if isinstance(sid, str) else None
    if stage is None:
        raise InvalidInput("case.state.stage", sid, "no such stage in this policy")
    entered = _parse_dt(state.get("entered_at"), "entered_at")
    visited = state.get("visited", [])
    if not isinstance(visited, list | tuple) or not all(isinstance(v, str) for v in visited):
        raise InvalidInput("case.state.visited", visited, "must be a list of stage ids")
    last = state.get("last")
    last_dt = None if last is None else _parse_dt(last, "last")
    terminal = state.get("terminal", False)
    if not isinstance(terminal, bool):
        raise InvalidInput("case.state.terminal", terminal, "must be true or false")
    via = state.get("via", "match")
    if via not in _VIA:
        raise InvalidInput("case.state.via", via, "must be one of " + ", ".join(_VIA))
    return _State(stage, entered, frozenset(visited), last_dt, terminal and stage.terminal, via)


# --- helpers --------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware instant of local wall time ``at`` on ``day`` (a time in a DST gap moves forward)."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(_UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        return (naive + timedelta(hours=1)).replace(tzinfo=tz).astimezone(_UTC).astimezone(tz)
    return aware


_EPOCH = datetime(2000, 1, 1, tzinfo=_UTC)


@lru_cache(maxsize=1024)
def _template(kind: str, automated: bool, purpose: Purpose, collectors: int) -> Action:
    """A validated action of a treatment, to be stamped with a debt id and a time."""
    return Action(kind, _EPOCH, debt_id="-", automated=automated, purpose=purpose, collectors=collectors)


_ACTION_FIELDS = tuple(f.name for f in dataclasses.fields(Action))


def _stamp(template: Action, debt_id: str, at: datetime) -> Action:
    """``template`` for ``debt_id`` at ``at`` without re-validating the template's fields (the case
    has validated ``debt_id``; ``at`` is aware) — the same shortcut as ``Action.moved``."""
    new = object.__new__(Action)
    for name in _ACTION_FIELDS:
        object.__setattr__(new, name, getattr(template, name))
    object.__setattr__(new, "debt_id", debt_id)
    object.__setattr__(new, "at", at)
    return new


_KINDS: dict[str, ActionKind] = {}


def _kind(value: str) -> ActionKind:
    found = _KINDS.get(value)
    if found is None:
        found = _KINDS[value] = ActionKind(value)
    return found


_MIDNIGHT = time(0)


def _day_number(t: Treatment, f: Facts) -> int | None:
    if t.anchor == "stage":
        return int(f.get("days_in_stage"))
    if t.anchor == "dpd":
        dpd = int(f.get("dpd"))
        return dpd if dpd > 0 else None
    due = f.get("days_to_next_due")
    if due is None:
        return None
    dpd = f.get("dpd")
    if dpd and dpd > 0:  # past due: anchored on the oldest unpaid due date
        return int(dpd)
    return -int(due)


class _Planner:
    """Plans one stage-day of treatments against compliance, holds and caps."""

    __slots__ = (
        "actions",
        "base_history",
        "case",
        "ext",
        "ext_n",
        "f",
        "now",
        "sorted_ok",
        "suppressed",
        "task_times",
        "tz",
    )

    def __init__(self, case: Case, f: Facts, tz: ZoneInfo, now: datetime) -> None:
        self.case = case
        self.f = f
        self.tz = tz
        self.now = now
        self.actions: list[PlannedAction] = []
        self.suppressed: list[Suppressed] = []
        self.base_history: History = case.history  # type: ignore[assignment]
        self.ext: History = self.base_history
        self.ext_n = 0
        self.sorted_ok = True
        #: the day's tasks by key ("<day>:<stage>/<treatment>") with their planned times (``None``: an
        #: entry without a time, from an older state); the state carries them as "<key>@<time>"
        self.task_times: dict[str, datetime | None] = {}

    def history(self) -> History:
        planned = [a.action for a in self.actions if a.action is not None]
        if len(planned) != self.ext_n:
            self.ext = extended(self.ext, planned[self.ext_n :])
            self.ext_n = len(planned)
        return self.ext

    def count(self, kind: str, start: datetime, end: datetime) -> int:
        if kind == "task":  # the day's tasks, done or still planned (the state keeps them)
            return sum(1 for t in self.task_times.values() if t is None or start <= t < end)
        series = self.case.contact_index.kind(_kind(kind))
        n = series.count(start.timestamp(), end.timestamp())
        return n + sum(1 for a in self.actions if a.kind == kind and start <= a.at < end)

    def week_free_at(self, kind: str, at: datetime, cap: int) -> float | None:
        """``None`` when fewer than ``cap`` actions of ``kind`` fall in the 7 days before ``at``
        (``at - 7 days < t < at``); else the moment enough of them have left the window."""
        hi = at.timestamp()
        lo = hi - 7 * 86400.0
        if kind == "task":
            times = [t.timestamp() for t in self.task_times.values() if t is not None]
        else:
            times = [a.at.timestamp() for a in self.actions if a.kind == kind]
            series = self.case.contact_index.kind(_kind(kind)).ts
            times.extend(series[bisect_right(series, lo) : bisect_left(series, hi)])
        inside = sorted(t for t in times if lo < t < hi)
        if len(inside) < cap:
            return None
        return inside[len(inside) - cap] + 7 * 86400.0

    def done(self, kinds: tuple[str, ...], start: datetime, end: datetime) -> bool:
        s, e = start.timestamp(), end.timestamp()
        index = self.case.contact_index
        return any(k != "task" and index.kind(_kind(k)).count(s, e) for k in kinds)


def _holds_for(kind: str, holds: list[Hold], policy: Policy, promise: bool) -> list[str]:
    out = [h.id for h in holds if h.suppresses(kind)]
    if promise and (kind in policy.promises.suppress or (policy.promises.all_kinds and kind != "task")):
        out.append("promise_pending")
    return out


def _plan_treatment(
    p: _Planner,
    policy: Policy,
    stage: Stage,
    t: Treatment,
    day: date,
    entered_at: datetime,
    holds: list[Hold],
    promise: bool,
) -> None:
    case, tz, now = p.case, p.tz, p.now
    start = local_instant(day, t.window[0], tz)
    end = local_instant(day, t.window[1], tz)
    base = max(start, entered_at)
    if base >= end:
        p.suppressed.append(
            Suppressed(stage.id, t.id, t.action, base, "window closed before the stage was entered")
        )
        return
    kinds = (t.action, *t.fallbacks)
    task_key = f"{day.isoformat()}:{stage.id}/{t.id}"
    if task_key in p.task_times:
        # a task leaves no contact history: planned once a day, it stays in the plan until its time
        planned = p.task_times[task_key]
        if planned is not None and planned >= now and "task" in kinds:
            planned = planned.astimezone(tz)  # the state's text has an offset; plans are in the zone
            i = kinds.index("task")
            p.actions.append(
                PlannedAction(
                    "task",
                    planned,
                    stage.id,
                    t.id,
                    _reason(stage, t, i),
                    None,
                    t.task,
                    t.action if i else None,
                )
            )
        return
    if p.done(kinds, base, end):
        return
    at = max(base, now)
    if at >= end:
        return
    reasons: list[str] = []
    held: list[str] = []
    findings: list[Finding] = []
    day_start = local_instant(day, _MIDNIGHT, tz)
    day_end = local_instant(day + timedelta(days=1), _MIDNIGHT, tz)
    for i, kind in enumerate(kinds):
        blocked_by = _holds_for(kind, holds, policy, promise)
        if blocked_by:
            held.extend(h for h in blocked_by if h not in held)
            reasons.append(f"{kind} held ({', '.join(blocked_by)})")
            continue
        if t.per_day is not None and p.count(kind, day_start, day_end) >= t.per_day:
            reasons.append(f"{kind} cap {t.per_day}/day reached")
            continue
        at_k = at
        if t.per_week is not None:
            free = p.week_free_at(kind, at_k, t.per_week)
            if free is not None:
                later = datetime.fromtimestamp(free, tz)
                if later >= end or p.week_free_at(kind, later, t.per_week) is not None:
                    reasons.append(f"{kind} cap {t.per_week}/week reached")
                    continue
                at_k = later
        why = _reason(stage, t, i)
        if kind == "task":
            p.task_times[task_key] = at_k
            p.actions.append(
                PlannedAction("task", at_k, stage.id, t.id, why, None, t.task, t.action if i else None)
            )
            return
        action = _stamp(_template(kind, t.automated, t.purpose, t.collectors), case.account_id, at_k)
        hist = p.history()
        verdict = check(action, history=hist, borrower=case.borrower, account=case.account)
        moved_from = at if at_k != at else None
        if not verdict.allowed:
            nxt = verdict.next_permitted
            passed = False
            if nxt is not None and at_k < nxt < end:
                moved = action.moved(nxt.astimezone(tz))
                if check(moved, history=hist, borrower=case.borrower, account=case.account).allowed:
                    moved_from = moved_from or at_k
                    action = moved
                    passed = True
            if not passed:
                findings.extend(f for f in verdict.blocking if f not in findings)
                reasons.append(
                    f"{kind} refused: " + "; ".join(f"{f.rule_id} [{f.citation}]" for f in verdict.blocking)
                )
                continue
        if p.actions and action.at < p.actions[-1].at:
            p.sorted_ok = False
        p.actions.append(
            PlannedAction(
                kind, action.at, stage.id, t.id, why, action, None, t.action if i else None, moved_from
            )
        )
        return
    p.suppressed.append(
        Suppressed(
            stage.id, t.id, t.action, at, "; ".join(reasons) or "not planned", tuple(held), tuple(findings)
        )
    )


def _reason(stage: Stage, t: Treatment, i: int) -> str:
    """Why an action of treatment ``t`` is planned (``i``: the index of its kind, 0 or a fallback)."""
    return f"{stage.id}/{t.id}: {t.label_en or t.id}" + (f" (fallback for {t.action})" if i else "")


def _task_times(tasks: list[str]) -> dict[str, datetime | None]:
    """``{key: planned time}`` of the state's tasks of today (``None`` for an entry without a time)."""
    out: dict[str, datetime | None] = {}
    for entry in tasks:
        key, sep, when = entry.partition("@")
        out[key] = _parse_dt(when, "tasks") if sep else None
    return out


def _task_entries(times: dict[str, datetime | None]) -> list[str]:
    """The state's text of the day's tasks: ``"<key>@<time>"`` (the key alone when no time is known)."""
    return [key if at is None else f"{key}@{at.isoformat()}" for key, at in times.items()]


def _verify_in_time_order(p: _Planner) -> None:
    """Re-check every action against the history plus the actions before it in time (after moves)."""
    ordered = sorted(p.actions, key=lambda a: a.at)
    kept: list[PlannedAction] = []
    hist = p.base_history
    for a in ordered:
        if a.action is not None:
            v = check(a.action, history=hist, borrower=p.case.borrower, account=p.case.account)
            if not v.allowed:
                p.suppressed.append(
                    Suppressed(
                        a.stage_id,
                        a.treatment_id,
                        a.kind,
                        a.at,
                        "refused once earlier actions are counted",
                        (),
                        v.blocking,
                    )
                )
                continue
            hist = extended(hist, [a.action])
        kept.append(a)
    p.actions = kept


def _offers(policy: Policy, stage: Stage, case: Case, f: Facts, trace: list[str]) -> tuple[Offer, ...]:
    out = []
    dpd = int(f.get("dpd"))
    for oid in stage.offers:
        spec = policy.offers[oid]
        why = None
        if spec.max_dpd is not None and dpd > spec.max_dpd:
            why = f"dpd {dpd} above max_dpd {spec.max_dpd}"
        elif spec.min_dpd is not None and dpd < spec.min_dpd:
            why = f"dpd {dpd} below min_dpd {spec.min_dpd}"
        elif spec.kind == "instalment_plan" and case.status.amount_past_due <= 0:
            why = "nothing past due"
        else:
            same = [a for a in case.arrangements if a.kind == spec.kind and a.on <= f.today]
            year = f.today - timedelta(days=365)
            if spec.per_life is not None and len(same) >= spec.per_life:
                why = f"{len(same)} taken, per_life cap {spec.per_life}"
            elif spec.per_12_months is not None and sum(1 for a in same if a.on > year) >= spec.per_12_months:
                why = f"per_12_months cap {spec.per_12_months} reached"
            elif not spec.test(f):
                why = "eligibility condition not met"
        if why is not None:
            trace.append(f"offer {oid} not made: {why}")
            continue
        trace.append(f"offer {oid} made ({spec.kind}, months {list(spec.months)})")
        out.append(
            Offer(
                oid,
                spec.kind,
                spec.label_en,
                spec.label_zh,
                spec.months,
                f.today,
                case.status.amount_past_due,
                spec,
                case,
            )
        )
    return tuple(out)


# --- decide ---------------------------------------------------------------------------------------


def decide(policy: Policy, case: Case, now: datetime) -> Decision:
    """The decision for ``case`` at ``now`` (timezone-aware) under ``policy``.

    Steps: segment (first match) → experiment arms (SHA-256) → stage (first match; a broken promise
    re-enters ``promises.on_broken``; ``min_days`` keeps an account in its stage; a mandatory
    stage jumped past is entered first, or recorded as skipped, per ``skip_mode``) → holds →
    the stage-day's treatments, each checked by compliance → offers → ``next_review_at``.
    A terminal stage is final: no more evaluation, no new treatments (Kill Bill #894).

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> from autoloan import LoanTerms
    >>> from autoloan.compliance import Borrower
    >>> from autoloan.servicing import account_status
    >>> t = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    >>> case = Case("L9", account_status(t, [], date(2026, 2, 4)), Borrower("US-WI"))
    >>> d = decide(Policy.builtin("us-auto"), case, datetime(2026, 2, 4, tzinfo=ZoneInfo("America/Chicago")))
    >>> d.stage.id, [(a.kind, a.at.hour) for a in d.actions], d.next_review_at.isoformat()
    ('early', [('call', 9)], '2026-02-05T00:00:00-06:00')
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    if not isinstance(case, Case):
        raise InvalidInput("case", case, "must be a Case")
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now", now, "must be a timezone-aware datetime")
    cp = _compiled(policy)
    tz_name = case.borrower.timezones[0]
    tz = _ZONES.get(tz_name) if isinstance(tz_name, str) else None
    if tz is None:
        tz = zone(tz_name, "case.borrower.timezones[0]")
        _ZONES[tz_name] = tz
    try:
        now = now.astimezone(tz)
    except (OverflowError, ValueError):
        raise InvalidInput("now", now, "is out of range") from None
    today = now.date()
    if today < case.status.as_of:
        raise InvalidInput("now", now, f"is before the status date {case.status.as_of.isoformat()}")
    state_in = case.state
    st = _read_state(policy, state_in) if state_in else None
    trace: list[str] = []
    f = Facts.at(case, now, today, policy.promises.grace_days)
    get = f.get

    segment = cp.default_segment
    for seg in cp.tested_segments:
        if seg.test(f):
            segment = seg
            break
    f.segment = segment.id
    trace.append(cp.segment_text[segment.id])
    arms: dict[str, str] = {}
    arm = None
    for e, text in cp.experiments:
        if not e.segments or segment.id in e.segments:
            got = arms[e.id] = e.arm_for(case.account_id)
            arm = arm or got
            trace.append(f"experiment {e.id}: arm {got}{text}")
    f.arm = arm

    entered = False
    entered_text = state_in.get("entered_at") if state_in is not None else None
    if not isinstance(entered_text, str):
        entered_text = None
    via = st.via if st is not None else "match"
    if st is not None and st.terminal:
        stage, entered_at, visited = st.stage, st.entered_at.astimezone(tz), st.visited
        matched = stage
        f.entered_day = entered_at.date()
        trace.append(f"stage {stage.id}: terminal since {entered_at.isoformat()}; no more evaluation")
    else:
        current = st.stage if st is not None else None
        entered_at = st.entered_at.astimezone(tz) if st is not None else now
        visited = st.visited if st is not None else _NOTHING
        f.entered_day = entered_at.date()
        target = matched = _first_match(policy, f)
        trace.append(cp.stage_text[target.index])
        dpd = int(get("dpd"))
        reenter = False
        on_broken = policy.promises.on_broken
        via = "match"
        if on_broken is not None and dpd > 0 and case.promises:
            since = st.last.astimezone(tz).date() if st is not None and st.last is not None else today
            grace = policy.promises.grace_days
            for pr in case.promises:
                broke = pr.broken_on(grace)
                if (not pr.is_kept and since < broke <= today) or (
                    st is None and broke == today and not pr.is_kept
                ):
                    target = policy.stage_by_id[on_broken]
                    reenter = True
                    via = "on_broken"
                    trace.append(f"promise due {pr.due} broken on {broke}: re-enter {on_broken}")
                    break
        if (
            not reenter
            and current is not None
            and current is not NO_STAGE
            and target is not current
            and dpd > 0
        ):
            # min_days keeps an account in its stage; a stage entered by catch-up or a broken promise
            # is kept at least for the rest of the day it was entered
            came = st.via if st is not None else "match"
            need = current.min_days if came == "match" else max(current.min_days, 1)
            if (today - entered_at.date()).days < need:
                trace.append(f"stay in {current.id}: entered {entered_at.date()} ({came}), min_days {need}")
                target = current
                via = came
        if not reenter and target is not NO_STAGE:
            low = current.index if current is not None else -1
            skipped = [
                s for s in cp.mandatory[low + 1 : target.index] if s is not None and s.id not in visited
            ]
            if skipped:
                if policy.skip_mode == "catch_up":
                    trace.append(f"catch_up: mandatory stage {skipped[0].id} entered before {target.id}")
                    target = skipped[0]
                    via = "catch_up"
                else:
                    trace.append("skipped mandatory stage(s): " + ", ".join(s.id for s in skipped))
                    visited = visited | {s.id for s in skipped}
        if dpd == 0 and target.index <= 0:
            visited = _NOTHING
        if target is current and not reenter and st is not None:
            via = st.via if via == "match" else via
        if target is not current or reenter:
            entered = True
            entered_text = None
            entered_at = now
            f.entered_day = today
            f.reset("days_in_stage")
            trace.append(f"entered {target.id}" + (f" from {current.id}" if current is not None else ""))
        if target.mandatory:
            visited = visited | {target.id}
        stage = target

    terminal_done = st is not None and st.terminal and today != entered_at.date()
    due: list[tuple[datetime, int, int, Treatment]] = []
    if not terminal_done:
        for t in stage.treatments:
            n = _day_number(t, f)
            if n is None or not t.runs_on(n) or not t.test(f):
                continue
            slot = max(local_instant(today, t.window[0], tz), entered_at)
            due.append((slot, -t.priority, t.order, t))
    tasks: list[str] = []
    if state_in is not None:
        old_tasks = state_in.get("tasks", [])
        if isinstance(old_tasks, list | tuple) and old_tasks:
            prefix = today.isoformat() + ":"
            tasks = [x for x in old_tasks if isinstance(x, str) and x.startswith(prefix)]
    actions: tuple[PlannedAction, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    if due:
        planner = _Planner(case, f, tz, now)
        planner.task_times = _task_times(tasks)
        # holds and promises matter only when something is due
        active = [h for h in policy.holds if h.test(f)]
        for h in active:
            trace.append(f"hold {h.id}: {h.label_en or 'active'}")
        promise = bool(policy.promises.suppress) and bool(get("promise_pending"))
        if promise:
            trace.append(
                "promise to pay pending: " + ", ".join(sorted(policy.promises.suppress)) + " suppressed"
            )
        due.sort(key=_due_key)
        for _, _, _, t in due:
            _plan_treatment(planner, policy, stage, t, today, entered_at, active, promise)
        if not planner.sorted_ok:
            _verify_in_time_order(planner)
        actions = tuple(sorted(planner.actions, key=_at))
        suppressed = tuple(planner.suppressed)
        tasks = _task_entries(planner.task_times)
    offers = _offers(policy, stage, case, f, trace) if stage.offers and not terminal_done else ()

    if stage.terminal:
        next_review = None
    else:
        # a decision the next one may not repeat with the same facts -- a stage other than the one
        # matched (caught up, kept by min_days, re-entered on a broken promise), or a stage whose
        # condition on days_in_stage fails once it is entered -- is decided again before its plan
        # is done, and tomorrow at the latest; any other is done as planned
        unstable = stage is not matched or (
            entered and cp.stage_days and _first_match(policy, f) is not stage
        )
        if unstable:
            quiet = today + _DAY
            trace.append("decided again at its first action: the next decision may choose another stage")
        else:
            quiet = _quiet_until(cp, stage, case, f, today, entered_at.date())
        limit = local_instant(quiet, _MIDNIGHT, tz)
        next_review = _first_after(actions, now, limit) if unstable else _next_planned(actions, limit)
        if cp.windows:
            now_ts = f.now_ts
            index = case.contact_index
            for days, conversations in cp.windows:
                # a contact at t is counted while now - days <= t, so up to and including t + days;
                # the count drops just after (a second after, like a contact just made)
                series = index.conversations if conversations else index.contacts
                first = series.first_at_or_after(now_ts - days * 86400.0)
                if first is not None:
                    expiry = datetime.fromtimestamp(first + days * 86400.0, tz) + _SECOND
                    if now < expiry < next_review:
                        next_review = expiry
            # a planned contact, once done, changes the count just after its time
            for a in actions:
                if a.action is not None and a.at >= now:
                    after = a.at + _SECOND
                    if after < next_review:
                        next_review = after
                    break

    last = now.isoformat()
    state = {
        "stage": stage.id,
        "entered_at": entered_text
        if entered_text is not None
        else (last if entered_at is now else entered_at.isoformat()),
        "visited": sorted(visited),
        "last": last,
        "terminal": stage.terminal,
        "tasks": sorted(tasks),
        "via": via,
    }
    return _new_decision(
        (
            case.account_id,
            now,
            segment.id,
            arm,
            arms,
            stage,
            entered,
            actions,
            suppressed,
            offers,
            next_review,
            state,
            tuple(trace),
            cp.tag,
            int(get("dpd")),
        )
    )


#: the longest a decision of a non-terminal stage waits for its next review (days)
QUIET_HORIZON = 31


def _quiet_until(cp: _Compiled, stage: Stage, case: Case, f: Facts, today: date, entered_day: date) -> date:
    """The first day whose midnight can bring another decision when nothing happens before it.

    Nothing happening (no payment, contact, promise or arrangement; the status is the one given,
    or the new one a due date brings) the decision stays the same until a fact the policy or the
    engine reads can change (each fact's ``changes``: DPD grows daily once past due, so a
    delinquent account is reviewed every day — which covers ``min_days`` stays and broken
    promises, both only past due), the next due date, or a day a treatment of the stage runs
    (pending promises and caps matter only then). A stage with offers is reviewed daily (offers
    are made on a day). At most :data:`QUIET_HORIZON` days. The caller has already made it
    tomorrow when the stage is not the one the facts match (a catch-up, a stay).
    """
    tomorrow = today + _DAY
    if stage.offers:
        return tomorrow
    last = today + timedelta(days=QUIET_HORIZON)
    for changes in cp.timed:
        c = changes(f)
        if c is not None and c < last:
            if c <= tomorrow:
                return tomorrow
            last = c
    due = case.status.next_due_date
    if due is not None and due < last:
        last = max(due, tomorrow)
    # DPD is 0 until ``last`` (it is among the timed facts): a ``dpd`` anchored treatment cannot
    # run; ``stage`` and ``due`` day numbers grow by one a day from tomorrow's
    for t in stage.treatments:
        span = (last - tomorrow).days
        if span <= 0:
            break
        if t.anchor == "stage":
            lo = (tomorrow - entered_day).days
        elif t.anchor == "due":
            to_due = f.get("days_to_next_due")
            if to_due is None:
                continue
            lo = 1 - int(to_due)
        else:
            continue
        first = t.first_day(lo, lo + span - 1)
        if first is not None:
            last = tomorrow + timedelta(days=first - lo)
    return last


def _first_match(policy: Policy, f: Facts) -> Stage:
    """The first stage whose condition holds on ``f`` (``NO_STAGE`` if none)."""
    for s in policy.stages:
        if s.test(f):
            return s
    return NO_STAGE


def _first_after(actions: tuple[PlannedAction, ...], now: datetime, limit: datetime) -> datetime:
    """The first planned time after ``now``, if before ``limit``."""
    for a in actions:
        if now < a.at:
            return min(a.at, limit)
    return limit


def _next_planned(actions: tuple[PlannedAction, ...], limit: datetime) -> datetime:
    """The review an action plan asks for, if before ``limit``: the time of the first action after the
    first planned moment. The first moment is done as planned (nothing having happened, a review
    at it would plan the same); once done, the history has changed for the actions after it."""
    if actions:
        first = actions[0].at
        for a in actions:
            if a.at > first:
                return min(a.at, limit)
    return limit


_NOTHING: frozenset[str] = frozenset()
_ZONES: dict[str, ZoneInfo] = {}
_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)


def _due_key(x: tuple[datetime, int, int, Treatment]) -> tuple[datetime, int, int]:
    return (x[0], x[1], x[2])


def _at(a: PlannedAction) -> datetime:
    return a.at


_DECISION_SLOTS = tuple(getattr(Decision, f.name).__set__ for f in dataclasses.fields(Decision))


def _new_decision(values: tuple[Any, ...]) -> Decision:
    """A Decision from the engine's own (already checked) values, field by field."""
    d = object.__new__(Decision)
    for put, value in zip(_DECISION_SLOTS, values, strict=True):
        put(d, value)
    return d


class _Compiled:
    """What :func:`decide` reads of a policy on every call, computed once per policy object."""

    __slots__ = (
        "default_segment",
        "experiments",
        "mandatory",
        "policy",
        "segment_text",
        "stage_days",
        "stage_text",
        "tag",
        "tested_segments",
        "timed",
        "windows",
    )

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.tag = f"{policy.name}@{policy.digest[:12]}"
        # the last segment is the fallback: testing it is only needed when it has a condition
        segs = policy.segments
        self.default_segment = segs[-1]
        self.tested_segments = segs if segs[-1].tree is not None else segs[:-1]
        self.segment_text = {
            s.id: f"segment {s.id}: " + ("default" if s.tree is None else "matched") for s in segs
        }
        self.experiments = tuple((e, " (sha256 of salt:account_id)") for e in policy.experiments)
        texts = {s.index: f"stage {s.id} matches: {_describe(s)}" for s in policy.stages}
        texts[NO_STAGE.index] = "no stage matches"
        self.stage_text = texts
        self.mandatory = tuple(s if s.mandatory else None for s in policy.stages)
        windows: list[tuple[int, bool]] = []
        for name in sorted(policy.uses):
            days = FACTS[name].window_days
            if days is not None and (days, name.startswith("conv")) not in windows:
                windows.append((days, name.startswith("conv")))
        self.windows = tuple(windows)
        # stage conditions reading days_in_stage see the stage they would leave: once entered, the
        # count restarts and the stage may no longer match
        self.stage_days = any("days_in_stage" in conditions.facts_used(s.tree) for s in policy.stages)
        # facts whose value can change with no event: the policy's, and DPD, which the engine reads
        # itself (stays, anchors, offers, re-entry on a broken promise — all only while past due)
        read = ["dpd", *sorted(policy.uses - {"dpd"})]  # DPD first: past due, it ends the search
        self.timed = tuple(c for name in read if (c := FACTS[name].changes) is not None)


_COMPILED: dict[int, _Compiled] = {}


def _compiled(policy: Policy) -> _Compiled:
    found = _COMPILED.get(id(policy))
    if found is None or found.policy is not policy:
        if len(_COMPILED) > 256:
            _COMPILED.clear()
        found = _COMPILED[id(policy)] = _Compiled(policy)
    return found


@lru_cache(maxsize=1024)
def _describe(stage: Stage) -> str:
    from autoloan.policy.conditions import describe

    return describe(stage.tree)
