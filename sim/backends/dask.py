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

Hangs are this process's: each worker keeps its pulse (``sim.backends.hangs``) in a file
its nanny reads when asked, and a worker whose table made no progress for the hand
timeout + a margin has its task cancelled, is killed by its nanny (which starts a new
one), and its task's other tables are submitted again; the hung table is recorded as a
liveness failure. Workers started without a nanny (``dask worker --no-nanny``) are not
watched: no other process on their machine can read their pulse or replace them.
"""

from __future__ import annotations

import array
import contextlib
import logging
import os
import signal
import threading
import time
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
    die_with_parent,
    settle_gc,
)
from sim.backends.dumps import play_shipping_dumps
from sim.backends.hangs import (
    Beat,
    Hangs,
    ThreadSlots,
    find_task,
    map_pulses,
    play_watched,
    pulse_file,
    pulse_files,
    purge_pulse_files,
    read_beats,
)
from sim.hooks import watchdog
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
    # records), a table of 200 hands 100 to 200 ms of a worker. A stop lets the tasks in
    # flight finish (``play``), so a task here is smaller than the pool's: 5,000 hands, 25
    # tables of 200, a Ctrl-C that waits a few seconds (compiled) and a killed worker's
    # task replayed quickly; about half the shards of 8 tables a task.
    task_hands = 5_000

    def __init__(self, workers: int, scheduler: str | None = None,
                 dashboard_address: str | None = ":8787") -> None:
        self.cluster: distributed.LocalCluster | None = None
        if scheduler is None:
            self.cluster = local_cluster(workers, dashboard_address)
            self.client = distributed.Client(self.cluster)
        else:
            self.client = _connect(scheduler)
        # Nannies here (a LocalCluster's) would log each read of the pulses.
        logging.getLogger("distributed.worker").addFilter(_quiet_pulse_reads)
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
        hangs = Hangs(settings)
        try:
            while True:
                while not stop.is_set() and len(in_flight) < 2 * self.workers:
                    task = tasks.take()
                    if task is None:
                        break
                    in_flight[self.client.submit(play_watched, play_shipping_dumps, play_task,
                                                 settings, task, pure=False)] = task
                if not in_flight and not hangs.pending:
                    # Every task taken came back, so a source had all it could wait for.
                    assert tasks.finished() or stop.is_set(), "a task source waits for nothing"
                    break
                done = self._wait(in_flight)
                self._deliver(done, in_flight, settings, tasks, crashed_record, deliver)
                for record in hangs.over():
                    deliver([record])
                if hangs.due():
                    self._kill_hung(in_flight, tasks, hangs)
        finally:
            self.client.cancel(list(in_flight))  # only left on an error or a second Ctrl-C
            hangs.close()

    def _wait(self, in_flight: dict[distributed.Future, Task]) -> set[distributed.Future]:
        """The tasks that finished within half a second."""
        if not in_flight:  # waiting for a hung table's recovery only
            time.sleep(0.1)
            return set()
        try:
            return set(distributed.wait(list(in_flight), timeout=0.5,
                                        return_when="FIRST_COMPLETED").done)
        except TimeoutError:
            return set()

    def _kill_hung(self, in_flight: dict[distributed.Future, Task], tasks: Tasks,
                   hangs: Hangs) -> None:
        """Cancel the task of each worker whose table stopped making progress (first: the
        scheduler then never gives it to another worker), kill that worker through its
        nanny, recover the table and put the rest of its task back."""
        beats: dict[Any, Beat] = {}
        for read in self.client.run(_nanny_pulses, nanny=True, on_error="return").values():
            if isinstance(read, dict):  # else None (no worker, no pulses) or an error
                for slot, beat in read_beats(read["pulses"]).items():
                    beats[(read["address"], beat.pid, slot)] = beat
        for (address, _, _), beat in hangs.hung(beats):
            found = find_task(in_flight.items(), beat.table_id)
            if found is None:  # its task came back meanwhile: the pulse was late
                continue
            future, task = found
            del in_flight[future]
            self.client.cancel([future], force=True)
            killed = self.client.run(_kill_worker, beat.pid, workers=[address], nanny=True,
                                     on_error="return")
            if not all(result is True for result in killed.values()):
                log.error("the hung worker %s could not be killed through its nanny (%s); it "
                          "stays stuck", address, killed)
            rest = hangs.recover(beat, task)
            if rest:
                tasks.put_back([rest])

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


def _nanny_pulses(dask_worker: Any) -> dict[str, Any] | None:
    """On a nanny (``client.run(..., nanny=True)``): its worker's address and pulses (None
    while it has no worker, or its worker has none yet)."""
    address = dask_worker.worker_address
    if address is None:
        return None
    pulses = array.array("q")
    for path in pulse_files(address):
        with contextlib.suppress(FileNotFoundError):
            pulses.frombytes(path.read_bytes())
    return {"address": address, "pulses": pulses.tolist()}


def _quiet_pulse_reads(record: logging.LogRecord) -> bool:
    """Not "Run out-of-band function '_nanny_pulses'", logged once a second a nanny."""
    return record.args != ("_nanny_pulses",)


def _kill_worker(pid: int, dask_worker: Any) -> bool:
    """On a nanny: kill its worker process ``pid``, which is hung (the nanny then starts a
    new one), and remove its pulses. False when ``pid`` is not its worker."""
    import psutil

    address = dask_worker.worker_address
    try:
        if psutil.Process(pid).ppid() != os.getpid():
            return False
        os.kill(pid, signal.SIGKILL)
    except (psutil.NoSuchProcess, ProcessLookupError):
        return False
    if address is not None:
        pulse_file(address, pid).unlink(missing_ok=True)
    return True


class SimWorker(distributed.WorkerPlugin):
    """Sets up every worker (a replacement for a dead one too) as the local pool does: its
    pulses, one slot a thread, in a file its nanny reads (``sim.backends.hangs``); and
    stops its statistical profiler (``PROFILER_CALLBACKS``)."""

    def setup(self, worker: Any) -> None:
        settle_gc()
        if worker.nanny is not None:  # its nanny's process (a LocalCluster's: the run's)
            die_with_parent(os.getppid())  # a worker stuck in a builtin cannot notice
        purge_pulse_files()
        threads = worker.state.nthreads
        path = pulse_file(worker.address, os.getpid())
        watchdog.set_pulse(ThreadSlots(map_pulses(path, threads), threads))
        for name in PROFILER_CALLBACKS:
            callback = worker.periodic_callbacks.pop(name, None)
            if callback is not None:
                callback.stop()
        logging.getLogger("sim").setLevel(logging.INFO)  # forwarded to the run's log
        if threading.current_thread() is threading.main_thread():
            # A Ctrl-C in the terminal reaches a local cluster's workers too; the run's
            # main process decides what it means.
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def teardown(self, worker: Any) -> None:
        watchdog.set_pulse(None)
        pulse_file(worker.address, os.getpid()).unlink(missing_ok=True)


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

