"""Property tests for autoloan.compliance (hypothesis).

Properties from issue 6: adding history never turns a blocked frequency verdict into allowed; an
action re-checked at ``next_permitted`` passes the time and frequency rules; an allowed action's
``next_permitted`` is its own time; bad input raises only AutoloanError. Rules: 12 CFR 1006.6(b)(1)(i)
and 1006.14(b); 940 CMR 7.04(1)(f); China Banking Association 2026 guideline (hours, attempts).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from autoloan.compliance import (
    REGISTRY,
    Account,
    Action,
    ActionKind,
    Borrower,
    History,
    Severity,
    check,
    rules_for,
)
from autoloan.compliance.rules.cn import CollectionHours, UnansweredAttempts
from autoloan.compliance.rules.us import CallFrequency, InconvenientTime
from autoloan.compliance.rules.us_ma import MassachusettsFrequency
from autoloan.errors import AutoloanError

UTC = ZoneInfo("UTC")
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Asia/Shanghai"]
START = datetime(2026, 1, 1, tzinfo=UTC)
FREQUENCY_RULES = (CallFrequency(), MassachusettsFrequency(), UnansweredAttempts())
TIME_AND_FREQUENCY = (InconvenientTime(), CollectionHours(), *FREQUENCY_RULES)

# Minutes across a stretch that includes both 2026 US daylight-saving changes.
instants = st.integers(min_value=0, max_value=320 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
outcomes = st.sampled_from(["no_answer", "voicemail", "busy", "not_in_service", "conversation", None])
debts = st.sampled_from(["L1", "L2"])
places = st.sampled_from([None, "home", "work"])
persons = st.sampled_from([("borrower", None), ("third_party", "ref-1")])


@st.composite
def history_items(draw: st.DrawFn, around: datetime) -> Action:
    minutes = draw(st.integers(min_value=-40 * 24 * 60, max_value=0))
    target, contact = draw(persons)
    return Action(
        draw(st.sampled_from(["call", "call", "call", "sms"])),
        around + timedelta(minutes=minutes),
        debt_id=draw(debts),
        target=target,
        contact_id=contact,
        place=draw(places),
        outcome=draw(outcomes),
        initiated_by_borrower=draw(st.booleans()),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Action, list[Action], Borrower]:
    when = draw(instants)
    target, contact = draw(persons)
    action = Action("call", when, debt_id=draw(debts), target=target, contact_id=contact, place=draw(places))
    history = draw(st.lists(history_items(when), max_size=25))
    zones = tuple(draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=2, unique=True)))
    consent = draw(
        st.one_of(st.none(), st.integers(-10 * 24 * 60, 0).map(lambda m: when + timedelta(minutes=m)))
    )
    hours = draw(st.sampled_from([None, (time(7), time(22)), (time(9, 30), time(17))]))
    borrower = Borrower(
        draw(st.sampled_from(["US", "US-MA", "CN"])),
        timezones=zones,
        call_consent_at=consent,
        consented_hours=hours,
    )
    return action, history, borrower


@given(scenarios(), st.data())
def test_more_history_never_unblocks_a_frequency_verdict(
    scenario: tuple[Action, list[Action], Borrower], data: st.DataObject
) -> None:
    action, history, borrower = scenario
    before = check(action, history=history, borrower=borrower, rules=FREQUENCY_RULES)
    extra = data.draw(st.lists(history_items(action.at), min_size=1, max_size=10))
    after = check(action, history=history + extra, borrower=borrower, rules=FREQUENCY_RULES)
    if not before.allowed:
        assert not after.allowed
    if after.allowed:
        assert before.allowed


@given(scenarios())
def test_next_permitted_passes_time_and_frequency_rules(
    scenario: tuple[Action, list[Action], Borrower],
) -> None:
    action, history, borrower = scenario
    hist = History.from_actions(history)
    v = check(action, history=hist, borrower=borrower, rules=TIME_AND_FREQUENCY)
    if v.allowed:
        assert v.next_permitted == action.at
        return
    if v.next_permitted is None:
        # only possible when the zones' windows never overlap: no quarter-hour in 8 days passes
        times = (action.at + timedelta(minutes=15 * k) for k in range(8 * 96))
        window_rules = (InconvenientTime(), CollectionHours())
        assert not any(check(action.moved(t), borrower=borrower, rules=window_rules).allowed for t in times)
        return
    assert v.next_permitted > action.at
    again = check(action.moved(v.next_permitted), history=hist, borrower=borrower, rules=TIME_AND_FREQUENCY)
    assert again.allowed


@given(instants, st.lists(st.sampled_from(ZONES[:4]), min_size=1, max_size=3, unique=True))
def test_next_permitted_is_inside_the_window_in_every_zone(when: datetime, zones: list[str]) -> None:
    # 12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-2: convenient in every plausible zone.
    borrower = Borrower("US", timezones=tuple(zones))
    v = check(Action("call", when), borrower=borrower, rules=(InconvenientTime(),))
    assert v.next_permitted is not None
    for name in zones:
        local = v.next_permitted.astimezone(ZoneInfo(name)).time()
        assert time(8) <= local <= time(21)
    if not v.allowed:  # and it is the earliest such instant, to the minute
        earlier = v.next_permitted - timedelta(minutes=1)
        assert (
            earlier < when
            or not check(Action("call", earlier), borrower=borrower, rules=(InconvenientTime(),)).allowed
        )


@given(scenarios())
def test_full_packs_return_a_consistent_verdict(scenario: tuple[Action, list[Action], Borrower]) -> None:
    action, history, borrower = scenario
    v = check(action, history=history, borrower=borrower)
    assert v.allowed == (not v.blocking)
    assert all(f.rule_id in {r.rule_id for r in rules_for(borrower.jurisdiction)} for f in v.findings)
    if v.next_permitted is not None:
        assert v.next_permitted.utcoffset() is not None
        assert check(action.moved(v.next_permitted), history=history, borrower=borrower).allowed


KINDS = [k.value for k in ActionKind]
CODES = list(REGISTRY.codes)


@given(
    st.sampled_from(KINDS),
    instants,
    st.sampled_from(CODES),
    st.sampled_from([None, "creditor", "debt_collector", "repossession_agent"]),
    st.sampled_from(["borrower", "third_party", "attorney"]),
    st.sampled_from([None, "employer", "spouse", "emergency_contact"]),
    st.booleans(),
    st.lists(history_items(START + timedelta(days=160)), max_size=8),
)
def test_every_valid_action_gets_a_consistent_verdict(
    kind: str,
    when: datetime,
    code: str,
    collector: str | None,
    target: str,
    role: str | None,
    with_account: bool,
    history: list[Action],
) -> None:
    # Valid actions in every registered jurisdiction reach check(): allowed == no blocking finding,
    # house-policy findings are exactly those of rules not binding this collector.
    action = Action(kind, when, debt_id="L1", target=target, target_role=role, external_agency=with_account)
    borrower = Borrower(code, timezones=REGISTRY.pack(code).zones or ("America/New_York",))
    account = Account(default_on=date(2026, 1, 2), cure_notice_on=date(2026, 2, 1)) if with_account else None
    v = check(action, history=history, borrower=borrower, account=account, collector=collector)
    assert v.allowed == (not any(f.severity is Severity.BLOCK for f in v.findings))
    binds = {r.rule_id: r.binds for r in rules_for(code)}
    who = v.collector
    assert who is not None
    for f in v.findings:
        assert f.binding == (who in binds[f.rule_id])
    if v.allowed:
        assert v.next_permitted == action.at


@given(
    st.one_of(st.none(), st.integers(), st.text(max_size=5), st.just(datetime(2026, 1, 1))),
    st.one_of(st.text(max_size=12), st.integers(), st.none()),
    st.one_of(st.text(max_size=8), st.none(), st.integers()),
)
def test_bad_input_raises_only_autoloan_errors(at: object, kind: object, jurisdiction: object) -> None:
    try:
        action = Action(kind, at)  # type: ignore[arg-type]
        borrower = Borrower(jurisdiction, timezones=("UTC",))  # type: ignore[arg-type]
        check(action, borrower=borrower)
    except AutoloanError:
        pass


@given(scenarios(), st.sampled_from(["US-CA", "US-NY-NYC", "US-FL", "US-WV", "US-TX", "US-MA"]))
def test_the_role_changes_only_whether_a_finding_is_law(
    scenario: tuple[Action, list[Action], Borrower], code: str
) -> None:
    # With every rule's house_policy "as_written" (the default), who collects never changes what
    # is found or whether the action passes; it only marks findings of rules that do not bind the
    # collector as house policy (12 CFR 1006.2(i): Reg F binds debt collectors, not creditors).
    action, history, borrower = scenario
    b = Borrower(code, timezones=borrower.timezones)
    hist = History.from_actions(history)
    verdicts = {
        who: check(action, history=hist, borrower=b, collector=who)
        for who in ("creditor", "debt_collector", "repossession_agent")
    }
    seen = {who: [(f.rule_id, f.severity, f.message) for f in v.findings] for who, v in verdicts.items()}
    assert seen["creditor"] == seen["debt_collector"] == seen["repossession_agent"]
    assert len({v.allowed for v in verdicts.values()}) == 1
    assert all(f.binding for f in verdicts["debt_collector"].findings if not f.rule_id.startswith("US-MI"))
