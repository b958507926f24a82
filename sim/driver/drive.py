"""``drive``: play a script through the checked pipeline, one logged action at a time.

    driven = drive(Script(Resumed(record), record.actions), hooks=[HandWatchdog(10)],
                   refused=Refused.JUDGE, keep_states=True)
    driven.finding, driven.stopped, driven.cursor.goto(3)

Its inputs are explicit: the script; the checks (``None``: every invariant; ``()``: none,
to rebuild a table fast); the hooks called at fixed points (the faults that check a
hand's play); and what to do with a logged action the engine refuses (``Refused``). It
holds no planted-bug switch: the code it runs decides which bugs are planted.

A drive ends in exactly one of three ways:

- a finding (``finding``): an invariant broke, the engine raised or refused an action it
  had to take, or a hook stopped the table;
- a refused action (``stopped``): the engine refused logged action k and the policy was to
  stop there; the actions after it were not played;
- every action taken (``complete``): each dispatched, or under ``Refused.SKIP`` left out
  (counted), or ``until`` said the script had played far enough.
"""

from __future__ import annotations

import enum
import traceback as tb
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.driver.hooks import Interrupt, TableHook
from sim.driver.script import Opening, Script
from sim.engine.actions import Action
from sim.engine.errors import IllegalAction
from sim.engine.log import HandRecord
from sim.engine.replay import Cursor
from sim.engine.state import TableState
from sim.finding import Finding, FindingError, Message
from sim.invariants.base import CheckContext
from sim.invariants.judge import judge
from sim.invariants.pipeline import CheckedTable


class Refused(enum.Enum):
    """What the driver does with a logged action the engine refuses."""

    # Stop there (``Driven.stopped``): the hand cannot go on as logged.
    STOP = "stop"
    # Leave it out and go on: a shrinking candidate is always a legal hand.
    SKIP = "skip"
    # Ask the independent judge first (``sim.invariants.judge``). An action the rules forbid
    # is offered as junk: accepted, it is an ``action_legal`` finding; refused, the drive
    # stops. One the rules allow must be accepted: refused, it is a
    # ``legal_action_rejected`` finding. (Replays of failure dumps and stored hands.)
    JUDGE = "judge"


@dataclass(frozen=True, slots=True)
class Stopped:
    """Logged action ``index`` (1-based: dispatch ``index`` of the script) was refused by
    the engine with ``reason``; ``judged`` is why the rules forbid it (None when the judge
    was not asked)."""

    index: int
    action: Any
    reason: str
    judged: Message | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # By its fields, as it was made (a compiled class pickles only by its __init__).
        return Stopped, (self.index, self.action, self.reason, self.judged)


@dataclass(slots=True)
class Driven:
    """How a drive went (see the module docstring). ``states[i]`` is the state after
    dispatch i (0: the start) and ``actions[i]`` its action, when ``keep_states`` asked
    for them; ``played`` counts the logged actions dispatched, ``skipped`` those left out."""

    table: CheckedTable
    script: Script
    finding: Finding | None = None
    stopped: Stopped | None = None
    played: int = 0
    skipped: int = 0
    states: list[TableState] = field(default_factory=list)
    actions: list[Action | None] = field(default_factory=list)
    opened: bool = False  # the start (dispatch 0) passed its checks

    @property
    def complete(self) -> bool:
        """Nothing stopped the drive: no finding, no refusal that ended it."""
        return self.finding is None and self.stopped is None

    @property
    def unplayed(self) -> int:
        """Logged actions not taken: the one a finding or a refusal stopped at, and every
        one after it (or after where ``until`` ended the drive)."""
        return len(self.script.actions) - self.played - self.skipped

    @property
    def cursor(self) -> Cursor:
        assert self.states, "drive(..., keep_states=True) keeps the states a cursor steps"
        return Cursor(self.states, self.actions)

    def hand(self, hand_no: int) -> HandRecord | None:
        """Hand ``hand_no`` as this drive played it (to where it stopped), if the table's log
        still holds it."""
        log = self.table.log
        hands = [*log.hands, *([log.current] if log.current is not None else [])]
        return next((h for h in reversed(hands) if h.hand_no == hand_no), None)


Resolve = Callable[[CheckedTable, Any], Any]


def drive(script: Script, checks: Iterable[str] | None = None,
          hooks: Sequence[TableHook] = (), refused: Refused = Refused.STOP,
          table_id: int | None = None, keep_states: bool = False, keep: int = 4,
          until: Callable[[CheckedTable], bool] | None = None,
          resolve: Resolve | None = None) -> Driven:
    """Play ``script`` through a fresh checked table (see the module docstring).

    ``table_id`` is written into findings; ``keep`` bounds the finished hands the table's
    log keeps; ``until(table)``, asked before each action, ends the drive early when true;
    ``resolve(table, item)`` turns an item of ``script.actions`` into the action to
    dispatch now, or None for nothing (a PHH step reads "check or call" off the table)."""
    start = script.start
    if isinstance(start, Opening):
        table = CheckedTable(start.config, start.seed, checks=checks, keep=keep,
                             keep_actions=False, table_id=table_id, setups=start.setups,
                             stop_at_hand_end=start.stop_at_hand_end)
    else:
        snapshot = start.record.snapshot
        table = CheckedTable(snapshot.config, snapshot.table_seed, checks=checks, keep=keep,
                             keep_actions=False, table_id=table_id)
    driven = Driven(table, script)
    if keep_states:
        driven.states.append(table.state)
        driven.actions.append(None)
    try:
        try:
            for hook in hooks:
                hook.table_started(table_id if table_id is not None else -1)
            _play(driven, hooks, refused, keep_states, until, resolve)
        finally:
            for hook in hooks:
                hook.table_ended(table_id if table_id is not None else -1)
    except FindingError as error:  # a hook's finding has no trace yet: where it was raised
        driven.finding = error.finding.at(trace=tb.format_exc())
        if keep_states and table.state is not driven.states[-1]:
            _committed(driven)  # the dispatch committed, then a check failed on it
    except Interrupt as stop:  # a hook stopped the table mid-dispatch; it was rolled back
        driven.finding = table.found(stop.kind, stop.name, stop.message,
                                     tb.format_exc()).finding
    return driven


def _play(driven: Driven, hooks: Sequence[TableHook], refused: Refused, keep_states: bool,
          until: Callable[[CheckedTable], bool] | None, resolve: Resolve | None) -> None:
    table, start = driven.table, driven.script.start
    finished = table.log.finished
    ctx = table.open(start.players) if isinstance(start, Opening) else \
        table.resume(start.record, start.stop_at_hand_end)
    driven.opened = True
    if keep_states:
        driven.states[0] = table.state
    call_hooks(table, hooks, ctx, finished)
    for index, item in enumerate(driven.script.actions, 1):
        if until is not None and until(table):
            return
        action = resolve(table, item) if resolve is not None else item
        if action is None:
            driven.skipped += 1
            continue
        finished = table.log.finished
        taken = _take(driven, index, action, refused)
        if taken is None:
            if driven.stopped is not None:
                return
            driven.skipped += 1
            continue
        driven.played += 1
        if keep_states:
            _committed(driven, action)
        call_hooks(table, hooks, taken, finished)


def _take(driven: Driven, index: int, action: Any, refused: Refused) -> CheckContext | None:
    """Dispatch ``action`` as ``refused`` says; None when it was refused (and the drive
    stops, when ``driven.stopped`` is set, or skips it)."""
    table = driven.table
    if refused is Refused.JUDGE:
        judged = judge(table.state, action)
        if judged is None:
            return table.dispatch(action)  # refused, it is a legal_action_rejected finding
        ctx = table.offer(action, junk=True)  # accepted, it is an action_legal finding
        if ctx is None:
            driven.stopped = Stopped(index, action, refusal(table, action), judged)
        return ctx
    reason = refusal(table, action)
    if not reason:
        return table.dispatch(action)
    if refused is Refused.STOP:
        driven.stopped = Stopped(index, action, reason)
    return None


def refusal(table: CheckedTable, action: Any) -> str:
    """The engine's sentence refusing ``action`` now, or '' when it would accept it."""
    try:
        table.controller.verify(action)
    except IllegalAction as error:
        return str(error)
    return ""


def _committed(driven: Driven, action: Any = None) -> None:
    """Keep the state the last dispatch committed (and its action)."""
    if not driven.opened:  # the start itself committed, then failed its checks
        driven.states[0] = driven.table.state
        return
    driven.states.append(driven.table.state)
    driven.actions.append(action if action is not None else driven.table.tail[-1])


def call_hooks(table: CheckedTable, hooks: Sequence[TableHook], ctx: CheckContext,
               finished: int) -> None:
    """After a dispatch that committed and passed its checks: every hook's ``dispatched``,
    then ``hand_ended`` for each hand the dispatch finished (``finished``: the log's count
    of finished hands before it)."""
    if not hooks:
        return
    for hook in hooks:
        hook.dispatched(table, ctx)
    count = table.log.finished - finished
    if count:
        for record in list(table.log.hands)[len(table.log.hands) - count:]:
            for hook in hooks:
                hook.hand_ended(table, record)
