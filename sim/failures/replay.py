"""The one replayer: a case through the checked pipeline, every invariant after every
dispatch, stopping at the first finding; the states it went through, behind a cursor.

    >>> result = replay(from_dump(path).case)
    >>> result.reproduced, result.finding, result.cursor.goto(3)
"""

from __future__ import annotations

import traceback as tb
from dataclasses import dataclass

from sim.driver.hooks import Interrupt, TableHook
from sim.engine import bugs
from sim.engine.actions import Action
from sim.engine.log import HandRecord
from sim.engine.replay import Cursor
from sim.engine.state import TableState
from sim.failures.dump import Case
from sim.finding import Finding, FindingError
from sim.hooks.faults import replayed_hooks
from sim.invariants.base import CheckContext
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
    record: HandRecord | None = None  # the hand as replayed (to where it stopped)

    @property
    def reproduced(self) -> bool:
        return self.finding is not None


def replay(case: Case) -> Replay:
    """Replay ``case`` with its planted bugs, invariant selection and faults switched on
    (and the process's planted bugs put back afterwards)."""
    if case.record is None:
        raise ValueError("This dump holds no hand log (the table failed before its first "
                         "hand), so there is nothing to replay.")
    with bugs.planted(*case.planted):
        return _replay(case)


def _replay(case: Case) -> Replay:
    record = case.record
    assert record is not None
    snapshot = record.snapshot
    table = CheckedTable(snapshot.config, snapshot.table_seed, checks=case.invariants, keep=4,
                         keep_actions=False, table_id=case.table_id)
    hooks = replayed_hooks(case.faults)
    states: list[TableState] = [snapshot]
    actions: list[Action | None] = [None]
    finding = None
    step = 0  # the dispatch being replayed
    try:
        try:
            for hook in hooks:
                hook.table_started(case.table_id)
            finished = table.log.finished
            ctx = table.resume(record, case.stop_at_hand_end)
            states[0] = table.state
            _after(table, hooks, ctx, finished)
            for action in case.actions:
                step += 1
                finished = table.log.finished
                if judge(table.state, action):
                    # Illegal by the rules, yet logged: a junk action a broken engine
                    # accepted. Offered, as the chaos bot's was: an engine that rejects it
                    # is right, and nothing after it can be replayed.
                    offered = table.offer(action, junk=True)
                    if offered is None:
                        break
                    ctx = offered
                else:
                    ctx = table.dispatch(action)
                states.append(table.state)
                actions.append(action)
                _after(table, hooks, ctx, finished)
        finally:
            for hook in hooks:
                hook.table_ended(case.table_id)
    except FindingError as error:
        finding = error.finding
        if table.state is not states[-1]:  # the dispatch committed; a check failed on it
            if step == 0:
                states[0] = table.state
            else:
                states.append(table.state)
                actions.append(case.actions[step - 1])
    except Interrupt as stop:  # the dispatch was rolled back
        finding = table.found(stop.kind, stop.name, stop.message, tb.format_exc()).finding
    log = table.log
    hands = [*log.hands, *([log.current] if log.current is not None else [])]
    replayed = next((h for h in hands if h.hand_no == record.hand_no), None)
    return Replay(Cursor(states, actions), finding, table.checks_run, replayed)


def _after(table: CheckedTable, hooks: list[TableHook], ctx: CheckContext,
           finished: int) -> None:
    """Call the hooks after a dispatch, as the table player does: ``dispatched``, then
    ``hand_ended`` for each hand the dispatch finished."""
    if not hooks:
        return
    for hook in hooks:
        hook.dispatched(table, ctx)
    count = table.log.finished - finished
    for record in list(table.log.hands)[len(table.log.hands) - count:] if count else []:
        for hook in hooks:
            hook.hand_ended(table, record)
