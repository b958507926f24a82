"""A logged hand played again through the hand driver and compared, dispatch by dispatch,
with the table that played it: what the ``crash_restore`` and ``determinism`` faults
share. Nothing in memory is shared with the table but the record compared against.

    problem = rerun(snapshot, record.actions, record, live={3: state_after_dispatch_3})
    problem is None      # else a Message: what first differed, and where
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from sim.driver.drive import Driven, drive
from sim.driver.script import Resumed, Script
from sim.engine.actions import Action
from sim.engine.log import HandRecord
from sim.engine.replay import first_difference, state_difference
from sim.engine.seeds import derive_seed
from sim.engine.state import TableState
from sim.finding import Message, Quoted, shown

_MASK64: Final = (1 << 64) - 1
_LCG_MULTIPLIER: Final = 6364136223846793005  # Knuth's MMIX constants
_LCG_INCREMENT: Final = 1442695040888963407
_TWO_TO_MINUS_53: Final = 2.0 ** -53


class Draws:
    """A fault's draws about one hand: uniform numbers from a 64-bit linear congruential
    stream started at a seed derived from the hand's seed and the fault's name, so that a
    replay of the hand draws the same and no bot's draws are touched. Cheap enough for
    every dispatch (seeding a ``random.Random`` costs several microseconds)."""

    def __init__(self, record: HandRecord, label: str) -> None:
        self.state = derive_seed(record.snapshot.hand_seed, label)

    def random(self) -> float:
        """A number in [0, 1)."""
        self.state = (self.state * _LCG_MULTIPLIER + _LCG_INCREMENT) & _MASK64
        return (self.state >> 11) * _TWO_TO_MINUS_53  # the high bits: the good ones

    def below(self, count: int) -> int:
        """A whole number in 0..count-1."""
        assert count >= 1, count
        return min(int(self.random() * count), count - 1)


def rerun(snapshot: TableState, actions: Sequence[Action], record: HandRecord,
          live: Mapping[int, TableState] | None = None) -> Message | None:
    """Deal ``record``'s hand from ``snapshot`` on a fresh table (the driver, unchecked),
    dispatch ``actions`` (the hand's logged actions) and compare each dispatch's events
    with the record's, the state after dispatch i with ``live[i]`` where given, and the
    final state with the record's. Returns the first difference as a sentence, or None."""
    steps = record.steps
    assert len(actions) == len(steps) - 1, f"{len(actions)} actions for {len(steps)} steps"
    again = HandRecord(record.hand_no, snapshot, record.started)
    driven = drive(Script(Resumed(again), actions), checks=(), keep_states=True, keep=1)
    played = driven.hand(record.hand_no)
    replayed = played.steps if played is not None else []
    for step, ((_, events), (_, recorded)) in enumerate(zip(replayed, steps, strict=False)):
        if events != recorded:
            return Message("dispatch {step}: {difference}", step=step,
                           difference=Quoted(first_difference(events, recorded)))
        expected = live.get(step) if live else None
        if expected is not None and driven.states[step] != expected:
            return Message("after dispatch {step} the state differs from the table's: "
                           "{difference}", step=step,
                           difference=state_difference(driven.states[step], expected))
    stopped = _stopped(driven)
    if stopped is not None:
        return stopped
    final = record.final
    if final is not None and (played is None or played.final != final):
        mine = played.final if played is not None and played.final is not None else \
            driven.table.state
        return Message("the final state differs: {difference}",
                       difference=state_difference(mine, final))
    return None


def _stopped(driven: Driven) -> Message | None:
    """What ended the re-run before the hand did: a refused action, or a crash."""
    if driven.stopped is not None:
        stop = driven.stopped
        return Message("dispatch {step}: {action} was refused: {reason}", step=stop.index,
                       action=shown(stop.action), reason=Quoted(stop.reason))
    if driven.finding is not None:
        return Message("dispatch {step} raised: {finding}", step=driven.finding.dispatch,
                       finding=Quoted(driven.finding.message))
    return None
