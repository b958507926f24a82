"""The replay invariant: a finished hand's log reproduces it.

- ``replay``: replaying a finished hand's actions from its snapshot (``sim.engine.replay``)
  re-derives the recorded events, dispatch by dispatch, and ends in the recorded final state.

It runs when a hand ended in the dispatch (``walk.hand_ended``).
"""

from __future__ import annotations

from sim.engine.replay import Replayer
from sim.engine.state import FIELDS, TableState
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
                       difference=_state_difference(replayer.states[-1], record.final))


def _state_difference(mine: TableState, theirs: TableState | None) -> str:
    if theirs is None:
        return "everything: the record has no final state"
    names = [n for n in FIELDS if getattr(mine, n) != getattr(theirs, n)]
    return ", ".join(f"{n} ({getattr(mine, n)!r} vs {getattr(theirs, n)!r})"
                     for n in names[:3]) or "nothing"
