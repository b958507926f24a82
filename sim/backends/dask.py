"""Dask (``dask.distributed``): the run's tables as tasks on a Dask cluster.

``DaskBackend(workers)`` starts a ``LocalCluster`` on this machine (``workers`` processes,
one thread each); ``DaskBackend(workers, scheduler="tcp://HOST:8786")`` submits to a
running cluster (``dask scheduler`` and ``dask worker``, or any Dask deployment). Each task
comes back to this process as records, failure dumps inside them (the workers need not
share a file system with it: see ``sim.backends.dumps``); the run alone writes the store.

Faults are Dask's to handle: the tasks of a worker that dies are re-run on others by the
scheduler; a table whose worker dies twice (``allowed-failures``, set to 1 on a cluster
started here, to match the local pool) comes back as ``KilledWorker`` and is reported
with ``crashed_record``. Workers log through ``Client.forward_logging`` into run.log.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dask
import distributed

from sim.backends.base import (
    Backend,
    BackendUnavailable,
    CrashedRecord,
    Deliver,
    PlayTask,
    StopRequest,
    Task,
    Tasks,
    settle_gc,
)
from sim.backends.dumps import play_shipping_dumps
from sim.runner import RunSettings

log = logging.getLogger("sim.run")

CONNECT_TIMEOUT_S = 10  # to reach a scheduler given with --scheduler
WORKERS_TIMEOUT_S = 60  # for a cluster with no worker yet to get one

# A cluster started here: a task whose worker died twice is a crash, as in the local pool;
# a worker holds only the task it is playing, so a worker's death makes only that task a
# suspect (the rest wait at the scheduler). Its processes check their event loops, their
# memory and the machine less often than Dask's defaults (20 ms, 100 ms and 500 ms): an
# idle 2-worker cluster then takes 11 to 15 ms of CPU a second instead of 46 (measured).
LOCAL_CLUSTER_CONFIG = {"distributed.scheduler.allowed-failures": 1,
                        "distributed.scheduler.worker-saturation": 1.0,
                        "distributed.admin.tick.interval": "1s",
                        "distributed.worker.memory.monitor-interval": "1s",
                        "distributed.admin.system-monitor.interval": "2s"}


class DaskBackend(Backend):
    name = "dask"
    shares_files = False
    # A task costs the driver a few ms (submitting, the scheduler's bookkeeping, fetching the
    # records), a table of 200 hands 100 to 200 ms of a worker: 8 tables a task make it
    # about 0.5 ms a table. Small enough that a Ctrl-C waits a second or two for the tasks
    # in flight, and a killed worker's task is replayed quickly.
    bundle = 8

    def __init__(self, workers: int, scheduler: str | None = None,
                 dashboard_address: str | None = ":8787") -> None:
        self.cluster: distributed.LocalCluster | None = None
        if scheduler is None:
            self.cluster = local_cluster(workers, dashboard_address)
            self.client = distributed.Client(self.cluster)
        else:
            self.client = _connect(scheduler)
        try:
            self.client.register_plugin(SimWorker(), name="sim-worker")
            self.client.forward_logging("sim", level=logging.INFO)
            self.workers = _threads(self.client)
        except BaseException:
            self.close()
            raise
        log.info("dask: %d workers at %s, dashboard %s", self.workers,
                 self.client.scheduler.address, self.client.dashboard_link)

    def play(self, settings: RunSettings, tasks: Tasks, play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        """At most 2 tasks per worker in flight (bounded memory); the records of every task
        that finished meanwhile are fetched at once. A stop lets the tasks in flight finish
        (their tables are stored whole) and submits no more."""
        in_flight: dict[distributed.Future, Task] = {}
        try:
            while True:
                while not stop.is_set() and len(in_flight) < 2 * self.workers:
                    task = tasks.take()
                    if task is None:
                        break
                    in_flight[self.client.submit(play_shipping_dumps, play_task, settings,
                                                 task, pure=False)] = task
                if not in_flight:
                    # Every task taken came back, so a source had all it could wait for.
                    assert tasks.finished() or stop.is_set(), "a task source waits for nothing"
                    break
                try:
                    done = distributed.wait(list(in_flight), timeout=0.5,
                                            return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    continue
                self._deliver(done, in_flight, settings, tasks, crashed_record, deliver)
        finally:
            self.client.cancel(list(in_flight))  # only left on an error or a second Ctrl-C

    def _deliver(self, done: set[distributed.Future], in_flight: dict[distributed.Future, Task],
                 settings: RunSettings, tasks: Tasks, crashed_record: CrashedRecord,
                 deliver: Deliver) -> None:
        """Deliver the records of the tasks ``done``, fetched in one request, and take
        them out of ``in_flight``; a task that killed its workers goes back to ``tasks``."""
        played = [future for future in done if future.status == "finished"]
        for future, records in zip(played, self.client.gather(played), strict=True):
            del in_flight[future]
            deliver(records)
        for future in done.difference(played):
            task = in_flight.pop(future)
            try:
                deliver(future.result())  # a result Dask lost is computed again
            except distributed.KilledWorker:
                tasks.put_back(self._crashed(settings, task, crashed_record, deliver))

    def _crashed(self, settings: RunSettings, task: Task, crashed_record: CrashedRecord,
                 deliver: Deliver) -> list[Task]:
        """A task that killed its workers: each of its tables is tried alone, and a table
        alone is reported. Returns the tasks to try."""
        if len(task) > 1:
            log.error("tables %s killed their workers; trying each alone",
                      ", ".join(str(table) for table, _ in task))
            return [[table] for table in task]
        deliver([crashed_record(settings, *task[0])])
        log.error("table %d killed its worker twice; reported as a failure", task[0][0])
        return []

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def local_cluster(workers: int, dashboard_address: str | None = ":8787",
                  **nanny: Any) -> distributed.LocalCluster:
    """A cluster on this machine: ``workers`` processes of one thread (``nanny``: more
    arguments for each worker's nanny, e.g. ``env``). Its workers exit when this process
    dies (each watches a pipe from it)."""
    with dask.config.set(LOCAL_CLUSTER_CONFIG), _sigint_ignored():
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                        processes=True, dashboard_address=dashboard_address,
                                        **nanny)


# The worker's statistical profiler (the dashboard's Profile page): every 10 ms it walks the
# stack of the task being played, and it keeps a profile a second for 1,000 s, so a
# worker's memory grew through the first 17 minutes of a run (see the README's figures).
PROFILER_CALLBACKS = ("profile", "profile-cycle")


class SimWorker(distributed.WorkerPlugin):
    """Sets up every worker (a replacement for a dead one too) as the local pool does, and
    stops its statistical profiler (``PROFILER_CALLBACKS``)."""

    def setup(self, worker: Any) -> None:
        settle_gc()
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.pop(name, None)
            if callback is not None:
                callback.stop()
        logging.getLogger("sim").setLevel(logging.INFO)  # forwarded to the run's log
        if threading.current_thread() is threading.main_thread():
            # A Ctrl-C in the terminal reaches a local cluster's workers too; the run's
            # main process decides what it means.
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _connect(scheduler: str) -> distributed.Client:
    try:
        return distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except OSError as error:
        raise BackendUnavailable(
            f"no Dask scheduler answered at {scheduler} within {CONNECT_TIMEOUT_S} s; start "
            "one with `dask scheduler` (it prints its address) or leave out --scheduler "
            "to start a cluster on this machine.") from error


def _threads(client: distributed.Client) -> int:
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
    except TimeoutError as error:
        raise BackendUnavailable(
            f"the Dask scheduler at {client.scheduler.address} has no worker after "
            f"{WORKERS_TIMEOUT_S} s; start some with `dask worker "
            f"{client.scheduler.address}`.") from error
    return sum(client.nthreads().values())


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Worker processes spawned meanwhile start with Ctrl-C ignored (a spawned process
    keeps an ignored signal ignored), so none dies of a Ctrl-C before SimWorker runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

