"""End to end: `sim run` tests its run-level checks once its tables are stored. A run too
small tests nothing, a clean 20,000-hand run passes, and each planted statistical bug,
which no hand shows, fails its check: exit 1, a failures row of kind statistical with no
table and no hand, a dump that `sim replay` reproduces, and a row of `sim triage`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke_cli, query

from sim import exits
from sim.planted.catalogue import CATALOGUE
from sim.planted.statistics import BUGS


def test_a_run_too_small_tests_nothing(small_run: Path):
    output = (small_run.parent / "output.txt").read_text()
    assert ("run checks: nothing tested: 300 hands, fewer than the 2,000 the run checks "
            "need") in output
    assert query(small_run, "SELECT count(*) FROM failures") == [(0,)]


@pytest.mark.slow
def test_a_clean_run_of_20000_hands_passes(tmp_path):
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 20_000, "--seed", 11, "--workers", 1, "--out", out)
    assert result.exit_code == exits.CLEAN, result.output
    assert ("run checks over 20,000 hands on 100 tables: 107 tests, Holm at family-wise "
            "alpha 0.0001: all passed") in result.output
    assert query(out, "SELECT count(*) FROM failures") == [(0,)]


@pytest.mark.slow
@pytest.mark.parametrize("bug", [bug.name for bug in BUGS])
def test_a_planted_statistical_bug_is_caught_dumped_replayed_and_triaged(bug, tmp_path):
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 20_000, "--seed", 5, "--workers", 1,
                        "--plant-bug", bug, "--out", out)
    assert result.exit_code == exits.FAILED, result.output
    rows = query(out, "SELECT table_id, hand_no, dispatch, kind, invariant, dump_path, "
                      "replay_command, planted_bugs, signature FROM failures")
    # No hand shows it: every invariant checked every dispatch, and only the run failed.
    assert rows and all(row[:4] == (None, None, None, "statistical") for row in rows), rows
    caught = {row[4]: row for row in rows}
    check = CATALOGUE[bug].caught_by
    assert check in caught, sorted(caught)
    _, _, _, _, _, dump, command, planted, signature = caught[check]
    assert Path(dump).name == f"run-{check}.json" and Path(dump).is_file()
    assert command == f"sim replay {dump}" and planted == [bug] and signature
    assert query(out, "SELECT failures FROM runs") == [(len(rows),)]

    replayed = invoke_cli("replay", dump)
    assert replayed.exit_code == exits.FAILED, replayed.output
    assert "the same decks the run dealt" in replayed.output
    assert replayed.output.splitlines()[-1].startswith(f"REPRODUCED: {check}: ")

    triaged = invoke_cli("triage", out)
    assert triaged.exit_code == exits.FAILED, triaged.output
    lines = [line for line in triaged.output.splitlines() if line.startswith(check + " ")]
    assert len(lines) == 1 and "the run" in lines[0] and f"sim replay {dump}" in lines[0]
