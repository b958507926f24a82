"""Reproducing a dumped failure: replay the hand through a real controller, checking every
invariant after every dispatch, and stop where it breaks.

    >>> result = reproduce(load(Path("runs/x/failures/table000003-hand00012-pot_consistency.json")))
    >>> result.reproduced, result.step, result.message
"""

from __future__ import annotations

import traceback as tb
from dataclasses import dataclass, field

from sim.engine import Controller, IllegalAction, bugs
from sim.engine import actions as ac
from sim.engine.animation import Animator
from sim.engine.log import TableLog
from sim.engine.state import TableState
from sim.failures import Failure
from sim.invariants.base import CheckContext, InvariantViolation, run_all, select
from sim.invariants.driver import context


@dataclass(slots=True)
class Reproduction:
    """The outcome of a replay: the states after each dispatch and where it broke, if it did."""

    states: list[TableState] = field(default_factory=list)
    actions: list[ac.Action | None] = field(default_factory=list)
    reproduced: bool = False
    step: int | None = None  # the failing dispatch (0 is the start of the hand)
    invariant: str | None = None
    message: str = ""
    trace: str = ""
    checks: int = 0


def reproduce(failure: Failure, stop_at_hand_end: bool = False) -> Reproduction:
    """Replay ``failure``'s actions from its hand's snapshot, with its planted bugs and
    invariant selection switched on. The table goes on past the end of the hand (into the
    next hand's start) unless ``stop_at_hand_end``."""
    if failure.record is None:
        raise ValueError("This dump holds no hand log (the table failed before its first "
                         "hand), so there is nothing to replay.")
    previous = bugs.enabled()
    bugs.enable(failure.planted)
    try:
        return _replay(failure, stop_at_hand_end)
    finally:
        bugs.enable(previous)


def _replay(failure: Failure, stop_at_hand_end: bool) -> Reproduction:
    record = failure.record
    assert record is not None
    checks = select(failure.invariants)
    log, animator = TableLog(keep=2, keep_actions=False), Animator(keep=1)
    log.resume(record)
    out = Reproduction()
    start = record.snapshot
    try:
        controller = Controller.resume(start, [log, animator], stop_at_hand_end)
    except Exception as error:  # noqa: BLE001
        return _broke(out, 0, "engine_exception", repr(error), tb.format_exc())
    out.states.append(controller.state)
    out.actions.append(None)
    if _checked(out, 0, CheckContext(controller, start, controller.state, None,
                                     log.current.steps[0][1] if log.current else [], log,
                                     animator, log.last_hand if log.finished else None), checks):
        return out
    for index, action in enumerate(failure.actions, start=1):
        before, finished = controller.state, log.finished
        try:
            events = controller.dispatch(action)
        except IllegalAction as error:
            return _broke(out, index, "legal_action_rejected", f"{action!r}: {error}", "")
        except Exception as error:  # noqa: BLE001
            return _broke(out, index, "engine_exception", f"dispatching {action!r} raised "
                          f"{error!r}", tb.format_exc())
        out.states.append(controller.state)
        out.actions.append(action)
        ctx = context(controller, before, action, events, log, animator, finished)
        if _checked(out, index, ctx, checks):
            return out
    return out


def _checked(out: Reproduction, index: int, ctx: CheckContext, checks: list) -> bool:
    try:
        out.checks += run_all(ctx, checks)
    except InvariantViolation as violation:
        _broke(out, index, violation.name, violation.message, tb.format_exc())
        return True
    return False


def _broke(out: Reproduction, index: int, name: str, message: str, trace: str) -> Reproduction:
    out.reproduced = True
    out.step = index
    out.invariant = name
    out.message = message
    out.trace = trace
    return out
