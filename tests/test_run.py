"""sim.run and the store it fills: the same seed gives the same rows whatever --workers is;
a killed or interrupted run holds whole tables only and --resume finishes it to exactly the
rows of a clean run; a crashed worker costs its table, not the run.

These tests start `sim run` as a real process (worker processes, signals). One clean run of
RUN_ARGS is shared by every test (and every xdist worker) that compares against it.
"""

from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import re
import shutil
import signal
import struct
import subprocess
import termios
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import invoke_cli, query, sim_command

import sim
from sim.engine import ENGINE_VERSION
from sim.run import StopRequest, _ctrl_c_stops
from sim.store.shards import unjournaled

# Seed 2's tables happen not to lose hands to the runner's dropped-hand bug (see
# test_a_hand_ended_by_a_request_between_hands_is_stored), so the tests below test what they
# say; seed 20261127's tables 10 and 25 do lose hands.
SEED = 2
HANDS = 3000  # 30 tables: long enough (several seconds) to kill a run in the middle
PER_TABLE = 100
TABLES = HANDS // PER_TABLE
RUN_ARGS = ("run", "--hands", HANDS, "--seed", SEED, "--hands-per-table", PER_TABLE)
TIMEOUT_S = 300  # a hung run fails the test instead of hanging the suite
PROGRESS = re.compile(rb"\| *([0-9.]+)k?/[0-9.]+k? \[")  # tqdm: "| 1.20k/3.00k [00:01<..."

# The columns of `tables` that follow from the seed (not seconds, not memory).
TABLE_COLUMNS = ("table_id, table_seed, seats, small_blind, big_blind, ante, min_buy_in, "
                 "max_buy_in, bots, bot_kinds, opening, hands_planned, hands_played, "
                 "dispatches, checks, rejected, stalled, failed")


def start(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`sim ARGS` in its own process group (so a signal reaches it and its workers)."""
    return subprocess.Popen([*sim_command(), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, **(env or {})})


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError(f"sim did not finish in {TIMEOUT_S} s:\n{out}\n{err}") from None
    return process.returncode, out, err


def sim_run(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return finish(start(*args, env=env))


def rows(folder: Path) -> dict[str, list[tuple]]:
    """Everything a run stores that follows from its seed, as sorted row lists."""
    return {
        "hands": sorted(query(folder, "SELECT * EXCLUDE (run_id) FROM hands")),
        "actions": sorted(query(folder, "SELECT * EXCLUDE (run_id) FROM actions"),
                          key=repr),
        "results": sorted(query(folder, "SELECT * EXCLUDE (run_id) FROM results")),
        "tables": sorted(query(folder, f"SELECT {TABLE_COLUMNS} FROM tables"), key=repr),
        "coverage": sorted(query(folder, "SELECT table_id, point, hits FROM coverage "
                                         "WHERE hits > 0")),
        "failures": sorted(query(folder, "SELECT table_id, hand_no, invariant FROM failures"),
                           key=repr),
    }


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """The clean one-worker run of RUN_ARGS, made once for all xdist workers, on first use."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this session
    folder = root / "reference-run"

    def get() -> Path:
        with open(root / "reference-run.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (root / "reference-run.done").exists():
                shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
                code, out, err = sim_run(*RUN_ARGS, "--workers", 1, "--out", folder)
                assert code == 0, out + err
                (root / "reference-run.done").write_text(out)
        return folder

    return get


class Watched:
    """`sim ARGS` with its standard error on a pseudo-terminal, where `sim run` draws a
    progress bar that moves only after a commit: the sign that whole tables are stored."""

    def __init__(self, *args: object) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 160, 0, 0))
        # Each table takes at least 0.15 s, so the run is still in its middle when the test
        # stops it, however fast the machine plays (30 tables: 2.3 s or more on 2 workers).
        self.process = subprocess.Popen([*sim_command(), *map(str, args),
                                         "--fault", "slow_tables=0.15"],
                                        stdout=subprocess.PIPE, stderr=slave, text=True,
                                        start_new_session=True)
        os.close(slave)
        self.master = master
        self.err = bytearray()
        self.committed = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:  # until every process holding the terminal is gone (EIO)
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.err += chunk
            if any(float(done) > 0 for done in PROGRESS.findall(self.err[-4096:])):
                self.committed.set()

    def wait_for_first_commit(self) -> None:
        if not self.committed.wait(TIMEOUT_S):
            self.signal(signal.SIGKILL)
            raise AssertionError(f"nothing stored in {TIMEOUT_S} s: {self.err!r}")
        assert self.process.poll() is None, "the run ended before it could be stopped in " \
                                            "the middle; raise HANDS"

    def signal(self, number: int) -> None:
        os.killpg(self.process.pid, number)  # as a terminal does: the run and its workers

    def finish(self) -> tuple[int, str, str]:
        code, out, _ = finish(self.process)
        self.reader.join(TIMEOUT_S)
        os.close(self.master)
        return code, out, self.err.decode(errors="replace")


def assert_whole_tables(folder: Path) -> list[int]:
    """Every stored table has all its rows and nothing else is stored; returns the table ids."""
    tables = dict(query(folder, "SELECT table_id, hands_played FROM tables"))
    for name in ("hands", "results", "actions", "coverage"):
        orphans = query(folder, f"SELECT DISTINCT table_id FROM {name} "
                                "WHERE table_id NOT IN (SELECT table_id FROM tables)")
        assert orphans == [], f"{name} holds rows of tables that are not stored: {orphans}"
    hands = dict(query(folder, "SELECT table_id, count(DISTINCT hand_no) FROM hands GROUP BY 1"))
    results = dict(query(folder, "SELECT table_id, count(DISTINCT hand_no) FROM results "
                                 "GROUP BY 1"))
    actions = {t: (n, top) for t, n, top in query(
        folder, "SELECT table_id, count(*), max(seq) FROM actions GROUP BY 1")}
    for table_id, played in tables.items():
        assert 0 < played <= PER_TABLE, (table_id, played)
        assert hands.get(table_id, 0) == played, table_id
        assert results.get(table_id, 0) == played, table_id
        count, top = actions[table_id]
        assert count == top, f"table {table_id} lost actions: {count} of seq 1..{top}"
    return sorted(tables)


# -- a clean run -------------------------------------------------------------------------------

def test_one_and_two_workers_store_the_same_rows(reference, tmp_path):
    two = tmp_path / "two"
    code, out, err = sim_run(*RUN_ARGS, "--workers", 2, "--out", two)
    assert code == 0, out + err
    one = reference()
    first, second = rows(one), rows(two)
    assert len(first["hands"]) == HANDS
    for name in first:
        assert first[name] == second[name], name
    assert query(two, "SELECT workers FROM runs") == [(2,)]


def test_a_run_stores_each_hand_once_and_zero_sum(reference):
    folder = reference()
    assert query(folder, "SELECT count(*), count(DISTINCT (table_id, hand_no)) FROM hands") == \
        [(HANDS, HANDS)]
    [(results, distinct)] = query(folder, "SELECT count(*), count(DISTINCT (table_id, "
                                          "hand_no, seat)) FROM results")
    assert results == distinct > 2 * HANDS
    [(actions, distinct)] = query(folder, "SELECT count(*), count(DISTINCT (table_id, seq)) "
                                          "FROM actions")
    assert actions == distinct > HANDS
    assert query(folder, "SELECT sum(net) FROM results") == [(0,)]
    assert query(folder, "SELECT table_id, hand_no, sum(net) FROM results GROUP BY ALL "
                         "HAVING sum(net) <> 0") == []
    assert query(folder, "SELECT count(*) FROM results WHERE net <> final_stack - start_stack"
                 ) == [(0,)]
    assert query(folder, "SELECT DISTINCT table_id, hand_no FROM results EXCEPT "
                         "SELECT table_id, hand_no FROM hands") == []
    assert query(folder, "SELECT table_id, hand_no FROM hands EXCEPT "
                         "SELECT table_id, hand_no FROM results") == []
    per_table = query(folder, "SELECT table_id, min(hand_no), max(hand_no), count(*) "
                              "FROM hands GROUP BY 1 ORDER BY 1")
    assert per_table == [(t, 1, PER_TABLE, PER_TABLE) for t in range(TABLES)]
    assert_whole_tables(folder)


def test_the_runs_row_has_the_totals(reference):
    folder = reference()
    run = query(folder, "SELECT run_id, seed, hands_requested, hands_per_table, workers, "
                        "planted_bugs, invariants, engine_version, harness_version, status, "
                        "hands, tables, failures FROM runs")
    assert run == [(folder.name, SEED, HANDS, PER_TABLE, 1, [], None, ENGINE_VERSION,
                    sim.__version__, "completed", HANDS, TABLES, 0)]
    command, started, ended, seconds, rate = query(
        folder, "SELECT command, started_at, ended_at, seconds, hands_per_s FROM runs")[0]
    printed = (folder.parent / "reference-run.done").read_text()
    assert f"reproduce: {command}\n" in printed
    assert f"--seed {SEED}" in command and f"--out {folder}" in command
    assert started <= ended
    assert seconds > 0
    assert rate == pytest.approx(HANDS / seconds)
    tables = query(folder, "SELECT sum(hands_played), sum(hands_planned), count(*), "
                           "bool_or(failed), bool_or(stalled) FROM tables")
    assert tables == [(HANDS, HANDS, TABLES, False, False)]
    assert (folder / "run.log").read_text().strip()


# -- stopping and resuming ---------------------------------------------------------------------

@pytest.mark.parametrize("resume_backend", ["pool", "dask"])
def test_a_killed_run_keeps_whole_tables_and_resume_finishes_it(reference, tmp_path,
                                                                  resume_backend):
    out = tmp_path / "killed"
    run = Watched(*RUN_ARGS, "--workers", 2, "--out", out)
    run.wait_for_first_commit()
    run.signal(signal.SIGKILL)  # the run and its workers, at once
    code, _, _ = run.finish()
    assert code == -signal.SIGKILL

    assert query(out, "SELECT status, ended_at FROM runs") == [("running", None)]
    stored = assert_whole_tables(out)
    assert 0 < len(stored) < TABLES, "the kill was meant to land in the middle of the run"

    code, printed, err = sim_run("run", "--resume", out, "--workers", 2,
                                 "--backend", resume_backend)
    assert code == 0, printed + err
    assert f"seed {SEED}" in printed
    assert query(out, "SELECT status, hands, tables FROM runs") == [
        ("completed", HANDS, TABLES)]
    assert assert_whole_tables(out) == list(range(TABLES))
    assert rows(out) == rows(reference())


def workers_of(pid: int) -> list[int]:
    """The pool's worker processes of the `sim run` process ``pid``."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        command = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in command:
            found.append(int(child))
    return found


def test_a_killed_worker_loses_and_duplicates_nothing(reference, tmp_path):
    out = tmp_path / "worker-killed"
    run = Watched(*RUN_ARGS, "--workers", 2, "--out", out)
    run.wait_for_first_commit()
    [victim, *_] = workers_of(run.process.pid)
    os.kill(victim, signal.SIGKILL)  # mid-task: its tables are played again, one by one
    code, printed, err = run.finish()
    assert code == 0, printed + err
    assert "a worker process died" in err
    assert query(out, "SELECT status, hands, tables FROM runs") == [
        ("completed", HANDS, TABLES)]
    assert assert_whole_tables(out) == list(range(TABLES))
    assert rows(out) == rows(reference())
    assert unjournaled(out / "shards") == []


def test_a_killed_main_process_loses_and_duplicates_nothing_after_resume(reference, tmp_path):
    out = tmp_path / "driver-killed"
    run = Watched(*RUN_ARGS, "--workers", 2, "--out", out)
    run.wait_for_first_commit()
    os.kill(run.process.pid, signal.SIGKILL)  # the main process alone: its workers follow
    code, _, _ = run.finish()
    assert code == -signal.SIGKILL
    stored = assert_whole_tables(out)
    assert 0 < len(stored) < TABLES
    code, printed, err = sim_run("run", "--resume", out, "--workers", 2)
    assert code == 0, printed + err
    assert query(out, "SELECT status, hands, tables FROM runs") == [
        ("completed", HANDS, TABLES)]
    assert assert_whole_tables(out) == list(range(TABLES))
    assert rows(out) == rows(reference())
    assert unjournaled(out / "shards") == []


@pytest.mark.parametrize("workers, backend", [(1, "pool"), (2, "pool"), (2, "dask")])
def test_ctrl_c_stops_cleanly_and_resume_finishes_it(reference, tmp_path, workers, backend):
    # Resumed on the pool with the other number of workers: the same rows as a clean run.
    out = tmp_path / "interrupted"
    run = Watched(*RUN_ARGS, "--workers", workers, "--backend", backend, "--out", out)
    run.wait_for_first_commit()
    run.signal(signal.SIGINT)  # Ctrl-C
    code, printed, err = run.finish()
    assert code == 130, printed + err
    assert "Traceback" not in err
    assert f"sim run --resume {out}" in printed

    assert query(out, "SELECT status FROM runs") == [("interrupted",)]
    stored = assert_whole_tables(out)
    assert 0 < len(stored) < TABLES
    assert query(out, "SELECT hands, tables FROM runs") == [(len(stored) * PER_TABLE,
                                                             len(stored))]

    code, printed, err = sim_run("run", "--resume", out, "--workers", 3 - workers)
    assert code == 0, printed + err
    assert query(out, "SELECT status, hands, tables, workers FROM runs") == [
        ("completed", HANDS, TABLES, 3 - workers)]
    assert rows(out) == rows(reference())


def test_a_crashed_worker_costs_only_its_table(reference, tmp_path):
    out = tmp_path / "crashed"
    code, printed, err = sim_run("run", "--hands", 3 * PER_TABLE, "--seed", SEED,
                                 "--hands-per-table", PER_TABLE, "--workers", 2,
                                 "--invariants", "chip_conservation", "--out", out,
                                 "--fault", "crash_worker=1")
    assert code == 3, printed + err  # a worker died: exit 3
    assert "worker_crashed" in printed
    assert query(out, "SELECT status, tables, failures FROM runs") == [("completed", 3, 1)]
    assert query(out, "SELECT table_id, hands_played, failed FROM tables ORDER BY 1") == [
        (0, PER_TABLE, False), (1, 0, True), (2, PER_TABLE, False)]
    failure = query(out, "SELECT table_id, hand_no, invariant, replay_command FROM failures")
    assert len(failure) == 1
    table_id, hand_no, invariant, command = failure[0]
    assert (table_id, hand_no, invariant) == (1, None, "worker_crashed")
    assert "--table 1" in command and f"--seed {SEED}" in command
    assert query(out, "SELECT count(*) FROM hands WHERE table_id = 1") == [(0,)]
    # The tables that did play are the reference run's tables 0 and 2, row for row.
    crashed, clean = rows(out), rows(reference())
    for name in ("hands", "actions", "results"):
        assert crashed[name] == [r for r in clean[name] if r[0] in (0, 2)], name


def test_a_crashed_tables_replay_command_keeps_the_runs_settings():
    from sim.run import crashed_record
    from sim.runner import RunSettings

    settings = RunSettings(seed=3, hands=500, hands_per_table=100,
                           invariants=("chip_conservation",), planted=("deal_reuses_card",))
    record = crashed_record(settings, 2, 100)
    assert record.finding is not None and record.finding.kind.value == "worker_crashed"
    command = record.replay_command
    assert command is not None
    assert "--table 2" in command and "--seed 3" in command and "--hands 500" in command
    assert "--hands-per-table 100" in command


def test_a_crashed_tables_replay_command_keeps_planted_bugs_and_invariants():
    # Found: the command left out --plant-bug and --invariants, so it replayed another run.
    from sim.run import crashed_record
    from sim.runner import RunSettings

    settings = RunSettings(seed=3, hands=500, hands_per_table=100,
                           invariants=("chip_conservation",), planted=("deal_reuses_card",))
    command = crashed_record(settings, 2, 100).replay_command
    assert command is not None
    assert "--plant-bug deal_reuses_card" in command
    assert "--invariants chip_conservation" in command


def test_resume_of_a_one_table_run_plays_no_other_table(tmp_path):
    # Found: the runs row did not keep --table, so --resume played every other table too.
    out = tmp_path / "one-table"
    args = ("--hands", 400, "--hands-per-table", 100, "--seed", 3, "--workers", 1,
            "--invariants", "chip_conservation")
    result = invoke_cli("run", *args, "--table", 1, "--out", out)
    assert result.exit_code == 0, result.output
    result = invoke_cli("run", "--resume", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert query(out, "SELECT table_id FROM tables") == [(1,)]


def test_a_hand_ended_by_a_request_between_hands_is_stored(tmp_path):
    # Found: the hands ended by a between-hand request got no hands/results rows.
    # Table 10 of seed 20261127: heads-up, a random bot against a seat-hopper, who leaves at
    # the start of hands 2, 22 and 24 (and so ends them).
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 3000, "--hands-per-table", 100, "--seed", 20261127,
                        "--table", 10, "--workers", 1, "--invariants", "chip_conservation",
                        "--out", out)
    assert result.exit_code == 0, result.output
    assert query(out, "SELECT hands_played FROM tables") == [(100,)]
    assert query(out, "SELECT hands FROM runs") == [(100,)]
    assert query(out, "SELECT count(*) FROM hands") == [(100,)]


def test_a_ctrl_c_landing_while_the_stop_event_is_locked_does_not_deadlock():
    """Found by this suite (a 2-worker Ctrl-C test hung): the SIGINT handler ran while the
    main thread was inside the stop event's is_set(), holding its lock, and asked for the
    same lock. The handler now takes no lock; the next is_set() passes the request on."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signal handlers are installed from the main thread only")
    stop = StopRequest(mp.get_context("spawn").Event())
    with _ctrl_c_stops(stop):
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        returned = threading.Event()

        def press_ctrl_c() -> None:
            handler(signal.SIGINT, None)
            returned.set()

        with stop.event._cond:  # what the main thread holds inside Event.is_set()
            presser = threading.Thread(target=press_ctrl_c, daemon=True)
            presser.start()
            handled = returned.wait(5)
        presser.join(5)
        assert handled, "the Ctrl-C handler waited for the stop event's lock"
        assert not stop.event.is_set()  # only counted so far
        assert stop.is_set() and stop.event.is_set()  # passed on by ordinary code
        with pytest.raises(KeyboardInterrupt):  # a second Ctrl-C stops at once
            handler(signal.SIGINT, None)


def test_resume_of_a_complete_run_says_so_and_changes_nothing(tmp_path):
    out = tmp_path / "done"
    args = ("--hands", 200, "--hands-per-table", 100, "--seed", 3, "--workers", 1,
            "--invariants", "chip_conservation")
    assert invoke_cli("run", *args, "--out", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = invoke_cli("run", "--resume", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert f"run done in {out} is complete: 200 hands on 2 tables, 0 failures; nothing to " \
           "resume, nothing changed" in result.output
    assert "coverage" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_resume_of_a_complete_run_that_failed_exits_as_the_run_did(tmp_path):
    out = tmp_path / "failed"
    args = ("--hands", 50, "--hands-per-table", 25, "--seed", 5, "--workers", 1,
            "--plant-bug", "neighbour_sees_hole")
    assert invoke_cli("run", *args, "--out", out).exit_code == 1
    result = invoke_cli("run", "--resume", out, "--workers", 1)
    assert result.exit_code == 1, result.output
    assert "is complete" in result.output


def test_counts_of_one_are_singular(tmp_path):
    out = tmp_path / "one"
    result = invoke_cli("run", "--hands", 20, "--hands-per-table", 20, "--seed", 3,
                        "--workers", 1, "--out", out)
    assert result.exit_code == 0, result.output
    assert re.search(r"^played 20 hands on 1 table in ", result.output, flags=re.M)
    assert "1 worker," in result.output and "1 workers" not in result.output
    report = invoke_cli("report", out).output
    assert "20 hands on 1 table in" in report and "1 worker)" in report
