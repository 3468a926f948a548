"""Fuzz of ``autoloan.errors``: the helpers that format paths and values never raise on odd input."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from autoloan.errors import InvalidInput, InvalidPolicy, format_path, parse_path, show_value
from fuzzkit import call, hostile

FUZZED = {"autoloan.errors.format_path", "autoloan.errors.parse_path", "autoloan.errors.show_value"}

_parts = st.lists(st.one_of(st.text(max_size=6), st.integers(-3, 30)), max_size=5)


@given(hostile())
def test_show_value_always_a_short_string(value: Any) -> None:
    shown = call(show_value, value)
    assert isinstance(shown, str) and len(shown) <= 200


@given(st.text(max_size=30))
def test_parse_path_of_any_text(text: str) -> None:
    path = call(parse_path, text)
    assert isinstance(path, tuple)


@given(_parts)
def test_format_then_parse_round_trips_plain_paths(parts: list[str | int]) -> None:
    """Paths of identifier keys and indices survive format -> parse (what loaders produce)."""
    plain = [p for p in parts if (isinstance(p, int) and p >= 0) or (isinstance(p, str) and p.isidentifier())]
    text = call(format_path, plain)
    assert parse_path(text) == tuple(plain)
    assert parse_path(call(format_path, plain, json=True)) == tuple(plain)


@given(st.lists(st.tuples(st.text(max_size=8), hostile(), st.text(max_size=8)), min_size=1, max_size=4))
def test_collect_keeps_every_error(items: list[tuple[str, Any, str]]) -> None:
    errors = [InvalidPolicy(f, v, r) for f, v, r in items]
    both = InvalidPolicy.collect(errors)
    assert len(both.errors) == len(items)
    assert [e.reason for e in both.prefixed("doc").errors] == [r for _, _, r in items]
    assert isinstance(InvalidInput.collect(errors), InvalidInput)
