"""random_amount and the random bot's choice of action types."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from sim.bots.random_bot import BET, CALL, CHECK, FOLD, RAISE, action_types, random_amount
from sim.engine.legal import LegalActions


def test_random_amount_stays_in_range() -> None:
    rng = random.Random(1)
    for _ in range(5000):
        low = rng.randint(1, 500)
        high = low + rng.choice((0, 1, 2, rng.randint(0, 10_000)))
        pot = rng.randint(0, 20_000)
        amount = random_amount(low, high, pot, rng)
        assert type(amount) is int
        assert low <= amount <= high


def test_random_amount_weights_the_edges() -> None:
    rng = random.Random(2)
    counts = Counter(random_amount(10, 1000, 345, rng) for _ in range(4000))
    for edge in (10, 999, 1000, 345):
        assert counts[edge] > 200, (edge, counts[edge])  # uniform would give about 4
    assert len(counts) > 500  # and the rest of the range


def test_random_amount_pot_out_of_range_and_single_value() -> None:
    rng = random.Random(3)
    assert {random_amount(7, 7, 100, rng) for _ in range(50)} == {7}
    amounts = {random_amount(10, 20, 500, rng) for _ in range(500)}
    assert amounts <= set(range(10, 21))
    assert {10, 19, 20} <= amounts


def test_random_amount_rejects_an_empty_range() -> None:
    with pytest.raises(AssertionError):
        random_amount(5, 4, 0, random.Random(0))


def legal(can_check: bool, call: int, bet: bool, raise_: bool) -> LegalActions:
    return LegalActions(0, can_check, call, 2 if bet else 0, 100 if bet else 0,
                        4 if raise_ else 0, 100 if raise_ else 0, 10)


def test_action_types_fold_only_facing_a_bet() -> None:
    assert action_types(legal(True, 0, True, False)) == [CHECK, BET]
    assert action_types(legal(False, 2, False, True)) == [FOLD, CALL, RAISE]
    assert action_types(legal(False, 2, False, False)) == [FOLD, CALL]
    assert action_types(legal(True, 0, False, True)) == [CHECK, RAISE]  # the big blind's option
