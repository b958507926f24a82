"""ChaosBot: between legal moves it sends malformed and illegal actions, which the engine
must reject with an IllegalAction and no change at all (the harness checks both).

    >>> import random
    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.views import player_view
    >>> players = {seat: (f"p{seat}", 100) for seat in range(4)}
    >>> table = Controller(TableConfig(seats=4), seed=1, players=players)
    >>> seat = table.state.to_act
    >>> view = player_view(table.state, seat)
    >>> ChaosBot("chaos-3").act(view, random.Random(1))  # junk (JUNK_SHARE of the time)
    RaiseTo(seat=3, amount=-2)
    >>> junk_action(view, random.Random(2))   # a bet from a seat not to act
    Bet(seat=0, amount=4)

What ``junk_action`` sends, each built to be illegal in any state the view allows:
wrong turn (betting actions from seats not to act, its own off its turn); bad amounts
(negative, zero, fractional, floats, strings, None, booleans, huge); a raise below the
minimum or above all-in; a bet when it must raise and a raise when it must bet; a check
when it owes, a call when it owes nothing; things that are not actions (a plain object,
a string, a dict, the Fold class); seats that do not exist (-1, 99, "2", True);
requests for empty seats; a Sit on a taken seat, or with a bad name or buy-in; a Post from a
playing seat; a Rebuy past the maximum buy-in (the chips in the pot counted); and, when the
bot knows what it has queued (``memory``), a SitIn when sitting in or a SitOut when sitting
out.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, ClassVar, Final

from sim.bots.memory import CarefulBot, RequestMemory
from sim.bots.random_bot import random_action
from sim.engine.actions import (
    Action,
    Bet,
    Call,
    Check,
    Fold,
    Leave,
    Post,
    RaiseTo,
    Rebuy,
    Sit,
    SitIn,
    SitOut,
    Timeout,
)
from sim.engine.state import PLAYING, TableConfig
from sim.engine.views import PlayerView

JUNK_SHARE: Final = 0.35  # of its turns; enough junk to matter, little enough for hands to end
REQUEST_JUNK_SHARE: Final = 0.5
HUGE: Final = 10**15  # above any stack a table can hold
BAD_SEATS: Final[tuple[Any, ...]] = (-1, 99, "2", None, True, 1.5)
TURN_ACTIONS: Final = (Fold, Check, Call, Timeout)
SEAT_ONLY: Final = (Fold, Check, Call, Timeout, Leave, SitOut, SitIn, Post)


class _NotAnAction:
    def __init__(self, seat: int) -> None:
        self.seat = seat  # looks like an action to a careless dispatcher

    def __repr__(self) -> str:
        return f"_NotAnAction(seat={self.seat})"


def _bad_amounts(view: PlayerView) -> tuple[Any, ...]:
    bb = view.config.big_blind
    return (-1, -bb, 0, 2.5, float(bb), str(bb), None, True, False, HUGE, [bb])


def _wrong_turn(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    to_act = view.public.to_act
    seats = [s for s in range(view.config.seats) if s != to_act]
    seat = rng.choice(seats)  # other seats, and its own when it is not its turn
    if rng.random() < 0.3:
        cls = rng.choice((Bet, RaiseTo))
        return cls(seat, 2 * view.config.big_blind)
    return rng.choice(TURN_ACTIONS)(seat)


def _bad_amount(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    cls = rng.choice((Bet, RaiseTo, Rebuy))
    return cls(view.seat, rng.choice(_bad_amounts(view)))


def _out_of_range(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    legal = view.legal
    if legal is None:
        return None
    if legal.can_raise:
        amount = legal.min_raise_to - 1 if rng.random() < 0.7 else legal.max_raise_to + 1
        return RaiseTo(legal.seat, amount)
    if legal.can_bet:
        amount = legal.min_bet - 1 if rng.random() < 0.5 else legal.max_bet + 1
        return Bet(legal.seat, amount)
    return None


def _wrong_wager(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    legal = view.legal
    if legal is None:
        return None
    amount = 4 * view.config.big_blind
    return RaiseTo(legal.seat, amount) if legal.can_bet else Bet(legal.seat, amount)


def _wrong_check_call(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    legal = view.legal
    if legal is None:
        return None
    return Call(legal.seat) if legal.can_check else Check(legal.seat)


def _not_an_action(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    seat = view.seat
    return rng.choice((object(), _NotAnAction(seat), "Fold", {"type": "Fold", "seat": seat},
                       7, (seat,), Fold, []))


def _bad_seat(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    seat = rng.choice((*BAD_SEATS, view.config.seats))
    r = rng.random()
    if r < 0.6:
        return rng.choice(SEAT_ONLY)(seat)
    if r < 0.9:
        return rng.choice((Bet, RaiseTo, Rebuy))(seat, view.config.big_blind)
    return Sit(seat, "ghost", view.config.min_buy_in)


def _empty_seat_request(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    empty = [s for s, seat_view in enumerate(view.public.seats) if seat_view.player is None]
    if not empty:
        return None
    seat = rng.choice(empty)
    if rng.random() < 0.2:
        return Rebuy(seat, view.config.big_blind)
    return rng.choice((Leave, SitOut, SitIn, Post))(seat)


def _bad_sit(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    config = view.config
    me = view.public.seats[view.seat]
    empty = [s for s, seat_view in enumerate(view.public.seats) if seat_view.player is None]
    if not empty or rng.random() < 0.3:
        return Sit(view.seat, "ghost", config.min_buy_in)  # a taken seat
    seat = rng.choice(empty)
    low, high = config.min_buy_in, config.max_buy_in
    in_use: Any = me.player  # the bot's own name
    no_name: Any = None
    fractional: Any = float(low)
    bad = [Sit(seat, "", low), Sit(seat, no_name, low), Sit(seat, in_use, low),
           Sit(seat, "ghost", high + 1), Sit(seat, "ghost", 0),
           Sit(seat, "ghost", fractional)]
    if low > 1:
        bad.append(Sit(seat, "ghost", low - 1))
    return rng.choice(bad)


def _post_not_waiting(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    # Only from a playing seat: one sitting out may post once it asked to sit in.
    if view.public.seats[view.seat].status != PLAYING:
        return None
    return Post(view.seat)


def _rebuy_over(view: PlayerView, rng: random.Random, memory: Any) -> Any:
    # The engine counts at least the stack, so this passes the maximum buy-in. During a
    # hand the chips in the pot count too: then the rebuy may fill the stack alone to the
    # maximum, and passes it by the bet in front of the player.
    me = view.public.seats[view.seat]
    extra = rng.randint(1, view.config.big_blind)
    if view.public.running and me.bet > 0:
        extra -= min(extra, me.bet)
    return Rebuy(view.seat, view.config.max_buy_in - me.stack + extra)


def _status_repeat(view: PlayerView, rng: random.Random, memory: RequestMemory | None) -> Any:
    if memory is None:
        return None  # without memory, a queued sit-out could make it legal
    me = memory.sync(view)
    return SitOut(view.seat) if memory.sitting_out(me) else SitIn(view.seat)


Junk = Callable[[PlayerView, random.Random, Any], Any]
JUNK: Final[tuple[Junk, ...]] = (
    _wrong_turn, _bad_amount, _out_of_range, _wrong_wager, _wrong_check_call, _not_an_action,
    _bad_seat, _empty_seat_request, _bad_sit, _post_not_waiting, _rebuy_over, _status_repeat,
)


def junk_action(view: PlayerView, rng: random.Random,
                memory: RequestMemory | None = None) -> Any:
    """One malformed or illegal action for the viewer's table (see the module docstring).

    On the viewer's turn (``view.legal`` set) it may also break the betting rules.
    Pass the bot's ``memory`` to allow sit-in/sit-out repeats.
    """
    for _ in range(2 * len(JUNK)):
        action = rng.choice(JUNK)(view, rng, memory)
        if action is not None:
            return action
    return Fold(-1)  # every maker declined (rare); a bad seat is always junk


class ChaosBot(CarefulBot):
    """Mostly a RandomBot; ``JUNK_SHARE`` of its moves (and half its requests) are junk,
    and ``junk`` says which: the engine must reject every junk action."""

    kind: ClassVar[str] = "chaos"
    chaos: ClassVar[bool] = True

    def act(self, view: PlayerView, rng: random.Random) -> Any:
        self.junk = rng.random() < JUNK_SHARE
        if self.junk:
            return junk_action(view, rng, self.memory)
        return random_action(view, rng)

    def request(self, view: PlayerView, rng: random.Random) -> Any:
        self.junk = rng.random() < REQUEST_JUNK_SHARE
        if self.junk:
            return junk_action(view, rng, self.memory)  # rejected: not noted in memory
        return super().request(view, rng)

    def rejoin(self, seat: int, config: TableConfig, rng: random.Random) -> Action | None:
        self.junk = False
        return super().rejoin(seat, config, rng)
