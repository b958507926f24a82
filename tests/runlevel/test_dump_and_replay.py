"""A failed run-level check's dump: written, read back, refused when damaged, and replayed
by dealing its hands again from the seeds, with the replayer's verdicts and exit codes."""

from __future__ import annotations

import json

import pytest
from conftest import invoke_cli

from sim import exits
from sim.runlevel.checks import evaluate
from sim.runlevel.decks import dealt_run
from sim.runlevel.dump import RunCheckDump, is_runcheck, load
from sim.runlevel.replay import judge, recheck

SEED = 77
# Table 1 deals table 0's first 20 hands again (the same seed): 20 repeated decks, and 20
# hand numbers where two tables agree everywhere; nothing else stands out.
TABLES = [(0, SEED, 2000), (1, SEED, 20)]


def dump_of(check: str, tables: list[tuple[int, int, int]]) -> RunCheckDump:
    """A dump of ``check`` failing on ``tables`` (the evaluation of these very decks)."""
    run = dealt_run(tables)
    evaluation = evaluate(run)
    failed = {f.finding.name: f for f in evaluation.failed()}[check]
    return RunCheckDump.of(failed, "demo", 5, "sim run --hands 2020", (), list(run.tables()),
                           run.digest, evaluation.alpha, len(evaluation.judged))


@pytest.fixture(scope="module")
def repeated() -> RunCheckDump:
    return dump_of("repeated_decks", TABLES)


def test_a_dump_round_trips(repeated, tmp_path):
    path = repeated.write(tmp_path)
    assert path.name == "run-repeated_decks.json" and is_runcheck(path)
    again = load(path)
    assert again.to_dict() == repeated.to_dict()
    data = json.loads(path.read_text())
    assert data["format"] == "sim.runcheck" and data["hands"] == 2020
    assert data["run"] == {"run_id": "demo", "seed": 5, "command": "sim run --hands 2020"}
    assert data["test"]["check"] == "repeated_decks" and data["test"]["p"] < 1e-50
    assert data["tables"] == [[0, SEED, 2000], [1, SEED, 20]]


def test_the_dump_replays_reproduced(repeated):
    judged = judge(recheck(repeated))
    assert judged.verdict.word == "reproduced" and judged.exit_code == exits.FAILED
    assert judged.rechecked.same_decks
    assert judged.lines()[-1].startswith("REPRODUCED: repeated_decks: 20 deck orders")


def test_other_checks_failing_is_a_different_failure(repeated):
    """Recorded as a card's positions failing; dealt again, only the repeats fail."""
    data = repeated.to_dict()
    data["finding"] = {**data["finding"], "name": "card_positions",
                       "shape": "another sentence"}
    judged = judge(recheck(RunCheckDump.from_dict(data)))
    assert judged.verdict.word == "different failure" and judged.exit_code == exits.DIFFERENT
    assert any(line.startswith("DIFFERENT FAILURE: repeated_decks") for line in judged.lines())


def test_other_decks_replay_clean(repeated):
    """The dealer now deals table 1 other decks (another seed): every check passes, and
    the replay says the decks are not the run's."""
    data = repeated.to_dict()
    data["tables"] = [[0, SEED, 2000], [1, SEED + 1, 20]]
    judged = judge(recheck(RunCheckDump.from_dict(data)))
    assert judged.verdict.word == "clean" and judged.exit_code == exits.CLEAN
    assert "NOT the decks the run dealt" in judged.lines()[0]


@pytest.mark.parametrize("change, words", [
    (lambda d: d.pop("tables"), "no 'tables' field"),
    (lambda d: d.update(format="sim.failure"), "not a run-check dump"),
    (lambda d: d.update(version=9), "version 9"),
    (lambda d: d.update(hands=5), "not the 5 it says"),
    (lambda d: d["tables"].append([2, -1, 3]), "is not [table_id, table_seed, hands]"),
    (lambda d: d.update(planted_bugs=["no_such_bug"]), "no_such_bug"),
    (lambda d: d["finding"].update(kind="invariant"), "not a run-level check's"),
    (lambda d: d["test"].update(p="small"), "its test's p is 'small'"),
])
def test_a_damaged_dump_is_refused_naming_what(repeated, tmp_path, change, words):
    data = repeated.to_dict()
    change(data)
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load(path)
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.USAGE or not is_runcheck(path), result.output


def test_sim_replay_of_a_run_check_dump(repeated, tmp_path):
    path = repeated.write(tmp_path)
    result = invoke_cli("replay", path)
    assert result.exit_code == exits.FAILED, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("replaying run-level check repeated_decks of run demo "
                               "(seed 5): 2,020 hands on 2 tables; planted bugs: none")
    assert lines[-1].startswith("REPRODUCED: repeated_decks")
    refused = invoke_cli("replay", path, "--to", 3)
    assert refused.exit_code == exits.USAGE and "replays whole" in refused.output
