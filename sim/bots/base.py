"""The bot interface: a bot sees its player's view and the legal actions, returns an action.

All of a bot's randomness comes from the ``rng`` it is handed (one per seat, derived from
the table's seed), so a table replays exactly from its seed.

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Call, Check
    >>> from sim.engine.views import player_view
    >>> class Caller(Bot):
    ...     def act(self, view, rng):
    ...         return Check(view.seat) if view.legal.can_check else Call(view.seat)
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)})
    >>> seat = table.state.to_act
    >>> Caller("caller").act(player_view(table.state, seat), random.Random(seat))
    Call(seat=0)
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from mypy_extensions import mypyc_attr

from sim.engine.actions import Action, Rebuy, SitIn
from sim.engine.state import PLAYING, SITTING_OUT, TableConfig
from sim.engine.views import PlayerView


# Plug-in bots (sim.bots.plugin), written outside the compiled package, subclass Bot.
@mypyc_attr(allow_interpreted_subclasses=True)
class Bot:
    """Base class. Subclasses override ``act`` and, if they like, ``request``/``rejoin``.

    - ``act(view, rng)``: called on the bot's turn (``view.legal`` is set); returns an action.
      Only the chaos bot may return an illegal one.
    - ``request(view, rng)``: called once per hand for every seated bot, off its turn;
      returns a between-hands request (SitOut, SitIn, Rebuy, Leave, Post) or None. The
      runner drops a request the engine would reject, except from the chaos bot.
    - ``rejoin(seat, config, rng)``: called once per hand while the bot's seat is empty
      (it left); returns ``Sit(seat, name, buy_in)`` or None.
    """

    kind: ClassVar[str] = "base"
    # True: the harness expects (and checks) rejected actions from this bot.
    chaos: ClassVar[bool] = False

    def __init__(self, name: str) -> None:
        self.name = name
        # The last action or request was junk on purpose (only the chaos bot's ever is):
        # the pipeline fails a run at once when the engine accepts it.
        self.junk = False

    # act and request return Any, not Action: what a bot sends is untrusted input that the
    # engine judges, and the chaos bot's overrides return junk on purpose. Compiled, a
    # declared Action would be type-checked on return, before the engine could reject it.
    def act(self, view: PlayerView, rng: random.Random) -> Any:
        raise NotImplementedError

    def request(self, view: PlayerView, rng: random.Random) -> Any:
        return rebuy_if_busted(view, rng)

    def rejoin(self, seat: int, config: TableConfig, rng: random.Random) -> Action | None:
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


def rebuy_if_busted(view: PlayerView, rng: random.Random) -> Action | None:
    """A busted player rebuys (or, now and then, sits out); a sitting-out one with chips sits in."""
    me = view.public.seats[view.seat]
    if me.stack == 0 and not me.in_hand and me.status == PLAYING:
        return Rebuy(view.seat, view.config.max_buy_in)
    if me.status == SITTING_OUT and me.stack > 0 and rng.random() < 0.5:
        return SitIn(view.seat)
    return None
