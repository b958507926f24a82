"""What each player may see: the public view, and a player's own view on top of it.

Another player's hole cards never appear in a view until they are shown at showdown.
Views are pure functions of the state, built on demand (bots ask only on their turn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sim.engine import bugs
from sim.engine.legal import LegalActions, legal_actions
from sim.engine.state import IDLE, TableConfig, TableState


# Views are NamedTuples, not dataclasses: the harness builds several per dispatch and a
# tuple is built three times faster. They are just as immutable.
class SeatView(NamedTuple):
    player: str | None
    stack: int
    bet: int
    status: int
    in_hand: bool  # dealt in and not folded
    folded: bool
    holding: int  # how many hole cards the seat holds (hidden or not)
    cards: tuple[int, ...] | None  # visible cards: shown ones, or the viewer's own


class PublicView(NamedTuple):
    hand_no: int
    running: bool
    street: int
    button: int | None
    to_act: int | None
    board: tuple[int, ...]
    pot: int
    pots: tuple[tuple[int, tuple[int, ...]], ...]
    seats: tuple[SeatView, ...]


@dataclass(frozen=True, slots=True)
class PlayerView:
    """``player_view(state, seat)``: the public view plus the viewer's own cards and, on
    their turn, their legal actions."""

    seat: int
    public: PublicView
    hole: tuple[int, ...] | None
    legal: LegalActions | None
    config: TableConfig

    @property
    def stack(self) -> int:
        return self.public.seats[self.seat].stack


def _seat_view(state: TableState, seat: int, viewer: int | None) -> SeatView:
    hole = state.hole[seat]
    dealt = state.dealt[seat]
    visible = None
    if hole is not None and (state.shown[seat] or seat == viewer
                             or bugs.active("neighbour_sees_hole") and viewer is not None
                             and seat == (viewer + 1) % state.config.seats):
        visible = hole
    return SeatView(state.player[seat], state.stack[seat], state.bet[seat], state.status[seat],
                    state.phase != IDLE and dealt and not state.folded[seat],
                    state.folded[seat] and dealt, len(hole) if hole else 0, visible)


def public_view(state: TableState, viewer: int | None = None) -> PublicView:
    """The table as anyone watching sees it (``viewer`` adds that seat's own cards)."""
    return PublicView(state.hand_no, state.phase != IDLE, state.street, state.button,
                      state.to_act, tuple(state.board), state.pot, tuple(state.pots),
                      tuple(_seat_view(state, s, viewer) for s in range(state.config.seats)))


def player_view(state: TableState, seat: int) -> PlayerView:
    legal = legal_actions(state) if state.to_act == seat else None
    return PlayerView(seat, public_view(state, seat), state.hole[seat], legal, state.config)


def visible_cards(view: PublicView) -> set[int]:
    """Every card a view reveals: the board and every visible hole card."""
    cards = set(view.board)
    for seat in view.seats:
        if seat.cards:
            cards.update(seat.cards)
    return cards
