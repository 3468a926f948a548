"""The policy document format as data: one table drives the loader, the JSON Schema and the docs.

Every object of a policy document (the policy, segments, experiments, holds, promises, offers,
stages, treatments) is described here once, key by key, with its type, default and meaning.
:func:`read` validates and normalises a document against it (collecting every error with its
JSON path), :func:`json_schema` renders it as JSON Schema 2020-12, and :func:`reference`
renders the Markdown reference in ``docs/policy.md``.

>>> errors = []
>>> read(INT(1, 10), 11, ("stages", 0, "min_days"), errors), errors[0].line()
(None, 'stages[0].min_days: must be an integer from 1 to 10 (got 11)')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from autoloan.compliance import ActionKind, Purpose
from autoloan.errors import InvalidPolicy, Path, format_path
from autoloan.policy import conditions
from autoloan.policy.facts import FACT_TYPES, FACTS

__all__ = [
    "BAD",
    "BOOL",
    "COND",
    "DEC",
    "INT",
    "OBJECTS",
    "Field",
    "Kind",
    "ObjectSpec",
    "action_kinds",
    "json_schema",
    "read",
    "reference",
]

MAX_STRING = 500


class _Bad:
    """Marks a value that failed validation in a partially read document."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BAD"


#: The marker of values that failed validation (the loader collects every error, then raises).
BAD = _Bad()
MAX_TEXT = 4000
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def action_kinds() -> tuple[str, ...]:
    """Every treatment action: each :class:`~autoloan.compliance.ActionKind` value, then ``task``.

    >>> action_kinds()[0], action_kinds()[-1]
    ('call', 'task')"""
    return (*(k.value for k in ActionKind), "task")


@dataclass(frozen=True, slots=True)
class Kind:
    """A value type of the format."""

    name: str  # str, id, int, bool, dec, time, window, list, obj, cond, enum, days
    lo: int | None = None
    hi: int | None = None
    item: Kind | None = None
    obj: str | None = None
    choices: Callable[[], tuple[str, ...]] | None = None
    nullable: bool = False

    def text(self) -> str:
        """The type as a phrase for the docs."""
        n = self.name
        base = {
            "str": "string",
            "text": "string",
            "id": "id (lowercase letters, digits, `_` or `-`; at most 64)",
            "bool": "boolean",
            "dec": "decimal string",
            "time": '"HH:MM"',
            "window": '["HH:MM", "HH:MM"] (local time, start < end)',
            "cond": "condition",
        }.get(n)
        if n == "int":
            base = f"integer {self.lo}..{self.hi}"
        elif n == "enum":
            assert self.choices is not None
            base = "one of " + ", ".join(f"`{c}`" for c in self.choices())
        elif n == "list":
            assert self.item is not None
            base = f"list of {self.item.text()}"
        elif n == "obj":
            base = f"[{self.obj}](#{self.obj})"
        return f"{base} or null" if self.nullable else str(base)


def INT(lo: int, hi: int, nullable: bool = False) -> Kind:
    """An integer type with bounds.

    >>> INT(1, 7).text()
    'integer 1..7'"""
    return Kind("int", lo=lo, hi=hi, nullable=nullable)


STR = Kind("str")
TEXT = Kind("text")
ID = Kind("id")
BOOL = Kind("bool")
DEC = Kind("dec")
TIME = Kind("time")
WINDOW = Kind("window")
COND = Kind("cond", nullable=True)


def LIST(item: Kind, lo: int = 0, hi: int = 100) -> Kind:
    """A list type."""
    return Kind("list", lo=lo, hi=hi, item=item)


def OBJ(name: str, nullable: bool = False) -> Kind:
    """A nested object type."""
    return Kind("obj", obj=name, nullable=nullable)


def ENUM(choices: Callable[[], tuple[str, ...]], nullable: bool = False) -> Kind:
    """A closed set of strings (computed when used, so new action kinds appear by themselves)."""
    return Kind("enum", choices=choices, nullable=nullable)


@dataclass(frozen=True, slots=True)
class Field:
    """One key of an object: type, whether required, default and description."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: Any = None


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """One object of the format."""

    name: str
    description: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        return None


def _kinds_and_all() -> tuple[str, ...]:
    return ("*", *action_kinds())


_PURPOSES = lambda: tuple(p.value for p in Purpose)  # noqa: E731

OBJECTS: dict[str, ObjectSpec] = {}


def _obj(name: str, description: str, *fields: Field) -> None:
    OBJECTS[name] = ObjectSpec(name, description, fields)


_obj(
    "policy",
    "The document.",
    Field("name", ID, "policy name", required=True),
    Field("version", INT(1, 10**6), "version number of this policy", default=1),
    Field("description", TEXT, "free text (at most 4000 characters)", default=""),
    Field("jurisdictions", LIST(STR, 0, 60), "jurisdictions `lint` checks by default", default=[]),
    Field(
        "skip_mode",
        ENUM(lambda: ("catch_up", "record")),
        "a mandatory stage jumped past is entered (`catch_up`) or recorded as skipped in the trace",
        default="catch_up",
    ),
    Field("window", WINDOW, "default local-time window of treatments", default=["09:00", "20:00"]),
    Field(
        "segments",
        LIST(OBJ("segment"), 1, 50),
        "first match wins; the last one has no `when` (default)",
        required=True,
    ),
    Field("experiments", LIST(OBJ("experiment"), 0, 20), "champion/challenger splits", default=[]),
    Field("holds", LIST(OBJ("hold"), 0, 50), "conditions that suppress action kinds", default=[]),
    Field("promises", OBJ("promises"), "promise-to-pay handling", default=None),
    Field("offers", LIST(OBJ("offer"), 0, 20), "payment arrangements offered in stages", default=[]),
    Field(
        "stages",
        LIST(OBJ("stage"), 1, 64),
        "in escalation order; the first whose `when` matches wins",
        required=True,
    ),
)
_obj(
    "segment",
    "A group of accounts (by risk score, balance, product, jurisdiction …).",
    Field("id", ID, "segment id", required=True),
    Field("label_en", STR, "English label", default=""),
    Field("label_zh", STR, "Chinese label", default=""),
    Field("when", COND, "condition; null for the default segment", default=None),
)
_obj(
    "experiment",
    "Champion/challenger: arms by SHA-256 of `salt:account_id`, never Python's `hash()`.",
    Field("id", ID, "experiment id", required=True),
    Field("salt", STR, "salt of the assignment hash (default: the id)", default=None),
    Field("segments", LIST(ID, 0, 50), "segments the experiment runs in (empty: all)", default=[]),
    Field("arms", LIST(OBJ("arm"), 1, 10), "arms and their weights", required=True),
)
_obj(
    "arm",
    "One arm of an experiment.",
    Field("id", ID, "arm id (the `arm` fact)", required=True),
    Field("weight", INT(1, 10**6), "relative weight", required=True),
)
_obj(
    "hold",
    "While `when` holds, the listed action kinds are suppressed, with the hold as the reason.",
    Field(
        "id",
        ID,
        "hold id (dispute, bankruptcy, military_service, cease, deceased, hardship …)",
        required=True,
    ),
    Field("label_en", STR, "English reason", default=""),
    Field("label_zh", STR, "Chinese reason", default=""),
    Field("when", COND, "condition", required=True),
    Field(
        "suppress",
        LIST(ENUM(_kinds_and_all), 1, 40),
        "action kinds suppressed (`*`: every kind except `task`)",
        required=True,
    ),
)
_obj(
    "promises",
    "Promise-to-pay handling.",
    Field("grace_days", INT(0, 60), "days after the promised date before a promise is broken", default=0),
    Field(
        "suppress",
        LIST(ENUM(_kinds_and_all), 0, 40),
        "action kinds suppressed while a promise is pending (`*`: every kind except `task`)",
        default=[],
    ),
    Field("on_broken", Kind("id", nullable=True), "stage (re-)entered when a promise breaks", default=None),
)
_obj(
    "offer",
    "A payment arrangement: 分期 (`instalment_plan`, arrears over N months) or 延期 (`deferral`).",
    Field("id", ID, "offer id", required=True),
    Field("kind", ENUM(lambda: ("instalment_plan", "deferral")), "arrangement kind", required=True),
    Field("label_en", STR, "English label", default=""),
    Field("label_zh", STR, "Chinese label", default=""),
    Field("when", COND, "eligibility condition", default=None),
    Field(
        "months",
        LIST(INT(1, 60), 1, 12),
        "plan lengths (instalment_plan) or periods deferred (deferral)",
        required=True,
    ),
    Field("annual_rate", DEC, 'rate charged on an instalment plan (fraction, e.g. "0.06")', default="0"),
    Field(
        "interest", ENUM(lambda: ("capitalize", "accrue")), "deferral interest handling", default="capitalize"
    ),
    Field("caps", OBJ("caps"), "limits checked when offered", default=None),
)
_obj(
    "caps",
    "Limits of an offer, checked against the case's arrangements.",
    Field(
        "per_12_months",
        INT(0, 100, nullable=True),
        "arrangements of this kind in the last 365 days",
        default=None,
    ),
    Field("per_life", INT(0, 100, nullable=True), "arrangements of this kind ever", default=None),
    Field("max_dpd", INT(0, 10000, nullable=True), "highest DPD at which it is offered", default=None),
    Field("min_dpd", INT(0, 10000, nullable=True), "lowest DPD at which it is offered", default=None),
)
_obj(
    "stage",
    "A collection stage.",
    Field("id", ID, "stage id", required=True),
    Field("label_en", STR, "English label", required=True),
    Field("label_zh", STR, "Chinese label", required=True),
    Field("when", COND, "entry condition (null: always matches)", default=None),
    Field("mandatory", BOOL, "never silently skipped (see `skip_mode`)", default=False),
    Field(
        "terminal",
        BOOL,
        "once entered: no more evaluation, no new treatments (charge-off, placement)",
        default=False,
    ),
    Field(
        "min_days", INT(0, 365), "days the account stays before moving back to an earlier stage", default=0
    ),
    Field("offers", LIST(ID, 0, 20), "offers made while in the stage", default=[]),
    Field("treatments", LIST(OBJ("treatment"), 0, 32), "what is done, and when", default=[]),
)
_obj(
    "treatment",
    "One action planned on given days; `on_days` or `from_day`/`every_days`/`until_day`.",
    Field("id", ID, "treatment id (unique in its stage)", required=True),
    Field(
        "action", ENUM(action_kinds), "action kind (every compliance.ActionKind, or `task`)", required=True
    ),
    Field("task", Kind("str", nullable=True), "name of the work item when `action` is `task`", default=None),
    Field("label_en", STR, "English label", default=""),
    Field("label_zh", STR, "Chinese label", default=""),
    Field(
        "anchor",
        ENUM(lambda: ("stage", "dpd", "due")),
        "what the day numbers count: days in the stage, days past due, or days from the next due date "
        "(negative: before it)",
        default="stage",
    ),
    Field(
        "on_days",
        Kind("list", lo=1, hi=100, item=INT(-366, 3660), nullable=True),
        "the days it runs",
        default=None,
    ),
    Field("from_day", INT(-366, 3660, nullable=True), "first day (with `every_days`)", default=None),
    Field("until_day", INT(-366, 3660, nullable=True), "last day (null: no end)", default=None),
    Field("every_days", INT(1, 365, nullable=True), "repeat interval from `from_day`", default=None),
    Field("window", Kind("window", nullable=True), "local-time window (null: the policy's)", default=None),
    Field("per_day", INT(1, 100, nullable=True), "most actions of this kind per local day", default=None),
    Field("per_week", INT(1, 700, nullable=True), "most actions of this kind in any 7 days", default=None),
    Field("priority", INT(-1000, 1000), "higher is planned first", default=0),
    Field(
        "fallbacks",
        LIST(ENUM(action_kinds), 0, 5),
        "kinds tried in order when refused or suppressed",
        default=[],
    ),
    Field("when", COND, "extra condition (e.g. on `arm`)", default=None),
    Field("automated", BOOL, "dialer / prerecorded / bulk message (TCPA)", default=False),
    Field("purpose", ENUM(_PURPOSES), "purpose of the communication", default="collection"),
    Field("collectors", INT(1, 10), "collectors on a visit", default=1),
    Field(
        "notice",
        ENUM(lambda: ("cure", "default"), nullable=True),
        "the action serves a right-to-cure or default notice (simulate records it on the Account)",
        default=None,
    ),
)


def _err(errors: list[InvalidPolicy], path: Path, value: Any, reason: str) -> None:
    errors.append(InvalidPolicy(format_path(path), value, reason))


def read(kind: Kind, value: Any, path: Path, errors: list[InvalidPolicy], depth: int = 0) -> Any:
    """``value`` checked against ``kind`` and normalised (errors appended; ``None`` when bad).

    >>> read(WINDOW, ["09:00", "20:00"], ("window",), [])
    ['09:00', '20:00']"""
    if not isinstance(kind, Kind) or not isinstance(path, tuple) or not isinstance(errors, list):
        raise InvalidPolicy("kind", kind, "read(kind: Kind, value, path: tuple, errors: list)")
    if value is None:
        if kind.nullable:
            return None
        _err(errors, path, value, f"must be {kind.text()}")
        return None
    n = kind.name
    if n in ("str", "id", "text"):
        limit = MAX_TEXT if n == "text" else MAX_STRING
        if not isinstance(value, str) or len(value) > limit:
            _err(errors, path, value, f"must be a string of at most {limit} characters")
            return None
        if n == "id" and not _ID.match(value):
            _err(errors, path, value, "must be an id: lowercase letters, digits, '_' or '-' (at most 64)")
            return None
        return value
    if n == "int":
        assert kind.lo is not None and kind.hi is not None
        if isinstance(value, bool) or not isinstance(value, int) or not kind.lo <= value <= kind.hi:
            reason = f"must be an integer from {kind.lo} to {kind.hi}"
            if kind.lo == 1 and (isinstance(value, int) and not isinstance(value, bool) and value < 1):
                reason = "must be a positive integer"
            _err(errors, path, value, reason)
            return None
        return value
    if n == "bool":
        if not isinstance(value, bool):
            _err(errors, path, value, "must be true or false")
            return None
        return value
    if n == "dec":
        if (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or (isinstance(value, str) and len(value) > 40)
        ):
            _err(errors, path, value, 'must be a decimal string such as "0.06"')
            return None
        try:
            dec = Decimal(value)
        except (InvalidOperation, ValueError):
            _err(errors, path, value, 'must be a decimal string such as "0.06"')
            return None
        if not dec.is_finite() or dec < 0 or dec >= 10:
            _err(errors, path, value, 'must be a fraction from 0 (e.g. "0.06" for 6 %)')
            return None
        return str(dec)
    if n == "time":
        if not isinstance(value, str) or not _TIME.match(value):
            _err(errors, path, value, 'must be a local time "HH:MM"')
            return None
        return value
    if n == "window":
        if not isinstance(value, list | tuple) or len(value) != 2:
            _err(errors, path, value, 'must be ["HH:MM", "HH:MM"]')
            return None
        a = read(TIME, value[0], (*path, 0), errors)
        b = read(TIME, value[1], (*path, 1), errors)
        if a is None or b is None:
            return None
        if a >= b:
            _err(errors, path, value, "start must be before end")
            return None
        return [a, b]
    if n == "enum":
        assert kind.choices is not None
        choices = kind.choices()
        if not isinstance(value, str) or value not in choices:
            _err(errors, path, value, "must be one of " + ", ".join(choices))
            return None
        return value
    if n == "cond":
        tree = conditions.parse(value, path, errors)
        return None if tree is None else conditions.to_data(tree)
    if n == "list":
        assert kind.item is not None and kind.lo is not None and kind.hi is not None
        if not isinstance(value, list | tuple):
            _err(errors, path, value, f"must be a list ({kind.lo} to {kind.hi} items)")
            return None
        if not kind.lo <= len(value) <= kind.hi:
            _err(errors, path, f"<{len(value)} items>", f"must have {kind.lo} to {kind.hi} items")
            return None
        items = []
        for i, v in enumerate(value):
            before = len(errors)
            got = read(kind.item, v, (*path, i), errors, depth + 1)
            # an object with bad parts stays (its bad parts are marked); a bad scalar becomes BAD
            items.append(
                got if len(errors) == before or (kind.item.name == "obj" and isinstance(got, dict)) else BAD
            )
        return items
    assert n == "obj" and kind.obj is not None
    return read_object(OBJECTS[kind.obj], value, path, errors, depth + 1)


def read_object(spec: ObjectSpec, value: Any, path: Path, errors: list[InvalidPolicy], depth: int = 0) -> Any:
    """An object checked against ``spec``: unknown keys are errors; defaults are filled in.

    Values that fail are replaced by :data:`BAD` (and their errors appended), so the rest of the
    document can still be cross-checked; ``None`` only when ``value`` is not an object at all.
    """
    if not isinstance(spec, ObjectSpec) or not isinstance(path, tuple) or not isinstance(errors, list):
        raise InvalidPolicy("spec", spec, "read_object(spec: ObjectSpec, value, path: tuple, errors: list)")
    if depth > 12:
        _err(errors, path, "...", "nested too deeply")
        return None
    if not isinstance(value, dict):
        _err(errors, path, value, f"must be an object ({spec.name})")
        return None
    known = {f.name for f in spec.fields}
    ok = True
    for key in value:
        if key not in known:
            shown = key if isinstance(key, str) else repr(key)
            _err(
                errors,
                (*path, shown),
                value[key],
                f"unknown key in {spec.name}; allowed: " + ", ".join(f.name for f in spec.fields),
            )
            ok = False
    out: dict[str, Any] = {}
    for f in spec.fields:
        if f.name not in value:
            if f.required:
                _err(errors, path, sorted(str(k) for k in value), f"missing required key '{f.name}'")
                ok = False
                continue
            default = f.default
            if f.kind.name == "obj" and default is None and not f.kind.nullable:
                default = read_object(OBJECTS[f.kind.obj or ""], {}, (*path, f.name), errors, depth + 1)
            out[f.name] = list(default) if isinstance(default, list) else default
            continue
        raw = value[f.name]
        if raw is None and not f.required and not f.kind.nullable:
            if f.kind.name == "obj":
                out[f.name] = read_object(OBJECTS[f.kind.obj or ""], {}, (*path, f.name), errors, depth + 1)
            else:
                out[f.name] = list(f.default) if isinstance(f.default, list) else f.default
            continue
        before = len(errors)
        got = read(f.kind, raw, (*path, f.name), errors, depth)
        if len(errors) > before:
            ok = False
            if not (f.kind.name in ("obj", "list") and isinstance(got, dict | list)):
                got = BAD
        out[f.name] = got
    del ok  # errors are in ``errors``; bad values are marked BAD so cross-checks can skip them
    return out


# --- JSON Schema ----------------------------------------------------------------------------------


def _schema(kind: Kind) -> dict[str, Any]:
    n = kind.name
    s: dict[str, Any]
    if n in ("str", "text"):
        s = {"type": "string", "maxLength": MAX_TEXT if n == "text" else MAX_STRING}
    elif n == "id":
        s = {"type": "string", "pattern": _ID.pattern}
    elif n == "int":
        s = {"type": "integer", "minimum": kind.lo, "maximum": kind.hi}
    elif n == "bool":
        s = {"type": "boolean"}
    elif n == "dec":
        s = {"type": ["string", "integer"], "pattern": r"^\d+(\.\d+)?$"}
    elif n == "time":
        s = {"type": "string", "pattern": _TIME.pattern}
    elif n == "window":
        t = {"type": "string", "pattern": _TIME.pattern}
        s = {"type": "array", "prefixItems": [t, t], "minItems": 2, "maxItems": 2, "items": False}
    elif n == "enum":
        assert kind.choices is not None
        s = {"enum": list(kind.choices())}
    elif n == "cond":
        s = {"$ref": "#/$defs/condition"}
    elif n == "list":
        assert kind.item is not None
        s = {"type": "array", "items": _schema(kind.item), "minItems": kind.lo, "maxItems": kind.hi}
    else:
        s = {"$ref": f"#/$defs/{kind.obj}"}
    if kind.nullable:
        s = {"anyOf": [s, {"type": "null"}]}
    return s


def _object_schema(spec: ObjectSpec) -> dict[str, Any]:
    props = {}
    for f in spec.fields:
        s = _schema(f.kind)
        if not f.required and not f.kind.nullable and "anyOf" not in s:
            s = {"anyOf": [s, {"type": "null"}]}
        props[f.name] = {**s, "description": f.description}
    return {
        "type": "object",
        "description": spec.description,
        "properties": props,
        "required": [f.name for f in spec.fields if f.required],
        "additionalProperties": False,
    }


def _condition_schema() -> dict[str, Any]:
    comparisons = []
    for name, fact in sorted(FACTS.items()):
        ops = conditions.OPERATORS[fact.type]
        comparisons.append(
            {
                "type": "object",
                "properties": {"fact": {"const": name}, "op": {"enum": list(ops)}, "value": {}},
                "required": ["fact", "op", "value"],
                "additionalProperties": False,
            }
        )
    ref = {"$ref": "#/$defs/condition"}
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {"all": {"type": "array", "items": ref}},
                "required": ["all"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"any": {"type": "array", "items": ref}},
                "required": ["any"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"not": ref},
                "required": ["not"],
                "additionalProperties": False,
            },
            {"anyOf": comparisons},
        ]
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a policy document.

    >>> json_schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    root = _object_schema(OBJECTS["policy"])
    defs = {name: _object_schema(spec) for name, spec in OBJECTS.items() if name != "policy"}
    defs["condition"] = _condition_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://autoloan.invalid/schemas/policy.json",
        "title": "autoloan collection policy",
        **root,
        "$defs": defs,
    }


# --- Markdown reference ---------------------------------------------------------------------------


def _default(f: Field) -> str:
    if f.required:
        return "**required**"
    if f.default is None:
        return "null"
    if isinstance(f.default, str):
        return f'"{f.default}"' if f.default else '""'
    if isinstance(f.default, bool):
        return "true" if f.default else "false"
    if isinstance(f.default, list):
        return "[" + ", ".join(f'"{x}"' if isinstance(x, str) else str(x) for x in f.default) + "]"
    return str(f.default)


def reference() -> str:
    """The Markdown reference of every key, fact and operator (generated; ``docs/policy.md`` embeds it).

    >>> reference().splitlines()[0]
    '### policy'"""
    lines: list[str] = []
    for name, spec in OBJECTS.items():
        lines += [
            f"### {name}",
            "",
            spec.description,
            "",
            "| Key | Type | Default | Meaning |",
            "|---|---|---|---|",
        ]
        for f in spec.fields:
            desc = f.description.replace("|", "\\|")
            lines.append(f"| `{f.name}` | {f.kind.text()} | {_default(f)} | {desc} |")
        lines.append("")
    lines += [
        "### condition",
        "",
        '`{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}` or `{"fact": F, "op": O, '
        '"value": V}`. A null fact value makes its comparison false.',
        "",
        "| Type | Operators | Values |",
        "|---|---|---|",
    ]
    for t, ops in conditions.OPERATORS.items():
        lines.append(f"| {t} | {', '.join(f'`{o}`' for o in ops)} | {FACT_TYPES[t]} |")
    lines += ["", "### facts", "", "| Fact | Type | Meaning |", "|---|---|---|"]
    for fname, fact in sorted(FACTS.items()):
        desc = fact.description.replace("|", "\\|")
        lines.append(f"| `{fname}` | {fact.type}{' or null' if fact.nullable else ''} | {desc} |")
    return "\n".join(lines) + "\n"
