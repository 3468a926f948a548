"""Property tests for autoloan.delinquency: buckets, classifiers, timelines and portfolio analytics."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from autoloan.delinquency import (
    Bucket,
    BucketScheme,
    ChinaRules,
    FfiecRules,
    Ifrs9Rules,
    advance,
    classify_all,
    classify_basel,
    classify_china,
    classify_ffiec,
    classify_ifrs9,
    classify_metro2,
    classify_timeline,
    transition_matrix,
)
from autoloan.delinquency.classification import FiveTier
from autoloan.errors import AutoloanError

days = st.integers(min_value=0, max_value=2000)
flags = st.booleans()


@st.composite
def schemes(draw: st.DrawFn) -> BucketScheme:
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=500), max_size=10)))
    lows = [0, *cuts]
    buckets = [
        Bucket(f"b{i}", lo, (lows[i + 1] - 1) if i + 1 < len(lows) else None) for i, lo in enumerate(lows)
    ]
    order = draw(st.permutations(buckets))  # constructor sorts
    return BucketScheme("random", tuple(order))


@given(schemes(), st.integers(min_value=0, max_value=700))
def test_scheme_covers_every_day_exactly_once(scheme: BucketScheme, d: int) -> None:
    holders = [b for b in scheme if b.contains(d)]
    assert len(holders) == 1
    assert scheme.bucket(d) is holders[0]
    assert scheme.bucket_many([d])[0] is holders[0]


@given(st.sampled_from([BucketScheme.cycles(), BucketScheme.dpd30(), BucketScheme.metro2()]), days)
def test_presets_cover_every_day_exactly_once(scheme: BucketScheme, d: int) -> None:
    assert sum(1 for b in scheme if b.contains(d)) == 1
    assert scheme.bucket(d).contains(d)


@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.one_of(st.none(), st.integers(0, 300))), min_size=1, max_size=6
    )
)
def test_invalid_schemes_raise_typed_errors(specs: list[tuple[int, int | None]]) -> None:
    try:
        s = BucketScheme.from_bounds("x", [(f"b{i}", lo, hi) for i, (lo, hi) in enumerate(specs)])
    except AutoloanError:
        return
    # whatever was accepted must be a valid partition
    for d in range(0, 302):
        assert sum(1 for b in s if b.contains(d)) == 1


@given(days, days, flags, flags, st.sampled_from([None, *FiveTier]))
def test_china_monotone(
    a: int, b: int, restructured: bool, open_flag: bool, override: FiveTier | None
) -> None:
    lo, hi = min(a, b), max(a, b)
    for rules in (ChinaRules.retail_2023(), ChinaRules.credit_card_2011()):
        g1 = rules.classify(lo, restructured=restructured, override=override).grade
        g2 = rules.classify(hi, restructured=restructured, override=override).grade
        assert g1.rank <= g2.rank


@given(days, days, flags, flags, flags, st.integers(0, 200))
def test_ffiec_monotone(
    a: int, b: int, open_end: bool, deceased: bool, loss_determined: bool, bk: int
) -> None:
    lo, hi = min(a, b), max(a, b)
    as_of = date(2024, 6, 30)
    kwargs: dict[str, Any] = {
        "open_end": open_end,
        "deceased": deceased,
        "loss_determined": loss_determined,
        "as_of": as_of,
        "bankruptcy_notified_on": as_of - timedelta(days=bk),
    }
    assert classify_ffiec(lo, **kwargs).grade.rank <= classify_ffiec(hi, **kwargs).grade.rank


@given(days, days, flags, flags, flags, flags)
def test_ifrs9_monotone(a: int, b: int, r30: bool, r90: bool, sicr: bool, impaired: bool) -> None:
    lo, hi = min(a, b), max(a, b)
    kw: dict[str, Any] = {
        "rebut_sicr": r30,
        "rebut_default": r90,
        "significant_increase": sicr,
        "credit_impaired": impaired,
    }
    assert classify_ifrs9(lo, **kw).grade.rank <= classify_ifrs9(hi, **kw).grade.rank


@given(days, days, flags, st.integers(0, 10_000), st.integers(1, 100_000))
def test_basel_monotone(a: int, b: int, utp: bool, past_due: int, exposure: int) -> None:
    lo, hi = min(a, b), max(a, b)
    kw: dict[str, Any] = {"unlikely_to_pay": utp, "amount_past_due": past_due, "exposure": exposure}
    assert classify_basel(lo, **kw).grade.rank <= classify_basel(hi, **kw).grade.rank


@given(days, days)
def test_metro2_monotone_and_all_views(a: int, b: int) -> None:
    lo, hi = min(a, b), max(a, b)
    assert classify_metro2(lo).grade.rank <= classify_metro2(hi).grade.rank
    v1, v2 = classify_all(days_past_due=lo), classify_all(days_past_due=hi)
    for c1, c2 in zip(v1.classifications(), v2.classifications(), strict=True):
        assert c1.grade.rank <= c2.grade.rank
    assert v1.cycle.low <= v2.cycle.low


states = st.one_of(days, st.sampled_from(["paid_off", "charged_off", "M1", "current"]))


@given(st.data(), st.integers(0, 60))
def test_transition_rows_sum_to_opening(data: st.DataObject, n: int) -> None:
    scheme = data.draw(st.sampled_from(["cycles", "dpd30"]))
    names = (
        ["paid_off", "charged_off", "M1"] if scheme == "cycles" else ["paid_off", "charged_off", "current"]
    )
    state = st.one_of(days, st.sampled_from(names))
    opening = data.draw(st.lists(state, min_size=n, max_size=n))
    closing = data.draw(st.lists(state, min_size=n, max_size=n))
    cents = data.draw(st.lists(st.integers(0, 10**9), min_size=n, max_size=n))
    balances = [Decimal(c).scaleb(-2) for c in cents]
    m = transition_matrix(opening, closing, balances=balances, scheme=scheme)
    assert sum(m.opening_counts.values()) == n == sum(m.closing_counts.values())
    sch = BucketScheme.cycles() if scheme == "cycles" else BucketScheme.dpd30()
    expected_counts = dict.fromkeys(m.states, 0)
    expected_bal = dict.fromkeys(m.states, Decimal(0))
    for s, bal in zip(opening, balances, strict=True):
        name = s if isinstance(s, str) else sch.bucket(s).name
        expected_counts[name] += 1
        expected_bal[name] += bal
    assert m.opening_counts == expected_counts
    assert m.opening_balances == expected_bal
    for row in m.rates():
        shares = [r for r in row if r is not None]
        if shares:
            assert abs(sum(shares, Decimal(0)) - 1) <= Decimal("0.000001") * len(shares)


month_events = st.fixed_dictionaries(
    {
        "days_past_due": st.integers(0, 400),
        "charged_off": st.booleans(),
        "repossessed": st.booleans(),
        "in_collections": st.booleans(),
        "zero_balance": st.booleans(),
        "gap": st.integers(1, 3),
    }
)


@given(st.lists(month_events, min_size=1, max_size=40))
def test_metro2_profile_always_24_characters(months: list[dict[str, Any]]) -> None:
    rec = None
    year, month = 2020, 1
    seen_delinquent = False
    for m in months:
        gap = m.pop("gap")
        month += gap
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        prev_dofd = rec.dofd if rec is not None else None
        rec = advance(rec, as_of=date(year, month, 28), **m)
        assert len(rec.payment_history) == 24
        # DOFD is stable: once set it only changes by being cleared on a return to current
        if prev_dofd is not None and rec.dofd is not None:
            assert rec.dofd == prev_dofd
        seen_delinquent = seen_delinquent or rec.dofd is not None
    assert rec is not None


@given(st.lists(st.integers(0, 200), min_size=1, max_size=24))
def test_timeline_never_better_than_stateless(dpds: list[int]) -> None:
    # Probation can only hold a grade back, never improve on the per-snapshot answer.
    ends = [date(2022 + i // 12, i % 12 + 1, 28) for i in range(len(dpds))]
    rows = classify_timeline([{"as_of": e, "days_past_due": d} for e, d in zip(ends, dpds, strict=True)])
    for row, d in zip(rows, dpds, strict=True):
        raw = classify_all(days_past_due=d)
        for held, plain in zip(row.views.classifications(), raw.classifications(), strict=True):
            assert held.grade.rank >= plain.grade.rank


garbage = st.one_of(
    st.none(), st.floats(allow_nan=True), st.text(max_size=5), st.integers(-(10**12), -1),
    st.integers(10**6, 10**12), st.booleans(), st.lists(st.integers(), max_size=2),
)  # fmt: skip


@given(garbage)
def test_bad_days_raise_only_autoloan_errors(value: Any) -> None:
    assume(not (type(value) is int and 0 <= value <= 100_000))
    # transition_matrix also takes state names ("1-29", "M2", "paid_off"): those are not bad input.
    states = {b.name for scheme in (BucketScheme.cycles(), BucketScheme.dpd30()) for b in scheme.buckets}
    assume(not (isinstance(value, str) and (value in states or value in {"paid_off", "charged_off"})))
    calls = (
        lambda: BucketScheme.cycles().bucket(value),
        lambda: classify_china(value),
        lambda: classify_ffiec(value),
        lambda: classify_ifrs9(value),
        lambda: classify_basel(value),
        lambda: classify_metro2(value),
        lambda: classify_all(days_past_due=value),
        lambda: transition_matrix([value], [0]),
        lambda: FfiecRules(substandard_days=value),
        lambda: Ifrs9Rules(sicr_after_days=value),
    )
    for call in calls:
        try:
            call()
        except AutoloanError:
            continue
        raise AssertionError(f"accepted {value!r}")


@given(st.lists(st.integers(0, 150), min_size=2, max_size=30))
def test_eu_default_never_released_before_three_clean_months(dpds: list[int]) -> None:
    # EBA/GL/2016/07 para 71(a): no return to non-default until no trigger has applied for 3 months.
    # With monthly snapshots the clock starts at the first snapshot showing no trigger.
    from autoloan.delinquency import DefaultStatus

    ends = [date(2022 + i // 12, i % 12 + 1, 28) for i in range(len(dpds))]
    rows = classify_timeline([{"as_of": e, "days_past_due": d} for e, d in zip(ends, dpds, strict=True)])
    in_default = False
    first_clean: int | None = None
    for i, (row, d) in enumerate(zip(rows, dpds, strict=True)):
        if d > 90:
            in_default, first_clean = True, None
        elif in_default and first_clean is None:
            first_clean = i
        expected = in_default and (first_clean is None or i - first_clean < 3)
        assert (row.views.basel.grade is DefaultStatus.DEFAULTED) is expected
        if not expected:
            in_default = False


junk = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.decimals(allow_nan=True, allow_infinity=True), st.dates(), st.just(object()),
)  # fmt: skip
snapshot_fields = st.sampled_from(
    ["amount_past_due", "balance", "exposure", "collateral_value", "as_of", "currency", "cn_override",
     "bankruptcy_notified_on", "restructured", "days_delinquent", "restructured_first_due"]
)  # fmt: skip


@given(snapshot_fields, junk, st.integers(0, 400))
def test_classify_all_on_junk_inputs_returns_or_raises_autoloan_error(field: str, value: Any, d: int) -> None:
    try:
        views = classify_all(days_past_due=d, **{field: value})
    except AutoloanError:
        return
    assert views.snapshot.days_past_due == d


@given(junk, junk)
def test_amount_functions_on_junk_raise_only_autoloan_errors(a: Any, b: Any) -> None:
    from autoloan.delinquency import is_material, vintage_curves

    calls = (
        lambda: classify_ffiec(130, repossession_assured=True, balance=a, collateral_value=b),
        lambda: is_material(a, b),
        lambda: transition_matrix([0, 30], [0, "paid_off"], balances=[a, b]),
        lambda: vintage_curves([("x", "c", a, b)]),
        lambda: advance(None, as_of=a, days_past_due=0),
        lambda: classify_timeline([{"as_of": a, "days_past_due": 0}]),
    )
    for call in calls:
        with contextlib.suppress(AutoloanError):  # anything else fails the test
            call()
