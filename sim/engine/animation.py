"""Animations: for each dispatch, the steps a client would play, framed by snapshots.

``Animator`` is a subscriber. For every dispatch it records the public view before, the
steps derived from the events, and the public view after. ``play(before, steps)`` must
give exactly ``after``: that is the animation-sanity invariant. Steps never carry a hole
card that has not been shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from sim.engine.events import (
    AntePosted,
    BetMade,
    BetReturned,
    BetsCollected,
    BlindPosted,
    BoardDealt,
    Called,
    CardsMucked,
    CardsShown,
    Checked,
    Event,
    Folded,
    HandEnded,
    HandStarted,
    HoleCardsDealt,
    PlayerLeft,
    PlayerSeated,
    PotAwarded,
    RaisedTo,
    RebuyApplied,
    RequestQueued,
    SatIn,
    SatOut,
    TimedOut,
    TurnStarted,
)
from sim.engine.record import Record
from sim.engine.state import PLAYING, SITTING_OUT, WAITING, TableState
from sim.engine.subscriber import Subscriber
from sim.engine.views import PublicView, SeatView, public_view


class Step(Record):
    """One thing a client animates. ``kind`` names it; ``seat``/``amount``/``cards`` as used:

    seat_taken (seat, amount=stack, player, status), seat_cleared, chips_added,
    status (amount=status),
    new_hand (cards=dealt seats, amount=hand number, seat=button), chips_to_pot, chips_to_bet,
    card_dealt (never the card: hole cards are hidden), bet_to (amount=total), turn, acted,
    folded, bet_returned, bets_to_pot (pots),
    board (cards), revealed (cards), mucked, pot_to_seat, hand_over.

    Built per event, so a Record (see ``sim.engine.record``).
    """

    FIELDS = ("kind", "seat", "amount", "cards", "player", "status", "pots")

    def __init__(self, kind: str, seat: int = -1, amount: int = 0, cards: tuple[int, ...] = (),
                 player: str | None = None, status: int = -1,
                 pots: tuple[tuple[int, tuple[int, ...]], ...] = ()) -> None:
        self.kind: Final = kind
        self.seat: Final = seat
        self.amount: Final = amount
        self.cards: Final = cards
        self.player: Final = player
        self.status: Final = status
        self.pots: Final = pots

    def values(self) -> tuple[Any, ...]:
        return (self.kind, self.seat, self.amount, self.cards, self.player, self.status,
                self.pots)

    def __repr__(self) -> str:  # the fields left at their defaults are not shown
        shown = [repr(self.kind)] + [f"{name}={value!r}" for name, value, default in zip(
            self.FIELDS[1:], self.values()[1:], STEP_DEFAULTS, strict=True) if value != default]
        return f"Step({', '.join(shown)})"


STEP_DEFAULTS: Final = (-1, 0, (), None, -1, ())


class Animation(Record):
    """One dispatch's frame: the view before, the steps, the view after (a Record)."""

    FIELDS = ("before", "steps", "after")

    def __init__(self, before: PublicView, steps: tuple[Step, ...], after: PublicView) -> None:
        self.before: Final = before
        self.steps: Final = steps
        self.after: Final = after

    def values(self) -> tuple[Any, ...]:
        return (self.before, self.steps, self.after)


def steps_for(e: Event) -> list[Step]:
    """The animation steps one event makes.

    A chain of exact type tests, commonest first, as in ``apply``: compiled, each test is a
    pointer comparison, and the narrowed event's fields are read directly."""
    if type(e) is TurnStarted:
        return [Step("turn", e.seat)]
    if type(e) is Called:
        return [Step("chips_to_bet", e.seat, e.amount), Step("acted", e.seat)]
    if type(e) is Folded:
        return [Step("folded", e.seat)]
    if type(e) is Checked:
        return [Step("acted", e.seat)]
    if type(e) is BlindPosted:
        return [Step("chips_to_bet", e.seat, e.amount)]
    if type(e) is HoleCardsDealt:
        return [Step("card_dealt", e.seat) for _ in e.cards]
    if type(e) is BetsCollected:
        return [Step("bets_to_pot", pots=e.pots)]
    if type(e) is RaisedTo or type(e) is BetMade:
        return [Step("bet_to", e.seat, e.total), Step("acted", e.seat)]
    if type(e) is BoardDealt:
        return [Step("board", amount=e.street, cards=e.cards)]
    if type(e) is HandStarted:
        return [Step("new_hand", e.button, e.hand_no, cards=e.dealt)]
    if type(e) is PotAwarded:
        return [Step("pot_to_seat", seat, chips) for seat, chips in e.shares]
    if type(e) is HandEnded:
        return [Step("hand_over")]
    if type(e) is AntePosted:
        return [Step("chips_to_pot", e.seat, e.amount)]
    if type(e) is BetReturned:
        return [Step("bet_returned", e.seat, e.amount)]
    if type(e) is CardsShown:
        return [Step("revealed", e.seat, cards=e.cards)]
    if type(e) is CardsMucked:
        return [Step("mucked", e.seat)]
    if type(e) is PlayerSeated:
        return [Step("seat_taken", e.seat, e.buy_in, player=e.player,
                     status=WAITING if e.waiting else PLAYING)]
    if type(e) is PlayerLeft:
        return [Step("seat_cleared", e.seat)]
    if type(e) is RebuyApplied:
        return [Step("chips_added", e.seat, e.added)]
    if type(e) is SatOut:
        return [Step("status", e.seat, SITTING_OUT)]
    if type(e) is SatIn:
        return [Step("status", e.seat, WAITING if e.waiting else PLAYING)]
    if type(e) is TimedOut or type(e) is RequestQueued:
        return []  # nothing a watcher sees
    raise TypeError(f"{e!r} is not an event")


class Animator(Subscriber):
    """Subscriber: one Animation per dispatch, the last ``keep`` kept in ``frames``."""

    def __init__(self, keep: int = 64) -> None:
        self.frames: list[Animation] = []
        self.keep = keep
        self._before: PublicView | None = None
        self._steps: list[Step] = []
        self._committed: TableState | None = None  # the state the last frame ends on

    def begin(self, state: TableState, action: Any) -> None:
        # The state before a dispatch is the one the last commit left: reuse its view.
        last = self.frames[-1] if self.frames else None
        if last is not None and self._committed is state:
            self._before = last.after
        else:
            self._before = public_view(state)
        self._steps = []

    def on_event(self, state: TableState, event: Event) -> None:
        self._steps.extend(steps_for(event))

    def commit(self, state: TableState) -> None:
        assert self._before is not None
        self.frames.append(Animation(self._before, tuple(self._steps),
                                     public_view(state, previous=self._before)))
        self._committed = state
        # One frame was added: drop the oldest (pop, not a slice deletion, which compiled
        # goes through Python's generic item deletion).
        while len(self.frames) > self.keep:
            self.frames.pop(0)

    def rollback(self) -> None:
        self._before = None
        self._steps = []

    def view_of(self, state: TableState) -> PublicView | None:
        """The public view of ``state`` if it is the state the last dispatch committed."""
        return self.frames[-1].after if self.frames and self._committed is state else None

    @property
    def last(self) -> Animation | None:
        return self.frames[-1] if self.frames else None


# -- playing steps -------------------------------------------------------------------------

def play(view: PublicView, steps: tuple[Step, ...] | list[Step]) -> PublicView:
    """Play ``steps`` forward from ``view``; the result is what a client would show."""
    table: dict[str, Any] = dict(zip(view.FIELDS, view.values(), strict=True))
    seats = [dict(zip(s.FIELDS, s.values(), strict=True)) for s in view.seats]
    for step in steps:
        PLAYERS[step.kind](table, seats, step)
    table["seats"] = tuple(SeatView(**s) for s in seats)
    return PublicView(**table)


def _seat_taken(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat].update(player=step.player, stack=step.amount, status=step.status)


def _seat_cleared(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat].update(player=None, stack=0, status=0, in_hand=False, folded=False,
                            holding=0, cards=None, bet=0)


def _chips_added(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["stack"] += step.amount


def _status(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["status"] = step.amount


def _new_hand(t: dict, seats: list[dict], step: Step) -> None:
    t.update(hand_no=step.amount, running=True, street=0, button=step.seat, to_act=None,
             board=(), pot=0, pots=())
    for seat, s in enumerate(seats):
        dealt = seat in step.cards
        s.update(in_hand=dealt, folded=False, holding=0, cards=None, bet=0)
        if dealt:
            s["status"] = PLAYING


def _chips_to_pot(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["stack"] -= step.amount
    t["pot"] += step.amount


def _chips_to_bet(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["stack"] -= step.amount
    seats[step.seat]["bet"] += step.amount


def _bet_to(t: dict, seats: list[dict], step: Step) -> None:
    s = seats[step.seat]
    s["stack"] -= step.amount - s["bet"]
    s["bet"] = step.amount


def _card_dealt(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["holding"] += 1


def _turn(t: dict, seats: list[dict], step: Step) -> None:
    t["to_act"] = step.seat


def _acted(t: dict, seats: list[dict], step: Step) -> None:
    t["to_act"] = None


def _folded(t: dict, seats: list[dict], step: Step) -> None:
    t["to_act"] = None
    seats[step.seat].update(folded=True, in_hand=False)


def _bet_returned(t: dict, seats: list[dict], step: Step) -> None:
    seat = seats[step.seat]
    from_bet = min(step.amount, seat["bet"])
    seat["bet"] -= from_bet
    t["pot"] -= step.amount - from_bet
    seat["stack"] += step.amount


def _bets_to_pot(t: dict, seats: list[dict], step: Step) -> None:
    for s in seats:
        t["pot"] += s["bet"]
        s["bet"] = 0
    t["pots"] = step.pots


def _board(t: dict, seats: list[dict], step: Step) -> None:
    t["board"] = t["board"] + step.cards
    t["street"] = step.amount
    t["to_act"] = None


def _revealed(t: dict, seats: list[dict], step: Step) -> None:
    seats[step.seat]["cards"] = step.cards


def _mucked(t: dict, seats: list[dict], step: Step) -> None:
    pass  # the cards stay face down in front of the player until the next hand


def _pot_to_seat(t: dict, seats: list[dict], step: Step) -> None:
    t["pot"] -= step.amount
    seats[step.seat]["stack"] += step.amount


def _hand_over(t: dict, seats: list[dict], step: Step) -> None:
    t.update(running=False, to_act=None)
    for s in seats:
        s["in_hand"] = False


PLAYERS: Final[dict[str, Callable[[dict, list[dict], Step], None]]] = {
    "seat_taken": _seat_taken, "seat_cleared": _seat_cleared, "chips_added": _chips_added,
    "status": _status, "new_hand": _new_hand, "chips_to_pot": _chips_to_pot,
    "chips_to_bet": _chips_to_bet, "bet_to": _bet_to, "card_dealt": _card_dealt,
    "turn": _turn, "acted": _acted, "folded": _folded, "bet_returned": _bet_returned,
    "bets_to_pot": _bets_to_pot, "board": _board, "revealed": _revealed, "mucked": _mucked,
    "pot_to_seat": _pot_to_seat, "hand_over": _hand_over,
}
