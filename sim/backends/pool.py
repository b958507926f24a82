"""The local process pool: ``--workers N`` spawned processes on this machine.

Survives crashes: when a worker dies, every task it may have held is played again alone,
in a fresh one-worker pool, and a table that kills its worker a second time is reported as
a failure (``crashed_record``) so the run still accounts for it. Catches hangs: a worker
whose table made no progress for the hand timeout + a margin is killed (which breaks the
pool: the tasks in flight go back to be played again, none a suspect) and its table is
recorded as a liveness failure (``sim.backends.hangs``). Workers exit on their own when the
main process dies, however it dies (``kill -9`` included).
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing as mp
import multiprocessing.connection
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.backends.base import (
    Backend,
    CrashedRecord,
    Deliver,
    PlayTask,
    StopRequest,
    Task,
    Tasks,
    die_with_parent,
    set_stop_event,
    settle_gc,
)
from sim.backends.hangs import Hangs, SharedPulses, claim, find_task, play_watched
from sim.hooks import watchdog
from sim.runner import RunSettings

log = logging.getLogger("sim.run")

ORPHAN_EXIT_CODE = 70  # a worker's exit status when it left because the main process died
WAIT_S = 0.5  # the longest the main process waits for a task before it looks around


class PoolBackend(Backend):
    name = "pool"

    def __init__(self, workers: int, log_queue: Any) -> None:
        assert workers >= 1, workers
        self.workers = workers
        self.log_queue = log_queue  # workers log to it; the main process writes run.log

    def play(self, settings: RunSettings, tasks: Tasks, play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        """Keep at most 2 tasks per worker in flight (bounded memory); survive worker
        crashes and hangs."""
        hangs = Hangs(settings)
        try:
            # A hung table's recovery runs on after a Ctrl-C: it is bounded, and its record
            # is the table's.
            while not (stop.is_set() or tasks.finished()) or hangs.pending:
                suspects = self._play_until_a_crash(settings, tasks, play_task, deliver, stop,
                                                    hangs, self.workers)
                # Every task taken was delivered, is a suspect, went back (a worker was
                # killed) or is a hung table being recovered, so a source had all it could
                # wait for; otherwise it must have a task now, or none ever.
                assert suspects or tasks.finished() or stop.is_set() or hangs.pending, \
                    "a source waits for nothing"
                for task in suspects:
                    for table in task:
                        stop.is_set()  # passes on a Ctrl-C: the table stops at its next hand
                        self._play_suspect(settings, table, play_task, crashed_record,
                                           deliver, stop, hangs)
        finally:
            hangs.close()  # only left running on an error or a second Ctrl-C

    def _pool(self, workers: int, stop: StopRequest) -> tuple[ProcessPoolExecutor,
                                                               SharedPulses]:
        context = mp.get_context("spawn")
        pulses = SharedPulses(context, workers)
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                   initargs=(self.log_queue, stop.event, pulses.slots,
                                             pulses.claimed))
        return pool, pulses

    def _play_until_a_crash(self, settings: RunSettings, tasks: Tasks,
                            play_task: PlayTask, deliver: Deliver, stop: StopRequest,
                            hangs: Hangs, workers: int) -> list[Task]:
        """Play tasks on ``workers`` processes until none is ready, none in flight and no
        hung table's recovery running, the run stops, or a worker dies or is killed for
        hanging. Returns the tasks that were in flight when one died (the suspects); when
        it was killed, they go back to ``tasks`` (without the hung table) instead."""
        suspects: list[Task] = []
        pool, pulses = self._pool(workers, stop)
        in_flight: dict[Future, Task] = {}
        killed = False
        try:
            while True:
                while not stop.is_set() and len(in_flight) < 2 * workers:
                    task = tasks.take()
                    if task is None:
                        break
                    try:
                        in_flight[pool.submit(play_watched, play_task, settings, task)] = task
                    except BrokenProcessPool:
                        tasks.put_back([task])  # the pool broke before it took the task
                        raise
                if not in_flight and not hangs.pending:
                    break
                for future in _wait(in_flight):
                    task = in_flight.pop(future)
                    try:
                        records = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    deliver(records)
                for record in hangs.over():
                    deliver([record])
                killed = self._kill_hung(pulses, in_flight, hangs) or killed
                if suspects:
                    raise BrokenProcessPool("a worker died")
        except BrokenProcessPool:
            suspects.extend(in_flight.values())
            if killed:  # the pool broke because a hung worker was killed: no suspects
                tasks.put_back(task for task in suspects if task)
                return []
            # Some worker died. Every task in flight is a suspect: each is played alone.
            log.error("a worker process died; re-running tables %s one by one",
                      ", ".join(str(table) for task in suspects for table, _ in task))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return suspects

    def _kill_hung(self, pulses: SharedPulses, in_flight: dict[Future, Task],
                   hangs: Hangs) -> bool:
        """Kill the workers whose table stopped making progress and recover their tables;
        the rest of a hung table's task stays in flight (to go back when the pool breaks).
        True when it killed one."""
        if not hangs.due():
            return False
        killed = False
        # By pid: a pool that replaces a broken one reuses its slots, not its processes.
        for _, beat in hangs.hung({beat.pid: beat for beat in pulses.read().values()}):
            found = find_task(in_flight.items(), beat.table_id)
            if found is None:  # its task came back meanwhile: the pulse was late
                continue
            future, task = found
            try:
                os.kill(beat.pid, signal.SIGKILL)
            except ProcessLookupError:
                continue  # it died on its own: a crash, which the pool reports
            in_flight[future] = hangs.recover(beat, task)
            killed = True
        return killed

    def _play_suspect(self, settings: RunSettings, table: tuple[int, int],
                      play_task: PlayTask, crashed_record: CrashedRecord, deliver: Deliver,
                      stop: StopRequest, hangs: Hangs) -> None:
        """One suspect table in a fresh one-worker pool; one that kills it again is
        reported (one that hangs it is recovered, as anywhere)."""
        if self._play_until_a_crash(settings, Tasks([[table]]), play_task, deliver, stop,
                                    hangs, 1):
            deliver([crashed_record(settings, *table)])
            log.error("table %d crashed its worker twice; reported as a failure", table[0])


def _wait(in_flight: dict[Future, Task]) -> set[Future]:
    """The tasks that finished within WAIT_S (a pause when none is in flight)."""
    if not in_flight:
        time.sleep(WAIT_S / 5)  # waiting for a hung table's recovery only
        return set()
    done, _ = wait(in_flight, timeout=WAIT_S, return_when=FIRST_COMPLETED)
    return done


# -- in the worker processes -----------------------------------------------------------------

def _worker_init(log_queue: Any, stop_event: Any, slots: Any, claimed: Any) -> None:
    set_stop_event(stop_event)
    settle_gc()
    _exit_with_parent()
    watchdog.set_pulse(claim(slots, claimed))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)


def _exit_with_parent() -> None:
    """Leave at once when the main process dies: an idle worker otherwise waits for work on
    its queue forever, and a busy one plays on for a run no one will store. A worker stuck
    in code that never lets this thread run (a hang in a builtin) is killed by the kernel
    instead, on Linux (``die_with_parent``)."""
    parent = mp.parent_process()
    assert parent is not None, "called in a worker process"
    assert parent.pid is not None, parent
    die_with_parent(parent.pid)
    sentinel = parent.sentinel  # readable once the parent has exited

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(ORPHAN_EXIT_CODE)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
