"""Run :mod:`autoloan.book` on Spark: cogrouped ``applyInPandas`` over hash buckets of ``loan_id``.

Loans and payments are bucketed by ``pmod(xxhash64(loan_id), buckets)``; each bucket (a few
thousand loans with their payments) is one call of :func:`autoloan.book.statuses`, so the fast path
runs over whole columns inside each Python worker, and no bucket is a whole skewed group. ``as_of``
is always explicit (never ``current_date()``); results are the single-process rows (in bucket order:
sort by ``loan_id`` to compare).

Money: ``money="minor"`` (default; ``LongType`` minor units next to ``currency``) or
``money="decimal"`` (``DecimalType(38, scale)``; ``scale=2`` suits CNY/USD/EUR/JPY books, use 3 for
KWD). Spark rounds decimals half-up on the JVM side; autoloan has already rounded every amount to
its minor unit, so no Spark rounding ever applies.

Needs the ``spark`` extra (``pip install 'autoloan[spark]'``) and Java 17.

.. code-block:: text

    from pyspark.sql import SparkSession
    from autoloan.book import spark as book_spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    loans = spark.read.parquet("loans/")          # the loans schema (autoloan.book.schema.LOANS)
    payments = spark.read.parquet("payments/")
    st = book_spark.statuses(loans, payments, as_of=date(2026, 6, 30))
    views = book_spark.classify(st)
    views.write.parquet("views/")
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from autoloan.book._policy import compiled, shipped
from autoloan.book.decisions import ACTION_COLUMNS, DECISION_COLUMNS
from autoloan.book.decisions import decide as _decide
from autoloan.book.grades import classify as _classify
from autoloan.book.portfolio import ACCOUNT_COLUMNS, BookRun, month_ends, simulate_accounts, summarize
from autoloan.book.schema import CLASSIFY_COLUMNS, MONEY_STATUS_COLUMNS, STATUS_COLUMNS
from autoloan.book.status import statuses as _statuses
from autoloan.dates import coerce_date
from autoloan.delinquency import Rulebook
from autoloan.errors import AutoloanError, InvalidInput
from autoloan.policy import Behaviour, Policy

__all__ = ["classify", "decide", "simulate", "status_schema", "statuses"]

_DATES = ("as_of", "oldest_unpaid_due_date", "next_due_date", "last_payment_date")
_TEXT = ("currency", "partial_payment")


def _spark() -> tuple[Any, Any]:
    try:
        from pyspark.sql import functions as F
        from pyspark.sql import types as T
    except ImportError:  # pragma: no cover - depends on the environment
        raise AutoloanError(
            "autoloan.book.spark needs the 'spark' extra (pip install 'autoloan[spark]')"
        ) from None
    return F, T


def _check(frame: Any, name: str) -> None:
    if not (type(frame).__module__.startswith("pyspark") and type(frame).__name__ == "DataFrame"):
        raise InvalidInput(name, frame, "must be a pyspark.sql.DataFrame")


def status_schema(loan_id_type: Any = None, *, money: str = "minor", scale: int = 2) -> Any:
    """The Spark schema of ``statuses`` (``loan_id_type`` defaults to ``StringType``)."""
    _f, T = _spark()
    fields = []
    for name in STATUS_COLUMNS:
        if name == "loan_id":
            dtype = loan_id_type if loan_id_type is not None else T.StringType()
        elif name in MONEY_STATUS_COLUMNS:
            dtype = T.LongType() if money == "minor" else T.DecimalType(38, scale)
        elif name in _DATES:
            dtype = T.DateType()
        elif name in _TEXT:
            dtype = T.StringType()
        else:
            dtype = T.LongType()
        fields.append(T.StructField(name, dtype, True))
    return T.StructType(fields)


def _bucketed(frame: Any, buckets: int) -> Any:
    F, _t = _spark()
    return frame.withColumn("_autoloan_bucket", F.pmod(F.xxhash64(F.col("loan_id")), F.lit(buckets)))


def statuses(
    loans: Any,
    payments: Any,
    as_of: _dt.date | str,
    *,
    money: str = "minor",
    scale: int = 2,
    buckets: int | None = None,
) -> Any:
    """``book.statuses`` over Spark DataFrames: a lazy Spark DataFrame, one row per loan.

    ``buckets`` (default: ``spark.sql.shuffle.partitions``) is the number of hash buckets of loans.
    Bad rows fail the job with the :class:`~autoloan.errors.InvalidInput` of the single-process call.
    """
    _check(loans, "loans")
    _check(payments, "payments")
    as_of = coerce_date(as_of, "as_of")
    if not isinstance(money, str) or money not in ("decimal", "minor"):
        raise InvalidInput("money", money, "use 'decimal' or 'minor'")
    if isinstance(scale, bool) or not isinstance(scale, int) or not 0 <= scale <= 6:
        raise InvalidInput("scale", scale, "must be a whole number from 0 to 6")
    if buckets is None:
        buckets = int(loans.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    if isinstance(buckets, bool) or not isinstance(buckets, int) or buckets < 1:
        raise InvalidInput("buckets", buckets, "must be a positive whole number")
    schema = status_schema(loans.schema["loan_id"].dataType, money=money, scale=scale)
    quantum = Decimal(1).scaleb(-scale)

    def run(loans_pdf: Any, payments_pdf: Any) -> Any:
        lp = loans_pdf.drop(columns=["_autoloan_bucket"])
        pp = payments_pdf.drop(columns=["_autoloan_bucket"])
        out = _statuses(lp, pp, as_of, money=money)
        if money == "decimal":
            for name in MONEY_STATUS_COLUMNS:
                out[name] = [v.quantize(quantum) for v in out[name]]
        out["days_since_qualifying_payment"] = (
            out["days_since_qualifying_payment"]
            .astype(object)
            .where(out["days_since_qualifying_payment"].notna(), None)
        )
        return out

    lb = _bucketed(loans, buckets)
    pb = _bucketed(payments, buckets)
    return lb.groupBy("_autoloan_bucket").cogroup(pb.groupBy("_autoloan_bucket")).applyInPandas(run, schema)


def classify(statuses: Any, *, rulebook: Rulebook | None = None) -> Any:
    """``book.classify`` over a Spark DataFrame of statuses (``mapInPandas``, batch by batch)."""
    _check(statuses, "statuses")
    _f, T = _spark()
    id_type = statuses.schema["loan_id"].dataType
    fields = []
    for name in CLASSIFY_COLUMNS:
        if name == "loan_id":
            dtype = id_type
        elif name == "days_past_due":
            dtype = T.LongType()
        else:
            dtype = T.StringType()
        fields.append(T.StructField(name, dtype, True))
    schema = T.StructType(fields)

    def run(batches: Any) -> Any:
        for pdf in batches:
            yield _classify(pdf, rulebook=rulebook)

    return statuses.mapInPandas(run, schema)


def _utc(values: Any) -> Any:
    import pandas as pd

    return pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)


def decide(
    policy: Policy,
    loans: Any,
    payments: Any,
    now: _dt.datetime,
    *,
    what: str = "decisions",
    buckets: int | None = None,
) -> Any:
    """``book.decide`` over Spark DataFrames: the ``decisions`` (default) or ``actions`` table, lazily.

    The policy is broadcast as canonical JSON and compiled once per executor process (keyed by its
    digest); ``now`` is explicit. Times are UTC ``TimestampType``.
    """
    _check(loans, "loans")
    _check(payments, "payments")
    if not isinstance(what, str) or what not in ("decisions", "actions"):
        raise InvalidInput("what", what, "use 'decisions' or 'actions'")
    if not isinstance(now, _dt.datetime) or now.utcoffset() is None:
        raise InvalidInput("now", now, "must be a timezone-aware datetime")
    text, digest = shipped(policy)
    _f, T = _spark()
    spark = loans.sparkSession
    shared = spark.sparkContext.broadcast(text)
    if buckets is None:
        buckets = int(spark.conf.get("spark.sql.shuffle.partitions"))
    id_type = loans.schema["loan_id"].dataType
    if what == "decisions":
        types = {
            "loan_id": id_type,
            "as_of": T.DateType(),
            "days_past_due": T.LongType(),
            "entered": T.BooleanType(),
            "actions": T.LongType(),
            "suppressed": T.LongType(),
            "offers": T.LongType(),
            "next_review_at": T.TimestampType(),
        }
        names: tuple[str, ...] = DECISION_COLUMNS
    else:
        types = {"loan_id": id_type, "at": T.TimestampType(), "moved_from": T.TimestampType()}
        names = ACTION_COLUMNS
    schema = T.StructType([T.StructField(n, types.get(n, T.StringType()), True) for n in names])

    def run(loans_pdf: Any, payments_pdf: Any) -> Any:
        pol = compiled(shared.value, digest)
        out = _decide(
            pol,
            loans_pdf.drop(columns=["_autoloan_bucket"]),
            payments_pdf.drop(columns=["_autoloan_bucket"]),
            now,
        )
        table = out.decisions if what == "decisions" else out.actions
        for col in ("next_review_at", "at", "moved_from"):
            if col in table.columns:
                table[col] = _utc(table[col])
        return table

    lb = _bucketed(loans, buckets)
    pb = _bucketed(payments, buckets)
    return lb.groupBy("_autoloan_bucket").cogroup(pb.groupBy("_autoloan_bucket")).applyInPandas(run, schema)


def simulate(
    policy: Policy,
    loans: Any,
    behaviour: Behaviour,
    start: _dt.date | str,
    end: _dt.date | str,
    seed: int = 0,
    *,
    stress: Any = 1,
    costs: Any = None,
) -> BookRun:
    """``book.simulate`` with the per-account runs on Spark (``mapInPandas``); summarized on the driver.

    Same seed, same result as the single-process call.
    """
    _check(loans, "loans")
    text, digest = shipped(policy)
    if not isinstance(behaviour, Behaviour):
        raise InvalidInput("behaviour", behaviour, "must be an autoloan.policy.Behaviour")
    start = coerce_date(start, "start")
    end = coerce_date(end, "end")
    _f, T = _spark()
    shared = loans.sparkSession.sparkContext.broadcast(text)
    types = {
        "loan_id": loans.schema["loan_id"].dataType,
        "offers_taken": T.LongType(),
        "blocked_executed": T.LongType(),
        "charged_off_on": T.DateType(),
    }
    schema = T.StructType([T.StructField(n, types.get(n, T.StringType()), True) for n in ACCOUNT_COLUMNS])

    def run(batches: Any) -> Any:
        pol = compiled(shared.value, digest)
        for pdf in batches:
            out = simulate_accounts(pol, pdf, behaviour, start, end, seed=seed, stress=stress, costs=costs)
            for col in ("contact_cost", "recoveries"):
                out[col] = [str(v) for v in out[col]]  # exact: Decimal as text
            yield out

    accounts = loans.mapInPandas(run, schema).toPandas()
    for col in ("contact_cost", "recoveries"):
        accounts[col] = [Decimal(v) for v in accounts[col]]
    return summarize(accounts, policy, month_ends(start, end), costs=costs)
