"""What a bot remembers of its own between-hands requests, so that it sends only legal ones.

A player's view shows its status and stack, not the requests it queued while the hand runs
(sit out, sit in, rebuy, leave, post): the engine holds those until the hand ends. A bot
asked for a request twice in one hand must know what it queued the first time, or it sends
a second sit-in, or a rebuy past the maximum. ``RequestMemory`` keeps exactly that, from
what the bot itself sent, and forgets it once the hand it was queued in is over (that is
when the engine carries it out, and the view shows the result).

``CarefulBot`` is a Bot with a memory: its ``request`` notes every request it returns.

    >>> class Mine(CarefulBot):
    ...     def choose_request(self, view, rng):
    ...         return default_request(view, self.memory, rng)
"""

from __future__ import annotations

import random
from typing import Any, Final

from sim.bots.base import Bot
from sim.engine.actions import Action, Leave, Post, Rebuy, SitIn, SitOut, Timeout
from sim.engine.state import GO_IN, GO_OUT, NO_CHANGE, SITTING_OUT, WAITING
from sim.engine.views import PlayerView, SeatView

NO_HAND: Final = -1


class RequestMemory:
    """The requests a bot queued in the running hand, and the hand in which it posted.

    Call ``sync(view)`` before asking anything; ``note(view, action)`` for each request the
    bot sends (and for its own ``Timeout``, which queues a sit-out).
    """

    __slots__ = ("hand_no", "status", "rebuy", "leaving", "posted_hand")

    def __init__(self) -> None:
        self.forget()
        self.posted_hand = NO_HAND

    def forget(self) -> None:
        self.hand_no = NO_HAND  # the running hand the queued requests belong to
        self.status = NO_CHANGE  # queued sit-out (GO_OUT) or sit-in (GO_IN)
        self.rebuy = 0  # chips of queued rebuys
        self.leaving = False

    def sync(self, view: PlayerView) -> SeatView:
        """Drop what the engine has carried out since; return the bot's own seat."""
        public = view.public
        if self.hand_no != NO_HAND and (not public.running or public.hand_no != self.hand_no):
            self.forget()  # the hand ended: its queued requests were applied
        # A post holds until a hand starts (the poster is dealt in), even at an idle table.
        if self.posted_hand != NO_HAND and public.hand_no != self.posted_hand:
            self.posted_hand = NO_HAND
        return public.seats[view.seat]

    def note(self, view: PlayerView, action: Action) -> None:
        """Remember a request (or Timeout) the bot is sending, assumed legal."""
        kind = type(action)
        public = view.public
        if kind is Post:
            self.posted_hand = public.hand_no
            return
        if not public.running:
            return  # applied at once: the next view shows it
        self.hand_no = public.hand_no
        if kind is SitOut or kind is Timeout:
            self.status = GO_OUT
        elif kind is SitIn:
            self.status = GO_IN
        elif kind is Rebuy:
            self.rebuy += action.amount  # type: ignore[union-attr]
        elif kind is Leave:
            self.leaving = True

    # -- questions (after sync) -----------------------------------------------------------
    def sitting_out(self, me: SeatView) -> bool:
        """Out from the next hand on, counting what is queued (as the engine does)."""
        return self.status == GO_OUT or (me.status == SITTING_OUT and self.status != GO_IN)

    def rebuy_room(self, view: PlayerView, me: SeatView) -> int:
        """Chips a rebuy may add now without passing the maximum buy-in.

        In a running hand the engine counts the chips the player brought into it; the view
        does not show them, so this counts the whole pot instead, an upper bound.
        """
        base = me.stack + self.rebuy
        if view.public.running and (me.in_hand or me.folded):
            base += view.public.pot + me.bet
        return max(0, view.config.max_buy_in - base)

    def can_post(self, view: PlayerView, me: SeatView) -> bool:
        return (me.status == WAITING and me.stack > 0 and not self.leaving
                and self.posted_hand == NO_HAND)

    def has_chips(self, me: SeatView) -> bool:
        """Chips now or on the way (a queued rebuy)."""
        return me.stack > 0 or self.rebuy > 0


def default_request(view: PlayerView, memory: RequestMemory,
                    rng: random.Random) -> Action | None:
    """``rebuy_if_busted``, made safe to ask more than once per hand: a busted player rebuys
    up to the maximum; a sitting-out one with chips sits in half of the time."""
    me = memory.sync(view)
    if memory.leaving:
        return None
    if me.stack == 0 and not me.in_hand and memory.rebuy == 0:
        room = memory.rebuy_room(view, me)
        if room:
            return Rebuy(view.seat, room)
    if memory.sitting_out(me) and memory.has_chips(me) and rng.random() < 0.5:
        return SitIn(view.seat)
    return None


class CarefulBot(Bot):
    """A Bot whose requests are always legal: it remembers what it queued.

    Subclasses override ``choose_request`` (not ``request``); the default is
    ``default_request``. ``rejoin`` starts a fresh memory.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.memory = RequestMemory()

    def request(self, view: PlayerView, rng: random.Random) -> Any:  # see Bot.act
        action = self.choose_request(view, rng)
        if action is not None:
            self.memory.note(view, action)
        return action

    def choose_request(self, view: PlayerView, rng: random.Random) -> Action | None:
        return default_request(view, self.memory, rng)
