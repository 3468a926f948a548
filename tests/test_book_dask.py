"""autoloan.book.dask: a two-process LocalCluster gives the single-process rows, row for row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import pytest

from autoloan import book

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from autoloan.book import dask as book_dask  # noqa: E402

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def _plain(frame: pd.DataFrame) -> dict[str, list[object]]:
    return {c: [None if v is pd.NA else v for v in frame[c].tolist()] for c in frame.columns}


def test_two_process_cluster_equals_single_process(client: Any) -> None:
    loans, pays = book.synthetic(100, seed=21, as_of=AS_OF, mix="mixed")
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    single = book.statuses(lf, pf, AS_OF).sort_values("loan_id").reset_index(drop=True)
    single_views = book.classify(single)
    with dask.config.set({"dataframe.convert-string": False}):
        dl = dd.from_pandas(lf, npartitions=3)
        dp = dd.from_pandas(pf, npartitions=4)
    st = book_dask.statuses(dl, dp, AS_OF)
    again = book_dask.statuses(dl, dp, AS_OF)
    assert st._name == again._name  # deterministic graph keys
    got = st.compute().reset_index(drop=True)
    views = book_dask.classify(st).compute().reset_index(drop=True)
    assert _plain(got) == _plain(single)
    assert _plain(views) == _plain(single_views)
    presorted = book_dask.statuses(dl, dp, AS_OF, presorted=True).compute().reset_index(drop=True)
    assert _plain(presorted) == _plain(single)  # the synthetic tables are sorted by loan_id


def test_decide_and_simulate_on_the_cluster_equal_single_process(client: Any) -> None:
    from datetime import UTC, datetime

    from autoloan.policy import Behaviour, Policy

    policy = Policy.builtin("cn-auto")
    loans, pays = book.synthetic(12, seed=5, as_of=date(2026, 1, 31), months_on_book=(0, 1))
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    with dask.config.set({"dataframe.convert-string": False}):
        dl = dd.from_pandas(lf, npartitions=3)
        dp = dd.from_pandas(pf, npartitions=2)
    now = datetime(2026, 2, 1, 2, tzinfo=UTC)
    behaviour = Behaviour.random(seed=1, pay_probability="0.05")
    args = (date(2026, 1, 31), date(2026, 2, 28))
    got = book_dask.decide(policy, dl, dp, now).compute().reset_index(drop=True)
    run = book_dask.simulate(policy, dl, behaviour, *args, seed=4, costs={"sms": "0.05"})
    want = book.decide(policy, lf, pf, now).decisions.sort_values("loan_id").reset_index(drop=True)
    assert got.astype(str).equals(want.astype(str))
    single = book.simulate(policy, lf, behaviour, *args, seed=4, costs={"sms": "0.05"})
    assert str(run) == str(single) and run.actions_by_kind == single.actions_by_kind
    assert run.contact_cost == single.contact_cost and run.blocked_executed == 0


def test_decide_both_tables_in_one_pass_equal_single_process(client: Any) -> None:
    from datetime import UTC, datetime

    from autoloan.policy import Policy

    policy = Policy.builtin("us-auto")
    loans, pays = book.synthetic(60, seed=8, as_of=AS_OF, mix="mixed")
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    with dask.config.set({"dataframe.convert-string": False}):
        dl = dd.from_pandas(lf, npartitions=3)
        dp = dd.from_pandas(pf, npartitions=2)
    now = datetime(2026, 7, 1, 15, tzinfo=UTC)
    dec, act = book_dask.decide(policy, dl, dp, now, what="both")
    dec2, _ = book_dask.decide(policy, dl, dp, now, what="both")
    assert dec._name == dec2._name  # deterministic graph keys
    got_dec, got_act = dask.compute(dec, act)
    want = book.decide(policy, lf, pf, now)
    assert len(want.actions) > 0
    for got, table in ((got_dec, want.decisions), (got_act, want.actions)):
        got = got.sort_values(["loan_id", "at"] if "at" in got else "loan_id", kind="stable")
        table = table.sort_values(["loan_id", "at"] if "at" in table else "loan_id", kind="stable")
        assert _plain(got.reset_index(drop=True)) == _plain(table.reset_index(drop=True))


def test_nightly_is_statuses_classify_and_decide_in_one_pass(client: Any) -> None:
    from datetime import UTC, datetime

    from autoloan.policy import Policy

    policy = Policy.builtin("cn-auto")
    loans, pays = book.synthetic(60, seed=13, as_of=AS_OF, mix="mixed")
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    with dask.config.set({"dataframe.convert-string": False}):
        dl = dd.from_pandas(lf, npartitions=3)
        dp = dd.from_pandas(pf, npartitions=2)
    now = datetime(2026, 7, 1, 2, tzinfo=UTC)
    run = book_dask.nightly(policy, dl, dp, AS_OF, now, money="minor")
    again = book_dask.nightly(policy, dl, dp, AS_OF, now, money="minor")
    assert [x._name for x in run] == [x._name for x in again]  # deterministic graph keys
    views, dec, act = dask.compute(*run)
    # the same from frames already co-partitioned (file pairs of a bucketed export): no index, no shuffle
    lparts = [lf.iloc[a:b] for a, b in ((0, 20), (20, 45), (45, 60))]
    pparts = [pf[pf["loan_id"].isin(set(part["loan_id"]))] for part in lparts]
    from dask.delayed import delayed

    al = dd.from_delayed([delayed(x) for x in lparts], meta=lf.iloc[:0], verify_meta=False)
    ap = dd.from_delayed([delayed(x) for x in pparts], meta=pf.iloc[:0], verify_meta=False)
    paired = dask.compute(*book_dask.nightly(policy, al, ap, AS_OF, now, money="minor", aligned=True))
    want_views = book.classify(book.statuses(lf, pf, AS_OF, money="minor"))
    want = book.decide(policy, lf, pf, now)
    assert len(want.actions) > 0
    for got, table in (
        (views, want_views),
        (dec, want.decisions),
        (act, want.actions),
        (paired[0], want_views),
        (paired[1], want.decisions),
        (paired[2], want.actions),
    ):
        keys = ["loan_id", "at"] if "at" in table else ["loan_id"]
        got = got.sort_values(keys, kind="stable").reset_index(drop=True)
        table = table.sort_values(keys, kind="stable").reset_index(drop=True)
        assert _plain(got) == _plain(table)


def test_refuses_non_dask_frames() -> None:
    from autoloan.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"dask\.dataframe"):
        book_dask.statuses({"loan_id": []}, {"loan_id": []}, AS_OF)
