"""The replay invariant: a finished hand's log reproduces it.

- ``replay``: replaying a finished hand's actions from its snapshot (``sim.engine.replay``)
  re-derives the recorded events, dispatch by dispatch, and ends in the recorded final state.

It runs when a hand ended in the dispatch (``walk.hand_ended``).
"""

from __future__ import annotations

from sim.engine.replay import Replayer, state_difference
from sim.finding import Quoted
from sim.invariants.base import CheckContext, fail, invariant
from sim.invariants.walk import ended_records, hand_ended


@invariant("replay",
           "Replaying a finished hand's actions from its snapshot re-derives the recorded "
           "events, step by step, and the final state.",
           on=hand_ended)
def replay(ctx: CheckContext) -> None:
    records = ended_records(ctx) or ([ctx.ended] if ctx.ended is not None else [])
    for record in records:
        replayer = Replayer(record, keep_states=False)
        if replayer.mismatches:
            first = replayer.mismatches[0]
            # The engine's sentence (its template unknown) is quoted: its shape is guessed.
            raise fail("replay", "Replaying hand {hand} parted from the log at dispatch "
                                 "{step}: {mismatch}", hand=record.hand_no, step=first.step,
                       mismatch=Quoted(first.message))
        if not replayer.final_matches():
            raise fail("replay", "Replaying hand {hand}'s actions ends in a state that differs "
                                 "from the recorded final state in {difference}.",
                       hand=record.hand_no,
                       difference=state_difference(replayer.states[-1], record.final))

