"""Fault ``determinism=N``: one hand in N is dealt and played again from its seed.

For a hand drawn from its own seed (one in N), the hand's seed is derived again from the
table's seed and the hand number, its deck shuffled again from that seed, both compared
with what was dealt; then the hand is played again from its snapshot with that deck on a
fresh controller and compared with the record event by event, and its final state too.
Anything else is a finding of invariant ``determinism``: the same seed must give the same
hand, in any process, at any time.

    >>> hooks = [Determinism(every=1000)]
"""

from __future__ import annotations

from sim.driver.hooks import TableHook
from sim.engine import dealer
from sim.engine.cards import card_to_str
from sim.engine.log import HandRecord
from sim.finding import Kind, Message
from sim.hooks.rerun import Draws, rerun
from sim.invariants.pipeline import CheckedTable

NAME = "determinism"


class Determinism(TableHook):
    def __init__(self, every: int) -> None:
        assert every >= 1, every
        self.every = every

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        if Draws(record, NAME).below(self.every):
            return
        problem = _dealt_again(record)
        if problem is not None:
            raise table.found(Kind.INVARIANT, NAME,
                              Message("hand {hand} played again from its seed: {problem}",
                                      hand=record.hand_no, problem=problem))


def _dealt_again(record: HandRecord) -> Message | None:
    snapshot = record.snapshot
    seed = dealer.hand_seed(snapshot.table_seed, snapshot.hand_no)
    if seed != snapshot.hand_seed:
        return Message("its seed derives to {seed} from table seed {table_seed}, but it was "
                       "dealt with seed {dealt}", seed=seed, table_seed=snapshot.table_seed,
                       dealt=snapshot.hand_seed)
    deck = dealer.deck_for(seed)
    if deck != snapshot.deck:
        at = next(i for i, (a, b) in enumerate(zip(deck, snapshot.deck, strict=True)) if a != b)
        return Message("seed {seed} shuffles to a deck with {card} at position {at}, but the "
                       "hand was dealt {dealt} there", seed=seed, card=card_to_str(deck[at]),
                       at=at, dealt=card_to_str(snapshot.deck[at]))
    again = snapshot.copy()
    again.deck = deck
    return rerun(again, record.actions, record)
