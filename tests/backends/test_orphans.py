"""Workers exit on their own within 5 s when the main process of `sim run` dies (kill -9),
on the local pool and on a Dask LocalCluster started by the run: nothing stays behind
asleep, or stuck in a hang that holds its interpreter (the planted bug
busted_seat_hangs_dealer, with a hand timeout long enough that the run does not kill the
worker first). The run's tables are slowed (the slow_tables fault) so it is still playing
when the test kills it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import sim_command

EXIT_WITHIN_S = 5
START_TIMEOUT_S = 120


def descendants(pid: int) -> set[int]:
    """The live (not zombie) processes below ``pid``."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found and alive(child):
                    found.add(child)
                    todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


PLAYING = ("--hands", "20000", "--hands-per-table", "50", "--seed", "1")
# Seed 7, 20 hands a table: table 0 hangs in its hand 6, within a second.
HUNG = ("--hands", "60", "--hands-per-table", "20", "--seed", "7", "--plant-bug",
        "busted_seat_hangs_dealer", "--hand-timeout", "60")


@pytest.mark.parametrize("backend", ["pool", "dask"])
@pytest.mark.parametrize("run", [PLAYING, HUNG], ids=["playing", "hung"])
def test_workers_exit_when_the_main_process_is_killed(tmp_path, backend, run):
    process = subprocess.Popen(
        [*sim_command(), "run", *run, "--workers", "2", "--backend", backend,
         "--out", str(tmp_path / "run"), "--fault", "slow_tables=0.2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(workers) < 2 and time.monotonic() < deadline:  # the workers (and helpers)
            time.sleep(0.2)
            workers = descendants(process.pid)
        assert len(workers) >= 2, f"no 2 workers started in {START_TIMEOUT_S} s"
        time.sleep(2)  # playing tables
        workers = descendants(process.pid)
        process.kill()  # the main process alone: kill -9
        process.wait()
        deadline = time.monotonic() + EXIT_WITHIN_S
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [pid for pid in workers if alive(pid)]
        assert not left, f"processes {left} outlived the main process by {EXIT_WITHIN_S} s"
    finally:  # what a failing test leaves behind
        for pid in workers | {process.pid}:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.wait()
