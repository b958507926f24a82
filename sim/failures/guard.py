"""A job played in a child process that journals each dispatch before it runs, stopped by
the parent once it makes no progress: how a hang is reproduced without hanging whoever
asked, and how its hand gets a dump.

Two jobs, one mechanism:

- ``replay_guarded(case)``: ``sim replay``'s replay of a case (``sim.failures.replay``); a
  dispatch that does not return is a ``liveness`` finding at that dispatch.
- ``TableJob``: a table whose worker hung, played again up to the hand it hung in
  (``sim.backends.hangs``); ``hung_dump`` makes the dump of the dispatch that never
  returned.

The child runs the patched copy of the package that carries the job's planted bugs
(``sim.planted.copy``; with none, a plain copy of the sources): plain Python, never the
compiled modules, so the traceback of a hang names its line; ``faulthandler`` writes that
traceback when the parent asks (SIGUSR1), even while a builtin that never returns holds the
interpreter, and then the parent kills the child (SIGKILL). The job goes in, and its
result comes back, pickled by ``sim.planted.transfer`` (either build reads it).

In outline (each starts a child process, so it is not an example here):

    result = replay_guarded(load(path).case)        # a Replay, as replay() returns
    child = Guarded(TableJob(settings, 3, 17, 16), 12, settings.planted)
    while not child.poll(): ...                      # child.result, child.stalled, ...
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from sim.backends.base import die_with_parent
from sim.engine import actions as ac
from sim.engine.log import HandRecord
from sim.engine.replay import Cursor
from sim.engine.state import TableState
from sim.failures.dump import Case, Dump
from sim.failures.replay import Replay
from sim.finding import Finding, Kind
from sim.hooks.faults import WATCHDOG, parse
from sim.hooks.watchdog import DEFAULT_S, NAME, message
from sim.planted import transfer
from sim.planted.copy import patched_copy

STARTUP_S: Final = 60.0  # for the child to import the package and start its job
# How much longer than the hand timeout a child may be silent: its own watchdog has the
# first go, then it needs a moment to say so (a worker's parent allows more: MARGIN_S).
CHILD_MARGIN_S: Final = 0.5
TRACEBACK_S: Final = 2.0  # for faulthandler to write the traceback before the kill
POLL_S: Final = 0.05  # how often ``wait`` looks at the child

# Started with ``python -c``: the copy first on the path, then the child's side.
_BOOT: Final = ("import sys; sys.path.insert(0, sys.argv[1]); "
                "from sim.failures.guard import child_main; "
                "child_main(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))")


# -- what the parent hears ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Dispatch:
    """A dispatch the child was about to run, as its journal told it."""

    index: int  # in its hand: 0 is the hand's automatic start
    actions: list[Any]  # every action since the hand's snapshot, this one last (dicts)
    hand: dict[str, Any] | None  # the hand's record before this dispatch (None: no hand yet)
    state: dict[str, Any]  # the table's state before this dispatch (a snapshot)
    checks: int  # the invariant checks run so far

    @property
    def action(self) -> ac.Action | None:
        return ac.action_from_dict(self.actions[-1]) if self.index else None


@dataclass(slots=True)
class Journal:
    """What the child told, kept as it came: the hand it is on and, from its job's
    ``watch_from`` hand on, that hand's dispatches."""

    ready: bool = False  # the child imported the package and started its job
    hand_no: int | None = None  # the hand of the dispatches since (None: before the first)
    dispatches: list[Dispatch] = field(default_factory=list)  # of hand_no, watched ones
    seen: float = field(default_factory=time.monotonic)  # when the last message came
    result: bytes | None = None  # what the job returned (pickled by sim.planted.transfer)
    error: tuple[bool, str, str] | None = None  # the job raised: (ValueError?, str, traceback)

    def take(self, message: tuple[Any, ...]) -> None:
        self.seen = time.monotonic()
        kind = message[0]
        if kind == "ready":
            self.ready = True
        elif kind == "hand":
            self.hand_no, self.dispatches = message[1], []
        elif kind == "dispatch":
            dispatch = Dispatch(*message[1:])
            # A rejected junk action's index comes again with the next dispatch.
            self.dispatches = [d for d in self.dispatches if d.index < dispatch.index]
            self.dispatches.append(dispatch)
        elif kind == "done":
            self.result = message[1]
        else:
            assert kind == "failed", kind
            self.error = (message[1], message[2], message[3])

    @property
    def over(self) -> bool:
        """Did the job finish (or raise)? The child only has to exit then."""
        return self.result is not None or self.error is not None

    @property
    def last(self) -> Dispatch | None:
        """The dispatch the child was on: when it stalled, the one that never returned."""
        return self.dispatches[-1] if self.dispatches else None


# -- the parent's side ----------------------------------------------------------------------

class Guarded:
    """A job (``run()``, ``watch_from``; picklable) in a plain-Python child process that runs
    the copy carrying the planted bugs ``planted``.

    ``poll()`` says whether it is over: finished (``result``), raised (``error``), died
    (``exit_code``), or stopped because it told nothing for ``stall_s`` seconds
    (``stalled``, with the child's ``traceback`` at that moment). ``kill()`` stops it."""

    def __init__(self, job: Any, stall_s: float, planted: tuple[str, ...] = ()) -> None:
        assert stall_s > 0, stall_s
        self.stall_s = stall_s
        self.journal = Journal()
        self.stalled = False
        self.traceback = ""
        self.exit_code: int | None = None
        self.last_words = ""  # the end of what the child wrote to its standard error
        self.folder = Path(tempfile.mkdtemp(prefix="sim-guard-"))
        read, write = os.pipe()
        root = str(patched_copy(planted))
        with (self.folder / "stderr").open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, root, str(write),
                 str(self.folder / "trace"), str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=stderr,
                pass_fds=(write,),
                start_new_session=True)  # a Ctrl-C in the terminal is the parent's to handle
        os.close(write)
        self.reader = threading.Thread(target=self._read, args=(Connection(read, writable=False),),
                                       name="guarded-journal", daemon=True)
        self.reader.start()
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # a child that died at once: poll says
            self.process.stdin.write(transfer.dumps(job))
            self.process.stdin.close()

    @property
    def result(self) -> Any:
        """What the job returned (None until it did)."""
        done = self.journal.result
        return None if done is None else pickle.loads(done)

    @property
    def error(self) -> tuple[bool, str, str] | None:
        return self.journal.error

    def poll(self) -> bool:
        """Is the child over? Stops it (and says so) once it told nothing for too long."""
        if self.exit_code is not None:
            return True
        code = self.process.poll()
        if code is not None:
            self.reader.join(TRACEBACK_S)  # what it said last, to the end of the pipe
            self._ended(code)
            return True
        journal = self.journal
        silent = time.monotonic() - journal.seen
        if journal.over:  # done: it has a moment to exit
            if silent > TRACEBACK_S:
                self.kill()
            return self.exit_code is not None
        if silent > (self.stall_s if journal.ready else STARTUP_S):
            self.stalled = True
            self.traceback = self._traceback()
            self.kill()
            return True
        return False

    def wait(self) -> None:
        """Poll until the child is over (it always is within its stall limit of silence)."""
        while not self.poll():
            time.sleep(POLL_S)

    def kill(self) -> None:
        """Stop the child now (whatever it is doing) and clean up."""
        if self.process.poll() is None:
            self.process.kill()
        self._ended(self.process.wait())

    def _ended(self, code: int) -> None:
        if self.exit_code is None:
            self.exit_code = code
            path = self.folder / "stderr"
            text = path.read_text(errors="replace") if path.exists() else ""
            self.last_words = "\n".join(text.splitlines()[-20:])
            shutil.rmtree(self.folder, ignore_errors=True)

    def _traceback(self) -> str:
        """Where the child is now, as faulthandler writes it (asked with SIGUSR1)."""
        path = self.folder / "trace"
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + TRACEBACK_S
        size = -1
        while time.monotonic() < deadline:  # written once it stops growing
            time.sleep(POLL_S)
            now = path.stat().st_size if path.exists() else 0
            if now and now == size:
                break
            size = now
        return path.read_text(errors="replace") if path.exists() else ""

    def _read(self, connection: Connection) -> None:
        with connection:
            while True:  # until the child's end of the pipe closes: it is bounded by poll()
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    return
                self.journal.take(message)


# -- the child's side -----------------------------------------------------------------------

class _Journaling:
    """The child's journal: the checked pipeline tells it of each dispatch (``JOURNAL``);
    it announces each new hand, and from the job's ``watch_from`` hand on it sends each
    dispatch with the hand's record and the state before it."""

    def __init__(self, connection: Connection, watch_from: int) -> None:
        self.connection = connection
        self.watch_from = watch_from
        self.base: Any = self  # the hand last announced (self: none yet)

    def __call__(self, table: Any, action: Any) -> None:
        base = table.base
        if base is not self.base:
            self.base = base
            self.connection.send(("hand", base.hand_no if base is not None else None))
        if (base.hand_no if base is not None else 0) < self.watch_from:
            return
        self.connection.send(("dispatch", len(table.tail),
                              [ac.action_to_dict(a) for a in table.tail],
                              base.to_dict() if base is not None else None,
                              table.state.snapshot(), table.checks_run))


def child_main(fd: int, trace: str, parent: int) -> None:
    """The child: read the job from standard input, journal, run it, say how it went."""
    from sim.invariants.pipeline import JOURNAL

    die_with_parent(parent)
    connection = Connection(fd, readable=False)
    trace_file = open(trace, "w")  # open until the process ends: faulthandler writes it
    faulthandler.register(signal.SIGUSR1, file=trace_file, all_threads=True)
    job = pickle.load(sys.stdin.buffer)
    JOURNAL.append(_Journaling(connection, job.watch_from))
    connection.send(("ready",))
    try:
        result = job.run()
    except Exception as error:  # noqa: BLE001 - the parent reports it
        connection.send(("failed", isinstance(error, ValueError), str(error),
                         traceback.format_exc()))
    else:
        connection.send(("done", transfer.dumps(result)))
    connection.close()


# -- job 1: replaying a case ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ReplayJob:
    """Replay a case (in the copy carrying its planted bugs); returns the ``Replay``."""

    case: Case
    watch_from: int = 0  # every dispatch of the hand: the cursor is made of them

    def run(self) -> Replay:
        from sim.failures.replay import replay

        return replay(self.case)


def replay_guarded(case: Case, seconds: float | None = None) -> Replay:
    """``replay(case)`` in a guarded child: the same ``Replay``, except that a dispatch
    that does not return within ``seconds`` + CHILD_MARGIN_S (``seconds``: the case's hand
    timeout, else DEFAULT_S) ends it with a ``liveness`` finding at that dispatch, its
    ``trace`` where the child was. A case that cannot be replayed raises ValueError, as
    ``replay`` does."""
    seconds = seconds or case_timeout(case)
    child = Guarded(ReplayJob(case), seconds + CHILD_MARGIN_S, case.planted)
    try:
        child.wait()
    finally:
        child.kill()
    result = child.result
    if result is not None:
        assert isinstance(result, Replay), result
        return result
    if child.error is not None:
        is_value_error, text, trace = child.error
        if is_value_error:  # the case's own fault: a sentence for the user
            raise ValueError(text)
        raise RuntimeError(f"the replay raised in its child process:\n{trace}")
    if not child.stalled:
        raise RuntimeError(f"the replay's child process exited with code {child.exit_code} "
                           f"before it finished:\n{child.last_words}")
    return _hung_replay(case, child, seconds)


def case_timeout(case: Case) -> float:
    """The hand timeout a case was played with (its ``hand_timeout`` fault), else
    DEFAULT_S."""
    for spec in case.faults:
        fault = parse(spec)
        if fault.name == WATCHDOG:
            return fault.value
    return DEFAULT_S


def _hung_replay(case: Case, child: Guarded, seconds: float) -> Replay:
    """The replay of ``case`` to the dispatch that never returned (the ``last`` of the
    journal): the states before it, and a liveness finding there."""
    journal = child.journal
    dispatches = journal.dispatches
    hung = journal.last
    states = [TableState.from_snapshot(d.state, checked=False)  # after 0, 1, ...
              for d in dispatches[1:]]
    actions: list[ac.Action | None] = [d.action for d in dispatches[:-1]]
    if not states:  # dispatch 0 never returned: the hand's snapshot is all there is
        assert case.record is not None
        states, actions = [case.record.snapshot], [None]
    where = f"dispatch {hung.index}" if hung is not None else "an unknown dispatch"
    trace = (f"The replay of hand {case.hand_no} stopped in {where} and did not return "
             f"within {seconds:g} + {CHILD_MARGIN_S:g} s; where it was:\n{child.traceback}")
    finding = Finding.of(Kind.LIVENESS, NAME, message(seconds)).at(
        table_id=case.table_id,
        hand_no=journal.hand_no if journal.hand_no is not None else case.hand_no,
        dispatch=hung.index if hung is not None else None, trace=trace)
    played = len(states) - 1  # the logged actions dispatched before the one that hung
    return Replay(case, Cursor(states, actions), finding, None,
                  hung.checks if hung is not None else 0, case.record,
                  len(case.actions) - played)


# -- job 2: a hung table played again -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TableJob:
    """Play table ``table_id`` of ``settings`` up to hand ``hands`` (no rows kept),
    watching every dispatch from hand ``watch_from`` on. Returns the finding that stopped
    it and its dump's JSON, each None when none did."""

    settings: Any  # RunSettings
    table_id: int
    hands: int
    watch_from: int

    def run(self) -> tuple[dict[str, Any] | None, str | None]:
        from sim.runner.player import play_table

        settings = replace(self.settings, collect_rows=False, failures_dir=None)
        outcome = play_table(settings.draw(self.table_id), self.hands, settings)
        if outcome.finding is None:
            return None, None
        dump = outcome.dump
        return outcome.finding.to_dict(), _json(dump) if dump is not None else None


def _json(dump: Dump) -> str:
    return json.dumps(dump.to_dict(), indent=1)


def hung_dump(settings: Any, table_id: int, dispatch: Dispatch, finding: Finding) -> str:
    """The dump (its JSON) of ``dispatch``, which a table of ``settings`` never returned
    from: the hand's record before it and every action since the hand's snapshot, this
    one last, as the table player dumps an interrupted dispatch."""
    assert dispatch.hand is not None, "a dispatch before the first hand"
    spec = settings.draw(table_id)
    state = TableState.from_snapshot(dispatch.state, checked=False)
    case = Case(settings.seed, table_id, spec.seed, state.config.to_dict(),
                tuple(sorted(settings.planted)), settings.invariants,
                HandRecord.from_dict(dispatch.hand),
                [ac.action_from_dict(a) for a in dispatch.actions],
                {seat: kind for seat, kind, _, _ in spec.bots},
                faults=settings.replayed_faults())
    return _json(Dump(case, finding, state.describe()))
