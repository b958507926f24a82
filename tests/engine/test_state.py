"""TableState's copy, equality and snapshot are written out field by field (they run per
dispatch); these tests hold them to the full field list."""

from __future__ import annotations

import random

import pytest

from sim.engine import Controller, TableConfig
from sim.engine.state import FIELDS, TableState, clockwise


def running_state() -> TableState:
    table = Controller(TableConfig(seats=4), 7, {0: ("a", 100), 1: ("b", 100), 2: ("c", 100)})
    return table.state


def changed(value: object) -> object:
    if isinstance(value, TableConfig):
        return TableConfig(seats=value.seats + 1)
    if isinstance(value, list):
        return [*value, 99]
    if isinstance(value, tuple):
        return (*value, 99)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    assert value is None
    return 0


@pytest.mark.parametrize("name", FIELDS)
def test_equality_sees_every_field(name: str) -> None:
    state = running_state()
    other = state.copy()
    assert other == state
    setattr(other, name, changed(getattr(other, name)))
    assert other != state


@pytest.mark.parametrize("name", FIELDS)
def test_copy_and_snapshot_keep_every_field(name: str) -> None:
    state = running_state()
    copy = state.copy()
    restored = TableState.from_snapshot(state.snapshot())
    assert getattr(copy, name) == getattr(state, name)
    assert getattr(restored, name) == getattr(state, name)
    value = getattr(copy, name)
    if isinstance(value, list):  # a copy shares no list with its original
        assert value is not getattr(state, name)


def test_table_config_round_trips_and_pickles():
    import pickle

    config = TableConfig(seats=9, small_blind=5, big_blind=10, ante=1, min_buy_in=100,
                         max_buy_in=1000)
    assert config.to_dict() == {"seats": 9, "small_blind": 5, "big_blind": 10, "ante": 1,
                                "min_buy_in": 100, "max_buy_in": 1000}
    assert TableConfig(**config.to_dict()) == config
    assert pickle.loads(pickle.dumps(config)) == config
    assert hash(TableConfig(seats=9, small_blind=5, big_blind=10, ante=1, min_buy_in=100,
                            max_buy_in=1000)) == hash(config)
    assert config != TableConfig() and repr(config).startswith("TableConfig(seats=9, ")


def test_clockwise_orders_seats_from_the_first_one_on():
    assert clockwise([4, 1, 7], 5, 9) == [7, 1, 4]
    assert clockwise([0, 2], 3, 3) == [0, 2]  # first may be n: seat 0 is next
    rng = random.Random(4)
    for _ in range(2000):
        n = rng.randint(2, 10)
        seats, first = rng.sample(range(n), rng.randint(0, n)), rng.randint(0, n)
        assert clockwise(seats, first, n) == sorted(seats, key=lambda s: (s - first) % n)
