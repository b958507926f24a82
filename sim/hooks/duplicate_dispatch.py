"""Fault ``duplicate_dispatch=RATE``: send actions again that were already applied.

After a share RATE of in-turn dispatches (fold, check, call, bet, raise, time-out; drawn
from the hand's seed), the action just applied is sent again, as a network retry would,
and so is an action of an earlier turn of the same hand (or, when that dispatch ended
the hand, of the hand before the one now dealt): a stale message. Each must be refused
with ``IllegalAction`` and change nothing; anything else is a finding of invariant
``duplicate_dispatch``.

Actions carry no turn number, so when it is that seat's turn again (heads-up, the big
blind checks preflop and acts first on the flop) a repeat is a legal new decision and is
not sent. The repeat is only verified (``Controller.verify``, where every dispatch
starts), never dispatched: an engine that wrongly accepts it cannot corrupt the table.

    >>> hooks = [DuplicateDispatch(rate=0.01)]
"""

from __future__ import annotations

from typing import Any

from sim.driver.hooks import TableHook
from sim.engine.actions import BETTING_CLASSES
from sim.engine.errors import IllegalAction
from sim.engine.log import HandRecord
from sim.engine.replay import state_difference
from sim.finding import Kind, Message, shown
from sim.hooks.rerun import Draws
from sim.invariants.base import CheckContext
from sim.invariants.pipeline import CheckedTable

NAME = "duplicate_dispatch"


class DuplicateDispatch(TableHook):
    def __init__(self, rate: float) -> None:
        assert 0 <= rate <= 1, rate
        self.rate = rate
        self.hand: HandRecord | None = None
        self.draws: Draws | None = None

    def dispatched(self, table: CheckedTable, ctx: CheckContext) -> None:
        action = ctx.action
        hand = table.base
        if action is None or hand is None or type(action) not in BETTING_CLASSES:
            return
        draws = self.draws
        if hand is not self.hand or draws is None:
            self.hand = hand
            self.draws = draws = Draws(hand, NAME)
        if draws.random() >= self.rate:
            return
        _refused(table, action, "sent again right after it was applied")
        earlier = [a for a in table.tail[:-1] if type(a) in BETTING_CLASSES]
        if earlier:
            stale = earlier[draws.below(len(earlier))]
            when = ("an earlier turn" if table.state.hand_no == hand.hand_no
                    else f"hand {hand.hand_no}")
            _refused(table, stale, f"sent again from {when}")


def _refused(table: CheckedTable, action: Any, what: str) -> None:
    """``action`` must be refused by the engine, changing nothing (unless it is that
    seat's turn now: then it is a new decision). Only verified, never dispatched: the
    controller's dispatch starts with the same verification, and an action it would
    wrongly accept never reaches the table."""
    state = table.state
    if state.to_act == action.seat:
        return
    saved = state.copy()
    try:
        table.controller.verify(action)
    except IllegalAction:
        if table.state is not state or state != saved:
            changed = state_difference(table.state, saved)
            raise table.found(Kind.INVARIANT, NAME, Message(
                "{action} {what} was refused but changed the state: {changed}",
                action=shown(action), what=what, changed=changed)) from None
        return
    except Exception as error:  # noqa: BLE001 - any crash is a finding
        raise table.found(Kind.INVARIANT, NAME, Message(
            "{action} {what} raised {error} instead of being refused", action=shown(action),
            what=what, error=repr(error))) from error
    turn = "no one's" if state.to_act is None else f"seat {state.to_act}'s"
    raise table.found(Kind.INVARIANT, NAME, Message(
        "{action} {what} was accepted; it is {turn} turn", action=shown(action), what=what,
        turn=turn))
