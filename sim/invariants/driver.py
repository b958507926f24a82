"""Dispatch and check: the loop every harness runs, in one place.

``check_dispatch`` dispatches one action, builds the CheckContext, runs the checks and
counts coverage. ``CheckedTable`` bundles a controller with the subscribers the checks
read (a TableLog and an Animator) and checks the table's opening too.

    >>> table = CheckedTable(TableConfig(seats=3), seed=7,
    ...                      players={0: ("ann", 200), 1: ("bob", 200), 2: ("cy", 200)})
    >>> ctx = table.dispatch(Call(seat=table.state.to_act))   # raises InvariantViolation
    >>> table.coverage.missing()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sim.engine import actions as ac
from sim.engine import events as ev
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.handsetup import HandSetup
from sim.engine.log import TableLog
from sim.engine.state import TableConfig, TableState
from sim.invariants.base import Check, CheckContext, run_all, select
from sim.invariants.coverage import Coverage


def context(controller: Controller, before: TableState, action: ac.Action | None,
            events: list[ev.Event], log: TableLog, animator: Animator,
            finished_before: int) -> CheckContext:
    """The CheckContext of a dispatch that just committed. ``finished_before`` is
    ``log.finished`` from before the dispatch: ``ended`` is set when it grew."""
    ended = log.last_hand if log.finished != finished_before else None
    return CheckContext(controller, before, controller.state, action, events, log, animator,
                        ended)


def check_dispatch(controller: Controller, log: TableLog, animator: Animator, action: Any,
                   checks: list[tuple[str, Check]], coverage: Coverage | None = None
                   ) -> CheckContext:
    """Dispatch ``action`` and run ``checks`` (see ``base.select``) on the result.

    An illegal action raises IllegalAction from the controller and nothing is checked (the
    state is unchanged); a broken invariant raises InvariantViolation. ``log`` and
    ``animator`` must be subscribers of ``controller``.
    """
    before, finished = controller.state, log.finished
    events = controller.dispatch(action)
    return _checked(context(controller, before, action, events, log, animator, finished),
                    checks, coverage)


def check_opening(controller: Controller, log: TableLog, animator: Animator,
                  players: Mapping[int, tuple[str, int]], checks: list[tuple[str, Check]],
                  coverage: Coverage | None = None) -> CheckContext:
    """Seat the opening ``players`` on a controller built without them, and check that."""
    before, finished = controller.state, log.finished
    events = controller.open(players)
    return _checked(context(controller, before, None, events, log, animator, finished),
                    checks, coverage)


def _checked(ctx: CheckContext, checks: list[tuple[str, Check]],
             coverage: Coverage | None) -> CheckContext:
    run_all(ctx, checks)
    if coverage is not None:
        coverage.observe(ctx)
    return ctx


class CheckedTable:
    """A table whose every dispatch, the opening included, is checked.

    ``checks`` names the invariants to run (None: all). ``keep`` bounds the hands the log
    keeps in memory. ``setups`` and ``stop_at_hand_end`` deal given hands (see
    ``sim.engine.Controller``).
    """

    def __init__(self, config: TableConfig, seed: int,
                 players: Mapping[int, tuple[str, int]] | None = None,
                 checks: Iterable[str] | None = None, keep: int = 8,
                 setups: Mapping[int, HandSetup] | None = None,
                 stop_at_hand_end: bool = False) -> None:
        self.log = TableLog(keep=keep)
        self.animator = Animator(keep=2)
        self.controller = Controller(config, seed, subscribers=[self.log, self.animator],
                                     setups=setups, stop_at_hand_end=stop_at_hand_end)
        self.checks = select(checks)
        self.coverage = Coverage()
        self.dispatches = 0
        self.last: CheckContext | None = None
        if players:
            self.open(players)

    @property
    def state(self) -> TableState:
        return self.controller.state

    def open(self, players: Mapping[int, tuple[str, int]]) -> CheckContext:
        self.last = check_opening(self.controller, self.log, self.animator, players,
                                  self.checks, self.coverage)
        return self.last

    def dispatch(self, action: Any) -> CheckContext:
        self.last = check_dispatch(self.controller, self.log, self.animator, action,
                                   self.checks, self.coverage)
        self.dispatches += 1
        return self.last
