"""United States, federal rules: Regulation F (12 CFR part 1006), TCPA, bankruptcy stay, SCRA, FCRA.

Reg F text and Official Interpretations read in the eCFR snapshot of ``cfpb/reg-text``
(``ecfr/1006.txt``). Reg F binds third-party debt collectors (12 CFR 1006.2(i)): for a creditor
collecting its own loan in its own name its findings are house policy, while the state packs
carry the acts that reach creditors (California's Rosenthal Act, Florida's FCCPA, …). The
bankruptcy stay, the SCRA and the TCPA bind anyone.

>>> from autoloan.compliance.rules.us import RULES
>>> [r.rule_id for r in RULES][:2]
['US.REGF.1006.6(b)(1)(i)', 'US.REGF.1006.6(b)(2)']
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import ClassVar

from autoloan.compliance.history import count_before
from autoloan.compliance.model import (
    Action,
    ActionKind,
    Collector,
    Finding,
    Outcome,
    Place,
    Purpose,
    Severity,
    Target,
)
from autoloan.compliance.rule import Context, Rule
from autoloan.compliance.rules.common import (
    COMMS,
    NOT_CONNECTED,
    REALTIME,
    UNANSWERED,
    hours_findings,
    local_day,
    rolling_window,
)
from autoloan.dates import add_months

__all__ = [
    "CODE",
    "NAME",
    "NOT_ENCODED",
    "PARENT",
    "REG_F_BINDS",
    "RULES",
    "US_RULES",
    "ZONES",
    "AttorneyRepresented",
    "BankruptcyStay",
    "CallFrequency",
    "CeaseCommunication",
    "CreditReportAge",
    "DisputePending",
    "ElectronicOptOutNotice",
    "FurnishingPrecondition",
    "InconvenientTime",
    "MediumOptOut",
    "ScraRepossession",
    "StateNotGiven",
    "TcpaConsent",
    "ThirdPartyLocation",
    "TimeBarredDebt",
    "ValidationPeriod",
    "Workplace",
]

K = ActionKind
#: Reg F took effect on 30 Nov 2021 (secondary sources, not re-read). Rules that restate FDCPA
#: provisions (805(a)(1)-(3), 805(c)) apply before that date too; rules new in Reg F do not.
REG_F_EFFECTIVE = date(2021, 11, 30)
_COMMS = COMMS
_REALTIME = REALTIME
_NONE: tuple[Finding, ...] = ()
#: Reg F binds debt collectors (12 CFR 1006.2(i)); a creditor collecting its own debt in its own
#: name is not one, and a repossession agent is one only for 1006.22(e) (not encoded).
REG_F_BINDS = frozenset({Collector.DEBT_COLLECTOR})


def calls(a: Action) -> Hashable | None:
    """History key of 1006.14(b): outbound connected calls per (person, debt); attorney calls excluded."""
    if (
        a.kind is K.CALL
        and not a.initiated_by_borrower
        and a.outcome not in NOT_CONNECTED
        and a.target is not Target.ATTORNEY
    ):
        return (a.person, a.debt_id)
    return None


def conversations(a: Action) -> Hashable | None:
    """History key: telephone conversations per (person, debt), whoever called."""
    if a.kind is K.CALL and a.outcome is Outcome.CONVERSATION:
        return (a.person, a.debt_id)
    return None


def third_party_communications(a: Action) -> Hashable | None:
    """History key of 1006.10(c): communications that reached a third party, per person."""
    if (
        a.target is Target.THIRD_PARTY
        and a.outcome not in UNANSWERED
        and a.outcome is not Outcome.UNDELIVERABLE
    ):
        return a.person
    return None


_WRITTEN = frozenset({K.LETTER, K.EMAIL, K.SMS})


def first_contacts(a: Action) -> Hashable | None:
    """History key of 1006.30(a): borrower conversations (``spoke``) and deliverable letters or
    electronic messages (``sent``) per debt; the earliest of each is what counts."""
    if a.target is not Target.BORROWER:
        return None
    if a.outcome is Outcome.CONVERSATION and a.kind in (K.CALL, K.VISIT):
        return ("spoke", a.debt_id)
    if a.kind in _WRITTEN and not a.initiated_by_borrower and a.outcome is not Outcome.UNDELIVERABLE:
        return ("sent", a.debt_id)
    return None


@dataclass(frozen=True, slots=True)
class InconvenientTime(Rule):
    """Before 8:00 or after 21:00 local time is inconvenient, in every plausible zone.

    12 CFR 1006.6(b)(1)(i); comment 6(b)(1)(i)-2 (conflicting location information: the time
    must be convenient in all locations); comment 6(b)(1)(i)-1 (an email or text "occurs" when
    sent). A window the borrower consented to directly (1006.6(b)(4)(i)) replaces the default.
    """

    id: ClassVar[str] = "US.REGF.1006.6(b)(1)(i)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(b)(1)(i); comment 6(b)(1)(i)-2; FDCPA 805(a)(1)"
    kinds: ClassVar[frozenset[ActionKind]] = _REALTIME
    start: time = time(8, 0)
    end: time = time(21, 0)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.action.target is not Target.BORROWER:
            return _NONE
        return hours_findings(self, ctx, self.start, self.end, zones=ctx.borrower.timezones)


@dataclass(frozen=True, slots=True)
class AttorneyRepresented(Rule):
    """No communication with a borrower known to be represented by an attorney about the debt.

    12 CFR 1006.6(b)(2): unless the attorney fails to respond within a reasonable time (not
    quantified: a human decides) or consents to direct communication.
    """

    id: ClassVar[str] = "US.REGF.1006.6(b)(2)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(b)(2); FDCPA 805(a)(2)"
    kinds: ClassVar[frozenset[ActionKind]] = _COMMS

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        b = ctx.borrower
        if ctx.action.target is not Target.BORROWER or not b.attorney_represented or b.attorney_consents:
            return _NONE
        return (self.finding(Severity.BLOCK, "borrower is represented by an attorney; contact the attorney"),)


class Workplace(Rule):
    """No communication at the place of employment when the employer prohibits it. 12 CFR 1006.6(b)(3)."""

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.6(b)(3)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(b)(3); comment 6(b)(3)-1; FDCPA 805(a)(3)"
    kinds: ClassVar[frozenset[ActionKind]] = _COMMS

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is Target.BORROWER and a.place is Place.WORK and ctx.borrower.employer_prohibits_contact:
            return (
                self.finding(Severity.BLOCK, "the borrower's employer prohibits such communications at work"),
            )
        return _NONE


class CeaseCommunication(Rule):
    """After a written refusal to pay or cease request: only notices that collection ends or of a remedy.

    12 CFR 1006.6(c)(1)-(2). Notification is complete on receipt (comment 6(c)(1)-2), so the
    request date blocks from that local day on.
    """

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.6(c)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(c); FDCPA 805(c)"
    kinds: ClassVar[frozenset[ActionKind]] = _COMMS

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        on = ctx.borrower.cease_requested_on
        if a.target is not Target.BORROWER or on is None or ctx.day < on:
            return _NONE
        if a.purpose in (Purpose.TERMINATION_NOTICE, Purpose.REMEDY_NOTICE):
            return _NONE
        return (
            self.finding(
                Severity.BLOCK,
                f"borrower asked in writing on {on.isoformat()} to cease communication",
                cease_requested_on=on,
            ),
        )


@dataclass(frozen=True, slots=True)
class CallFrequency(Rule):
    """The 7-in-7 presumption: per person and per debt, no call after 7 calls in 7 consecutive days,
    and none within 7 consecutive days after a telephone conversation (its date is day 1).

    12 CFR 1006.14(b)(2)(i)-(ii) and (b)(3). Counting, per the Official Interpretations: a call
    that rings unanswered, reaches voicemail or is answered counts; a busy signal or a number not
    in service does not (comment 14(b)(3)(ii)-1); texts and emails are not calls (comment 14(b)-1);
    a conversation the consumer initiated also starts the 7 days (comment 14(b)(2)(i)-1.ii); calls to
    the borrower's attorney are excluded (b)(3)(iii); calls placed within 7 consecutive days of
    prior consent given directly (day of receipt = day 1) are excluded, and that consent ends at
    the next conversation about the debt (comment 14(b)(3)(i)-2). Days are local calendar days in
    the borrower's first time zone. Review flags (comment 14(b)(2)(i)-2.i): two calls within
    5 minutes, or 7 calls in one day.
    """

    id: ClassVar[str] = "US.REGF.1006.14(b)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.14(b)(2)-(3)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL})
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE
    max_calls: int = 7
    window_days: int = 7
    conversation_days: int = 7
    rapid_minutes: int = 5
    max_calls_per_day_review: int = 7

    def _consent_window(self, ctx: Context, key: tuple[str, str]) -> tuple[float, float] | None:
        consent = ctx.borrower.call_consent_at
        if consent is None or key[0] != "borrower":
            return None
        c_ts = consent.timestamp()
        end = ctx.day_start_ts(local_day(c_ts, ctx.zone) + timedelta(days=self.window_days))
        conv = ctx.series(conversations, key)
        i = bisect_left(conv, c_ts)
        # "after receiving the prior consent": a conversation later than the consent ends it.
        while i < len(conv) and conv[i] <= c_ts:
            i += 1
        if i < len(conv) and conv[i] < end:
            end = conv[i]
        return c_ts, end

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is Target.ATTORNEY:
            return _NONE
        key = (a.person, a.debt_id)
        consent = self._consent_window(ctx, key)
        if consent is not None and consent[0] <= ctx.ts < consent[1]:
            return _NONE
        placed = ctx.series(calls, key)
        if consent is not None:
            lo, hi = consent
            placed = [t for t in placed if not lo <= t < hi]
        out: list[Finding] = []
        count, retry = rolling_window(ctx, placed, self.window_days, self.max_calls)
        if count >= self.max_calls:
            out.append(
                self.finding(
                    Severity.BLOCK,
                    f"{count} calls about debt {a.debt_id} to {a.person} in the last {self.window_days} "
                    f"consecutive days (limit {self.max_calls})",
                    retry,
                    max_calls=self.max_calls,
                    window_days=self.window_days,
                    calls_in_window=count,
                )
            )
        conv = ctx.series(conversations, key)
        n = count_before(conv, ctx.ts)
        if n:
            c_day = local_day(conv[n - 1], ctx.zone)
            free = c_day + timedelta(days=self.conversation_days)
            if ctx.day < free:
                out.append(
                    self.finding(
                        Severity.BLOCK,
                        f"telephone conversation about debt {a.debt_id} on {c_day.isoformat()} (day 1 of "
                        f"{self.conversation_days}); next call from {free.isoformat()}",
                        ctx.day_start(free),
                        conversation_days=self.conversation_days,
                        last_conversation=c_day,
                    )
                )
        if not out:
            hi = bisect_left(placed, ctx.ts)
            if hi and ctx.ts - placed[hi - 1] < self.rapid_minutes * 60:
                out.append(
                    self.finding(
                        Severity.REVIEW,
                        f"a call to the same person less than {self.rapid_minutes} minutes ago "
                        "(comment 14(b)(2)(i)-2.i)",
                        rapid_minutes=self.rapid_minutes,
                    )
                )
            today = hi - bisect_left(placed, ctx.day_start_ts(ctx.day))
            if today + 1 >= self.max_calls_per_day_review:
                out.append(
                    self.finding(
                        Severity.REVIEW,
                        f"call {today + 1} today: highly concentrated calling (comment 14(b)(2)(i)-2.i)",
                        max_calls_per_day_review=self.max_calls_per_day_review,
                    )
                )
        return out


class MediumOptOut(Rule):
    """No communication through a medium the person asked not to be used ("stop calling").

    12 CFR 1006.14(h)(1); electronic opt-outs under 1006.6(d)(4)-(e) end up here too (comment 14(h)(1)-3.ii).
    """

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.14(h)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.14(h)(1); 1006.6(e)"
    kinds: ClassVar[frozenset[ActionKind]] = _COMMS
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        kind = a.kind
        if a.target is Target.BORROWER and kind in ctx.borrower.opted_out:
            return (self.finding(Severity.BLOCK, f"borrower opted out of {kind.value}", medium=kind.value),)
        return _NONE


class ElectronicOptOutNotice(Rule):
    """Every email or text must state a reasonable, simple way to opt out. 12 CFR 1006.6(e)."""

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.6(e)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(e)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.SMS, K.EMAIL})
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        return (
            self.finding(Severity.WARN, "include a clear and conspicuous opt-out method (e.g. 'Reply STOP')"),
        )


@dataclass(frozen=True, slots=True)
class ThirdPartyLocation(Rule):
    """Third parties only for location information: never say a debt is owed, once per person,
    and not at all once an attorney is known. 12 CFR 1006.6(d), 1006.10(b)(2), (b)(5), (c).

    1006.10(c) allows another contact if the person asks for it or the earlier answer was
    erroneous or incomplete; the checker cannot know that, so it blocks and a human may override.
    """

    id: ClassVar[str] = "US.REGF.1006.10"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.6(d)(1)-(2); 1006.10(b)-(c)"
    kinds: ClassVar[frozenset[ActionKind]] = _COMMS
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE
    max_location_contacts: int = 1

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if a.target is not Target.THIRD_PARTY:
            return _NONE
        out: list[Finding] = []
        if a.discloses_debt:
            out.append(self.finding(Severity.BLOCK, "a location contact must not state that a debt is owed"))
        if ctx.borrower.attorney_represented:
            out.append(
                self.finding(Severity.BLOCK, "borrower has an attorney: location contacts go to the attorney")
            )
        done = count_before(ctx.series(third_party_communications, a.person), ctx.ts)
        if done >= self.max_location_contacts:
            out.append(
                self.finding(
                    Severity.BLOCK,
                    f"already communicated with {a.person} {done} time(s); again only if they asked or the "
                    "earlier answer was wrong or incomplete",
                    max_location_contacts=self.max_location_contacts,
                )
            )
        return out


class TimeBarredDebt(Rule):
    """No suit, or threat of suit (a lawyer's letter), on a time-barred debt. 12 CFR 1006.26(b)."""

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.26(b)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.26(b)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.LAWSUIT, K.LEGAL_LETTER})
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.borrower.debt_time_barred:
            return (self.finding(Severity.BLOCK, "the statute of limitations has expired on this debt"),)
        return _NONE


@dataclass(frozen=True, slots=True)
class FurnishingPrecondition(Rule):
    """No credit reporting before speaking to the borrower, or before a letter or electronic message
    was sent and a reasonable period for undeliverability passed. 12 CFR 1006.30(a)(1).

    Comment 30(a)(1)-2: the reasonable period begins on the day the letter is mailed or the
    message sent, and 14 consecutive days is reasonable; its examples (mailed May 1, monitored
    May 1-14, then furnished) make the mailing day day 1, so furnishing is allowed from local
    midnight of mailing day + 14. Items that came back undeliverable do not count (comment
    30(a)(1)-3).
    """

    id: ClassVar[str] = "US.REGF.1006.30(a)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.30(a)(1); comments 30(a)(1)-2, -3"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CREDIT_REPORT})
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE
    wait_days: int = 14

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        debt = ctx.action.debt_id
        spoken = ctx.series(first_contacts, ("spoke", debt))
        if spoken and spoken[0] < ctx.ts:
            return _NONE
        letters = ctx.series(first_contacts, ("sent", debt))
        sent = letters[0] if letters else None
        if sent is not None and sent < ctx.ts:
            ready = ctx.day_start(local_day(sent, ctx.zone) + timedelta(days=self.wait_days))
            if ctx.now >= ready:
                return _NONE
            return (
                self.finding(
                    Severity.BLOCK,
                    f"wait {self.wait_days} days after the first letter or message for undeliverability",
                    ready,
                    wait_days=self.wait_days,
                ),
            )
        return (
            self.finding(
                Severity.BLOCK,
                "no conversation with the borrower and no letter or message sent about this debt yet",
                wait_days=self.wait_days,
            ),
        )


class DisputePending(Rule):
    """A timely written dispute stops collection until verification is sent. 12 CFR 1006.38(d)(2)."""

    __slots__ = ()
    id: ClassVar[str] = "US.REGF.1006.38(d)(2)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.38(d)(2)"
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if not ctx.borrower.dispute_pending or ctx.action.purpose is Purpose.VERIFICATION:
            return _NONE
        return (self.finding(Severity.BLOCK, "dispute pending: send verification before collecting"),)


@dataclass(frozen=True, slots=True)
class ValidationPeriod(Rule):
    """During the validation period, collection must not overshadow the consumer's dispute rights
    (12 CFR 1006.38(b)); a suit, lawyer's letter, repossession or acceleration then needs review.

    The period runs from the notice until 30 days after assumed receipt, at least 5 days after the
    notice excluding Saturdays, Sundays and federal holidays (1006.34(b)(5)). Holidays are not
    modelled: add them with ``extra_days``.
    """

    id: ClassVar[str] = "US.REGF.1006.38(b)"
    binds: ClassVar[frozenset[Collector]] = REG_F_BINDS
    citation: ClassVar[str] = "12 CFR 1006.38(b); validation period per 1006.34(b)(5)"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset(
        {K.LAWSUIT, K.LEGAL_LETTER, K.REPOSSESSION, K.ACCELERATION}
    )
    effective_from: ClassVar[date | None] = REG_F_EFFECTIVE
    receipt_business_days: int = 5
    period_days: int = 30
    extra_days: int = 0

    def period_end(self, notice: date) -> date:
        """The last day of the validation period for a notice provided on ``notice``."""
        day, left = notice, self.receipt_business_days
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day + timedelta(days=self.period_days + self.extra_days)

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        notice = ctx.borrower.validation_notice_on
        if notice is None or ctx.day < notice:
            return _NONE
        end = self.period_end(notice)
        if ctx.day > end:
            return _NONE
        return (
            self.finding(
                Severity.REVIEW,
                f"validation period runs to {end.isoformat()}: must not overshadow the right to dispute",
                period_end=end,
            ),
        )


class TcpaConsent(Rule):
    """Autodialed or prerecorded calls and texts to a mobile number need the called party's prior
    express consent. 47 U.S.C. 227(b)(1)(A)(iii) (statute text as quoted in Breslow v. Wells Fargo,
    11th Cir. 2014 — secondary)."""

    __slots__ = ()
    id: ClassVar[str] = "US.TCPA.227(b)(1)(A)(iii)"
    citation: ClassVar[str] = (
        "47 U.S.C. 227(b)(1)(A)(iii) [statute as quoted in Breslow v. Wells Fargo (11th Cir. 2014)]"
    )
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CALL, K.SMS})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        a = ctx.action
        if not a.automated or not (a.to_cell or a.kind is K.SMS):
            return _NONE
        if a.target is Target.BORROWER and ctx.borrower.tcpa_consent:
            return _NONE
        return (
            self.finding(
                Severity.BLOCK, "automated call or text to a mobile number without prior express consent"
            ),
        )


class BankruptcyStay(Rule):
    """A bankruptcy petition stays every act to collect and to take the car. 11 U.S.C. 362(a)(1), (3), (6).

    Until the stay is lifted (relief, dismissal or discharge: ``bankruptcy_stay_lifted_on``)
    everything is blocked; afterwards repossession may proceed and other collection needs review
    (a discharge injunction bars collecting the debt personally).
    """

    __slots__ = ()
    id: ClassVar[str] = "US.BANKR.362(a)"
    citation: ClassVar[str] = "11 U.S.C. 362(a)(1), (3), (6) [statute text per reference note, P-ish]"

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        b = ctx.borrower
        filed = b.bankruptcy_filed_on
        if filed is None or ctx.day < filed:
            return _NONE
        lifted = b.bankruptcy_stay_lifted_on
        if lifted is None or ctx.day < lifted:
            retry = ctx.day_start(lifted) if lifted is not None and lifted > filed else None
            return (
                self.finding(
                    Severity.BLOCK, f"automatic stay since {filed.isoformat()}", retry, filed_on=filed
                ),
            )
        if ctx.action.kind is K.REPOSSESSION:
            return _NONE
        return (
            self.finding(
                Severity.REVIEW, "after the stay: check for a discharge before collecting personally"
            ),
        )


class ScraRepossession(Rule):
    """No repossession (or termination) without a court order of a vehicle bought before military
    service when a deposit or installment was paid before service began. 50 U.S.C. 3952(a)."""

    __slots__ = ()
    id: ClassVar[str] = "US.SCRA.3952"
    citation: ClassVar[str] = "50 U.S.C. 3952(a) [statute text per reference note, P-ish]"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.REPOSSESSION, K.ACCELERATION})

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        service = ctx.borrower.military_service
        if service is None or ctx.day < service[0] or ctx.action.court_order:
            return _NONE
        start = service[0]
        acct = ctx.account
        paid = None if acct is None else (acct.first_payment_on or acct.contract_date)
        if paid is None:
            return (
                self.finding(
                    Severity.REVIEW,
                    "servicemember: check whether a deposit or installment was paid before service began",
                    service_start=start,
                ),
            )
        if paid < start:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"servicemember since {start.isoformat()}, pre-service contract: court order required",
                    service_start=start,
                ),
            )
        return _NONE


@dataclass(frozen=True, slots=True)
class CreditReportAge(Rule):
    """Collection or charged-off accounts are not reported once more than 7 years old, counted from
    180 days after the delinquency began. FCRA 605(a)(4), (c)(1), 15 U.S.C. 1681c [secondary]."""

    id: ClassVar[str] = "US.FCRA.605(a)(4)"
    citation: ClassVar[str] = "15 U.S.C. 1681c(a)(4), (c)(1) [FCRA 605; text as quoted by secondary sources]"
    kinds: ClassVar[frozenset[ActionKind]] = frozenset({K.CREDIT_REPORT})
    years: int = 7
    delay_days: int = 180

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        acct = ctx.account
        if acct is None or acct.dofd is None:
            return _NONE
        last = add_months(acct.dofd + timedelta(days=self.delay_days), 12 * self.years)
        if ctx.day > last:
            return (
                self.finding(
                    Severity.BLOCK,
                    f"obsolete: more than {self.years} years after {self.delay_days} days from the first "
                    f"delinquency ({acct.dofd.isoformat()})",
                    years=self.years,
                    delay_days=self.delay_days,
                ),
            )
        return _NONE


CODE = "US"
PARENT: str | None = None
NAME = "United States (federal)"
#: No default zone: the country spans nine; give the borrower's zones or a state code.
ZONES: tuple[str, ...] = ()
NOT_ENCODED = ""


class StateNotGiven(Rule):
    """A borrower known only as ``US``: no state law was checked (a ``warn``, never a silent pass)."""

    __slots__ = ()
    id: ClassVar[str] = "US.coverage.state"
    citation: ClassVar[str] = "autoloan coverage note (not law): state acts apply on top of federal law"

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        if ctx.borrower.jurisdiction != "US":
            return _NONE
        return _STATE_WARNING


_STATE_WARNING = (
    Finding(
        StateNotGiven.id,
        StateNotGiven.citation,
        Severity.WARN,
        "federal rules only: give the borrower's state (US-CA, US-TX, ...) to check state law",
    ),
)

US_RULES: tuple[Rule, ...] = (
    InconvenientTime(),
    AttorneyRepresented(),
    Workplace(),
    CeaseCommunication(),
    CallFrequency(),
    MediumOptOut(),
    ElectronicOptOutNotice(),
    ThirdPartyLocation(),
    TimeBarredDebt(),
    FurnishingPrecondition(),
    DisputePending(),
    ValidationPeriod(),
    TcpaConsent(),
    BankruptcyStay(),
    ScraRepossession(),
    CreditReportAge(),
    StateNotGiven(),
)
RULES = US_RULES
