"""Every jurisdiction's pack: registry invariants, the collector role, state rules at their
boundaries, China's 2025-2026 rules. Each scenario cites the text it checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from autoloan.compliance import (
    REGISTRY,
    Account,
    Action,
    Borrower,
    Collector,
    History,
    Registry,
    Rule,
    Severity,
    check,
    register_pack,
    rules_for,
    with_overrides,
)
from autoloan.compliance.registry import CoverageNote
from autoloan.compliance.rules import MODULES, register_builtin
from autoloan.errors import AutoloanError, InvalidAction, UnknownJurisdiction

NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
LA_ = ZoneInfo("America/Los_Angeles")
SH = ZoneInfo("Asia/Shanghai")

STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "PR",
    "GU",
    "VI",
    "AS",
    "MP",
]


def at(y: int, m: int, d: int, h: int = 10, mi: int = 0, tz: ZoneInfo = NY) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=tz)


def ids(v: object, severity: Severity = Severity.BLOCK) -> list[str]:
    return [f.rule_id for f in v.findings if f.severity is severity]  # type: ignore[attr-defined]


# --- registry invariants (as holidays' registry tests) ---------------------------------------------------


@pytest.mark.parametrize("code", REGISTRY.codes)
def test_pack_invariants(code: str) -> None:
    pack = REGISTRY.pack(code)
    all_ids = [r.rule_id for r in rules_for(code)]
    assert len(all_ids) == len(set(all_ids)), "rule ids are unique along the parent chain"
    for rule in pack.rules:
        assert rule.rule_id.startswith(code + "."), rule.rule_id
        assert rule.rule_citation.strip()
        assert type(rule).evaluate is not Rule.evaluate
        assert rule.problems() == []
        assert rule.binds <= frozenset(Collector) and rule.binds
    for name in pack.zones:
        ZoneInfo(name)
    if pack.parent:
        assert code.startswith(pack.parent + "-")
    if code.startswith("US-"):
        assert pack.zones, "every state has default zones"
        # a state pack is federal rules plus its own, and says what it does not encode
        assert any(isinstance(r, CoverageNote) for r in pack.rules) or code == "US"


def test_every_state_dc_territory_and_nyc_is_known() -> None:
    for st in STATES:
        assert f"US-{st}" in REGISTRY.codes
    assert REGISTRY.pack("US-NY-NYC").parent == "US-NY"
    assert len([c for c in REGISTRY.codes if c.startswith("US-")]) == len(STATES) + 1  # + NYC


def test_modules_and_registry_agree() -> None:
    fresh = Registry()
    register_builtin(fresh)
    assert fresh.codes == REGISTRY.codes
    for code in fresh.codes:
        assert [r.rule_id for r in fresh.rules_for(code)] == [r.rule_id for r in rules_for(code)]
    for module in MODULES:
        codes = [p[0] for p in module.PACKS] if hasattr(module, "PACKS") else [module.CODE]
        assert all(c in REGISTRY.codes for c in codes)


def test_unknown_codes_are_refused() -> None:
    for code in ("US-XX", "ZZ", "US-NY-ZZZ"):
        with pytest.raises(UnknownJurisdiction):
            check(Action("call", at(2026, 3, 2, 12)), borrower=Borrower(code, timezones=("UTC",)))
    with pytest.raises(UnknownJurisdiction):
        rules_for([[]])  # type: ignore[arg-type]


# --- user packs are validated like the built-in ones (every error, with its path) --------------------------


@dataclass(frozen=True, slots=True)
class NoId(Rule):
    def evaluate(self, ctx: object) -> tuple[()]:  # type: ignore[override]
        return ()


@dataclass(frozen=True, slots=True)
class NoEvaluate(Rule):
    id = "XB.no-evaluate"
    citation = "test"


@dataclass(frozen=True, slots=True)
class Good(Rule):
    id = "XB.good"
    citation = "Lender policy"
    max_calls: int = 3

    def evaluate(self, ctx: object) -> tuple[()]:  # type: ignore[override]
        return ()


def test_register_pack_collects_every_problem_with_paths() -> None:
    reg = Registry()
    with pytest.raises(InvalidAction) as err:
        reg.register("XB", (NoId(), NoEvaluate(), Good(), Good(), "x"), zones=("Mars/Base",))  # type: ignore[arg-type]
    fields = {e.field for e in err.value.errors}
    assert {"rules[0].id", "rules[0].citation", "rules[1].evaluate", "rules[3].id", "rules[4]"} <= fields
    assert "zones[0]" in fields and "XB" not in reg.codes
    with pytest.raises(InvalidAction, match="parent"):
        register_pack("ZZ", (), parent=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAction, match="must start with the pack code"):
        reg.register("XC", (Good(),))
    with pytest.raises(InvalidAction, match="max_calls"):
        Good(max_calls=-1)  # parameters are checked when the rule is built
    reg.register("XB", (Good(),), not_encoded="everything else")
    assert [r.rule_id for r in reg.rules_for("XB")] == ["XB.good", "XB.coverage"]


def test_typed_errors_at_the_call_that_receives_them() -> None:
    with pytest.raises(InvalidAction, match="third_parties_stopped"):
        Borrower("US-TX", third_parties_stopped=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAction, match=r"action\.at"):
        Action("call", datetime(1, 1, 1, tzinfo=ZoneInfo("UTC")))
    with pytest.raises(InvalidAction) as err:
        with_overrides(rules_for("US"), {"US.REGF.1006.6(b)(1)(i)": {"end": "20:00"}})
    assert err.value.path == ("overrides", "US.REGF.1006.6(b)(1)(i)", "end")
    with pytest.raises(InvalidAction) as err:
        with_overrides(rules_for("US"), {"US.REGF.1006.14(b)": {"max_calls": -1, "window_days": 0}})
    assert {e.path[-1] for e in err.value.errors} == {"max_calls", "window_days"}
    with pytest.raises(InvalidAction, match="house_policy"):
        with_overrides(rules_for("US"), {"*": {"house_policy": "sometimes"}})


# --- the collector role: law or house policy ------------------------------------------------------------


def _eight_calls() -> list[Action]:
    # 12 CFR 1006.14(b)(2): 7 calls within 7 consecutive days (comment 14(b)(2)(ii)-1.i calendar)
    h = [Action("call", at(2026, 4, 1, 10), debt_id="L1", outcome="voicemail")]
    h += [
        Action("call", at(2026, 4, d, hh), debt_id="L1", outcome="no_answer")
        for d in (2, 3, 6)
        for hh in (10, 14)
    ]
    return h


def test_reg_f_is_law_for_a_collector_and_house_policy_for_a_lender() -> None:
    tx = Borrower("US-TX")  # Texas: federal rules only in this library
    call = Action("call", at(2026, 4, 7, 10, tz=CHI), debt_id="L1")
    hist = History.from_actions(_eight_calls())
    v = check(call, history=hist, borrower=tx)  # default: a third-party debt collector
    reg_f = [f for f in v.findings if f.rule_id == "US.REGF.1006.14(b)"]
    assert not v.allowed and reg_f[0].binding and reg_f[0].basis == "law"
    v = check(call, history=hist, borrower=tx, collector="creditor")
    reg_f = [f for f in v.findings if f.rule_id == "US.REGF.1006.14(b)"]
    assert not v.allowed and not reg_f[0].binding and v.house_policy == tuple(reg_f)
    assert "house policy" in str(v)
    # the lender's own policy: Reg F findings are reviews, not blocks
    lenient = with_overrides(rules_for("US-TX"), {"*": {"house_policy": "review"}})
    v = check(call, history=hist, borrower=tx, collector="creditor", rules=lenient)
    assert v.allowed and v.needs_review
    off = with_overrides(rules_for("US-TX"), {"US.REGF.1006.14(b)": {"house_policy": "off"}})
    assert "US.REGF.1006.14(b)" not in [
        f.rule_id for f in check(call, history=hist, borrower=tx, collector="creditor", rules=off).findings
    ]
    # the role may come with the action; a repossession agent is not a Reg F debt collector for calls
    v = check(
        Action("call", call.at, debt_id="L1", collector="repossession_agent"), history=hist, borrower=tx
    )
    assert v.collector is Collector.REPOSSESSION_AGENT and not [
        f for f in v.findings if f.binding and f.blocks
    ]


def test_california_rosenthal_binds_lenders_too() -> None:
    # Cal. Civ. Code 1788.17 imports 15 U.S.C. 1692c(a)(1) (8:00-21:00) for every debt collector,
    # and 1788.2(c) makes a creditor collecting its own debt one.
    ca = Borrower("US-CA")
    early = Action("call", at(2026, 3, 2, 7, 30, tz=LA_), debt_id="L1")
    v = check(early, borrower=ca, collector="creditor")
    law = [f for f in v.blocking if f.binding]
    assert [f.rule_id for f in law] == ["US-CA.1788.17"]
    assert [f.rule_id for f in v.blocking if not f.binding] == ["US.REGF.1006.6(b)(1)(i)"]
    assert v.next_permitted == at(2026, 3, 2, 8, 0, tz=LA_)
    # Texas has no codified hours: the same call is blocked only by house policy (Reg F)
    tx = check(
        Action("call", at(2026, 3, 2, 7, 30, tz=CHI)), borrower=Borrower("US-TX"), collector="creditor"
    )
    assert tx.blocking and not any(f.binding for f in tx.blocking)


def test_federal_only_state_warns_what_is_not_encoded() -> None:
    v = check(Action("call", at(2026, 3, 2, 12, tz=CHI)), borrower=Borrower("US-TX"))
    assert v.allowed
    warn = [f for f in v.findings if f.rule_id == "US-TX.coverage"]
    assert warn and warn[0].severity is Severity.WARN and "392" in warn[0].message
    v = check(Action("call", at(2026, 3, 2, 12, tz=ZoneInfo("Pacific/Guam"))), borrower=Borrower("US-GU"))
    assert v.allowed and "US-GU.coverage" in ids(v, Severity.WARN)


# --- contact hours and frequency -----------------------------------------------------------------------


def test_florida_hours_bind_any_person_but_not_email() -> None:
    # Fla. Stat. 559.72(17): no communication 21:00-08:00; email excluded by CS/SB 232 (2025).
    fl = Borrower("US-FL", timezones=("America/New_York",))
    v = check(Action("sms", at(2026, 3, 2, 21, 30)), borrower=fl, collector="creditor")
    assert [f.rule_id for f in v.blocking if f.binding] == ["US-FL.559.72(17)"]
    v = check(Action("email", at(2026, 3, 2, 21, 30)), borrower=fl, collector="creditor")
    assert not [f for f in v.blocking if f.binding]


def test_nyc_shield_cap_starts_on_2026_09_01() -> None:
    # NYC DCWP SHIELD rule (6 RCNY 5-77 as amended): 3 attempts per 7 days, in force 2026-09-01.
    nyc = Borrower("US-NY-NYC")
    h = [Action("call", at(2026, 8, d, 11), debt_id="L1", outcome="no_answer") for d in (28, 29, 30)]
    before = check(Action("call", at(2026, 8, 31, 11), debt_id="L1"), history=h, borrower=nyc)
    assert before.allowed  # 2026-08-31: the rule is not yet in force
    v = check(Action("sms", at(2026, 9, 1, 11), debt_id="L1"), history=h, borrower=nyc)
    assert ids(v) == ["US-NY-NYC.6RCNY5-77.attempts"]  # the 4th attempt in 7 days
    assert v.next_permitted == at(2026, 9, 4, 8, 0)
    third = check(Action("email", at(2026, 9, 1, 11), debt_id="L1"), history=h[1:], borrower=nyc)
    assert third.allowed  # the 3rd attempt
    # a creditor doing routine servicing (no collection procedures) is outside the rule
    routine = Account(in_collection_procedures=False)
    v = check(
        Action("sms", at(2026, 9, 1, 11), debt_id="L1"),
        history=h,
        borrower=nyc,
        account=routine,
        collector="creditor",
    )
    assert "US-NY-NYC.6RCNY5-77.attempts" not in [f.rule_id for f in v.findings]


def test_west_virginia_call_volume_is_a_review() -> None:
    # W. Va. Code 46A-2-125(d): > 30 calls a week with intent to annoy (volume alone not enough).
    wv = Borrower("US-WV")
    h = [
        Action("call", at(2026, 5, 1 + i // 6, 9 + i % 6), debt_id=f"D{i}", outcome="no_answer")
        for i in range(30)
    ]
    v = check(Action("call", at(2026, 5, 6, 16), debt_id="D99"), history=h, borrower=wv, collector="creditor")
    assert "US-WV.46A-2-125(d).volume" in ids(v, Severity.REVIEW)
    v = check(Action("call", at(2026, 5, 6, 16), debt_id="D99"), history=h[1:], borrower=wv)
    assert "US-WV.46A-2-125(d).volume" not in ids(v, Severity.REVIEW)


# --- employer contact before judgment ------------------------------------------------------------------


def test_employer_contact_before_judgment() -> None:
    noon = at(2026, 3, 2, 12)
    boss = {"target": "third_party", "target_role": "employer", "contact_id": "acme"}
    for code, rid in (
        ("US-FL", "US-FL.559.72(4)"),
        ("US-NY", "US-NY.GBL601(4)"),
        ("US-MD", "US-MD.14-202(4)"),
    ):
        b = Borrower(code, timezones=("America/New_York",))
        v = check(Action("call", noon, **boss), borrower=b, collector="creditor")  # type: ignore[arg-type]
        assert rid in [f.rule_id for f in v.blocking if f.binding]
        after = Account(judgment_on=date(2026, 2, 1))
        v = check(Action("call", noon, **boss), borrower=b, account=after, collector="creditor")  # type: ignore[arg-type]
        assert rid not in ids(v)
    # Cal. Civ. Code 1788.12(a): verifying employment in writing is allowed; orally only after 15 days
    ca = Borrower("US-CA", timezones=("America/New_York",))
    verify = dict(boss, purpose="employment_verification")
    assert "US-CA.1788.12(a)" not in ids(check(Action("letter", noon, **verify), borrower=ca))  # type: ignore[arg-type]
    v = check(Action("call", noon, **verify), borrower=ca)  # type: ignore[arg-type]
    assert "US-CA.1788.12(a)" in ids(v, Severity.REVIEW)
    # Wis. Stat. 427.104(1)(d): verifying employment is allowed
    wi = Borrower("US-WI")
    assert "US-WI.427.104(1)(d)" not in ids(
        check(Action("call", at(2026, 3, 2, 12, tz=CHI), **verify), borrower=wi)
    )  # type: ignore[arg-type]
    # MCL 445.252(i) binds creditors; for a collection agency it is house policy
    mi = Borrower("US-MI")
    v = check(Action("call", noon, **boss), borrower=mi)  # type: ignore[arg-type]
    assert [f.binding for f in v.findings if f.rule_id == "US-MI.445.252(i)"] == [False]
    assert Borrower("US-MI", employer_contact_authorized=True).employer_contact_authorized


# --- right to cure ------------------------------------------------------------------------------------


def test_wisconsin_cure_day_15_vs_16() -> None:
    # Wis. Stat. 425.105(1): "until the expiration of 15 days after a notice is given": a notice on
    # May 1 runs May 2-16, so repossession is permitted from May 17.
    wi = Borrower("US-WI")
    acct = Account(cure_notice_on=date(2026, 5, 1))
    day15 = check(Action("repossession", at(2026, 5, 16, 23, 59, tz=CHI)), borrower=wi, account=acct)
    assert ids(day15) == ["US-WI.RTC.425.105"] and day15.next_permitted == at(2026, 5, 17, 0, 0, tz=CHI)
    assert check(Action("repossession", at(2026, 5, 17, 0, 0, tz=CHI)), borrower=wi, account=acct).allowed


def test_cure_repeat_limits_and_cosigners() -> None:
    repo = Action("repossession", at(2026, 5, 30, 12, tz=ZoneInfo("America/Denver")))
    # C.R.S. 5-5-111(2): no right to cure a default within 12 months of an earlier notice
    co = Borrower("US-CO")
    again = Account(prior_cure_notice_on=date(2025, 9, 1), default_on=date(2026, 5, 1))
    v = check(repo, borrower=co, account=again)
    assert v.allowed and "US-CO.RTC.5-5-111" in ids(v, Severity.WARN)
    # 5-5-110: the notice may be given only after 10 days in default
    early = Account(default_on=date(2026, 5, 1), cure_notice_on=date(2026, 5, 5))
    assert "US-CO.RTC.5-5-111" in ids(check(repo, borrower=co, account=early))
    # RSMo 408.554: the notice goes to every cosigner as well
    mo = Borrower("US-MO")
    repo_mo = Action("repossession", at(2026, 6, 30, 12, tz=CHI))
    one = Account(default_on=date(2026, 5, 1), cure_notice_on=date(2026, 5, 15), cosigners=1)
    assert "US-MO.RTC.408.555" in ids(check(repo_mo, borrower=mo, account=one))
    both = Account(
        default_on=date(2026, 5, 1),
        cure_notice_on=date(2026, 5, 15),
        cosigners=1,
        cure_notice_to_cosigners=True,
    )
    assert check(repo_mo, borrower=mo, account=both).allowed
    # S.C. Code 37-5-111(2): once notice was given, no further right to cure on the obligation
    sc = check(
        Action("repossession", at(2026, 6, 1)),
        borrower=Borrower("US-SC"),
        account=Account(prior_cure_notice_on=date(2024, 1, 1)),
    )
    assert sc.allowed and "US-SC.RTC.37-5-111" in ids(sc, Severity.WARN)


def test_dc_thirty_day_window_and_ten_day_notice() -> None:
    # D.C. Code 28-3812(b)(1): 30 days after a payment default; 16 DCMR 341: 10-day notice when the
    # default is missed payments at most 15 days past due.
    dc = Borrower("US-DC")
    acct = Account(default_on=date(2026, 5, 1))
    v = check(Action("repossession", at(2026, 5, 10)), borrower=dc, account=acct)
    assert set(ids(v)) == {"US-DC.28-3812(b)", "US-DC.16DCMR341.pre"}
    assert v.next_permitted == at(2026, 6, 1, 0, 0)
    assert check(Action("repossession", at(2026, 6, 1, 9)), borrower=dc, account=acct).allowed
    bank = Account(
        default_on=date(2026, 5, 1), direct_bank_loan=True, repossession_notice_on=date(2026, 5, 2)
    )
    assert ids(check(Action("repossession", at(2026, 5, 12)), borrower=dc, account=bank)) == []
    assert ids(check(Action("repossession", at(2026, 5, 11)), borrower=dc, account=bank)) == [
        "US-DC.16DCMR341.pre"
    ]


def test_louisiana_self_help_needs_two_missed_payments_and_notice() -> None:
    # La. R.S. 6:965-6:966(A)(2)
    la = Borrower("US-LA")
    repo = Action("repossession", at(2026, 5, 10, tz=CHI))
    assert "US-LA.6:966" in ids(check(repo, borrower=la, account=Account(missed_payments=1)))
    ok = Account(missed_payments=2, repossession_notice_on=date(2026, 5, 1))
    assert check(repo, borrower=la, account=ok).allowed


# --- after repossession ---------------------------------------------------------------------------------


def test_post_repossession_notices() -> None:
    taken = Account(repossessed_on=date(2026, 5, 1))
    # Cal. Fin. Code 22328: notice >= 15 days before the sale, within 60 days of repossession
    ca = Borrower("US-CA")
    noi = Action("notice_of_sale", at(2026, 5, 5, tz=LA_), sale_on=date(2026, 5, 19))
    assert ids(check(noi, borrower=ca, account=taken)) == ["US-CA.NOI.22328"]
    ok = Action("notice_of_sale", at(2026, 5, 5, tz=LA_), sale_on=date(2026, 5, 20))
    assert check(ok, borrower=ca, account=taken).allowed
    late = Action("notice_of_sale", at(2026, 7, 1, tz=LA_), sale_on=date(2026, 7, 20))
    assert "US-CA.NOI.22328" in ids(check(late, borrower=ca, account=taken), Severity.REVIEW)
    # N.Y. Pers. Prop. Law 316: within 72 hours
    ny = Borrower("US-NY")
    assert check(Action("redemption_notice", at(2026, 5, 3, 23, 59)), borrower=ny, account=taken).allowed
    v = check(Action("redemption_notice", at(2026, 5, 4, 0, 0)), borrower=ny, account=taken)
    assert "US-NY.PPL316" in ids(v, Severity.REVIEW)
    # O.C.G.A. 10-1-36: within 10 days; R.C. 1317.12: within 5 business days (May 1 is a Friday)
    assert check(Action("notice_of_sale", at(2026, 5, 11)), borrower=Borrower("US-GA"), account=taken).allowed
    v = check(Action("notice_of_sale", at(2026, 5, 12)), borrower=Borrower("US-GA"), account=taken)
    assert "US-GA.10-1-36" in ids(v, Severity.REVIEW)
    assert "US-OH.1317.12" not in ids(
        check(Action("redemption_notice", at(2026, 5, 8, 20)), borrower=Borrower("US-OH"), account=taken),
        Severity.REVIEW,
    )
    # without the repossession date the deadline cannot be checked
    assert "US-MD.12-624" in ids(
        check(Action("redemption_notice", at(2026, 5, 2)), borrower=Borrower("US-MD")), Severity.REVIEW
    )


def test_new_york_remote_disable_needs_prior_written_notice() -> None:
    # N.Y. Gen. Bus. Law 601(10)
    ny = Borrower("US-NY")
    kill = Action("remote_disable", at(2026, 5, 10))
    assert ids(check(kill, borrower=ny)) == ["US-NY.GBL601(10)"]
    assert check(kill, borrower=ny, account=Account(remote_disable_notice_on=date(2026, 4, 30))).allowed
    assert check(kill, borrower=Borrower("US-NJ")).allowed  # no such rule encoded for New Jersey


# --- China ----------------------------------------------------------------------------------------------

CN = Borrower("CN")


def test_cn_national_standard_three_connected_calls() -> None:
    # 2025 national standard: at most 3 connected calls a day per debtor (AI voice included).
    h = [Action("call", at(2026, 3, 2, 9 + i, tz=SH), outcome="conversation") for i in range(3)]
    v = check(Action("call", at(2026, 3, 2, 15, tz=SH)), history=h, borrower=CN)
    assert ids(v) == ["CN.GB2025.connected_calls"] and v.next_permitted == at(2026, 3, 3, 8, 0, tz=SH)
    assert check(Action("call", at(2026, 3, 2, 15, tz=SH)), history=h[:2], borrower=CN).allowed
    # dated rules: before 2025-02-28 the standard was not in force, nor the CBA guideline before 2026-01-30
    old = [Action("call", at(2025, 2, 27, 9 + i, tz=SH), outcome="conversation") for i in range(3)]
    v = check(Action("call", at(2025, 2, 27, 22, 30, tz=SH)), history=old, borrower=CN)
    assert v.allowed


def test_cn_debtor_only_and_contact_list() -> None:
    # 2025 national standard: collect only from the debtor; PIPL arts. 10, 13, 23: no 通讯录 use.
    noon = at(2026, 3, 2, 12, tz=SH)
    friend = {"target": "third_party", "target_role": "emergency_contact", "contact_id": "f1"}
    lost = Borrower("CN", debtor_unreachable=True)
    v = check(Action("call", noon, **friend), borrower=lost)  # type: ignore[arg-type]
    assert "CN.GB2025.debtor_only" in ids(v)  # collecting from a contact
    assert check(Action("call", noon, purpose="location", **friend), borrower=lost).allowed  # type: ignore[arg-type]
    v = check(Action("call", noon, purpose="location", from_contact_list=True, **friend), borrower=lost)  # type: ignore[arg-type]
    assert "CN.GB2025.debtor_only" in ids(v)


def test_cn_pipl_reviews_on_external_agencies() -> None:
    # PIPL art. 21 (written entrustment) and art. 23 (separate consent to share data).
    noon = at(2026, 3, 2, 12, tz=SH)
    agency = Action("call", noon, external_agency=True)
    v = check(agency, borrower=CN, account=Account())
    assert ids(v, Severity.REVIEW).count("CN.PIPL.21-23") == 2
    fine = check(
        agency, borrower=Borrower("CN", data_sharing_consent=True), account=Account(entrustment_on_file=True)
    )
    assert "CN.PIPL.21-23" not in ids(fine, Severity.REVIEW)


def test_cn_repossession_needs_surrender_ruling_or_lease_termination() -> None:
    # 民法典 art. 410, 752; 民事诉讼法 art. 207-208
    repo = Action("repossession", at(2026, 3, 2, 12, tz=SH))
    assert "CN.CivilCode.410-752" in ids(check(repo, borrower=CN), Severity.REVIEW)
    assert "CN.CivilCode.410-752" in ids(
        check(repo, borrower=CN, account=Account(voluntary_surrender=None)), Severity.REVIEW
    )
    no = Account(voluntary_surrender=False, court_ruling=False)
    assert ids(check(repo, borrower=CN, account=no)) == ["CN.CivilCode.410-752"]
    assert check(repo, borrower=CN, account=Account(voluntary_surrender=True)).allowed
    assert check(repo, borrower=CN, account=Account(court_ruling=True)).allowed
    lease = Account(
        agreement_type="lease", voluntary_surrender=False, court_ruling=False, lease_terminated=True
    )
    assert check(repo, borrower=CN, account=lease).allowed
    assert check(Action("repossession", repo.at, court_order=True), borrower=CN, account=no).allowed


def test_history_extended_equals_rebuilt() -> None:
    h = History.from_actions(_eight_calls())
    call = Action("call", at(2026, 4, 7, 16), debt_id="L1")
    check(call, history=h, borrower=Borrower("US-MA"))  # builds some indexes
    more = [Action("call", at(2026, 4, 7, 11), debt_id="L1", outcome="conversation")]
    grown, rebuilt = h.extended(more), History.from_actions([*h.items, *more])
    for b in (Borrower("US-MA"), Borrower("US-NY-NYC"), Borrower("US-WV")):
        assert check(call, history=grown, borrower=b) == check(call, history=rebuilt, borrower=b)
    assert len(h) == 7 and len(grown) == 8
    earlier = h.extended([Action("call", at(2026, 3, 1), debt_id="L1")])
    assert earlier.items[0].at == at(2026, 3, 1)


def test_time_at_the_calendar_edges_is_refused_or_answered() -> None:
    with pytest.raises(AutoloanError):
        Action("call", datetime(9999, 12, 31, 23, tzinfo=ZoneInfo("UTC")))
    v = check(Action("call", datetime(8998, 12, 31, 23, tzinfo=NY)), borrower=Borrower("US-NY"))
    assert not v.allowed and v.next_permitted is not None
    assert isinstance(v.next_permitted, datetime) and v.next_permitted.time() == time(8, 0)
    assert v.next_permitted - v.findings[0].retry_at == timedelta(0)  # type: ignore[operator]
