"""Replay verdicts (sim.failures.verdict): each verdict, its words and its exit code, on
dumps made here and damaged on purpose. A verdict never rounds up to good news."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import broken_table_dump, call_in_copy, invoke_cli

from sim import exits
from sim.engine.actions import Check, RaiseTo, action_to_dict
from sim.failures.dump import load
from sim.failures.replay import replay
from sim.failures.verdict import Verdict, judge_replay

REGRESSIONS = Path(__file__).parents[1] / "regressions"


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    """A dump of a hand that broke after at least five actions (a turn dealt from the
    burnt card)."""
    # Played in the copy of the package that carries the bug.
    path = call_in_copy(["deal_reuses_card"], broken_table_dump, "deal_reuses_card",
                        str(tmp_path_factory.mktemp("failures")), 20, 5)
    assert path is not None, "no table of seed 5 broke after five actions"
    return Path(path)


def _edited(dump: Path, folder: Path, edit) -> Path:
    data = json.loads(dump.read_text())
    edit(data)
    path = folder / "edited.json"
    path.write_text(json.dumps(data))
    return path


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_reproduced_is_the_recorded_signature_again_with_the_findings_code(dump):
    result = invoke_cli("replay", dump)
    assert result.exit_code == exits.FAILED, result.output
    assert _last_line(result.output).startswith("REPRODUCED at dispatch ")


def test_clean_means_every_logged_action_replayed(dump):
    case = replace(load(dump).case, planted=())
    judged = judge_replay(load(dump).finding, replay(case))
    assert judged.verdict is Verdict.CLEAN and judged.exit_code == 0
    assert judged.result.unplayed == 0
    assert judged.lines()[-1].startswith(f"CLEAN: {len(case.actions) + 1} dispatches")


def test_a_different_failure_is_not_reproduced_and_shows_both(dump, tmp_path):
    def other_bug(data):
        data["finding"]["message"] = "The pot of 40 is not the 38 its contributions add to."
        data["finding"]["shape"] = "The pot of {pot} is not the {paid} its contributions add to."
        data["finding"]["dispatch"] = 1
    path = _edited(dump, tmp_path, other_bug)
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.DIFFERENT == 5, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("DIFFERENT FAILURE at dispatch ")
    assert lines[-2].startswith("recorded at dispatch 1: ")
    assert "REPRODUCED" not in result.output


@pytest.mark.parametrize("bad", [RaiseTo(1, -5), RaiseTo(1, True), Check(99), {"type": "Fold",
                                                                            "seat": "2"}])
def test_a_malformed_action_in_the_log_is_bad_input_never_clean(dump, tmp_path, bad):
    """The bug this guards: a raise to -5 in a dump replayed as "clean: 2 dispatches",
    exit 0, and the 8 logged actions after it were never replayed."""
    def damage(data):
        data["actions"][1] = bad if isinstance(bad, dict) else action_to_dict(bad)
    path = _edited(dump, tmp_path, damage)
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.USAGE, result.output
    last = _last_line(result.output)
    assert last.startswith("MALFORMED at dispatch 2 of ")
    actions = len(load(dump).case.actions)
    assert f"{actions - 2} logged action" in last and "not replayed" in last
    assert "CLEAN" not in result.output


def test_a_legal_looking_action_the_logging_table_judged_is_damage_too(dump, tmp_path):
    """Well-formed but forbidden (out of turn), before the failing dispatch: the table
    that logged it judged every action it accepted (action_legal), so the log is damaged."""
    case = load(dump).case
    seat = next(s for s in range(case.record.snapshot.config.seats)
                if s != case.record.snapshot.to_act)
    path = _edited(dump, tmp_path,
                   lambda data: data["actions"].__setitem__(0, action_to_dict(Check(seat))))
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.USAGE, result.output
    assert "yet the table that logged it judged every action it accepted" in result.output


def test_without_the_judge_a_forbidden_action_is_junk_that_stops_the_replay_early(dump,
                                                                                  tmp_path):
    case = load(dump).case
    seat = next(s for s in range(case.record.snapshot.config.seats)
                if s != case.record.snapshot.to_act)

    def damage(data):
        data["actions"][0] = action_to_dict(Check(seat))
        data["invariants"] = ["chip_conservation", "pot_consistency"]
    path = _edited(dump, tmp_path, damage)
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.CLEAN, result.output
    last = _last_line(result.output)
    assert last.startswith("STOPPED EARLY at dispatch 1 of ")
    assert "the rules forbid it" in last and "not replayed" in last


def test_junk_a_bug_accepted_is_stopped_early_once_the_bug_is_fixed():
    """The chaos bot's junk (a check while owing) that a planted bug let through: with the
    bug off the engine refuses it at the failing dispatch: fixed, exit 0."""
    dump = load(REGRESSIONS / "planted-check_while_owing-junk.json")
    judged = judge_replay(dump.finding, replay(replace(dump.case, planted=())))
    assert judged.verdict is Verdict.STOPPED and judged.exit_code == 0
    assert judged.result.stopped is not None
    assert judged.result.stopped.index == dump.finding.dispatch


def test_a_finding_where_none_was_recorded_is_failed_with_its_own_code(dump, small_run):
    """A stored hand was recorded with no finding: a finding now is "failed" (there is
    nothing it could reproduce), and a clean one "clean"."""
    from sim.failures.sources import from_store

    failed = judge_replay(None, replay(load(dump).case))
    assert failed.verdict is Verdict.FAILED and failed.exit_code == exits.FAILED
    assert failed.lines()[-1].startswith("FAILED at dispatch ")
    assert judge_replay(None, replay(from_store(small_run, 0, 1))).verdict is Verdict.CLEAN


def test_each_verdict_has_one_code_and_the_help_shows_them():
    assert {v.code for v in Verdict} == {None, exits.CLEAN, exits.USAGE, exits.DIFFERENT}
    help_text = invoke_cli("replay", "--help").output
    for verdict in Verdict:
        assert verdict.word in help_text
    for code, _ in exits.TABLE:
        if code != exits.INTERRUPTED:
            assert f"  {code} " in help_text


def test_the_readme_shows_the_verdicts_as_the_code_has_them():
    from sim.failures.verdict import markdown

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert markdown() in readme
