"""HandSetup: deal a given hand instead of a shuffled one (a replay from outside: a hand
history, another engine's hand, a test scenario).

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.cards import cards_to_str
    >>> setup = HandSetup(button=3, deck=tuple(range(51, -1, -1)))  # any order of the 52
    >>> table = Controller(TableConfig(seats=4), seed=0,
    ...                    players={1: ("ann", 200), 3: ("bob", 150)},
    ...                    setups={1: setup})        # hand 1 is dealt from it
    >>> table.state.button, cards_to_str(table.state.hole[1]), cards_to_str(table.state.hole[3])
    (3, 'As Ad', 'Ah Ac')

The deck is dealt as the engine always deals (see ``sim.engine.dealer``): one card at a
time from the seat left of the button, twice round, then a burnt card before the flop
(three cards), the turn and the river. The blinds follow the button as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine.cards import DECK_SIZE


@dataclass(frozen=True, slots=True)
class HandSetup:
    """How one hand is dealt: ``button`` (None: the next seat, as the table would move
    it) and ``deck`` (None: shuffled from the hand's seed)."""

    button: int | None = None
    deck: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.button is not None and (type(self.button) is not int or self.button < 0):
            raise ValueError(f"Button seat {self.button!r} is not a seat number; seats are "
                             "whole numbers from 0.")
        deck = self.deck
        if deck is not None and (len(deck) != DECK_SIZE
                                 or sorted(deck) != list(range(DECK_SIZE))):
            raise ValueError(f"A deck of {len(deck)} cards is not a permutation of the "
                             f"{DECK_SIZE} cards; give every card 0..{DECK_SIZE - 1} once.")
