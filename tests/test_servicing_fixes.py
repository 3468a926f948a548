"""Servicing fixes for what new users tripped over (issue 10 #2, #4), each with the issue's exact input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from autoloan import InvalidInput, LoanTerms, amortize
from autoloan.servicing import (
    PRESETS,
    Keep,
    LateFeeRule,
    Payment,
    ServicingRules,
    Waterfall,
    account_status,
    prepay,
)

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
