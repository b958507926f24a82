"""TimeoutBot: plays like RandomBot but now and then lets its clock run out (``Timeout``),
which checks or folds for it and sits it out from the next hand; later it sits back in
(or, when it missed the big blind, posts to come back sooner).

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.views import player_view
    >>> players = {seat: (f"p{seat}", 100) for seat in range(4)}
    >>> table = Controller(TableConfig(seats=4), seed=1, players=players)
    >>> seat = table.state.to_act
    >>> view = player_view(table.state, seat)
    >>> [TimeoutBot("timeout-3").act(view, random.Random(i)) for i in range(4)]
    [Call(seat=3), Timeout(seat=3), Fold(seat=3), RaiseTo(seat=3, amount=81)]
"""

from __future__ import annotations

import random
from typing import ClassVar, Final

from sim.bots.memory import CarefulBot, default_request
from sim.bots.random_bot import random_action
from sim.engine.actions import Action, Post, Timeout
from sim.engine.views import PlayerView

TIMEOUT_SHARE: Final = 0.15


class TimeoutBot(CarefulBot):
    kind: ClassVar[str] = "timeout"

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        if rng.random() < TIMEOUT_SHARE:
            action = Timeout(view.seat)
            self.memory.note(view, action)  # the engine queues a sit-out
            return action
        return random_action(view, rng)

    def choose_request(self, view: PlayerView, rng: random.Random) -> Action | None:
        memory = self.memory
        me = memory.sync(view)
        if memory.leaving:
            return None
        if memory.can_post(view, me) and rng.random() < 0.3:
            return Post(view.seat)
        # default_request sits in half of the time, and rebuys when busted.
        return default_request(view, memory, rng)
