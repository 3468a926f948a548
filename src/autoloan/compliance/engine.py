"""The checker: rule base class, the pre-indexed contact history, the registry and ``check``.

``check`` is pure and fast: a :class:`History` is built once (sorted, indexed per person and
debt) and every frequency rule answers with a binary search, so a check costs O(R log n) for R
rules and n history items. Passing a plain list also works; it is indexed on the fly
(O(n log n)), so callers that check many actions should build the ``History`` once.

>>> from datetime import datetime
>>> from autoloan.compliance import Action, Borrower, check
>>> ny = zone("America/New_York")
>>> v = check(Action("call", datetime(2026, 3, 2, 7, 30, tzinfo=ny), debt_id="L1"),
...           history=[], borrower=Borrower("US", timezones=("America/New_York",)))
>>> v.allowed, v.next_permitted.isoformat()
(False, '2026-03-02T08:00:00-05:00')
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from autoloan.compliance.model import (
    Account,
    Action,
    ActionKind,
    Borrower,
    Finding,
    Outcome,
    Place,
    Severity,
    Target,
    Verdict,
    zone,
)
from autoloan.errors import InvalidAction, UnknownJurisdiction

__all__ = [
    "REGISTRY",
    "Context",
    "History",
    "Registry",
    "Rule",
    "check",
    "register_pack",
    "rules_for",
    "rules_table",
    "with_overrides",
]

_NOT_CONNECTED = frozenset({Outcome.BUSY, Outcome.NOT_IN_SERVICE})
_UNANSWERED = frozenset({Outcome.NO_ANSWER, Outcome.VOICEMAIL, Outcome.BUSY, Outcome.NOT_IN_SERVICE})
_WRITTEN = frozenset({ActionKind.LETTER, ActionKind.EMAIL, ActionKind.SMS})


class _Series:
    """Sorted POSIX timestamps with O(log n) window counts."""

    __slots__ = ("ts",)

    def __init__(self) -> None:
        self.ts: list[float] = []

    def count(self, start: float, end: float) -> int:
        """Items with start <= t < end."""
        ts = self.ts
        return bisect_left(ts, end) - bisect_left(ts, start)

    def before(self, end: float) -> int:
        """Items with t < end."""
        return bisect_left(self.ts, end)


_EMPTY = _Series()


class History:
    """A contact history indexed once for fast checks.

    Items are :class:`Action` objects with an ``outcome`` (a missing outcome is treated as
    connected / delivered, the cautious reading). Only items strictly before the checked
    action's time are taken into account.

    >>> from datetime import datetime, timezone
    >>> h = History.from_actions([Action("call", datetime(2026, 1, 5, 15, tzinfo=timezone.utc),
    ...                                  debt_id="L1", outcome="no_answer")])
    >>> len(h)
    1
    """

    __slots__ = ("_items", "calls", "contacts_ma", "conversations", "first_ok", "third_party", "unanswered")

    def __init__(self) -> None:
        self._items: tuple[Action, ...] = ()
        #: Reg F 1006.14(b): connected calls per (person, debt).
        self.calls: dict[tuple[str, str], _Series] = {}
        #: telephone conversations per (person, debt).
        self.conversations: dict[tuple[str, str], _Series] = {}
        #: 940 CMR 7.04(1)(f): creditor-initiated calls/texts to the borrower per (debt, personal?).
        self.contacts_ma: dict[tuple[str, bool], _Series] = {}
        #: call attempts that did not reach the person, per person (CN daily cap).
        self.unanswered: dict[str, _Series] = {}
        #: communications with a third party, per person (1006.10(c)).
        self.third_party: dict[str, _Series] = {}
        #: per debt: earliest borrower conversation and earliest deliverable letter/electronic message.
        self.first_ok: dict[tuple[str, str], float] = {}

    def __len__(self) -> int:
        return len(self._items)

    @property
    def items(self) -> tuple[Action, ...]:
        """The history items in time order."""
        return self._items

    @classmethod
    def from_actions(cls, actions: Iterable[Action]) -> History:
        """Sort and index ``actions`` (O(n log n)); reuse the result for many checks.

        >>> History.from_actions([]).items
        ()
        """
        if isinstance(actions, History):
            return actions
        try:
            items = list(actions)
        except TypeError:
            raise InvalidAction("history", actions, "must be a History or an iterable of Action") from None
        for i, item in enumerate(items):
            if not isinstance(item, Action):
                raise InvalidAction(f"history[{i}]", item, "must be an Action")
        decorated = sorted(
            ((a.at.timestamp(), i, a) for i, a in enumerate(items)), key=lambda t: (t[0], t[1])
        )
        self = cls()
        self._items = tuple(a for _, _, a in decorated)
        for ts, _, a in decorated:
            self._index(ts, a)
        return self

    def _add(self, table: dict[Any, _Series], key: Any, ts: float) -> None:
        series = table.get(key)
        if series is None:
            series = table[key] = _Series()
        series.ts.append(ts)  # items arrive sorted

    def _index(self, ts: float, a: Action) -> None:
        kind, outcome, person = a.kind, a.outcome, a.person
        inbound = a.initiated_by_borrower
        if kind is ActionKind.CALL:
            connected = outcome not in _NOT_CONNECTED
            if not inbound and connected and a.target is not Target.ATTORNEY:
                self._add(self.calls, (person, a.debt_id), ts)
            if outcome is Outcome.CONVERSATION:
                self._add(self.conversations, (person, a.debt_id), ts)
            if not inbound and outcome in _UNANSWERED:
                self._add(self.unanswered, person, ts)
        if (
            a.target is Target.BORROWER
            and not inbound
            and ((kind is ActionKind.CALL and outcome not in _NOT_CONNECTED) or kind is ActionKind.SMS)
            and outcome is not Outcome.UNDELIVERABLE
        ):
            self._add(self.contacts_ma, (a.debt_id, a.place is not Place.WORK), ts)
        if (
            a.target is Target.THIRD_PARTY
            and outcome not in _UNANSWERED
            and outcome is not Outcome.UNDELIVERABLE
        ):
            self._add(self.third_party, person, ts)
        if a.target is Target.BORROWER:
            if outcome is Outcome.CONVERSATION and kind in (ActionKind.CALL, ActionKind.VISIT):
                self.first_ok.setdefault(("spoke", a.debt_id), ts)
            elif kind in _WRITTEN and not inbound and outcome is not Outcome.UNDELIVERABLE:
                self.first_ok.setdefault(("sent", a.debt_id), ts)

    def series(self, table: str, key: Any) -> _Series:
        """The indexed series ``table`` (``calls``, ``conversations``, …) for ``key``; empty if none.

        >>> History().series("calls", ("borrower", "L1")).count(0.0, 1e12)
        0
        """
        found: _Series | None = getattr(self, table).get(key)
        return found if found is not None else _EMPTY


class Context:
    """What a rule sees: the action, the borrower, the account, the history and local-time helpers.

    ``zones`` are every plausible zone of the borrower; ``zone`` (the first) defines calendar
    days, and ``day`` is the action's local date there.

    >>> from datetime import datetime, timezone
    >>> ctx = Context(Action("call", datetime(2026, 3, 2, 3, tzinfo=timezone.utc)),
    ...               Borrower("US", timezones=("America/New_York",)), None, History())
    >>> ctx.day.isoformat(), ctx.day_start(ctx.day).isoformat()
    ('2026-03-01', '2026-03-01T00:00:00-05:00')
    """

    __slots__ = ("account", "action", "borrower", "day", "history", "now", "ts", "zone", "zones")

    def __init__(
        self,
        action: Action,
        borrower: Borrower,
        account: Account | None,
        history: History,
        at: datetime | None = None,
    ) -> None:
        self.action = action
        self.borrower = borrower
        self.account = account
        self.history = history
        if not borrower.timezones:
            raise InvalidAction(
                "borrower.timezones", (), f"give at least one IANA zone for {borrower.jurisdiction}"
            )
        self.zones: tuple[ZoneInfo, ...] = _zones(borrower.timezones)
        self.zone = self.zones[0]
        #: the time being checked: the action's own, or a later one while searching next_permitted
        self.now = at if at is not None else action.at
        self.ts = self.now.timestamp()
        self.day: date = self.now.astimezone(self.zone).date()

    def day_start(self, day: date) -> datetime:
        """Local midnight of ``day`` in the borrower's primary zone (aware)."""
        return _local(day, time(0), self.zone)

    def day_start_ts(self, day: date) -> float:
        """``day_start`` as a POSIX timestamp."""
        return _local_ts(day, self.zone)


@lru_cache(maxsize=4096)
def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware instant of wall time ``at`` on ``day`` in ``tz`` (cached); a wall time inside a
    DST gap moves forward to the first valid instant after the gap."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC: a non-existent wall time comes back different.
    back = aware.astimezone(_UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        # Inside a gap: the instant just after the transition.
        later = (naive + timedelta(hours=1)).replace(tzinfo=tz)
        return later.astimezone(_UTC).astimezone(tz).replace(minute=0, second=0, microsecond=0)
    return aware


@lru_cache(maxsize=4096)
def _local_ts(day: date, tz: ZoneInfo) -> float:
    return _local(day, time(0), tz).timestamp()


@lru_cache(maxsize=1024)
def _zones(names: tuple[str, ...]) -> tuple[ZoneInfo, ...]:
    return tuple(zone(z) for z in names)


_UTC = ZoneInfo("UTC")


class Rule:
    """Base class of rules: a frozen dataclass subclass with ``id``, ``citation`` and ``evaluate``.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, slots=True)
    ... class NoSundayVisits(Rule):
    ...     id = "LENDER.no-sunday-visits"
    ...     citation = "Lender policy P-12"
    ...     kinds = frozenset({ActionKind.VISIT})
    ...     def evaluate(self, ctx):
    ...         if ctx.day.weekday() == 6:
    ...             return (self.finding(Severity.BLOCK, "no visits on Sundays"),)
    ...         return ()
    >>> from datetime import datetime, timezone
    >>> v = check(Action("visit", datetime(2026, 3, 1, 15, tzinfo=timezone.utc)),
    ...           borrower=Borrower("GB"), rules=[NoSundayVisits()])
    >>> v.allowed, v.findings[0].rule_id, v.next_permitted
    (False, 'LENDER.no-sunday-visits', None)


    Class attributes: ``id``, ``citation`` (where a source is a secondary summary the citation
    says so), ``title``, ``kinds`` (the action kinds it looks at; empty means all),
    ``effective_from``/``effective_to`` (local dates). Dataclass fields are the parameters
    (defaults overridable per lender with :func:`with_overrides`).
    """

    id: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    title: ClassVar[str] = ""
    kinds: ClassVar[frozenset[ActionKind]] = frozenset()
    effective_from: ClassVar[date | None] = None
    effective_to: ClassVar[date | None] = None

    @property
    def rule_id(self) -> str:
        """The rule id (instance-overridable for parameterised families such as right-to-cure)."""
        return self.id

    @property
    def rule_citation(self) -> str:
        """The citation (instance-overridable)."""
        return self.citation

    def applies_to(self) -> frozenset[ActionKind]:
        """The action kinds the rule looks at (empty: all)."""
        return self.kinds

    def parameters(self) -> dict[str, Any]:
        """The rule's parameters and their values (its dataclass fields)."""
        if dataclasses.is_dataclass(self):
            return {
                f.name: getattr(self, f.name) for f in dataclasses.fields(self) if not f.name.startswith("_")
            }
        return {}

    def in_force(self, day: date) -> bool:
        """True when the rule is in force on ``day``."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def evaluate(self, ctx: Context) -> Iterable[Finding]:
        """The findings for ``ctx.action`` (an empty tuple when the rule has nothing to say)."""
        raise NotImplementedError

    def finding(
        self, severity: Severity, message: str, retry_at: datetime | None = None, **used: Any
    ) -> Finding:
        """Build a finding carrying this rule's id, citation and the parameters used."""
        return Finding(
            self.rule_id, self.rule_citation, severity, message, tuple(sorted(used.items())), retry_at
        )


@dataclass(frozen=True, slots=True)
class Pack:
    """A jurisdiction's rules, composed on top of its parent's."""

    code: str
    rules: tuple[Rule, ...]
    parent: str | None
    name: str


class Registry:
    """Rule packs keyed by jurisdiction; a state pack is composed on top of its country pack.

    >>> reg = Registry()
    >>> reg.register("ZZ", (), name="Test land")
    >>> reg.rules_for("ZZ")
    ()
    >>> reg.rules_for("YY")
    Traceback (most recent call last):
    ...
    autoloan.errors.UnknownJurisdiction: jurisdiction: no rule pack registered; known: ZZ (got 'YY')
    """

    def __init__(self) -> None:
        self._packs: dict[str, Pack] = {}
        self._cache: dict[str, tuple[Rule, ...]] = {}

    def register(
        self, code: str, rules: Iterable[Rule], *, parent: str | None = None, name: str = ""
    ) -> None:
        """Register (or replace) the pack for ``code``; ``parent`` packs apply first.

        >>> reg = Registry()
        >>> reg.register("XX", ())
        >>> reg.register("XX-A", (), parent="XX")
        >>> reg.codes
        ('XX', 'XX-A')
        """
        if not isinstance(code, str) or not code.strip():
            raise InvalidAction("jurisdiction", code, "must be an ISO 3166 code")
        code = code.strip().upper()
        rules = tuple(rules)
        for i, rule in enumerate(rules):
            if not isinstance(rule, Rule):
                raise InvalidAction(f"rules[{i}]", rule, "must be a Rule")
        if parent is not None:
            parent = parent.strip().upper()
            if parent not in self._packs:
                raise UnknownJurisdiction("parent", parent, "register the parent pack first")
        self._packs[code] = Pack(code, rules, parent, name or code)
        self._cache.clear()

    def unregister(self, code: str) -> None:
        """Remove the pack for ``code`` (and nothing else; packs built on it must go first).

        >>> reg = Registry()
        >>> reg.register("XX", ())
        >>> reg.unregister("XX")
        >>> reg.codes
        ()
        """
        pack = self.pack(code)
        children = [p.code for p in self._packs.values() if p.parent == pack.code]
        if children:
            raise InvalidAction("jurisdiction", code, "unregister these packs first: " + ", ".join(children))
        del self._packs[pack.code]
        self._cache.clear()

    @property
    def codes(self) -> tuple[str, ...]:
        """Registered jurisdiction codes, sorted."""
        return tuple(sorted(self._packs))

    def pack(self, code: str) -> Pack:
        """The pack registered for ``code`` (its own rules only)."""
        key = code.strip().upper() if isinstance(code, str) else code
        found = self._packs.get(key)
        if found is None:
            raise UnknownJurisdiction(
                "jurisdiction", code, "no rule pack registered; known: " + ", ".join(self.codes)
            )
        return found

    def rules_for(self, code: str) -> tuple[Rule, ...]:
        """Every rule that applies in ``code``: the parent's, then the pack's own."""
        key = code.strip().upper() if isinstance(code, str) else code
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        pack = self.pack(code)
        rules = (self.rules_for(pack.parent) if pack.parent else ()) + pack.rules
        self._cache[pack.code] = rules
        return rules


#: The default registry; the built-in packs register themselves when autoloan.compliance is imported.
REGISTRY = Registry()


def register_pack(code: str, rules: Iterable[Rule], *, parent: str | None = None, name: str = "") -> None:
    """Register a pack in the default registry (replacing any pack with that code).

    >>> register_pack("US-CA", (), parent="US", name="California (no state rules yet)")
    >>> rules_for("US-CA") == rules_for("US")
    True
    >>> REGISTRY.unregister("US-CA")
    """
    REGISTRY.register(code, rules, parent=parent, name=name)


def rules_for(code: str) -> tuple[Rule, ...]:
    """The rules that apply in jurisdiction ``code`` (country pack plus state pack).

    >>> from autoloan.compliance import rules_for
    >>> [r.rule_id for r in rules_for("US-MA")][-1]
    'US-MA.RTC.255B.20A'
    """
    return REGISTRY.rules_for(code)


def with_overrides(rules: Sequence[Rule], overrides: Mapping[str, Mapping[str, Any]]) -> tuple[Rule, ...]:
    """``rules`` with parameters replaced per rule id (a stricter lender policy).

    >>> from autoloan.compliance import rules_for
    >>> strict = with_overrides(rules_for("US"), {"US.REGF.1006.14(b)": {"max_calls": 3}})
    >>> [r.parameters()["max_calls"] for r in strict if r.rule_id == "US.REGF.1006.14(b)"]
    [3]
    """
    known = {r.rule_id for r in rules}
    for rid in overrides:
        if rid not in known:
            raise InvalidAction("overrides", rid, "no such rule id in the rule set")
    out: list[Rule] = []
    for rule in rules:
        changes = overrides.get(rule.rule_id)
        if changes:
            params = rule.parameters()
            for name in changes:
                if name not in params:
                    raise InvalidAction(f"overrides[{rule.rule_id!r}]", name, "no such parameter")
            try:
                rule = dataclasses.replace(rule, **changes)  # type: ignore[type-var]
            except (TypeError, ValueError) as exc:
                raise InvalidAction(f"overrides[{rule.rule_id!r}]", dict(changes), str(exc)) from None
        out.append(rule)
    return tuple(out)


_MAX_STEPS = 64


_DISPATCH: dict[int, tuple[Sequence[Rule], dict[ActionKind, tuple[Rule, ...]]]] = {}


def _by_kind(rules: Sequence[Rule]) -> dict[ActionKind, tuple[Rule, ...]]:
    """The rules that look at each action kind, in order (cached per rule-set object)."""
    entry = _DISPATCH.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    table = {kind: tuple(r for r in rules if not r.kinds or kind in r.kinds) for kind in ActionKind}
    if len(_DISPATCH) > 256:
        _DISPATCH.clear()
    _DISPATCH[id(rules)] = (rules, table)
    return table


def _findings(rules: Sequence[Rule], ctx: Context) -> list[Finding]:
    day = ctx.day
    out: list[Finding] = []
    for rule in _by_kind(rules)[ctx.action.kind]:  # type: ignore[index]
        if (rule.effective_from is not None or rule.effective_to is not None) and not rule.in_force(day):
            continue
        found = rule.evaluate(ctx)
        if found:
            out.extend(found)
    return out


def check(
    action: Action,
    *,
    history: History | Iterable[Action] = (),
    borrower: Borrower,
    account: Account | None = None,
    rules: Sequence[Rule] | None = None,
) -> Verdict:
    """Is ``action`` allowed now? Returns a :class:`Verdict` with findings and ``next_permitted``.

    ``rules`` defaults to the registry's rules for ``borrower.jurisdiction``. When the action is
    blocked, ``next_permitted`` is found by moving the action to the latest ``retry_at`` of the
    blocking findings and checking again, until it passes (or a blocking finding says that
    waiting does not help, giving ``None``).

    >>> from datetime import datetime
    >>> from autoloan.compliance import Action, Borrower
    >>> sh = zone("Asia/Shanghai")
    >>> v = check(Action("call", datetime(2026, 3, 2, 22, 30, tzinfo=sh)), borrower=Borrower("CN"))
    >>> v.allowed, v.next_permitted.isoformat()
    (False, '2026-03-03T08:00:00+08:00')
    """
    if not isinstance(action, Action):
        raise InvalidAction("action", action, "must be an Action")
    if not isinstance(borrower, Borrower):
        raise InvalidAction("borrower", borrower, "must be a Borrower")
    if account is not None and not isinstance(account, Account):
        raise InvalidAction("account", account, "must be an Account or None")
    if rules is None:
        rules = REGISTRY.rules_for(borrower.jurisdiction)
    else:
        entry = _DISPATCH.get(id(rules))
        if entry is None or entry[0] is not rules:  # not seen before: validate once
            if isinstance(rules, Rule) or not isinstance(rules, Sequence):
                raise InvalidAction("rules", rules, "must be a sequence of Rule")
            for i, rule in enumerate(rules):
                if not isinstance(rule, Rule):
                    raise InvalidAction(f"rules[{i}]", rule, "must be a Rule")
    hist = history if isinstance(history, History) else History.from_actions(history)
    ctx = Context(action, borrower, account, hist)
    findings = _findings(rules, ctx)
    blocks = [f for f in findings if f.severity is Severity.BLOCK]
    if not blocks:
        return Verdict(True, tuple(findings), action.at)
    return Verdict(
        False, tuple(findings), None, lambda: _next_permitted(action, blocks, rules, borrower, account, hist)
    )


def _first_block(rules: Sequence[Rule], ctx: Context) -> Finding | None:
    """The first blocking finding in rule order, or None (the search does not need the others)."""
    day = ctx.day
    for rule in _by_kind(rules)[ctx.action.kind]:  # type: ignore[index]
        if (rule.effective_from is not None or rule.effective_to is not None) and not rule.in_force(day):
            continue
        for f in rule.evaluate(ctx) or ():
            if f.severity is Severity.BLOCK:
                return f
    return None


def _next_permitted(
    action: Action,
    blocks: list[Finding],
    rules: Sequence[Rule],
    borrower: Borrower,
    account: Account | None,
    hist: History,
) -> datetime | None:
    """Search the earliest passing time.

    Each blocking finding's ``retry_at`` is the earliest time that finding could clear, so no
    earlier time can pass: jumping to it never skips a passing time. From the latest retry of the
    first verdict, the search re-checks, stops at the first blocking finding, jumps to its
    ``retry_at`` and repeats; it ends at a time where no rule blocks, or with ``None`` when a
    blocking finding says waiting does not help (or after ``_MAX_STEPS`` jumps).
    """
    tz = action.at.tzinfo
    at = action.at
    retries = [f.retry_at for f in blocks]
    if any(r is None for r in retries):
        return None
    nxt: datetime | None = max(r for r in retries if r is not None)
    for _ in range(_MAX_STEPS):
        if nxt is None or nxt <= at:  # waiting does not help, or a rule that cannot move forward
            return None
        at = nxt.astimezone(tz)
        block = _first_block(rules, Context(action, borrower, account, hist, at))
        if block is None:
            return at
        nxt = block.retry_at
    return None


def rules_table(jurisdiction: str | None = None, registry: Registry | None = None) -> str:
    """A Markdown table of every registered rule (id, citation, kinds, parameters).

    With ``jurisdiction``, only the rules that apply there (parent pack included).

    >>> print(rules_table("US-WI").splitlines()[0])
    | Pack | Rule id | Citation | Applies to | Parameters |
    """
    reg = registry or REGISTRY
    codes = [jurisdiction] if jurisdiction else list(reg.codes)
    lines = ["| Pack | Rule id | Citation | Applies to | Parameters |", "|---|---|---|---|---|"]
    for code in codes:
        chain: list[Pack] = []
        pack: Pack | None = reg.pack(code)
        while pack is not None:
            chain.append(pack)
            pack = reg.pack(pack.parent) if pack.parent and jurisdiction else None
        for p in reversed(chain):
            for rule in p.rules:
                kinds = ", ".join(sorted(k.value for k in rule.applies_to())) or "all"
                params = ", ".join(f"{k}={_fmt(v)}" for k, v in rule.parameters().items()) or "—"
                cite = rule.rule_citation.replace("|", "\\|")
                lines.append(f"| {p.code} | `{rule.rule_id}` | {cite} | {kinds} | {params} |")
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, frozenset | set | tuple):
        return "/".join(sorted(_fmt(v) for v in value)) if value else "none"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
