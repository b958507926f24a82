"""Shrinking a dump to the smallest hand that fails the same way, and triage: one row per
bug, its shrunk repro replayable and promotable.

Shrinking a dump with planted bugs plays their engine: it runs in the copy of the package
that carries them (the dump read here and sent there pickled, as ``replay()`` sends a case;
the result comes back pickled). `sim run` and `sim triage` go there themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import call_in_copy, invoke_cli, pickled, query, unpickled

from sim.bots import draw_table
from sim.failures.dump import Dump, load
from sim.failures.replay import replay
from sim.failures.shrink import Shrunk, shrink
from sim.failures.signature import same_bug
from sim.failures.verdict import Verdict
from sim.hooks.faults import parse
from sim.runner import RunSettings, play_table

REGRESSIONS = Path(__file__).parents[1] / "regressions"


def shrunk_there(dump: str, seconds: float) -> str:
    """(In the copy carrying the pickled dump's planted bugs.) Its shrink, pickled."""
    return pickled(shrink(unpickled(dump), seconds=seconds))


def shrunk_in_copy(dump: Dump, seconds: float) -> Shrunk | None:
    """``shrink(dump)``, run in the copy carrying the dump's planted bugs."""
    return unpickled(call_in_copy(dump.case.planted, shrunk_there, pickled(dump), seconds))


@pytest.mark.parametrize("bug", ["odd_chip_to_button", "uncalled_bet_kept",
                                 "min_raise_ignores_last_raise"])
def test_a_shrunk_dump_is_smaller_and_fails_the_same_way(bug):
    original = load(REGRESSIONS / f"planted-{bug}.json")
    result = shrunk_in_copy(original, seconds=20)
    assert result is not None
    assert result.after.players <= result.before.players
    assert result.after.actions <= result.before.actions
    if bug != "min_raise_ignores_last_raise":  # that dump is 4 players and 1 action already
        assert (result.after.players, result.after.actions) < \
            (result.before.players, result.before.actions)
    assert same_bug(original.finding, result.dump.finding)
    # An ordinary dump: it replays to the same finding, and says so in the replay's words.
    assert result.verdict.verdict is Verdict.REPRODUCED
    replayed = replay(result.dump.case)
    assert replayed.finding is not None
    assert same_bug(original.finding, replayed.finding)


@pytest.mark.parametrize("bug, fault", [("restore_misreads_last_actor", "crash_restore=1"),
                                        ("check_skips_turn", "duplicate_dispatch=1")])
def test_a_bug_only_a_fault_finds_shrinks_with_its_fault(bug, fault, tmp_path):
    """The bug this guards: shrinking played candidates without the case's faults, so a
    bug only a fault catches never failed again and could not shrink."""
    dumps, results = unpickled(call_in_copy([bug], fault_bug_shrunk, bug, fault,
                                             str(tmp_path)))
    assert dumps, f"{bug} was not caught"
    assert all(dump.case.faults == (fault,) for dump in dumps)
    result = next((r for r in results if r is not None), None)
    assert result is not None, "a fault-only bug did not shrink"
    assert result.dump.case.faults == (fault,)
    assert result.verdict.verdict is Verdict.REPRODUCED, result.verdict.lines()
    assert (result.after.players, result.after.actions) <= \
        (result.before.players, result.before.actions)


def fault_bug_shrunk(bug: str, fault: str, folder: str) -> str:
    """(In the copy carrying ``bug``.) The dumps of the first tables of seed 5 played with
    ``bug`` and ``fault``, and the shrinks of the three smallest, as triage picks them
    (the smallest that deal again at a fresh table: one with a live post does not);
    pickled."""
    settings = RunSettings(seed=5, hands=50, hands_per_table=50, planted=(bug,),
                           failures_dir=Path(folder), faults=(parse(fault),))
    dumps = []
    for table_id in range(8):
        outcome = play_table(draw_table(5, table_id), 50, settings)
        if outcome.dump is not None:
            dumps.append(outcome.dump)
    smallest = sorted(dumps, key=lambda d: len(d.case.actions))[:3]
    return pickled((dumps, [shrink(dump, seconds=10) for dump in smallest]))


def test_a_dump_that_does_not_fail_again_is_not_shrunk(tmp_path):
    data = json.loads((REGRESSIONS / "planted-odd_chip_to_button.json").read_text())
    data["planted_bugs"] = []  # with the bug off, the hand plays clean
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(data))
    assert shrink(load(path), seconds=5) is None


@pytest.fixture(scope="module")
def buggy_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("triage") / "run"
    result = invoke_cli("run", "--hands", 2000, "--seed", 5, "--workers", 1, "--out", out,
                        "--plant-bug", "odd_chip_to_button")
    assert result.exit_code == 1, result.output
    return out


def test_triage_gives_one_row_per_signature_with_a_shrunk_repro(buggy_run):
    failures = query(buggy_run, "SELECT count(*), count(DISTINCT signature) FROM failures")[0]
    assert failures[0] > 1 and failures[1] == 1  # one bug, seen at several tables
    result = invoke_cli("triage", buggy_run, "--seconds", 10)
    assert result.exit_code == 1, result.output
    bugs = query(buggy_run, "SELECT invariant, failures, shrunk_path, players_before, "
                            "actions_before, players_after, actions_after FROM bugs")
    assert len(bugs) == 1
    invariant, count, shrunk, *sizes = bugs[0]
    assert (invariant, count) == ("awards_correct", failures[0])
    assert shrunk is not None and Path(shrunk).parent == buggy_run / "shrunk"
    players_before, actions_before, players_after, actions_after = sizes
    assert (players_after, actions_after) <= (players_before, actions_before)
    assert f"sim replay {shrunk}" in result.output
    replayed = invoke_cli("replay", shrunk)
    assert replayed.exit_code == 1 and "REPRODUCED" in replayed.output
    # A second triage reads the rows kept in the database: the same table, no new shrink.
    again = invoke_cli("triage", buggy_run, "--markdown")
    assert again.exit_code == 1
    assert again.output.startswith("| invariant | message |")
    assert again.output.count("\n") == 3  # header, rule, one bug


def test_triage_promotes_shrunk_dumps_into_a_regression_folder(buggy_run, tmp_path):
    result = invoke_cli("triage", buggy_run, "--promote", tmp_path / "regressions")
    promoted = list((tmp_path / "regressions").glob("*.json"))
    assert len(promoted) == 1, result.output
    assert promoted[0].name.startswith("awards_correct-")
    assert load(promoted[0]).finding.name == "awards_correct"


def test_triage_of_a_clean_run_exits_0(small_run):
    result = invoke_cli("triage", small_run)
    assert result.exit_code == 0, result.output
    assert "no failures" in result.output


def test_triage_of_a_folder_without_a_run_is_bad_input(tmp_path):
    result = invoke_cli("triage", tmp_path)
    assert result.exit_code == 2
    assert "stats.duckdb" in result.output
