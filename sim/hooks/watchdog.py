"""The hand watchdog (``sim run --hand-timeout SECONDS``; the fault spec
``hand_timeout=SECONDS`` in a dump): a hand that does not end within SECONDS stops its
table, and a worker whose table stops making progress is seen from outside.

A hang can be inside engine code that never returns, so the watchdog does not wait for
the next dispatch: it arms a real-time timer (``signal.setitimer``) when the table starts
and again at each hand's end, and the timer's handler raises an ``Interrupt`` wherever the
table's process is. The controller rolls the interrupted dispatch back, and the table
player (or the replayer) turns the interrupt into a ``liveness`` finding at that dispatch
and dumps the hand's log so far; the worker moves on to its next table.

Signals need the main thread of a process with ``setitimer`` (not Windows). Elsewhere (a
Dask worker plays in a thread) the watchdog falls back to checking the clock after each
dispatch: a slow hand is still caught, one dispatch late, but a dispatch that never
returns is not.

Compiled code runs Python signal handlers only where it gives the interpreter a chance:
a blocking call interrupted by the signal (``time.sleep``), or a call into interpreted
Python. A signal that lands between two such points only marks the handler as due, so the
timer keeps firing every RETRY_S until one lands in such a call. A hang that never
returns to the interpreter (a compiled loop that calls nothing, a builtin that loops
forever) is never interrupted here.

Those are the parent's to catch: at the same points (a table's start, each hand's end)
the watchdog beats the process's pulse (``set_pulse``; a pool or Dask worker has one),
and the run's main process kills a worker whose pulse stays still for SECONDS + MARGIN_S
(``sim.backends.hangs``).

    >>> hooks = [HandWatchdog(seconds=10)]
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType
from typing import Any, Final

from sim.driver.hooks import Interrupt, TableHook
from sim.engine.log import HandRecord
from sim.finding import Kind, Message
from sim.invariants.base import CheckContext
from sim.invariants.pipeline import CheckedTable

NAME = "liveness"
DEFAULT_S: Final = 10.0  # the hand timeout of sim run and sim fuzz unless --hand-timeout
# How much longer than the hand timeout a worker's pulse may stay still before the main
# process takes it for hung: the in-process watchdog has the first go, and a worker it
# stopped needs a moment to dump the hand and start its next table; the main process
# looks once a second (on Dask, through the nannies: a round trip more).
MARGIN_S: Final = 2.0
# After its first signal the timer fires again this often: a signal that lands while
# compiled code runs between two calls into the interpreter only marks the handler as due,
# and the next one that lands in a blocking call (time.sleep) runs it.
RETRY_S: Final = 0.05


def signals_usable() -> bool:
    """Can this thread arm a real-time timer whose handler interrupts it?"""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def message(seconds: float) -> Message:
    """What a liveness finding of the watchdog says, in a worker or from the parent (one
    shape, so both have one signature)."""
    return Message("the hand did not end within {seconds:g} s (hand_timeout)", seconds=seconds)


# The process's pulse, beaten at each table's start and hand's end: what a worker's parent
# watches (``sim.backends.hangs``). Empty: nobody watches. Mutated in place, never rebound.
_pulse: Final[list[Any]] = []


def set_pulse(pulse: Any) -> None:
    """Beat ``pulse`` (``beat(table_id, hand_no)``, ``rest()``) from now on; None: stop."""
    _pulse.clear()
    if pulse is not None:
        _pulse.append(pulse)


def rest() -> None:
    """The process finished its task: idle, nothing to watch until its next table."""
    if _pulse:
        _pulse[0].rest()


class HandWatchdog(TableHook):
    def __init__(self, seconds: float, use_signals: bool = True) -> None:
        assert seconds > 0, seconds
        self.seconds = seconds
        self.use_signals = use_signals
        self.armed = False  # the timer and its handler are ours
        self.previous: Any = None  # the SIGALRM handler to put back
        self.started = 0.0  # when the current hand started (time.monotonic)
        self.fired: float | None = None  # when the handler last raised (time.monotonic)
        self.pulse: Any = _pulse[0] if _pulse else None
        self.table_id = 0

    def message(self) -> Message:
        return message(self.seconds)

    def table_started(self, table_id: int) -> None:
        self.fired = None
        self.table_id = table_id
        if self.use_signals and signals_usable():
            self.previous = signal.signal(signal.SIGALRM, self._alarm)
            self.armed = True
        self._restart()
        if self.pulse is not None:
            self.pulse.beat(table_id, 0)

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        self._restart()
        if self.pulse is not None:
            self.pulse.beat(self.table_id, record.hand_no)

    def dispatched(self, table: CheckedTable, ctx: CheckContext) -> None:
        if not self.armed and time.monotonic() - self.started > self.seconds:
            raise table.found(Kind.LIVENESS, NAME, self.message())

    def table_ended(self, table_id: int) -> None:
        if self.armed:
            self.armed = False  # first: a signal already on its way is then ignored
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    def _restart(self) -> None:
        self.started = time.monotonic()
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, RETRY_S)

    def _alarm(self, signum: int, frame: FrameType | None) -> None:
        # Once a hand timeout: a second Interrupt would land in the rollback of the first.
        # But the first can be lost: raised where Python can only print an exception (in a
        # finalizer the garbage collector runs, say), it never reaches the table. A table
        # still running SECONDS after it gets another.
        now = time.monotonic()
        if self.armed and (self.fired is None or now - self.fired >= self.seconds):
            self.fired = now
            raise Interrupt(Kind.LIVENESS, NAME, self.message())
