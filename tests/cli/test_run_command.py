"""The `sim` command line: option parsing, usage errors, `sim bugs`, `sim run`'s output and
its reproduce command. (`sim replay` is in test_failures.py, `sim query` and `sim report`
in test_reports.py.)"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
from conftest import fingerprint, forget_tables, query

from sim.cli.params import HandsType
from sim.invariants.base import INVARIANTS, select
from sim.planted.catalogue import CATALOGUE

select(None)  # registers every invariant, so INVARIANTS is complete below

TINY = ("--hands-per-table", 100, "--workers", 1, "--invariants", "chip_conservation")


def convert(text: str) -> int:
    return HandsType().convert(text, None, None)


# -- --hands ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, hands", [
    ("1e6", 1_000_000), ("1_000_000", 1_000_000), ("1000000", 1_000_000),
    ("2.5e3", 2_500), ("1E3", 1_000), (" 7 ", 7), ("1e10", 10**10),
    ("10_000_000_000", 10**10),
])
def test_hands_type_reads_all_three_spellings(text, hands):
    value = convert(text)
    assert value == hands
    assert type(value) is int


@pytest.mark.parametrize("text", ["200", "2e2", "2_00"])
def test_small_runs_play_the_hands_asked_for_in_any_spelling(invoke, tmp_path, text):
    out = tmp_path / "run"
    result = invoke("run", "--hands", text, "--seed", 1, *TINY, "--out", out)
    assert result.exit_code == 0, result.output
    assert query(out, "SELECT hands_requested, hands, tables FROM runs") == [(200, 200, 2)]
    assert query(out, "SELECT count(*) FROM hands") == [(200,)]


def test_a_million_hands_parse_through_the_cli_without_playing(invoke, tmp_path):
    # --table out of range is refused after --hands is parsed and before anything is played.
    out = tmp_path / "run"
    result = invoke("run", "--hands", "1e6", "--hands-per-table", 200, "--table", 10**9,
                    "--out", out)
    assert result.exit_code == 2, result.output
    assert "1000000 hands" in result.output
    assert "tables 0 to 4999" in result.output
    assert not out.exists()


@pytest.mark.parametrize("text, allowed", [
    ("ten", "1e6"),
    ("0", "at least 1"),
    ("-5", "at least 1"),
    ("2.5", "whole number"),
    ("1e20", "10,000,000,000"),
    ("", "1e6"),
    ("1e-3", "whole number"),
])
def test_bad_hands_are_usage_errors_naming_value_and_limit(invoke, tmp_path, text, allowed):
    result = invoke("run", f"--hands={text}", "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "--hands" in result.output
    assert repr(text) in result.output
    assert allowed in result.output
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("text", ["1e400", "-1e400"])
def test_infinite_hands_are_usage_errors(invoke, tmp_path, text):
    # Found: float("1e400") is inf and int(inf) raised OverflowError, a traceback.
    result = invoke("run", f"--hands={text}", "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert repr(text) in result.output


def test_hands_type_fails_as_a_click_error():
    with pytest.raises(click.BadParameter, match="'ten' is not a number of hands"):
        convert("ten")


# -- other usage errors ------------------------------------------------------------------------

def test_unknown_planted_bug_names_the_known_ones(invoke, tmp_path):
    result = invoke("run", "--hands", 10, "--plant-bug", "no_such_bug", "--out",
                    tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "no_such_bug" in result.output
    for name in CATALOGUE:
        assert name in result.output
    assert not (tmp_path / "run").exists()


def test_unknown_invariant_names_the_known_ones(invoke, tmp_path):
    result = invoke("run", "--hands", 10, "--invariants", "chip_conservation,nope",
                    "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "nope" in result.output
    assert len(INVARIANTS) > 5
    for name in INVARIANTS:
        assert name in result.output
    assert not (tmp_path / "run").exists()


def test_an_empty_invariant_selection_is_refused(invoke, tmp_path):
    # Found: `--invariants ,` selected no invariant; the run checked nothing and exited 0.
    result = invoke("run", "--hands", 5, "--hands-per-table", 5, "--seed", 1, "--workers", 1,
                    "--invariants", ",", "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output


def test_out_on_an_existing_run_is_refused_and_leaves_it_alone(invoke, tmp_path):
    out = tmp_path / "run"
    first = invoke("run", "--hands", 20, "--seed", 3, *TINY, "--out", out)
    assert first.exit_code == 0, first.output
    before = fingerprint(out)
    assert str(out / "stats.duckdb") in before

    again = invoke("run", "--hands", 50, "--seed", 4, *TINY, "--out", out)
    assert again.exit_code == 2, again.output
    assert "--resume" in again.output
    assert str(out) in again.output
    assert fingerprint(out) == before
    assert query(out, "SELECT seed, hands_requested, hands FROM runs") == [(3, 20, 20)]


@pytest.mark.parametrize("option", [
    ("--hands", 10), ("--seed", 3), ("--hands-per-table", 7), ("--invariants", "replay"),
    ("--out", "elsewhere"),
    # The refusal names the options as typed, not their Python names (--planted, --only-table).
    pytest.param(("--plant-bug", "deal_reuses_card"), id="plant-bug"),
    pytest.param(("--table", 0), id="table"),
])
def test_resume_refuses_other_settings(invoke, small_run, option):
    before = query(small_run, "SELECT status, hands, tables, ended_at FROM runs")
    result = invoke("run", "--resume", small_run, *option)
    assert result.exit_code == 2, result.output
    assert option[0] in result.output
    assert query(small_run, "SELECT status, hands, tables, ended_at FROM runs") == before


def test_resume_of_a_folder_without_a_run_is_refused(invoke, tmp_path):
    result = invoke("run", "--resume", tmp_path)
    assert result.exit_code == 2, result.output
    assert "stats.duckdb" in result.output


@pytest.mark.parametrize("table, expected", [(3, "tables 0 to 2"), (-1, "-1")])
def test_table_out_of_range_is_refused(invoke, tmp_path, table, expected):
    result = invoke("run", "--hands", 300, "--hands-per-table", 100, "--table", table,
                    "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "--table" in result.output
    assert expected in result.output
    assert not (tmp_path / "run").exists()


def test_table_plays_only_that_table(invoke, tmp_path):
    out = tmp_path / "run"
    result = invoke("run", "--hands", 250, "--seed", 6, *TINY, "--table", 2, "--out", out)
    assert result.exit_code == 0, result.output
    assert "--table 2" in result.output
    assert query(out, "SELECT table_id, hands_played FROM tables") == [(2, 50)]


# -- sim bugs ----------------------------------------------------------------------------------

def test_bugs_prints_one_line_per_planted_bug(invoke):
    # Each line: the name, what catches it (with the fault a run must inject for that),
    # and what it breaks, in columns two spaces apart at least.
    result = invoke("bugs")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(CATALOGUE)
    seen = {}
    for line in lines:
        match = re.fullmatch(r"(\S+) {2,}(\S+)(?: \(--fault (\S+)\))? {2,}(\S.*)", line)
        assert match, line
        seen[match[1]] = (match[2], match[3], match[4])
    assert seen == {bug.name: (bug.caught_by, bug.fault, bug.description)
                    for bug in CATALOGUE.values()}
    assert list(seen) == list(CATALOGUE)  # in the catalogue's order


# -- sim run: output and reproduction -----------------------------------------------------------

def test_run_prints_seed_and_reproduce_command_and_exits_0(invoke, tmp_path):
    out = tmp_path / "run"
    result = invoke("run", "--hands", 150, "--seed", 12345, "--hands-per-table", 50,
                    "--workers", 1, "--out", out)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "seed 12345" in first
    commands = [line for line in result.output.splitlines() if line.startswith("reproduce: ")]
    assert commands, result.output
    assert len(set(commands)) == 1  # printed at the start and again at the end
    assert "--seed 12345" in commands[0]
    assert "failures: 0" in result.output
    assert not (out / "failures").exists()
    assert query(out, "SELECT status, failures, command FROM runs") == [
        ("completed", 0, commands[0].removeprefix("reproduce: "))]


def _rows(out: Path) -> dict[str, list[tuple]]:
    return {
        "results": sorted(query(out, "SELECT * EXCLUDE (run_id) FROM results")),
        "hands": sorted(query(out, "SELECT * EXCLUDE (run_id) FROM hands")),
        "failures": sorted(query(out, "SELECT table_id, hand_no, invariant FROM failures")),
    }


def test_the_printed_reproduce_command_reproduces_the_run(invoke, tmp_path):
    # No --seed: the run draws one, and what it prints must be enough to get the same hands.
    out = tmp_path / "first"
    result = invoke("run", "--hands", 120, "--hands-per-table", 40, "--workers", 1,
                    "--invariants", "chip_conservation,pot_consistency", "--out", out)
    seed = int(re.search(r"sim run: seed (\d+)", result.output)[1])
    assert query(out, "SELECT seed FROM runs") == [(seed,)]
    command = next(line for line in result.output.splitlines()
                   if line.startswith("reproduce: ")).removeprefix("reproduce: ")
    argv = shlex.split(command)
    assert argv[:2] == ["sim", "run"]
    assert f"--seed {seed}" in command
    again = tmp_path / "again"
    argv[argv.index("--out") + 1] = str(again)
    rerun = invoke(*argv[1:])
    assert rerun.exit_code == result.exit_code, rerun.output
    first_rows, second_rows = _rows(out), _rows(again)
    assert len(first_rows["results"]) > 120
    assert first_rows == second_rows


def test_the_reproduce_command_survives_a_folder_name_with_a_space(invoke, tmp_path):
    # Found: the reproduce command was not shell-quoted.
    out = tmp_path / "my run"
    result = invoke("run", "--hands", 5, "--hands-per-table", 5, "--seed", 1, "--workers", 1,
                    "--invariants", "chip_conservation", "--out", out)
    assert result.exit_code == 0, result.output
    command = next(line for line in result.output.splitlines()
                   if line.startswith("reproduce: ")).removeprefix("reproduce: ")
    argv = shlex.split(command)
    assert argv[argv.index("--out") + 1] == str(out)


# -- the hand watchdog: --hand-timeout -------------------------------------------------------

SLOW = ("--bot", "plugin_bots:Dawdler", "--hands", 20, "--hands-per-table", 20, "--seed", 1,
        "--workers", 1)  # its first turn from hand 2 on (in hand 3) takes 1.5 s; the hand ends


def test_the_hand_watchdog_is_on_by_default_and_stored_with_the_run(invoke, tmp_path):
    out = tmp_path / "run"
    result = invoke("run", "--hands", 20, "--hands-per-table", 20, "--seed", 1, "--workers", 1,
                    "--plant-bug", "replay_drops_event", "--out", out)
    assert result.exit_code == 1, result.output
    assert query(out, "SELECT hand_timeout_s FROM runs") == [(10.0,)]
    assert "--hand-timeout" not in result.output  # the default is left out of the command
    # A dump records it as the fault a replay arms again.
    dump = next((out / "failures").glob("*.json"))
    assert json.loads(dump.read_text())["faults"] == ["hand_timeout=10"]


def test_a_slow_hand_is_caught_without_any_fault_and_0_turns_the_watchdog_off(invoke, tmp_path):
    caught = invoke("run", *SLOW, "--hand-timeout", 0.5, "--out", tmp_path / "caught")
    assert caught.exit_code == 4, caught.output
    assert "--hand-timeout 0.5" in caught.output  # in the reproduce command
    assert query(tmp_path / "caught", "SELECT table_id, hand_no, kind, message FROM failures") \
        == [(0, 3, "liveness", "the hand did not end within 0.5 s (hand_timeout)")]
    off = invoke("run", *SLOW, "--hand-timeout", 0, "--out", tmp_path / "off")
    assert off.exit_code == 0, off.output
    assert "--hand-timeout 0" in off.output
    assert query(tmp_path / "off", "SELECT hand_timeout_s, hands FROM runs") == [(0.0, 20)]


def test_resume_keeps_the_hand_timeout_and_refuses_another(invoke, tmp_path):
    out = tmp_path / "run"
    first = invoke("run", "--hands", 40, "--hands-per-table", 20, "--seed", 2, "--workers", 1,
                   "--invariants", "chip_conservation", "--hand-timeout", 3, "--table", 0,
                   "--out", out)
    assert first.exit_code == 0, first.output
    refused = invoke("run", "--resume", out, "--hand-timeout", 5)
    assert refused.exit_code == 2, refused.output
    assert "--hand-timeout" in refused.output
    # Drop the table as a killed run would have (a complete run has nothing to resume).
    forget_tables(out, {0}, shards_too=True)
    resumed = invoke("run", "--resume", out)
    assert resumed.exit_code == 0, resumed.output
    assert "--hand-timeout 3" in resumed.output


def test_the_watchdog_is_not_a_fault_on_the_command_line(invoke, tmp_path):
    result = invoke("run", "--hands", 10, "--fault", "hand_timeout=1", "--out", tmp_path / "run")
    assert result.exit_code == 2, result.output
    assert "write --hand-timeout SECONDS" in result.output
    assert not (tmp_path / "run").exists()


def test_version_and_help(invoke):
    assert invoke("--version").exit_code == 0
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("run", "replay", "bugs", "query", "report"):
        assert command in result.output
