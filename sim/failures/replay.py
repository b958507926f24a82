"""The one replayer: a case through the checked pipeline, every invariant after every
dispatch, stopping at the first finding; the states it went through, behind a cursor.

    >>> result = replay(from_dump(path).case)
    >>> result.reproduced, result.finding, result.cursor.goto(3)
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.engine import bugs
from sim.engine.actions import Action
from sim.engine.replay import Cursor
from sim.engine.state import TableState
from sim.failures.dump import Case
from sim.finding import Finding, FindingError
from sim.invariants.judge import judge
from sim.invariants.pipeline import CheckedTable


@dataclass(slots=True)
class Replay:
    """What a replay went through: a cursor over the state after each dispatch (0 is the
    start of the hand), the finding it stopped at (None: it replayed clean), and how many
    invariant checks ran."""

    cursor: Cursor
    finding: Finding | None
    checks: int

    @property
    def reproduced(self) -> bool:
        return self.finding is not None


def replay(case: Case) -> Replay:
    """Replay ``case`` with its planted bugs and invariant selection switched on (and the
    process's planted bugs put back afterwards)."""
    if case.record is None:
        raise ValueError("This dump holds no hand log (the table failed before its first "
                         "hand), so there is nothing to replay.")
    with bugs.planted(*case.planted):
        return _replay(case)


def _replay(case: Case) -> Replay:
    record = case.record
    assert record is not None
    snapshot = record.snapshot
    table = CheckedTable(snapshot.config, snapshot.table_seed, checks=case.invariants, keep=2,
                         keep_actions=False, table_id=case.table_id)
    states: list[TableState] = [snapshot]
    actions: list[Action | None] = [None]
    finding = None
    step = 0  # the dispatch being replayed
    try:
        table.resume(record, case.stop_at_hand_end)
        states[0] = table.state
        for action in case.actions:
            step += 1
            if judge(table.state, action):
                # Illegal by the rules, yet logged: a junk action a broken engine accepted.
                # Offered, as the chaos bot's was: an engine that rejects it is right, and
                # nothing after it can be replayed.
                if table.offer(action, junk=True) is None:
                    break
            else:
                table.dispatch(action)
            states.append(table.state)
            actions.append(action)
    except FindingError as error:
        finding = error.finding
        if table.state is not states[-1]:  # the dispatch committed; a check failed on it
            if step == 0:
                states[0] = table.state
            else:
                states.append(table.state)
                actions.append(case.actions[step - 1])
    return Replay(Cursor(states, actions), finding, table.checks_run)
