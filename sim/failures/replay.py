"""The replayer: a case through the hand driver, every check and fault on, stopping at the
first finding or at a logged action the engine refuses; the states it went through,
behind a cursor.

    result = replay(load(path).case)
    result.finding, result.stopped, result.cursor.goto(3)
    judge_replay(load(path).finding, result)       # the verdict: see sim.failures.verdict
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from sim.driver.drive import Refused, Stopped, drive
from sim.engine.log import HandRecord
from sim.engine.replay import Cursor
from sim.failures.dump import Case
from sim.finding import Finding
from sim.hooks.faults import replayed_hooks
from sim.invariants.base import every_failure
from sim.planted import transfer
from sim.planted.child import call
from sim.planted.copy import carried, require


@dataclass(slots=True)
class Replay:
    """What a replay went through: a cursor over the state after each dispatch (0 is the
    start of the hand); the finding it stopped at, or the logged action the engine refused
    (``stopped``); how many invariant checks ran; the hand as replayed (to where it
    stopped); and how many logged actions it did not play (0: every one)."""

    case: Case
    cursor: Cursor
    finding: Finding | None
    stopped: Stopped | None
    checks: int
    record: HandRecord | None
    unplayed: int


def replay(case: Case) -> Replay:
    """Replay ``case`` with its invariant selection and faults, on the engine with its
    planted bugs: here when the running code carries them, else in their copy
    (``sim.planted``), whose result comes back. A logged action the rules forbid is
    offered as junk, as the chaos bot's was (``Refused.JUDGE``)."""
    if case.record is None:
        raise ValueError("This dump holds no hand log (the table failed before its first "
                         "hand), so there is nothing to replay.")
    if tuple(sorted(case.planted)) != carried():
        result: Replay = pickle.loads(call(case.planted, "sim.failures.replay:replayed_here",
                                           transfer.dumps(case)))
        return result
    driven = drive(case.script(), checks=case.invariants, hooks=replayed_hooks(case.faults),
                   refused=Refused.JUDGE, table_id=case.table_id, keep_states=True)
    return Replay(case, driven.cursor, driven.finding, driven.stopped, driven.table.checks_run,
                  driven.hand(case.hand_no), driven.unplayed)


def broken_together(case: Case) -> list[Finding]:
    """The finding ``case`` replays to, and every other check its failing dispatch breaks
    too: one bug's symptoms, whichever check a table happened to notice first (triage
    merges signatures by them). Empty when it replays without a finding."""
    require(case.planted)
    driven = drive(case.script(), checks=case.invariants, hooks=replayed_hooks(case.faults),
                   refused=Refused.JUDGE, table_id=case.table_id)
    table = driven.table
    if driven.finding is None:
        return []
    others = every_failure(table.failed, table.checks) if table.failed is not None else []
    return [driven.finding, *others]


def replayed_here(case: bytes) -> bytes:
    """``replay`` of a pickled case, pickled: what the copy carrying the case's planted
    bugs sends back (``sim.planted.child.call``). Pickled, not JSON: the case's states
    reach the copy as the caller read them, never read again by the copy's own code (a
    planted bug in reading a snapshot would otherwise meet the dump before the replay);
    by ``sim.planted.transfer``, which either build reads."""
    return transfer.dumps(replay(pickle.loads(case)))
