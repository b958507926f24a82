"""What each player may see: the public view, and a player's own view on top of it.

Another player's hole cards never appear in a view until they are shown at showdown.
Views are pure functions of the state, built on demand (bots ask only on their turn).
"""

from __future__ import annotations

from typing import Any, Final

from sim.engine.events import BoardDealt, HandStarted, HoleCardsDealt
from sim.engine.legal import LegalActions, legal_actions
from sim.engine.record import Record
from sim.engine.state import IDLE, TableConfig, TableState
from sim.engine.subscriber import Subscriber


# Views are built several times per dispatch, so they are Records (see sim.engine.record).
class SeatView(Record):
    FIELDS = ("player", "stack", "bet", "status", "in_hand", "folded", "holding", "cards")

    def __init__(self, player: str | None, stack: int, bet: int, status: int, in_hand: bool,
                 folded: bool, holding: int, cards: tuple[int, ...] | None) -> None:
        self.player: Final = player
        self.stack: Final = stack
        self.bet: Final = bet
        self.status: Final = status
        self.in_hand: Final = in_hand  # dealt in and not folded
        self.folded: Final = folded
        self.holding: Final = holding  # how many hole cards the seat holds (hidden or not)
        self.cards: Final = cards  # visible cards: shown ones, or the viewer's own

    def values(self) -> tuple[Any, ...]:
        return (self.player, self.stack, self.bet, self.status, self.in_hand, self.folded,
                self.holding, self.cards)

    def __eq__(self, other: object) -> bool:
        # Field by field, without building two tuples: the animation check compares every
        # seat of a view after every dispatch.
        if self is other:
            return True
        if type(other) is not SeatView:
            return False
        return (self.stack == other.stack and self.bet == other.bet
                and self.status == other.status and self.in_hand == other.in_hand
                and self.folded == other.folded and self.holding == other.holding
                and self.player == other.player and self.cards == other.cards)

    def __hash__(self) -> int:  # defining __eq__ resets it
        return Record.__hash__(self)


class PublicView(Record):
    FIELDS = ("hand_no", "running", "street", "button", "to_act", "board", "pot", "pots",
              "seats")

    def __init__(self, hand_no: int, running: bool, street: int, button: int | None,
                 to_act: int | None, board: tuple[int, ...], pot: int,
                 pots: tuple[tuple[int, tuple[int, ...]], ...],
                 seats: tuple[SeatView, ...]) -> None:
        self.hand_no: Final = hand_no
        self.running: Final = running
        self.street: Final = street
        self.button: Final = button
        self.to_act: Final = to_act
        self.board: Final = board
        self.pot: Final = pot
        self.pots: Final = pots
        self.seats: Final = seats

    def values(self) -> tuple[Any, ...]:
        return (self.hand_no, self.running, self.street, self.button, self.to_act, self.board,
                self.pot, self.pots, self.seats)

    def __eq__(self, other: object) -> bool:  # as SeatView's: compared after every dispatch
        if self is other:
            return True
        if type(other) is not PublicView:
            return False
        return (self.hand_no == other.hand_no and self.to_act == other.to_act
                and self.pot == other.pot and self.street == other.street
                and self.running == other.running and self.button == other.button
                and self.board == other.board and self.pots == other.pots
                and self.seats == other.seats)

    def __hash__(self) -> int:
        return Record.__hash__(self)


class PlayerView(Record):
    """``player_view(state, seat)``: the public view plus the viewer's own cards and, on
    their turn, their legal actions (a Record: built per decision)."""

    FIELDS = ("seat", "public", "hole", "legal", "config")

    def __init__(self, seat: int, public: PublicView, hole: tuple[int, ...] | None,
                 legal: LegalActions | None, config: TableConfig) -> None:
        self.seat: Final = seat
        self.public: Final = public
        self.hole: Final = hole
        self.legal: Final = legal
        self.config: Final = config

    def values(self) -> tuple[Any, ...]:
        return (self.seat, self.public, self.hole, self.legal, self.config)

    @property
    def stack(self) -> int:
        return self.public.seats[self.seat].stack


def _seats(state: TableState, viewer: int | None,
           previous: tuple[SeatView, ...] | None = None) -> tuple[SeatView, ...]:
    # One pass with local names: this runs several times per dispatch in the harness.
    # A seat equal to its view in ``previous`` (a public view of the same table) is that
    # same object: most seats do not change in a dispatch, and equal views then compare
    # by identity first.
    running = state.phase != IDLE
    player, stack, bet, status = state.player, state.stack, state.bet, state.status
    dealt, folded, hole, shown = state.dealt, state.folded, state.hole, state.shown
    built = []
    for s in range(len(player)):
        cards = hole[s]
        in_hand = running and dealt[s] and not folded[s]
        out = folded[s] and dealt[s]
        holding = len(cards) if cards else 0
        visible = cards if shown[s] else None
        if previous is not None:
            old = previous[s]
            if (old.stack == stack[s] and old.bet == bet[s] and old.in_hand == in_hand
                    and old.status == status[s] and old.folded == out
                    and old.holding == holding and old.player == player[s]
                    and old.cards == visible):
                built.append(old)
                continue
        built.append(SeatView(player[s], stack[s], bet[s], status[s], in_hand, out, holding,
                              visible))
    seats = tuple(built)
    return seats if viewer is None else _own_cards(seats, state, viewer)


def _own_cards(seats: tuple[SeatView, ...], state: TableState,
               viewer: int) -> tuple[SeatView, ...]:
    """``seats`` with the viewer's own hole cards face up."""
    return _reveal(seats, viewer, state.hole[viewer])


def _reveal(seats: tuple[SeatView, ...], seat: int,
            cards: tuple[int, ...] | None) -> tuple[SeatView, ...]:
    if cards is None or seats[seat].cards is not None:
        return seats
    old = seats[seat]
    new = SeatView(old.player, old.stack, old.bet, old.status, old.in_hand, old.folded,
                   old.holding, cards)
    return (*seats[:seat], new, *seats[seat + 1:])


def public_view(state: TableState, viewer: int | None = None,
                previous: PublicView | None = None) -> PublicView:
    """The table as anyone watching sees it (``viewer`` adds that seat's own cards).

    ``previous``, a public view (no viewer) of the same table, lends the new view its seat
    views that did not change."""
    return PublicView(state.hand_no, state.phase != IDLE, state.street, state.button,
                      state.to_act, tuple(state.board), state.pot, tuple(state.pots),
                      _seats(state, viewer, None if previous is None or viewer is not None
                             else previous.seats))


def player_view(state: TableState, seat: int, public: PublicView | None = None,
                legal: LegalActions | None = None) -> PlayerView:
    """What ``seat`` sees. ``public``, if given, must be ``public_view(state)`` (the harness
    has it already from the animator); ``legal`` likewise ``legal_actions(state)``."""
    if public is None:
        public = public_view(state, seat)
    else:
        public = PublicView(public.hand_no, public.running, public.street, public.button,
                            public.to_act, public.board, public.pot, public.pots,
                            _own_cards(public.seats, state, seat))
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


HIDDEN: Final = -1  # a burnt card or a hand's seed, as a player's feed shows it


def redact(event: Any, viewer: int) -> Any:
    """``event`` as ``viewer`` may see it: another seat's hole cards are hidden (``()``),
    and so are the dealer's secrets: the deck order and the hand's seed it is shuffled
    from (``deck=()``, ``seed=HIDDEN``: the seed alone gives the deck), and the burnt
    cards (``burnt=HIDDEN``)."""
    if type(event) is HoleCardsDealt and event.seat != viewer:
        return HoleCardsDealt(event.seat, ())
    if type(event) is HandStarted:
        # Built field by field: ``replace`` goes through a dict, and this runs every hand.
        return HandStarted(event.hand_no, HIDDEN, event.button, event.small_blind_seat,
                           event.big_blind_seat, event.dealt, event.posters, event.missed, ())
    if type(event) is BoardDealt:
        return BoardDealt(event.street, HIDDEN, event.cards)
    return event


class PlayerFeeds(Subscriber):
    """Subscriber: each seated player's own stream of events, redacted for them.

    This is what a client at the table receives. ``feeds[seat]`` keeps the last ``keep``
    events that seat was sent.

        >>> from sim.engine import Controller, TableConfig
        >>> feeds = PlayerFeeds()
        >>> table = Controller(TableConfig(seats=2), seed=1,
        ...                    players={0: ("ann", 100), 1: ("bob", 100)}, subscribers=[feeds])
        >>> feeds.feeds[1][-1]
        TurnStarted(seat=0)
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
