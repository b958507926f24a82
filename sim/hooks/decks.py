"""The decks a table dealt, kept for the run-level checks (``sim.runlevel``): a hook.

No single hand shows whether the shuffle is uniform or whether tables deal independent
decks; the run's hands together do. Each table keeps the deck of every hand it plays, 52
bytes a hand (the card at each position), and its worker sums them up when the table ends
(``sim.runlevel.table``).

    tally = DeckTally(hands=200)
    play_table(spec, 200, settings, hooks=[tally])
    tally.hands, len(tally.decks)           # 200 and 10,400 once every hand was played

Compiled with the rest of the hooks: the table player calls every hook after every
dispatch, and this one's empty ``dispatched`` then costs next to nothing.
"""

from __future__ import annotations

from sim.driver.hooks import TableHook
from sim.engine.log import HandRecord
from sim.invariants.pipeline import CheckedTable


class DeckTally(TableHook):
    """The decks of a table's hands 1, 2, ... up to ``hands`` (its target), in order."""

    def __init__(self, hands: int) -> None:
        self.target = hands
        self.hands = 0
        self.decks = bytearray()

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        if record.hand_no > self.target:
            return  # one dispatch may end a hand past the table's target: not played for it
        assert record.hand_no == self.hands + 1, f"hand {record.hand_no} after {self.hands}"
        self.decks += bytes(record.started.deck)
        self.hands += 1
