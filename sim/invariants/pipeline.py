"""The checked pipeline: the one place that dispatches and checks.

Every dispatch of a checked table goes through ``CheckedTable``: the table's opening, a
hand replayed from its snapshot, a bot's action, a logged action replayed from a dump or
from the store. It dispatches, builds the ``CheckContext``, runs the selected invariants,
counts coverage, and turns anything that goes wrong into one ``Finding`` (raised as a
``FindingError``) that says where: table, hand, dispatch, traceback.

    >>> from sim.engine.actions import Call, Check
    >>> from sim.engine.state import TableConfig
    >>> table = CheckedTable(TableConfig(seats=3), seed=7,
    ...                      players={0: ("ann", 200), 1: ("bob", 200), 2: ("cy", 200)})
    >>> ctx = table.dispatch(Call(seat=table.state.to_act))   # may raise FindingError
    >>> table.offer(Check(seat=99)), table.rejected   # untrusted: None when rejected
    (None, 1)

``dispatch`` is for actions that must be accepted (a bot's pick from the legal actions, a
logged action); ``offer`` for actions that may be junk (the chaos bot's): a rejection
must change nothing, and is counted.
"""

from __future__ import annotations

import traceback as tb
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from sim.engine import actions as ac
from sim.engine.animation import Animator
from sim.engine.controller import Controller
from sim.engine.errors import IllegalAction
from sim.engine.events import Event
from sim.engine.handsetup import HandSetup
from sim.engine.log import HandRecord, TableLog
from sim.engine.state import TableConfig, TableState
from sim.engine.subscriber import Subscriber
from sim.finding import Finding, FindingError, Kind, Message, Quoted, shown
from sim.invariants.base import CheckContext, fail, needs_frames, run_all, select
from sim.invariants.coverage import Coverage
from sim.invariants.judge import ACCEPTED_ILLEGAL, judge

# Told of every dispatch, with the table and the action (None: a hand's automatic start),
# just before it runs: ``sim.failures.guard`` journals them in its child process, so a
# dispatch that never returns is known there. Mutated in place, never rebound: empty, it
# costs one truth test a dispatch.
JOURNAL: Final[list[Callable[[Any, Any], None]]] = []


class CheckedTable:
    """A table whose every dispatch, the opening included, is checked.

    ``checks`` names the invariants to run (None: all; an empty list: none, for rebuilding
    a table quickly); the animator records frames only when one of them reads them.
    ``keep`` bounds the finished hands the log keeps in memory; ``keep_actions`` keeps the
    table's whole action history in the log. ``subscribers`` join the log and the animator
    (the store's rows, for instance). ``table_id`` is only
    written into findings. ``setups`` and ``stop_at_hand_end`` deal given hands (see
    ``sim.engine.Controller``).
    """

    def __init__(self, config: TableConfig, seed: int,
                 players: Mapping[int, tuple[str, int]] | None = None,
                 checks: Iterable[str] | None = None, keep: int = 8, keep_actions: bool = True,
                 subscribers: Iterable[Subscriber] = (), table_id: int | None = None,
                 setups: Mapping[int, HandSetup] | None = None,
                 stop_at_hand_end: bool = False) -> None:
        self.log = TableLog(keep=keep, keep_actions=keep_actions)
        self.checks = select(checks)
        # The animator records frames only for checks that read them; with none, it stays
        # empty and the bots' views are built from the state (the same views).
        self.animator = Animator(keep=1)
        animations = [self.animator] if needs_frames(self.checks) else []
        self.controller = Controller(config, seed,
                                     subscribers=[self.log, *animations, *subscribers],
                                     setups=setups, stop_at_hand_end=stop_at_hand_end)
        self.coverage = Coverage()
        self.table_id = table_id
        self.dispatches = 0  # dispatches that committed and were checked
        self.checks_run = 0
        self.rejected = 0  # untrusted actions rightly rejected
        self.last: CheckContext | None = None
        self.failed: CheckContext | None = None  # the dispatch whose checks failed
        # What a dump replays: the hand running when the last dispatch began, and every
        # action dispatched since its snapshot (the failing one included).
        self.base: HandRecord | None = None
        self.tail: list[Any] = []
        if players:
            self.open(players)

    @property
    def state(self) -> TableState:
        return self.controller.state

    # -- the three ways in --------------------------------------------------------------------
    def open(self, players: Mapping[int, tuple[str, int]]) -> CheckContext:
        """Seat the opening ``players`` at once and deal the first hand (action None)."""
        before, finished = self.controller.state, self.log.finished
        if JOURNAL:
            JOURNAL[0](self, None)
        try:
            events = self.controller.open(players)
        except Exception as error:  # noqa: BLE001 - any crash is a finding
            raise self.found(Kind.ENGINE_EXCEPTION, "engine_exception",
                             Message("opening the table raised {error}", error=repr(error)),
                             tb.format_exc()) from error
        # A dump of a finding here replays the first hand, which may have ended (blinds
        # that put everyone all-in) and been followed by the next in this same dispatch.
        log = self.log
        self.base = log.hands[0] if log.finished else log.current
        self.tail = []
        return self._checked(before, None, events, finished)

    def resume(self, record: HandRecord, stop_at_hand_end: bool = True) -> CheckContext:
        """Replay ``record``'s hand from its snapshot on this fresh table: dispatch 0 posts
        and deals from the recorded deck. With ``stop_at_hand_end`` the table stops when
        the hand ends instead of dealing the next one."""
        self.log.resume(record)
        self.base, self.tail = self.log.current, []
        finished = self.log.finished
        if JOURNAL:
            JOURNAL[0](self, None)
        try:
            events = self.controller.replay_from(record.snapshot, stop_at_hand_end)
        except Exception as error:  # noqa: BLE001
            raise self.found(Kind.ENGINE_EXCEPTION, "engine_exception",
                             Message("dealing the hand from its snapshot raised {error}",
                                     error=repr(error)), tb.format_exc()) from error
        return self._checked(record.snapshot, None, events, finished)

    def dispatch(self, action: Any, chosen_by: object = None) -> CheckContext:
        """Dispatch an action that must be accepted, and check the result. A refusal is a
        finding (``legal_action_rejected``); so is any exception the engine raises."""
        controller = self.controller
        before, finished = controller.state, self.log.finished
        self._track()
        self.tail.append(action)  # first: a dispatch that never returns is in the dump too
        if JOURNAL:
            JOURNAL[0](self, action)
        try:
            events = controller.dispatch(action)
        except IllegalAction as error:
            who = f"{chosen_by!r} chose " if chosen_by is not None else ""
            raise self.found(Kind.LEGAL_ACTION_REFUSED, "legal_action_rejected",
                             Message("{who}{action}, which the engine rejected: {error}",
                                     who=who, action=shown(action), error=Quoted(error))
                             ) from error
        except Exception as error:  # noqa: BLE001 - any crash is a finding
            raise self.found(Kind.ENGINE_EXCEPTION, "engine_exception",
                             Message("dispatching {action} raised {error}",
                                     action=shown(action), error=repr(error)),
                             tb.format_exc()) from error
        return self._checked(before, action, events, finished)

    def offer(self, action: Any, junk: bool = False) -> CheckContext | None:
        """Dispatch an untrusted action (possibly junk). Rejected, it must leave the state,
        the log and the animations as they were, and be illegal by the independent judge
        (``sim.invariants.judge``); then it is counted and None returned. ``junk`` says it
        was built to be illegal (the chaos bot's junk): accepted, it is a finding at once."""
        controller = self.controller
        before, finished = controller.state, self.log.finished
        saved = before.copy()
        marks = self._marks()
        self._track()
        self.tail.append(action)
        if JOURNAL:
            JOURNAL[0](self, action)
        try:
            events = controller.dispatch(action)
        except IllegalAction as error:
            self.tail.pop()  # rejected: not part of what a replay dispatches
            self._check_rejection(action, before, saved, marks, str(error))
            return None
        except Exception as error:  # noqa: BLE001
            raise self.found(Kind.ENGINE_EXCEPTION, "engine_exception",
                             Message("dispatching {action} raised {error}",
                                     action=shown(action), error=repr(error)),
                             tb.format_exc()) from error
        if junk:
            try:
                _junk_accepted(before, action)
            except FindingError as junk_found:  # not ``error``: compiled, names keep a type
                raise FindingError(self._located(junk_found.finding,
                                                 tb.format_exc())) from junk_found
        return self._checked(before, action, events, finished)

    # -- findings -----------------------------------------------------------------------------
    def found(self, kind: Kind, name: str, message: Message, trace: str = "") -> FindingError:
        """A finding located at the current dispatch: ``raise table.found(...)``."""
        return FindingError(self._located(Finding.of(kind, name, message), trace))

    def _located(self, finding: Finding, trace: str) -> Finding:
        base = self.base if self.base is not None else self.log.current
        return finding.at(table_id=self.table_id,
                          hand_no=base.hand_no if base is not None else None,
                          dispatch=len(self.tail) if self.base is not None else 0, trace=trace)

    # -- internals ----------------------------------------------------------------------------
    def _track(self) -> None:
        """A new hand started since the last dispatch: the dump's actions start again."""
        if self.log.current is not self.base:
            self.base, self.tail = self.log.current, []

    def _marks(self) -> tuple[int, int, int]:
        current = self.log.current
        return (len(self.animator.frames), self.log.finished,
                len(current.steps) if current is not None else 0)

    def _check_rejection(self, action: Any, before: TableState, saved: TableState,
                         marks: tuple[int, int, int], error: str) -> None:
        if not judge(before, action):
            self.tail.append(action)
            raise self.found(Kind.LEGAL_ACTION_REFUSED, "legal_action_rejected",
                             Message("{action} is legal by the independent judge, but the "
                                     "engine rejected it: {error}", action=shown(action),
                                     error=Quoted(error)))
        after = self.controller.state
        if after is not before or after != saved:
            raise self.found(Kind.INVARIANT, "rejection_changed_state",
                             Message("{action} was rejected but the table state changed",
                                     action=shown(action)))
        if marks != self._marks():
            raise self.found(Kind.INVARIANT, "rejection_changed_log",
                             Message("{action} was rejected but the log or animations grew",
                                     action=shown(action)))
        self.rejected += 1
        self.coverage.chaos_rejected()

    def _checked(self, before: TableState, action: ac.Action | None, events: list[Event],
                 finished_before: int) -> CheckContext:
        log = self.log
        ended = log.last_hand if log.finished != finished_before else None
        ctx = CheckContext(self.controller, before, self.controller.state, action, events, log,
                           self.animator, ended)
        self.dispatches += 1
        try:
            self.checks_run += run_all(ctx, self.checks)
        except FindingError as error:
            self.failed = ctx  # what every_failure() reads, to tell what else broke here
            raise FindingError(self._located(error.finding, tb.format_exc())) from error
        except Exception as error:  # noqa: BLE001 - a crashing check is a finding too
            raise self.found(Kind.CHECK_EXCEPTION, "invariant_crashed",
                             Message("an invariant raised {error}", error=repr(error)),
                             tb.format_exc()) from error
        self.coverage.observe(ctx)
        self.last = ctx
        return ctx


def _junk_accepted(before: TableState, action: Any) -> None:
    """The engine accepted junk: an ``action_legal`` finding at once, whatever the checks,
    in ``action_legal``'s own words (one bug, one signature, whoever sent the action)."""
    why = judge(before, action) or Message("the judge finds it legal: the junk maker erred")
    raise fail("action_legal", ACCEPTED_ILLEGAL, action=shown(action), why=why)
