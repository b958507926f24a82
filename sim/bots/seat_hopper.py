"""SeatHopper: plays loosely and passively, but keeps changing its seat's status: it sits out,
sits in, leaves, rebuys, posts to come in when waiting for the big blind, and sits back
down a few hands after leaving. It drives the between-hands rules (pending requests, the
big blind passing players who are out, live posts, cash-outs) that plain bots never touch.

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.views import player_view
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("seat_hopper-1", 100)})
    >>> bot = SeatHopper("seat_hopper-1")
    >>> [bot.request(player_view(table.state, 1), random.Random(i)) for i in range(5)]
    [None, None, SitOut(seat=1), None, SitIn(seat=1)]

``rejoin(seat, config, rng)``, asked while its seat is empty, returns None for a few hands,
then a ``Sit`` back down.

Every request is legal when sent (it checks its view and its ``RequestMemory`` first).
"""

from __future__ import annotations

import random
from typing import ClassVar, Final

from sim.bots.memory import CarefulBot, RequestMemory
from sim.bots.random_bot import passive_action, random_action, random_amount
from sim.engine.actions import Action, Leave, Post, Rebuy, Sit, SitIn, SitOut
from sim.engine.state import TableConfig
from sim.engine.views import PlayerView

MAX_WAIT_HANDS: Final = 6


def random_buy_in(config: TableConfig, rng: random.Random) -> int:
    """A legal buy-in, with weight on the minimum and the maximum."""
    low, high = config.min_buy_in, config.max_buy_in
    return random_amount(low, high, (low + high) // 2, rng)


class SeatHopper(CarefulBot):
    kind: ClassVar[str] = "seat_hopper"

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.wait_hands: int | None = None  # hands left before it sits back down

    def act(self, view: PlayerView, rng: random.Random) -> Action:
        if rng.random() < 0.5:
            legal = view.legal
            assert legal is not None
            return passive_action(legal)
        return random_action(view, rng)

    def choose_request(self, view: PlayerView, rng: random.Random) -> Action | None:
        """One weighted draw among the requests that are legal now, or nothing."""
        memory = self.memory
        me = memory.sync(view)
        if memory.leaving:
            return None
        seat = view.seat
        room = memory.rebuy_room(view, me)
        busted = me.stack == 0 and memory.rebuy == 0
        out = memory.sitting_out(me)
        options: list[tuple[float, Action | None]] = []
        if memory.can_post(view, me):
            options.append((3.0, Post(seat)))
        if out and memory.has_chips(me):
            options.append((3.0, SitIn(seat)))
        if not out:
            options.append((1.0, SitOut(seat)))
        if room:
            amount = room if busted and rng.random() < 0.5 else rng.randint(1, room)
            options.append((6.0 if busted else 1.0, Rebuy(seat, amount)))
        options.append((0.6, Leave(seat)))
        options.append((5.0, None))
        return _weighted(options, rng)

    def rejoin(self, seat: int, config: TableConfig, rng: random.Random) -> Action | None:
        if self.wait_hands is None:
            self.wait_hands = rng.randint(0, MAX_WAIT_HANDS)
        if self.wait_hands > 0:
            self.wait_hands -= 1
            return None
        self.wait_hands = None
        self.memory = RequestMemory()  # a new seat: nothing queued, nothing posted
        return Sit(seat, self.name, random_buy_in(config, rng))


def _weighted(options: list[tuple[float, Action | None]],
              rng: random.Random) -> Action | None:
    total = sum(weight for weight, _ in options)
    point = rng.random() * total
    for weight, action in options:
        point -= weight
        if point < 0:
            return action
    return options[-1][1]
