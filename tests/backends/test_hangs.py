"""A hang the in-process watchdog cannot stop, caught by the run's main process on the pool
and on Dask: the planted bug ``busted_seat_hangs_dealer`` loops in builtins that never run
a signal handler. The worker is killed; the hung table is stored once, as a liveness
failure with a dump whose replay hangs the same way (and ``sim replay`` says so, exit 4);
the other tables are stored; the hung table is never played again, the other tables of its
task are.

Seed 7, 20 hands a table: table 0 hangs in hand 6 (in dispatch 49, a raise that ends the
hand and deals the next); tables 1 and 2 do not hang.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import distributed
import pytest
from conftest import call_in_copy, invoke_cli, query

from sim.backends import open_backend
from sim.backends.base import StopRequest, Tasks
from sim.backends.dask import local_cluster
from sim.backends.hangs import FIELDS, Beat, Hangs, SlotPulse, ThreadSlots, read_beats
from sim.failures.dump import load
from sim.failures.guard import replay_guarded
from sim.finding import Kind
from sim.run import crashed_record
from sim.runner import RunSettings
from sim.runner.settings import with_hand_timeout
from sim.runner.task import play_task

BUG = "busted_seat_hangs_dealer"
SEED, PER_TABLE, HUNG, HUNG_HAND = 7, 20, 0, 6
RUN = ("--hands", 3 * PER_TABLE, "--hands-per-table", PER_TABLE, "--seed", SEED,
       "--plant-bug", BUG, "--hand-timeout", 1)
# Generous: the hang is seen 1 + 2 s after it starts, its table played again (a second or
# two to start a process and play 6 hands) stalls 1.5 s; workers and clusters start.
BOUND_S = 60


class Submitted(list):
    """The tables of each task submitted, in order (a spy on ``submit``)."""

    def spy(self, submit):
        def recorded(executor, *args, **kwargs):
            self.append([table for table, _ in args[-1]])  # the task is the last argument
            return submit(executor, *args, **kwargs)
        return recorded

    def times(self, table: int) -> int:
        return sum(task.count(table) for task in self)


@contextlib.contextmanager
def spied(dask: bool) -> Iterator[tuple[Submitted, distributed.LocalCluster | None]]:
    """A spy on the pool's and Dask's submit, and a Dask LocalCluster of 2 workers when
    ``dask`` (else None), for as long as the block runs."""
    submitted = Submitted()
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(local_cluster(2, dashboard_address=None)) if dask \
            else None
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setattr(ProcessPoolExecutor, "submit", submitted.spy(ProcessPoolExecutor.submit))
        patch.setattr(distributed.Client, "submit", submitted.spy(distributed.Client.submit))
        yield submitted, cluster


def spied_cli(args: list, dask: bool) -> dict:
    """(Run in the copy carrying BUG, by ``call_in_copy``: the planted bug is its code.)
    ``sim ARGS``, on a Dask LocalCluster of 2 workers started here when ``dask``, with a spy
    on the backends' submit: its exit code and output, the tables of each task submitted,
    the seconds it took (the cluster's start not counted), and the cluster's workers at the
    end."""
    workers = None
    with spied(dask) as (submitted, cluster):
        if cluster is not None:
            args = [*args, "--backend", "dask", "--scheduler", cluster.scheduler_address]
        started = time.monotonic()
        result = invoke_cli(*args)
        seconds = time.monotonic() - started
        if cluster is not None:  # the killed worker's nanny starts another: given time
            deadline = time.monotonic() + 30
            while len(cluster.scheduler.workers) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
            workers = len(cluster.scheduler.workers)
    return {"exit_code": result.exit_code, "output": result.output, "seconds": seconds,
            "submitted": list(submitted), "workers": workers}


def sim_run(out: Path, *more: object, dask: bool = False) -> tuple[object, float, Submitted]:
    done = call_in_copy((BUG,), spied_cli, ["run", *map(str, RUN), *more, "--out", str(out)],
                        dask)
    return SimpleNamespace(**done), done["seconds"], Submitted(done["submitted"])


def assert_caught(out: Path, result, seconds: float, submitted: Submitted) -> Path:
    """The run exited 4 in time with the hung table stored once, as a liveness failure with
    a dump, and every other table whole; the hung table was submitted once. Returns the
    dump."""
    assert result.exit_code == 4, result.output
    assert seconds < BOUND_S
    assert query(out, "SELECT table_id, hands_played, failed FROM tables ORDER BY table_id") \
        == [(0, 0, True), (1, PER_TABLE, False), (2, PER_TABLE, False)]
    [(table, hand, kind, message, path)] = query(
        out, "SELECT table_id, hand_no, kind, message, dump_path FROM failures")
    assert (table, hand, kind) == (HUNG, HUNG_HAND, "liveness")
    assert message == "the hand did not end within 1 s (hand_timeout)"
    assert submitted.times(HUNG) == 1
    assert "came back twice" not in (out / "run.log").read_text()
    dump = load(Path(path))
    assert dump.case.planted == (BUG,) and dump.case.faults == ("hand_timeout=1",)
    trace = dump.finding.trace
    assert "made no progress for 1 + 2 s after hand 5 and was killed" in trace
    assert 'dealer.py", line' in trace and "in start_hand" in trace  # where it hung
    return Path(path)


@pytest.fixture(scope="module")
def pool_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, float, Submitted]:
    out = tmp_path_factory.mktemp("hang") / "pool"
    return (out, *sim_run(out, "--workers", 2))


def test_sim_run_catches_a_hang_on_the_pool(pool_run):
    out, result, seconds, submitted = pool_run
    assert_caught(out, result, seconds, submitted)


def test_sim_run_catches_a_hang_on_dask(tmp_path):
    out = tmp_path / "dask"
    result, seconds, submitted = sim_run(out, dask=True)
    assert_caught(out, result, seconds, submitted)
    assert result.workers == 2  # the killed worker's nanny started another


def test_sim_replay_of_the_dump_reports_the_hang(pool_run):
    out, *_ = pool_run
    [(path,)] = query(out, "SELECT dump_path FROM failures")
    dump = load(Path(path))
    started = time.monotonic()
    result = invoke_cli("replay", path)
    assert time.monotonic() - started < BOUND_S
    assert result.exit_code == 4, result.output
    assert (f"REPRODUCED at dispatch {dump.finding.dispatch}: liveness: the hand did not end "
            "within 1 s (hand_timeout)") in result.output
    # The same through the library, with the state before the dispatch that never returned.
    replayed = replay_guarded(dump.case)
    assert replayed.finding.kind is Kind.LIVENESS
    assert replayed.finding.dispatch == dump.finding.dispatch == len(dump.case.actions)
    assert replayed.cursor.last == dump.finding.dispatch - 1
    assert replayed.cursor.describe().endswith(dump.describe.split("\n", 1)[1])
    assert "in start_hand" in replayed.finding.trace


def replayed_tasks(backend: str, folder: str) -> dict:
    """(Run in the copy carrying BUG.) One task of tables 0, 1 and 2 played on ``backend``
    (Dask: a LocalCluster of 2 started here): the tables of each task submitted, and each
    table's finding as (kind, hand) and whether it has a dump."""
    settings = with_hand_timeout(RunSettings(seed=SEED, hands=3 * PER_TABLE,
                                             hands_per_table=PER_TABLE, planted=(BUG,),
                                             failures_dir=Path(folder)), 1)
    records = []
    with spied(backend == "dask") as (submitted, cluster):
        scheduler = cluster.scheduler_address if cluster is not None else None
        with open_backend(backend, 2, mp.get_context("spawn").Queue(), scheduler) as players:
            players.play(settings, Tasks([[(table, PER_TABLE) for table in range(3)]]),
                         play_task, crashed_record, records.extend,
                         StopRequest(mp.get_context("spawn").Event()))
    return {"submitted": list(submitted),
            "found": {str(record.table_id): None if record.finding is None else
                      [record.finding.kind.value, record.finding.hand_no, record.dump is not None]
                      for record in records},
            "tables": sorted(record.table_id for record in records)}


@pytest.mark.parametrize("backend", ["pool", "dask"])
def test_the_other_tables_of_a_hung_task_are_played_again(backend, tmp_path):
    done = call_in_copy((BUG,), replayed_tasks, backend, str(tmp_path / "failures"))
    assert done["submitted"] == [[0, 1, 2], [1, 2]]
    assert done["tables"] == [0, 1, 2]
    found = done["found"]
    assert found["1"] is None and found["2"] is None
    assert found["0"] == [Kind.LIVENESS.value, HUNG_HAND, True]


@pytest.mark.parametrize("backend", ["pool", "dask"])
def test_sim_fuzz_catches_a_hang_and_does_not_shrink_it(backend, tmp_path):
    # Seed 6, 3 tables of the fuzz's swarm: one hangs.
    out = tmp_path / "fuzz"
    result = call_in_copy((BUG,), spied_cli, [
        "fuzz", "--tables", "3", "--seed", "6", *([] if backend == "dask" else ["--workers", "2"]),
        "--hands-per-table",
        str(PER_TABLE), "--plant-bug", BUG, "--hand-timeout", "1", "--fault", "none",
        "--shrink-seconds", "5", "--out", str(out)], backend == "dask")
    assert result["seconds"] < BOUND_S
    assert result["exit_code"] == 4, result["output"]
    assert query(out, "SELECT count(*), min(kind) FROM failures") == [(1, "liveness")]
    # A hang is not shrunk: the shrinker plays candidates in its own process.
    assert query(out, "SELECT failures, shrunk_path FROM bugs") == [(1, None)]
    assert not (out / "shrunk").exists()


# -- the pulses and the watch ---------------------------------------------------------------

def test_a_pulse_beats_in_its_slot_and_rests():
    slots = [0] * (2 * FIELDS)
    pulse = SlotPulse(slots, 1)
    assert read_beats(slots) == {1: Beat(pulse.slots[FIELDS], False, 0, 0, 0)}
    pulse.beat(7, 0)
    pulse.beat(7, 1)
    assert read_beats(slots)[1] == Beat(slots[FIELDS], True, 7, 1, 2)
    pulse.rest()
    assert read_beats(slots)[1].busy is False


def test_each_thread_beats_its_own_slot_and_extra_threads_go_unseen():
    slots = [0] * (2 * FIELDS)
    pulses = ThreadSlots(slots, 2)
    together = threading.Barrier(3)  # alive at once: a thread's id is reused once it ends

    def play(table: int) -> None:
        pulses.beat(table, 9)
        together.wait(10)

    threads = [threading.Thread(target=play, args=(table,)) for table in (3, 4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    beats = read_beats(slots)
    assert len(beats) == 2  # the first two threads to beat
    assert {b.table_id for b in beats.values()} < {3, 4, 5}
    assert {(b.hand_no, b.beats, b.busy) for b in beats.values()} == {(9, 1, True)}


def test_the_watch_finds_a_busy_pulse_that_stayed_still_once(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    hangs = Hangs(with_hand_timeout(RunSettings(seed=1, hands=1), 1))
    busy, idle = Beat(11, True, 3, 5, 40), Beat(12, False, 4, 2, 9)
    assert hangs.hung({"a": busy, "b": idle}) == []
    clock[0] += 3.5  # past 1 + 2 s
    assert hangs.hung({"a": busy, "b": idle}) == [("a", busy)]
    assert hangs.hung({"a": busy, "b": idle}) == []  # once
    moved = Beat(11, True, 3, 6, 41)
    assert hangs.hung({"a": moved}) == []
    clock[0] += 3.5
    assert hangs.hung({"a": moved}) == [("a", moved)]
    assert not Hangs(with_hand_timeout(RunSettings(seed=1, hands=1), 0)).on
