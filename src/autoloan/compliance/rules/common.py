"""Helpers and rule families shared by the jurisdiction modules.

Helpers: contact windows across time zones, local calendar days, rolling-window counts.
Families (a state module subclasses one and sets its id, citation and whom it binds):
:class:`ContactHours`, :class:`EmployerContact`, :class:`RightToCure`, :class:`PostRepoNotice`.

>>> from datetime import datetime, time
>>> from zoneinfo import ZoneInfo
>>> ny, la = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
>>> bad, nxt = outside_window(datetime(2026, 3, 2, 9, 0, tzinfo=ny), (ny, la), time(8), time(21))
>>> [z for z, _ in bad], nxt.isoformat()
(['America/Los_Angeles'], '2026-03-02T11:00:00-05:00')
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from autoloan.compliance.model import (
    Action,
    ActionKind,
    Collector,
    Finding,
    Outcome,
    Purpose,
    Severity,
    Target,
)
from autoloan.compliance.rule import Context, Rule, local_time

__all__ = [
    "COMMS",
    "CREDITOR_AND_COLLECTOR",
    "NONE",
    "NOT_CONNECTED",
    "REALTIME",
    "UNANSWERED",
    "ContactHours",
    "EmployerContact",
    "PostRepoNotice",
    "RightToCure",
]

K = ActionKind
NONE: tuple[Finding, ...] = ()
#: Kinds that communicate with a person.
COMMS = frozenset({K.CALL, K.SMS, K.EMAIL, K.LETTER, K.VISIT, K.LEGAL_LETTER, K.THIRD_PARTY_CONTACT})
#: Kinds whose timing reaches the person at once (letters are not timed contacts).
REALTIME = frozenset({K.CALL, K.SMS, K.EMAIL, K.VISIT})
NOT_CONNECTED = frozenset({Outcome.BUSY, Outcome.NOT_IN_SERVICE})
UNANSWERED = frozenset({Outcome.NO_ANSWER, Outcome.VOICEMAIL, Outcome.BUSY, Outcome.NOT_IN_SERVICE})
#: State acts that reach creditors collecting their own debts as well as collection agencies.
CREDITOR_AND_COLLECTOR = frozenset({Collector.CREDITOR, Collector.DEBT_COLLECTOR})
_MAX_DAYS = 8


def _inside(t: time, start: time, end: time, end_inclusive: bool) -> bool:
    return start <= t and (t <= end if end_inclusive else t < end)


def outside_window(
    now: datetime, zones: tuple[ZoneInfo, ...], start: time, end: time, end_inclusive: bool = True
) -> tuple[list[tuple[str, datetime]], datetime | None]:
    """Zones where ``now`` falls outside the local window, and the earliest instant inside it in all.

    The second item is ``None`` when no instant within a week is inside every zone's window
    (zones too far apart). Wall times are resolved with :mod:`zoneinfo`, so daylight-saving
    changes are handled: 07:30 is outside an 08:00 window on the day the clocks change too.
    """
    bad = []
    for tz in zones:
        local = now.astimezone(tz)
        wall = local.time()  # naive wall time
        if wall < start or (wall > end if end_inclusive else wall >= end):
            bad.append((tz.key, local))
    if not bad:
        return bad, now
    t = now
    for _ in range(_MAX_DAYS * max(1, len(zones)) + 2):
        latest = t
        ok = True
        for tz in zones:
            local = t.astimezone(tz)
            lt = local.time()
            if _inside(lt, start, end, end_inclusive):
                continue
            ok = False
            day = local.date() if lt < start else local.date() + timedelta(days=1)
            cand = local_time(day, start, tz)
            if cand > latest:
                latest = cand
        if ok:
            return bad, t.astimezone(now.tzinfo)
        if latest - now > timedelta(days=_MAX_DAYS):
            return bad, None
        t = latest
    return bad, None


def hhmm(t: time | datetime) -> str:
    """``HH:MM`` without ``strftime`` (which is slow).

    >>> hhmm(time(8, 5))
    '08:05'
    """
    return f"{t.hour:02d}:{t.minute:02d}"


def hours_findings(rule: Rule, ctx: Context, start: time, end: time, **used: object) -> tuple[Finding, ...]:
    """A BLOCK from ``rule`` when ``ctx.now`` is outside the contact window in any of the borrower's zones.

    The borrower's consented hours, when given, replace ``start``-``end``; ``used`` adds details
    to the finding. No finding (:data:`NONE`) inside the window.
    """
    start, end = ctx.borrower.consented_hours or (start, end)
    bad, nxt = outside_window(ctx.now, ctx.zones, start, end)
    if not bad:
        return NONE
    where = ", ".join([f"{hhmm(local)} in {key}" for key, local in bad])
    return (
        rule.finding(
            Severity.BLOCK,
            f"{where} is outside {hhmm(start)}-{hhmm(end)} local time",
            nxt,
            start=start,
            end=end,
            **used,
        ),
    )


def local_day(ts: float, tz: ZoneInfo) -> date:
    """The local calendar date of POSIX time ``ts`` in ``tz``.

    >>> local_day(0.0, ZoneInfo("America/New_York")).isoformat()
    '1969-12-31'
    """
    return datetime.fromtimestamp(ts, tz).date()


def add_business_days(day: date, n: int) -> date:
    """``day`` plus ``n`` weekdays (Saturdays and Sundays skipped; holidays are not modelled).

    >>> add_business_days(date(2026, 5, 1), 5).isoformat()  # a Friday
    '2026-05-08'
    """
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def rolling_window(
    ctx: Context, series: Sequence[float], days: int, limit: int
) -> tuple[int, datetime | None]:
    """Count ``series`` items in the ``days`` consecutive local days ending today (before now).

    Returns ``(count, retry_at)``: the action is over the limit when ``count >= limit``, and
    ``retry_at`` is then local midnight of the first day on which the count would be below
    ``limit`` again (``None`` when waiting cannot help: a limit of 0). Under the limit,
    ``retry_at`` is ``None``.
    """
    lo = bisect_left(series, ctx.day_start_ts(ctx.day - timedelta(days=days - 1)))
    hi = bisect_left(series, ctx.ts)
    count = hi - lo
    if count < limit or limit <= 0:
        return count, None
    # The window must slide past the (count - limit + 1) oldest items in it.
    pivot = series[hi - limit]
    return count, ctx.day_start(local_day(pivot, ctx.zone) + timedelta(days=days))


# --- families ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactHours(Rule):
    """A state's contact window in the borrower's local time (every plausible zone).

    Subclasses set ``id``, ``citation``, ``binds`` and ``kinds``; ``exempt`` lists kinds the
    statute leaves out (Florida: email since 2025). A window the borrower consented to directly
    replaces the default.
    """

    kinds: ClassVar[frozenset[ActionKind]] = REALTIME
    exempt: ClassVar[frozenset[ActionKind]] = frozenset()
    start: time = time(8, 0)
    end: time = time(21, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.BORROWER or a.kind in self.exempt or a.initiated_by_borrower:
            return NONE
        return hours_findings(self, ctx, self.start, self.end)


def _is_employer(a: Action) -> bool:
    return a.target is Target.THIRD_PARTY and a.role == "employer"


@dataclass(frozen=True, slots=True)
class EmployerContact(Rule):
    """No communication with the borrower's employer about the debt before a final judgment.

    Subclasses set ``allowed_purposes`` (communications the statute permits, e.g. verifying
    employment) and ``consent_allows`` (the borrower's written permission lifts the ban). A
    communication with the employer is an action aimed at a third party whose ``target_role``
    is ``employer``; ``Account.judgment_on`` records the judgment.
    """

    kinds: ClassVar[frozenset[ActionKind]] = COMMS
    allowed_purposes: ClassVar[frozenset[Purpose]] = frozenset()
    consent_allows: ClassVar[bool] = False

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if not _is_employer(a):
            return NONE
        acct = ctx.account
        if acct is not None and acct.judgment_on is not None and acct.judgment_on <= ctx.day:
            return NONE
        if self.consent_allows and ctx.borrower.employer_contact_authorized:
            return NONE
        if a.purpose in self.allowed_purposes and not a.discloses_debt:
            return self.permitted(ctx)
        return (
            self.finding(Severity.BLOCK, "no communication with the employer about the debt before judgment"),
        )

    def permitted(self, ctx: Context) -> Iterable[Finding]:
        """Findings for an allowed-purpose contact (none by default)."""
        return NONE


@dataclass(frozen=True, slots=True)
class RightToCure(Rule):
    """A state right-to-cure waiting period before repossession or acceleration (and, where the
    statute says so, suit).

    Blocks until ``cure_days`` full days after the day the notice was given (the borrower may
    cure through the last day), and blocks outright when no notice was given. No right to cure,
    so only a warning: ``exempt_after_cured`` earlier defaults cured after notice in 12 months
    (``Account.cured_defaults_12m``); with ``once_per_obligation`` any earlier notice on the
    obligation (``Account.prior_cure_notice_on``); with ``no_cure_within_months`` an earlier
    notice within that many months. ``notice_after_default_days``: a notice given before the
    consumer was that many days in default (``Account.default_on``) is premature.
    ``to_cosigners``: the notice must also go to every cosigner.
    """

    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION, K.ACCELERATION})
    cure_days: int = 20
    exempt_after_cured: int | None = None
    once_per_obligation: bool = False
    no_cure_within_months: int | None = None
    notice_after_default_days: int | None = None
    to_cosigners: bool = False

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        if acct is not None:
            why = self._exempt(ctx)
            if why:
                return (self.finding(Severity.WARN, f"no right to cure: {why}"),)
        notice = None if acct is None else acct.cure_notice_on
        if acct is None or notice is None:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"give a notice of right to cure first ({self.cure_days} days)",
                    cure_days=self.cure_days,
                ),
            )
        if self.to_cosigners and acct.cosigners and not acct.cure_notice_to_cosigners:
            return (self.finding(Severity.BLOCK, "the cure notice must also be given to every cosigner"),)
        wait = self.notice_after_default_days
        if (
            wait is not None
            and acct.default_on is not None
            and notice < acct.default_on + timedelta(days=wait)
        ):
            return (
                self.finding(
                    Severity.BLOCK,
                    f"the notice of {notice.isoformat()} came before {wait} days of default: give it again",
                    notice_after_default_days=wait,
                ),
            )
        free: date = notice + timedelta(days=self.cure_days + 1)
        if ctx.day >= free:
            return NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"cure period: {self.cure_days} days after the notice of {notice.isoformat()}; "
                f"permitted from {free.isoformat()}",
                ctx.day_start(free),
                cure_days=self.cure_days,
                notice_on=notice,
            ),
        )

    def _exempt(self, ctx: Context) -> str:
        acct = ctx.account
        assert acct is not None
        if self.exempt_after_cured is not None and acct.cured_defaults_12m >= self.exempt_after_cured:
            return f"{acct.cured_defaults_12m} defaults cured after notice in 12 months"
        prior = acct.prior_cure_notice_on
        if prior is not None and prior <= ctx.day:
            if self.once_per_obligation:
                return f"a cure notice was already given on this obligation ({prior.isoformat()})"
            months = self.no_cure_within_months
            if months is not None:
                start = acct.default_on or ctx.day
                if (start.year - prior.year) * 12 + start.month - prior.month < months or (
                    (start.year - prior.year) * 12 + start.month - prior.month == months
                    and start.day < prior.day
                ):
                    return f"default within {months} months after the notice of {prior.isoformat()}"
        return ""


@dataclass(frozen=True, slots=True)
class PostRepoNotice(Rule):
    """A notice the holder must send after repossession, by a deadline, and (for a notice of
    sale) a minimum time before the sale.

    Subclasses set ``kinds`` (``notice_of_sale`` or ``redemption_notice``) and what missing the
    deadline costs. Needs ``Account.repossessed_on`` (a ``review`` without it). A notice sent
    after the deadline is a ``review`` (the duty was missed; send it anyway and check the
    consequences); a sale date (``Action.sale_on``) too close to the notice blocks.
    ``within_days`` / ``within_business_days`` / ``within_hours`` count from the repossession
    day (hours from its start, the cautious reading when only the date is known).
    """

    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.NOTICE_OF_SALE})
    consequence: ClassVar[str] = ""
    within_days: int | None = None
    within_business_days: int | None = None
    within_hours: int | None = None
    min_days_before_sale: int | None = None

    def deadline(self, ctx: Context, taken: date) -> datetime | None:
        """The last instant the notice may be sent."""
        if self.within_hours is not None:
            return ctx.day_start(taken) + timedelta(hours=self.within_hours)
        if self.within_business_days is not None:
            return ctx.day_start(add_business_days(taken, self.within_business_days) + timedelta(days=1))
        if self.within_days is not None:
            return ctx.day_start(taken + timedelta(days=self.within_days + 1))
        return None

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        taken = None if acct is None else acct.repossessed_on
        out: list[Finding] = []
        if taken is None:
            out.append(
                self.finding(Severity.REVIEW, "record account.repossessed_on to check the notice deadline")
            )
        else:
            last = self.deadline(ctx, taken)
            if last is not None and ctx.now >= last:
                tail = f" ({self.consequence})" if self.consequence else ""
                out.append(
                    self.finding(
                        Severity.REVIEW,
                        f"the notice was due by {last.isoformat()} after the repossession of "
                        f"{taken.isoformat()}{tail}",
                        deadline=last,
                    )
                )
        need = self.min_days_before_sale
        if need is not None:
            sale = ctx.action.sale_on
            if sale is None:
                out.append(
                    self.finding(Severity.WARN, f"set the sale at least {need} days after this notice")
                )
            elif sale < ctx.day + timedelta(days=need):
                out.append(
                    self.finding(
                        Severity.BLOCK,
                        f"sale on {sale.isoformat()} is less than {need} days after the notice",
                        min_days_before_sale=need,
                    )
                )
        return out
