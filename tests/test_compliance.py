"""Scenario tests for autoloan.compliance, each citing the rule text it checks.

Reg F sources: 12 CFR part 1006 and its Official Interpretations (Supplement I), eCFR text in
the ``cfpb/reg-text`` repository (``ecfr/1006.txt``). The Official Interpretations' examples use
2020 dates; they are replayed on 2026 dates with the same weekdays (Reg F took effect 30 Nov 2021).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from autoloan.compliance import (
    REGISTRY,
    Account,
    Action,
    Borrower,
    History,
    Registry,
    Severity,
    check,
    register_pack,
    rules_for,
    rules_table,
    with_overrides,
)
from autoloan.compliance.rules.us import CallFrequency, InconvenientTime
from autoloan.errors import AutoloanError, InvalidAction, UnknownJurisdiction

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
DEN = ZoneInfo("America/Denver")
CHI = ZoneInfo("America/Chicago")
SH = ZoneInfo("Asia/Shanghai")
LON = ZoneInfo("Europe/London")
US_NY = Borrower("US", timezones=("America/New_York",))


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0, tz: ZoneInfo = NY) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=tz)


def call(when: datetime, outcome: str | None = None, debt: str = "L1", **kw: object) -> Action:
    return Action("call", when, debt_id=debt, outcome=outcome, **kw)  # type: ignore[arg-type]


def ids(v: object) -> list[str]:
    return [f.rule_id for f in v.blocking]  # type: ignore[attr-defined]


# --- 12 CFR 1006.6(b)(1)(i): inconvenient times -------------------------------------------------------


def test_0730_local_call_blocked_until_0800() -> None:
    # 12 CFR 1006.6(b)(1)(i): before 8:00 a.m. local time is inconvenient.
    v = check(call(at(2026, 3, 2, 7, 30)), history=[], borrower=US_NY)
    assert not v.allowed
    assert ids(v) == ["US.REGF.1006.6(b)(1)(i)"]
    assert v.next_permitted == at(2026, 3, 2, 8, 0)
    assert v.findings[0].params["start"] == time(8)


def test_2100_is_the_last_convenient_minute() -> None:
    # 1006.6(b)(1)(i): "after 9:00 p.m." is inconvenient, so 21:00:00 itself is not.
    assert check(call(at(2026, 3, 2, 21, 0)), borrower=US_NY).allowed
    v = check(call(at(2026, 3, 2, 21, 1)), borrower=US_NY)
    assert v.next_permitted == at(2026, 3, 3, 8, 0)


def test_every_plausible_zone_eastern_and_pacific() -> None:
    # Comment 6(b)(1)(i)-2: Eastern area code + Pacific address -> 11:00 a.m. to 9:00 p.m. Eastern.
    b = Borrower("US", timezones=("America/New_York", "America/Los_Angeles"))
    v = check(call(at(2026, 6, 2, 9, 0)), borrower=b)
    assert v.next_permitted == at(2026, 6, 2, 11, 0)
    assert check(call(at(2026, 6, 2, 11, 0)), borrower=b).allowed
    assert check(call(at(2026, 6, 2, 21, 0)), borrower=b).allowed
    assert not check(call(at(2026, 6, 2, 21, 30)), borrower=b).allowed


def test_every_plausible_zone_eastern_and_mountain() -> None:
    # Comment 6(b)(1)(i)-2: Eastern + Mountain -> 10:00 a.m. to 9:00 p.m. Eastern.
    b = Borrower("US", timezones=("America/New_York", "America/Denver"))
    assert check(call(at(2026, 6, 2, 9, 59)), borrower=b).next_permitted == at(2026, 6, 2, 10, 0)


def test_zones_with_no_common_window_give_none() -> None:
    # New York and Shanghai are 12 h apart in June: 20:00-21:00 ET is 08:00-09:00 in Shanghai.
    b = Borrower("US", timezones=("America/New_York", "Asia/Shanghai"))
    v = check(call(at(2026, 6, 2, 12, 0)), borrower=b)
    assert v.next_permitted is not None and check(call(v.next_permitted), borrower=b).allowed
    # UTC, UTC+8 and UTC-8: the three 08:00-21:00 windows have no instant in common.
    far = Borrower("US", timezones=("Etc/GMT", "Etc/GMT-8", "Etc/GMT+8"))
    v = check(call(at(2026, 6, 2, 12, 0)), borrower=far)
    assert not v.allowed and v.next_permitted is None


def test_dst_spring_forward_0730_is_still_too_early() -> None:
    # 8 March 2026: US clocks go from 02:00 EST to 03:00 EDT; 07:30 EDT is before 08:00.
    v = check(call(at(2026, 3, 8, 7, 30)), borrower=US_NY)
    assert not v.allowed
    assert v.next_permitted == at(2026, 3, 8, 8, 0)
    assert v.next_permitted.utcoffset() == timedelta(hours=-4)


def test_dst_fall_back_0730_is_still_too_early() -> None:
    # 1 November 2026: clocks go back; 07:30 EST is before 08:00 local.
    v = check(call(at(2026, 11, 1, 7, 30)), borrower=US_NY)
    assert v.next_permitted == at(2026, 11, 1, 8, 0)
    assert v.next_permitted.utcoffset() == timedelta(hours=-5)


def test_a_utc_timestamp_is_judged_in_the_borrower_zone() -> None:
    # 12:30 UTC is 07:30 in New York in winter (1006.6(b)(1)(i): local time at the consumer's location).
    v = check(call(datetime(2026, 1, 5, 12, 30, tzinfo=ZoneInfo("UTC"))), borrower=US_NY)
    assert not v.allowed
    assert v.next_permitted == datetime(2026, 1, 5, 13, 0, tzinfo=ZoneInfo("UTC"))


def test_sms_send_time_counts_and_consented_hours_replace_default() -> None:
    # Comment 6(b)(1)(i)-1: an electronic message occurs when sent; 1006.6(b)(4)(i): direct consent.
    assert not check(Action("sms", at(2026, 3, 2, 22, 0)), borrower=US_NY).allowed
    night_owl = Borrower("US", timezones=("America/New_York",), consented_hours=(time(7), time(23)))
    assert check(Action("sms", at(2026, 3, 2, 22, 0)), borrower=night_owl).allowed
    # letters are not timed contacts
    assert check(Action("letter", at(2026, 3, 2, 3, 0)), borrower=US_NY).allowed


# --- 12 CFR 1006.14(b): call frequency ----------------------------------------------------------------


def _april_history() -> list[Action]:
    # Comment 14(b)(2)(ii)-1.i: Wed April 1 call with a limited-content message; two unanswered
    # calls on each of Thu April 2, Fri April 3 and Mon April 6 (7 calls).
    h = [call(at(2026, 4, 1, 10), "voicemail")]
    h += [call(at(2026, 4, d, hh), "no_answer") for d in (2, 3, 6) for hh in (10, 14)]
    return h


def test_eighth_call_in_seven_days_is_blocked() -> None:
    # Comment 14(b)(2)(ii)-1.i: the call on Tue April 7 is the 8th within 7 days -> presumed violation.
    v = check(call(at(2026, 4, 7, 10)), history=_april_history(), borrower=US_NY)
    assert ids(v) == ["US.REGF.1006.14(b)"]
    assert v.findings[0].params["calls_in_window"] == 7
    # allowed again once the April 1 call leaves the window: Wednesday April 8
    assert v.next_permitted == at(2026, 4, 8, 8, 0)
    assert check(call(v.next_permitted), history=_april_history(), borrower=US_NY).allowed


def test_seven_calls_then_call_on_day_eight_is_compliant() -> None:
    # Comment 14(b)(2)(i)-1.i: 7 calls April 1-7, no more until Wed April 8 -> presumed compliance.
    h = [call(at(2026, 4, 1, 10), "voicemail")] + [call(at(2026, 4, d, 10), "no_answer") for d in range(2, 8)]
    assert not check(call(at(2026, 4, 7, 15)), history=h, borrower=US_NY).allowed
    assert check(call(at(2026, 4, 8, 10)), history=h, borrower=US_NY).allowed


def test_busy_and_not_in_service_do_not_count() -> None:
    # Comment 14(b)(3)(ii)-1: calls that do not connect (busy signal, not in service) are excluded.
    h = [call(at(2026, 4, 1, 9 + i), "busy") for i in range(6)]
    h += [call(at(2026, 4, 2, 9 + i), "not_in_service") for i in range(6)]
    assert check(call(at(2026, 4, 3, 10)), history=h, borrower=US_NY).allowed


def test_calls_are_counted_per_debt() -> None:
    # 1006.14(b)(4) and comment 14(b)(4)-2.i: 7 calls for each of several debts is compliant.
    h = _april_history()
    assert check(call(at(2026, 4, 7, 10), debt="L2"), history=h, borrower=US_NY).allowed


def test_call_three_days_after_a_conversation_is_blocked() -> None:
    # Comment 14(b)(2)(ii)-1.ii: conversation Fri Aug 14 -> no call before Fri Aug 21.
    h = [call(at(2026, 8, 11, 10), "no_answer"), call(at(2026, 8, 14, 10), "conversation")]
    v = check(call(at(2026, 8, 17, 10)), history=h, borrower=US_NY)
    assert ids(v) == ["US.REGF.1006.14(b)"]
    assert v.next_permitted == at(2026, 8, 21, 8, 0)
    assert not check(call(at(2026, 8, 20, 20, 59)), history=h, borrower=US_NY).allowed
    assert check(call(at(2026, 8, 21, 8, 0)), history=h, borrower=US_NY).allowed


def test_consumer_initiated_conversation_starts_the_seven_days() -> None:
    # Comment 14(b)(2)(i)-1.ii: consumer calls Thu Aug 13; no call from the collector before Thu Aug 20.
    h = [call(at(2026, 8, 13, 10), "conversation", initiated_by_borrower=True)]
    assert not check(call(at(2026, 8, 19, 10)), history=h, borrower=US_NY).allowed
    assert check(call(at(2026, 8, 20, 10)), history=h, borrower=US_NY).allowed


def test_calls_to_a_third_party_count_per_person() -> None:
    # Comment 14(b)(2)(i)-1.iii: up to 7 unanswered calls to a third party in 7 days is compliant.
    tp = {"target": "third_party", "contact_id": "ref-1"}
    h = [call(at(2026, 10, d, 10), "no_answer", **tp) for d in range(6, 13)]
    v = check(call(at(2026, 10, 12, 15), **tp), history=h, borrower=US_NY)
    assert "US.REGF.1006.14(b)" in ids(v)
    assert check(
        call(at(2026, 10, 12, 15)), history=h, borrower=US_NY
    ).allowed  # the borrower is another person


def test_prior_consent_excludes_calls_for_seven_days() -> None:
    # Comment 14(b)(3)(i)-3.iii: 3 calls June 1-3; consent by email Thu June 4; 8 calls June 8-10 are
    # excluded; calls on or after Thu June 11 count again.
    consent = Borrower("US", timezones=("America/New_York",), call_consent_at=at(2026, 6, 4, 9))
    h = [call(at(2026, 6, d, 10), "no_answer") for d in (1, 2, 3)]
    h += [call(at(2026, 6, 8 + i // 3, 9 + i), "no_answer") for i in range(8)]
    assert check(call(at(2026, 6, 10, 20)), history=h, borrower=consent).allowed
    assert check(call(at(2026, 6, 11, 10)), history=h, borrower=consent).allowed
    # without the consent, the same history is far over the limit
    assert not check(call(at(2026, 6, 10, 20)), history=h, borrower=US_NY).allowed


def test_consent_lets_the_collector_call_back_after_a_conversation() -> None:
    # Comment 14(b)(3)(i)-3.i: Fri April 3 conversation, "call back on Monday" -> Monday April 6 call is fine.
    # Comment 14(b)(3)(i)-3.ii: the Monday conversation ends the consent; a Wed April 8 call is a violation.
    consent = Borrower("US", timezones=("America/New_York",), call_consent_at=at(2026, 4, 3, 10, 5))
    h = [call(at(2026, 4, 3, 10), "conversation")]
    assert check(call(at(2026, 4, 6, 10)), history=h, borrower=consent).allowed
    h.append(call(at(2026, 4, 6, 10), "conversation"))
    v = check(call(at(2026, 4, 8, 10)), history=h, borrower=consent)
    assert not v.allowed
    assert v.next_permitted == at(2026, 4, 13, 8, 0)


def test_rapid_redial_and_concentration_are_review_flags() -> None:
    # Comment 14(b)(2)(i)-2.i: two calls within five minutes; seven calls in one day.
    h = [call(at(2026, 4, 1, 10, 0), "no_answer")]
    v = check(call(at(2026, 4, 1, 10, 3)), history=h, borrower=US_NY)
    assert v.allowed and v.needs_review
    h = [call(at(2026, 4, 1, 9 + i), "no_answer") for i in range(6)]
    v = check(call(at(2026, 4, 1, 16)), history=h, borrower=US_NY)
    assert v.allowed and any("concentrated" in f.message for f in v.findings)


def test_future_history_items_are_ignored() -> None:
    h = [call(at(2026, 4, 9, 10), "conversation")]
    assert check(call(at(2026, 4, 8, 10)), history=h, borrower=US_NY).allowed


# --- other Reg F rules ---------------------------------------------------------------------------------


def test_attorney_workplace_cease_and_opt_out() -> None:
    noon = at(2026, 3, 2, 12)
    # 1006.6(b)(2)
    b = Borrower("US", timezones=("America/New_York",), attorney_represented=True)
    assert ids(check(call(noon), borrower=b)) == ["US.REGF.1006.6(b)(2)"]
    assert check(call(noon, target="attorney"), borrower=b).allowed
    b2 = Borrower("US", timezones=("America/New_York",), attorney_represented=True, attorney_consents=True)
    assert check(call(noon), borrower=b2).allowed
    # 1006.6(b)(3)
    b = Borrower("US", timezones=("America/New_York",), employer_prohibits_contact=True)
    assert ids(check(call(noon, place="work"), borrower=b)) == ["US.REGF.1006.6(b)(3)"]
    assert check(call(noon, place="home"), borrower=b).allowed
    # 1006.6(c): after a written cease request only termination / remedy notices
    b = Borrower("US", timezones=("America/New_York",), cease_requested_on=date(2026, 3, 1))
    v = check(call(noon), borrower=b)
    assert ids(v) == ["US.REGF.1006.6(c)"] and v.next_permitted is None
    assert check(Action("letter", noon, purpose="remedy_notice"), borrower=b).allowed
    assert check(Action("letter", noon, purpose="termination_notice"), borrower=b).allowed
    assert check(call(at(2026, 2, 28, 12)), borrower=b).allowed
    # 1006.14(h): "stop calling" blocks calls, not letters
    b = Borrower("US", timezones=("America/New_York",), opted_out={"call"})
    assert ids(check(call(noon), borrower=b)) == ["US.REGF.1006.14(h)"]
    assert check(Action("letter", noon), borrower=b).allowed


def test_electronic_messages_carry_an_opt_out_warning() -> None:
    # 1006.6(e)
    v = check(Action("email", at(2026, 3, 2, 12)), borrower=US_NY)
    assert v.allowed and [(f.rule_id, f.severity) for f in v.findings] == [
        ("US.REGF.1006.6(e)", Severity.WARN),
        ("US.coverage.state", Severity.WARN),  # a bare "US" borrower: state law not checked
    ]


def test_third_party_location_contacts() -> None:
    # 1006.10(b)(2): never say a debt is owed; (c): once per person; (b)(5): not once an attorney is known.
    noon = at(2026, 3, 2, 12)
    tp = {"target": "third_party", "contact_id": "sister", "target_role": "relative"}
    v = check(Action("third_party_contact", noon, discloses_debt=True, **tp), borrower=US_NY)  # type: ignore[arg-type]
    assert ids(v) == ["US.REGF.1006.10"]
    first = Action("third_party_contact", at(2026, 3, 1, 12), outcome="conversation", **tp)  # type: ignore[arg-type]
    v = check(Action("third_party_contact", noon, **tp), history=[first], borrower=US_NY)  # type: ignore[arg-type]
    assert not v.allowed and v.next_permitted is None
    assert check(Action("third_party_contact", noon, **tp), borrower=US_NY).allowed  # type: ignore[arg-type]
    b = Borrower("US", timezones=("America/New_York",), attorney_represented=True)
    assert not check(Action("third_party_contact", noon, **tp), borrower=b).allowed  # type: ignore[arg-type]


def test_time_barred_debt_no_suit_or_threat() -> None:
    # 1006.26(b)
    b = Borrower("US", timezones=("America/New_York",), debt_time_barred=True)
    for kind in ("lawsuit", "legal_letter"):
        assert ids(check(Action(kind, at(2026, 3, 2, 12)), borrower=b)) == ["US.REGF.1006.26(b)"]
    assert check(Action("letter", at(2026, 3, 2, 12)), borrower=b).allowed


def test_no_credit_reporting_before_communicating() -> None:
    # 1006.30(a)(1); comment 30(a)(1)-2 (14 consecutive days from the mailing date) and the examples
    # of comment 30(a)(1)-3: mailed May 1, monitored May 1-14, furnished thereafter -> no violation;
    # a notice returned undeliverable -> a new letter (May 11) and a new period (May 11-24).
    report = Action("credit_report", at(2026, 5, 20, 12), debt_id="L1")
    v = check(report, borrower=US_NY)
    assert ids(v) == ["US.REGF.1006.30(a)"] and v.next_permitted is None
    letter = Action("letter", at(2026, 5, 1, 12), debt_id="L1", outcome="delivered")
    assert not check(report.moved(at(2026, 5, 14, 23, 59)), history=[letter], borrower=US_NY).allowed
    v = check(report.moved(at(2026, 5, 14, 12)), history=[letter], borrower=US_NY)
    assert v.next_permitted == at(2026, 5, 15, 0, 0)
    assert check(report.moved(at(2026, 5, 15, 0, 0)), history=[letter], borrower=US_NY).allowed
    bounced = Action("letter", at(2026, 5, 1, 12), debt_id="L1", outcome="undeliverable")
    assert not check(report, history=[bounced], borrower=US_NY).allowed
    again = Action("letter", at(2026, 5, 11, 12), debt_id="L1", outcome="delivered")
    v = check(report.moved(at(2026, 5, 20, 12)), history=[bounced, again], borrower=US_NY)
    assert v.next_permitted == at(2026, 5, 25, 0, 0)
    spoke = call(at(2026, 3, 19, 12), "conversation")
    assert check(report, history=[spoke], borrower=US_NY).allowed


def test_dispute_pending_stops_collection_except_verification() -> None:
    # 1006.38(d)(2)
    b = Borrower("US", timezones=("America/New_York",), dispute_pending=True)
    assert ids(check(call(at(2026, 3, 2, 12)), borrower=b)) == ["US.REGF.1006.38(d)(2)"]
    assert check(Action("letter", at(2026, 3, 2, 12), purpose="verification"), borrower=b).allowed


def test_tcpa_automated_calls_to_cell_need_consent() -> None:
    # 47 U.S.C. 227(b)(1)(A)(iii)
    noon = at(2026, 3, 2, 12)
    assert ids(check(call(noon, automated=True), borrower=US_NY)) == ["US.TCPA.227(b)(1)(A)(iii)"]
    assert check(call(noon, automated=True, to_cell=False), borrower=US_NY).allowed
    ok = Borrower("US", timezones=("America/New_York",), tcpa_consent=True)
    assert check(call(noon, automated=True), borrower=ok).allowed
    assert check(call(noon), borrower=US_NY).allowed


def test_bankruptcy_stay() -> None:
    # 11 U.S.C. 362(a): every act to collect or to obtain possession is stayed.
    b = Borrower("US", timezones=("America/New_York",), bankruptcy_filed_on=date(2026, 3, 1))
    for kind in ("call", "letter", "repossession", "lawsuit", "credit_report"):
        v = check(Action(kind, at(2026, 3, 2, 12)), borrower=b)
        assert "US.BANKR.362(a)" in ids(v) and v.next_permitted is None
    lifted = Borrower(
        "US",
        timezones=("America/New_York",),
        bankruptcy_filed_on=date(2026, 3, 1),
        bankruptcy_stay_lifted_on=date(2026, 4, 15),
    )
    v = check(Action("repossession", at(2026, 3, 2, 12)), borrower=lifted)
    assert v.next_permitted == at(2026, 4, 15, 0, 0)
    v = check(Action("call", at(2026, 4, 16, 12)), borrower=lifted)
    assert v.allowed and v.needs_review


def test_scra_repossession_needs_a_court_order() -> None:
    # 50 U.S.C. 3952(a): installment paid before service -> no repossession without a court order.
    b = Borrower("US", timezones=("America/New_York",), military_service=(date(2026, 1, 10), None))
    acct = Account(contract_date=date(2025, 6, 1), first_payment_on=date(2025, 7, 1))
    repo = Action("repossession", at(2026, 3, 2, 12))
    v = check(repo, borrower=b, account=acct)
    assert ids(v) == ["US.SCRA.3952"] and v.next_permitted is None
    assert check(
        Action("repossession", at(2026, 3, 2, 12), court_order=True), borrower=b, account=acct
    ).allowed
    later = Account(contract_date=date(2026, 2, 1), first_payment_on=date(2026, 3, 1))
    assert check(repo, borrower=b, account=later).allowed
    assert check(repo, borrower=b).needs_review


def test_fcra_seven_year_limit() -> None:
    # FCRA 605(a)(4), (c)(1): 7 years from the end of the 180 days after delinquency began.
    acct = Account(dofd=date(2018, 1, 1))  # 180 days -> 2018-06-30; + 7 years -> 2025-06-30
    assert not check(
        Action("credit_report", at(2025, 7, 1, 12), debt_id="L1"),
        borrower=US_NY,
        account=acct,
        history=[call(at(2018, 1, 5), "conversation")],
    ).allowed
    assert check(
        Action("credit_report", at(2025, 6, 30, 12), debt_id="L1"),
        borrower=US_NY,
        account=acct,
        history=[call(at(2018, 1, 5), "conversation")],
    ).allowed


# --- Massachusetts and right to cure ------------------------------------------------------------------

MA = Borrower("US-MA")


def test_massachusetts_two_calls_in_seven_days() -> None:
    # 940 CMR 7.04(1)(f); Armata v. Target, 480 Mass. 14 (2018): unanswered calls count.
    h = [call(at(2026, 5, 4), "no_answer"), call(at(2026, 5, 5), "voicemail")]
    v = check(call(at(2026, 5, 6)), history=h, borrower=MA)
    assert ids(v) == ["US-MA.940CMR7.04(1)(f)"]
    assert v.next_permitted == at(2026, 5, 11, 8, 0)  # May 4 leaves the 7-day window on May 11
    # texts count too; a busy signal ("truly unable to reach") does not
    assert not check(Action("sms", at(2026, 5, 6), debt_id="L1"), history=h, borrower=MA).allowed
    busy = [call(at(2026, 5, 4), "busy"), call(at(2026, 5, 5), "voicemail")]
    assert check(call(at(2026, 5, 6)), history=busy, borrower=MA).allowed
    # the federal rule alone would allow this call
    assert check(call(at(2026, 5, 6)), history=h, borrower=US_NY).allowed


def test_massachusetts_two_in_thirty_days_elsewhere() -> None:
    # 30-day clause for numbers other than residence/cell (209 CMR 18.16(1)(d) wording).
    h = [call(at(2026, 5, 1), "no_answer", place="work"), call(at(2026, 5, 12), "no_answer", place="work")]
    v = check(call(at(2026, 5, 20), place="work"), history=h, borrower=MA)
    assert v.next_permitted == at(2026, 5, 31, 8, 0)
    assert check(call(at(2026, 5, 20), place="home"), history=h, borrower=MA).allowed


@pytest.mark.parametrize(
    ("code", "tz", "days", "rule_id"),
    [
        ("US-WI", CHI, 15, "US-WI.RTC.425.105"),  # Wis. Stat. 425.105(1)
        ("US-IA", CHI, 20, "US-IA.RTC.537.5110"),  # Iowa Code 537.5110 [secondary]
        ("US-KS", CHI, 20, "US-KS.RTC.16a-5-111"),  # K.S.A. 16a-5-111
        ("US-MO", CHI, 20, "US-MO.RTC.408.555"),  # RSMo 408.555
        ("US-ME", NY, 14, "US-ME.RTC.5-110"),  # 9-A M.R.S. 5-110
        ("US-MA", NY, 21, "US-MA.RTC.255B.20A"),  # M.G.L. c.255B 20A [secondary]
    ],
)
def test_right_to_cure_waiting_periods(code: str, tz: ZoneInfo, days: int, rule_id: str) -> None:
    b = Borrower(code)
    notice = date(2026, 5, 1)
    free = notice + timedelta(days=days + 1)
    repo = Action("repossession", datetime(2026, 5, 2, 9, tzinfo=tz))
    v = check(repo, borrower=b)
    assert ids(v) == [rule_id] and v.next_permitted is None  # no notice given yet
    v = check(repo, borrower=b, account=Account(cure_notice_on=notice))
    assert v.next_permitted == datetime(free.year, free.month, free.day, tzinfo=tz)
    assert check(repo.moved(v.next_permitted), borrower=b, account=Account(cure_notice_on=notice)).allowed
    assert not check(
        Action("acceleration", datetime(free.year, free.month, free.day, tzinfo=tz) - timedelta(seconds=1)),
        borrower=b,
        account=Account(cure_notice_on=notice),
    ).allowed


def test_wisconsin_no_cure_right_after_two_cured_defaults_and_suit_is_covered() -> None:
    # Wis. Stat. 425.105(3): no right to cure after two cured defaults (with notice) in 12 months;
    # 425.105(1): the wait also applies to commencing an action.
    wi = Borrower("US-WI")
    v = check(
        Action("repossession", at(2026, 5, 2, tz=CHI)), borrower=wi, account=Account(cured_defaults_12m=2)
    )
    assert v.allowed and [f.severity for f in v.findings if f.rule_id == "US-WI.RTC.425.105"] == [
        Severity.WARN
    ]
    assert not check(Action("lawsuit", at(2026, 5, 2, tz=CHI)), borrower=wi).allowed
    assert check(Action("lawsuit", at(2026, 5, 2, tz=CHI)), borrower=Borrower("US-IA")).allowed


# --- GB -------------------------------------------------------------------------------------------------

GB = Borrower("GB")


def test_gb_default_notice_fourteen_days() -> None:
    # Consumer Credit Act 1974 s.87(1), s.88(2): remedy date not less than 14 days after service.
    repo = Action("repossession", at(2026, 5, 2, 12, tz=LON))
    v = check(repo, borrower=GB)
    assert "GB.CCA1974.s87-88" in ids(v) and v.next_permitted is None
    v = check(repo, borrower=GB, account=Account(default_notice_on=date(2026, 5, 1)))
    assert v.next_permitted == at(2026, 5, 16, 0, tz=LON)
    assert v.needs_review  # CONC 7.3.4R forbearance


def test_gb_protected_goods_one_third() -> None:
    # CCA 1974 s.90: one-third of the total price paid -> court order needed.
    served = date(2026, 1, 1)
    repo = Action("repossession", at(2026, 5, 2, 12, tz=LON))
    third = Account(
        agreement_type="hire_purchase", total_price="12000", paid_to_date="4000", default_notice_on=served
    )
    assert ids(check(repo, borrower=GB, account=third)) == ["GB.CCA1974.s90"]
    less = Account(
        agreement_type="hire_purchase", total_price="12000", paid_to_date="3999.99", default_notice_on=served
    )
    assert check(repo, borrower=GB, account=less).allowed
    # s.90(2): installation charge plus one-third of the rest
    inst = Account(
        agreement_type="conditional_sale",
        total_price="12300",
        installation_charge="300",
        paid_to_date="4299.99",
        default_notice_on=served,
    )
    assert check(repo, borrower=GB, account=inst).allowed
    loan = Account(agreement_type="loan", total_price="12000", paid_to_date="11000", default_notice_on=served)
    assert check(repo, borrower=GB, account=loan).allowed
    court = Action("repossession", at(2026, 5, 2, 12, tz=LON), court_order=True)
    assert check(court, borrower=GB, account=third).allowed


def test_gb_conc_findings_are_reviews() -> None:
    # CONC 7.9 (unreasonable times, lender policy window) and visits to vulnerable customers.
    v = check(call(at(2026, 5, 2, 7, tz=LON)), borrower=GB)
    assert v.allowed and v.needs_review
    vuln = Borrower("GB", vulnerable=True)
    v = check(Action("visit", at(2026, 5, 2, 12, tz=LON)), borrower=vuln)
    assert v.allowed and v.needs_review


# --- CN -------------------------------------------------------------------------------------------------

CN = Borrower("CN")


def test_cn_no_collection_2200_to_0800() -> None:
    # CBA 2026 guideline (summary): no collection from 22:00 to 08:00 without consent.
    assert check(call(at(2026, 3, 2, 21, 59, tz=SH)), borrower=CN).allowed
    v = check(call(at(2026, 3, 2, 22, 0, tz=SH)), borrower=CN)
    # the 2025 national standard and the 2026 CBA guideline each say so, as separate dated rules
    assert ids(v) == ["CN.GB2025.hours", "CN.CBA2026.hours"] and v.next_permitted == at(
        2026, 3, 3, 8, 0, tz=SH
    )
    assert not check(Action("visit", at(2026, 3, 3, 7, 0, tz=SH)), borrower=CN).allowed
    ok = Borrower("CN", consented_hours=(time(7), time(23)))
    assert check(call(at(2026, 3, 2, 22, 30, tz=SH)), borrower=ok).allowed


def test_cn_at_most_six_unanswered_attempts_a_day() -> None:
    # CBA 2026 guideline (summary): attempts to the same contact should not exceed 6 per day.
    h = [call(at(2026, 3, 2, 9 + i, tz=SH), "no_answer") for i in range(6)]
    v = check(call(at(2026, 3, 2, 16, tz=SH)), history=h, borrower=CN)
    assert ids(v) == ["CN.CBA2026.attempts"] and v.next_permitted == at(2026, 3, 3, 8, 0, tz=SH)
    other = call(at(2026, 3, 2, 16, tz=SH), target="third_party", target_role="spouse", contact_id="wife")
    assert check(other, history=h, borrower=CN).allowed


def test_cn_third_parties() -> None:
    # CBA 2026 guideline (summary): unrelated third parties only when the debtor is unreachable,
    # never with debt details, and stop when they ask.
    noon = at(2026, 3, 2, 12, tz=SH)
    friend = {
        "target": "third_party",
        "target_role": "emergency_contact",
        "contact_id": "f1",
        "purpose": "location",
    }
    assert not check(call(noon, **friend), borrower=CN).allowed
    lost = Borrower("CN", debtor_unreachable=True)
    assert check(call(noon, **friend), borrower=lost).allowed
    assert not check(call(noon, discloses_debt=True, **friend), borrower=lost).allowed
    stopped = Borrower("CN", debtor_unreachable=True, third_parties_stopped={"f1"})
    assert not check(call(noon, **friend), borrower=stopped).allowed
    spouse = {"target": "third_party", "target_role": "spouse", "contact_id": "s1"}
    assert check(call(noon, **spouse), borrower=CN).allowed


def test_cn_posting_visits_and_agencies() -> None:
    noon = at(2026, 3, 2, 12, tz=SH)
    assert not check(Action("legal_letter", noon, publicly_posted=True), borrower=CN).allowed
    assert check(Action("legal_letter", noon), borrower=CN).allowed
    assert not check(Action("visit", noon), borrower=CN).allowed  # one collector
    assert check(Action("visit", noon, collectors=2), borrower=CN).allowed
    assert not check(Action("visit", noon, collectors=2, id_shown=False), borrower=CN).allowed
    assert not check(Action("visit", noon, collectors=2, enters_premises=True), borrower=CN).allowed
    assert check(
        Action("visit", noon, collectors=2, enters_premises=True, consent_to_enter=True), borrower=CN
    ).allowed
    agency = call(noon, external_agency=True)
    assert check(agency, borrower=CN).needs_review
    assert not check(agency, borrower=CN, account=Account(agencies_disclosed=False)).allowed
    assert check(agency, borrower=CN, account=Account()).allowed


# --- registry, overrides, errors ------------------------------------------------------------------------


def test_unknown_jurisdiction_lists_known_ones() -> None:
    with pytest.raises(UnknownJurisdiction) as err:
        check(call(at(2026, 3, 2, 12)), borrower=Borrower("US-XX", timezones=("America/Los_Angeles",)))
    for code in ("US", "US-MA", "US-WI", "GB", "CN"):
        assert code in str(err.value)
    assert isinstance(err.value, ValueError)


def test_state_pack_is_composed_on_country_pack() -> None:
    us, ma = rules_for("US"), rules_for("us-ma")
    assert ma[: len(us)] == us and len(ma) == len(us) + 3  # two rules and the coverage note


def test_users_register_packs_and_stricter_policies() -> None:
    reg = Registry()
    reg.register("US", rules_for("US"))
    reg.register("US-CA", (), parent="US")
    assert reg.rules_for("US-CA") == rules_for("US")
    with pytest.raises(UnknownJurisdiction):
        reg.register("XX-1", (), parent="XX")
    strict = with_overrides(rules_for("US"), {"US.REGF.1006.6(b)(1)(i)": {"start": time(9)}})
    v = check(call(at(2026, 3, 2, 8, 30)), borrower=US_NY, rules=strict)
    assert v.next_permitted == at(2026, 3, 2, 9, 0)
    with pytest.raises(InvalidAction):
        with_overrides(rules_for("US"), {"nope": {}})
    with pytest.raises(InvalidAction):
        with_overrides(rules_for("US"), {"US.REGF.1006.14(b)": {"nope": 1}})
    # explicit rules bypass the registry
    assert check(call(at(2026, 3, 2, 7)), borrower=US_NY, rules=[CallFrequency()]).allowed


def test_register_pack_in_the_default_registry() -> None:
    @dataclass(frozen=True, slots=True)
    class LateStart(InconvenientTime):
        id = "US-ZZ.late-start"
        citation = "Lender policy P-9"

    register_pack("US-ZZ", (LateStart(start=time(10)),), parent="US", name="test state")
    try:
        v = check(call(at(2026, 3, 2, 9)), borrower=Borrower("US-ZZ", timezones=("America/New_York",)))
        assert v.next_permitted == at(2026, 3, 2, 10, 0)
    finally:
        REGISTRY.unregister("US-ZZ")
    assert "US-ZZ" not in REGISTRY.codes
    with pytest.raises(InvalidAction):
        REGISTRY.unregister("US")  # state packs are built on it


def test_bad_inputs_raise_typed_errors() -> None:
    with pytest.raises(InvalidAction, match=r"action\.at"):
        Action("call", datetime(2026, 3, 2, 7, 30))
    with pytest.raises(InvalidAction, match=r"action\.kind"):
        Action("fax", at(2026, 3, 2))
    with pytest.raises(InvalidAction, match=r"borrower\.timezones"):
        Borrower("US", timezones=("Nowhere/Land",))
    with pytest.raises(InvalidAction, match=r"borrower\.timezones"):
        check(call(at(2026, 3, 2)), borrower=Borrower("US"))
    with pytest.raises(InvalidAction, match=r"history\[0\]"):
        check(call(at(2026, 3, 2)), history=["call"], borrower=US_NY)  # type: ignore[list-item]
    with pytest.raises(AutoloanError):
        Account(total_price="-1")
    with pytest.raises(InvalidAction):
        Borrower("US", consented_hours=(time(22), time(7)))
    with pytest.raises(InvalidAction):
        Action("visit", at(2026, 3, 2), collectors=0)


def test_history_object_and_list_agree() -> None:
    h = _april_history()
    a = call(at(2026, 4, 7, 10))
    assert check(a, history=h, borrower=US_NY) == check(a, history=History.from_actions(h), borrower=US_NY)
    assert len(History.from_actions(reversed(h))) == len(h)


def test_verdict_to_dict_and_str() -> None:
    v = check(call(at(2026, 3, 2, 7, 30)), borrower=US_NY)
    data = v.to_dict()
    assert data["allowed"] is False and data["next_permitted"] == "2026-03-02T08:00:00-05:00"
    assert "US.REGF.1006.6(b)(1)(i)" in str(v) and "next permitted" in str(v)
    assert Decimal(Account(total_price="1.5").total_price or 0) == Decimal("1.5")


def test_docs_tables_match_registry() -> None:
    from pathlib import Path

    from autoloan.compliance import coverage_table
    from autoloan.compliance.registry import CoverageNote

    text = (Path(__file__).resolve().parent.parent / "docs" / "compliance.md").read_text(encoding="utf-8")
    for name, expected in (("rules-table", rules_table()), ("coverage-table", coverage_table())):
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        assert text[text.index(start) + len(start) : text.index(end)] == expected
    table = rules_table()
    for code in REGISTRY.codes:
        assert f"| {code} |" in coverage_table()
        for rule in REGISTRY.pack(code).rules:
            if not isinstance(rule, CoverageNote):
                assert f"`{rule.rule_id}`" in table


def test_cli_check_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    from autoloan.cli import main

    argv = ["check", "--action", "call", "--at", "2026-03-02T07:30-05:00", "--jurisdiction", "US"]
    assert main([*argv, "--tz", "America/New_York"]) == 1
    out = capsys.readouterr().out
    assert "BLOCKED" in out and "2026-03-02T08:00:00-05:00" in out
    assert main([*argv[:4], "2026-03-02T09:30-05:00", *argv[5:], "--tz", "America/New_York", "--json"]) == 0
    assert '"allowed": true' in capsys.readouterr().out
    assert (
        main(
            ["check", "--action", "call", "--at", "2026-03-02T07:30", "-j", "US", "--tz", "America/New_York"]
        )
        == 2
    )
    assert "timezone-aware" in capsys.readouterr().err
    assert main(["rules", "-j", "US-MA"]) == 0
    assert "US-MA.940CMR7.04(1)(f)" in capsys.readouterr().out


def test_reg_f_only_rules_start_on_its_effective_date() -> None:
    # Reg F took effect 30 Nov 2021; the 7-in-7 presumption (1006.14(b)) is new in Reg F, while the
    # 8:00-21:00 rule restates FDCPA 805(a)(1) and applies before it.
    h = [call(at(2021, 11, 22, 9 + i), "no_answer") for i in range(8)]
    assert check(call(at(2021, 11, 23, 10)), history=h, borrower=US_NY).allowed
    assert not check(call(at(2021, 11, 23, 7)), history=h, borrower=US_NY).allowed
    h = [call(at(2021, 12, 1, 9 + i), "no_answer") for i in range(8)]
    assert not check(call(at(2021, 12, 2, 10)), history=h, borrower=US_NY).allowed


def test_local_midnight_inside_a_dst_gap() -> None:
    # Cuba moves clocks from 00:00 to 01:00 on 8 March 2026: that local day starts at 01:00.
    from autoloan.compliance.rule import local_time

    havana = ZoneInfo("America/Havana")
    start = local_time(date(2026, 3, 8), time(0), havana)
    assert start == datetime(2026, 3, 8, 1, 0, tzinfo=havana)
    assert start.utcoffset() == timedelta(hours=-4)
    b = Borrower("US", timezones=("America/Havana",))
    h = [call(datetime(2026, 3, 7, 10, tzinfo=havana), "conversation")]
    v = check(call(datetime(2026, 3, 10, 10, tzinfo=havana)), history=h, borrower=b)
    assert v.next_permitted == datetime(2026, 3, 14, 8, 0, tzinfo=havana)


def test_validation_period_overshadowing_review() -> None:
    # 12 CFR 1006.38(b); 1006.34(b)(5): 30 days after receipt assumed 5 business days after the notice.
    # Notice Friday 2026-05-01 -> assumed receipt Friday 2026-05-08 -> period ends 2026-06-07.
    b = Borrower("US", timezones=("America/New_York",), validation_notice_on=date(2026, 5, 1))
    v = check(Action("legal_letter", at(2026, 6, 7, 12)), borrower=b)
    assert v.allowed and v.needs_review and v.findings[0].params["period_end"] == date(2026, 6, 7)
    assert not check(Action("legal_letter", at(2026, 6, 8, 12)), borrower=b).needs_review


def test_cli_collector_coverage_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from autoloan.cli import main

    argv = ["check", "--action", "call", "--at", "2026-03-02T07:30-06:00", "-j", "US-TX"]
    # Texas codifies no hours: for a lender the Reg F finding is house policy (as written: still blocks)
    assert main([*argv, "--collector", "creditor", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["collector"] == "creditor"
    assert {f["basis"] for f in doc["findings"] if f["severity"] == "block"} == {"house_policy"}
    assert main(["rules", "--coverage", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == set(REGISTRY.codes)
    assert main(["rules", "-j", "US-NY-NYC", "--format", "csv"]) == 0
    assert "US-NY-NYC.6RCNY5-77.attempts" in capsys.readouterr().out
    assert (
        main(["check", "--action", "call", "--at", "0001-01-01T00:00+00:00", "-j", "US", "--tz", "UTC"]) == 2
    )
    assert "action.at" in capsys.readouterr().err
