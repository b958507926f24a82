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
from collections.abc import Iterable, Iterator
from typing import Final

import numpy as np

from sim.engine.cards import DECK_SIZE
from sim.runlevel.table import CELLS, TableDecks, dealt_again

HAND_NUMBERS: Final = 256  # hand numbers compared across tables: 2.8 MB of counts
SAMPLE_SIZE: Final = 1 << 15  # distinct decks kept to look for repeats: about 7 MB
_MASK64: Final = (1 << 64) - 1
# by_hand's flat index of (hand number, card 0, position), for every hand number and position
_CELL_BASE: Final = np.arange(HAND_NUMBERS)[:, None] * CELLS + np.arange(DECK_SIZE)


class DeckSample:
    """Every deck whose fingerprint is below a threshold, which halves whenever more than
    ``capacity`` distinct decks are kept; with how often each was dealt, and where first.

    A deck's copies share its fingerprint, so either all of them are in the sample or none
    is: a deck dealt twice anywhere in the run is seen twice whenever it is sampled. The
    sample, and the places kept, are the same whatever order the tables arrive in.

    Tables' rows wait in ``pending`` (a table adds arrays: no Python loop over its hands)
    until there are more than ``capacity`` of them, then ``compact`` merges them in: at
    most two rows a distinct deck stay, its first two places (table, hand), the second
    counting every copy after the first."""

    def __init__(self, capacity: int = SAMPLE_SIZE) -> None:
        self.capacity = capacity
        self.level = 0  # decks are kept when their fingerprint is below 2 ** (64 - level)
        # Columns of the kept rows, sorted by fingerprint, then table, then hand.
        self.rows: tuple[np.ndarray, ...] = _no_rows()
        self.pending: list[tuple[np.ndarray, ...]] = []
        self.pending_rows = 0

    @property
    def threshold(self) -> int:
        return 1 << (64 - self.level)

    def add(self, table_id: int, decks: TableDecks) -> None:
        hands = np.arange(1, decks.hands + 1)
        cards = decks.array()
        fingerprints = decks.fingerprints
        if self.level:
            chosen = fingerprints < np.uint64(self.threshold)
            fingerprints, cards, hands = fingerprints[chosen], cards[chosen], hands[chosen]
        if not len(hands):
            return
        self.pending.append((fingerprints, np.full(len(hands), table_id), hands,
                             np.ones(len(hands), dtype=np.int64), cards))
        self.pending_rows += len(hands)
        if self.pending_rows > self.capacity:
            self.compact()

    def compact(self) -> None:
        """Merge the pending rows into the kept ones (see the class docstring), halving
        the threshold until at most ``capacity`` distinct decks remain."""
        if not self.pending:
            return
        columns = [np.concatenate(parts) for parts in zip(self.rows, *self.pending,
                                                           strict=True)]
        self.pending, self.pending_rows = [], 0
        fingerprint, table, hand = columns[:3]
        order = np.lexsort((hand, table, fingerprint))
        columns = [column[order] for column in columns]
        for _ in range(64):  # bounded: each pass halves the threshold
            if _distinct(columns[0]) <= self.capacity:
                break
            self.level += 1
            below = columns[0] < np.uint64(self.threshold)
            columns = [column[below] for column in columns]
        fingerprint, times = columns[0], columns[3]
        starts = np.flatnonzero(np.r_[True, fingerprint[1:] != fingerprint[:-1]])
        sizes = np.diff(np.r_[starts, len(fingerprint)])
        rank = np.arange(len(fingerprint)) - np.repeat(starts, sizes)
        total = np.repeat(np.add.reduceat(times, starts) if len(starts) else times, sizes)
        # A deck's first row stands for itself, its second for every other copy.
        columns[3] = np.where(rank == 0, np.where(total > 1, 1, total), total - 1)
        self.rows = tuple(column[rank < 2] for column in columns)

    @property
    def distinct(self) -> int:
        """Distinct decks kept (after merging the pending ones)."""
        self.compact()
        return _distinct(self.rows[0])

    def repeated(self) -> list[list[int]]:
        """The decks dealt more than once, most copies first: [fingerprint, times, table,
        hand, second table, second hand]. Two decks that only share a fingerprint are not
        one deck dealt twice: their cards are compared."""
        self.compact()
        fingerprint, table, hand, times, cards = self.rows
        second = np.flatnonzero(np.r_[False, fingerprint[1:] == fingerprint[:-1]])
        found = [[int(fingerprint[i]), int(times[i - 1] + times[i]), int(table[i - 1]),
                  int(hand[i - 1]), int(table[i]), int(hand[i])]
                 for i in second.tolist() if (cards[i] == cards[i - 1]).all()]
        return sorted(found, key=lambda entry: (-entry[1], entry[2], entry[3]))


def _distinct(fingerprints: np.ndarray) -> int:
    """How many distinct values ``fingerprints`` (sorted) holds."""
    return int(len(fingerprints) and 1 + np.count_nonzero(fingerprints[1:] != fingerprints[:-1]))


def _no_rows() -> tuple[np.ndarray, ...]:
    """The kept rows' columns, empty: fingerprint, table, hand, times, cards."""
    return (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
            np.zeros((0, DECK_SIZE), dtype=np.uint8))


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


def dealt_run(tables: Iterable[tuple[int, int, int]]) -> RunDecks:
    """The decks of ``tables``, each ``(table_id, table_seed, hands)``, dealt again from
    their seeds (``dealt_again``: hands 1 to ``hands``) and added up."""
    run = RunDecks()
    for table_id, table_seed, hands in tables:
        run.add(table_id, table_seed, dealt_again(table_seed, hands))
    return run
