"""autoloan.book.spark in local[2] mode: the single-process rows, row for row (``make test-spark``)."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from autoloan import book

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark")

from autoloan.book import spark as book_spark  # noqa: E402

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def spark() -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter (autoloan)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("autoloan-book-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _plain(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for rec in frame.sort_values("loan_id").to_dict("records"):
        rows.append(
            {k: None if (v is pd.NA or (isinstance(v, float) and v != v)) else v for k, v in rec.items()}
        )
    return rows


def test_local_spark_equals_single_process(spark: Any) -> None:
    loans, pays = book.synthetic(300, seed=31, as_of=AS_OF, mix="mixed")
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    sl, sp = spark.createDataFrame(lf), spark.createDataFrame(pf)
    single = book.statuses(lf, pf, AS_OF, money="minor")
    got = book_spark.statuses(sl, sp, AS_OF).toPandas()
    assert _plain(got) == _plain(single)
    dec = book_spark.statuses(sl, sp, AS_OF, money="decimal").toPandas()
    want = book.statuses(lf, pf, AS_OF)
    assert sorted(zip(dec["loan_id"], dec["payoff_amount"], strict=True)) == sorted(
        zip(want["loan_id"], want["payoff_amount"], strict=True)
    )
    assert all(isinstance(v, Decimal) for v in dec["payoff_amount"])
    views = book_spark.classify(book_spark.statuses(sl, sp, AS_OF)).toPandas()
    assert _plain(views) == _plain(book.classify(single))


def test_local_spark_decide_and_simulate_equal_single_process(spark: Any) -> None:
    from datetime import datetime

    from autoloan.policy import Behaviour, Policy

    policy = Policy.builtin("cn-auto")
    loans, pays = book.synthetic(40, seed=5, as_of=date(2026, 1, 31), months_on_book=(0, 2))
    lf, pf = pd.DataFrame(loans), pd.DataFrame(pays)
    sl, sp = spark.createDataFrame(lf), spark.createDataFrame(pf)
    now = datetime(2026, 2, 1, 2, tzinfo=UTC)
    got = book_spark.decide(policy, sl, sp, now).toPandas()
    want = book.decide(policy, lf, pf, now).decisions
    assert sorted(zip(got["loan_id"], got["stage"], got["arm"], got["actions"], strict=True)) == sorted(
        zip(want["loan_id"], want["stage"], want["arm"], want["actions"], strict=True)
    )
    acts = book_spark.decide(policy, sl, sp, now, what="actions").toPandas()
    assert len(acts) == len(book.decide(policy, lf, pf, now).actions)
    behaviour = Behaviour.random(seed=1, pay_probability="0.05")
    args = (date(2026, 1, 31), date(2026, 3, 31))
    on_spark = book_spark.simulate(policy, sl, behaviour, *args, seed=4, costs={"sms": "0.05"})
    single = book.simulate(policy, lf, behaviour, *args, seed=4, costs={"sms": "0.05"})
    assert str(on_spark) == str(single)
    assert on_spark.actions_by_kind == single.actions_by_kind
    assert on_spark.contact_cost == single.contact_cost
    assert on_spark.blocked_executed == 0
