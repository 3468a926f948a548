"""autoloan.book throughput: statuses fast path vs the per-account loop, classify, decide, simulate, and
the Dask / Spark scaling (1 vs 2 workers). Figures are printed, never asserted.

Run: ``python benchmarks/run.py book`` (defaults: 100,000 loans, 12 payments each) or directly
``python benchmarks/bench_book.py --loans 1000000 --dask --spark``. CPU time (``process_time``) is
reported for single-process figures, wall time for the clusters; the machine is shared, so read the
ratios. Peak RSS is the process high-water mark (``ru_maxrss``), per worker for Dask.

Issue 13 targets: fast path >= 250,000 accounts/s on one core and >= 20x the per-account loop;
statuses + classify + decide for 1,000,000 accounts in < 2 minutes on 2 cores; simulate 10,000
accounts x 365 days in < 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pyarrow as pa

from autoloan import book
from autoloan.book.status import terms_from_row
from autoloan.servicing import Payment, account_status

AS_OF = date(2026, 6, 30)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu(fn: Any, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def common_book(n: int) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The issue's common case: 等额本息, default servicing, 12 monthly payments per account."""
    loans, pays = book.synthetic(n, seed=2026, as_of=AS_OF, mix="cn", months_on_book=12)
    loans["servicing"] = ["default"] * n
    loans["method"] = ["annuity"] * n
    return loans, pays


def arrow(table: dict[str, list[Any]]) -> pa.Table:
    return pa.table(table)


def per_account_loop(loans: dict[str, list[Any]], pays: dict[str, list[Any]], k: int) -> float:
    """Accounts/s of the loop a user writes without autoloan.book (LoanTerms + Payment + account_status)."""
    ids = loans["loan_id"][:k]
    wanted = set(ids)
    rows: dict[str, list[int]] = {}
    for r, lid in enumerate(pays["loan_id"]):
        if lid in wanted:
            rows.setdefault(lid, []).append(r)

    def run() -> None:
        for i, lid in enumerate(ids):
            terms, rules, ps = account_inputs(loans, pays, i, rows.get(lid, []))
            account_status(terms, ps, AS_OF, rules=rules)

    return k / cpu(run, repeat=1)


def account_inputs(
    loans: dict[str, list[Any]], pays: dict[str, list[Any]], i: int, rows: list[int]
) -> tuple[Any, Any, list[Payment]]:
    """What a per-account loop builds for loan row ``i``: its terms, servicing rules and payments."""
    terms, rules = terms_from_row({c: v[i] for c, v in loans.items()})
    ps = [Payment(pays["date"][r], pays["amount"][r], reference=pays["reference"][r]) for r in rows]
    return terms, rules, ps


NOW = datetime(2026, 7, 1, 2, tzinfo=UTC)  # 10:00 in Shanghai: the CN book's morning run


def head(
    loans: dict[str, list[Any]], pays: dict[str, list[Any]], m: int
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The first ``m`` loans and their payments."""
    small = {c: v[:m] for c, v in loans.items()}
    ids = set(small["loan_id"])
    rows = [r for r, lid in enumerate(pays["loan_id"]) if lid in ids]
    return small, {c: [v[r] for r in rows] for c, v in pays.items()}


def decide_loop(loans: dict[str, list[Any]], pays: dict[str, list[Any]], policy: Any, k: int) -> float:
    """Accounts/s of deciding one account at a time without autoloan.book (what book.decide did before
    it read its statuses from book.statuses): LoanTerms + Payment + account_status + Case + decide."""
    from zoneinfo import ZoneInfo

    from autoloan.compliance import Borrower
    from autoloan.policy import Case

    ids = loans["loan_id"][:k]
    rows: dict[str, list[int]] = {}
    for r, lid in enumerate(pays["loan_id"]):
        rows.setdefault(lid, []).append(r)

    def run() -> None:
        for i, lid in enumerate(ids):
            terms, rules, ps = account_inputs(loans, pays, i, rows.get(lid, []))
            borrower = Borrower(loans["jurisdiction"][i] or "CN")
            day = NOW.astimezone(ZoneInfo(borrower.timezones[0])).date()
            st = account_status(terms, ps, day, rules=rules)
            policy.decide(Case(lid, st, borrower, terms=terms, payments=tuple(ps)), NOW)

    return k / cpu(run, repeat=1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--loans", type=int, default=100_000)
    ap.add_argument("--dask", action="store_true", help="Dask LocalCluster scaling, 1 vs 2 workers")
    ap.add_argument("--spark", action="store_true", help="Spark local[1] vs local[2]")
    ap.add_argument("--simulate", type=int, default=100, help="accounts for the simulate sample")
    ap.add_argument(
        "--statuses-scaling",
        action="store_true",
        help="book.statuses (Arrow) on 1x, 4x and 10x the book and on 4x the payments per account: "
        "accounts/s and the peak RSS the call adds",
    )
    ap.add_argument(
        "--simulate-dask",
        action="store_true",
        help="the simulate sample also on a 2-process Dask LocalCluster",
    )
    ap.add_argument(
        "--simulate-target",
        action="store_true",
        help="only the issue's target: book.simulate, 10,000 new accounts x 365 days on 2 Dask workers",
    )
    args = ap.parse_args(sys.argv[1:] if __name__ == "__main__" and "bench_book" in sys.argv[0] else [])
    if args.simulate_target:
        simulate_target()
        return
    n = args.loans
    print(f"machine load (1/5/15 min): {os.getloadavg()}")
    loans, pays = common_book(n)
    print(
        f"book: {n:,} loans, {len(pays['loan_id']):,} payments ({len(pays['loan_id']) / n:.1f} per account)"
    )
    al, ap_ = arrow(loans), arrow(pays)
    pl, pp = pd.DataFrame(loans), pd.DataFrame(pays)
    figures: dict[str, float] = {}
    for label, lt, pt, money in (
        ("arrow, money=minor", al, ap_, "minor"),
        ("arrow, money=decimal", al, ap_, "decimal"),
        ("pandas, money=minor", pl, pp, "minor"),
        ("pandas, money=decimal", pl, pp, "decimal"),
        ("mapping, money=minor", loans, pays, "minor"),
        ("mapping, money=decimal", loans, pays, "decimal"),
    ):
        secs = cpu(lambda lt=lt, pt=pt, money=money: book.statuses(lt, pt, AS_OF, money=money), repeat=3)
        figures[label] = n / secs
        print(f"book.statuses  {label:<24} {n / secs:>11,.0f} accounts/s (CPU {secs:.2f} s)")
    k = min(n, 3000)
    loop = per_account_loop(loans, pays, k)
    print(f"per-account loop (LoanTerms + Payment + account_status): {loop:,.0f} accounts/s ({k:,} accounts)")
    for label, v in figures.items():
        print(f"  speed-up {label:<24} {v / loop:5.1f}x")
    st = book.statuses(al, ap_, AS_OF, money="minor")
    secs = cpu(lambda: book.classify(st), repeat=1)
    print(f"book.classify  arrow                    {n / secs:>11,.0f} accounts/s")
    from autoloan.policy import Behaviour, Policy

    policy = Policy.builtin("cn-auto")
    m = min(n, 20_000)
    small, small_pays = head(loans, pays, m)
    rates: dict[str, float] = {}
    for label, lt, pt in (
        ("mapping", small, small_pays),
        ("pandas", pd.DataFrame(small), pd.DataFrame(small_pays)),
        ("arrow", arrow(small), arrow(small_pays)),
    ):
        secs = cpu(lambda lt=lt, pt=pt: book.decide(policy, lt, pt, NOW), repeat=2)
        rates[label] = m / secs
        print(f"book.decide    {label:<24} {m / secs:>11,.0f} accounts/s ({m:,} accounts, CPU {secs:.2f} s)")
    j = min(m, 1000)
    dloop = decide_loop(small, small_pays, policy, j)
    print(
        f"per-account loop (LoanTerms + Payment + account_status + Case + Policy.decide): {dloop:,.0f} "
        f"accounts/s ({j:,} accounts); speed-up of book.decide (mapping) {rates['mapping'] / dloop:.1f}x"
    )
    rate = rates["arrow"]
    whole = 1_000_000 / figures["arrow, money=minor"] + 1_000_000 / (n / cpu(lambda: book.classify(st), 1))
    whole += 1_000_000 / rate
    print(
        f"whole path statuses + classify + decide, 1,000,000 accounts: ~{whole:,.0f} CPU s on one core "
        f"(~{whole / 2:,.0f} s on 2 cores if it scales linearly; decide dominates)"
    )
    simulate_sample(policy, Behaviour.random(seed=1), args.simulate, args.simulate_dask)
    print(f"peak RSS (this process): {rss_mb():,.0f} MB")
    if args.statuses_scaling:
        statuses_scaling(al, ap_)
    if args.dask:
        dask_scaling(loans, pays)
    if args.spark:
        spark_scaling(pl, pp)


def tiled(loans: pa.Table, pays: pa.Table, times: int) -> tuple[pa.Table, pa.Table]:
    """``times`` copies of a book, each copy's ids (and references) suffixed ``-<copy>``."""
    import pyarrow.compute as pc

    def copy(table: pa.Table, j: int, names: tuple[str, ...]) -> pa.Table:
        for name in names:
            i = table.column_names.index(name)
            col = pc.binary_join_element_wise(table.column(name), f"-{j}", "")
            table = table.set_column(i, name, col)
        return table

    return (
        pa.concat_tables([copy(loans, j, ("loan_id",)) for j in range(times)]),
        pa.concat_tables([copy(pays, j, ("loan_id", "reference")) for j in range(times)]),
    )


def statuses_scaling(al: pa.Table, ap_: pa.Table) -> None:
    """Linearity and memory of the fast path (Arrow, money=minor): the book tiled 1x / 4x / 10x (the
    same accounts per second if the cost is linear in the accounts), and a book of a third of the
    accounts 48 months on book (~2.6x the payments per account: the same payments per second if the
    cost is linear in the payments). Peak RSS: what the call adds to the process high-water mark (the
    tables are built before)."""
    n = al.num_rows
    print(f"book.statuses scaling (Arrow, money=minor, CPU best of 2), load {os.getloadavg()[0]:.1f}")
    for times in (1, 4, 10):
        lt, pt = tiled(al, ap_, times)
        before = rss_mb()
        secs = cpu(lambda lt=lt, pt=pt: book.statuses(lt, pt, AS_OF, money="minor"), repeat=2)
        added = rss_mb() - before
        print(
            f"  {lt.num_rows:>9,} accounts, {pt.num_rows:>10,} payments: {lt.num_rows / secs:>9,.0f} accounts/s, "
            f"{pt.num_rows / secs:>11,.0f} payments/s; peak RSS {rss_mb():,.0f} MB (+{added:,.0f} MB by the call)"
        )
        del lt, pt
    q = max(n // 3, 1)
    loans, pays = book.synthetic(q, seed=2026, as_of=AS_OF, mix="cn", months_on_book=48)
    loans["servicing"] = ["default"] * q
    loans["method"] = ["annuity"] * q
    lt, pt = arrow(loans), arrow(pays)
    secs = cpu(lambda: book.statuses(lt, pt, AS_OF, money="minor"), repeat=2)
    print(
        f"  {q:>9,} accounts, {pt.num_rows:>10,} payments ({pt.num_rows / q:.1f} per account, 48 months on "
        f"book): {q / secs:>9,.0f} accounts/s, {pt.num_rows / secs:>11,.0f} payments/s"
    )


def simulate_sample(policy: Any, behaviour: Any, s: int, on_dask: bool) -> None:
    """``book.simulate``: ``s`` new accounts x 365 days (cn-auto, random behaviour), CPU best of 2 on
    one core, extrapolated to the issue's 10,000 accounts; with ``on_dask`` also the same sample split
    over 2 worker processes (wall time and each worker's CPU; the result must equal the single run)."""
    loans, _ = book.synthetic(s, seed=5, as_of=date(2025, 7, 1), months_on_book=0)
    args = (date(2025, 7, 1), date(2026, 6, 30))
    runs: list[Any] = []
    secs = cpu(lambda: runs.append(book.simulate(policy, loans, behaviour, *args, seed=1)), repeat=2)
    run = runs[-1]
    print(
        f"book.simulate  {s} accounts x 365 days: {secs:.1f} CPU s ({secs * 1000 / s:.1f} ms per account-year) "
        f"-> 10,000 accounts ~{secs * 10_000 / s:,.0f} CPU s on one core (~{secs * 5_000 / s:,.0f} s on 2 "
        f"cores split by account); compliance blocks executed: {run.blocked_executed}"
    )
    if not on_dask:
        return
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    from autoloan.book import dask as book_dask

    with (
        # the workers' statistical profiler samples every 10 ms: ~15 % of a pure-Python job's CPU
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c,
        Client(c) as client,
    ):
        with dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_pandas(pd.DataFrame(loans), npartitions=max(2, min(64, s // 10)))  # balance
        book_dask.simulate(policy, frame, behaviour, args[0], args[0], seed=1)  # warm the workers up
        before = client.run(time.process_time)
        t = time.perf_counter()
        spread = book_dask.simulate(policy, frame, behaviour, *args, seed=1)
        wall = time.perf_counter() - t
        after = client.run(time.process_time)
    work = sorted(after[w] - before[w] for w in after)
    same = list(spread.accounts["states"]) == list(run.accounts["states"]) and str(spread) == str(run)
    print(
        f"book.simulate  Dask LocalCluster, 2 processes: {wall:.1f} s wall (worker CPU "
        f"{', '.join(f'{w:.1f}' for w in work)} s, {sum(work) / secs:.2f}x the single-process CPU) -> 10,000 "
        f"accounts ~{wall * 10_000 / s:,.0f} s wall on 2 cores at this load; identical to the single-process "
        f"run: {same}; load {os.getloadavg()}"
    )


def simulate_target(accounts: int = 10_000) -> None:
    """The issue-13 target: ``book.simulate`` of ``accounts`` new cn-auto accounts x 365 days (random
    behaviour) on a 2-process Dask LocalCluster, partitions of 200 accounts (each partition costs
    Dask and pandas ~20 ms): wall time, each worker's CPU and the compliance blocks executed (must be 0)."""
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    from autoloan.book import dask as book_dask
    from autoloan.policy import Behaviour, Policy

    policy, behaviour = Policy.builtin("cn-auto"), Behaviour.random(seed=1)
    loans, _ = book.synthetic(accounts, seed=5, as_of=date(2025, 7, 1), months_on_book=0)
    start, end = date(2025, 7, 1), date(2026, 6, 30)
    print(f"machine load (1/5/15 min): {os.getloadavg()}")
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c,
        Client(c) as client,
    ):
        with dask.config.set({"dataframe.convert-string": False}):
            frame = dd.from_pandas(pd.DataFrame(loans), npartitions=max(2, accounts // 200))
        book_dask.simulate(policy, frame.partitions[:2], behaviour, start, start, seed=1)  # warm up
        before = client.run(time.process_time)
        t = time.perf_counter()
        run = book_dask.simulate(policy, frame, behaviour, start, end, seed=1)
        wall = time.perf_counter() - t
        after = client.run(time.process_time)
        peak = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    work = sorted(after[w] - before[w] for w in after)
    print(
        f"book.simulate  {accounts:,} accounts x 365 days on 2 Dask workers: {wall:.1f} s wall (target 60 s); "
        f"worker CPU {', '.join(f'{w:.1f}' for w in work)} s ({sum(work) * 1000 / accounts:.1f} ms per "
        f"account-year); peak RSS per worker {', '.join(f'{v:.0f}' for v in sorted(peak.values()))} MB; "
        f"compliance blocks executed: {run.blocked_executed}; load {os.getloadavg()}"
    )


def export_pairs(loans: dict[str, list[Any]], pays: dict[str, list[Any]], where: str, parts: int) -> None:
    """The book as ``parts`` Parquet file pairs sorted by loan_id, the payments split at the loans'
    boundaries (as a nightly export bucketed by loan would be): ``where/loans/part-NN.parquet`` and
    ``where/pays/part-NN.parquet``."""
    from bisect import bisect_left

    import pyarrow.parquet as pq

    n = len(loans["loan_id"])
    os.makedirs(f"{where}/loans", exist_ok=True)
    os.makedirs(f"{where}/pays", exist_ok=True)
    edges = [n * k // parts for k in range(parts + 1)]
    cuts = [
        bisect_left(pays["loan_id"], loans["loan_id"][e]) if e < n else len(pays["loan_id"]) for e in edges
    ]
    for k in range(parts):
        a, b, pa_, pb = edges[k], edges[k + 1], cuts[k], cuts[k + 1]
        pq.write_table(pa.table({c: v[a:b] for c, v in loans.items()}), f"{where}/loans/part-{k:03d}.parquet")
        pq.write_table(
            pa.table({c: v[pa_:pb] for c, v in pays.items()}), f"{where}/pays/part-{k:03d}.parquet"
        )


def _warm() -> None:
    """What a long-running worker has done already: import the library and the dataframe stack."""
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import autoloan.book.dask  # noqa: F401
    from autoloan.policy import Policy

    Policy.builtin("cn-auto")


def dask_scaling(loans: dict[str, list[Any]], pays: dict[str, list[Any]]) -> None:
    """The whole path on Dask, 1 vs 2 workers (see :func:`dask_scaling_files`), for this book."""
    import tempfile

    n = len(loans["loan_id"])
    tmp = tempfile.mkdtemp(prefix="autoloan-bench-")
    export_pairs(loans, pays, tmp, max(16, n // 20_000))
    dask_scaling_files(tmp, n)


def dask_scaling_files(where: str, n: int) -> None:
    """The whole path (statuses + classify + decide, decisions and actions) on a Dask LocalCluster of 1
    and 2 worker processes, with ``book.dask.nightly`` (one task per partition) over the Parquet file
    pairs of :func:`export_pairs` in ``where`` (``aligned=True``: file pair *i* is partition *i* of both
    tables): workers read their own files and nothing is indexed or shuffled;
    the result tables stay on the workers (reduced to row counts), as when a job writes its output.
    Workers are warmed up first (library imported), as in a long-running cluster."""
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    from autoloan.book import dask as book_dask
    from autoloan.policy import Policy

    policy = Policy.builtin("cn-auto")
    parts = len(os.listdir(f"{where}/loans"))
    print(
        f"Dask LocalCluster (processes, 1 thread each), Parquet in ({parts} file pairs), whole path for {n:,} "
        "accounts: statuses + classify + decide (cn-auto, decisions and actions); wall time, best of 2"
    )
    base = None
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as c,
            Client(c) as client,
        ):
            client.run(_warm)
            load = os.getloadavg()
            wall, work = float("inf"), []
            for _ in range(2):  # best of 2 (wall)
                before = client.run(time.process_time)
                t = time.perf_counter()
                with dask.config.set({"dataframe.convert-string": False}):
                    dl = dd.read_parquet(f"{where}/loans/")
                    dp = dd.read_parquet(f"{where}/pays/")
                run = book_dask.nightly(policy, dl, dp, AS_OF, NOW, money="minor", aligned=True)
                counts = tuple(
                    int(x) for x in dask.compute(*(frame.map_partitions(len).sum() for frame in run))
                )
                took = time.perf_counter() - t
                after = client.run(time.process_time)
                if took < wall:
                    wall, work = took, sorted(after[w] - before[w] for w in after)
            peak = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        base = base or wall
        print(
            f"  {workers} worker(s): {wall:6.1f} s wall  {n / wall:>9,.0f} accounts/s  speed-up {base / wall:.2f}x  "
            f"worker CPU {', '.join(f'{w:.0f}' for w in work)} s  peak RSS per worker "
            f"{max(peak.values()):,.0f} MB  rows (views, decisions, actions) {counts}  "
            f"load before {load[0]:.1f}, after {os.getloadavg()[0]:.1f}"
        )


def spark_scaling(pl: pd.DataFrame, pp: pd.DataFrame) -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from autoloan.book import spark as book_spark

    print("Spark local mode: statuses + classify, wall time")
    base = None
    for cores in (1, 2):
        spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .config("spark.sql.shuffle.partitions", "16")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        sl, sp = spark.createDataFrame(pl), spark.createDataFrame(pp)
        sl.cache().count()
        sp.cache().count()
        t = time.perf_counter()
        count = book_spark.classify(book_spark.statuses(sl, sp, AS_OF)).count()
        wall = time.perf_counter() - t
        base = base or wall
        print(
            f"  local[{cores}]: {wall:6.1f} s  {count / wall:>10,.0f} accounts/s  speed-up {base / wall:.2f}x"
        )
        spark.stop()


if __name__ == "__main__":
    main()
