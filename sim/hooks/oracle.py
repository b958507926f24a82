"""The PokerKit oracle as a table hook: ``sim run --oracle pokerkit[=RATE]``.

One finished hand in RATE (drawn from the table's seed, so the same hands every run) is
replayed in PokerKit and compared (``sim.outside.pokerkit_oracle``). A difference that no
named mask explains stops the table with a finding of invariant ``oracle``; the hands
compared and the masks hit are counted (the store's ``counters`` table).

    play_table(spec, 200, settings, hooks=[OracleSample(every=100, table_seed=spec.seed)])
"""

from __future__ import annotations

from sim.driver.hooks import TableHook
from sim.engine.log import HandRecord
from sim.engine.seeds import derive_seed
from sim.finding import Kind, Message, Quoted
from sim.invariants.pipeline import CheckedTable
from sim.outside.pokerkit_oracle import OracleTally, compare_hand, require_pokerkit


class OracleSample(TableHook):
    def __init__(self, every: int, table_seed: int) -> None:
        assert every >= 1, every
        require_pokerkit()  # fail at once, with the line that says how to install it
        self.every = every
        self.table_seed = table_seed
        self.tally = OracleTally()

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        if self.every > 1 and derive_seed(self.table_seed, "oracle", record.hand_no) % self.every:
            return
        report = compare_hand(record)
        self.tally.add(report)
        if report.differences:
            raise table.found(Kind.INVARIANT, "oracle",
                              Message("PokerKit disagrees on hand {hand}: {difference}",
                                      hand=record.hand_no,
                                      difference=Quoted(report.differences[0])))

    def counts(self) -> dict[str, int]:
        tally = self.tally
        return {"oracle_hands": tally.hands, "oracle_decisions": tally.decisions,
                **{f"oracle_mask:{name}": count for name, count in tally.masks.items()}}
