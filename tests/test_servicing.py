"""Servicing: worked examples from public sources, and the "money is never lost" properties (issue 4)."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from autoloan import InvalidInput, LoanTerms, amortize
from autoloan.servicing import (
    Component,
    InstallmentState,
    LateFeeRule,
    Materiality,
    Payment,
    PenaltyInterestRule,
    Scope,
    ServicingRules,
    Waterfall,
    account_status,
    defer,
    payoff_quote,
    prepay,
)

D = Decimal


def on_time(terms: LoanTerms, count: int | None = None) -> list[Payment]:
    sched = amortize(terms)
    rows = list(sched)[:count] if count is not None else list(sched)
    return [Payment(i.due_date, i.payment, reference=f"P{i.number}") for i in rows if i.payment > 0]


# -- worked examples ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "interest", "principal"),
    [
        (30, D("82.19"), D("294.81")),
        (25, D("68.49"), D("308.51")),
        # The page shows 95.90 = its rounded per diem 2.74 x 35; the exact 20000 x 5 % x 35 / 365 is 95.89.
        (35, D("95.89"), D("281.11")),
    ],
)
def test_simple_interest_daily_accrual_southeast_toyota_example(
    days: int, interest: Decimal, principal: Decimal
) -> None:
    """Southeast Toyota Finance, "Simple Interest Explanation" (https://setf.com/financial-tools/simple-interest):
    $20,000 at 5 % APR, $377 payment: per diem 20000 x 0.05 / 365 = $2.74; paid after 30 days the payment
    splits $82.19 interest / $294.81 principal, after 25 days (early) $68.49 / $308.51 — paying early saves
    interest, paying late costs more."""
    terms = LoanTerms(
        principal=20000, annual_rate="0.05", term=60, start=date(2026, 4, 1), method="simple_interest"
    )
    pay_day = terms.start + timedelta(days=days)
    st = account_status(terms, [Payment(pay_day, 377)], pay_day)
    (alloc,) = st.allocations
    assert (alloc.interest, alloc.principal) == (interest, principal)
    assert st.principal_balance == D(20000) - principal
    assert account_status(terms, [], terms.start).per_diem == D("2.74")


def test_simple_interest_payoff_accrues_per_diem() -> None:
    """Per diem x days since the last posting (setf.com: "multiply your per diem by the number of days")."""
    terms = LoanTerms(
        principal=20000, annual_rate="0.05", term=60, start=date(2026, 4, 1), method="simple_interest"
    )
    q = payoff_quote(terms, [], date(2026, 5, 1))
    assert (q.principal, q.accrued_interest, q.total) == (D("20000.00"), D("82.19"), D("20082.19"))
    assert q.rebate == 0  # by accrual: unearned interest is never charged


def test_rule_of_78_rebate_easycalculation_example() -> None:
    """easycalculation.com "Rule of 78" (https://www.easycalculation.com/finance/learn-rule-78-loan.php): a
    12-month contract with a $100 finance charge prepaid with 9 months unearned: refund =
    9 x 10 / (12 x 13) x 100 = $57.69. $1,000 at a 10 % add-on rate for a year carries exactly $100."""
    terms = LoanTerms(
        principal=1000, annual_rate="0.10", term=12, start=date(2026, 1, 1), method="rule_of_78"
    )
    sched = amortize(terms)
    assert sched.total_interest == D("100.00")
    paid = on_time(terms, 3)
    q = payoff_quote(terms, paid, sched[2].due_date)
    assert q.rebate == D("57.69")
    unpaid = sum((i.payment for i in sched[3:]), D(0))
    assert q.total == unpaid - D("57.69")
    assert q.total == q.principal + q.accrued_interest + q.fees + q.penalty - q.credits


def test_penalty_interest_cn_example() -> None:
    """罚息 = overdue amount x daily rate x (1 + 30%~50%) x days overdue (formula quoted with
    银发〔2003〕251号
    at https://aolonic.com/aa/4ddaa54k44dgga1gk1.html); unpaid interest bears 复利 at the penalty rate.
    A ¥100,000 one-year bullet loan at 4.35 % (interest ¥4,350) unpaid 30 days past maturity, +50 %,
    360-day year: principal 100000 x 0.0435 x 1.5 / 360 x 30 = 543.75; 复利 4350 x 0.0435 x 1.5 / 360 x 30
    = 23.653125; together 567.40."""
    terms = LoanTerms(
        principal=100000, annual_rate="0.0435", term=12, start=date(2026, 1, 1), method="bullet"
    )
    maturity = date(2027, 1, 1)
    as_of = maturity + timedelta(days=30)
    simple = ServicingRules(penalty=PenaltyInterestRule(markup="0.5", compound=False))
    assert account_status(terms, [], as_of, rules=simple).penalty_due == D("543.75")
    st = account_status(terms, [], as_of, rules=ServicingRules.cn_bank())
    assert st.penalty_due == D("567.40")
    assert st.days_past_due == 30
    assert st.amount_past_due == D("104350.00") + D("567.40")
    # 罚息 is paid first under the Chinese waterfall (罚息 -> 利息 -> 本金)
    st2 = account_status(terms, [Payment(as_of, 1000)], as_of, rules=ServicingRules.cn_bank())
    (alloc,) = st2.allocations
    assert (alloc.penalty, alloc.interest, alloc.principal) == (D("567.40"), D("432.60"), D(0))


def _ffiec_loan() -> LoanTerms:
    # a $300 installment: $3,600 over 12 months at 0 %
    return LoanTerms(principal=3600, annual_rate=0, term=12, start=date(2026, 1, 1))


def test_ffiec_aggregate_method_example() -> None:
    """FFIEC Uniform Retail Credit Classification Policy, partial payments (text quoted at
    https://bankersonline.com/forum/ubbthreads.php/topics/1700035/): "if a regular installment payment is
    $300 and the borrower makes payments of only $150 per month for a six-month period, the loan would be
    $900 ($150 shortage times six payments), or three full months past due." """
    terms = _ffiec_loan()
    dues = terms.due_dates()
    pays = [Payment(d, 150) for d in dues[:6]]
    st = account_status(
        terms, pays, dues[5] + timedelta(days=1), rules=ServicingRules(partial_payment="aggregate")
    )
    assert st.amount_past_due == D("900.00")
    assert st.installments_in_arrears == 3
    assert st.oldest_unpaid_due_date == dues[3]


def test_ffiec_ninety_percent_threshold_example() -> None:
    """Same policy: "A payment equivalent to 90 percent or more of the contractual payment may be considered
    a full payment in computing past due status." $270 = 90 % of $300 keeps the loan current under the
    threshold method; the aggregate method counts the $30 shortfalls. One method per loan."""
    terms = _ffiec_loan()
    dues = terms.due_dates()
    pays = [Payment(d, 270) for d in dues[:6]]
    as_of = dues[5] + timedelta(days=1)
    threshold = account_status(terms, pays, as_of, rules=ServicingRules(partial_payment="threshold"))
    assert (threshold.days_past_due, threshold.installments_in_arrears) == (0, 0)
    assert threshold.amount_past_due == D("180.00")  # the money owed is still reported honestly
    aggregate = account_status(terms, pays, as_of)
    assert aggregate.days_past_due == 1 and aggregate.installments_in_arrears == 1
    # 89 % is not enough
    short = [Payment(d, 267) for d in dues[:1]]
    st = account_status(
        terms, short, dues[0] + timedelta(days=5), rules=ServicingRules(partial_payment="threshold")
    )
    assert st.days_past_due == 5


def test_interest_first_waterfall_fineract_rbi_example() -> None:
    """apache/fineract RBIIndiaLoanRepaymentScheduleTransactionProcessor javadoc: two installments of 220
    (200 principal + 20 interest); a payment of 40 pays the 20 interest of each. The standard (horizontal)
    strategy pays installment 1's interest, then its principal."""
    terms = LoanTerms(principal=400, annual_rate="0.6", term=2, start=date(2026, 1, 1), method="flat")
    as_of = date(2026, 3, 10)
    pay = [Payment(as_of, 40)]
    rbi = account_status(terms, pay, as_of, rules=ServicingRules(waterfall="interest_first"))
    assert [i.remaining for i in rbi.installments] == [D("200.00"), D("200.00")]
    std = account_status(terms, pay, as_of, rules=ServicingRules(waterfall="fineract_standard"))
    assert [i.remaining for i in std.installments] == [D("180.00"), D("220.00")]


def test_late_fee_alabama_profile() -> None:
    """Ala. Code § 5-18-15.1: after 10 or more days delinquent, not more than the greater of $18 or 5 % of the
    scheduled payment in default (https://law.justia.com/codes/alabama/2018/title-5/chapter-18/section-5-18-15.1/).
    Assessed once per installment; not within the grace period."""
    terms = LoanTerms(principal=20000, annual_rate="0.06", term=36, start=date(2026, 1, 1))
    rules = ServicingRules(late_fee=LateFeeRule.alabama_small_loan())
    due = terms.due_dates()[0]
    inst = amortize(terms)[0].payment
    within = account_status(
        terms, [Payment(due + timedelta(days=10), inst)], due + timedelta(days=25), rules=rules
    )
    assert within.fees_due == 0 and within.installments[0].late_fee == 0
    late = account_status(terms, [], due + timedelta(days=11), rules=rules)
    expected = max(D(18), (inst * D("0.05")).quantize(D("0.01")))
    assert late.fees_due == expected == late.installments[0].late_fee
    later = account_status(terms, [], due + timedelta(days=60), rules=rules)
    assert [i.late_fee for i in later.installments[:3]] == [expected, expected, D(0)]  # once each
    # late fees are owed (fees_due) but are not arrears (issue 10: unpaid fees never make days past due)
    assert later.fees_due == 2 * expected and later.fees_past_due == 0


def test_overpayment_rules() -> None:
    """Fineract FutureInstallmentAllocationRule: NEXT_INSTALLMENT (paid ahead) vs LAST_INSTALLMENT
    (the term shortens)."""
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    sched = amortize(terms)
    big = [Payment(sched[0].due_date, sched[0].payment * 2)]
    ahead = account_status(terms, big, sched[1].due_date + timedelta(days=1))
    assert ahead.days_past_due == 0 and ahead.installments[1].state is InstallmentState.PAID
    reduce = ServicingRules(
        waterfall=Waterfall.preset("fineract_standard").replace(overpayment="reduce_principal")
    )
    shorter = account_status(terms, big, sched[1].due_date + timedelta(days=1), rules=reduce)
    assert shorter.days_past_due == 1  # a principal-only payment does not pay the next installment
    assert shorter.installments[-1].state is InstallmentState.PAID
    assert shorter.principal_balance < ahead.principal_balance


def test_reversal_undoes_payment_from_its_own_date() -> None:
    """NSF / chargeback: reverse and replay (Fineract FINERACT-1706: chargebacks move the overdue-since
    date)."""
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    first = amortize(terms)[0]
    pays = [Payment(first.due_date, first.payment, reference="A1")]
    nsf = Payment(first.due_date + timedelta(days=7), first.payment, reversal_of="A1")
    before = account_status(terms, [*pays, nsf], first.due_date + timedelta(days=6))
    after = account_status(terms, [nsf, *pays], first.due_date + timedelta(days=8))
    assert before.days_past_due == 0 and before.paid_to_date == first.payment
    assert after.days_past_due == 8 and after.paid_to_date == 0 and after.allocations == ()


def test_materiality_and_classification_grace() -> None:
    """Commission Delegated Regulation (EU) 2018/171 Art. 1(2): material only when both the absolute
    (<= EUR 100
    for retail) and the relative (1 %) components are exceeded. Classification grace is separate from DPD."""
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1), currency="EUR")
    first = amortize(terms)[0]
    short = [Payment(first.due_date, first.payment - 50)]  # EUR 50 short: below EUR 100
    as_of = first.due_date + timedelta(days=20)
    rules = ServicingRules(materiality=Materiality.eu_retail())
    st = account_status(terms, short, as_of, rules=rules)
    assert st.days_past_due == 20 and st.days_delinquent == 0
    unpaid = account_status(terms, [], as_of, rules=rules)
    assert unpaid.days_delinquent == 20
    graced = account_status(terms, [], as_of, rules=ServicingRules(classification_grace_days=15))
    assert (graced.days_past_due, graced.days_delinquent) == (20, 5)


def test_recency_view_is_separate() -> None:
    terms = _ffiec_loan()
    dues = terms.due_dates()
    st = account_status(terms, [Payment(dues[0], 300), Payment(dues[3], 300)], dues[3] + timedelta(days=4))
    assert st.days_since_qualifying_payment == 4
    # the contractual view still counts the missed installments: $600 paid pays #1 and #2 of the four due
    assert st.installments_in_arrears == 2 and st.oldest_unpaid_due_date == dues[2]
    assert st.days_past_due == (dues[3] - dues[2]).days + 4 == 34


def test_annuity_payoff_mid_period() -> None:
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    sched = amortize(terms)
    paid = on_time(terms, 2)
    on = sched[1].due_date + timedelta(days=15)  # half a 30/360 month
    q = payoff_quote(terms, paid, on, good_through_days=0)
    # the current installment's scheduled interest, earned pro rata (15 of 30 days), rounded half up
    expected_interest = (sched[2].interest / 2).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert q.principal == sched[1].balance
    assert q.accrued_interest == expected_interest
    assert q.total == q.principal + q.accrued_interest
    later = payoff_quote(terms, paid, on, good_through_days=5)
    assert later.good_through == on + timedelta(days=5) and later.total > q.total


def test_prepay_keep_payment_or_term() -> None:
    """提前还款: 缩短期限 (keep the payment) or 减少月供 (keep the term)."""
    terms = LoanTerms(
        principal=150000, annual_rate="0.0435", term=60, start=date(2026, 1, 15), currency="CNY"
    )
    sched = amortize(terms)
    paid = on_time(terms, 12)
    on = sched[11].due_date
    st = account_status(terms, paid, on)
    amount = D(50000)
    keep_term = prepay(terms, paid, on, amount, keep="term")
    keep_payment = prepay(terms, paid, on, amount, keep="payment")
    assert len(keep_term) == 48 and keep_term.total_principal == st.payoff_amount - amount
    assert keep_term[0].payment < sched[12].payment
    assert len(keep_payment) < 48 and keep_payment.level_payment <= sched.level_payment
    assert keep_payment.total_principal == st.payoff_amount - amount
    with pytest.raises(InvalidInput, match="amount"):
        prepay(terms, paid, on, st.payoff_amount)
    with pytest.raises(InvalidInput, match="keep"):
        prepay(terms, paid, on, amount, keep="both")


def test_defer_capitalize_and_accrue() -> None:
    """延期: the next installments move later, the term grows by the deferred periods."""
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 15))
    sched = amortize(terms)
    paid = on_time(terms, 3)
    on = sched[2].due_date
    cap = defer(terms, paid, on, 2, interest="capitalize")
    acc = defer(terms, paid, on, 2, interest="accrue")
    assert len(cap) == len(acc) == 11
    assert cap[0].payment == cap[1].payment == 0 and cap[-1].balance == 0
    assert cap[-1].due_date == date(2027, 3, 15)
    interest = sched[2].balance * D("0.06") / 12 * 2  # two 30/360 months of simple interest
    assert cap[1].balance == sched[2].balance + interest.quantize(D("0.01"))
    assert acc[2].interest > cap[2].interest - interest  # the deferred interest is due with the first payment
    assert sum((r.principal for r in cap), D(0)) == sched[2].balance
    assert sum((r.principal for r in acc), D(0)) == sched[2].balance


def test_bad_input_raises_typed_errors() -> None:
    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))
    day = date(2026, 3, 1)
    with pytest.raises(InvalidInput, match="payments"):
        account_status(terms, [("2026-02-01", 100)], day)  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="reference"):
        account_status(terms, [Payment(day, 1, reference="x"), Payment(day, 2, reference="x")], day)
    with pytest.raises(InvalidInput, match="reversal_of"):
        account_status(terms, [Payment(day, 1, reversal_of="nope")], day)
    with pytest.raises(InvalidInput, match="equal"):
        account_status(terms, [Payment(day, 1, reference="a"), Payment(day, 2, reversal_of="a")], day)
    with pytest.raises(InvalidInput, match="before the loan start"):
        account_status(terms, [Payment(date(2025, 12, 1), 1)], day)
    with pytest.raises(InvalidInput, match="decimals"):
        account_status(terms, [Payment(day, "1.001")], day)
    with pytest.raises(InvalidInput, match="as_of"):
        account_status(terms, [], "yesterday")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="rules"):
        account_status(terms, [], day, rules={"waterfall": "cn"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="terms"):
        account_status("loan", [], day)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match=r"payment\.amount"):
        Payment(day, -5)
    with pytest.raises(InvalidInput, match="waterfall"):
        ServicingRules(waterfall="unknown")
    with pytest.raises(InvalidInput, match="past_due must list every component"):
        Waterfall(steps=((Scope.PAST_DUE, Component.INTEREST),))
    with pytest.raises(InvalidInput, match="day_basis"):
        PenaltyInterestRule(day_basis=300)
    with pytest.raises(InvalidInput, match="maximum"):
        LateFeeRule(minimum=20, maximum=10)


# -- properties ----------------------------------------------------------------------------------------

METHODS = ["annuity", "equal_principal", "interest_only", "flat", "rule_of_78", "simple_interest", "bullet"]
RULES = [
    ServicingRules(),
    ServicingRules.cn_bank(),
    ServicingRules.us_simple_interest(LateFeeRule(grace_days=10, percent="0.05", minimum=10, maximum=50)),
    ServicingRules(waterfall="interest_first", partial_payment="threshold", materiality=Materiality()),
    ServicingRules(
        waterfall=Waterfall.preset("cn_bank").replace(overpayment="reduce_principal"),
        late_fee=LateFeeRule(grace_days=5, flat=15),
        penalty=PenaltyInterestRule(markup="0.3", day_basis=365),
    ),
]


@hs.composite
def loans(draw: hs.DrawFn) -> LoanTerms:
    method = draw(hs.sampled_from([*METHODS, "balloon"]))
    principal = draw(hs.integers(1000, 300000))
    start = date(2026, 1, 1) + timedelta(days=draw(hs.integers(0, 400)))
    term = draw(hs.integers(2 if method == "balloon" else 1, 48))
    odd = draw(hs.booleans()) and method not in ("rule_of_78", "flat", "bullet")
    return LoanTerms(
        principal=principal,
        annual_rate=D(draw(hs.integers(0, 2500))) / 10000,
        term=term,
        start=start,
        first_due=start + timedelta(days=draw(hs.integers(15, 50))) if odd else None,
        method=method,
        balloon=principal // 5 if method == "balloon" else 0,
        currency=draw(hs.sampled_from(["USD", "CNY", "JPY"])),
    )


@hs.composite
def histories(draw: hs.DrawFn) -> tuple[LoanTerms, list[Payment], date]:
    terms = draw(loans())
    sched = amortize(terms)
    level = sched[0].payment
    pays: list[Payment] = []
    for k in range(draw(hs.integers(0, 12))):
        offset = draw(hs.integers(0, 900))
        share = draw(hs.sampled_from([D("0.5"), D("0.9"), D(1), D(1), D("1.5"), D(3)]))
        amount = max((level * share).quantize(D(1) if terms.currency == "JPY" else D("0.01")), D(1))
        pays.append(Payment(terms.start + timedelta(days=offset), amount, reference=f"R{k}"))
    if pays and draw(hs.booleans()):
        victim = draw(hs.sampled_from(pays))
        pays.append(
            Payment(
                victim.date + timedelta(days=draw(hs.integers(0, 30))),
                victim.amount,
                reversal_of=victim.reference,
            )
        )
    as_of = terms.start + timedelta(days=draw(hs.integers(0, 1600)))
    return terms, pays, as_of


@settings(max_examples=150, deadline=None)
@given(histories(), hs.sampled_from(RULES), hs.randoms(use_true_random=False))
def test_money_is_never_lost(
    history: tuple[LoanTerms, list[Payment], date], rules: ServicingRules, rnd: random.Random
) -> None:
    """Every allocation adds up to the payments (net of reversals), to the cent; nothing goes negative;
    the same payments in a different order give the same status."""
    terms, pays, as_of = history
    st = account_status(terms, pays, as_of, rules=rules)
    allocs = st.allocations
    for a in allocs:
        assert a.penalty + a.fees + a.interest + a.principal + a.credit == a.amount
        assert min(a.penalty, a.fees, a.interest, a.principal, a.credit) >= 0
    counted = sum((a.amount for a in allocs), D(0))
    assert counted == st.paid_to_date
    reversed_refs = {p.reversal_of for p in pays if p.reversal_of and p.date <= as_of}
    expected = sum(
        (
            p.amount
            for p in pays
            if not p.reversal_of and p.date <= as_of and p.reference not in reversed_refs
        ),
        D(0),
    )
    assert counted == expected
    principal_paid = sum((a.principal for a in allocs), D(0))
    assert st.principal_balance == terms.note_amount - principal_paid
    for value in (
        st.principal_balance,
        st.accrued_interest,
        st.amount_past_due,
        st.fees_due,
        st.penalty_due,
        st.payoff_amount,
        st.credit_balance,
        st.next_due_amount,
    ):
        assert value >= 0
    assert (
        st.amount_past_due
        == st.principal_past_due + st.interest_past_due + st.fees_past_due + st.penalty_past_due
    )
    for inst in st.installments:
        assert (
            inst.remaining >= 0 and inst.paid >= 0 and inst.penalty_unpaid >= 0 and inst.late_fee_unpaid >= 0
        )
    shuffled = list(pays)
    rnd.shuffle(shuffled)
    again = account_status(terms, shuffled, as_of, rules=rules)
    assert again == st
    assert again.installments == st.installments


@settings(max_examples=80, deadline=None)
@given(loans(), hs.sampled_from(RULES))
def test_paying_on_time_keeps_dpd_zero_and_clears_the_loan(terms: LoanTerms, rules: ServicingRules) -> None:
    sched = amortize(terms)
    pays = on_time(terms)
    for inst in sched:
        for day in (inst.due_date, inst.due_date + timedelta(days=1)):
            st = account_status(terms, pays, day, rules=rules)
            assert (
                st.days_past_due == 0 and st.amount_past_due == 0 and st.fees_due == 0 and st.penalty_due == 0
            )
    final = account_status(terms, pays, sched[-1].due_date, rules=rules)
    assert final.principal_balance == 0 and final.payoff_amount == 0 and final.is_paid_off
    assert all(i.state is InstallmentState.PAID for i in final.installments)
    assert all(i.paid_on == i.due_date for i in final.installments if i.due > 0)


@settings(max_examples=80, deadline=None)
@given(histories(), hs.sampled_from(RULES), hs.integers(1, 400))
def test_dpd_never_decreases_without_new_payments(
    history: tuple[LoanTerms, list[Payment], date], rules: ServicingRules, gap: int
) -> None:
    terms, pays, as_of = history
    later = as_of + timedelta(days=gap)
    if any(as_of < p.date <= later for p in pays):
        pays = [p for p in pays if p.date <= as_of or p.date > later]
        pays = [p for p in pays if not p.reversal_of or any(q.reference == p.reversal_of for q in pays)]
    a = account_status(terms, pays, as_of, rules=rules)
    b = account_status(terms, pays, later, rules=rules)
    assert b.days_past_due >= a.days_past_due
    assert b.installments_in_arrears >= a.installments_in_arrears
    assert b.penalty_due >= a.penalty_due and b.fees_due >= a.fees_due


@settings(max_examples=60, deadline=None)
@given(
    histories(), hs.sampled_from([r for r in RULES if r.waterfall.processing.value == "installment_first"])
)
def test_bringing_the_account_current_gives_dpd_zero(
    history: tuple[LoanTerms, list[Payment], date], rules: ServicingRules
) -> None:
    """DPD is zero after the account is brought current (DESIGN.md testing list)."""
    # (not for interest-first: it pays the current interest before past-due principal, by design)
    terms, pays, as_of = history
    st = account_status(terms, pays, as_of, rules=rules)
    late_unpaid = sum((i.late_fee_unpaid for i in st.installments), D(0))
    if st.amount_past_due:
        # exactly the arrears and the unpaid late fees (not arrears themselves, but a fees-first waterfall
        # takes them first), nothing more
        cure = Payment(as_of, st.amount_past_due + late_unpaid)
        after = account_status(terms, [*pays, cure], as_of, rules=rules)
        assert after.days_past_due == 0 and after.amount_past_due == 0 and after.installments_in_arrears == 0


def test_preset_orders() -> None:
    cn = Waterfall.preset("cn_bank")
    assert [c.label_zh for c in cn.order("past_due")] == ["罚息", "费用", "利息", "本金"]
    us = Waterfall.preset("us_simple_interest")
    # issue 10: the installment's interest and principal before any fee (16 CFR 444.4(a))
    assert us.order(Scope.DUE) == (Component.INTEREST, Component.PRINCIPAL, Component.FEES, Component.PENALTY)
    assert us.processing.value == "component_first" and us.overpayment.value == "reduce_principal"


JUNK = hs.one_of(
    hs.none(),
    hs.booleans(),
    hs.integers(-(10**20), 10**20),
    hs.floats(allow_nan=True, allow_infinity=True),
    hs.text(max_size=6),
    hs.dates(),
    hs.lists(hs.integers(), max_size=2),
    hs.dictionaries(
        hs.sampled_from(["waterfall", "late_fee", "penalty", "threshold", "order", "markup", "x"]),
        hs.one_of(hs.none(), hs.integers(), hs.text(max_size=4), hs.lists(hs.text(max_size=3), max_size=2)),
        max_size=3,
    ),
)
_TERMS = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1))


@settings(max_examples=200, deadline=None)
@given(JUNK, JUNK, JUNK)
def test_arbitrary_bad_input_raises_only_autoloan_errors(a: object, b: object, c: object) -> None:
    """DESIGN.md: every public function raises only AutoloanError on arbitrary bad input, in bounded time."""
    from autoloan import AutoloanError
    from autoloan.servicing import rules_from_dict

    calls = [
        lambda: account_status(_TERMS, a, b),  # type: ignore[arg-type]
        lambda: account_status(_TERMS, [], date(2026, 5, 1), rules=a),  # type: ignore[arg-type]
        lambda: payoff_quote(_TERMS, [], a, good_through_days=b),  # type: ignore[arg-type]
        lambda: prepay(_TERMS, [], a, b, keep=c),  # type: ignore[arg-type]
        lambda: defer(_TERMS, [], a, b, interest=c),  # type: ignore[arg-type]
        lambda: Payment(a, b, reference=c),  # type: ignore[arg-type]
        lambda: LateFeeRule(a, b, c),  # type: ignore[arg-type]
        lambda: PenaltyInterestRule(a, b, c),  # type: ignore[arg-type]
        lambda: Materiality(a, b),  # type: ignore[arg-type]
        lambda: Waterfall(a, b, c),  # type: ignore[arg-type]
        lambda: ServicingRules(a, partial_payment=b, threshold=c),  # type: ignore[arg-type]
        lambda: rules_from_dict(a),
    ]
    for call in calls:
        with contextlib.suppress(AutoloanError):
            call()


@settings(max_examples=60, deadline=None)
@given(
    histories(),
    hs.integers(1, 5),
    hs.sampled_from(["capitalize", "accrue"]),
    hs.sampled_from(["payment", "term", "relevel"]),
)
def test_prepay_and_defer_keep_the_books(
    history: tuple[LoanTerms, list[Payment], date], periods: int, interest: str, keep: str
) -> None:
    """A prepayment re-amortizes exactly the principal left; a deferral keeps the whole balance and
    moves the remaining installments ``periods`` later."""
    terms, pays, on = history
    remaining = [d for d in terms.due_dates() if d > on]
    if not remaining:
        return
    st = account_status(terms, pays, on)
    if st.principal_balance == 0:
        return
    d = defer(terms, pays, on, periods, interest=interest)
    assert len(d) == periods + len(remaining) or d[-1].balance == 0
    assert sum((r.principal for r in d), D(0)) == st.principal_balance
    assert d[-1].balance == 0
    assert all(r.payment == 0 for r in d[:periods])
    owed = st.payoff_amount - st.principal_balance + st.principal_past_due
    amount = owed + (st.payoff_amount - owed) / 2
    amount = amount.quantize(D(1) if terms.currency == "JPY" else D("0.01"))
    if terms.method.value in ("interest_only", "bullet"):
        keep = "term"
    elif keep == "payment" and terms.method.value not in ("annuity", "simple_interest", "equal_principal"):
        keep = "relevel"  # precomputed interest and balloons cannot keep the payment exactly
    if max(owed, D(0)) < amount < st.payoff_amount:
        new = prepay(terms, pays, on, amount, keep=keep)
        assert new.total_principal == st.payoff_amount - amount
        assert len(new) <= len(remaining)


def test_calendar_edges() -> None:
    with pytest.raises(InvalidInput, match="good_through_days"):
        payoff_quote(_TERMS, [], date.max, good_through_days=5)
    assert account_status(_TERMS, [], date.max).days_past_due == (date.max - _TERMS.due_dates()[0]).days
    assert account_status(_TERMS, [], date.min).amount_past_due == 0


def test_no_pyramiding_of_late_fees() -> None:
    """NCLC's pyramiding example and 16 CFR 444.4(a) (https://www.customsmobile.com/regulations/
    title16_chapterI_part444_section444.4): January paid late draws one fee; February and March paid in
    full on time must not draw another, although the fees-first waterfall takes the January fee out of
    February's money. With ``pyramiding=True`` (for jurisdictions/contracts where it is the rule being
    audited) the cascade appears."""
    terms = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))  # $100 a month
    dues = terms.due_dates()
    pays = [Payment(dues[0] + timedelta(days=20), 100), Payment(dues[1], 100), Payment(dues[2], 100)]
    fee = LateFeeRule(grace_days=10, flat=5)
    fees_first = Waterfall.from_order(
        ["fees", "penalty", "interest", "principal"], overpayment="reduce_principal"
    )
    rules = ServicingRules(waterfall=fees_first, late_fee=fee)
    st = account_status(terms, pays, dues[3] - timedelta(days=1), rules=rules)
    assert [i.late_fee for i in st.installments[:3]] == [D(5), D(0), D(0)]
    assert st.fees_due == 0 and st.principal_past_due == D(5)  # $5 of principal is still owed ...
    assert st.days_past_due == 0  # ... but only because a late fee was taken out of installment money
    cascade = ServicingRules(
        waterfall=fees_first, late_fee=LateFeeRule(grace_days=10, flat=5, pyramiding=True)
    )
    st2 = account_status(terms, pays, dues[3] - timedelta(days=1), rules=cascade)
    assert [i.late_fee for i in st2.installments[:3]] == [D(5), D(5), D(5)]
    # a real shortfall (a missed payment) still draws a fee every month it stays unpaid
    missed = account_status(terms, pays[1:], dues[3] - timedelta(days=1), rules=rules)
    assert [i.late_fee for i in missed.installments[:3]] == [D(5), D(5), D(5)]


def test_short_payment_after_a_late_fee_still_draws_a_fee() -> None:
    """16 CFR 444.4 protects only a payment that is "otherwise a full payment for the applicable period";
    a $97 payment is not, even if late fees were paid earlier."""
    terms = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    dues = terms.due_dates()
    pays = [Payment(dues[0] + timedelta(days=20), 105), Payment(dues[1], 100), Payment(dues[2], 97)]
    rules = ServicingRules.us_simple_interest(LateFeeRule(grace_days=10, flat=5))
    st = account_status(terms, pays, dues[3] - timedelta(days=1), rules=rules)
    assert [i.late_fee for i in st.installments[:3]] == [D(5), D(0), D(5)]


def test_status_feeds_the_delinquency_classifiers() -> None:
    """Contract with issue 5: the delinquency helper reads AccountStatus by attribute name."""
    from autoloan.delinquency import classify_all

    terms = LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1), currency="EUR")
    st = account_status(terms, [], date(2026, 5, 20))
    for name in (
        "as_of",
        "days_past_due",
        "amount_past_due",
        "principal_balance",
        "oldest_unpaid_due_date",
        "installments_in_arrears",
    ):
        assert hasattr(st, name)
    views = classify_all(st)
    assert views.snapshot.days_past_due == st.days_past_due == 108
