"""Servicing fixes for what new users tripped over (issue 10 #2, #4), each with the issue's exact input;
linearity and fast-path equivalence of the posting engine (issue 12)."""

from __future__ import annotations

import sys
import types
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

import autoloan.servicing.ledger as ledger_module
from autoloan import InvalidInput, LoanTerms, amortize
from autoloan.servicing import (
    PRESETS,
    Keep,
    LateFeeRule,
    Materiality,
    Payment,
    PenaltyInterestRule,
    ServicingRules,
    Waterfall,
    account_status,
    prepay,
)
from autoloan.testing import loan_terms

D = Decimal

# -- issue 10 #2: late fees must not pyramid ----------------------------------------------------------------
# 16 CFR 444.4(a) (FTC Credit Practices Rule; text read at https://lexbuild.dev/ecfr/title-16/chapter-I/
# part-444/section-444.4, eCFR current 2026-04-05): "it is an unfair act or practice ... for a creditor,
# directly or indirectly, to levy or collect any deliquency charge on a payment, which payment is otherwise
# a full payment for the applicable period and is paid on its due date or within an applicable grace
# period, when the only delinquency is attributable to late fee(s) or delinquency charge(s) assessed on
# earlier installment(s)."

US_LOAN = LoanTerms(
    principal=20000, annual_rate="0.05", term=60, start=date(2026, 1, 1), method="simple_interest"
)
ISSUE_RULES = ServicingRules.us_simple_interest(late_fee=LateFeeRule(grace_days=10, flat=25))


def _late_then_on_time(terms: LoanTerms) -> tuple[list[Payment], list[date]]:
    sched = amortize(terms)
    dues = terms.due_dates()
    first = Payment(dues[0] + timedelta(days=15), sched[0].payment)  # after the 10-day grace: one fee
    return [first] + [Payment(i.due_date, i.payment) for i in list(sched)[1:8]], dues


def _checkpoints(dues: list[date]) -> list[date]:
    return [d + timedelta(days=k) for d in dues[1:8] for k in (0, 1, 11, 20)]


def test_issue_scenario_one_late_fee_never_makes_later_on_time_payments_delinquent() -> None:
    """Issue 10 #2, exactly: ``ServicingRules.us_simple_interest(late_fee=LateFeeRule(grace_days=10,
    flat=25))``, one late payment, then every payment in full and on time. The preset applies the
    installment's interest and principal before fees, so the $25 stays owed as a fee and the account is
    current at every checkpoint; no second fee is charged."""
    pays, dues = _late_then_on_time(US_LOAN)
    for as_of in _checkpoints(dues):
        st = account_status(US_LOAN, pays, as_of, rules=ISSUE_RULES)
        assert st.days_past_due == 0, as_of
        assert st.installments_in_arrears == 0 and st.days_delinquent == 0
        assert st.amount_past_due == 0 and st.fees_past_due == 0
        assert st.fees_due == D(25)  # the one late fee, still owed
        assert [i.late_fee for i in st.installments[:8]] == [D(25)] + [D(0)] * 7
    # the fee is collected as soon as a payment brings more than the installment
    extra = [*pays, Payment(dues[8], amortize(US_LOAN)[8].payment + 25)]
    st = account_status(US_LOAN, extra, dues[8], rules=ISSUE_RULES)
    assert st.fees_due == 0 and st.days_past_due == 0 and st.allocations[-1].fees == D(25)


FEES_FIRST = Waterfall.from_order(
    ["fees", "penalty", "interest", "principal"], overpayment="reduce_principal"
)


@pytest.mark.parametrize("waterfall", [*PRESETS.values(), FEES_FIRST], ids=lambda w: w.name)
@pytest.mark.parametrize("method", ["simple_interest", "annuity"])
def test_whatever_the_waterfall_unpaid_fees_alone_never_make_days_past_due(
    waterfall: Waterfall, method: str
) -> None:
    """Same payments under every waterfall: a fees-first order takes the $25 out of the next payment, which
    leaves principal short, but that shortfall is the late fee's doing, so days past due stay 0 and no
    further fee is charged (16 CFR 444.4(a))."""
    terms = US_LOAN.replace(method=method, day_count="ACT/365F" if method == "simple_interest" else "30/360")
    pays, dues = _late_then_on_time(terms)
    rules = ServicingRules(waterfall=waterfall, late_fee=LateFeeRule(grace_days=10, flat=25))
    for as_of in _checkpoints(dues):
        st = account_status(terms, pays, as_of, rules=rules)
        assert st.days_past_due == 0 and st.installments_in_arrears == 0, (as_of, waterfall.name)
        assert sum((i.late_fee for i in st.installments), D(0)) == D(25)
        # the money is never lost: $25 is owed, either as the fee or as installment money the fee took
        owed = sum((i.remaining for i in st.installments if i.due_date <= as_of), D(0))
        assert st.fees_due + owed == D(25), (as_of, waterfall.name)


def test_a_real_shortfall_is_still_past_due_under_any_waterfall() -> None:
    """The excuse covers only late fees taken out of installment money: a short payment is still short."""
    pays, dues = _late_then_on_time(US_LOAN)
    short = [*pays[:3], Payment(dues[3], amortize(US_LOAN)[3].payment - 30)]
    for waterfall in (*PRESETS.values(), FEES_FIRST):
        rules = ServicingRules(waterfall=waterfall, late_fee=LateFeeRule(grace_days=10, flat=25))
        st = account_status(US_LOAN, short, dues[3] + timedelta(days=5), rules=rules)
        assert st.days_past_due == 5, waterfall.name


def test_59_cent_shortfall_under_the_90_percent_rule_is_not_delinquent() -> None:
    """Issue 10 #2: a 59-cent shortfall on a 513.59 payment (99.9 %) under the 90 % rule (FFIEC Uniform
    Retail Credit Classification Policy: "A payment equivalent to 90 percent or more of the contractual
    payment may be considered a full payment in computing past due status") is not delinquent: no days
    past due, no days delinquent, no installments in arrears, and no late (delinquency) charge either.
    The aggregate method still counts the cents."""
    terms = LoanTerms(principal=D("6163.08"), annual_rate=0, term=12, start=date(2026, 1, 1))
    assert amortize(terms)[0].payment == D("513.59")
    dues = terms.due_dates()
    pays = [Payment(d, D("513.00")) for d in dues[:6]]
    fee = LateFeeRule(grace_days=10, flat=25)
    for wf in ("us_simple_interest", "fineract_standard", "cn_bank"):
        rules = ServicingRules(waterfall=wf, partial_payment="threshold", late_fee=fee)
        for as_of in (dues[0] + timedelta(days=12), dues[5] + timedelta(days=20)):
            st = account_status(terms, pays, as_of, rules=rules)
            assert (st.days_past_due, st.days_delinquent, st.installments_in_arrears) == (0, 0, 0)
            assert st.fees_due == 0
        assert st.amount_past_due == D("3.54")  # 6 x 0.59, reported honestly
    aggregate = account_status(terms, pays, dues[5] + timedelta(days=20))
    assert aggregate.days_past_due > 0 and aggregate.installments_in_arrears == 1


# -- issue 10 #4: prepay(keep="payment") keeps the instalment -----------------------------------------------


def _cn_loan() -> tuple[LoanTerms, list[Payment], date]:
    terms = LoanTerms(
        principal=140000, annual_rate="0.0435", term=36, start=date(2026, 1, 15), currency="CNY"
    )
    sched = amortize(terms)
    assert sched.level_payment == D("4155.19")
    return terms, [Payment(i.due_date, i.payment) for i in sched[:12]], sched[11].due_date


@pytest.mark.parametrize("keep", ["payment", "缩短期限", "月供不变", Keep.PAYMENT])
def test_prepay_keep_payment_keeps_the_instalment_and_shortens_the_term(keep: str) -> None:
    """Issue 10 #4: 140,000 CNY at 4.35 % over 36 months (4,155.19 a month), 12 paid, 50,000 prepaid on the
    12th due date. 缩短期限 keeps 4,155.19 and shortens the term, the last instalment smaller — it used to
    return 12 re-levelled payments of 3,868.32."""
    terms, paid, on = _cn_loan()
    new = prepay(terms, paid, on, 50000, keep=keep)
    assert all(i.payment == D("4155.19") for i in list(new)[:-1])
    assert len(new) == 12 and new[-1].payment == D("643.33") < D("4155.19")
    assert new[-1].balance == 0 and new.total_principal == D("45344.38")
    assert new.level_payment == D("4155.19")


def test_prepay_relevel_and_term_are_explicit_choices() -> None:
    terms, paid, on = _cn_loan()
    relevel = prepay(terms, paid, on, 50000, keep="relevel")
    assert len(relevel) == 12 and relevel[0].payment == D("3868.32")  # the old meaning, now by name
    for keep in ("term", "减少月供", "期限不变"):
        lower = prepay(terms, paid, on, 50000, keep=keep)
        assert len(lower) == 24 and lower[0].payment == D("1976.15")
    with pytest.raises(InvalidInput, match="缩短期限"):
        prepay(terms, paid, on, 50000, keep="both")


def test_prepay_keep_payment_other_methods() -> None:
    """Simple interest keeps the payment too; 等额本金 keeps its principal portion; flat cannot keep it
    exactly (precomputed interest) and says which choices it has."""
    si = US_LOAN
    sched = amortize(si)
    paid = [Payment(i.due_date, i.payment) for i in sched[:12]]
    new = prepay(si, paid, sched[11].due_date, 5000)
    assert all(i.payment == sched.level_payment for i in list(new)[:-1]) and new[-1].balance == 0
    ep = LoanTerms(
        principal=120000, annual_rate="0.05", term=36, start=date(2026, 1, 1), method="equal_principal"
    )
    es = amortize(ep)
    new = prepay(ep, [Payment(i.due_date, i.payment) for i in es[:12]], es[11].due_date, 30000)
    assert all(i.principal == es[0].principal for i in list(new)[:-1]) and new[-1].balance == 0
    flat = LoanTerms(principal=12000, annual_rate="0.05", term=12, start=date(2026, 1, 1), method="flat")
    with pytest.raises(InvalidInput, match="relevel"):
        prepay(flat, [], date(2026, 1, 1), 3000, keep="payment")
    assert len(prepay(flat, [], date(2026, 1, 1), 3000, keep="relevel")) < 12


# -- issue 12: errors with paths ----------------------------------------------------------------------------


def test_rules_from_dict_collects_every_error_with_its_full_path() -> None:
    from autoloan.servicing import rules_from_dict

    doc = {
        "late_fee": {"flatt": 25, "grace_days": -1},
        "waterfall": {"order": ["fees", "intrest"], "processing": 0.0},
        "threshold": "1.5",
        "penalty": {"markup": "2"},
        "extra": 1,
    }
    with pytest.raises(InvalidInput) as info:
        rules_from_dict(doc, "loan.rules")
    fields = sorted(e.field for e in info.value.errors)
    assert fields == sorted(
        [
            "loan.rules.extra",
            "loan.rules.late_fee.flatt",
            "loan.rules.late_fee.grace_days",
            "loan.rules.waterfall.order[1]",
            "loan.rules.waterfall.processing",
            "loan.rules.threshold",
            "loan.rules.penalty.markup",
        ]
    )
    assert "unexpected keyword" not in str(info.value)
    flatt = next(e for e in info.value.errors if e.field.endswith("flatt"))
    assert flatt.json_path == "$.loan.rules.late_fee.flatt"


def test_waterfall_from_order_refuses_a_number() -> None:
    with pytest.raises(InvalidInput, match=r"waterfall\.components"):
        Waterfall.from_order(0.0)  # type: ignore[arg-type]


# -- issue 12: every servicing rule linear in installments and payments -------------------------------------
# Counted, not timed: the number of Python lines the servicing code executes (sys.settrace) for a loan of n
# installments and for n × 4, and for 4 × the payments at fixed n. Per-installment amounts are kept the same
# (principal grows with n), so a payment reaches as many installments either way; linear means × 4 (a fixed
# part makes it less). The old engine counted × 7 to × 13 here (component-first walks of every past-due
# installment per payment, 罚息 settled on every installment at each materiality check, prepayment walks
# over installments already paid).

_WF = Waterfall.from_order
LINEAR_RULES = {
    "default": ServicingRules(),
    "materiality": ServicingRules(materiality=Materiality()),
    "late fee": ServicingRules(late_fee=LateFeeRule(grace_days=10, flat=25)),
    "us_simple_interest + late fee": ServicingRules.us_simple_interest(LateFeeRule(grace_days=10, flat=25)),
    "us_simple_interest + late fee + materiality": ServicingRules(
        waterfall="us_simple_interest",
        late_fee=LateFeeRule(grace_days=10, flat=25),
        materiality=Materiality(),
    ),
    "cn_bank (罚息)": ServicingRules.cn_bank(),
    "cn_bank (罚息) + materiality": ServicingRules(
        waterfall="cn_bank", penalty=PenaltyInterestRule(), materiality=Materiality()
    ),
    "interest_first + 罚息 + late fee + materiality": ServicingRules(
        waterfall="interest_first",
        penalty=PenaltyInterestRule(compound=False),
        late_fee=LateFeeRule(grace_days=3, flat=25),
        materiality=Materiality(),
    ),
    "reduce principal + late fee": ServicingRules(
        waterfall=_WF(["fees", "interest", "principal", "penalty"], overpayment="reduce_principal"),
        late_fee=LateFeeRule(grace_days=3, flat=25),
    ),
}


def _history(n: int, method: str, style: str, spread: int = 1) -> tuple[LoanTerms, list[Payment], date]:
    terms = LoanTerms(
        principal=2500 * n,
        annual_rate="0.0435",
        term=n,
        start=date(2026, 1, 15),
        currency="EUR",
        method=method,
    )
    sched = amortize(terms)
    if style == "arrears":  # a third paid (some late, some short), then 100 every other month
        pays = [
            (i.due_date + timedelta(days=15 * (k % 2)), i.payment - (D(50) if k % 3 == 0 else 0))
            for k, i in enumerate(sched[: n // 3])
        ]
        pays += [(i.due_date, D(100)) for i in sched[n // 3 : n : 2]]
    else:  # "prepay": 1.6 installments a month for the first half, then nothing
        pays = [
            (i.due_date - timedelta(days=3), (i.payment * D("1.6")).quantize(D("0.01")))
            for i in sched[: n // 2]
        ]
    # the same money in ``spread`` payments on consecutive days
    cent = D("0.01")
    history = [
        Payment(day + timedelta(days=j), (amount / spread).quantize(cent) + (cent if j == 0 else 0))
        for day, amount in pays
        for j in range(spread)
    ]
    return terms, history, sched[-1].due_date + timedelta(days=30)


def _lines(terms: LoanTerms, pays: list[Payment], as_of: date, rules: ServicingRules) -> int:
    account_status(
        terms, pays[:1], as_of, rules=rules
    )  # the schedule is built (and cached) outside the count
    count = 0

    def line(frame: types.FrameType, event: str, arg: object) -> object:
        nonlocal count
        if event == "line":
            count += 1
        return line

    def call(frame: types.FrameType, event: str, arg: object) -> object:
        return line if "autoloan" in frame.f_code.co_filename else None

    sys.settrace(call)
    try:
        account_status(terms, pays, as_of, rules=rules)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("name", LINEAR_RULES)
@pytest.mark.parametrize(
    ("method", "style"), [("annuity", "arrears"), ("simple_interest", "arrears"), ("annuity", "prepay")]
)
def test_every_rule_is_linear_in_installments_and_payments(name: str, method: str, style: str) -> None:
    rules = LINEAR_RULES[name]
    base = _lines(*_history(30, method, style), rules)
    more_installments = _lines(*_history(120, method, style), rules)
    more_payments = _lines(*_history(30, method, style, spread=4), rules)
    assert more_installments <= 4.4 * base, (name, base, more_installments)
    assert more_payments <= 4.4 * base, (name, base, more_payments)


# -- issue 12: the fast paths give what the general engine gives ---------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    terms=loan_terms(max_term=48),
    shares=hs.lists(hs.sampled_from(["0.3", "0.9", "1", "1", "1", "1.6", "3"]), max_size=16),
    late=hs.lists(hs.integers(-15, 40), min_size=16, max_size=16),
    as_of_days=hs.integers(0, 2000),
    threshold=hs.booleans(),
)
def test_plain_accounts_read_from_running_totals_match_the_general_engine(
    terms: LoanTerms, shares: list[str], late: list[int], as_of_days: int, threshold: bool
) -> None:
    """With no charge arising over time, a payment history's status is read from the schedule's running
    totals; a late fee of nothing sends the same account through the general engine, which must agree."""
    sched = amortize(terms)
    cent = D(1).scaleb(-2 if terms.currency != "JPY" else 0)
    pays = [
        Payment(
            max(sched[k % len(sched)].due_date + timedelta(days=late[k]), terms.start),
            max((sched.level_payment * D(s)).quantize(cent), cent),
            reference=f"P{k}",
        )
        for k, s in enumerate(shares)
    ]
    as_of = terms.start + timedelta(days=as_of_days)
    partial = "threshold" if threshold else "aggregate"
    fast = account_status(terms, pays, as_of, rules=ServicingRules(partial_payment=partial))
    general = account_status(
        terms, pays, as_of, rules=ServicingRules(partial_payment=partial, late_fee=LateFeeRule(flat=0))
    )
    assert fast == general
    assert fast.installments == general.installments
    assert fast.allocations == general.allocations


@settings(max_examples=60, deadline=None)
@given(
    principal=hs.integers(1000, 200000),
    rate=hs.sampled_from(["0.0435", "0.12", "0.24"]),
    term=hs.integers(3, 36),
    method=hs.sampled_from(["annuity", "equal_principal", "simple_interest"]),
    shares=hs.lists(hs.sampled_from(["0.3", "0.9", "1", "1", "1", "1.02", "1.6"]), max_size=12),
    late=hs.lists(hs.integers(-5, 90), min_size=12, max_size=12),
    as_of_days=hs.integers(0, 1200),
    limits=hs.sampled_from([(0, "0"), (1, "0.001"), (100, "0.01"), (5, "0.05")]),
    compound=hs.booleans(),
    waterfall=hs.sampled_from(["cn_bank", "interest_first", "us_simple_interest"]),
)
def test_materiality_with_penalty_interest_decides_as_if_every_installment_were_settled(
    principal: int,
    rate: str,
    term: int,
    method: str,
    shares: list[str],
    late: list[int],
    as_of_days: int,
    limits: tuple[int, str],
    compound: bool,
    waterfall: str,
) -> None:
    """Materiality with 罚息 is decided from bounds on the unsettled 罚息 when both ends agree; settling
    every installment at every check (the bounds made useless) must give the same status."""
    terms = LoanTerms(
        principal=principal, annual_rate=rate, term=term, start=date(2026, 1, 31), method=method
    )
    sched = amortize(terms)
    cent = D("0.01")
    pays = [
        Payment(
            max(sched[k % len(sched)].due_date + timedelta(days=late[k]), terms.start),
            max((sched[k % len(sched)].payment * D(s)).quantize(cent), cent),
        )
        for k, s in enumerate(shares)
    ]
    as_of = terms.start + timedelta(days=as_of_days)
    rules = ServicingRules(
        waterfall=waterfall,
        penalty=PenaltyInterestRule(compound=compound),
        late_fee=LateFeeRule(grace_days=5, flat=10),
        materiality=Materiality(*limits),
    )
    bounded = account_status(terms, pays, as_of, rules=rules)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vars(ledger_module)["_Ledger"], "unsettled_penalty", lambda self: (-(10**40), 10**40))
        settled = account_status(terms, pays, as_of, rules=rules)
    assert bounded == settled
    assert bounded.installments == settled.installments


@settings(max_examples=80, deadline=None)
@given(
    term=hs.integers(3, 24),
    paid=hs.integers(0, 3),
    behind=hs.integers(1, 3),
    extra=hs.sampled_from(["0", "0.01", "0.05", "0.2", "0.5", "1", "2", "5", "20"]),
    as_of_days=hs.integers(0, 200),
    compound=hs.booleans(),
    method=hs.sampled_from(["annuity", "simple_interest"]),
)
def test_materiality_decided_exactly_when_unsettled_penalty_tips_the_arrears_over_the_limit(
    term: int, paid: int, behind: int, extra: str, as_of_days: int, compound: bool, method: str
) -> None:
    """The absolute limit just above ``behind`` missed installments: 罚息 accrued since the last settlement
    is what makes the arrears material, so a check on stale 罚息 would start the material run late."""
    terms = LoanTerms(principal=2400, annual_rate="0.24", term=term, start=date(2026, 1, 31), method=method)
    sched = amortize(terms)
    paid = min(paid, term - 1)
    pays = [Payment(i.due_date, i.payment) for i in sched[:paid]]
    limit = sum((i.payment for i in sched[paid : paid + behind]), D(0)) + D(extra)
    rules = ServicingRules(
        waterfall="us_simple_interest",
        penalty=PenaltyInterestRule(compound=compound, markup="1"),
        materiality=Materiality(limit, 0),
    )
    as_of = sched[paid].due_date + timedelta(days=as_of_days)
    bounded = account_status(terms, pays, as_of, rules=rules)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vars(ledger_module)["_Ledger"], "unsettled_penalty", lambda self: (-(10**40), 10**40))
        settled = account_status(terms, pays, as_of, rules=rules)
    assert bounded == settled
