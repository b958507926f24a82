"""A table's share of the run-level checks, summed up by its worker when the table ends.

The table keeps the deck of each hand it plays (``sim.hooks.decks.DeckTally``); its record
(``sim.store.writer.TableRecord``) carries them to the main process summed up as
``TableDecks``: how often each card sat at each position, a fingerprint of each deck, and
the decks themselves (52 bytes a hand), which the main process adds to the run's
(``sim.runlevel.decks``). A replay deals the same decks again from the table's seed
(``dealt_again``), through the same dealer functions the engine deals with.

>>> decks = dealt_again(table_seed=7, hands=3)
>>> decks.hands, int(decks.counts.sum()), decks.counts.shape
(3, 156, (52, 52))
>>> decks == dealt_again(table_seed=7, hands=3)
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from sim.engine import dealer
from sim.engine.cards import DECK_SIZE

if TYPE_CHECKING:
    from sim.runner.player import TableOutcome

CELLS: Final = DECK_SIZE * DECK_SIZE
_PERSON: Final = b"sim.deck.v1"  # keeps these digests apart from any other blake2b use
_POSITIONS: Final = np.arange(DECK_SIZE, dtype=np.int64)
_WORDS: Final = 7  # 64-bit words of a deck padded to 56 bytes
# Odd weights: the golden ratio's, splitmix64's and wyhash's constants.
_WEIGHTS: Final = np.array([0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB,
                            0xD6E8FEB86659FD93, 0xA0761D6478BD642F, 0xE7037ED1A0B428DB,
                            0x8EBC6AF09C88C6E3], dtype=np.uint64)
_MULTIPLIER_1: Final = np.uint64(0xBF58476D1CE4E5B9)
_MULTIPLIER_2: Final = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True, slots=True, eq=False)
class TableDecks:
    """The decks of a table's hands 1 to ``hands``, summed up.

    ``decks``: 52 bytes a hand, hand 1 first, the card (0..51) at each position.
    ``counts[card, position]``: the hands that had that card at that position.
    ``fingerprints``: a 64-bit digest of each hand's deck (the run's sample of decks
    takes those below a threshold: ``sim.runlevel.decks.DeckSample``).
    ``digest``: a 64-bit digest of all the table's decks, so a replay can tell whether it
    dealt the very decks the run did."""

    hands: int
    decks: bytes
    counts: np.ndarray
    fingerprints: np.ndarray
    digest: int

    def array(self) -> np.ndarray:
        """The decks as a (hands, 52) array of cards."""
        return np.frombuffer(self.decks, dtype=np.uint8).reshape(self.hands, DECK_SIZE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableDecks) and self.decks == other.decks


def table_decks(decks: bytes) -> TableDecks:
    """``decks`` (52 bytes a hand) summed up."""
    hands, rest = divmod(len(decks), DECK_SIZE)
    assert rest == 0, f"{len(decks)} bytes are not whole decks of {DECK_SIZE}"
    cards = np.frombuffer(decks, dtype=np.uint8).reshape(hands, DECK_SIZE)
    assert hands == 0 or int(cards.max()) < DECK_SIZE, "a card outside 0..51"
    cells = (cards.astype(np.int64) * DECK_SIZE + _POSITIONS).ravel()
    counts = np.bincount(cells, minlength=CELLS).astype(np.uint32).reshape(DECK_SIZE,
                                                                           DECK_SIZE)
    return TableDecks(hands, bytes(decks), counts, fingerprints(cards), _digest(decks))


def played_decks(decks: bytes | bytearray, hands: int, target: int,
                 outcome: TableOutcome) -> TableDecks:
    """The decks of the hands a table played: ``decks`` of the ``hands`` that ended (a
    ``DeckTally``'s), and the hand a finding stopped, when it is the next one and within
    the table's ``target``. With that hand, the hands a table counts end wherever it
    stopped, whatever the cards: leaving out the hand that failed would leave out decks
    chosen by the failure (a bug that fails on one card at one place would make that card
    look rare there)."""
    dump = outcome.dump if outcome.finding is not None else None
    record = dump.case.record if dump is not None else None
    if record is not None and record.hand_no == hands + 1 <= target:
        return table_decks(bytes(decks) + bytes(record.started.deck))
    return table_decks(bytes(decks))


def dealt_again(table_seed: int, hands: int) -> TableDecks:
    """The decks of a table's hands 1 to ``hands``, dealt again from its seed as the
    engine deals them (``dealer.hand_seed``, ``dealer.deck_for``)."""
    decks = bytearray()
    for hand_no in range(1, hands + 1):
        decks += bytes(dealer.deck_for(dealer.hand_seed(table_seed, hand_no)))
    return table_decks(bytes(decks))


def fingerprints(cards: np.ndarray) -> np.ndarray:
    """A 64-bit fingerprint of each deck (a row of ``cards``): its 52 bytes, padded to 56,
    read as seven 64-bit words, summed with odd 64-bit weights and put through
    splitmix64's finalizer (a bijective mixer), so the fingerprints spread evenly.
    Vectorized over a table's decks: a digest a deck (blake2b) cost 1.6 microseconds, a
    quarter of one per cent of a hand. Two decks may share a fingerprint (about one pair
    in 2**64): the sample that uses them compares the decks themselves."""
    padded = np.zeros((cards.shape[0], _WORDS * 8), dtype=np.uint8)
    padded[:, :DECK_SIZE] = cards
    z = padded.view("<u8") @ _WEIGHTS
    z = (z ^ (z >> np.uint64(30))) * _MULTIPLIER_1
    z = (z ^ (z >> np.uint64(27))) * _MULTIPLIER_2
    return z ^ (z >> np.uint64(31))


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8, person=_PERSON).digest(),
                          "little")
