"""Pictures of schedules, accounts and portfolios (optional: ``pip install 'autoloan[plot]'``).

Every function draws on the matplotlib ``Axes`` you pass as ``ax`` (or on a new figure) and returns
the ``Axes`` (the ``Figure`` for the two-panel account timeline). Nothing here saves a file or calls
``show``: that is the caller's choice (``fig.savefig(...)``, or a notebook displays it). matplotlib is
imported when a function is first called, never by ``import autoloan``; without it the call raises
``ImportError`` naming the extra to install. Money is drawn as float — pictures only; the numbers
themselves stay Decimal in the results.

>>> from datetime import date
>>> import autoloan as al
>>> from autoloan import plot
>>> s = al.amortize(al.LoanTerms(principal=12000, annual_rate="0.06", term=12, start=date(2026, 1, 1)))
>>> ax = plot.schedule_balance(s)
>>> [round(y) for y in ax.lines[0].get_ydata().tolist()][:3]
[12000, 11027, 10050]
>>> plot.close(ax)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from autoloan.amortization import LoanTerms, Schedule
from autoloan.delinquency import BucketScheme, TransitionMatrix, VintageTable
from autoloan.errors import InvalidInput

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "account_timeline",
    "close",
    "compare_methods",
    "cure_curves",
    "dpd_history",
    "grade_counts",
    "payment_split",
    "schedule_balance",
    "transition_heatmap",
    "vintages",
]

_HINT = "autoloan.plot needs matplotlib: pip install 'autoloan[plot]'"
_COLUMNS = ("payment", "principal", "interest", "fees", "balance")
_MAX_DAYS = 3660  # an account timeline covers at most ten years of daily status


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised with matplotlib hidden
        raise ImportError(_HINT) from exc
    return plt


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        if not hasattr(ax, "plot"):
            raise InvalidInput("ax", ax, "must be a matplotlib Axes")
        return ax
    _, new = _pyplot().subplots(figsize=(8, 4))
    return new  # type: ignore[no-any-return]


def _schedule(value: Any, field: str) -> Schedule:
    if not isinstance(value, Schedule):
        raise InvalidInput(field, value, "must be a Schedule (from autoloan.amortize)")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInput(field, value, "must be a list")
    return list(value)


def _f(value: Decimal | int | None) -> float:
    return float("nan") if value is None else float(value)


def close(what: Any) -> None:
    """Close the figure of ``what`` (an ``Axes`` or a ``Figure``), freeing its memory.

    >>> from autoloan import plot
    >>> plot.close(plot.cure_curves({"champion": [0, "0.2"]}))
    """
    figure = getattr(what, "figure", what)
    _pyplot().close(figure)


def schedule_balance(schedule: Schedule, *, ax: Axes | None = None) -> Axes:
    """The outstanding balance over time: one point at the start, one after each installment.

    The line's x data are the start date and the due dates, its y data the amount amortized followed
    by the ``balance`` column.

    >>> from datetime import date
    >>> import autoloan as al
    >>> from autoloan import plot
    >>> s = al.amortize(al.LoanTerms(principal=1200, annual_rate=0, term=3, start=date(2026, 1, 1)))
    >>> ax = plot.schedule_balance(s)
    >>> ax.lines[0].get_ydata().tolist()
    [1200.0, 800.0, 400.0, 0.0]
    >>> plot.close(ax)
    """
    s = _schedule(schedule, "schedule")
    ax = _axes(ax)
    t = s.terms
    x = [t.start, *(i.due_date for i in s)]
    y = [_f(s.total_principal), *(_f(i.balance) for i in s)]
    ax.plot(x, y, drawstyle="steps-post", label=f"{t.method.label_en} balance")
    ax.set_title(f"Balance: {t.currency} {t.note_amount:,} at {t.annual_rate * 100:.2f}% over {t.term}")
    ax.set_ylabel(f"balance ({t.currency})")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    return ax


def payment_split(schedule: Schedule, *, ax: Axes | None = None) -> Axes:
    """Each installment as a stacked bar: principal, then interest, then fees (when there are any).

    >>> from datetime import date
    >>> import autoloan as al
    >>> from autoloan import plot
    >>> s = al.amortize(al.LoanTerms(principal=1200, annual_rate="0.12", term=3, start=date(2026, 1, 1)))
    >>> ax = plot.payment_split(s)
    >>> [round(float(b.get_height()), 2) for b in ax.containers[1]]   # the interest bars
    [12.0, 8.04, 4.04]
    >>> plot.close(ax)
    """
    s = _schedule(schedule, "schedule")
    ax = _axes(ax)
    x = [i.number for i in s]
    principal = [_f(i.principal) for i in s]
    interest = [_f(i.interest) for i in s]
    ax.bar(x, principal, label="principal", color="tab:blue")
    ax.bar(x, interest, bottom=principal, label="interest", color="tab:orange")
    if s.total_fees:
        bottom = [p + i for p, i in zip(principal, interest, strict=True)]
        ax.bar(x, [_f(i.fees) for i in s], bottom=bottom, label="fees", color="tab:gray")
    ax.set_xlabel("installment")
    ax.set_ylabel(f"amount ({s.terms.currency})")
    ax.set_title(f"{s.terms.method.label_en}: principal and interest in each payment")
    ax.legend()
    return ax


def compare_methods(
    schedules: Iterable[Schedule],
    *,
    column: str = "payment",
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Several schedules side by side: one line per schedule of ``column`` by installment number.

    Each line's legend names the method and its total interest, so 等额本息 (annuity) against 等额本金
    (equal principal) shows both the payment shape and the cost.

    >>> from datetime import date
    >>> import autoloan as al
    >>> from autoloan import plot
    >>> t = al.LoanTerms(principal=1200, annual_rate="0.12", term=3, start=date(2026, 1, 1))
    >>> ax = plot.compare_methods([al.amortize(t), al.amortize(t.replace(method="equal_principal"))])
    >>> [line.get_ydata().tolist()[0] for line in ax.lines]
    [408.03, 412.0]
    >>> plot.close(ax)
    """
    items = [schedules] if isinstance(schedules, Schedule) else _list(schedules, "schedules")
    if not items:
        raise InvalidInput("schedules", schedules, "give at least one Schedule")
    for n, s in enumerate(items):
        _schedule(s, f"schedules[{n}]")
    if not isinstance(column, str) or column not in _COLUMNS:
        raise InvalidInput("column", column, "must be one of " + ", ".join(_COLUMNS))
    if labels is not None and (isinstance(labels, str) or len(_list(labels, "labels")) != len(items)):
        raise InvalidInput("labels", labels, f"give one label per schedule ({len(items)})")
    ax = _axes(ax)
    for n, s in enumerate(items):
        name = labels[n] if labels is not None else s.terms.method.label_en
        values = [_f(getattr(i, column)) for i in s]
        label = f"{name} — total interest {s.total_interest:,}"
        ax.plot([i.number for i in s], values, marker="o", markersize=3, label=label)
    ax.set_xlabel("installment")
    ax.set_ylabel(f"{column} ({items[0].terms.currency})")
    ax.set_title(f"{column} by method")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def _bucket_bands(ax: Axes, scheme: BucketScheme, top_dpd: float) -> None:
    """Shade each delinquency bucket's DPD range (up to ``top_dpd``) and name it at the right edge."""
    for n, bucket in enumerate(scheme.buckets):
        if bucket.low > top_dpd:
            break
        high = top_dpd * 1.15 if bucket.high is None else min(bucket.high + 1, top_dpd * 1.15)
        ax.axhspan(bucket.low, high, color="tab:red", alpha=0.04 + 0.05 * (n % 2), linewidth=0)
        mid = (bucket.low + high) / 2
        ax.text(1.005, mid, bucket.name, transform=ax.get_yaxis_transform(), va="center", fontsize=8)


def dpd_history(points: Iterable[Any], *, scheme: BucketScheme | None = None, ax: Axes | None = None) -> Axes:
    """Days past due over time — month-end snapshots, say — over shaded bucket bands.

    ``points``: ``(date, days_past_due)`` pairs in any order (drawn sorted by date); one point is
    drawn as a single marker in its band. ``scheme`` names the bands (default M0–M7+).

    >>> from datetime import date
    >>> from autoloan import plot
    >>> ax = plot.dpd_history([(date(2026, 1, 31), 0), (date(2026, 2, 28), 28), (date(2026, 3, 31), 59)])
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 28.0, 59.0]
    >>> plot.close(ax)
    """
    pairs = _list(points, "points")
    if not pairs:
        raise InvalidInput("points", points, "needs at least one (date, days_past_due) pair")
    clean: list[tuple[date, float]] = []
    for n, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise InvalidInput(f"points[{n}]", pair, "must be a (date, days_past_due) pair")
        when, dpd = pair
        if isinstance(dpd, bool) or not isinstance(dpd, int) or dpd < 0:
            raise InvalidInput(f"points[{n}][1]", dpd, "days past due must be a whole number >= 0")
        try:
            clean.append((_when(when), float(dpd)))
        except InvalidInput:
            raise InvalidInput(f"points[{n}][0]", when, "must be a date or datetime") from None
    clean.sort(key=lambda p: p[0])
    scheme = BucketScheme.cycles() if scheme is None else scheme
    if not isinstance(scheme, BucketScheme):
        raise InvalidInput("scheme", scheme, "must be a BucketScheme")
    ax = _axes(ax)
    top_dpd = max(max(v for _, v in clean), 1.0)
    _bucket_bands(ax, scheme, top_dpd)
    xs: Any = [d for d, _ in clean]  # matplotlib converts dates itself
    ax.plot(xs, [v for _, v in clean], color="black", marker="o", markersize=4)
    ax.set_ylim(0, top_dpd * 1.15)
    ax.set_ylabel("days past due")
    ax.set_title("days past due over bucket bands")
    ax.grid(True, alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def grade_counts(
    grades: Iterable[Any], *, order: Sequence[str] | None = None, ax: Axes | None = None
) -> Axes:
    """Accounts per grade (M-bucket, 五级分类, stage …) as bars — the shape of a classified book.

    ``grades``: one grade per account (strings; ``None`` counts as "(none)"). ``order``: the bars'
    order (grades seen but not listed follow, sorted); by default sorted.

    >>> from autoloan import plot
    >>> ax = plot.grade_counts(["M0", "M1", "M0", "M3"], order=["M0", "M1", "M2", "M3"])
    >>> [int(p.get_height()) for p in ax.patches]
    [2, 1, 0, 1]
    >>> plot.close(ax)
    """
    values = _list(grades, "grades")
    counts: dict[str, int] = {}
    for v in values:
        key = "(none)" if v is None else str(getattr(v, "value", v))
        counts[key] = counts.get(key, 0) + 1
    if order is not None and (isinstance(order, str) or not isinstance(order, Sequence)):
        raise InvalidInput("order", order, "must be a sequence of grade names")
    names = [str(o) for o in order] if order is not None else []
    names += sorted(k for k in counts if k not in names)
    ax = _axes(ax)
    heights = [counts.get(n, 0) for n in names]
    bars = ax.bar(names, heights, color="tab:blue")
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("accounts")
    ax.set_title(f"{len(values):,} accounts by grade")
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def _when(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidInput("at", value, "must be a date or datetime")


def account_timeline(
    terms: LoanTerms,
    payments: Iterable[Any] = (),
    *,
    end: date,
    start: date | None = None,
    rules: Any = None,
    scheme: BucketScheme | None = None,
    actions: Iterable[Any] = (),
    run: Any = None,
    ax: Sequence[Axes] | None = None,
) -> Figure:
    """One account over time, in two panels sharing the date axis.

    Top: cumulative amount scheduled against cumulative amount paid, with each payment as a marker.
    Bottom: days past due each day (from :func:`autoloan.servicing.account_status` with ``rules``),
    over shaded delinquency bucket bands (``scheme``, default M0–M7+), collection ``actions`` as
    markers at the day they happen, and — from a policy simulation ``run`` (anything with
    ``stage_entries`` as ``(when, stage_id)`` pairs and ``actions`` with ``.kind`` and ``.at``) — the
    stages as labelled bands. ``ax``: two Axes to draw on (top, bottom), or None for a new figure.

    >>> from datetime import date
    >>> import autoloan as al
    >>> from autoloan import plot
    >>> from autoloan.servicing import Payment
    >>> t = al.LoanTerms(principal=1200, annual_rate=0, term=3, start=date(2026, 1, 1))
    >>> fig = plot.account_timeline(t, [Payment(date(2026, 2, 1), 400)], end=date(2026, 4, 1))
    >>> top, bottom = fig.axes
    >>> max(bottom.lines[0].get_ydata().tolist())     # the March installment is 31 days late on April 1
    31.0
    >>> plot.close(fig)
    """
    from autoloan.servicing import Payment, account_status

    if not isinstance(terms, LoanTerms):
        raise InvalidInput("terms", terms, "must be a LoanTerms")
    paid = _list(payments, "payments")
    if run is not None and not paid:
        paid = _list(getattr(run, "payments", ()) or (), "run.payments")
    for n, p in enumerate(paid):
        if not isinstance(p, Payment):
            raise InvalidInput(f"payments[{n}]", p, "must be a servicing.Payment")
    first = terms.start if start is None else start
    if not isinstance(end, date) or not isinstance(first, date) or end <= first:
        raise InvalidInput("end", end, f"must be a date after {first}")
    span = (end - first).days
    if span > _MAX_DAYS:
        raise InvalidInput("end", end, f"the timeline covers at most {_MAX_DAYS} days")
    scheme = BucketScheme.cycles() if scheme is None else scheme
    plt = _pyplot()
    if ax is None:
        fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(9, 6), height_ratios=(1, 1))
    else:
        top, bottom = ax
        fig = top.figure
    days = [first + timedelta(days=k) for k in range(span + 1)]
    extra = {} if rules is None else {"rules": rules}
    statuses = [account_status(terms, paid, day, **extra) for day in days]
    dpd = [float(st.days_past_due) for st in statuses]
    # top: scheduled vs paid, cumulative
    due_dates = [i.due_date for i in statuses[-1].installments]
    dues = [i.due for i in statuses[-1].installments]
    scheduled = [
        _f(sum((d for dd, d in zip(due_dates, dues, strict=True) if dd <= day), Decimal(0))) for day in days
    ]
    received = sorted(paid, key=lambda p: p.date)
    cumulative = [_f(sum((p.amount for p in received if p.date <= day), Decimal(0))) for day in days]
    top.plot(days, scheduled, drawstyle="steps-post", label="scheduled (cumulative)")
    top.plot(days, cumulative, drawstyle="steps-post", label="paid (cumulative)")
    shown = [p for p in received if first <= p.date <= end]
    if shown:
        top.plot(
            [p.date for p in shown],
            [_f(sum((q.amount for q in received if q.date <= p.date), Decimal(0))) for p in shown],
            linestyle="none",
            marker="o",
            color="tab:green",
            label="payment",
        )
    top.set_ylabel(f"amount ({terms.currency})")
    top.set_title(f"Account timeline: {terms.currency} {terms.note_amount:,}, {terms.method.label_en}")
    top.legend(loc="upper left", bbox_to_anchor=(1.06, 1.0), fontsize=8)
    top.grid(True, alpha=0.3)
    # bottom: DPD over bucket bands, actions and stages
    top_dpd = max(max(dpd), 1.0)
    _bucket_bands(bottom, scheme, top_dpd)
    bottom.plot(days, dpd, color="black", label="days past due")
    events = _list(actions, "actions") or _list(getattr(run, "actions", ()) or (), "run.actions")
    by_kind: dict[str, list[date]] = {}
    for n, a in enumerate(events):
        kind = getattr(a, "kind", None)
        at = getattr(a, "at", None)
        if kind is None or at is None:
            raise InvalidInput(f"actions[{n}]", a, "needs .kind and .at")
        by_kind.setdefault(str(getattr(kind, "value", kind)), []).append(_when(at))
    index = {day: k for k, day in enumerate(days)}
    for kind, whens in sorted(by_kind.items()):
        inside = [w for w in whens if w in index]
        bottom.plot(inside, [dpd[index[w]] for w in inside], linestyle="none", marker="v", label=kind)
    entries = [
        (_when(w), str(s)) for w, s in _list(getattr(run, "stage_entries", ()) or (), "run.stage_entries")
    ]
    for n, (when, stage) in enumerate(entries):
        until = entries[n + 1][0] if n + 1 < len(entries) else end
        left, right = max(when, first), min(until, end)
        if left < right:
            bottom.axvspan(left, right, color=f"C{n % 10}", alpha=0.12, linewidth=0)
            bottom.text(left, top_dpd * 1.1, f" {stage}", va="top", fontsize=8)
    bottom.set_ylim(0, top_dpd * 1.15)
    bottom.set_ylabel("days past due")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.06, 1.0), fontsize=8)
    bottom.grid(True, alpha=0.3)
    fig.autofmt_xdate()
    return fig  # type: ignore[no-any-return]


def transition_heatmap(
    matrix: TransitionMatrix, *, by: str = "count", percent: bool = False, ax: Axes | None = None
) -> Axes:
    """The transition (roll-rate) matrix as a heatmap: opening state down, closing state across.

    The image's cells are the counts (``by="balance"``: opening balances), or with ``percent=True``
    the row shares in percent; each cell is annotated with its value.

    >>> from autoloan import plot
    >>> from autoloan.delinquency import transition_matrix
    >>> m = transition_matrix([0, 0, 35], [0, 35, 0])
    >>> ax = plot.transition_heatmap(m)
    >>> ax.images[0].get_array()[0][:3].tolist()
    [1.0, 0.0, 1.0]
    >>> plot.close(ax)
    """
    if not isinstance(matrix, TransitionMatrix):
        raise InvalidInput("matrix", matrix, "must be a TransitionMatrix")
    if percent:
        grid = [[_f(None if r is None else r * 100) for r in row] for row in matrix.rates(by=by)]
    else:
        grid = [[_f(row[s]) for s in matrix.states] for row in matrix.to_rows(by=by)]
    ax = _axes(ax)
    image = ax.imshow(grid, cmap="Reds", aspect="auto")
    states = list(matrix.states)
    ax.set_xticks(range(len(states)), states, rotation=45, ha="right")
    ax.set_yticks(range(len(states)), states)
    ax.set_xlabel("closing state")
    ax.set_ylabel("opening state")
    finite = [v for row in grid for v in row if v == v]
    high = max(finite, default=0.0)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v == v:
                text = f"{v:.1f}%" if percent else (f"{v:,.0f}" if by == "count" else f"{v:,.2f}")
                color = "white" if high and v > high * 0.6 else "black"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=color)
    ax.set_title("roll rates (row %)" if percent else f"transitions ({by})")
    ax.figure.colorbar(image, ax=ax)
    return ax


def vintages(table: VintageTable, *, ax: Axes | None = None) -> Axes:
    """Vintage curves: each cohort's cumulative bad rate (percent) by month on book.

    >>> from autoloan import plot
    >>> from autoloan.delinquency import vintage_curves
    >>> t = vintage_curves([("a", "2024-01", 0, 0), ("a", "2024-01", 1, 95), ("b", "2024-01", 1, 0)],
    ...                    threshold_days=90)
    >>> ax = plot.vintages(t)
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 50.0]
    >>> plot.close(ax)
    """
    if not isinstance(table, VintageTable):
        raise InvalidInput("table", table, "must be a VintageTable")
    ax = _axes(ax)
    for cohort, size, rates in zip(table.cohorts, table.sizes, table.rates, strict=True):
        points = [(m, _f(r * 100)) for m, r in enumerate(rates) if r is not None]
        ax.plot(
            [m for m, _ in points],
            [v for _, v in points],
            marker="o",
            markersize=3,
            label=f"{cohort} ({size} loans)",
        )
    ax.set_xlabel("months on book")
    ax.set_ylabel(f"ever {table.threshold_days}+ days past due (%)")
    ax.set_title("vintage curves")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def _first_cure(matrix: Any) -> Decimal | None:
    """Share of the first delinquent bucket back to current at the end of a month step."""
    if not isinstance(matrix, TransitionMatrix) or len(matrix.buckets) < 2:
        raise InvalidInput("transitions", matrix, "must be TransitionMatrix objects with two buckets or more")
    return matrix.cure_rates().get(matrix.buckets[1])


def _curves(curves: Any) -> dict[str, list[float]]:
    source = curves
    if not isinstance(source, Mapping):
        transitions = getattr(source, "transitions", None)
        if isinstance(transitions, Mapping):  # a portfolio simulation: arm -> monthly matrices
            source = {
                arm: [_first_cure(m) for m in _list(ms, "transitions")] for arm, ms in transitions.items()
            }
        else:
            attr = getattr(source, "cure_curves", None)
            source = attr() if callable(attr) else attr
    if not isinstance(source, Mapping) or not source:
        raise InvalidInput(
            "curves", curves, "must map each arm (champion, challenger …) to its cure rates by period"
        )
    out: dict[str, list[float]] = {}
    from autoloan.money import to_rate

    for arm, values in source.items():
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise InvalidInput(f"curves[{arm!r}]", values, "must be a sequence of rates")
        out[str(arm)] = [_f(None if v is None else to_rate(v, f"curves[{arm!r}]")) for v in values]
    return out


def cure_curves(curves: Any, *, unit: str = "month", ax: Axes | None = None) -> Axes:
    """Champion against challenger: each arm's cumulative cure rate (percent) by period since entry.

    ``curves`` maps an arm name to its cure rates by period (fractions, ``None`` for no data), or is
    an object with a ``cure_curves`` attribute or method giving that mapping, or a portfolio
    simulation result with ``transitions`` (arm → one ``TransitionMatrix`` per month, as
    :func:`autoloan.book.simulate` returns): then each month's point is the share of the first
    delinquent bucket (M1) back to current at the month's end. The champion is drawn solid, the
    other arms dashed.

    >>> from autoloan import plot
    >>> ax = plot.cure_curves({"champion": ["0.10", "0.25"], "challenger": ["0.12", "0.31"]})
    >>> [line.get_ydata().tolist() for line in ax.lines]
    [[10.0, 25.0], [12.0, 31.0]]
    >>> plot.close(ax)
    """
    data = _curves(curves)
    ax = _axes(ax)
    for arm, values in data.items():
        style = "-" if arm == "champion" else "--"
        ax.plot(
            range(1, len(values) + 1), [v * 100 for v in values], style, marker="o", markersize=3, label=arm
        )
    ax.set_xlabel(f"{unit}s since entering collections")
    ax.set_ylabel("cured (%)")
    ax.set_title("cure curves by experiment arm")
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax
