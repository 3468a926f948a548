"""Policy: a collection strategy loaded from JSON-compatible data, validated and compiled once.

>>> p = Policy.from_dict({
...     "name": "tiny",
...     "segments": [{"id": "all"}],
...     "stages": [
...         {"id": "current", "label_en": "current", "label_zh": "正常",
...          "when": {"fact": "dpd", "op": "==", "value": 0}},
...         {"id": "early", "label_en": "early", "label_zh": "初次催收",
...          "when": {"fact": "dpd", "op": ">=", "value": 1},
...          "treatments": [{"id": "sms", "action": "sms", "on_days": [0]}]},
...     ],
... })
>>> [s.id for s in p.stages], p.stages[1].treatments[0].kind
(['current', 'early'], <ActionKind.SMS: 'sms'>)
>>> Policy.from_dict(p.to_dict()) == p, len(p.digest)
(True, 64)
>>> Policy.from_dict({"name": "x", "segments": [], "stages": [], "oops": 1})
Traceback (most recent call last):
...
autoloan.errors.InvalidPolicy: 3 errors:
  oops: unknown key in policy; allowed: name, version, ..., offers, stages (got 1)
  segments: must have 1 to 50 items (got '<0 items>')
  stages: must have 1 to 64 items (got '<0 items>')
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from autoloan.compliance import ActionKind, Purpose
from autoloan.errors import InvalidInput, InvalidPolicy, Path, format_path
from autoloan.money import to_int
from autoloan.policy import conditions, spec
from autoloan.policy.conditions import Tree
from autoloan.policy.facts import Facts

if TYPE_CHECKING:
    from autoloan.policy.case import Case
    from autoloan.policy.engine import Decision
    from autoloan.policy.lint import LintFinding

__all__ = [
    "Experiment",
    "Hold",
    "OfferSpec",
    "Policy",
    "PromiseRules",
    "Segment",
    "Stage",
    "Treatment",
    "canonical_json",
]

Test = Callable[[Facts], bool]

#: Largest accepted document, in nodes (keys + list items), so a hostile document cannot hang loading.
MAX_DOCUMENT_NODES = 50_000


def canonical_json(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no spaces, UTF-8 (the digest and determinism tests use it).

    >>> canonical_json({"b": 1, "a": "分期"})
    b'{"a":"\\xe5\\x88\\x86\\xe6\\x9c\\x9f","b":1}'
    """
    try:
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        raise InvalidInput(
            "data", data, "must be JSON-compatible (dict, list, str, int, bool, None)"
        ) from None


def _hhmm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """A segment: id, labels and the compiled condition (``None``: the default)."""

    id: str
    label_en: str
    label_zh: str
    tree: Tree | None
    test: Test


@lru_cache(maxsize=65536)
def _bucket(salt: str, account_id: str, total: int) -> int:
    digest = hashlib.sha256(f"{salt}:{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % total


@dataclass(frozen=True, slots=True, eq=False)
class Experiment:
    """An experiment: arms with weights, assigned by SHA-256 of ``salt:account_id``."""

    id: str
    salt: str
    segments: frozenset[str]
    arms: tuple[tuple[str, int], ...]
    total: int

    def arm_for(self, account_id: str) -> str:
        """The arm of ``account_id``: SHA-256 of ``salt:account_id`` as an integer, modulo the weights.

        >>> Experiment("e", "s1", frozenset(), (("a", 1), ("b", 1)), 2).arm_for("L1") in ("a", "b")
        True
        """
        if not isinstance(account_id, str):
            raise InvalidInput("account_id", account_id, "must be a string")
        bucket = _bucket(self.salt, account_id, self.total)
        for arm, weight in self.arms:
            if bucket < weight:
                return arm
            bucket -= weight
        return self.arms[-1][0]  # pragma: no cover - weights sum to total


@dataclass(frozen=True, slots=True, eq=False)
class Hold:
    """A hold: while its condition holds, the listed kinds (``all_kinds``: every kind) are suppressed."""

    id: str
    label_en: str
    label_zh: str
    tree: Tree | None
    test: Test
    suppress: frozenset[str]
    all_kinds: bool

    def suppresses(self, kind: str) -> bool:
        """True when the hold suppresses ``kind`` (``*`` covers every action kind except ``task``)."""
        return kind in self.suppress or (self.all_kinds and kind != "task")


@dataclass(frozen=True, slots=True, eq=False)
class PromiseRules:
    """Promise-to-pay handling."""

    grace_days: int
    suppress: frozenset[str]
    all_kinds: bool
    on_broken: str | None


@dataclass(frozen=True, slots=True, eq=False)
class OfferSpec:
    """A payment arrangement offered in stages (分期 or 延期), with eligibility and caps."""

    id: str
    kind: str
    label_en: str
    label_zh: str
    tree: Tree | None
    test: Test
    months: tuple[int, ...]
    annual_rate: Decimal
    interest: str
    per_12_months: int | None
    per_life: int | None
    max_dpd: int | None
    min_dpd: int | None


@dataclass(frozen=True, slots=True, eq=False)
class Treatment:
    """One treatment of a stage: the action and when it runs."""

    id: str
    action: str
    kind: ActionKind | None
    task: str | None
    label_en: str
    label_zh: str
    anchor: str
    on_days: frozenset[int] | None
    from_day: int | None
    until_day: int | None
    every_days: int | None
    window: tuple[time, time]
    per_day: int | None
    per_week: int | None
    priority: int
    fallbacks: tuple[str, ...]
    tree: Tree | None
    test: Test
    automated: bool
    purpose: Purpose
    collectors: int
    notice: str | None
    order: int

    def runs_on(self, day: int) -> bool:
        """True when the treatment runs on day number ``day`` of its anchor.

        >>> t = Policy.builtin("cn-auto").stages[1].treatments[1]
        >>> t.runs_on(t.from_day), t.runs_on(t.from_day + 1)
        (True, False)
        """
        if self.on_days is not None:
            return day in self.on_days
        start = self.from_day if self.from_day is not None else 0
        if day < start or (self.until_day is not None and day > self.until_day):
            return False
        return (day - start) % (self.every_days or 1) == 0

    def days(self, lo: int, hi: int) -> list[int]:
        """The day numbers in ``[lo, hi]`` on which the treatment runs (at most 100,000 apart)."""
        lo, hi = _day_range(lo, hi)
        return [d for d in range(lo, hi + 1) if self.runs_on(d)]

    def first_day(self, lo: int, hi: int) -> int | None:
        """The first day number in ``[lo, hi]`` on which the treatment runs (``None``: none).

        >>> t = Policy.builtin("cn-auto").stages[1].treatments[1]
        >>> t.first_day(t.from_day + 1, 99) == t.from_day + t.every_days, t.first_day(-5, t.from_day - 1)
        (True, None)
        """
        if type(lo) is not int or type(hi) is not int:
            lo, hi = _day_range(lo, hi)
        if self.on_days is not None:
            inside = [d for d in self.on_days if lo <= d <= hi]
            return min(inside) if inside else None
        start = self.from_day if self.from_day is not None else 0
        lo = max(lo, start)
        if self.until_day is not None:
            hi = min(hi, self.until_day)
        first = lo + (start - lo) % (self.every_days or 1)
        return first if first <= hi else None


def _day_range(lo: Any, hi: Any) -> tuple[int, int]:
    """``(lo, hi)`` as whole numbers of days, ``hi - lo`` at most 100,000 (a range is listed day by day)."""
    lo = to_int(lo, "lo", -(10**6), 10**6)
    hi = to_int(hi, "hi", -(10**6), 10**6)
    if hi - lo > 100_000:
        raise InvalidInput("hi", hi, "must be at most 100,000 days after lo")
    return lo, hi


@dataclass(frozen=True, slots=True, eq=False)
class Stage:
    """A collection stage: ``id``, bilingual labels, entry condition, flags and treatments."""

    id: str
    label_en: str
    label_zh: str
    tree: Tree | None
    test: Test
    mandatory: bool
    terminal: bool
    min_days: int
    offers: tuple[str, ...]
    treatments: tuple[Treatment, ...]
    index: int

    def __repr__(self) -> str:
        return f"Stage({self.id!r}, {self.label_en!r}, {self.label_zh!r})"

    def to_dict(self) -> dict[str, Any]:
        """Id and labels."""
        return {"id": self.id, "label_en": self.label_en, "label_zh": self.label_zh}


#: The stage of a case no stage matches (a gap in the policy; ``lint`` reports such gaps).
NO_STAGE = Stage("none", "no stage", "无阶段", None, lambda f: False, False, False, 0, (), (), -1)


def _count_nodes(data: Any, limit: int) -> int:
    """Nodes in a JSON-like document, stopping early past ``limit`` (no recursion: no stack overflow)."""
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > limit:
            return count
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return count


class Policy:
    """A validated, compiled collection policy. Build it with :meth:`from_dict` or :meth:`builtin`.

    Immutable; equal policies have equal :attr:`digest` (SHA-256 of the canonical JSON of
    :meth:`to_dict`).
    """

    __slots__ = (
        "_data",
        "_digest",
        "description",
        "experiments",
        "holds",
        "jurisdictions",
        "name",
        "offers",
        "promises",
        "segments",
        "skip_mode",
        "stage_by_id",
        "stages",
        "uses",
        "version",
        "window",
    )

    _data: dict[str, Any]
    _digest: str
    name: str
    version: int
    description: str
    jurisdictions: tuple[str, ...]
    skip_mode: str
    window: tuple[time, time]
    segments: tuple[Segment, ...]
    experiments: tuple[Experiment, ...]
    holds: tuple[Hold, ...]
    promises: PromiseRules
    offers: dict[str, OfferSpec]
    stages: tuple[Stage, ...]
    stage_by_id: dict[str, Stage]
    uses: frozenset[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise InvalidPolicy(
            "Policy", args or kwargs or None, "use Policy.from_dict(data) or Policy.builtin(name)"
        )

    @classmethod
    def from_dict(cls, data: Any) -> Policy:
        """The policy described by JSON-compatible ``data``.

        Raises :class:`~autoloan.errors.InvalidPolicy` carrying every error (each with its JSON
        path) when the document is not valid. Unknown keys are errors; sizes and nesting are
        bounded; nothing is evaluated.
        """
        if isinstance(data, Policy):
            return data
        if not isinstance(data, Mapping):
            raise InvalidPolicy("policy", data, "must be an object (a dict)")
        if _count_nodes(data, MAX_DOCUMENT_NODES) > MAX_DOCUMENT_NODES:
            raise InvalidPolicy("policy", "...", f"document too large (more than {MAX_DOCUMENT_NODES} nodes)")
        errors: list[InvalidPolicy] = []
        norm = spec.read_object(spec.OBJECTS["policy"], dict(data), (), errors)
        if norm is not None and not errors:
            _cross_check(norm, errors)
        elif norm is not None:
            # a partly bad document: cross-check what is good, so every error is reported at once
            with contextlib.suppress(TypeError, KeyError, AttributeError, IndexError, ValueError):
                _cross_check(norm, errors)
        if errors:
            raise InvalidPolicy.collect(errors)
        assert norm is not None
        return cls._build(norm)

    @classmethod
    def _build(cls, d: dict[str, Any]) -> Policy:
        self = object.__new__(cls)
        set_ = object.__setattr__
        set_(self, "_data", d)
        set_(self, "name", d["name"])
        set_(self, "version", d["version"])
        set_(self, "description", d["description"])
        set_(self, "jurisdictions", tuple(d["jurisdictions"]))
        set_(self, "skip_mode", d["skip_mode"])
        window = (_hhmm(d["window"][0]), _hhmm(d["window"][1]))
        set_(self, "window", window)
        uses: set[str] = set()

        def tree_of(c: Any) -> tuple[Tree | None, Test]:
            if c is None:
                return None, conditions.compile_tree(None)
            t = conditions.parse(c, (), [])
            uses.update(conditions.facts_used(t))
            return t, conditions.compile_tree(t)

        set_(
            self,
            "segments",
            tuple(Segment(s["id"], s["label_en"], s["label_zh"], *tree_of(s["when"])) for s in d["segments"]),
        )
        set_(
            self,
            "experiments",
            tuple(
                Experiment(
                    e["id"],
                    e["salt"] if e["salt"] is not None else e["id"],
                    frozenset(e["segments"]),
                    tuple((a["id"], a["weight"]) for a in e["arms"]),
                    sum(a["weight"] for a in e["arms"]),
                )
                for e in d["experiments"]
            ),
        )
        set_(
            self,
            "holds",
            tuple(
                Hold(
                    h["id"],
                    h["label_en"],
                    h["label_zh"],
                    *tree_of(h["when"]),
                    frozenset(h["suppress"]),
                    "*" in h["suppress"],
                )
                for h in d["holds"]
            ),
        )
        pr = d["promises"]
        set_(
            self,
            "promises",
            PromiseRules(pr["grace_days"], frozenset(pr["suppress"]), "*" in pr["suppress"], pr["on_broken"]),
        )
        offers = {}
        for o in d["offers"]:
            caps = o["caps"]
            offers[o["id"]] = OfferSpec(
                o["id"],
                o["kind"],
                o["label_en"],
                o["label_zh"],
                *tree_of(o["when"]),
                tuple(o["months"]),
                Decimal(o["annual_rate"]),
                o["interest"],
                caps["per_12_months"],
                caps["per_life"],
                caps["max_dpd"],
                caps["min_dpd"],
            )
        set_(self, "offers", offers)
        stages = []
        for i, s in enumerate(d["stages"]):
            treatments = []
            for j, t in enumerate(s["treatments"]):
                w = t["window"]
                treatments.append(
                    Treatment(
                        t["id"],
                        t["action"],
                        None if t["action"] == "task" else ActionKind(t["action"]),
                        t["task"],
                        t["label_en"],
                        t["label_zh"],
                        t["anchor"],
                        frozenset(t["on_days"]) if t["on_days"] is not None else None,
                        t["from_day"],
                        t["until_day"],
                        t["every_days"],
                        (_hhmm(w[0]), _hhmm(w[1])) if w is not None else window,
                        t["per_day"],
                        t["per_week"],
                        t["priority"],
                        tuple(t["fallbacks"]),
                        *tree_of(t["when"]),
                        t["automated"],
                        Purpose(t["purpose"]),
                        t["collectors"],
                        t["notice"],
                        j,
                    )
                )
            stages.append(
                Stage(
                    s["id"],
                    s["label_en"],
                    s["label_zh"],
                    *tree_of(s["when"]),
                    s["mandatory"],
                    s["terminal"],
                    s["min_days"],
                    tuple(s["offers"]),
                    tuple(treatments),
                    i,
                )
            )
        set_(self, "stages", tuple(stages))
        set_(self, "stage_by_id", {s.id: s for s in stages})
        set_(self, "uses", frozenset(uses))
        set_(self, "_digest", hashlib.sha256(canonical_json(d)).hexdigest())
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Policy is immutable")

    @classmethod
    def builtin(cls, name: str) -> Policy:
        """A built-in policy shipped with autoloan: ``"cn-auto"`` or ``"us-auto"``.

        >>> p = Policy.builtin("cn-auto")
        >>> p.stages[1].label_zh
        '初次催收'
        """
        from autoloan.policy.builtin import load

        return load(name)

    @staticmethod
    def builtin_names() -> tuple[str, ...]:
        """The names of the built-in policies.

        >>> Policy.builtin_names()
        ('cn-auto', 'us-auto')
        """
        from autoloan.policy.builtin import NAMES

        return NAMES

    def to_dict(self) -> dict[str, Any]:
        """The normalised document (every default written out); ``from_dict`` of it gives an equal policy.

        >>> p = Policy.builtin("us-auto")
        >>> Policy.from_dict(p.to_dict()).digest == p.digest
        True
        """
        out: dict[str, Any] = json.loads(canonical_json(self._data))
        return out

    @property
    def digest(self) -> str:
        """SHA-256 (hex) of the canonical JSON of :meth:`to_dict`."""
        return self._digest

    @staticmethod
    def json_schema() -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of policy documents.

        >>> Policy.json_schema()["title"]
        'autoloan collection policy'
        """
        return spec.json_schema()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Policy):
            return NotImplemented
        return self._digest == other._digest

    def __hash__(self) -> int:
        return int(self._digest[:15], 16)

    def __repr__(self) -> str:
        return f"Policy({self.name!r}, version={self.version}, stages={[s.id for s in self.stages]})"

    def __dask_tokenize__(self) -> str:
        return self._digest

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_data, (self._data,))

    def stage(self, stage_id: str) -> Stage:
        """The stage called ``stage_id``.

        >>> Policy.builtin("cn-auto").stage("legal").terminal
        True
        """
        found = self.stage_by_id.get(stage_id) if isinstance(stage_id, str) else None
        if found is None:
            raise InvalidPolicy("stage", stage_id, "no such stage; known: " + ", ".join(self.stage_by_id))
        return found

    def decide(self, case: Case, now: datetime) -> Decision:
        """What to do next for ``case`` at ``now`` (aware): see :func:`autoloan.policy.engine.decide`."""
        from autoloan.policy.engine import decide

        return decide(self, case, now)

    def lint(self, jurisdictions: Iterable[str] | None = None) -> list[LintFinding]:
        """Static findings (gaps, unreachable stages, windows and caps against the rules …).

        ``jurisdictions`` defaults to the policy's own list. See :func:`autoloan.policy.lint.lint`.
        """
        from autoloan.policy.lint import lint

        return lint(self, jurisdictions)


def _from_data(data: dict[str, Any]) -> Policy:
    return Policy.from_dict(data)


def _good(value: Any) -> bool:
    return value is not spec.BAD


def _items(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The (index, object) pairs of a list that read well."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(value: Any) -> set[str] | None:
    """The ids of a list of objects; ``None`` when one of them is unreadable (references unknowable)."""
    if not isinstance(value, list):
        return None
    out = set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return None
        out.add(item["id"])
    return out


def _dupes(items: Any, path: Path, errors: list[InvalidPolicy], key: str = "id") -> None:
    seen: set[str] = set()
    for i, item in _items(items):
        value = item.get(key)
        if not isinstance(value, str):
            continue
        if value in seen:
            errors.append(InvalidPolicy(format_path((*path, i, key)), value, "duplicate id"))
        seen.add(value)


def _forbid(cond: Any, facts: set[str], path: Path, errors: list[InvalidPolicy], where: str) -> None:
    if cond is None or not _good(cond):
        return
    used = conditions.facts_used(conditions.parse(cond, (), []))
    for name in sorted(used & facts):
        errors.append(InvalidPolicy(format_path(path), name, f"fact {name} is not available in {where}"))


def _cross_check(d: dict[str, Any], errors: list[InvalidPolicy]) -> None:
    """Checks across objects: unique ids, references, defaults, timing (skipping unreadable parts)."""
    segs = d["segments"]
    _dupes(segs, ("segments",), errors)
    n_segs = len(segs) if isinstance(segs, list) else 0
    for i, s in _items(segs):
        last = i == n_segs - 1
        when = s.get("when")
        if not _good(when):
            pass
        elif last and when is not None:
            errors.append(
                InvalidPolicy(
                    format_path(("segments", i, "when")),
                    when,
                    "the last segment is the default: it must have no condition",
                )
            )
        elif not last and when is None:
            errors.append(
                InvalidPolicy(
                    format_path(("segments", i, "when")),
                    None,
                    "only the last segment may have no condition (it hides the rest)",
                )
            )
        _forbid(when, {"segment", "arm", "days_in_stage"}, ("segments", i, "when"), errors, "segments")
    seg_ids = _ids(segs)
    _dupes(d["experiments"], ("experiments",), errors)
    for i, e in _items(d["experiments"]):
        _dupes(e.get("arms"), ("experiments", i, "arms"), errors)
        refs = e.get("segments")
        if seg_ids is not None and isinstance(refs, list):
            for j, sid in enumerate(refs):
                if isinstance(sid, str) and sid not in seg_ids:
                    errors.append(
                        InvalidPolicy(format_path(("experiments", i, "segments", j)), sid, "no such segment")
                    )
    _dupes(d["holds"], ("holds",), errors)
    for i, h in _items(d["holds"]):
        _forbid(h.get("when"), {"days_in_stage"}, ("holds", i, "when"), errors, "holds")
    stage_ids = _ids(d["stages"])
    _dupes(d["stages"], ("stages",), errors)
    promises = d["promises"]
    ob = promises.get("on_broken") if isinstance(promises, dict) else None
    if stage_ids is not None and isinstance(ob, str) and ob not in stage_ids:
        errors.append(InvalidPolicy("promises.on_broken", ob, "no such stage"))
    offer_ids = _ids(d["offers"])
    _dupes(d["offers"], ("offers",), errors)
    for i, o in _items(d["offers"]):
        caps = o.get("caps")
        if isinstance(caps, dict):
            lo, hi = caps.get("min_dpd"), caps.get("max_dpd")
            if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
                errors.append(
                    InvalidPolicy(
                        format_path(("offers", i, "caps", "min_dpd")), lo, "must not exceed max_dpd"
                    )
                )
        if o.get("kind") == "deferral" and isinstance(o.get("annual_rate"), str) and o["annual_rate"] != "0":
            errors.append(
                InvalidPolicy(
                    format_path(("offers", i, "annual_rate")),
                    o["annual_rate"],
                    "applies to instalment plans only (a deferral keeps the loan's rate)",
                )
            )
    for i, s in _items(d["stages"]):
        refs = s.get("offers")
        if offer_ids is not None and isinstance(refs, list):
            for j, oid in enumerate(refs):
                if isinstance(oid, str) and oid not in offer_ids:
                    errors.append(
                        InvalidPolicy(format_path(("stages", i, "offers", j)), oid, "no such offer")
                    )
        _dupes(s.get("treatments"), ("stages", i, "treatments"), errors)
        for j, t in _items(s.get("treatments")):
            _check_treatment(t, ("stages", i, "treatments", j), errors)


def _check_treatment(t: dict[str, Any], p: Path, errors: list[InvalidPolicy]) -> None:
    keys = ("action", "task", "on_days", "from_day", "every_days", "until_day", "anchor", "fallbacks")
    if not all(_good(t.get(k)) for k in keys):
        return  # its own errors are reported; timing checks need every timing key
    if (t["action"] == "task") != (t["task"] is not None):
        errors.append(
            InvalidPolicy(
                format_path((*p, "task")), t["task"], "give a task name exactly when action is 'task'"
            )
        )
    periodic = any(t[k] is not None for k in ("from_day", "every_days", "until_day"))
    if t["on_days"] is not None and periodic:
        errors.append(
            InvalidPolicy(
                format_path((*p, "on_days")),
                t["on_days"],
                "give on_days or from_day/every_days/until_day, not both",
            )
        )
    elif t["on_days"] is None and not periodic:
        errors.append(
            InvalidPolicy(format_path(p), t.get("id"), "give on_days or from_day/every_days/until_day")
        )
    if t["from_day"] is not None and t["until_day"] is not None and t["until_day"] < t["from_day"]:
        errors.append(
            InvalidPolicy(format_path((*p, "until_day")), t["until_day"], "must not be before from_day")
        )
    if t["anchor"] == "stage":
        days = [*(t["on_days"] or ()), *(x for x in (t["from_day"],) if x is not None)]
        for day in days:
            if day < 0:
                where = "on_days" if t["on_days"] else "from_day"
                errors.append(InvalidPolicy(format_path((*p, where)), day, "days in a stage start at 0"))
                break
    for k, fb in enumerate(t["fallbacks"]):
        if fb == t["action"] or fb == "task":
            errors.append(
                InvalidPolicy(
                    format_path((*p, "fallbacks", k)), fb, "a fallback must be another contact kind"
                )
            )
