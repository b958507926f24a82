"""What each player may see: the public view, and a player's own view on top of it.

Another player's hole cards never appear in a view until they are shown at showdown.
Views are pure functions of the state, built on demand (bots ask only on their turn).
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from sim.engine import bugs
from sim.engine.events import HandStarted, HoleCardsDealt
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


class PlayerView:
    """``player_view(state, seat)``: the public view plus the viewer's own cards and, on
    their turn, their legal actions. (Built per decision, so a plain class with read-only
    fields: see ``events.EventBase``.)"""

    __slots__ = ("seat", "public", "hole", "legal", "config")

    def __init__(self, seat: int, public: PublicView, hole: tuple[int, ...] | None,
                 legal: LegalActions | None, config: TableConfig) -> None:
        self.seat: Final = seat
        self.public: Final = public
        self.hole: Final = hole
        self.legal: Final = legal
        self.config: Final = config

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, PlayerView) and self.seat == other.seat
                and self.public == other.public and self.hole == other.hole
                and self.legal == other.legal and self.config == other.config)

    def __repr__(self) -> str:
        return (f"PlayerView(seat={self.seat}, public={self.public!r}, hole={self.hole!r}, "
                f"legal={self.legal!r}, config={self.config!r})")

    @property
    def stack(self) -> int:
        return self.public.seats[self.seat].stack


# Builds a NamedTuple from its fields without the Python-level __new__ NamedTuple adds:
# views are built several times per dispatch. (The code below relies on ``cards`` and
# ``seats`` being the last fields.)
_new: Any = tuple.__new__
assert SeatView._fields[-1] == "cards" and PublicView._fields[-1] == "seats"


def _seats(state: TableState, viewer: int | None) -> tuple[SeatView, ...]:
    # One pass with local names: this runs several times per dispatch in the harness.
    running = state.phase != IDLE
    player, stack, bet, status = state.player, state.stack, state.bet, state.status
    dealt, folded, hole, shown = state.dealt, state.folded, state.hole, state.shown
    built = []
    for s in range(len(player)):
        cards = hole[s]
        built.append(_new(SeatView, (player[s], stack[s], bet[s], status[s],
                                     running and dealt[s] and not folded[s],
                                     folded[s] and dealt[s], len(cards) if cards else 0,
                                     cards if shown[s] else None)))
    seats = tuple(built)
    return seats if viewer is None else _own_cards(seats, state, viewer)


def _own_cards(seats: tuple[SeatView, ...], state: TableState,
               viewer: int) -> tuple[SeatView, ...]:
    """``seats`` with the viewer's own hole cards face up."""
    seats = _reveal(seats, viewer, state.hole[viewer])
    if bugs.active("neighbour_sees_hole"):
        neighbour = (viewer + 1) % len(seats)
        seats = _reveal(seats, neighbour, state.hole[neighbour])
    return seats


def _reveal(seats: tuple[SeatView, ...], seat: int,
            cards: tuple[int, ...] | None) -> tuple[SeatView, ...]:
    if cards is None or seats[seat].cards is not None:
        return seats
    return (*seats[:seat], _new(SeatView, (*seats[seat][:-1], cards)), *seats[seat + 1:])


def public_view(state: TableState, viewer: int | None = None) -> PublicView:
    """The table as anyone watching sees it (``viewer`` adds that seat's own cards)."""
    return _new(PublicView, (state.hand_no, state.phase != IDLE, state.street, state.button,
                             state.to_act, tuple(state.board), state.pot, tuple(state.pots),
                             _seats(state, viewer)))


def player_view(state: TableState, seat: int, public: PublicView | None = None,
                legal: LegalActions | None = None) -> PlayerView:
    """What ``seat`` sees. ``public``, if given, must be ``public_view(state)`` (the harness
    has it already from the animator); ``legal`` likewise ``legal_actions(state)``."""
    if public is None:
        public = public_view(state, seat)
    else:
        public = _new(PublicView, (*public[:-1], _own_cards(public.seats, state, seat)))
    if state.to_act == seat:
        legal = legal if legal is not None else legal_actions(state)
    else:
        legal = None
    return PlayerView(seat, public, state.hole[seat], legal, state.config)


def visible_cards(view: PublicView) -> set[int]:
    """Every card a view reveals: the board and every visible hole card."""
    cards = set(view.board)
    for seat in view.seats:
        if seat.cards:
            cards.update(seat.cards)
    return cards


def redact(event: Any, viewer: int) -> Any:
    """``event`` as ``viewer`` may see it: another seat's hole cards are hidden (``()``)."""
    if type(event) is HoleCardsDealt and event.seat != viewer:
        return HoleCardsDealt(event.seat, ())
    if type(event) is HandStarted:  # the deck order is the dealer's secret
        return event.replace(deck=())
    return event


class PlayerFeeds:
    """Subscriber: each seated player's own stream of events, redacted for them.

    This is what a client at the table receives. ``feeds[seat]`` keeps the last ``keep``
    events that seat was sent.

        >>> feeds = PlayerFeeds(); table = Controller(config, seed, players, [feeds])
        >>> feeds.feeds[2][-1]
    """

    def __init__(self, keep: int = 256) -> None:
        self.keep = keep
        self.feeds: dict[int, list[Any]] = {}
        self._pending: list[tuple[int, Any]] = []

    def begin(self, state: TableState, action: Any) -> None:
        self._pending = []

    def on_event(self, state: TableState, event: Any) -> None:
        for seat, name in enumerate(state.player):
            if name is not None:
                self._pending.append((seat, redact(event, seat)))

    def commit(self, state: TableState) -> None:
        for seat, event in self._pending:
            feed = self.feeds.setdefault(seat, [])
            feed.append(event)
            if len(feed) > 2 * self.keep:
                del feed[:-self.keep]
        self._pending = []

    def rollback(self) -> None:
        self._pending = []
