"""Every backend stores the same run: the same seed gives the same hands, actions, results
(by content digest), failures and dump files in the run folder, in this process, on the
local pool and on a Dask LocalCluster. On Dask, a worker killed mid-run costs nothing (the
scheduler re-runs its table, the run stores it once) and a table that kills its worker
twice is reported as crashed, as on the pool.

One LocalCluster of 2 worker processes serves the module's runs without a planted bug.
Every run injects two faults (``sim.hooks.faults``): each table starts DELAY_S late (so a
run is still going when a test kills a worker), and a worker process dies on table
CRASH_TABLE.

The runs with a planted bug (so that they have failures and dumps to compare) play in the
copy of the package that carries it (``call_in_copy``), each test's runs in one child, with
a LocalCluster started there when they need one: its worker processes import the copy, as
the child does (a cluster started elsewhere runs its own sim, without the bug).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import distributed
import duckdb
import pytest
from conftest import call_in_copy, pickled, unpickled

from sim.backends.base import bundles
from sim.backends.dask import PROFILER_CALLBACKS, DaskBackend, local_cluster
from sim.hooks.faults import Fault
from sim.run import Progress, run
from sim.runner import RunSettings
from sim.store.digest import digest as content_digest

SEED = 5
PER_TABLE = 50
PLANTED = ("odd_chip_to_button",)  # so that runs have failures and dumps to compare
CRASH_TABLE = 45  # beyond the tables of the runs below, except the crash test's
DELAY_S = 0.05
FAULTS = (Fault("slow_tables", DELAY_S), Fault("crash_worker", CRASH_TABLE))
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def cluster() -> distributed.LocalCluster:
    cluster = local_cluster(2, dashboard_address=None)
    yield cluster
    cluster.close()


def play(out: Path, backend: str, workers: int, scheduler: str | None = None,
         hands: int = 400, only_table: int | None = None, planted: tuple[str, ...] = PLANTED,
         progress: Progress | None = None) -> Path:
    settings = RunSettings(seed=SEED, hands=hands, hands_per_table=PER_TABLE, planted=planted,
                           failures_dir=out / "failures", only_table=only_table, faults=FAULTS)
    run(settings, out, workers, "sim run ...", backend=backend, scheduler=scheduler,
        progress=progress)
    return out


def stored(out: Path) -> dict[str, object]:
    """What a run stored that follows from its seed: digests, failures and dump files."""
    con = duckdb.connect(str(out / "stats.duckdb"), read_only=True)
    try:
        failures = con.execute("SELECT table_id, hand_no, invariant, message, dump_path, "
                               "replay_command FROM failures ORDER BY table_id").fetchall()
        tables = con.execute("SELECT count(*), count(DISTINCT table_id) FROM tables").fetchone()
    finally:
        con.close()
    digest = content_digest(out)
    folder = str(out)
    return {"digest": digest, "tables": tables,
            # the dump paths name the run folder: compare them relative to it
            "failures": [tuple(str(v).replace(folder, "RUN") for v in row) for row in failures],
            "dumps": {p.name: p.read_bytes() for p in sorted((out / "failures").glob("*"))}}


def same_run_everywhere(folder: str) -> str:
    """(In the copy carrying PLANTED.) The run stored in this process, on the pool and on
    a Dask cluster started here, and how many failures the pool's and Dask's run logs
    tell; pickled."""
    root = Path(folder)
    cluster = local_cluster(2, dashboard_address=None)
    try:
        runs = {"inline": stored(play(root / "inline", "pool", 1)),
                "pool": stored(play(root / "pool", "pool", 2)),
                "dask": stored(play(root / "dask", "dask", 2,
                                    scheduler=cluster.scheduler_address))}
    finally:
        cluster.close()
    logged = {name: (root / name / "run.log").read_text().count(" failed at hand ")
              for name in ("pool", "dask")}
    return pickled((runs, logged))


def test_inline_pool_and_dask_store_the_same_run(tmp_path):
    runs, logged = unpickled(call_in_copy(PLANTED, same_run_everywhere, str(tmp_path)))
    inline = runs["inline"]
    assert inline["failures"], "the planted bug was meant to make dumps to compare"
    assert len(inline["dumps"]) == len(inline["failures"])
    assert inline["tables"] == (8, 8)
    assert runs["pool"] == inline
    assert runs["dask"] == inline
    # The Dask workers' log lines reached the run's log, as the pool workers' do.
    for folder in ("pool", "dask"):
        assert logged[folder] == len(inline["failures"]), folder


def dask_starting_its_cluster(folder: str) -> str:
    """(In the copy carrying PLANTED.) A run on the Dask cluster its backend starts (and
    stops), the same run in this process, and the clusters the backend started; pickled."""
    started = []
    original = DaskBackend.__init__

    def spy(self, workers, scheduler=None):
        original(self, workers, scheduler)
        started.append(self.cluster)

    root = Path(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DaskBackend, "__init__", spy)
        dask = stored(play(root / "dask", "dask", 2, hands=100))
    inline = stored(play(root / "inline", "pool", 1, hands=100))
    return pickled((dask, inline, [cluster is not None and cluster.status.name
                                   for cluster in started]))


def test_a_dask_run_on_a_cluster_it_starts_stores_the_same_run(tmp_path):
    # --backend dask without --scheduler: the backend starts (and stops) its own cluster.
    dask, inline, started = unpickled(call_in_copy(PLANTED, dask_starting_its_cluster,
                                                   str(tmp_path)))
    assert dask == inline
    assert started == ["closed"]


class KillAWorker(Progress):
    """Once the first tables are stored, kills (from another thread, while the run goes on)
    a worker that is playing a table."""

    def __init__(self, total: int, cluster: distributed.LocalCluster) -> None:
        super().__init__(total)
        self.stored = threading.Event()
        self.killed: list[tuple[str, tuple[str, ...]]] = []
        self.killer = threading.Thread(target=self.kill, args=(cluster,), daemon=True)
        self.killer.start()

    def update(self, hands: int, failures: int) -> None:
        super().update(hands, failures)
        self.stored.set()

    def kill(self, cluster: distributed.LocalCluster) -> None:
        # The scheduler runs in this process: read which worker is playing from its state
        # (a second Client in another thread would fight the run's for the event loop).
        self.stored.wait(TIMEOUT_S)
        for _ in range(200):  # 10 s
            for worker in list(cluster.scheduler.workers.values()):
                if worker.processing:
                    keys = tuple(str(task.key) for task in worker.processing)
                    os.kill(worker.pid, signal.SIGKILL)
                    self.killed.append((worker.address, keys))
                    return
            time.sleep(0.05)


def test_a_killed_dask_worker_costs_nothing(cluster, tmp_path):
    # No planted bug: whole tables, so the run lasts past its first stored tables (a second).
    hands = 40 * PER_TABLE
    progress = KillAWorker(hands, cluster)
    killed = stored(play(tmp_path / "killed", "dask", 2, scheduler=cluster.scheduler_address,
                         hands=hands, planted=(), progress=progress))
    progress.killer.join(TIMEOUT_S)
    assert progress.killed, "no worker was playing a table once the first were stored"
    assert killed["tables"] == (40, 40)  # every table stored, once
    assert killed == stored(play(tmp_path / "inline", "pool", 1, hands=hands, planted=()))


def test_a_table_that_kills_its_dask_worker_twice_is_reported(cluster, tmp_path):
    # No planted bug: the table kills its worker before it plays a hand.
    out = play(tmp_path / "crashed", "dask", 2, scheduler=cluster.scheduler_address,
               hands=50 * PER_TABLE, only_table=CRASH_TABLE, planted=())
    con = duckdb.connect(str(out / "stats.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT table_id, hands_played, failed FROM tables").fetchall() == [
            (CRASH_TABLE, 0, True)]
        [(invariant, command)] = con.execute(
            "SELECT invariant, replay_command FROM failures").fetchall()
        assert con.execute("SELECT status FROM runs").fetchall() == [("completed",)]
    finally:
        con.close()
    assert invariant == "worker_crashed"
    assert f"--table {CRASH_TABLE}" in command


def dask_in_bundles(folder: str) -> str:
    """(In the copy carrying PLANTED.) A run of 40 tables on a Dask cluster of 2 workers
    started here: the tasks its backend delivered, what it stored, what the same run
    stores in this process, and the profiler callbacks left on the workers; pickled."""
    tasks = []
    original = DaskBackend._deliver

    def spy(self, done, in_flight, *args):
        tasks.extend(in_flight[future] for future in done)
        original(self, done, in_flight, *args)

    root = Path(folder)
    cluster = local_cluster(2, dashboard_address=None)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(DaskBackend, "_deliver", spy)
            dask = stored(play(root / "dask", "dask", 2, scheduler=cluster.scheduler_address,
                               hands=40 * PER_TABLE))
        with distributed.Client(cluster) as client:
            left = client.run(lambda dask_worker: sorted(
                set(PROFILER_CALLBACKS) & set(dask_worker.periodic_callbacks)))
    finally:
        cluster.close()
    inline = stored(play(root / "inline", "pool", 1, hands=40 * PER_TABLE))
    return pickled((tasks, dask, inline, list(left.values())))


def test_a_dask_run_plays_its_tables_in_bundles_and_stores_the_same_run(tmp_path):
    # 40 tables on 2 workers: tasks of 5, 4, 3, ... tables, then single tables.
    tasks, dask, inline, left = unpickled(call_in_copy(PLANTED, dask_in_bundles,
                                                       str(tmp_path)))
    assert max(map(len, tasks)) > 1 and len(tasks) < 40
    assert sorted(table for task in tasks for table, _ in task) == list(range(40))
    assert dask == inline
    # The workers' statistical profiler is off (its samples cost CPU and kept memory).
    assert left == [[], []]


@pytest.mark.parametrize("tables, workers", [(1, 1), (7, 2), (40, 2), (1000, 2), (5000, 8)])
def test_bundles_cover_the_plan_in_order_largest_first_single_tables_last(tables, workers):
    plan = [(table, 200) for table in range(tables)]
    tasks = bundles(plan, workers, 8)
    sizes = [len(task) for task in tasks]
    assert [table for task in tasks for table in task] == plan
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= 8
    assert sizes[-2 * workers:] == [1] * min(tables, 2 * workers)  # the tail stays balanced
    if tables >= 1000:
        assert sizes[0] == 8 and len(tasks) < tables / 5
    assert bundles(plan, workers, 1) == [[table] for table in plan]
