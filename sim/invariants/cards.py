"""Card invariants: one deck per hand, dealt in order, no card twice.

- ``cards_unique``: each hand's deck is a permutation of 52 cards, not the previous hand's
  order, and hole cards, burns and board come from it in dealing order.

It runs after every dispatch: when cards were dealt or shown (``CARD_EVENTS``) it follows
the events card by card and rereads the state's cards from the deck; otherwise it only
checks the deck position against the cards out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sim.engine.cards import DECK_SIZE, cards_to_str
from sim.engine.events import BoardDealt, CardsShown, HandStarted, HoleCardsDealt
from sim.engine.state import FLOP, IDLE, STREET_NAMES, TableState
from sim.invariants.base import CheckContext, fail, invariant, kinds, mask

FULL_DECK: Final = frozenset(range(DECK_SIZE))
CARD_EVENTS: Final = mask(HandStarted, HoleCardsDealt, BoardDealt, CardsShown)
# Deck positions after the hole cards (2 per player): burn, flop x3, burn, turn, burn, river.
BURN_AT: Final = (0, 4, 6)
BOARD_AT: Final = (1, 2, 3, 5, 7)


@invariant("cards_unique",
           "Each hand's deck is a permutation of 52 cards, not the previous hand's order; "
           "hole cards, burns and board come from the deck in dealing order, so no card "
           "appears twice.")
def cards_unique(ctx: CheckContext) -> None:
    if kinds(ctx) & CARD_EVENTS:
        _check_card_events(ctx)
        _check_cards_in_state(ctx.state)
    else:
        _check_deck_position(ctx.state)


def _check_deck_position(s: TableState) -> None:
    """No card dealt: the deck position still counts the cards out."""
    if s.hand_no and s.deck_pos != 2 * len(s.order) + len(s.board) + len(s.burnt):
        raise fail("cards_unique",
                   "The deck position is {position}, but {players} players, {burns} burns and "
                   "{board} board cards used {used} cards.", position=s.deck_pos,
                   players=len(s.order), burns=len(s.burnt), board=len(s.board),
                   used=2 * len(s.order) + len(s.board) + len(s.burnt))


def _check_card_events(ctx: CheckContext) -> None:
    deck, order, hole = ctx.before.deck, ctx.before.order, list(ctx.before.hole)
    for event in ctx.events:  # type(event) tests narrow the event: direct field reads
        if type(event) is HandStarted:
            if deck and event.deck == deck:
                raise fail("cards_unique",
                           "Hand {hand} is dealt from the deck order of the hand before it: "
                           "each hand's shuffle must be fresh.", hand=event.hand_no)
            deck, order = event.deck, event.dealt
            if len(deck) != DECK_SIZE or frozenset(deck) != FULL_DECK:
                missing = sorted(FULL_DECK - set(deck))
                raise fail("cards_unique",
                           "Hand {hand}'s deck has {size} cards and misses {missing}: it is not "
                           "a permutation of 52.", hand=event.hand_no, size=len(deck),
                           missing=cards_to_str(missing) or "none")
            hole = [None] * len(hole)
        elif type(event) is HoleCardsDealt:
            seat, cards = event.seat, event.cards
            if seat not in order:
                raise fail("cards_unique", "Seat {seat} got hole cards but is not dealt in.",
                           seat=seat)
            k, n = order.index(seat), len(order)
            if cards != (deck[k], deck[n + k]):
                raise fail("cards_unique",
                           "Seat {seat}, dealt {nth}th, got {cards}; the deck gives it {dealt} "
                           "(cards {first} and {second}).", seat=seat, nth=k + 1,
                           cards=cards_to_str(cards), dealt=cards_to_str((deck[k], deck[n + k])),
                           first=k, second=n + k)
            hole[seat] = cards
        elif type(event) is BoardDealt:
            _check_board_event(event, deck, len(order))
        elif type(event) is CardsShown:
            seat = event.seat
            if event.cards != hole[seat]:
                raise fail("cards_unique", "Seat {seat} showed {cards} but holds {hole}.",
                           seat=seat, cards=cards_to_str(event.cards),
                           hole=cards_to_str(hole[seat] or ()))


def _check_board_event(event: BoardDealt, deck: Sequence[int], players: int) -> None:
    street = event.street
    if not FLOP <= street <= 3:
        raise fail("cards_unique", "A board was dealt for street {street}.", street=street)
    base = 2 * players
    burn = deck[base + BURN_AT[street - 1]]
    first = 0 if street == FLOP else street + 1  # board index: flop 0..2, turn 3, river 4
    count = 3 if street == FLOP else 1
    cards = tuple(deck[base + BOARD_AT[i]] for i in range(first, first + count))
    if event.burnt != burn or event.cards != cards:
        raise fail("cards_unique",
                   "The {street} burnt {burnt} and dealt {cards}; the deck gives burn {burn} "
                   "and {dealt}.", street=STREET_NAMES[street],
                   burnt=cards_to_str((event.burnt,)), cards=cards_to_str(event.cards),
                   burn=cards_to_str((burn,)), dealt=cards_to_str(cards))


def _check_cards_in_state(s: TableState) -> None:
    if not s.hand_no:
        return
    deck, order = s.deck, s.order
    n = len(order)
    base = 2 * n
    dealt = set(order)
    for seat, cards in enumerate(s.hole):
        if seat in dealt:
            k = order.index(seat)
            expected = (deck[k], deck[n + k])
            if cards is not None and cards != expected:
                raise fail("cards_unique", "Seat {seat} holds {cards} but was dealt {dealt}.",
                           seat=seat, cards=cards_to_str(cards), dealt=cards_to_str(expected))
        elif cards is not None and s.phase != IDLE:
            raise fail("cards_unique", "Seat {seat} holds {cards} but is not dealt in.",
                       seat=seat, cards=cards_to_str(cards))
    board = tuple([deck[base + i] for i in BOARD_AT[:len(s.board)]])
    burnt = tuple([deck[base + i] for i in BURN_AT[:len(s.burnt)]])
    if s.board != board or s.burnt != burnt:
        raise fail("cards_unique",
                   "The board {board} and burns {burnt} are not the deck's {deck_board} and "
                   "{deck_burnt}.", board=cards_to_str(s.board), burnt=cards_to_str(s.burnt),
                   deck_board=cards_to_str(board), deck_burnt=cards_to_str(burnt))
    used = [c for seat in order for c in (s.hole[seat] or ())] + [*s.board, *s.burnt]
    if len(set(used)) != len(used):
        raise fail("cards_unique", "A card appears twice among {cards}.",
                   cards=cards_to_str(used))
