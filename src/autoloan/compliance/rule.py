"""The rule base class, what a rule sees (:class:`Context`) and local-time helpers.

>>> from datetime import date, time
>>> local_time(date(2026, 3, 8), time(2, 30), zone("America/New_York")).isoformat()  # inside the DST gap
'2026-03-08T03:00:00-04:00'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

from autoloan.compliance.history import History, KeyFunction
from autoloan.compliance.model import (
    ANYONE,
    Account,
    Action,
    ActionKind,
    Borrower,
    Collector,
    Finding,
    HousePolicy,
    Severity,
    zone,
)
from autoloan.errors import InvalidAction

__all__ = ["Context", "Rule"]

_UTC = ZoneInfo("UTC")


@lru_cache(maxsize=4096)
def local_time(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware instant of wall time ``at`` on ``day`` in ``tz`` (cached); a wall time inside a
    DST gap moves forward to the first valid instant after the gap."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC: a non-existent wall time comes back different.
    back = aware.astimezone(_UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        later = (naive + timedelta(hours=1)).replace(tzinfo=tz)
        return later.astimezone(_UTC).astimezone(tz).replace(minute=0, second=0, microsecond=0)
    return aware


@lru_cache(maxsize=4096)
def local_midnight_ts(day: date, tz: ZoneInfo) -> float:
    """POSIX time of local midnight (or the first instant) of ``day`` in ``tz``."""
    return local_time(day, time(0), tz).timestamp()


@lru_cache(maxsize=1024)
def zones_of(names: tuple[str, ...]) -> tuple[ZoneInfo, ...]:
    """The :class:`ZoneInfo` objects of IANA ``names`` (cached)."""
    return tuple(zone(z) for z in names)


class Context:
    """What a rule sees: the action, the borrower, the account, the history, the collector and
    local-time helpers.

    ``zones`` are every plausible zone of the borrower; ``zone`` (the first) defines calendar
    days, and ``day`` is the checked time's local date there.

    >>> from datetime import datetime, timezone
    >>> ctx = Context(Action("call", datetime(2026, 3, 2, 3, tzinfo=timezone.utc)),
    ...               Borrower("US", timezones=("America/New_York",)), None, History())
    >>> ctx.day.isoformat(), ctx.day_start(ctx.day).isoformat(), ctx.collector.value
    ('2026-03-01', '2026-03-01T00:00:00-05:00', 'debt_collector')
    """

    __slots__ = ("account", "action", "borrower", "collector", "day", "history", "now", "ts", "zone", "zones")

    def __init__(
        self,
        action: Action,
        borrower: Borrower,
        account: Account | None,
        history: History,
        at: datetime | None = None,
        collector: Collector = Collector.DEBT_COLLECTOR,
    ) -> None:
        if not isinstance(action, Action):
            raise InvalidAction("action", action, "must be an Action")
        if not isinstance(borrower, Borrower):
            raise InvalidAction("borrower", borrower, "must be a Borrower")
        if account is not None and not isinstance(account, Account):
            raise InvalidAction("account", account, "must be an Account or None")
        if not isinstance(history, History):
            raise InvalidAction("history", history, "must be a History")
        if not isinstance(collector, Collector):
            raise InvalidAction("collector", collector, "must be a Collector")
        if at is not None and (not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None):
            raise InvalidAction("at", at, "must be a timezone-aware datetime or None")
        self.action = action
        self.borrower = borrower
        self.account = account
        self.history = history
        self.collector = collector
        if not borrower.timezones:
            raise InvalidAction(
                "borrower.timezones", (), f"give at least one IANA zone for {borrower.jurisdiction}"
            )
        self.zones: tuple[ZoneInfo, ...] = zones_of(borrower.timezones)
        self.zone = self.zones[0]
        #: the time being checked: the action's own, or a later one while searching next_permitted
        self.now = at if at is not None else action.at
        self.ts = self.now.timestamp()
        self.day: date = self.now.astimezone(self.zone).date()

    def day_start(self, day: date) -> datetime:
        """Local midnight of ``day`` in the borrower's primary zone (aware)."""
        return local_time(day, time(0), self.zone)

    def day_start_ts(self, day: date) -> float:
        """``day_start`` as a POSIX timestamp."""
        return local_midnight_ts(day, self.zone)

    def series(self, key: KeyFunction, value: Hashable) -> Sequence[float]:
        """The history's sorted timestamps that ``key`` maps to ``value`` (see :mod:`.history`)."""
        return self.history.series(key, value)


@dataclass(frozen=True, slots=True)
class Rule:
    """Base class of rules: a frozen dataclass subclass with ``id``, ``citation`` and ``evaluate``.

    >>> from datetime import datetime, timezone
    >>> from autoloan.compliance import check
    >>> @dataclass(frozen=True, slots=True)
    ... class NoSundayVisits(Rule):
    ...     id = "LENDER.no-sunday-visits"
    ...     citation = "Lender policy P-12"
    ...     kinds = frozenset({ActionKind.VISIT})
    ...     def evaluate(self, ctx):
    ...         if ctx.day.weekday() == 6:
    ...             return (self.finding(Severity.BLOCK, "no visits on Sundays"),)
    ...         return ()
    >>> v = check(Action("visit", datetime(2026, 3, 1, 15, tzinfo=timezone.utc)),
    ...           borrower=Borrower("GB"), rules=[NoSundayVisits()])
    >>> v.allowed, v.findings[0].rule_id, v.next_permitted
    (False, 'LENDER.no-sunday-visits', None)

    Class attributes: ``id``, ``citation`` (where a source is a secondary summary the citation
    says so), ``title``, ``kinds`` (the action kinds it looks at; empty means all),
    ``effective_from``/``effective_to`` (local dates), ``binds`` (the collectors the rule binds
    as law; a finding for any other collector is house policy). Dataclass fields are the
    parameters (defaults overridable per lender with :func:`with_overrides`); ``house_policy``
    (keyword-only, every rule) sets how a finding weighs when the rule does not bind the
    collector.
    """

    id: ClassVar[str] = ""
    citation: ClassVar[str] = ""
    title: ClassVar[str] = ""
    kinds: ClassVar[frozenset[ActionKind]] = frozenset()
    effective_from: ClassVar[date | None] = None
    effective_to: ClassVar[date | None] = None
    binds: ClassVar[frozenset[Collector]] = ANYONE

    house_policy: HousePolicy = field(default=HousePolicy.AS_WRITTEN, kw_only=True)

    @property
    def rule_id(self) -> str:
        """The rule id."""
        return self.id

    @property
    def rule_citation(self) -> str:
        """The citation."""
        return self.citation

    def applies_to(self) -> frozenset[ActionKind]:
        """The action kinds the rule looks at (empty: all)."""
        return self.kinds

    def parameters(self) -> dict[str, Any]:
        """The rule's parameters and their values (its dataclass fields, ``house_policy`` aside)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.name.startswith("_") and f.name != "house_policy"
        }

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

    def __post_init__(self) -> None:
        policy = self.house_policy
        if isinstance(policy, str) and not isinstance(policy, HousePolicy):
            with suppress(ValueError):
                object.__setattr__(self, "house_policy", HousePolicy(policy.strip().lower()))
        errors = self.parameter_problems()
        if errors:
            raise InvalidAction.collect(errors)

    def parameter_problems(self) -> list[InvalidAction]:
        """Parameters not of their declared type or range (times are naive ``datetime.time``;
        counts are integers from 0 to 100000, day and minute windows at least 1)."""
        out: list[InvalidAction] = []
        if not isinstance(self.house_policy, HousePolicy):
            out.append(
                InvalidAction("house_policy", self.house_policy, "use as_written, block, review, warn or off")
            )
        for f in _fields(cast(Hashable, type(self))):
            value = getattr(self, f.name)
            problem = _check_param(f.name, value, str(f.type), f.default)
            if problem:
                out.append(InvalidAction(f.name, value, problem))
        return out

    def problems(self) -> list[InvalidAction]:
        """What is wrong with this rule's declaration and parameters (empty when it is sound).

        Checked when a pack is registered: a non-empty id and citation, ``evaluate`` overridden,
        and sound parameters (:meth:`parameter_problems`).
        """
        out: list[InvalidAction] = []
        rid = self.rule_id
        if not isinstance(rid, str) or not rid.strip():
            out.append(InvalidAction("id", rid, "a rule needs a non-empty id"))
        cite = self.rule_citation
        if not isinstance(cite, str) or not cite.strip():
            out.append(InvalidAction("citation", cite, "a rule needs a citation"))
        if getattr(type(self), "evaluate", None) is Rule.evaluate:
            out.append(
                InvalidAction("evaluate", type(self).__name__, "the rule does not override evaluate()")
            )
        return out + self.parameter_problems()


@lru_cache(maxsize=512)
def _fields(cls: Any) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(
        f for f in dataclasses.fields(cls) if not f.name.startswith("_") and f.name != "house_policy"
    )


def _is_window(name: str) -> bool:
    return name.endswith(("days", "minutes", "hours", "months"))


def _check_param(name: str, value: Any, declared: str, default: Any) -> str | None:
    """Why ``value`` is not acceptable for parameter ``name`` declared as ``declared``."""
    optional = "None" in declared
    if value is None:
        return None if optional else "must not be None"
    kind = declared.replace("| None", "").replace("None |", "").strip()
    if kind == "bool":
        return None if isinstance(value, bool) else "must be True or False"
    if kind == "time":
        if not isinstance(value, time) or value.tzinfo is not None:
            return "must be a naive datetime.time such as time(20, 0)"
        return None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be an integer"
        low = 1 if _is_window(name) and isinstance(default, int) and default >= 1 else 0
        if not low <= value <= 100_000:
            return f"must be from {low} to 100000"
        return None
    if kind == "str":
        return None if isinstance(value, str) else "must be a string"
    if kind.startswith("frozenset"):
        return None if isinstance(value, frozenset) else "must be a frozenset"
    return None
