"""A logged hand played again on a fresh controller and compared, dispatch by dispatch,
with the table that played it: what the ``crash_restore`` and ``determinism`` faults
share. Nothing in memory is shared with the table but the record compared against.

    >>> problem = rerun(snapshot, record.actions, record, live={3: state_after_dispatch_3})
    >>> problem is None      # else a Message: what first differed, and where
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from sim.engine.actions import Action
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.log import HandRecord
from sim.engine.replay import first_difference
from sim.engine.seeds import derive_seed
from sim.engine.state import FIELDS, TableState
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
    """Deal ``record``'s hand from ``snapshot`` on a fresh controller, dispatch ``actions``
    (the hand's logged actions) and compare each dispatch's events with the record's, the
    state after dispatch i with ``live[i]`` where given, and the final state with the
    record's. Returns the first difference as a sentence (a ``Message``), or None."""
    steps = record.steps
    assert len(actions) == len(steps) - 1, f"{len(actions)} actions for {len(steps)} steps"
    controller = Controller(snapshot.config, snapshot.table_seed)
    step = 0
    try:
        events = controller.replay_from(snapshot, stop_at_hand_end=True)
        for step, (_, recorded) in enumerate(steps):
            if step:
                events = controller.dispatch(actions[step - 1])
            if events != recorded:  # the engine's sentence, its template unknown: quoted
                return Message("dispatch {step}: {difference}", step=step,
                               difference=Quoted(first_difference(events, recorded)))
            expected = live.get(step) if live else None
            if expected is not None and controller.state != expected:
                return Message("after dispatch {step} the state differs from the table's: "
                               "{difference}", step=step,
                               difference=state_difference(controller.state, expected))
    except IllegalAction as error:
        return Message("dispatch {step}: {action} was refused: {error}", step=step,
                       action=shown(actions[step - 1]), error=Quoted(error))
    except Exception as error:  # noqa: BLE001 - a crash is what differed
        return Message("dispatch {step} raised {error}", step=step, error=repr(error))
    final = record.final
    if final is not None and controller.state != final:
        return Message("the final state differs: {difference}",
                       difference=state_difference(controller.state, final))
    return None


def state_difference(mine: TableState, theirs: TableState) -> str:
    """The first field in which two states differ, as ``name is X, the table's is Y``."""
    for name in FIELDS:
        value, expected = getattr(mine, name), getattr(theirs, name)
        if value != expected:
            return f"{name} is {value!r}, the table's is {expected!r}"
    return "no field differs"
