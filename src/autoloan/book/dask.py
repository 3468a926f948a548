"""Run :mod:`autoloan.book` on a Dask cluster: ``map_partitions`` with payments co-partitioned by loan.

Both tables are indexed by ``loan_id`` with the same divisions (``set_index``), so partition *i* of
the payments holds exactly the payments of the loans in partition *i* of the loans; each partition
is then one call of :func:`autoloan.book.statuses` (the fast path over the whole partition). Pure
Python holds the GIL: use the processes scheduler or a ``distributed`` cluster with one thread per
worker process. ``as_of`` is always explicit; the same inputs give the same graph keys and the same
rows as the single-process call (sorted by ``loan_id``, the index order).

Needs the ``dask`` extra (``pip install 'autoloan[dask]'``).

.. code-block:: text

    from dask.distributed import Client, LocalCluster
    import dask.dataframe as dd
    from autoloan.book import dask as book_dask

    client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
    loans = dd.read_parquet("loans/")          # the loans schema (autoloan.book.schema.LOANS)
    payments = dd.read_parquet("payments/")
    st = book_dask.statuses(loans, payments, as_of=date(2026, 6, 30), money="minor", presorted=True)
    views = book_dask.classify(st)
    views.to_parquet("views/")

    # the nightly run in one pass per partition: views on the statement date, decisions and actions now;
    # aligned=True for a bucketed export (file pair i holds the loans of bucket i and their payments)
    run = book_dask.nightly(Policy.builtin("cn-auto"), loans, payments, date(2026, 6, 30),
                            datetime(2026, 7, 1, 2, tzinfo=timezone.utc), presorted=True)
    views, decisions, actions = dask.compute(*run)   # the single-process tables, partition by partition
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from autoloan.book._policy import compiled, shipped
from autoloan.book.decisions import decide as _decide
from autoloan.book.grades import classify as _classify
from autoloan.book.portfolio import BookRun, month_ends, simulate_accounts, summarize
from autoloan.book.status import statuses as _statuses
from autoloan.dates import coerce_date
from autoloan.delinquency import Rulebook
from autoloan.errors import AutoloanError, InvalidInput
from autoloan.policy import Behaviour, Policy

__all__ = ["Nightly", "classify", "co_partition", "decide", "nightly", "simulate", "statuses"]


def _dd() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - depends on the environment
        raise AutoloanError(
            "autoloan.book.dask needs the 'dask' extra (pip install 'autoloan[dask]')"
        ) from None
    return dd


def _check(frame: Any, name: str) -> None:
    if type(frame).__module__.split(".")[0] not in ("dask", "dask_expr"):
        raise InvalidInput(name, frame, "must be a dask.dataframe.DataFrame")


def co_partition(loans: Any, payments: Any, *, presorted: bool = False) -> tuple[Any, Any]:
    """Index both frames by ``loan_id`` with the loans' divisions (the payments follow the loans).

    ``presorted=True``: both frames are already sorted by ``loan_id`` across partitions (as a
    sorted Parquet export is); then no shuffle is needed, only a cheap repartition of the payments.
    """
    _check(loans, "loans")
    _check(payments, "payments")
    _dd()
    if not isinstance(presorted, bool):
        raise InvalidInput("presorted", presorted, "must be True or False")
    if loans.index.name != "loan_id":
        loans = loans.set_index("loan_id", sorted=presorted) if presorted else loans.set_index("loan_id")
    if payments.index.name == "loan_id" and payments.divisions == loans.divisions:
        return loans, payments
    if presorted:
        if payments.index.name != "loan_id":
            payments = payments.set_index("loan_id", sorted=True)
        return loans, payments.repartition(divisions=list(loans.divisions), force=True)
    if payments.index.name == "loan_id":
        payments = payments.reset_index()
    return loans, payments.set_index("loan_id", divisions=list(loans.divisions))


def _part_statuses(loans: Any, payments: Any, as_of: _dt.date, money: str) -> Any:
    out = _statuses(loans.reset_index(), payments.reset_index(), as_of, money=money)
    return out


def _meta(as_of: _dt.date, money: str) -> Any:
    import pandas as pd

    empty_loans = pd.DataFrame(
        {k: pd.Series([], dtype=object) for k in ("loan_id", "principal", "annual_rate")}
    )
    empty_loans["term"] = pd.Series([], dtype="int64")
    empty_loans["start"] = pd.Series([], dtype=object)
    empty_pays = pd.DataFrame({k: pd.Series([], dtype=object) for k in ("loan_id", "date", "amount")})
    return _statuses(empty_loans, empty_pays, as_of, money=money)


def statuses(
    loans: Any, payments: Any, as_of: _dt.date | str, *, money: str = "decimal", presorted: bool = False
) -> Any:
    """``book.statuses`` over Dask DataFrames: a lazy Dask DataFrame, one row per loan, by ``loan_id``.

    Bad rows fail the computation with the same :class:`~autoloan.errors.InvalidInput` the
    single-process call raises (run ``book.statuses(..., errors="collect")`` on the partition to see them).
    ``presorted``: see :func:`co_partition` (skips the shuffle for tables sorted by ``loan_id``).
    """
    as_of = coerce_date(as_of, "as_of")
    if not isinstance(money, str) or money not in ("decimal", "minor"):
        raise InvalidInput("money", money, "use 'decimal' or 'minor'")
    dd = _dd()
    import dask

    loans, payments = co_partition(loans, payments, presorted=presorted)
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.map_partitions(
            _part_statuses,
            loans,
            payments,
            as_of,
            money,
            meta=_meta(as_of, money),
            align_dataframes=False,
            enforce_metadata=False,
        )


def _part_classify(statuses: Any, rulebook: Rulebook | None) -> Any:
    return _classify(statuses, rulebook=rulebook)


def classify(statuses: Any, *, rulebook: Rulebook | None = None) -> Any:
    """``book.classify`` over a Dask DataFrame of statuses (partition by partition)."""
    _check(statuses, "statuses")
    import dask
    import pandas as pd

    meta = _classify(
        pd.DataFrame({"loan_id": pd.Series([], dtype=object), "days_past_due": pd.Series([], dtype="int64")})
    )
    with dask.config.set({"dataframe.convert-string": False}):
        return statuses.map_partitions(_part_classify, rulebook, meta=meta, enforce_metadata=False)


def _part_decide(loans: Any, payments: Any, text: str, digest: str, now: _dt.datetime, what: str) -> Any:
    out = _decide(compiled(text, digest), loans.reset_index(), payments.reset_index(), now)
    return out.decisions if what == "decisions" else out.actions


def _part_decided(loans: Any, payments: Any, text: str, digest: str, now: _dt.datetime) -> Any:
    out = _decide(compiled(text, digest), loans.reset_index(), payments.reset_index(), now)
    return out.decisions, out.actions


def _pick(pair: tuple[Any, Any], i: int) -> Any:
    return pair[i]


def _empty_decided(policy: Policy, now: _dt.datetime) -> Any:
    """``book.decide`` of an empty book: the decisions and actions frames' columns and dtypes (the
    lazy frames' meta)."""
    import pandas as pd

    loans = pd.DataFrame(
        {k: pd.Series([], dtype=object) for k in ("loan_id", "principal", "annual_rate", "term", "start")}
    )
    payments = pd.DataFrame({k: pd.Series([], dtype=object) for k in ("loan_id", "date", "amount")})
    return _decide(policy, loans, payments, now)


def decide(
    policy: Policy,
    loans: Any,
    payments: Any,
    now: _dt.datetime,
    *,
    what: str = "decisions",
    presorted: bool = False,
) -> Any:
    """``book.decide`` over Dask DataFrames: the ``decisions`` (default) or ``actions`` table, lazily;
    ``what="both"``: ``(decisions, actions)``, two lazy frames sharing one decide task per partition
    (compute them together, ``dask.compute(decisions, actions)``, to decide each account once).

    The policy travels as canonical JSON with its digest (deterministic graph keys) and is compiled
    once per worker process.
    """
    if not isinstance(what, str) or what not in ("decisions", "actions", "both"):
        raise InvalidInput("what", what, "use 'decisions', 'actions' or 'both'")
    text, digest = shipped(policy)

    dd = _dd()
    import dask

    loans, payments = co_partition(loans, payments, presorted=presorted)
    empty = _empty_decided(policy, now)
    if what == "both":
        from dask.delayed import delayed

        decided = delayed(_part_decided, pure=True)
        pick = delayed(_pick, pure=True)
        parts = [
            decided(lp, pp, text, digest, now)
            for lp, pp in zip(loans.to_delayed(), payments.to_delayed(), strict=True)
        ]
        with dask.config.set({"dataframe.convert-string": False}):
            return (
                dd.from_delayed([pick(x, 0) for x in parts], meta=empty.decisions, verify_meta=False),
                dd.from_delayed([pick(x, 1) for x in parts], meta=empty.actions, verify_meta=False),
            )
    meta = empty.decisions if what == "decisions" else empty.actions
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.map_partitions(
            _part_decide,
            loans,
            payments,
            text,
            digest,
            now,
            what,
            meta=meta,
            align_dataframes=False,
            enforce_metadata=False,
        )


def _columns(frame: Any) -> Any:
    """A partition with ``loan_id`` as a column (co-partitioned frames carry it as the index)."""
    return frame.reset_index() if frame.index.name == "loan_id" else frame.reset_index(drop=True)


class Nightly(NamedTuple):
    """The lazy tables of :func:`nightly` (compute them together: ``dask.compute(*run)``)."""

    views: Any
    decisions: Any
    actions: Any


def _part_nightly(
    loans: Any,
    payments: Any,
    text: str,
    digest: str,
    as_of: _dt.date,
    now: _dt.datetime,
    money: str,
    rulebook: Rulebook | None,
) -> tuple[Any, Any, Any]:
    loans, payments = _columns(loans), _columns(payments)
    views = _classify(_statuses(loans, payments, as_of, money=money), rulebook=rulebook)
    out = _decide(compiled(text, digest), loans, payments, now)
    return views, out.decisions, out.actions


def nightly(
    policy: Policy,
    loans: Any,
    payments: Any,
    as_of: _dt.date | str,
    now: _dt.datetime,
    *,
    rulebook: Rulebook | None = None,
    money: str = "decimal",
    presorted: bool = False,
    aligned: bool = False,
) -> Nightly:
    """The whole nightly path in one task per partition: ``classify(statuses(as_of))`` and
    ``decide(policy, now)`` (decisions and actions), so each partition is read and co-partitioned once.

    Each table equals, partition by partition, :func:`statuses` + :func:`classify` and
    :func:`decide` (``what="both"``). ``presorted``: see :func:`co_partition`. ``aligned=True``: the
    frames are already co-partitioned -- partition *i* of ``payments`` holds exactly the payments of
    the loans of partition *i* of ``loans`` (a bucketed export: one file pair per bucket) -- so they are
    paired as they are, with no index and no repartition.
    """
    as_of = coerce_date(as_of, "as_of")
    if not isinstance(money, str) or money not in ("decimal", "minor"):
        raise InvalidInput("money", money, "use 'decimal' or 'minor'")
    if rulebook is not None and not isinstance(rulebook, Rulebook):
        raise InvalidInput("rulebook", rulebook, "must be a delinquency.Rulebook or None")
    text, digest = shipped(policy)
    dd = _dd()
    import dask
    from dask.delayed import delayed

    if not isinstance(aligned, bool):
        raise InvalidInput("aligned", aligned, "must be True or False")
    if aligned:
        _check(loans, "loans")
        _check(payments, "payments")
        if loans.npartitions != payments.npartitions:
            raise InvalidInput(
                "payments",
                payments.npartitions,
                f"aligned needs {loans.npartitions} partitions, as the loans",
            )
    else:
        loans, payments = co_partition(loans, payments, presorted=presorted)
    empty = _empty_decided(policy, now)
    metas = (_classify(_meta(as_of, money), rulebook=rulebook), empty.decisions, empty.actions)
    part = delayed(_part_nightly, pure=True)
    pick = delayed(_pick, pure=True)
    parts = [
        part(lp, pp, text, digest, as_of, now, money, rulebook)
        for lp, pp in zip(loans.to_delayed(), payments.to_delayed(), strict=True)
    ]
    with dask.config.set({"dataframe.convert-string": False}):
        return Nightly(
            *(
                dd.from_delayed([pick(x, i) for x in parts], meta=meta, verify_meta=False)
                for i, meta in enumerate(metas)
            )
        )


def _part_simulate(
    loans: Any,
    text: str,
    digest: str,
    behaviour: Behaviour,
    start: Any,
    end: Any,
    seed: int,
    stress: Any,
    costs: Any,
) -> Any:
    return simulate_accounts(
        compiled(text, digest),
        loans.reset_index(drop=loans.index.name != "loan_id"),
        behaviour,
        start,
        end,
        seed=seed,
        stress=stress,
        costs=costs,
    )


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
    """``book.simulate`` with the per-account runs spread over the cluster (computes now).

    Same seed, same result as the single-process call: each account's run depends only on the
    seed, the policy and the account.
    """
    _check(loans, "loans")
    text, digest = shipped(policy)
    start = coerce_date(start, "start")
    end = coerce_date(end, "end")
    import dask
    import pandas as pd

    empty = pd.DataFrame(
        {k: pd.Series([], dtype=object) for k in ("loan_id", "principal", "annual_rate", "start")}
    )
    empty["term"] = pd.Series([], dtype="int64")
    meta = simulate_accounts(policy, empty, behaviour, start, end, seed=seed)
    with dask.config.set({"dataframe.convert-string": False}):
        parts = loans.map_partitions(
            _part_simulate,
            text,
            digest,
            behaviour,
            start,
            end,
            seed,
            stress,
            costs,
            meta=meta,
            enforce_metadata=False,
        )
        accounts = parts.compute()
    return summarize(accounts, policy, month_ends(start, end), costs=costs)
