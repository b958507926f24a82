"""Replaying a hand from its log, forwards and backwards.

A hand record holds the table snapshot taken right after ``HandStarted`` and the actions
dispatched during the hand. ``Replayer`` rebuilds the state after every dispatch by
re-deriving the events from the actions (the log is the actions; the events are derived)
and checks that they are the events that were recorded. ``Cursor`` steps through the
states of a replayed hand, forwards and backwards; it is the one stepper, used by
``Replayer``, by the harness's checked replay (``sim.failures.replay``) and by
``sim replay --step``.

    >>> from sim.engine import Controller, TableConfig
    >>> from sim.engine.actions import Call, Fold
    >>> from sim.engine.log import TableLog
    >>> log = TableLog(keep=4)
    >>> table = Controller(TableConfig(seats=2), seed=1,
    ...                    players={0: ("ann", 100), 1: ("bob", 100)}, subscribers=[log])
    >>> events = table.dispatch(Call(seat=0)), table.dispatch(Fold(seat=1))
    >>> cursor = Replayer(log.last_hand).cursor
    >>> cursor.goto(1)                    # the state after dispatch 1
    <TableState hand 1 betting to_act=1>
    >>> print(cursor.describe().splitlines()[0])
    --- after dispatch 1/2: Call(seat=0)
    >>> cursor.back(), cursor.position
    (<TableState hand 1 betting to_act=0>, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.engine import rules
from sim.engine.actions import Action
from sim.engine.apply import apply
from sim.engine.dealer import advance
from sim.engine.events import Event
from sim.engine.log import HandRecord
from sim.engine.state import FIELDS, TableState


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Where a replay parted from the record."""

    step: int  # dispatch index: 0 is the automatic start of the hand
    message: str


class Cursor:
    """A position in a replayed hand: ``states[i]`` is the state after dispatch i (0: the
    hand's automatic start) and ``actions[i]`` its action (None for dispatch 0)."""

    def __init__(self, states: list[TableState], actions: list[Action | None]) -> None:
        assert states, "a cursor needs at least the state after dispatch 0"
        assert len(actions) == len(states), f"{len(actions)} actions for {len(states)} states"
        self.states = states
        self.actions = actions
        self.position = len(states) - 1

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by its fields (a compiled class's own pickling would need its __init__'s
        # arguments): a replay crosses between processes, and between builds.
        return _cursor_at, (self.states, self.actions, self.position)

    @property
    def state(self) -> TableState:
        return self.states[self.position]

    @property
    def last(self) -> int:
        return len(self.states) - 1

    def goto(self, position: int) -> TableState:
        if not 0 <= position <= self.last:
            raise ValueError(f"Dispatch {position} does not exist; this hand has dispatches "
                             f"0 to {self.last}.")
        self.position = position
        return self.state

    def forward(self) -> TableState:
        return self.goto(min(self.position + 1, self.last))

    def back(self) -> TableState:
        return self.goto(max(self.position - 1, 0))

    def describe(self) -> str:
        action = self.actions[self.position]
        head = f"--- after dispatch {self.position}/{self.last}: " + (
            "start of hand" if action is None else repr(action))
        return head + "\n" + self.state.describe()


class Replayer:
    """Rebuild a hand dispatch by dispatch. ``states[i]`` is the state after dispatch i
    (0: after posting and dealing). Re-derivation errors are kept in ``mismatches``;
    ``cursor`` steps through the states."""

    def __init__(self, record: HandRecord, keep_states: bool = True) -> None:
        """``keep_states=False`` keeps only the final state (a check at every hand's end
        needs nothing else, and copying each step's state is most of the cost)."""
        self.record = record
        self.states: list[TableState] = []
        self.events: list[list[Event]] = []
        self.mismatches: list[Mismatch] = []
        self._rebuild(keep_states)

    def _rebuild(self, keep_states: bool) -> None:
        state = self.record.snapshot.copy()
        steps = self.record.steps
        for index, (action, recorded) in enumerate(steps):
            if index == 0:
                derived = rules.run(state, advance(state, stop_at_hand_end=True))
            else:
                try:
                    rules.verify(state, action)
                except rules.IllegalAction as error:
                    self.mismatches.append(Mismatch(index, f"{action} was rejected: {error}"))
                    break
                derived = rules.run(state, rules.derive(state, action, stop_at_hand_end=True))
            if keep_states:
                self.states.append(state.copy())
            self.events.append(derived)
            if derived != recorded:
                self.mismatches.append(Mismatch(index, first_difference(derived, recorded)))
        if not keep_states:
            self.states.append(state)

    @property
    def cursor(self) -> Cursor:
        """A cursor over the rebuilt states, at the last one (needs ``keep_states``)."""
        assert len(self.states) == len(self.events), "keep_states=False kept no states to step"
        return Cursor(self.states, [action for action, _ in self.record.steps][:len(self.states)])

    # -- checks -----------------------------------------------------------------------------
    def final_matches(self) -> bool:
        return self.record.final is not None and self.states[-1] == self.record.final


def apply_recorded(record: HandRecord) -> TableState:
    """The other replay: apply the recorded events (not the actions) to the snapshot."""
    state = record.snapshot.copy()
    for event in record.events[1:]:  # the snapshot already includes HandStarted
        apply(state, event)
    return state


def first_difference(derived: list[Event], recorded: list[Event]) -> str:
    for index, (mine, theirs) in enumerate(zip(derived, recorded, strict=False)):
        if mine != theirs:
            return f"event {index}: replay derived {mine}, the log has {theirs}"
    return (f"replay derived {len(derived)} events, the log has {len(recorded)}: "
            f"{derived[len(recorded):] or recorded[len(derived):]}")


def state_difference(mine: TableState, theirs: TableState | None, most: int = 3) -> str:
    """The fields in which two states differ, the first ``most`` of them, each as
    ``name (mine vs theirs)``; 'nothing' when none does."""
    if theirs is None:
        return "everything: there is no state to compare with"
    names = [name for name in FIELDS if getattr(mine, name) != getattr(theirs, name)]
    return ", ".join(f"{name} ({getattr(mine, name)!r} vs {getattr(theirs, name)!r})"
                     for name in names[:most]) or "nothing"


def _cursor_at(states: list[TableState], actions: list[Action | None], position: int) -> Cursor:
    """A cursor at ``position`` (how a pickled one is read back)."""
    cursor = Cursor(states, actions)
    cursor.position = position
    return cursor
