"""Tables for notebooks and terminals: the HTML (``_repr_html_``), text (``__str__``) and pandas views of
autoloan's results, in one place.

This module imports nothing from the rest of autoloan, so any layer may use it. A result class adds
one-line methods that delegate here::

    def _repr_html_(self) -> str:
        return render_html(self)

:func:`render_html`, :func:`render_text`, :func:`render_repr` and :func:`rows_of` pick the view by the
class name and read the object's public attributes (duck typing); an unknown object falls back to its
``to_rows()`` or ``to_dict()``. :func:`html_table` and :func:`text_table` are the building blocks.
Money (``Decimal``) is shown with thousands separators, dates in ISO 8601, enums by their value.

>>> from decimal import Decimal
>>> print(text_table([{"month": 1, "payment": Decimal("2786.23")}], title="Plan"))
Plan
month  payment
-----  --------
    1  2,786.23
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

__all__ = [
    "cell",
    "dataframe",
    "html_fields",
    "html_table",
    "render_html",
    "render_repr",
    "render_text",
    "rows_of",
    "text_table",
    "to_pandas",
]

MAX_ROWS = 60
"""Tables longer than this show their first and last ``MAX_ROWS // 2`` rows in HTML."""

_STYLE = (
    "<style>table.autoloan{border-collapse:collapse;font-size:0.9em}"
    "table.autoloan th,table.autoloan td{padding:2px 8px;border-bottom:1px solid #ddd}"
    "table.autoloan td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "table.autoloan caption{text-align:left;font-weight:bold;padding:4px 0}</style>"
)

# label_en, label_zh, attribute — the figures of an AccountStatus, in reading order.
_STATUS_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("days past due", "逾期天数", "days_past_due"),
    ("installments in arrears", "逾期期数", "installments_in_arrears"),
    ("oldest unpaid due date", "最早未还应还日", "oldest_unpaid_due_date"),
    ("amount past due", "逾期金额", "amount_past_due"),
    ("  principal", "逾期本金", "principal_past_due"),
    ("  interest", "逾期利息", "interest_past_due"),
    ("  fees", "费用", "fees_past_due"),
    ("  penalty interest", "罚息", "penalty_past_due"),
    ("days delinquent (classification)", "分类逾期天数", "days_delinquent"),
    ("next due date", "下次还款日", "next_due_date"),
    ("next due amount", "下次应还", "next_due_amount"),
    ("principal balance", "剩余本金", "principal_balance"),
    ("accrued interest", "应计利息", "accrued_interest"),
    ("payoff amount", "提前结清金额", "payoff_amount"),
    ("per diem", "日息", "per_diem"),
    ("paid to date", "累计已还", "paid_to_date"),
    ("last payment date", "最近还款日", "last_payment_date"),
    ("credit balance", "溢缴款", "credit_balance"),
)
_INSTALLMENT_COLUMNS = ("number", "due_date", "due", "paid", "remaining", "paid_on", "state")


def cell(value: Any) -> str:
    """One value as table text: ``Decimal`` with thousands separators, dates ISO, enums by value.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> cell(Decimal("1234567.5")), cell(date(2026, 1, 15)), cell(None), cell(True)
    ('1,234,567.5', '2026-01-15', '', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(value)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _columns(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None) -> list[str]:
    if columns is not None:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def html_table(
    rows: Iterable[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    max_rows: int = MAX_ROWS,
) -> str:
    """An HTML table of ``rows`` (dicts): one column per key, numbers right-aligned, all text escaped.

    ``headers`` renames columns for display; tables longer than ``max_rows`` show their head and tail.

    >>> table = html_table([{"a": 1, "b": "<x>"}], caption="T")
    >>> '<caption>T</caption><thead><tr><th>a</th><th>b</th></tr>' in table
    True
    >>> '<td class="n">1</td><td>&lt;x&gt;</td>' in table
    True
    """
    items = list(rows)
    cols = _columns(items, columns)
    names = headers or {}
    head = "".join(f"<th>{html.escape(names.get(c, c))}</th>" for c in cols)
    shown: list[Mapping[str, Any] | None] = list(items)
    if len(items) > max_rows > 1:
        half = max_rows // 2
        shown = [*items[:half], None, *items[-half:]]
    body = []
    for row in shown:
        if row is None:
            hidden = len(items) - 2 * (max_rows // 2)
            body.append(f'<tr><td colspan="{len(cols)}">… {hidden} more rows …</td></tr>')
            continue
        cells = []
        for c in cols:
            v = row.get(c)
            klass = ' class="n"' if _numeric(v) else ""
            cells.append(f"<td{klass}>{html.escape(cell(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'{_STYLE}<table class="autoloan">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def html_fields(items: Iterable[tuple[str, str, Any]], *, caption: str | None = None) -> str:
    """A two-language field list: rows of (English label, Chinese label, value).

    >>> html_fields([("days past due", "逾期天数", 5)])  # doctest: +ELLIPSIS
    '...<td>days past due</td><td>逾期天数</td><td class="n">5</td>...'
    """
    rows = [{"field": en.strip(), "字段": zh, "value": v} for en, zh, v in items]
    return html_table(rows, columns=("field", "字段", "value"), caption=caption, max_rows=len(rows) + 1)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def text_table(
    rows: Iterable[Mapping[str, Any]], *, columns: Sequence[str] | None = None, title: str | None = None
) -> str:
    """A plain-text table of ``rows`` (dicts) for ``str()`` and terminals; numbers right-aligned.

    >>> print(text_table([{"view": "五级分类", "grade": "次级"}]))
    view      grade
    --------  -----
    五级分类  次级
    """
    items = list(rows)
    cols = _columns(items, columns)
    grid = [[cell(r.get(c)) for c in cols] for r in items]
    right = [any(_numeric(r.get(c)) for r in items) for c in cols]
    widths = [
        max(_width(c), *(_width(g[j]) for g in grid)) if grid else _width(c) for j, c in enumerate(cols)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for v, w, r in zip(values, widths, right, strict=True):
            pad = " " * (w - _width(v))
            parts.append(pad + v if r else v + pad)
        return "  ".join(parts).rstrip()

    lines = [title] if title else []
    lines += [line(cols), "  ".join("-" * w for w in widths)]
    lines += [line(g) for g in grid]
    return "\n".join(lines)


# --- per-result views ---------------------------------------------------------------------------------


def _status_fields(st: Any) -> list[tuple[str, str, Any]]:
    return [(en, zh, getattr(st, attr, None)) for en, zh, attr in _STATUS_FIELDS if hasattr(st, attr)]


def _installment_rows(st: Any) -> list[dict[str, Any]]:
    return [{c: getattr(i, c, None) for c in _INSTALLMENT_COLUMNS} for i in getattr(st, "installments", ())]


def _status_html(st: Any) -> str:
    title = (
        f"Account status 账户状态 as of {cell(getattr(st, 'as_of', None))} ({getattr(st, 'currency', '')})"
    )
    out = html_fields(_status_fields(st), caption=title)
    rows = _installment_rows(st)
    if rows:
        table = html_table(rows, caption="Installments 分期明细")
        out += f"<details><summary>{len(rows)} installments 期</summary>{table}</details>"
    return out


def _status_text(st: Any) -> str:
    rows = [{"field": en, "字段": zh, "value": v} for en, zh, v in _status_fields(st) if v is not None]
    title = (
        f"Account status 账户状态 as of {cell(getattr(st, 'as_of', None))} ({getattr(st, 'currency', '')})"
    )
    return text_table(rows, columns=("field", "字段", "value"), title=title)


def _status_repr(st: Any) -> str:
    return (
        f"<AccountStatus as of {cell(st.as_of)}: {st.days_past_due} days past due, "
        f"{st.currency} {cell(st.amount_past_due)} past due, balance {cell(st.principal_balance)}>"
    )


def _views_html(v: Any) -> str:
    cols = ("view", "grade", "label_en", "label_zh", "rule_id", "citation", "reason")
    dpd = getattr(getattr(v, "snapshot", None), "days_past_due", "?")
    return html_table(v.to_rows(), columns=cols, caption=f"{dpd} days past due 逾期天数: every view")


def _views_repr(v: Any) -> str:
    grades = ", ".join(str(r["grade"]) for r in v.to_rows())
    return f"<Views {v.snapshot.days_past_due} days past due: {grades}>"


def _finding_rows(v: Any) -> list[dict[str, Any]]:
    return [
        {
            "severity": f.severity,
            "rule_id": f.rule_id,
            "citation": f.citation,
            "message": f.message,
            "retry_at": getattr(f, "retry_at", None),
        }
        for f in v.findings
    ]


def _verdict_repr(v: Any) -> str:
    head = "ALLOWED" if v.allowed else "BLOCKED"
    shown = [f"{f.severity.value} {f.rule_id}" for f in v.findings[:3]]
    if len(v.findings) > 3:
        shown.append(f"+{len(v.findings) - 3} more")
    text = f"<Verdict {head}"
    if shown:
        text += ": " + ", ".join(shown)
    if not v.allowed:
        nxt = v.next_permitted
        text += f"; next permitted {cell(nxt) if nxt else 'never by waiting'}"
    return text + ">"


def _verdict_html(v: Any) -> str:
    head = "ALLOWED 允许" if v.allowed else "BLOCKED 禁止"
    if not v.allowed:
        nxt = v.next_permitted
        head += f" — next permitted 最早可行: {cell(nxt) if nxt else 'never by waiting'}"
    rows = _finding_rows(v)
    if not rows:
        return f'{_STYLE}<table class="autoloan"><caption>{html.escape(head)}</caption></table>'
    return html_table(rows, columns=("severity", "rule_id", "citation", "message"), caption=head)


def _matrix_rows(m: Any) -> list[dict[str, Any]]:
    return list(m.to_rows())


def _matrix_html(m: Any) -> str:
    rows = []
    for row, shares in zip(m.to_rows(), m.rates(), strict=True):
        total = sum(v for k, v in row.items() if k != "from")
        shown: dict[str, Any] = {"from \\ to": row["from"]}
        for state, share in zip(m.states, shares, strict=True):
            count = row[state]
            shown[state] = f"{count} ({share * 100:.1f}%)" if share is not None and count else count
        shown["total"] = total
        rows.append(shown)
    return html_table(rows, caption="Transitions 迁移矩阵 (accounts, row share)", max_rows=len(rows) + 1)


def _matrix_repr(m: Any) -> str:
    accounts = sum(sum(row) for row in m.counts)
    return f"<TransitionMatrix {len(m.states)} states, {accounts} accounts>"


def _vintage_html(t: Any) -> str:
    rows = []
    for row in t.to_rows():
        rows.append(
            {
                k: (f"{v * 100:.1f}%" if isinstance(v, Decimal) and k.startswith("mob_") else v)
                for k, v in row.items()
            }
        )
    caption = f"Vintage curves 账龄曲线: share ever {t.threshold_days}+ days past due, by month on book"
    return html_table(rows, caption=caption)


def _vintage_repr(t: Any) -> str:
    return f"<VintageTable {len(t.cohorts)} cohorts, MOB 0–{t.max_mob}, threshold {t.threshold_days} days>"


def _decision_html(d: Any) -> str:
    stage = getattr(d, "stage", None)
    label = ""
    if stage is not None:
        label = f"{getattr(stage, 'id', stage)} {getattr(stage, 'label_zh', '') or ''}".strip()
    fields = [
        ("stage", "阶段", label or None),
        ("segment", "客群", getattr(d, "segment", None)),
        ("arm", "实验组", getattr(d, "arm", None)),
        ("next review", "下次复核", getattr(d, "next_review_at", None)),
    ]
    out = html_fields(fields, caption="Decision 决策")
    actions = [
        {k: getattr(a, k, None) for k in ("kind", "at", "stage_id", "treatment_id", "reason")}
        for a in getattr(d, "actions", ()) or ()
    ]
    if actions:
        out += html_table(actions, caption="Planned actions 计划动作")
    suppressed = getattr(d, "suppressed", ()) or ()
    if suppressed:
        out += html_table([_plain(s) for s in suppressed], caption="Suppressed 已抑制")
    offers = getattr(d, "offers", ()) or ()
    if offers:
        out += html_table([_plain(o) for o in offers], caption="Offers 方案")
    trace = getattr(d, "trace", ()) or ()
    if trace:
        lines = "".join(f"<li>{html.escape(str(t))}</li>" for t in trace)
        out += f"<details><summary>Why 决策依据 ({len(trace)} lines)</summary><ul>{lines}</ul></details>"
    return out


def _decision_repr(d: Any) -> str:
    stage = getattr(d, "stage", None)
    sid = getattr(stage, "id", stage)
    zh = getattr(stage, "label_zh", "") or ""
    arm = f", arm {d.arm}" if getattr(d, "arm", None) else ""
    review = cell(getattr(d, "next_review_at", None)) or "none"
    return (
        f"<Decision {getattr(d, 'account_id', '?')} at {cell(getattr(d, 'now', None))}: stage {sid}"
        f"{f' ({zh})' if zh else ''}{arm}, {len(getattr(d, 'actions', ()) or ())} actions, "
        f"{len(getattr(d, 'offers', ()) or ())} offers, next review {review}>"
    )


def _run_repr(r: Any) -> str:
    stages = " → ".join(str(s) for _, s in getattr(r, "stage_entries", ()) or ())
    blocked = getattr(r, "blocked_executed", "?")
    return (
        f"<Run {len(getattr(r, 'events', ()) or ())} events, stages {stages or 'none'}, "
        f"{len(getattr(r, 'actions', ()) or ())} actions, {blocked} blocked executed>"
    )


def _plain(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Mapping):
        return dict(obj)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if not isinstance(v, list | dict | tuple)}
    slots = getattr(type(obj), "__slots__", ())
    if slots:
        return {s: getattr(obj, s, None) for s in slots if not s.startswith("_")}
    return {"value": obj}


def _run_html(r: Any) -> str:
    out = ""
    entries = getattr(r, "stage_entries", ()) or ()
    if entries:
        out += html_table(
            [{"when": w, "stage": s} for w, s in entries],
            caption="Stage entries 阶段进入",
            max_rows=len(entries) + 1,
        )
    rows = _generic_rows(r)
    if rows:
        out += html_table(rows, caption="Events 事件")
    by_kind = getattr(r, "actions_by_kind", None)
    if isinstance(by_kind, Mapping) and by_kind:
        out += html_table([{"action": k, "count": v} for k, v in by_kind.items()], caption="Actions 动作统计")
    blocked = getattr(r, "blocked_executed", None)
    if blocked is not None:
        out += f"<p>blocked actions executed 违规执行: {html.escape(str(blocked))}</p>"
    return out or html.escape(repr(r))


def _generic_rows(obj: Any) -> list[dict[str, Any]]:
    to_rows = getattr(obj, "to_rows", None)
    if callable(to_rows):
        rows = to_rows()
        if isinstance(rows, list) and all(isinstance(r, Mapping) for r in rows):
            return [dict(r) for r in rows]
    return []


_HTML = {
    "AccountStatus": _status_html,
    "Views": _views_html,
    "Verdict": _verdict_html,
    "TransitionMatrix": _matrix_html,
    "VintageTable": _vintage_html,
    "Decision": _decision_html,
    "Run": _run_html,
}
_TEXT = {"AccountStatus": _status_text}
_REPR = {
    "AccountStatus": _status_repr,
    "Decision": _decision_repr,
    "Run": _run_repr,
    "Views": _views_repr,
    "Verdict": _verdict_repr,
    "TransitionMatrix": _matrix_repr,
    "VintageTable": _vintage_repr,
}
_ROWS = {
    "AccountStatus": _installment_rows,
    "Verdict": _finding_rows,
    "TransitionMatrix": _matrix_rows,
}


def render_html(obj: Any) -> str:
    """The notebook (HTML) view of an autoloan result — what its ``_repr_html_`` returns.

    >>> from autoloan.delinquency import classify_all
    >>> "次级" in render_html(classify_all(days_past_due=95))
    True
    """
    view = _HTML.get(type(obj).__name__)
    if view is not None:
        return view(obj)
    rows = _generic_rows(obj)
    if rows:
        return html_table(rows, caption=type(obj).__name__)
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, Mapping):
            return html_table([{"field": k, "value": v} for k, v in data.items()], caption=type(obj).__name__)
    return f"<pre>{html.escape(str(obj))}</pre>"


def render_text(obj: Any) -> str:
    """The terminal (text) view of an autoloan result — what its ``__str__`` returns.

    >>> from datetime import date
    >>> from autoloan import LoanTerms
    >>> from autoloan.servicing import account_status
    >>> t = LoanTerms(principal=1200, annual_rate=0, term=12, start=date(2026, 1, 1))
    >>> print(render_text(account_status(t, [], date(2026, 2, 5))).splitlines()[3])
    days past due            逾期天数        4
    """
    view = _TEXT.get(type(obj).__name__)
    if view is not None:
        return view(obj)
    rows = _generic_rows(obj) or rows_of(obj)
    return text_table(rows, title=type(obj).__name__) if rows else repr(obj)


def render_repr(obj: Any) -> str:
    """A one-line ``repr`` naming what matters (``<AccountStatus as of … : 5 days past due, …>``).

    >>> from autoloan.delinquency import transition_matrix
    >>> render_repr(transition_matrix([0, 35], [35, 0]))
    '<TransitionMatrix 10 states, 2 accounts>'
    """
    view = _REPR.get(type(obj).__name__)
    if view is not None:
        return view(obj)
    return f"<{type(obj).__name__}>"


def rows_of(obj: Any) -> list[dict[str, Any]]:
    """The table of a result as plain dicts: its ``to_rows()``, or the natural table of the result
    (an ``AccountStatus``'s installments, a ``Verdict``'s findings).

    >>> from autoloan.delinquency import classify_all
    >>> rows_of(classify_all(days_past_due=0))[0]["grade"]
    'M0'
    """
    view = _ROWS.get(type(obj).__name__)
    if view is not None:
        return view(obj)
    if isinstance(obj, list) and all(isinstance(r, Mapping) for r in obj):
        return [dict(r) for r in obj]
    return _generic_rows(obj)


def to_pandas(obj: Any, *, index: str | None = None) -> Any:
    """A ``pandas.DataFrame`` of :func:`rows_of` ``obj`` (money stays ``Decimal``, never float).

    Needs pandas (``pip install 'autoloan[pandas]'``), imported only here.

    >>> from autoloan.delinquency import classify_all
    >>> to_pandas(classify_all(days_past_due=95), index="view").loc["China 五级分类", "grade"]
    'substandard'
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised with pandas hidden
        raise ImportError("to_pandas() needs pandas: pip install 'autoloan[pandas]'") from exc
    rows = rows_of(obj)
    frame = pd.DataFrame(rows)
    return frame.set_index(index) if index is not None and rows else frame


dataframe = to_pandas
"""Alias of :func:`to_pandas` for result classes whose own method is called ``to_pandas``."""
