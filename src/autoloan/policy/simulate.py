"""``simulate``: replay a loan through time under a policy, with a borrower's behaviour.

Decided actions become contact history, payments and promises come from a :class:`Behaviour`,
and the account status is recomputed with :func:`autoloan.servicing.account_status` whenever a
payment arrives or an installment falls due. The engine is asked again whenever
``next_review_at`` comes or something happens (a payment, a promise, an offer taken). Every
executed action is checked once more with :func:`autoloan.compliance.check` at its time against
the history so far: ``Run.blocked_executed`` counts refusals and must be 0.

>>> from datetime import date
>>> from autoloan import LoanTerms
>>> from autoloan.compliance import Borrower
>>> from autoloan.policy import Behaviour, Policy, simulate
>>> terms = LoanTerms(principal=120000, annual_rate="0.0435", term=36, start=date(2026, 1, 15),
...                   currency="CNY")
>>> run = simulate(Policy.builtin("cn-auto"), terms, borrower=Borrower("CN"), start=date(2026, 1, 15),
...                end=date(2026, 6, 30), behaviour=Behaviour.scripted())
>>> [s for _, s in run.stage_entries], run.blocked_executed
(['current', 'early', 'deep', 'legal'], 0)
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from autoloan._html import render_html, render_repr
from autoloan.amortization import LoanTerms
from autoloan.compliance import Account, Action, ActionKind, Borrower, History, Outcome, check
from autoloan.compliance.model import zone
from autoloan.dates import coerce_date
from autoloan.errors import InvalidInput
from autoloan.money import currency as _currency
from autoloan.policy.behaviour import Behaviour
from autoloan.policy.case import Arrangement, Case, Promise
from autoloan.policy.engine import Decision, PlannedAction, local_instant
from autoloan.policy.history import extended
from autoloan.policy.model import Policy
from autoloan.servicing import AccountStatus, Payment, account_status

__all__ = ["Run", "RunEvent", "simulate"]

_NOON = time(12)
_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class RunEvent:
    """One row of the event table: when, what (``stage``, ``action``, ``payment``, ``promise``,
    ``offer``, ``offer_taken``, ``suppressed``, ``blocked``), the stage and a detail text."""

    at: datetime
    event: str
    stage: str
    detail: str
    dpd: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "at": self.at.isoformat(),
            "event": self.event,
            "stage": self.stage,
            "detail": self.detail,
            "dpd": self.dpd,
        }


@dataclass(frozen=True, slots=True, eq=False)
class Run:
    """The result of :func:`simulate`.

    ``events`` (the event table, ``str(run)`` renders it, :meth:`to_pandas` as a DataFrame),
    ``stage_entries`` ``[(when, stage_id)]`` in order, ``actions`` the executed actions,
    ``actions_by_kind`` their counts, ``offers_made``/``offers_taken`` ``[(day, offer_id)]``,
    ``blocked_executed`` (executed actions refused by compliance at their time: must be 0),
    ``decisions`` (engine calls), ``final_status`` and ``history`` (the contact history).
    """

    events: tuple[RunEvent, ...]
    stage_entries: tuple[tuple[datetime, str], ...]
    actions: tuple[PlannedAction, ...]
    offers_made: tuple[tuple[date, str], ...]
    offers_taken: tuple[tuple[date, str], ...]
    blocked_executed: int
    decisions: int
    final_status: AccountStatus
    history: History
    payments: tuple[Payment, ...]

    @property
    def actions_by_kind(self) -> dict[str, int]:
        """Executed actions counted by kind."""
        return dict(sorted(Counter(a.kind for a in self.actions).items()))

    def to_rows(self) -> list[dict[str, Any]]:
        """The event table as plain dicts."""
        return [e.to_dict() for e in self.events]

    def to_pandas(self) -> Any:
        """The event table as a pandas DataFrame (needs ``pip install 'autoloan[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("Run.to_pandas needs pandas: pip install 'autoloan[pandas]'") from exc
        return pd.DataFrame(
            {
                "at": [e.at for e in self.events],
                "event": [e.event for e in self.events],
                "stage": [e.stage for e in self.events],
                "dpd": [e.dpd for e in self.events],
                "detail": [e.detail for e in self.events],
            }
        )

    def __str__(self) -> str:
        lines = [f"{'at':<25} {'dpd':>4}  {'stage':<14} {'event':<11} detail"]
        for e in self.events:
            lines.append(f"{e.at.isoformat():<25} {e.dpd:>4}  {e.stage:<14} {e.event:<11} {e.detail}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return render_repr(self)

    def _repr_html_(self) -> str:
        return render_html(self)


def _in_arrears(st: AccountStatus) -> bool:
    """The random borrower's noon step may pay the arrears (past due, with an amount past due)."""
    return st.days_past_due > 0 and st.amount_past_due > 0


def _with_outcome(action: Action, outcome: Outcome) -> Action:
    """``dataclasses.replace(action, outcome=outcome)`` without re-validating the other fields (they
    were validated when ``action`` was built; ``outcome`` is an :class:`Outcome`)."""
    done = action.moved(action.at)  # a fresh copy of every field
    object.__setattr__(done, "outcome", outcome)
    return done


class _Sim:
    """The mutable state of one replay (internal)."""

    def __init__(
        self,
        policy: Policy,
        terms: LoanTerms,
        borrower: Borrower,
        behaviour: Behaviour,
        account_id: str,
        account: Account | None,
        tz: ZoneInfo,
        case_kw: dict[str, Any],
    ) -> None:
        self.policy = policy
        self.terms = terms
        self.borrower = borrower
        self.behaviour = behaviour
        self.account_id = account_id
        self.account = account
        self.tz = tz
        self.case_kw = case_kw
        self.payments: list[Payment] = []
        self.promises: list[Promise] = []
        self.arrangements: list[Arrangement] = []
        self.history: History = History()
        self.case: Case | None = None
        self.status: AccountStatus | None = None
        self.status_day: date | None = None
        self.dirty = True
        self.events: list[RunEvent] = []
        self.entries: list[tuple[datetime, str]] = []
        self.executed: list[PlannedAction] = []
        self.offers_made: list[tuple[date, str]] = []
        self.offers_taken: list[tuple[date, str]] = []
        self.blocked = 0
        self.decisions = 0
        self.state: dict[str, Any] | None = None
        self.stage = "-"
        self.dpd = 0
        self.done_today: dict[date, int] = {}
        self.scheduled: list[tuple[datetime, Payment]] = []
        self.offered_on: set[tuple[date, str]] = set()
        self.logged_offers: set[tuple[str, str]] = set()
        self.logged_suppressed: set[tuple[date, str, str]] = set()
        self.rebuild = True
        #: the case changed after the last decision without an event (an offer taken in answer to
        #: it): decide again before doing its plan
        self.stale = False

    def status_on(self, day: date) -> AccountStatus:
        st = self.status
        if (
            st is None
            or self.dirty
            or day < st.as_of
            or (st.next_due_date is not None and st.next_due_date <= day and day > st.as_of)
        ):
            st = self.status = account_status(self.terms, self.payments, day)
            self.dirty = False
        return st

    def quiet_noon(self, day: date) -> bool:
        """Whether the random borrower's noon step on ``day`` can do nothing (asked before that noon).

        The step pays only while past due or on a due date. No payment arrives between midnight and
        noon (payments are posted at noon), so the status it would read is the one read now, and
        skipping the step's moment changes nothing (other events due at noon still stop there).
        """
        st = self.status_on(day)
        if _in_arrears(st):
            return False
        return not (st.next_due_date == day and st.next_due_amount > 0 and not st.is_paid_off)

    def next_busy_day(self, day: date) -> date | None:
        """The first day after ``day`` whose noon step can act if nothing happens first (``None``:
        none): tomorrow while past due, else the next due date (an on-time payment). The days in
        between are quiet by :meth:`quiet_noon`: their status is this one (no due date passes)."""
        st = self.status_on(day)
        tomorrow = day + _DAY
        if _in_arrears(st):
            return tomorrow
        due = st.next_due_date
        if due is None or st.is_paid_off:
            return None
        return due if due > tomorrow else tomorrow

    def log(self, at: datetime, event: str, detail: str) -> None:
        self.events.append(RunEvent(at, event, self.stage, detail, self.dpd))

    def pay(self, at: datetime, amount: Decimal, why: str) -> None:
        if amount <= 0:
            return
        day = at.date()
        self.payments.append(Payment(day, amount))
        self.dirty = True
        self.rebuild = True
        left = amount
        for i, pr in enumerate(self.promises):
            if left <= 0:
                break
            if pr.is_pending(day, self.policy.promises.grace_days) and pr.made_on is not None:
                need = pr.amount - pr.paid  # type: ignore[operator]
                take = min(need, left)
                self.promises[i] = dataclasses.replace(pr, paid=pr.paid + take)  # type: ignore[operator]
                left -= take
        self.log(at, "payment", f"{amount} ({why})")

    def decide(self, now: datetime) -> Decision:
        day = now.date()
        st = self.status_on(day)
        self.dpd = st.days_past_due
        case = self.case
        if case is None:
            case = self.case = Case(
                self.account_id,
                st,
                self.borrower,
                account=self.account,
                history=self.history,
                promises=tuple(self.promises),
                arrangements=tuple(self.arrangements),
                state=self.state,
                terms=self.terms,
                payments=tuple(self.payments),
                **self.case_kw,
            )
            self.rebuild = False
        elif self.rebuild:
            # payments, promises, arrangements or the account changed; id, borrower, terms, flags,
            # score and product are the first case's (and an unchanged history keeps its index)
            changes: dict[str, Any] = {
                "status": st,
                "account": self.account,
                "promises": tuple(self.promises),
                "arrangements": tuple(self.arrangements),
                "state": self.state,
                "payments": tuple(self.payments),
            }
            if self.history is not case.history:
                changes["history"] = self.history
            case = self.case = case.replace(**changes)
            self.rebuild = False
        else:
            # only what changed: an unchanged history keeps its contact index as it is
            if self.history is case.history:
                if st is case.status:
                    case = case.replace(state=self.state)
                else:
                    case = case.replace(state=self.state, status=st)
            else:
                case = case.replace(state=self.state, status=st, history=self.history)
            self.case = case
        d = self.policy.decide(case, now)
        self.decisions += 1
        self.stale = False
        self.state = d.state
        self.dpd = d.dpd
        if d.entered:
            self.stage = d.stage.id
            self.entries.append((now, d.stage.id))
            self.log(now, "stage", f"entered {d.stage.id} ({d.stage.label_en} / {d.stage.label_zh})")
        self.stage = d.stage.id
        for o in d.offers:
            if (day, o.id) not in self.offered_on:
                self.offered_on.add((day, o.id))
                self.offers_made.append((day, o.id))
                episode = (str(d.state.get("entered_at")), o.id)
                if episode not in self.logged_offers:
                    self.logged_offers.add(episode)
                    self.log(now, "offer", f"{o.id} ({o.label_zh or o.label_en}) months {list(o.months)}")
                if self.behaviour.mode == "random" and self.behaviour.chance(
                    self.behaviour.take_offer_ppm, self.account_id, day, f"take:{o.id}"
                ):
                    self.arrangements.append(Arrangement(o.kind, day))
                    self.offers_taken.append((day, o.id))
                    self.rebuild = True
                    self.stale = True
                    self.log(now, "offer_taken", f"{o.id}")
        for s in d.suppressed:
            if s.at >= now:
                # once a day per treatment and reason: the table does not depend on how often
                # the engine is asked
                text = f"{s.kind} ({s.treatment_id}): {s.reason}"
                seen = (day, s.stage_id, text)
                if seen not in self.logged_suppressed:
                    self.logged_suppressed.add(seen)
                    self.log(now, "suppressed", text)
        return d

    def execute(self, a: PlannedAction) -> None:
        day = a.at.date()
        if a.action is None:
            self.executed.append(a)
            self.log(a.at, "task", f"{a.task} ({a.treatment_id})")
            return
        verdict = check(a.action, history=self.history, borrower=self.borrower, account=self.account)
        if not verdict.allowed:
            self.blocked += 1
            self.log(a.at, "blocked", f"{a.kind}: " + "; ".join(f.rule_id for f in verdict.blocking))
            return
        n = self.done_today.get(day, 0)
        self.done_today[day] = n + 1
        kind = a.action.kind
        assert isinstance(kind, ActionKind)
        outcome = self.behaviour.outcome(kind, self.account_id, day, n)
        done = _with_outcome(a.action, outcome)
        self.history = extended(self.history, [done])
        self.executed.append(a)
        self.log(a.at, "action", f"{a.kind} ({a.treatment_id}) -> {outcome.value}")
        notice = self._notice(a)
        if notice is not None:
            acct = self.account or Account()
            if notice == "cure":
                self.account = dataclasses.replace(acct, cure_notice_on=day)
            else:
                self.account = dataclasses.replace(acct, default_notice_on=day)
            self.rebuild = True
            self.log(a.at, "notice", f"{notice} notice given")
        b = self.behaviour
        if (
            b.mode == "random"
            and outcome is Outcome.CONVERSATION
            and self.status is not None
            and b.chance(b.promise_ppm, self.account_id, day, f"promise{n}")
        ):
            arrears = self.status_on(day).amount_past_due
            if arrears > 0:
                pr = Promise(day + timedelta(days=3), arrears, made_on=day)
                self.promises.append(pr)
                self.rebuild = True
                self.log(a.at, "promise", f"{arrears} by {pr.due.isoformat()}")
                if b.chance(b.keep_ppm, self.account_id, day, f"keep{n}"):
                    when = local_instant(pr.due, _NOON, self.tz)
                    self.scheduled.append((when, Payment(pr.due, arrears)))

    def _notice(self, a: PlannedAction) -> str | None:
        stage = self.policy.stage_by_id.get(a.stage_id)
        if stage is None:
            return None
        for t in stage.treatments:
            if t.id == a.treatment_id:
                return t.notice
        return None


def simulate(
    policy: Policy,
    terms: LoanTerms,
    *,
    borrower: Borrower,
    start: date,
    end: date,
    behaviour: Behaviour | None = None,
    tz: str | None = None,
    account_id: str = "L1",
    account: Account | None = None,
    step: str = "day",
    decide_every_step: bool = False,
    flags: Iterable[str] = (),
    risk_score: Any = None,
    product: str | None = None,
) -> Run:
    """Replay ``terms`` from ``start`` to ``end`` (local dates in ``tz``, default the borrower's zone).

    ``step`` is ``"day"`` (random payments at noon) or ``"hour"`` (the same, and with
    ``decide_every_step`` the engine is asked every hour as well, to compare with a caller that
    only calls back at ``next_review_at``). Deterministic: the same inputs give the same run.

    >>> from autoloan.compliance import Borrower
    >>> t = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    >>> run = simulate(Policy.builtin("us-auto"), t, borrower=Borrower("US-WI"), start=date(2026, 1, 1),
    ...                end=date(2026, 3, 31), behaviour=Behaviour.random(seed=1))
    >>> run.blocked_executed, run.stage_entries[0][1]
    (0, 'current')
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be a Policy")
    if not isinstance(terms, LoanTerms):
        raise InvalidInput("terms", terms, "must be a LoanTerms")
    if not isinstance(borrower, Borrower):
        raise InvalidInput("borrower", borrower, "must be a compliance.Borrower")
    if behaviour is None:
        behaviour = Behaviour.scripted()
    if not isinstance(behaviour, Behaviour):
        raise InvalidInput("behaviour", behaviour, "must be a Behaviour")
    if step not in ("day", "hour"):
        raise InvalidInput("step", step, "must be 'day' or 'hour'")
    if not isinstance(decide_every_step, bool):
        raise InvalidInput("decide_every_step", decide_every_step, "must be True or False")
    if account is not None and not isinstance(account, Account):
        raise InvalidInput("account", account, "must be a compliance.Account or None")
    start = coerce_date(start, "start")
    end = coerce_date(end, "end")
    if end < start:
        raise InvalidInput("end", end, "must not be before start")
    if (end - start).days > 3660:
        raise InvalidInput("end", end, "simulations are limited to ten years")
    if start < terms.start:
        raise InvalidInput("start", start, f"must not be before the loan start {terms.start.isoformat()}")
    if tz is not None:
        zinfo = zone(tz, "tz")
        if not borrower.timezones:
            borrower = dataclasses.replace(borrower, timezones=(tz,))
    else:
        if not borrower.timezones:
            raise InvalidInput("tz", None, f"give a time zone for jurisdiction {borrower.jurisdiction}")
        zinfo = zone(borrower.timezones[0])
    _currency(terms.currency)
    case_kw = {"flags": frozenset(flags), "risk_score": risk_score, "product": product}
    sim = _Sim(policy, terms, borrower, behaviour, account_id, account, zinfo, case_kw)
    # probe the case arguments once, so bad flags or scores fail before the loop
    Case(account_id, account_status(terms, (), start), borrower, **case_kw)

    if behaviour.mode == "scripted":
        for p in behaviour.payments:
            sim.scheduled.append((local_instant(p.date, _NOON, zinfo), p))
        promise_at = sorted(
            (local_instant(pr.made_on or pr.due - timedelta(days=3), _NOON, zinfo), i)
            for i, pr in enumerate(behaviour.promises)
        )
    else:
        promise_at = []
    promise_i = 0
    now = local_instant(start, time(0), zinfo)
    stop = local_instant(end + timedelta(days=1), time(0), zinfo)
    next_review: datetime | None = now
    pending: list[PlannedAction] = []
    hour = timedelta(hours=1)
    last_random_day: date | None = None
    random_mode = behaviour.mode == "random"
    step_day = step == "day"
    noon_day: date | None = None
    noon = next_noon = midnight = stop
    midnight_day: date | None = None
    while now < stop:
        event = False
        day = now.date()
        # 1. borrower events due now
        if sim.scheduled:
            due = [x for x in sim.scheduled if x[0] <= now]
            if due:
                sim.scheduled = [x for x in sim.scheduled if x[0] > now]
                for at, p in sorted(due, key=lambda x: x[0]):
                    sim.pay(at, p.amount, "scheduled" if behaviour.mode == "scripted" else "promise kept")
                event = True
        while promise_i < len(promise_at) and promise_at[promise_i][0] <= now:
            pr = behaviour.promises[promise_at[promise_i][1]]
            sim.promises.append(pr if pr.made_on is not None else dataclasses.replace(pr, made_on=now.date()))
            sim.rebuild = True
            sim.log(now, "promise", f"{pr.amount} by {pr.due.isoformat()}")
            promise_i += 1
            event = True
        if random_mode and last_random_day != day and now.time() == _NOON:
            last_random_day = day
            st = sim.status_on(day)
            if _in_arrears(st):
                if behaviour.chance(behaviour.pay_chance(sim.stage), account_id, day, "pay"):
                    amount = st.amount_past_due
                    if behaviour.chance(behaviour.partial_ppm, account_id, day, "partial"):
                        digits = _currency(terms.currency).minor_units
                        amount = (amount / 2).quantize(Decimal(1).scaleb(-digits))
                    sim.pay(now, amount, "random")
                    event = True
            elif (
                st.next_due_date == day
                and st.next_due_amount > 0
                and not st.is_paid_off
                and behaviour.chance(behaviour.on_time_ppm, account_id, day, "on_time")
            ):
                sim.pay(now, st.next_due_amount, "on time")
                event = True
        # 2. decide when due, on events, or every step
        if (
            (next_review is not None and now >= next_review)
            or event
            or (decide_every_step and now.minute == 0)
            or (sim.stale and pending and pending[0].at <= now)
        ):
            d = sim.decide(now)
            pending = [a for a in d.actions if a.at >= now]
            next_review = d.next_review_at
        # 3. execute actions due now
        while pending and pending[0].at <= now:
            a = pending.pop(0)
            sim.execute(a)
        # next moment: the earliest candidate after now (the first of equal ones, as min() picks),
        # candidates in a fixed order: stop, review, pending action, scheduled, promise, noon, step
        nxt = stop
        if next_review is not None and now < next_review < nxt:
            nxt = next_review
        if pending:
            c = max(pending[0].at, now + _TICK)
            if now < c < nxt:
                nxt = c
        if sim.scheduled:
            c = min(x[0] for x in sim.scheduled)
            if now < c < nxt:
                nxt = c
        if promise_i < len(promise_at):
            c = promise_at[promise_i][0]
            if now < c < nxt:
                nxt = c
        if random_mode:
            if day != noon_day:
                noon_day = day
                noon = local_instant(day, _NOON, zinfo)
                next_noon = local_instant(day + _DAY, _NOON, zinfo)
            if noon > now and not sim.quiet_noon(day):
                c = noon
            else:
                busy = sim.next_busy_day(day)
                if busy is None:
                    c = stop
                elif busy == noon_day + _DAY:
                    c = next_noon
                else:
                    c = local_instant(busy, _NOON, zinfo)
            if now < c < nxt:
                nxt = c
        if decide_every_step:
            c = (now.replace(minute=0, second=0, microsecond=0) + hour).astimezone(zinfo)
            if now < c < nxt:
                nxt = c
        elif step_day and next_review is None:
            if day != midnight_day:
                midnight_day = day
                midnight = local_instant(day + _DAY, time(0), zinfo)
            if now < midnight < nxt:
                nxt = midnight
        now = nxt.astimezone(zinfo)
    final = sim.status_on(end)
    return Run(
        tuple(sim.events),
        tuple(sim.entries),
        tuple(sim.executed),
        tuple(sim.offers_made),
        tuple(sim.offers_taken),
        sim.blocked,
        sim.decisions,
        final,
        sim.history,
        tuple(sim.payments),
    )
