"""Every bot but the chaos bot only ever sends legal actions and requests.

The driver (bot_table.Game) fails at the first illegal action or request of a non-chaos
bot, and checks that every chaos rejection leaves the state as it was.
"""

from __future__ import annotations

import pytest
from bot_table import Game, uniform_table

from sim.bots import BOT_KINDS, draw_table, make_bot
from sim.engine.seeds import derive_seed
from sim.engine.state import TableConfig

# (config, opening stacks, hands): deep and short stacks, heads-up, a full table with an
# ante and empty seats for the seat-hoppers to take.
TABLES = {
    "six_max": (TableConfig(seats=6, small_blind=1, big_blind=2, min_buy_in=2, max_buy_in=100),
                {0: 100, 1: 3, 2: 40, 3: 100, 4: 7, 5: 60}, 150),
    "heads_up": (TableConfig(seats=2, small_blind=5, big_blind=10, min_buy_in=10,
                             max_buy_in=600), {0: 600, 1: 25}, 120),
    "ten_ante": (TableConfig(seats=10, small_blind=2, big_blind=4, ante=1, min_buy_in=4,
                             max_buy_in=200), {0: 200, 2: 4, 3: 150, 5: 12, 6: 200, 8: 90},
                 80),
}


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("kind", list(BOT_KINDS))
def test_uniform_table_plays_legally(kind: str, table: str) -> None:
    config, stacks, hands = TABLES[table]
    game = uniform_table(kind, config, stacks, seed=derive_seed(1, kind, table),
                         extra_requests=0.15).play(hands)
    assert game.engine_failure is None
    assert game.hands_seen >= hands // 2, f"only {game.hands_seen} hands"
    if BOT_KINDS[kind].chaos:
        assert game.rejected, "the chaos bot sent nothing illegal"
    else:
        assert not game.rejected


def test_mixed_swarm_tables_play_legally() -> None:
    """Drawn tables (every kind, ante, stack depth), requests asked often."""
    hands = 0
    for table_id in range(30):
        game = Game.from_spec(draw_table(run_seed=99, table_id=table_id),
                              extra_requests=0.3).play(25)
        hands += game.hands_seen
    assert hands > 300


def test_requests_asked_many_times_per_hand_stay_legal() -> None:
    """Seat-hoppers and timeout bots asked for a request at most turns."""
    config = TableConfig(seats=5, small_blind=1, big_blind=2, min_buy_in=2, max_buy_in=80)
    kinds = ["seat_hopper", "timeout", "seat_hopper", "timeout", "random"]
    bots = {seat: make_bot(kind, f"{kind}-{seat}") for seat, kind in enumerate(kinds)}
    game = Game(config, bots, {seat: 40 for seat in range(5)}, seed=5,
                extra_requests=0.6).play(150)
    assert game.engine_failure is None
    assert game.hands_seen > 100
