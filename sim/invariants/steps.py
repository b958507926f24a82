"""Playing animation steps forward, fast: a second reading of the steps' meaning.

``play_steps(view, steps)`` gives what ``sim.engine.animation.play`` gives, but touches only
the seats the steps name instead of rebuilding every seat as a dict, so it costs a few
microseconds where ``play`` costs ten. The animation check plays every dispatch's steps
with it, and calls the engine's ``play`` too at the start and end of each hand (and on
any mismatch); the tests hold the two equal on thousands of frames.

``play_steps(frame.before, frame.steps)`` is the public view after a frame's steps.
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.animation import Step
from sim.engine.state import PLAYING
from sim.engine.views import PublicView, SeatView

# SeatView field positions.
PLAYER: Final = 0
STACK: Final = 1
BET: Final = 2
STATUS: Final = 3
IN_HAND: Final = 4
FOLDED: Final = 5
HOLDING: Final = 6
CARDS: Final = 7


def _row(rows: list[list[Any] | None], seat_views: tuple[SeatView, ...],
         seat: int) -> list[Any]:
    """Seat ``seat``'s fields as a list to change, made on first use."""
    found = rows[seat]
    if found is None:
        found = rows[seat] = list(seat_views[seat].values())
    return found


def play_steps(view: PublicView, steps: tuple[Step, ...]) -> PublicView:
    """The view after ``steps``, played forward from ``view``."""
    hand_no, running, street, button, to_act, board, pot, pots, seat_views = view.values()
    rows: list[list[Any] | None] = [None] * len(seat_views)  # per seat, once changed
    for step in steps:
        kind, seat, amount = step.kind, step.seat, step.amount
        if kind == "turn":
            to_act = seat
        elif kind == "acted":
            to_act = None
        elif kind == "chips_to_bet":
            r = _row(rows, seat_views, seat)
            r[STACK] -= amount
            r[BET] += amount
        elif kind == "bet_to":
            r = _row(rows, seat_views, seat)
            r[STACK] -= amount - r[BET]
            r[BET] = amount
        elif kind == "folded":
            to_act = None
            r = _row(rows, seat_views, seat)
            r[FOLDED], r[IN_HAND] = True, False
        elif kind == "chips_to_pot":
            _row(rows, seat_views, seat)[STACK] -= amount
            pot += amount
        elif kind == "card_dealt":
            _row(rows, seat_views, seat)[HOLDING] += 1
        elif kind == "board":
            board, street, to_act = board + step.cards, amount, None
        elif kind == "bets_to_pot":
            for index in range(len(seat_views)):
                r = _row(rows, seat_views, index)
                pot += r[BET]
                r[BET] = 0
            pots = step.pots
        elif kind == "bet_returned":  # off the bet first, the rest out of the pot
            r = _row(rows, seat_views, seat)
            from_bet = min(amount, r[BET])
            r[BET] -= from_bet
            pot -= amount - from_bet
            r[STACK] += amount
        elif kind == "pot_to_seat":
            pot -= amount
            _row(rows, seat_views, seat)[STACK] += amount
        elif kind == "revealed":
            _row(rows, seat_views, seat)[CARDS] = step.cards
        elif kind == "mucked":
            pass  # the cards stay face down until the next hand
        elif kind == "new_hand":
            hand_no, running, street, button, to_act = amount, True, 0, seat, None
            board, pot, pots = (), 0, ()
            for index in range(len(seat_views)):
                r = _row(rows, seat_views, index)
                dealt = index in step.cards  # new_hand's cards are the dealt seats
                r[IN_HAND], r[FOLDED], r[HOLDING], r[CARDS], r[BET] = dealt, False, 0, None, 0
                if dealt:
                    r[STATUS] = PLAYING
        elif kind == "hand_over":
            running, to_act = False, None
            for index in range(len(seat_views)):
                _row(rows, seat_views, index)[IN_HAND] = False
        elif kind == "seat_taken":
            r = _row(rows, seat_views, seat)
            r[PLAYER], r[STACK], r[STATUS] = step.player, amount, step.status
        elif kind == "seat_cleared":
            rows[seat] = [None, 0, 0, 0, False, False, 0, None]
        elif kind == "chips_added":
            _row(rows, seat_views, seat)[STACK] += amount
        elif kind == "status":
            _row(rows, seat_views, seat)[STATUS] = amount
        else:
            raise ValueError(f"Unknown animation step {kind!r}.")
    for row in rows:
        if row is not None:  # some seat changed
            seat_views = tuple([seat_views[i] if r is None else _seat_view(r)
                                for i, r in enumerate(rows)])
            break
    return PublicView(hand_no, running, street, button, to_act, board, pot, pots, seat_views)


def _seat_view(r: list[Any]) -> SeatView:
    return SeatView(r[PLAYER], r[STACK], r[BET], r[STATUS], r[IN_HAND], r[FOLDED], r[HOLDING],
                    r[CARDS])
