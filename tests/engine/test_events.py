"""Every event writes out ``values()`` (the replay check compares events by it, and
compiled, a written-out one is fast). These tests hold each event's ``values()``,
constructor and ``FIELDS`` to one another, for every event type."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.engine import events as ev

SOURCE = (Path(ev.__file__).parent / "events.py").read_text()


def constructor_params() -> dict[str, list[tuple[str, str]]]:
    """Each event class's ``__init__`` parameters and their annotations, from the source."""
    found = {}
    for node in ast.parse(SOURCE).body:
        if isinstance(node, ast.ClassDef) and node.name in ev.EVENT_TYPES:
            init = next(st for st in node.body
                        if isinstance(st, ast.FunctionDef) and st.name == "__init__")
            found[node.name] = [(a.arg, ast.unparse(a.annotation)) for a in init.args.args[1:]]
    return found


PARAMS = constructor_params()


def sample_value(annotation: str, index: int) -> object:
    """A value of the annotated type, different for each parameter index."""
    if annotation == "int":
        return 100 + index
    if annotation == "str":
        return f"text{index}"
    if annotation == "bool":
        return index % 2 == 0
    if annotation == "tuple[Pot, ...]":
        return ((10 + index, (0, 1)), (5, (1,)))
    if annotation == "tuple[tuple[int, int], ...]":
        return ((0, 7 + index), (2, 3))
    assert annotation == "tuple[int, ...]", annotation
    return (index, index + 1, index + 2)


def test_every_event_type_is_covered():
    assert sorted(PARAMS) == sorted(ev.EVENT_TYPES)


@pytest.mark.parametrize("name", sorted(ev.EVENT_TYPES))
def test_values_follow_fields(name):
    cls = ev.EVENT_TYPES[name]
    params = PARAMS[name]
    assert cls.FIELDS == tuple(param for param, _ in params)
    args = [sample_value(annotation, i) for i, (_, annotation) in enumerate(params)]
    event = cls(*args)
    assert event.values() == tuple(args)
    assert event.values() == tuple(getattr(event, field) for field in cls.FIELDS)
    assert event == cls(*args) and hash(event) == hash(cls(*args))
    assert ev.event_from_dict(ev.event_to_dict(event)) == event
    for i, (field, annotation) in enumerate(params):
        other = event.replace(**{field: sample_value(annotation, i + 1)})
        assert other != event, f"{name} equality ignores {field}"
