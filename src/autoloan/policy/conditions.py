"""Conditions: a closed, typed tree over the fact whitelist, checked and compiled once at load.

A condition is ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}`` or a comparison
``{"fact": NAME, "op": OP, "value": VALUE}``. Each fact has a type and each type a set of
operators; the value is checked against the type when the policy is loaded, then the tree is
compiled into nested closures. Nothing is evaluated as code, nothing is looked up by name at
decision time.

>>> errors = []
>>> tree = parse({"all": [{"fact": "dpd", "op": "between", "value": [1, 30]},
...                       {"fact": "flags", "op": "has_none", "value": ["deceased"]}]}, ("when",), errors)
>>> errors, describe(tree)
([], 'dpd between [1, 30] and flags has_none [deceased]')
>>> parse({"fact": "dpd", "op": ">=", "value": "x"}, ("when",), errors) is None, errors[0].line()
(True, "when.value: must be an integer for fact dpd (got 'x')")
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from autoloan.errors import InvalidPolicy, Path, format_path
from autoloan.policy.facts import FACTS, Facts

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "OPERATORS",
    "Tree",
    "check_tree",
    "compile_tree",
    "describe",
    "eval3",
    "facts_used",
    "parse",
    "to_data",
]

#: Deepest nesting of all/any/not accepted.
MAX_DEPTH = 16
#: Most nodes in one condition.
MAX_NODES = 256
#: Longest list value (``in``, ``has_any`` …).
MAX_LIST = 200

_ORDER = ("==", "!=", "<", "<=", ">", ">=", "between")
#: The operators each fact type accepts.
OPERATORS: dict[str, tuple[str, ...]] = {
    "int": (*_ORDER, "in", "not_in"),
    "decimal": _ORDER,
    "str": ("==", "!=", "in", "not_in"),
    "bool": ("==", "!="),
    "set": ("has", "has_any", "has_none"),
}

Tree = tuple[Any, ...]
"""A parsed condition: ``("all", children)``, ``("any", children)``, ``("not", child)`` or
``("cmp", fact, op, value)`` with the value normalised to its type."""


def check_tree(tree: Any, _depth: int = 0) -> None:
    """Raise :class:`InvalidPolicy` unless ``tree`` is a tree made by :func:`parse`.

    >>> check_tree(("cmp", "dpd", ">=", 3))
    >>> check_tree(("cmp", "nope", ">=", 3))
    Traceback (most recent call last):
    ...
    autoloan.errors.InvalidPolicy: condition: not a parsed condition tree (got ('cmp', 'nope', '>=', 3))
    """
    ok = isinstance(tree, tuple) and len(tree) >= 2 and isinstance(tree[0], str) and _depth <= MAX_DEPTH + 1
    if ok and tree[0] == "cmp":
        ok = (
            len(tree) == 4
            and isinstance(tree[1], str)
            and tree[1] in FACTS
            and isinstance(tree[2], str)
            and tree[2] in OPERATORS[FACTS[tree[1]].type]
        )
        if ok and tree[2] in ("between", "in", "not_in", "has_any", "has_none"):
            ok = isinstance(tree[3], tuple) and (tree[2] != "between" or len(tree[3]) == 2)
    elif ok and tree[0] == "not":
        ok = len(tree) == 2
        if ok:
            check_tree(tree[1], _depth + 1)
    elif ok and tree[0] in ("all", "any"):
        ok = len(tree) == 2 and isinstance(tree[1], tuple)
        if ok:
            for child in tree[1]:
                check_tree(child, _depth + 1)
    else:
        ok = False
    if not ok:
        raise InvalidPolicy("condition", tree, "not a parsed condition tree")


def _err(errors: list[InvalidPolicy], path: Path, value: Any, reason: str) -> None:
    errors.append(InvalidPolicy(format_path(path), value, reason))


def _scalar(kind: str, value: Any, fact: str, path: Path, errors: list[InvalidPolicy]) -> Any:
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 10**9:
            _err(errors, path, value, f"must be an integer for fact {fact}")
            return None
        return value
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | str):
            _err(errors, path, value, f"must be a decimal string or an integer for fact {fact}")
            return None
        try:
            dec = Decimal(value.strip()) if isinstance(value, str) and len(value) <= 40 else Decimal(value)
        except (InvalidOperation, ValueError):
            _err(errors, path, value, f"must be a decimal string or an integer for fact {fact}")
            return None
        if not dec.is_finite() or abs(dec.adjusted()) > 15:
            _err(errors, path, value, f"must be a finite decimal of reasonable size for fact {fact}")
            return None
        return dec
    if kind == "bool":
        if not isinstance(value, bool):
            _err(errors, path, value, f"must be true or false for fact {fact}")
            return None
        return value
    if not isinstance(value, str) or not value or len(value) > 100:
        _err(errors, path, value, f"must be a non-empty string (at most 100 characters) for fact {fact}")
        return None
    return value


def _value(kind: str, op: str, value: Any, fact: str, path: Path, errors: list[InvalidPolicy]) -> Any:
    vpath = (*path, "value")
    if op == "between":
        if not isinstance(value, list | tuple) or len(value) != 2:
            _err(errors, vpath, value, "must be a list [low, high]")
            return None
        lo = _scalar(kind, value[0], fact, (*vpath, 0), errors)
        hi = _scalar(kind, value[1], fact, (*vpath, 1), errors)
        if lo is None or hi is None:
            return None
        if lo > hi:
            _err(errors, vpath, value, "low must not exceed high")
            return None
        return (lo, hi)
    if op in ("in", "not_in", "has_any", "has_none"):
        if not isinstance(value, list | tuple) or not value or len(value) > MAX_LIST:
            _err(errors, vpath, value, f"must be a non-empty list (at most {MAX_LIST} items)")
            return None
        scalar_kind = "str" if kind == "set" else kind
        items = [_scalar(scalar_kind, v, fact, (*vpath, i), errors) for i, v in enumerate(value)]
        if any(v is None for v in items):
            return None
        return tuple(sorted(set(items)))
    if op == "has":
        return _scalar("str", value, fact, vpath, errors)
    return _scalar(kind, value, fact, vpath, errors)


def parse(
    data: Any, path: Path, errors: list[InvalidPolicy], _depth: int = 0, _count: list[int] | None = None
) -> Tree | None:
    """The checked tree of condition ``data`` at ``path``; errors are appended to ``errors``.

    >>> parse({"not": {"fact": "promise_pending", "op": "==", "value": True}}, ("when",), [])
    ('not', ('cmp', 'promise_pending', '==', True))

    Returns ``None`` when the condition has errors.
    """
    if not isinstance(path, tuple) or not isinstance(errors, list):
        raise InvalidPolicy("path", path, "parse(data, path: tuple, errors: list)")
    count = _count if _count is not None else [0]
    count[0] += 1
    if count[0] > MAX_NODES:
        if count[0] == MAX_NODES + 1:
            _err(errors, path, "...", f"condition too large (more than {MAX_NODES} nodes)")
        return None
    if _depth > MAX_DEPTH:
        _err(errors, path, "...", f"condition nested deeper than {MAX_DEPTH} levels")
        return None
    if not isinstance(data, dict):
        _err(errors, path, data, "must be an object: all, any, not, or {fact, op, value}")
        return None
    keys = set(data)
    for name in ("all", "any"):
        if name in keys:
            if keys != {name}:
                _err(errors, path, sorted(keys), f"'{name}' must be the only key")
                return None
            items = data[name]
            if not isinstance(items, list) or len(items) > MAX_NODES:
                _err(errors, (*path, name), items, "must be a list of conditions")
                return None
            children = [parse(c, (*path, name, i), errors, _depth + 1, count) for i, c in enumerate(items)]
            if any(c is None for c in children):
                return None
            return (name, tuple(children))
    if "not" in keys:
        if keys != {"not"}:
            _err(errors, path, sorted(keys), "'not' must be the only key")
            return None
        child = parse(data["not"], (*path, "not"), errors, _depth + 1, count)
        return None if child is None else ("not", child)
    if "fact" not in keys:
        _err(errors, path, sorted(keys), "must have one of all, any, not, fact")
        return None
    unknown = keys - {"fact", "op", "value"}
    ok = True
    for key in sorted(unknown):
        _err(errors, (*path, key), data[key], "unknown key (allowed: fact, op, value)")
        ok = False
    name = data["fact"]
    fact = FACTS.get(name) if isinstance(name, str) else None
    if fact is None:
        _err(errors, (*path, "fact"), name, "unknown fact; use one of " + ", ".join(sorted(FACTS)))
        return None
    op = data.get("op")
    allowed = OPERATORS[fact.type]
    if not isinstance(op, str) or op not in allowed:
        _err(
            errors,
            (*path, "op"),
            op,
            f"not an operator for {fact.type} fact {name}; use one of " + ", ".join(allowed),
        )
        return None
    if "value" not in data:
        _err(errors, path, sorted(keys), "missing key 'value'")
        return None
    value = _value(fact.type, op, data["value"], name, path, errors)
    if value is None or not ok:
        return None
    return ("cmp", name, op, value)


def _cmp(op: str, value: Any) -> Callable[[Any], bool]:
    if op == "==":
        return lambda x: x == value
    if op == "!=":
        return lambda x: x != value
    if op == "<":
        return lambda x: x < value
    if op == "<=":
        return lambda x: x <= value
    if op == ">":
        return lambda x: x > value
    if op == ">=":
        return lambda x: x >= value
    if op == "between":
        lo, hi = value
        return lambda x: lo <= x <= hi
    if op == "in":
        members = frozenset(value)
        return lambda x: x in members
    if op == "not_in":
        members = frozenset(value)
        return lambda x: x not in members
    if op == "has":
        return lambda x: value in x
    if op == "has_any":
        members = frozenset(value)
        return lambda x: not members.isdisjoint(x)
    members = frozenset(value)  # has_none
    return lambda x: members.isdisjoint(x)


def compile_tree(tree: Tree | None) -> Callable[[Facts], bool]:
    """A function of :class:`Facts` evaluating ``tree`` (``None``: always true).

    >>> compile_tree(None)(None)
    True

    A fact whose value is null (unknown) makes its comparison false.
    """
    if tree is None:
        return lambda f: True
    check_tree(tree)
    return _compile(tree)


def _compile(tree: Tree) -> Callable[[Facts], bool]:
    kind = tree[0]
    if kind == "cmp":
        _, name, op, value = tree
        test = _cmp(op, value)

        def leaf(f: Facts) -> bool:
            x = f.get(name)
            return x is not None and test(x)

        return leaf
    if kind == "not":
        inner = _compile(tree[1])
        return lambda f: not inner(f)
    parts = tuple(_compile(c) for c in tree[1])
    if len(parts) == 1:
        return parts[0]
    if kind == "all":
        return lambda f: all(p(f) for p in parts)
    return lambda f: any(p(f) for p in parts)


def eval3(tree: Tree | None, known: dict[str, Any]) -> bool | None:
    """Three-valued evaluation: facts in ``known`` have values, the rest are unknown (``None``).

    >>> errors = []
    >>> t = parse({"all": [{"fact": "dpd", "op": ">=", "value": 31}, {"fact": "risk_score", "op": ">",
    ...            "value": "600"}]}, (), errors)
    >>> eval3(t, {"dpd": 10}), eval3(t, {"dpd": 40})
    (False, None)
    """
    if tree is None:
        return True
    if not isinstance(known, dict):
        raise InvalidPolicy("known", known, "must be a dict of fact values")
    check_tree(tree)
    return _eval3(tree, known)


def _eval3(tree: Tree, known: dict[str, Any]) -> bool | None:
    kind = tree[0]
    if kind == "cmp":
        _, name, op, value = tree
        if name not in known:
            return None
        x = known[name]
        try:
            return x is not None and _cmp(op, value)(x)
        except TypeError:
            raise InvalidPolicy(f"known.{name}", x, "is not a value of the fact's type") from None
    if kind == "not":
        inner = _eval3(tree[1], known)
        return None if inner is None else not inner
    results = [_eval3(c, known) for c in tree[1]]
    if kind == "all":
        if any(r is False for r in results):
            return False
        return True if all(r is True for r in results) else None
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def facts_used(tree: Tree | None) -> frozenset[str]:
    """The facts a condition reads.

    >>> sorted(facts_used(("any", (("cmp", "dpd", ">=", 31), ("cmp", "bucket", "==", "M2")))))
    ['bucket', 'dpd']"""
    if tree is None:
        return frozenset()
    check_tree(tree)
    return _facts_used(tree)


def _facts_used(tree: Tree) -> frozenset[str]:
    if tree[0] == "cmp":
        return frozenset({tree[1]})
    if tree[0] == "not":
        return _facts_used(tree[1])
    out: frozenset[str] = frozenset()
    for child in tree[1]:
        out |= _facts_used(child)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def to_data(tree: Tree | None) -> Any:
    """The canonical JSON-compatible form of a tree (decimals as strings).

    >>> from decimal import Decimal
    >>> to_data(("cmp", "amount_past_due", ">", Decimal("500.00")))
    {'fact': 'amount_past_due', 'op': '>', 'value': '500.00'}"""
    if tree is None:
        return None
    check_tree(tree)
    return _to_data(tree)


def _to_data(tree: Tree) -> Any:
    kind = tree[0]
    if kind == "cmp":
        return {"fact": tree[1], "op": tree[2], "value": _plain(tree[3])}
    if kind == "not":
        return {"not": _to_data(tree[1])}
    return {kind: [_to_data(c) for c in tree[1]]}


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe(tree: Tree | None) -> str:
    """A readable one-line form of a condition (for traces and docs).

    >>> describe(("all", (("cmp", "dpd", ">=", 31), ("not", ("cmp", "flags", "has", "vip")))))
    'dpd >= 31 and not (flags has vip)'"""
    if tree is None:
        return "always"
    check_tree(tree)
    return _describe(tree)


def _describe(tree: Tree) -> str:
    kind = tree[0]
    if kind == "cmp":
        return f"{tree[1]} {tree[2]} {_show(tree[3])}"
    if kind == "not":
        return f"not ({_describe(tree[1])})"
    if not tree[1]:
        return "always" if kind == "all" else "never"
    joiner = " and " if kind == "all" else " or "
    return joiner.join(_describe(c) if c[0] in ("cmp", "not") else f"({_describe(c)})" for c in tree[1])
