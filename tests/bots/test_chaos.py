"""The chaos bot: its junk is always illegal, the engine rejects it with no change, and it
plays legally often enough for hands to go on."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from bot_table import Game, uniform_table

from sim.bots import draw_table, make_bot
from sim.bots.chaos import JUNK, ChaosBot, junk_action
from sim.engine import IllegalAction
from sim.engine.state import TableConfig
from sim.engine.views import player_view

CONFIG = TableConfig(seats=6, small_blind=5, big_blind=10, ante=2, min_buy_in=10,
                     max_buy_in=1000)


def test_chaos_table_rejects_a_large_share_with_no_change() -> None:
    stacks = {0: 1000, 1: 30, 2: 500, 3: 1000, 5: 80}  # seat 4 empty
    game = uniform_table("chaos", CONFIG, stacks, seed=17).play(120)  # checks each rejection
    assert game.engine_failure is None
    assert game.hands_seen > 100
    share = len(game.rejected) / game.attempts
    assert 0.25 < share < 0.6, share


class JunkProbe(Game):
    """At every turn and request point, checks junk actions for the seat about to move."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.probe_rng = random.Random(4)
        self.makers: Counter[str] = Counter()
        self.probes = 0

    def turn(self) -> None:
        seat = self.controller.state.to_act
        assert seat is not None
        self.probe(seat)
        super().turn()

    def ask(self, seat: int) -> None:
        if self.controller.state.player[seat] is not None:
            self.probe(seat)
        super().ask(seat)

    def probe(self, seat: int) -> None:
        controller = self.controller
        view = player_view(controller.state, seat)
        bot = self.bots[seat]
        memory = bot.memory if isinstance(bot, ChaosBot) else None
        for maker in JUNK:
            action = maker(view, self.probe_rng, memory)
            if action is None:
                continue
            self.makers[maker.__name__] += 1
            assert not controller.can(action), (maker.__name__, action, controller.describe())
        action = junk_action(view, self.probe_rng, memory)
        self.probes += 1
        if self.probes % 7 == 0:  # the full check, now and then: it costs a snapshot
            before = controller.state.snapshot()
            with pytest.raises(IllegalAction):
                controller.dispatch(action)
            assert controller.state.snapshot() == before


def test_every_junk_maker_is_always_illegal() -> None:
    makers: Counter[str] = Counter()
    for table_id in range(12):
        game = JunkProbe.from_spec(draw_table(run_seed=7, table_id=table_id),
                                   extra_requests=0.2)
        game.play(15)
        makers += game.makers
    assert set(makers) == {maker.__name__ for maker in JUNK}, makers


def test_junk_covers_turn_and_request_mistakes() -> None:
    bot = make_bot("chaos", "chaos-0")
    game = Game(CONFIG, {0: bot, 1: make_bot("random", "random-1")}, {0: 500, 1: 500},
                seed=2)
    rng = random.Random(0)
    state = game.controller.state
    kinds: Counter[str] = Counter()
    for seat in (0, 1):  # one of them is to act: junk for a turn and for a request
        view = player_view(state, seat)
        for _ in range(400):
            kinds[type(junk_action(view, rng, bot.memory)).__name__] += 1
    for name in ("Fold", "Check", "Call", "Bet", "RaiseTo", "Timeout", "Sit", "Rebuy", "Post",
                 "SitIn", "Leave", "object", "str", "dict"):
        assert kinds[name] > 0, (name, kinds)


def test_chaos_bot_is_marked() -> None:
    assert ChaosBot.chaos is True
    assert not any(make_bot(kind, "x").chaos for kind in ("random", "nit", "seat_hopper"))
