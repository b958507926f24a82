"""sim.planted.child and the commands that use it: `sim run --plant-bug NAME` runs whole in
the copy of the package that carries the bug (its output where the parent's goes, its exit
code the parent's), and the run it stores differs from the same run without the bug only
where the bug acts; a Dask cluster reached with --scheduler, whose workers run their own
sim, is refused before anything connects; a function run in the copy that raises says so
with its traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import invoke_cli, query, sim_command

from sim.backends.dask import DaskBackend
from sim.planted.child import ChildFailed, call
from sim.planted.copy import carried
from sim.store.schema import SCHEMA

BUG = "odd_chip_to_button"
# Six tables of 100 hands: the bug breaks four of them, at hands 1 to 54; two play clean.
RUN = ("run", "--hands", 600, "--hands-per-table", 100, "--seed", 5, "--workers", 1)
EXAMPLE = Path(__file__).parents[2] / "examples" / "swarm-vs-depth.toml"


ORDER = {"hands": "table_id, hand_no", "actions": "table_id, seq",
         "results": "table_id, hand_no, seat"}


def rows(out: Path, table: str) -> list[tuple]:
    """Every stored row of ``table`` (its columns of SCHEMA), in order."""
    columns = ", ".join(column for column, _, _ in SCHEMA[table])
    return query(out, f"SELECT {columns} FROM {table} ORDER BY {ORDER[table]}")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The run with the bug, from a real `sim` process (its streams are files: the copy
    writes to them itself), and the same run without it, through click's runner."""
    root = tmp_path_factory.mktemp("child")
    planted = subprocess.run([*sim_command(), *map(str, RUN), "--plant-bug", BUG,
                              "--out", str(root / "planted")],
                             capture_output=True, text=True, check=False)
    (root / "planted.txt").write_text(f"{planted.returncode}\n{planted.stdout}")
    clean = invoke_cli(*RUN, "--out", root / "clean")
    assert clean.exit_code == 0, clean.output
    return {"planted": root / "planted", "clean": root / "clean"}


def test_a_run_with_a_planted_bug_is_caught_and_says_how_to_run_it_again(runs):
    code, output = (runs["planted"].parent / "planted.txt").read_text().split("\n", 1)
    assert code == "1", output  # caught: the copy's exit code is the command's
    assert f"reproduce: sim run --hands 600 --seed 5 --workers 1 --hands-per-table 100 " \
           f"--out {runs['planted']} --plant-bug {BUG}" in output
    assert "awards_correct" in output
    assert carried() == ()  # this process never carried it


def test_its_dumps_and_its_store_record_the_bug(runs):
    out = runs["planted"]
    assert query(out, "SELECT planted_bugs FROM runs") == [([BUG],)]
    assert query(runs["clean"], "SELECT planted_bugs FROM runs") == [([],)]
    dumps = sorted((out / "failures").glob("*.json"))
    assert len(dumps) == 4
    for dump in dumps:
        assert json.loads(dump.read_text())["planted_bugs"] == [BUG]
    assert query(out, "SELECT DISTINCT planted_bugs, invariant FROM failures") == \
        [([BUG], "awards_correct")]


def test_its_hands_differ_from_the_run_without_it_only_where_the_bug_acts(runs):
    planted, clean = runs["planted"], runs["clean"]
    failed = dict(query(planted, "SELECT table_id, hand_no FROM failures"))
    assert query(planted, "SELECT table_id FROM tables WHERE failed ORDER BY 1") == \
        [(table,) for table in sorted(failed)]
    assert len(failed) == 4 and sorted(failed.values())[0] == 1
    # Every table plays as it does without the bug up to the hand where the bug acts: a
    # table it never breaks plays all its hands alike, a broken one those before it.
    played = {(table, hand) for table, hand in query(planted,
                                                     "SELECT table_id, hand_no FROM hands")}
    every = {(table, hand) for table, hand in query(clean, "SELECT table_id, hand_no FROM hands")}
    assert played == {(table, hand) for table, hand in every
                      if hand < failed.get(table, 101)}
    for table in ("hands", "results"):
        assert rows(planted, table) == [row for row in rows(clean, table)
                                        if (row[0], row[1]) in played], table
    # The actions: each table's, up to the dispatch where the bug broke it (the broken
    # hand's actions are stored; the bug acts when the pot is awarded, after them).
    actions, without = rows(planted, "actions"), rows(clean, "actions")
    for table in {row[0] for row in without}:
        mine = [row for row in actions if row[0] == table]
        theirs = [row for row in without if row[0] == table]
        if table in failed:
            assert mine == theirs[:len(mine)], table
            assert mine[-1][1] == failed[table], table  # ... to the broken hand
        else:
            assert mine == theirs, table
    # Where it broke, the hand without the bug ends in a pot split between players: where
    # an odd chip can go to the wrong one.
    for table, hand in failed.items():
        [(winners,)] = query(clean, "SELECT winners FROM hands WHERE table_id = ? AND "
                                    "hand_no = ?", [table, hand])
        assert len(winners) >= 2, (table, hand, winners)


def test_a_dask_cluster_at_an_address_is_refused_before_anything_connects(tmp_path,
                                                                          monkeypatch):
    def connect(*args, **kwargs):
        raise AssertionError("a Dask backend was opened")

    monkeypatch.setattr(DaskBackend, "__init__", connect)
    for command in ("run", "fuzz"):
        budget = ("--hands", 100) if command == "run" else ("--tables", 1)
        out = tmp_path / command
        result = invoke_cli(command, *budget, "--backend", "dask", "--scheduler",
                            "tcp://127.0.0.1:1", "--plant-bug", BUG, "--out", out)
        assert result.exit_code == 2, result.output
        error = result.output.strip().splitlines()[-1]
        assert error == (
            "Error: planted bugs run from a patched copy of sim on this machine, but the "
            "workers of the Dask cluster at tcp://127.0.0.1:1 run their own sim; use "
            "--backend pool, or --backend dask without --scheduler (a cluster started "
            "here).")
        assert not out.exists()


def test_an_experiment_run_with_a_planted_bug_makes_one_run_folder(tmp_path, monkeypatch):
    # Found: the command copied the experiment into the run folder it had drawn before it
    # went to the copy, which drew its own: a second folder holding only experiment.json.
    monkeypatch.chdir(tmp_path)
    result = invoke_cli("run", "--config", EXAMPLE, "--hands", 40, "--hands-per-table", 20,
                        "--workers", 1, "--plant-bug", BUG)
    assert result.exit_code in (0, 1), result.output
    [folder] = (tmp_path / "runs").iterdir()
    assert {path.name for path in folder.iterdir()} >= {"experiment.json", "stats.duckdb"}
    assert f"--out {Path('runs') / folder.name} " in result.output


def test_a_function_that_raises_in_the_copy_is_a_child_failure_with_its_traceback():
    with pytest.raises(ChildFailed) as failed:
        call([BUG], "sim.failures.replay:replayed_here", b"not a pickle")
    message = str(failed.value)
    assert message.startswith("sim.failures.replay:replayed_here failed in the copy carrying "
                              f"planted bugs {BUG}:\n")
    assert "Traceback (most recent call last)" in message
    assert "UnpicklingError" in message
