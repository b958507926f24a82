"""The local process pool: ``--workers N`` spawned processes on this machine.

Survives crashes: when a worker dies, every task it may have held is played again alone,
in a fresh one-worker pool, and a table that kills its worker a second time is reported as
a failure (``crashed_record``) so the run still accounts for it. Workers exit on their own
when the main process dies, however it dies (``kill -9`` included).
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing as mp
import multiprocessing.connection
import os
import signal
import threading
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
    set_stop_event,
    settle_gc,
)
from sim.runner import RunSettings

log = logging.getLogger("sim.run")

ORPHAN_EXIT_CODE = 70  # a worker's exit status when it left because the main process died


class PoolBackend(Backend):
    name = "pool"

    def __init__(self, workers: int, log_queue: Any) -> None:
        assert workers >= 1, workers
        self.workers = workers
        self.log_queue = log_queue  # workers log to it; the main process writes run.log

    def play(self, settings: RunSettings, tasks: Tasks, play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        """Keep at most 2 tasks per worker in flight (bounded memory); survive worker
        crashes."""
        while not tasks.finished() and not stop.is_set():
            suspects = self._play_until_a_crash(settings, tasks, play_task, deliver, stop)
            # Every task taken was delivered or is a suspect, so a source had all it could
            # wait for; without suspects it must have a task now, or none ever.
            assert suspects or tasks.finished() or stop.is_set(), "a source waits for nothing"
            for task in suspects:
                for table in task:
                    stop.is_set()  # passes on a Ctrl-C: the table then stops at its next hand
                    self._play_suspect(settings, table, play_task, crashed_record, deliver,
                                       stop)

    def _pool(self, workers: int, stop: StopRequest) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                   initializer=_worker_init,
                                   initargs=(self.log_queue, stop.event))

    def _play_until_a_crash(self, settings: RunSettings, tasks: Tasks,
                            play_task: PlayTask, deliver: Deliver,
                            stop: StopRequest) -> list[Task]:
        """Play tasks until none is ready and none in flight, the run stops or a worker
        dies; returns the tasks that were in flight when one died (the suspects)."""
        suspects: list[Task] = []
        pool = self._pool(self.workers, stop)
        in_flight: dict[Future, Task] = {}
        try:
            while True:
                while not stop.is_set() and len(in_flight) < 2 * self.workers:
                    task = tasks.take()
                    if task is None:
                        break
                    try:
                        in_flight[pool.submit(play_task, settings, task)] = task
                    except BrokenProcessPool:
                        tasks.put_back([task])  # the pool broke before it took the task
                        raise
                if not in_flight:
                    break
                done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    try:
                        records = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    deliver(records)
                if suspects:
                    raise BrokenProcessPool("a worker died")
        except BrokenProcessPool:
            # Some worker died. Every task in flight is a suspect: each is played alone.
            suspects.extend(in_flight.values())
            log.error("a worker process died; re-running tables %s one by one",
                      ", ".join(str(table) for task in suspects for table, _ in task))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return suspects

    def _play_suspect(self, settings: RunSettings, table: tuple[int, int],
                      play_task: PlayTask, crashed_record: CrashedRecord, deliver: Deliver,
                      stop: StopRequest) -> None:
        """One suspect table in a fresh one-worker pool; one that kills it again is
        reported."""
        with self._pool(1, stop) as pool:
            try:
                deliver(pool.submit(play_task, settings, [table]).result())
            except BrokenProcessPool:
                deliver([crashed_record(settings, *table)])
                log.error("table %d crashed its worker twice; reported as a failure", table[0])


# -- in the worker processes -----------------------------------------------------------------

def _worker_init(log_queue: Any, stop_event: Any) -> None:
    set_stop_event(stop_event)
    settle_gc()
    _exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)


def _exit_with_parent() -> None:
    """Leave at once when the main process dies: an idle worker otherwise waits for work on
    its queue forever, and a busy one plays on for a run no one will store."""
    parent = mp.parent_process()
    assert parent is not None, "called in a worker process"
    sentinel = parent.sentinel  # readable once the parent has exited

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(ORPHAN_EXIT_CODE)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
