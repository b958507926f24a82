"""Failure dumps (sim.failures.dump), the cases they and the store give
(sim.failures.sources), the one replayer (sim.failures.replay) and `sim replay` around them."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import broken_table_dump, call_in_copy, invoke_cli, query

from sim.engine.cards import cards_to_str
from sim.failures.dump import VERSION, Dump, load
from sim.failures.replay import replay
from sim.failures.sources import from_store

HEADER = re.compile(r"^--- after dispatch (\d+)/(\d+): ", flags=re.M)


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    """A dump of a hand that broke after several actions: a turn dealt from the burn card."""
    # Played in the copy of the package that carries the bug.
    path = call_in_copy(["deal_reuses_card"], broken_table_dump, "deal_reuses_card",
                        str(tmp_path_factory.mktemp("failures")), 10, 4)
    assert path is not None, "no table of seed 5 broke after four actions"
    return Path(path)


@pytest.fixture(scope="module")
def stored_hand(small_run) -> tuple[int, int, int]:
    """(table, hand, decisions) of a stored hand with at least four decisions."""
    return query(small_run, "SELECT table_id, hand_no, actions FROM hands WHERE actions >= 4 "
                            "ORDER BY table_id, hand_no LIMIT 1")[0]


# -- dumps ------------------------------------------------------------------------------------

def test_a_dump_loads_back_as_written(dump):
    data = json.loads(dump.read_text())
    failure = load(dump)
    assert failure.path == dump
    assert failure.to_dict() == data
    assert dump.name == failure.file_name()
    assert list(dump.parent.glob("*.tmp")) == []
    assert failure.case.record is not None
    assert failure.case.record.hand_no == failure.finding.hand_no == data["seeds"]["hand_no"]
    assert failure.finding.dispatch == len(failure.case.actions)
    assert failure.case.planted == ("deal_reuses_card",)


def test_a_dump_written_again_is_the_same_file(dump, tmp_path):
    failure = load(dump)
    copy = failure.write(tmp_path)
    assert copy == tmp_path / dump.name
    assert json.loads(copy.read_text()) == json.loads(dump.read_text())


def test_a_dump_of_another_format_version_is_refused(dump, tmp_path):
    data = json.loads(dump.read_text())
    data["version"] = 99
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="version 99"):
        load(path)
    result = invoke_cli("replay", path)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "version 99" in result.output


# -- sim replay FILE ---------------------------------------------------------------------------

def test_replay_reproduces_a_dump_and_shows_the_state(dump):
    failure = load(dump)
    result = invoke_cli("replay", dump)
    assert result.exit_code == 1, result.output
    assert f"REPRODUCED at dispatch {len(failure.case.actions)}: {failure.finding.name}: " \
        in result.output
    assert f"hand {failure.case.hand_no}" in result.output
    assert "deal_reuses_card" in result.output
    assert HEADER.search(result.output)  # the state where it broke


def test_replay_with_the_bug_off_is_clean(dump):
    case = replace(load(dump).case, planted=())
    result = replay(case)
    assert result.finding is None and result.stopped is None, result.finding
    assert len(result.cursor.states) == len(case.actions) + 1
    assert result.checks > 0


def test_replay_reproduces_the_recorded_finding(dump):
    recorded = load(dump).finding
    result = replay(load(dump).case)
    assert result.finding is not None
    assert (result.finding.kind, result.finding.name, result.finding.message) == \
        (recorded.kind, recorded.name, recorded.message)
    assert (result.finding.hand_no, result.finding.dispatch) == \
        (recorded.hand_no, recorded.dispatch)


@pytest.mark.parametrize("content", [
    '{"a": 1}', "hello, world\n", "", '{"format": "sim.hand", "version": 1}',
    b"\x00\xff\xfe binary",
    # Found: a missing key surfaced as KeyError, once reported as a bad --hand (exit 2).
    pytest.param('{"format": "sim.failure", "version": 1}', id="dump-without-keys"),
])
def test_replay_of_a_file_that_is_no_dump_is_a_clean_error(tmp_path, content):
    path = tmp_path / "not-a-dump.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = invoke_cli("replay", path)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: ")
    assert str(path) in result.output


@pytest.mark.parametrize("content", ["[1, 2, 3]", '"a string"', "42"])
def test_replay_of_json_that_is_not_an_object_is_a_clean_error(tmp_path, content):
    # Found: Failure.from_dict called data.get() on a list: AttributeError, a traceback.
    path = tmp_path / "list.json"
    path.write_text(content)
    result = invoke_cli("replay", path)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_replay_of_a_dump_missing_a_key_is_a_clean_error(dump, tmp_path):
    data = json.loads(dump.read_text())
    del data["finding"]
    path = tmp_path / "no-finding.json"
    path.write_text(json.dumps(data))
    result = invoke_cli("replay", path)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "--hand" not in result.output
    assert "finding" in result.output


def test_replay_of_a_dump_without_a_hand_says_so(dump, tmp_path):
    data = json.loads(dump.read_text())
    data["hand"] = None
    path = tmp_path / "no-hand.json"
    path.write_text(json.dumps(data))
    result = invoke_cli("replay", path)
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "no hand log" in result.output


def test_replay_of_a_missing_file_is_a_usage_error(tmp_path):
    result = invoke_cli("replay", tmp_path / "nope.json")
    assert result.exit_code == 2


def test_hand_goes_with_a_folder_not_a_dump(dump):
    result = invoke_cli("replay", dump, "--hand", "1:1")
    assert result.exit_code == 2
    assert "--hand" in result.output


# -- --to and --step -----------------------------------------------------------------------------

def test_to_shows_the_state_after_that_dispatch(dump):
    expected = replay(load(dump).case).cursor.states
    for index in (0, 2):
        result = invoke_cli("replay", dump, "--to", index)
        assert result.exit_code == 1, result.output
        shown = [int(m[1]) for m in HEADER.finditer(result.output)]
        assert shown == [index]
        assert expected[index].describe() in result.output
    assert expected[0].describe() != expected[2].describe()


def test_to_past_the_last_dispatch_is_a_usage_error(dump):
    last = len(load(dump).case.actions)
    result = invoke_cli("replay", dump, "--to", last + 1)
    assert result.exit_code == 2
    assert f"0 to {last}" in result.output


def test_step_walks_forwards_and_back(small_run, stored_hand):
    table_id, hand_no, _ = stored_hand
    result = invoke_cli("replay", small_run, "--hand", f"{table_id}:{hand_no}", "--step",
                        input="n\nn\np\nq\n")
    assert result.exit_code == 0, result.output
    assert [int(m[1]) for m in HEADER.finditer(result.output)] == [0, 1, 2, 1]
    expected = replay(from_store(small_run, table_id, hand_no)).cursor.states
    for index in (0, 1, 2):
        assert expected[index].describe() in result.output


def test_step_goes_to_a_dispatch_stays_in_bounds_and_explains_itself(dump):
    last = len(load(dump).case.actions)
    result = invoke_cli("replay", dump, "--step", input="g 3\nwhat\np\np\np\np\np\ng 999\n")
    assert result.exit_code == 1, result.output  # the dump still reproduces after the walk
    assert [int(m[1]) for m in HEADER.finditer(result.output)][:8] == \
        [0, 3, 2, 1, 0, 0, 0, last]
    assert "commands:" in result.output


# -- sim replay FOLDER --hand --------------------------------------------------------------------

def test_a_stored_hand_replays_clean(small_run, stored_hand):
    table_id, hand_no, _ = stored_hand
    result = invoke_cli("replay", small_run, "--hand", f"{table_id}:{hand_no}")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("CLEAN: ")
    assert f"table {table_id}" in result.output and f"hand {hand_no}" in result.output


def test_stored_hands_rebuild_as_stored(small_run):
    """Replaying a table's stored actions from its opening gives back each stored hand."""
    sample = query(small_run, "SELECT table_id, hand_no, hand_seed, board, button FROM hands "
                              "WHERE hand_no IN (1, 2, 50, 99, 100) ORDER BY ALL")
    assert len(sample) >= 10
    for table_id, hand_no, seed, board, button in sample:
        case = from_store(small_run, table_id, hand_no)
        record = case.record
        assert record is not None and record.final is not None
        assert (record.hand_no, record.started.seed) == (hand_no, seed)
        assert cards_to_str(record.final.board) == board
        assert record.snapshot.button == button
        result = replay(case)
        assert result.finding is None and result.stopped is None, (table_id, hand_no)


@pytest.mark.parametrize("hand", ["x", "3", "3:", ":4", "a:b", "1:2:3", "-1:2", "1:-2", " "])
def test_a_malformed_hand_is_a_usage_error(small_run, hand):
    result = invoke_cli("replay", small_run, "--hand", hand)
    assert result.exit_code == 2, result.output
    assert "TABLE:HAND" in result.output


def test_a_folder_needs_a_hand(small_run):
    result = invoke_cli("replay", small_run)
    assert result.exit_code == 2, result.output


@pytest.mark.parametrize("hand", ["0:0", "0:101", "99:1"])
def test_a_hand_that_is_not_stored_is_a_usage_error(small_run, hand):
    # Found: it exited 1, the status that means REPRODUCED.
    result = invoke_cli("replay", small_run, "--hand", hand)
    assert result.exit_code == 2, result.output
    assert "not" in result.output


def test_a_hand_that_is_not_stored_is_never_reported_as_reproduced(small_run):
    for hand in ("0:0", "0:101", "99:1"):
        result = invoke_cli("replay", small_run, "--hand", hand)
        assert result.exit_code != 0, result.output
        assert isinstance(result.exception, SystemExit)
        assert "REPRODUCED" not in result.output
        assert "is not" in result.output


def test_dump_from_dict_rejects_other_formats():
    with pytest.raises(ValueError, match="Not a failure dump"):
        Dump.from_dict({"format": "sim.hand"})


def test_a_version_1_dump_is_upcast_not_edited():
    path = Path(__file__).parent / "data" / "version-1-dump.json"  # as sim run wrote it then
    data = json.loads(path.read_text())
    assert data["version"] == 1
    dump = Dump.from_dict(data)
    assert data["version"] == 1 and "finding" not in data  # the input is untouched
    assert dump.finding.name == data["invariant"] == "awards_correct"
    assert dump.finding.message == data["message"]
    assert dump.finding.dispatch == len(data["actions"])
    assert dump.to_dict()["version"] == VERSION


def test_replay_writes_the_dumps_hand_as_phh_that_check_phh_reads(dump, tmp_path):
    path = tmp_path / "repro.phh"
    result = invoke_cli("replay", dump, "--phh", path)
    assert result.exit_code == 1, result.output  # it still reproduces
    text = path.read_text()
    assert "variant = 'NT'" in text and f"hand = {load(dump).case.hand_no}" in text
    checked = invoke_cli("check-phh", path)  # a PHH file (the repro's deck reuses a card)
    assert checked.exit_code in (0, 1) and "1 hand:" in checked.output, checked.output
