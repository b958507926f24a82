"""The run's decks, summed up in the main process as its tables come back: what the
run-level checks test (``sim.runlevel.checks``), in memory that does not grow with the
run's hands.

- ``counts[card, position]``: the hands that had that card at that position (52 x 52).
- ``by_hand[hand_no - 1, card, position]``: the same, per hand number, for the first
  ``HAND_NUMBERS`` hand numbers (tables deal their hand 1, 2, ... at once: do tables'
  decks at one hand number agree more than independent shuffles' would?).
- ``sample``: a bounded sample of the decks, to find a deck dealt twice (``DeckSample``).
- ``tables``: each table's id, seed and hands counted, so a replay can deal them again,
  and ``digest``: a digest of all the decks, so it can tell it dealt the same ones.

>>> from sim.runlevel.table import dealt_again
>>> run = RunDecks()
>>> run.add(0, 7, dealt_again(7, 30)); run.add(1, 8, dealt_again(8, 20))
>>> run.hands, run.table_count, int(run.tables_at[19]), int(run.tables_at[20])
(50, 2, 2, 1)
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Final

import numpy as np

from sim.engine.cards import DECK_SIZE
from sim.runlevel.table import CELLS, TableDecks

HAND_NUMBERS: Final = 256  # hand numbers compared across tables: 2.8 MB of counts
SAMPLE_SIZE: Final = 1 << 15  # distinct decks kept to look for repeats: about 8 MB
_MASK64: Final = (1 << 64) - 1
# by_hand's flat index of (hand number, card 0, position), for every hand number and position
_CELL_BASE: Final = np.arange(HAND_NUMBERS)[:, None] * CELLS + np.arange(DECK_SIZE)


class DeckSample:
    """Every deck whose fingerprint is below a threshold, which halves whenever more than
    ``capacity`` distinct decks are kept; with how often each was dealt, and where first.

    A deck's copies share its fingerprint, so either all of them are in the sample or none
    is: a deck dealt twice anywhere in the run is seen twice whenever it is sampled. The
    sample, and the places kept, are the same whatever order the tables arrive in."""

    def __init__(self, capacity: int = SAMPLE_SIZE) -> None:
        self.capacity = capacity
        self.level = 0  # decks are kept when their fingerprint is below 2 ** (64 - level)
        self.kept: dict[bytes, list[int]] = {}  # deck -> [fingerprint, times, table, hand,
        #                                                  second table, second hand]

    @property
    def threshold(self) -> int:
        return 1 << (64 - self.level)

    def add(self, table_id: int, decks: TableDecks) -> None:
        chosen = np.arange(decks.hands) if self.level == 0 else np.flatnonzero(
            decks.fingerprints < np.uint64(self.threshold))
        for index in chosen.tolist():
            deck = decks.decks[index * DECK_SIZE:(index + 1) * DECK_SIZE]
            entry = self.kept.get(deck)
            if entry is None:
                self.kept[deck] = [int(decks.fingerprints[index]), 1, table_id, index + 1,
                                   -1, -1]
            else:  # keep the first two places (table, hand) in the run's order
                entry[1] += 1
                places = sorted([(entry[2], entry[3]), (table_id, index + 1),
                                 *([(entry[4], entry[5])] if entry[4] >= 0 else [])])
                entry[2:6] = [*places[0], *places[1]]
        for _ in range(64):  # bounded: each pass halves the threshold
            if len(self.kept) <= self.capacity:
                break
            self.level += 1
            threshold = self.threshold
            self.kept = {deck: entry for deck, entry in self.kept.items()
                         if entry[0] < threshold}

    def repeated(self) -> list[list[int]]:
        """The entries of decks dealt more than once, most copies first: [fingerprint,
        times, table, hand, second table, second hand]."""
        return sorted((entry for entry in self.kept.values() if entry[1] > 1),
                      key=lambda entry: (-entry[1], entry[2], entry[3]))


class RunDecks:
    """What the run-level checks need of a run's decks (see the module docstring)."""

    def __init__(self) -> None:
        self.hands = 0
        self.counts = np.zeros((DECK_SIZE, DECK_SIZE), dtype=np.int64)
        self.by_hand = np.zeros((HAND_NUMBERS, DECK_SIZE, DECK_SIZE), dtype=np.uint32)
        self.tables_at = np.zeros(HAND_NUMBERS, dtype=np.int64)  # tables per hand number
        self.sample = DeckSample()
        self.table_ids = array("q")
        self.table_seeds = array("Q")
        self.table_hands = array("q")
        self.digest = 0

    @property
    def table_count(self) -> int:
        return len(self.table_ids)

    def add(self, table_id: int, table_seed: int, decks: TableDecks) -> None:
        """Table ``table_id``'s decks (of its hands 1 to ``decks.hands``)."""
        if decks.hands == 0:
            return
        self.hands += decks.hands
        self.counts += decks.counts
        first = min(decks.hands, HAND_NUMBERS)
        # One count per (hand number, card, position): no index repeats within a table.
        cells = _CELL_BASE[:first] + decks.array()[:first].astype(np.int64) * DECK_SIZE
        self.by_hand.reshape(-1)[cells.ravel()] += 1
        self.tables_at[:first] += 1
        self.sample.add(table_id, decks)
        self.table_ids.append(table_id)
        self.table_seeds.append(table_seed)
        self.table_hands.append(decks.hands)
        self.digest = (self.digest + decks.digest) & _MASK64  # the same in any order

    def tables(self) -> Iterator[tuple[int, int, int]]:
        """``(table_id, table_seed, hands)`` of each table counted, in the order added."""
        return zip(self.table_ids, self.table_seeds, self.table_hands, strict=True)
