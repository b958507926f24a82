"""The same seed gives the same bots' actions, byte for byte; another seed does not."""

from __future__ import annotations

import random

from bot_table import Game

from sim.bots import BOT_KINDS, TableSpec, make_bot
from sim.engine.state import TableConfig

CONFIG = TableConfig(seats=10, small_blind=1, big_blind=2, ante=1, min_buy_in=2,
                     max_buy_in=120)


def every_kind(seed: int) -> TableSpec:
    bots = tuple((seat, kind, f"{kind}-{seat}", 20 + 10 * seat)
                 for seat, kind in enumerate(BOT_KINDS))
    return TableSpec(table_id=0, seed=seed, config=CONFIG, bots=bots)


def trace(seed: int) -> list[str]:
    game = Game.from_spec(every_kind(seed), extra_requests=0.2).play(80)
    assert game.engine_failure is None
    return game.trace


def test_same_seed_same_actions() -> None:
    first = trace(11)
    assert len(first) > 1000
    assert trace(11) == first
    assert trace(12) != first


def test_bots_use_only_the_rng_they_are_given() -> None:
    """Interleaving another table's play does not change this one's actions."""
    alone = trace(5)
    spec = every_kind(5)
    game = Game.from_spec(spec, extra_requests=0.2)
    other = Game.from_spec(every_kind(6), extra_requests=0.2)
    random.seed(123)  # a bot reading the global random module would now diverge
    for hands in range(1, 81):
        other.play(hands)
        random.random()
        game.play(hands)
    assert game.trace == alone


def test_make_bot_returns_fresh_bots() -> None:
    first, second = make_bot("seat_hopper", "a"), make_bot("seat_hopper", "a")
    assert first is not second
    assert first.memory is not second.memory
