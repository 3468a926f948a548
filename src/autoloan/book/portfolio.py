"""``book.simulate``: a collection policy over a whole book, day by day, with a seeded behaviour model.

Every account is replayed with :func:`autoloan.policy.simulate` from its own start to ``end`` (so
its history is consistent) under one :class:`~autoloan.policy.Behaviour` (``Behaviour.random``:
per-stage pay probabilities, partial payments, answers, promises, offers taken), optionally
``stressed`` for a downturn (pay, on-time, promise-keeping and offer-taking chances divided by the
factor). Each draw is SHA-256 of (seed, account, day, purpose), so an account's run does not depend
on which process runs it, or with which others: the same seed gives the same result on one core,
on many processes, on Dask and on Spark.

The result (:class:`BookRun`) is split by experiment arm: month-end states per account (days past
due, ``paid_off``, ``charged_off``), monthly transition matrices and roll / cure rates
(:func:`autoloan.delinquency.transition_matrix`), vintage curves, actions and contact cost by kind
(``costs``: cost per action kind, from your own data), offers taken, charge-offs (the FFIEC retail
view's *loss* grade, via :func:`autoloan.delinquency.classify_all`) and recoveries (payments after
the charge-off month end), compliance blocks at execution (must be 0), and a champion-vs-challenger
table: difference in cure rate and in contact cost per account with a 95 % confidence interval
(normal approximation; z = 1.96).

>>> from datetime import date
>>> from autoloan import book
>>> from autoloan.policy import Behaviour, Policy
>>> loans, _ = book.synthetic(6, seed=3, as_of=date(2026, 1, 31), months_on_book=1)
>>> run = book.simulate(Policy.builtin("cn-auto"), loans, Behaviour.random(seed=1, pay_probability="0.05"),
...                     start=date(2026, 1, 31), end=date(2026, 4, 30), seed=1)
>>> run.blocked_executed, len(run.months), sorted(run.arms)
(0, 4, ['challenger', 'champion'])
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import autoloan.book._columns as _cols
from autoloan.book.schema import LOANS
from autoloan.book.status import ErrorLog, read_table, row_values, terms_from_row
from autoloan.compliance import Borrower
from autoloan.dates import add_months, coerce_date, days_in_month
from autoloan.delinquency import (
    TransitionMatrix,
    VintageTable,
    classify_all,
    transition_matrix,
    vintage_curves,
)
from autoloan.errors import InvalidInput
from autoloan.money import CONTEXT, to_decimal
from autoloan.policy import Behaviour, Policy
from autoloan.policy import simulate as simulate_account
from autoloan.servicing import account_status

__all__ = ["ACCOUNT_COLUMNS", "BookRun", "simulate", "simulate_accounts", "stressed", "summarize"]

#: Columns of the per-account table (``states``: month-end states joined by ``;``).
ACCOUNT_COLUMNS = (
    "loan_id",
    "arm",
    "cohort",
    "states",
    "actions",
    "contact_cost",
    "offers_taken",
    "charged_off_on",
    "recoveries",
    "blocked_executed",
)
_Z95 = Decimal("1.96")


def stressed(behaviour: Behaviour, factor: Any) -> Behaviour:
    """A downturn version of a random behaviour: pay / on-time / keep / take-offer chances ÷ ``factor``.

    >>> stressed(Behaviour.random(seed=1, pay_probability="0.1"), 2).default_pay_ppm
    50000
    """
    if not isinstance(behaviour, Behaviour):
        raise InvalidInput("behaviour", behaviour, "must be an autoloan.policy.Behaviour")
    f = to_decimal(factor, "stress")
    if not Decimal(1) <= f <= Decimal(100):
        raise InvalidInput("stress", factor, "must be between 1 (no stress) and 100")
    if f == 1:
        return behaviour

    def div(ppm: int) -> int:
        return int((Decimal(ppm) / f).to_integral_value())

    return dataclasses.replace(
        behaviour,
        pay_ppm=tuple((s, div(p)) for s, p in behaviour.pay_ppm),
        default_pay_ppm=div(behaviour.default_pay_ppm),
        on_time_ppm=div(behaviour.on_time_ppm),
        keep_ppm=div(behaviour.keep_ppm),
        take_offer_ppm=div(behaviour.take_offer_ppm),
    )


def month_ends(start: _dt.date, end: _dt.date) -> tuple[_dt.date, ...]:
    """``start``, then every month end after it up to ``end`` (and ``end`` itself)."""
    out = [start]
    k = 0
    while True:
        anchor = add_months(_dt.date(start.year, start.month, 1), k)
        last = anchor.replace(day=days_in_month(anchor.year, anchor.month))
        k += 1
        if last <= start:
            continue
        if last >= end:
            break
        out.append(last)
    if end > out[-1]:
        out.append(end)
    return tuple(out)


def _arm(policy: Policy, account_id: str) -> str:
    if not policy.experiments:
        return "all"
    return policy.experiments[0].arm_for(account_id)


def simulate_accounts(
    policy: Policy,
    loans: Any,
    behaviour: Behaviour,
    start: _dt.date | str,
    end: _dt.date | str,
    *,
    seed: int = 0,
    stress: Any = 1,
    costs: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """The per-account half of :func:`simulate` (the part Dask and Spark run partition by partition).

    Returns a table of the kind of ``loans`` with :data:`ACCOUNT_COLUMNS`. Loans starting after
    ``end`` are left out. ``seed`` replaces the behaviour's seed (a book-level seed). ``progress``,
    if given, is called as ``progress(done, total)`` before each loan and once at the end (the CLI
    draws its progress bar with it; the library itself prints nothing).
    """
    if progress is not None and not callable(progress):
        raise InvalidInput("progress", progress, "must be a callable taking (done, total), or None")
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be an autoloan.policy.Policy")
    if not isinstance(behaviour, Behaviour):
        raise InvalidInput("behaviour", behaviour, "must be an autoloan.policy.Behaviour")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise InvalidInput("seed", seed, "must be an integer from 0 to 2**63 - 1")
    start = coerce_date(start, "start")
    end = coerce_date(end, "end")
    if end < start:
        raise InvalidInput("end", end, "must not be before start")
    if (end - start).days > 3660:
        raise InvalidInput("end", end, "simulations are limited to ten years")
    price = _prices(costs)
    beh = stressed(dataclasses.replace(behaviour, seed=seed), stress)
    kind = _cols.kind_of(loans, "loans")
    n, raw = read_table(loans, kind, LOANS, "loans")
    months = month_ends(start, end)
    errs = ErrorLog()
    out: dict[str, list[Any]] = {name: [] for name in ACCOUNT_COLUMNS}
    for i in range(n):
        if progress is not None:
            progress(i, n)
        row = row_values(raw, LOANS, i)
        loan_id = row["loan_id"]
        if not isinstance(loan_id, str | int) or isinstance(loan_id, bool):
            errs.add("loans", i, loan_id, "loan_id", "must be a string or an integer", loan_id)
            continue
        try:
            terms, _rules = terms_from_row(row)
            borrower = Borrower(jurisdiction=row.get("jurisdiction") or "CN")
        except InvalidInput as exc:
            errs.from_exc("loans", i, loan_id, exc, "terms")
            continue
        if terms.start > end:
            continue
        account_id = str(loan_id)
        try:
            run = simulate_account(
                policy,
                terms,
                borrower=borrower,
                start=terms.start,
                end=end,
                behaviour=beh,
                account_id=account_id,
            )
        except InvalidInput as exc:
            errs.add("loans", i, loan_id, "simulation", exc.reason, exc.value)
            continue
        pays = list(run.payments)
        states: list[str] = []
        charged: _dt.date | None = None
        for m in months:
            if m < terms.start:
                states.append("")
                continue
            if charged is not None:
                states.append("charged_off")
                continue
            st = account_status(terms, [p for p in pays if p.date <= m], m)
            if st.is_paid_off:
                states.append("paid_off")
            elif classify_all(st).ffiec.grade.value == "loss":
                charged = m
                states.append("charged_off")
            else:
                states.append(str(st.days_past_due))
        by_kind = Counter(a.kind for a in run.actions)
        cost = sum((price.get(k, Decimal(0)) * c for k, c in by_kind.items()), Decimal(0))
        recovered = sum((p.amount for p in pays if charged is not None and p.date > charged), Decimal(0))
        out["loan_id"].append(loan_id)
        out["arm"].append(_arm(policy, account_id))
        out["cohort"].append(terms.start.strftime("%Y-%m"))
        out["states"].append(";".join(states))
        out["actions"].append(",".join(f"{k}:{c}" for k, c in sorted(by_kind.items())))
        out["contact_cost"].append(cost)
        out["offers_taken"].append(len(run.offers_taken))
        out["charged_off_on"].append(charged)
        out["recoveries"].append(recovered)
        out["blocked_executed"].append(run.blocked_executed)
    if progress is not None:
        progress(n, n)
    if errs.rows:
        raise errs.exception()
    types = {
        "loan_id": "id",
        "arm": "text",
        "cohort": "text",
        "states": "text",
        "actions": "text",
        "contact_cost": "money",
        "offers_taken": "int",
        "charged_off_on": "date",
        "recoveries": "money",
        "blocked_executed": "int",
    }
    return _cols.build(kind, out, types)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class BookRun:
    """The result of :func:`simulate`, split by experiment arm.

    ``accounts`` (per-account table), ``months`` (the snapshot dates), ``arms``, ``transitions``
    (arm → one :class:`~autoloan.delinquency.TransitionMatrix` per month step), ``pooled`` (arm →
    all steps pooled: roll and cure rates via ``flow_rates()``, ``cure_rates()``), ``vintages``
    (arm → :class:`~autoloan.delinquency.VintageTable`, 30+ days past due), ``actions_by_kind`` and
    ``contact_cost`` (arm → kind → count / cost), ``offers_taken``, ``charge_offs``, ``recoveries``,
    ``blocked_executed`` (must be 0) and ``comparison`` (rows: metric, champion, challenger,
    difference, 95 % CI).
    """

    accounts: Any
    months: tuple[_dt.date, ...]
    arms: tuple[str, ...]
    transitions: dict[str, tuple[TransitionMatrix, ...]]
    pooled: dict[str, TransitionMatrix]
    vintages: dict[str, VintageTable]
    actions_by_kind: dict[str, dict[str, int]]
    contact_cost: dict[str, dict[str, Decimal]]
    offers_taken: dict[str, int]
    charge_offs: dict[str, int]
    recoveries: dict[str, Decimal]
    blocked_executed: int
    comparison: tuple[dict[str, Any], ...]

    def __str__(self) -> str:
        lines = ["metric                        champion    challenger  difference  95% CI"]
        for r in self.comparison:
            ci = "-" if r["ci_low"] is None else f"[{r['ci_low']}, {r['ci_high']}]"
            cells = (_s(r["champion"]), _s(r["challenger"]), _s(r["difference"]))
            lines.append(f"{r['metric']:<28} {cells[0]:>10} {cells[1]:>12} {cells[2]:>11}  {ci}")
        return "\n".join(lines)


def _s(v: Any) -> str:
    return "-" if v is None else str(v)


def _state(text: str) -> int | str:
    return text if not text.isdigit() else int(text)


def _mean_var(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    n = len(values)
    mean = sum(values, Decimal(0)) / n
    var = sum(((v - mean) ** 2 for v in values), Decimal(0)) / (n - 1) if n > 1 else Decimal(0)
    return mean, var


_Q = Decimal("0.000001")


def _diff_ci(a: list[Decimal], b: list[Decimal]) -> tuple[Decimal | None, ...]:
    """(mean a, mean b, b - a, CI low, CI high) with a normal-approximation 95 % interval."""
    if not a or not b:
        return (None, None, None, None, None)
    ma, va = _mean_var(a)
    mb, vb = _mean_var(b)
    d = mb - ma
    se = (va / len(a) + vb / len(b)).sqrt(CONTEXT)
    q = [x.quantize(_Q) for x in (ma, mb, d, d - _Z95 * se, d + _Z95 * se)]
    return tuple(q)


def summarize(
    accounts: Any, policy: Policy, months: tuple[_dt.date, ...], *, costs: Mapping[str, Any] | None = None
) -> BookRun:
    """The book-level half of :func:`simulate`: aggregate a per-account table (any kind).

    ``months`` are the snapshot dates the per-account ``states`` refer to (``BookRun.months``).
    """
    if not isinstance(policy, Policy):
        raise InvalidInput("policy", policy, "must be an autoloan.policy.Policy")
    priced = _prices(costs)
    kind = _cols.kind_of(accounts, "accounts")
    n = _cols.n_rows(accounts, kind, "accounts")
    cols = {name: [_cols.py_value(v) for v in _cols.column(accounts, kind, name)] for name in ACCOUNT_COLUMNS}
    order = sorted(range(n), key=lambda i: str(cols["loan_id"][i]))  # engine-independent order
    arms = tuple(a for a, _ in policy.experiments[0].arms) if policy.experiments else ("all",)
    transitions: dict[str, tuple[TransitionMatrix, ...]] = {}
    pooled: dict[str, TransitionMatrix] = {}
    vintages: dict[str, VintageTable] = {}
    by_kind: dict[str, dict[str, int]] = {}
    cost_kind: dict[str, dict[str, Decimal]] = {}
    offers: dict[str, int] = {}
    charge: dict[str, int] = {}
    recov: dict[str, Decimal] = {}
    cure: dict[str, list[Decimal]] = {}
    cost_per: dict[str, list[Decimal]] = {}
    charged_share: dict[str, list[Decimal]] = {}
    blocked = 0
    for arm in arms:
        rows = [i for i in order if cols["arm"][i] == arm]
        paths = [[_state(s) for s in str(cols["states"][i]).split(";")] for i in rows]
        steps = []
        all_open: list[Any] = []
        all_close: list[Any] = []
        for k in range(1, len(months)):
            pairs = [(p[k - 1], p[k]) for p in paths if p[k - 1] != "" and p[k] != ""]
            pairs = [(a, b) for a, b in pairs if a not in ("paid_off", "charged_off")]
            opening = [a for a, _ in pairs]
            closing = [b for _, b in pairs]
            steps.append(transition_matrix(opening, closing, scheme="cycles"))
            all_open += opening
            all_close += closing
        transitions[arm] = tuple(steps)
        pooled[arm] = transition_matrix(all_open, all_close, scheme="cycles")
        obs = []
        for i, p in zip(rows, paths, strict=True):
            mob = 0
            for s in p:
                if s == "":
                    continue
                obs.append(
                    (str(cols["loan_id"][i]), cols["cohort"][i], mob, "current" if s == "paid_off" else s)
                )
                mob += 1
        vintages[arm] = vintage_curves(obs, threshold_days=30)
        kinds: Counter[str] = Counter()
        for i in rows:
            for part in str(cols["actions"][i] or "").split(","):
                if part:
                    name, count = part.split(":")
                    kinds[name] += int(count)
        by_kind[arm] = dict(sorted(kinds.items()))
        offers[arm] = sum(int(cols["offers_taken"][i]) for i in rows)
        charge[arm] = sum(1 for i in rows if cols["charged_off_on"][i] is not None)
        recov[arm] = sum((Decimal(cols["recoveries"][i]) for i in rows), Decimal(0))
        blocked += sum(int(cols["blocked_executed"][i]) for i in rows)
        cost_per[arm] = [Decimal(cols["contact_cost"][i]) for i in rows]
        charged_share[arm] = [Decimal(1 if cols["charged_off_on"][i] is not None else 0) for i in rows]
        cure[arm] = []
        for p in paths:
            seen = [s for s in p if s != ""]
            if any(isinstance(s, int) and s > 0 for s in seen[:-1]):
                cure[arm].append(Decimal(1 if seen[-1] in (0, "paid_off") else 0))
        cost_kind[arm] = {}
    for arm in arms:
        cost_kind[arm] = {k: priced.get(k, Decimal(0)) * c for k, c in by_kind[arm].items()}
    comparison: list[dict[str, Any]] = []
    if len(arms) >= 2:
        champion, challenger = arms[0], arms[1]
        for metric, data in (
            ("cure_rate", cure),
            ("contact_cost_per_account", cost_per),
            ("charge_off_rate", charged_share),
        ):
            ma, mb, d, lo, hi = _diff_ci(data[champion], data[challenger])
            comparison.append(
                {
                    "metric": metric,
                    "champion": ma,
                    "challenger": mb,
                    "difference": d,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_champion": len(data[champion]),
                    "n_challenger": len(data[challenger]),
                }
            )
    return BookRun(
        accounts,
        months,
        arms,
        transitions,
        pooled,
        vintages,
        by_kind,
        cost_kind,
        offers,
        charge,
        recov,
        blocked,
        tuple(comparison),
    )


def _prices(costs: Mapping[str, Any] | None) -> dict[str, Decimal]:
    price: dict[str, Decimal] = {}
    if costs is None:
        return price
    if not isinstance(costs, Mapping):
        raise InvalidInput("costs", costs, "must map action kinds to a cost per action")
    for k, v in costs.items():
        if not isinstance(k, str):
            raise InvalidInput("costs", k, "keys must be action kinds")
        c = to_decimal(v, f"costs[{k!r}]")
        if c < 0:
            raise InvalidInput(f"costs[{k!r}]", v, "must not be negative")
        price[k] = c
    return price


def simulate(
    policy: Policy,
    loans: Any,
    behaviour: Behaviour,
    start: _dt.date | str,
    end: _dt.date | str,
    seed: int = 0,
    *,
    stress: Any = 1,
    costs: Mapping[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BookRun:
    """Run ``policy`` over every loan from its start to ``end``; report ``start`` … ``end`` by arm.

    ``costs``: cost per action kind (``{"sms": "0.05", "call": "1.20", "visit": "80"}``) — the
    contact cost columns are 0 without it. ``stress``: a downturn factor (see :func:`stressed`).
    ``progress(done, total)`` is called as the loans are replayed (see :func:`simulate_accounts`).

    Cost: one engine decision per account and day (more on days with actions or payments), about
    400 per account-year, linear in accounts; each account replays from its own start. On several
    cores, split the book by account with :func:`autoloan.book.dask.simulate` (a ``LocalCluster``
    with one single-threaded worker process per core; with
    ``dask.config.set({"distributed.worker.profile.enabled": False})`` the workers do not spend ~15 %
    of their CPU sampling this pure-Python work) or :func:`autoloan.book.spark.simulate` — the same
    seed gives the same result.
    """
    accounts = simulate_accounts(
        policy, loans, behaviour, start, end, seed=seed, stress=stress, costs=costs, progress=progress
    )
    months = month_ends(coerce_date(start, "start"), coerce_date(end, "end"))
    return summarize(accounts, policy, months, costs=costs)
