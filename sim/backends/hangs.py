"""Hung workers, seen from the run's main process: the parent's half of the hand watchdog.

A worker's hand watchdog (``sim.hooks.watchdog``) beats its process's pulse when a table
starts and when each hand ends, and the worker rests it when its task is done. A pulse is
a few integers in memory another process can read while the worker is stuck, even in a
builtin that holds the interpreter: the pool's main process shares an array with its
workers; a Dask worker maps a file that its nanny reads when the run's main process asks
(which it does about once a second). A worker whose pulse stayed still while busy for the
hand timeout + MARGIN_S is taken for hung: its in-process watchdog could not stop
it. The backend kills that worker (the pool, or Dask's nanny, replaces it), plays the other
tables of its task again, never the hung one, and starts a ``Recovery``: the table played
again in a guarded child process (``sim.failures.guard``) up to the hand it hung in, whose
journal gives the dump of the dispatch that never returned. The table is stored as a
``liveness`` failure (exit 4), without its hands.

The inline backend (``--workers 1``) plays in the main process: nothing outside it watches
it, and only the in-process watchdog runs there.

A backend's loop, in outline (it needs live workers, so it is not an example here):

    hangs = Hangs(settings)
    for key, beat in hangs.hung(read_pulses()): kill(beat.pid); hangs.recover(...)
    for record in hangs.over(): deliver([record])
"""

from __future__ import annotations

import logging
import mmap
import os
import tempfile
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from sim.backends.base import Task, failed_record
from sim.failures.guard import CHILD_MARGIN_S, Guarded, TableJob, hung_dump
from sim.finding import Finding, Kind
from sim.hooks import watchdog
from sim.hooks.watchdog import MARGIN_S, NAME, message
from sim.runner import RunSettings
from sim.runner.record import TableRecord

log = logging.getLogger("sim.run")

CHECK_EVERY_S: Final = 1.0  # how often a backend reads its workers' pulses
FIELDS: Final = 5  # a pulse: pid, busy, table id, the last hand finished, beats
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Beat:
    """A worker's pulse as read: the worker process, whether it is playing a task, the
    table it is on and the last hand it finished there (0: none yet), and how many times
    it beat."""

    pid: int
    busy: bool
    table_id: int
    hand_no: int
    beats: int


# -- in the workers --------------------------------------------------------------------------

class SlotPulse:
    """A pool worker's pulse: its slot of an array of int64 the main process shares."""

    def __init__(self, slots: Any, index: int) -> None:
        self.slots = slots
        self.base = index * FIELDS
        slots[self.base] = os.getpid()

    def beat(self, table_id: int, hand_no: int) -> None:
        slots, base = self.slots, self.base
        slots[base + 1] = 1
        slots[base + 2] = table_id
        slots[base + 3] = hand_no
        slots[base + 4] += 1  # last: the main process reads the rest only once it changed

    def rest(self) -> None:
        self.slots[self.base + 1] = 0


class ThreadSlots:
    """The pulses of a process whose tasks run in threads (a Dask worker's): each thread
    claims the next of ``count`` slots when it first beats (one beyond them goes unseen)."""

    def __init__(self, slots: Any, count: int) -> None:
        self.slots = slots
        self.count = count
        self.pulses: dict[int, SlotPulse] = {}  # thread -> its slot's pulse
        self.lock = threading.Lock()

    def beat(self, table_id: int, hand_no: int) -> None:
        pulse = self.pulses.get(threading.get_ident())
        if pulse is None:
            with self.lock:
                if len(self.pulses) >= self.count:
                    return
                pulse = self.pulses[threading.get_ident()] = SlotPulse(self.slots,
                                                                       len(self.pulses))
        pulse.beat(table_id, hand_no)

    def rest(self) -> None:
        pulse = self.pulses.get(threading.get_ident())
        if pulse is not None:
            pulse.rest()


def pulse_file(address: str, pid: int) -> Path:
    """Where the worker process ``pid`` at ``address`` keeps its pulses, for its nanny."""
    name = "".join(c if c.isalnum() else "-" for c in address)
    return Path(tempfile.gettempdir()) / "sim-pulses" / f"{pid}-{name}"


def pulse_files(address: str) -> list[Path]:
    """The pulse files of live worker processes at ``address`` (normally one)."""
    return [path for path in pulse_file(address, 0).parent.glob(
        "*-" + pulse_file(address, 0).name.partition("-")[2]) if _alive(path)]


def purge_pulse_files() -> None:
    """Remove the pulse files of worker processes that are gone (killed ones leave theirs)."""
    for path in pulse_file("", 0).parent.glob("*-*"):
        if not _alive(path):
            path.unlink(missing_ok=True)


def _alive(path: Path) -> bool:
    """Is the process whose pid starts the name of pulse file ``path`` alive?"""
    pid = path.name.partition("-")[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def map_pulses(path: Path, count: int) -> Any:
    """``count`` slots of pulses in a file mapped to memory (a Dask worker's): what the
    worker writes, its nanny reads (``read_beats``) even while the worker is stuck."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(8 * FIELDS * count))
    with path.open("r+b") as file:
        return memoryview(mmap.mmap(file.fileno(), 0)).cast("q")


def read_beats(values: Sequence[int]) -> dict[int, Beat]:
    """The claimed slots of pulses ``values`` (int64s, FIELDS a slot), by slot."""
    return {slot: Beat(values[base], bool(values[base + 1]), values[base + 2],
                       values[base + 3], values[base + 4])
            for slot, base in enumerate(range(0, len(values) - FIELDS + 1, FIELDS))
            if values[base]}


def play_watched(play: Callable[..., T], *args: Any) -> T:
    """``play(*args)`` in a worker, its pulse rested after (the worker is idle then)."""
    try:
        return play(*args)
    finally:
        watchdog.rest()


class SharedPulses:
    """The pool's pulses: one slot per worker process in shared memory. Each worker claims
    the next slot when it starts (``claim``, in the worker)."""

    def __init__(self, context: Any, workers: int) -> None:
        self.workers = workers
        self.slots = context.RawArray("q", FIELDS * workers)
        self.claimed = context.Value("i", 0)

    def read(self) -> dict[int, Beat]:
        """Each claimed slot's beat, by slot."""
        return read_beats(list(self.slots))


def claim(slots: Any, claimed: Any) -> SlotPulse:
    """The next free slot of a pool's pulses (in a worker, at its start)."""
    with claimed.get_lock():
        index = claimed.value
        claimed.value += 1
    assert index * FIELDS < len(slots), f"slot {index} of {len(slots) // FIELDS}"
    return SlotPulse(slots, index)


# -- in the main process -------------------------------------------------------------------

class Hangs:
    """A backend's watch over its workers' pulses, and the recoveries of hung tables.

    Off (``on`` False) when the run's hand watchdog is off."""

    def __init__(self, settings: RunSettings) -> None:
        self.settings = settings
        self.limit_s = settings.hand_timeout_s + MARGIN_S if settings.hand_timeout_s else 0.0
        self.seen: dict[Hashable, tuple[int, float]] = {}  # key -> (beats, since when)
        self.flagged: set[tuple[Hashable, int]] = set()  # (key, beats) found hung already
        self.checked = 0.0
        self.recoveries: list[Recovery] = []

    @property
    def on(self) -> bool:
        return self.limit_s > 0

    @property
    def pending(self) -> bool:
        """Are recoveries still running (records still to come)?"""
        return bool(self.recoveries)

    def due(self) -> bool:
        """Is it time to read the pulses again (every CHECK_EVERY_S)?"""
        now = time.monotonic()
        if not self.on or now - self.checked < CHECK_EVERY_S:
            return False
        self.checked = now
        return True

    def hung(self, beats: Mapping[Any, Beat]) -> list[tuple[Any, Beat]]:
        """The busy pulses that stayed still for the limit (each once). ``beats`` are keyed
        by worker: a key is never used by another worker."""
        now = time.monotonic()
        found = []
        for key, beat in beats.items():
            seen = self.seen.get(key)
            if seen is None or seen[0] != beat.beats or not beat.busy:
                self.seen[key] = (beat.beats, now)
            elif now - seen[1] > self.limit_s and (key, beat.beats) not in self.flagged:
                self.flagged.add((key, beat.beats))
                found.append((key, beat))
        for key in set(self.seen) - set(beats):  # a worker gone
            del self.seen[key]
        return found

    def recover(self, beat: Beat, task: Task) -> Task:
        """Start the recovery of ``beat``'s table, which hung in ``task``; returns the
        rest of the task, to play again."""
        hands = next(hands for table_id, hands in task if table_id == beat.table_id)
        log.error("table %d: its worker (pid %d) made no progress for %g s after hand %d; "
                  "killed, and the table played again in a separate process to dump the hand",
                  beat.table_id, beat.pid, self.limit_s, beat.hand_no)
        self.recoveries.append(Recovery(self.settings, beat, hands))
        return [table for table in task if table[0] != beat.table_id]

    def over(self) -> list[TableRecord]:
        """The records of the recoveries that finished since the last call."""
        records = []
        for recovery in list(self.recoveries):
            record = recovery.poll()
            if record is not None:
                self.recoveries.remove(recovery)
                records.append(record)
        return records

    def close(self) -> None:
        """Stop the recoveries still running (the run is quitting)."""
        for recovery in self.recoveries:
            recovery.child.kill()
        self.recoveries.clear()


def find_task(tasks: Iterable[tuple[T, Task]], table_id: int) -> tuple[T, Task] | None:
    """The (key, task) of ``tasks`` that holds table ``table_id``."""
    return next(((key, task) for key, task in tasks if any(t == table_id for t, _ in task)),
                None)


class Recovery:
    """A hung table played again in a guarded child up to the hand its worker hung in;
    ``poll()`` gives its record once that child is over: a liveness failure with the dump
    of the dispatch that never returned."""

    def __init__(self, settings: RunSettings, beat: Beat, hands: int) -> None:
        self.settings = settings
        self.beat = beat
        self.hands = hands
        job = TableJob(settings, beat.table_id, min(beat.hand_no + 1, hands), beat.hand_no)
        self.child = Guarded(job, settings.hand_timeout_s + CHILD_MARGIN_S, settings.planted)

    def poll(self) -> TableRecord | None:
        if not self.child.poll():
            return None
        finding, dump = self._finding()
        beat = self.beat
        log.warning("table %d failed at hand %s: %s", beat.table_id, finding.hand_no, finding)
        return failed_record(self.settings, beat.table_id, self.hands, finding, dump)

    def _finding(self) -> tuple[Finding, str | None]:
        child, beat, seconds = self.child, self.beat, self.settings.hand_timeout_s
        head = (f"The worker process {beat.pid} playing table {beat.table_id} made no progress "
                f"for {seconds:g} + {MARGIN_S:g} s after hand {beat.hand_no} and was killed. ")
        journal = child.journal
        last = journal.last
        if child.stalled and last is not None and last.hand is not None:
            finding = Finding.of(Kind.LIVENESS, NAME, message(seconds)).at(
                table_id=beat.table_id, hand_no=journal.hand_no, dispatch=last.index,
                trace=head + f"Played again in a separate process, it stopped in dispatch "
                f"{last.index} of hand {journal.hand_no}; where it was:\n{child.traceback}")
            return finding, hung_dump(self.settings, beat.table_id, last, finding)
        if child.result is not None and child.result[0] is not None:  # it failed otherwise
            return Finding.from_dict(child.result[0]), child.result[1]
        if child.stalled:
            why = (f"Played again in a separate process, it stopped in hand "
                   f"{journal.hand_no} before any dispatch it journals, so there is no dump; "
                   f"where it was:\n{child.traceback}")
        elif child.error is not None:
            why = f"Played again in a separate process, it raised:\n{child.error[2]}"
        elif child.result is not None:
            why = (f"Played again in a separate process up to hand {beat.hand_no + 1}, it did "
                   "not hang, so there is no dump.")
        else:
            why = (f"Played again in a separate process, that process exited with code "
                   f"{child.exit_code}:\n{child.last_words}")
        return Finding.of(Kind.LIVENESS, NAME, message(seconds)).at(
            table_id=beat.table_id, hand_no=beat.hand_no + 1, trace=head + why), None
