"""Fault ``crash_restore=RATE``: crash a table mid-hand and restore it from its log.

In a share RATE of hands (drawn from each hand's seed), the table is "crashed" after a
dispatch drawn from the hand's middle and rebuilt from what the log keeps of the hand
(its snapshot and its actions), written to JSON and read back, dealt again on a fresh
controller, with nothing carried over in memory. The rebuilt table must reach the
very state the live table had at the crash, and then the rest of the hand must give the
same events, dispatch by dispatch, and the same final state. Anything else is a finding
of invariant ``crash_restore``.

It runs when the hand ends: rebuilding after the fact is the same computation as
rebuilding at the crash, and it costs nothing in hands that are not drawn. The live states
of a drawn hand are kept by reference (committed states are never mutated).

    >>> hooks = [CrashRestore(rate=0.01)]
"""

from __future__ import annotations

import json

from sim.driver.hooks import TableHook
from sim.engine.actions import action_from_dict, action_to_dict
from sim.engine.log import HandRecord
from sim.engine.state import TableState
from sim.finding import Kind, Message
from sim.hooks.rerun import Draws, rerun
from sim.invariants.base import CheckContext
from sim.invariants.pipeline import CheckedTable

NAME = "crash_restore"


class CrashRestore(TableHook):
    def __init__(self, rate: float) -> None:
        assert 0 <= rate <= 1, rate
        self.rate = rate
        self.hand: HandRecord | None = None  # the hand of the last dispatch seen
        self.draws: Draws | None = None
        # For a drawn hand, the live state after each dispatch, by dispatch index.
        self.states: dict[int, TableState] | None = None

    def dispatched(self, table: CheckedTable, ctx: CheckContext) -> None:
        hand = table.base
        if hand is not self.hand:
            self.hand = hand
            self.states = None
            if hand is not None:
                self.draws = Draws(hand, NAME)
                if self.draws.random() < self.rate:
                    self.states = {}
        if self.states is not None:
            self.states[len(table.tail)] = ctx.state

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        states = self.states
        last = len(record.steps) - 1  # the dispatch that ended the hand
        if record is not self.hand or states is None or last < 2:
            return  # not drawn, or no dispatch between the deal and the end to crash after
        self.states = None
        assert self.draws is not None
        crash = 1 + self.draws.below(last - 1)
        assert crash in states, f"no live state kept for dispatch {crash}"
        snapshot = TableState.from_snapshot(json.loads(json.dumps(record.snapshot.snapshot())))
        logged = json.loads(json.dumps([action_to_dict(a) for a in record.actions]))
        actions = [action_from_dict(a) for a in logged]
        problem = rerun(snapshot, actions, record, {crash: states[crash]})
        if problem is not None:
            raise table.found(Kind.INVARIANT, NAME,
                              Message("hand {hand} crashed after dispatch {crash} of {last} and "
                                      "restored from its log: {problem}", hand=record.hand_no,
                                      crash=crash, last=last, problem=problem))
