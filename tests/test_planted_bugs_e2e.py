"""Every planted bug, end to end: `sim run --plant-bug NAME` catches it, exits 1, dumps each
failing table with everything a replay needs, records it in the store, and `sim replay`
reproduces each dump, which replays clean once the bug is switched off.

The run plays in the copy of the package that carries the bug (`sim run --plant-bug` runs
itself there), and so do the replays of its dumps with the bug (`sim replay` through
`replay()`, which sends the case there; the rest in one child per bug, the cases read here
and sent pickled, as `replay()` sends them); the replays without the bug run here, in the
package itself.

Swarm-drawn tables of 25 hands: most bugs break the first hand of nearly every table; the
rarest (a short all-in raise that reopens the betting) gets twice the tables and breaks about
one in four."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PER_TABLE, call_in_copy, invoke_cli, pickled, query, unpickled

from sim.bots import draw_table
from sim.engine import ENGINE_VERSION
from sim.failures.dump import load
from sim.failures.replay import replay
from sim.failures.verdict import Verdict, judge_replay
from sim.invariants.base import INVARIANTS, select
from sim.limits import DUMPS_PER_SIGNATURE
from sim.planted.catalogue import CATALOGUE
from sim.planted.copy import carried
from sim.runlevel.checks import CHECKS

SEED = 5
RUN = ("--hands-per-table", 25, "--seed", SEED, "--workers", 1)
HANDS = 600  # 24 tables
RARE = {"short_all_in_reopens": 1200,  # 48 tables: a dozen of them break
        "asks_dead_decision": 2400,  # 96 tables: two of them meet a dead decision
        "short_stack_posts_full_ante": 1200,  # 48 tables: a stack below the ante is rare
        "fold_refused_when_free": 1200,  # probed every 8th hand; few bots fold for free
        # Only 2 of the first 24 tables play with an ante; 8 of the first 48 do.
        "blinds_before_antes": 1200, "antes_not_contributed": 1200,
        "ante_animated_as_bet": 1200}
# What catches each bug: its record says (sim.planted), and this run must find it.
CATCHES = {bug.name: bug.caught_by for bug in CATALOGUE.values()}
# The bugs only a fault finds (as in tests/invariants/test_planted_bugs.py), with it.
FAULTS = {bug.name: bug.fault for bug in CATALOGUE.values() if bug.fault is not None}
FEW = {"dealer_waits_for_leaver": 150}  # each dump costs its timeout, twice: 6 tables
FAULT_FINDINGS = {"crash_restore", "duplicate_dispatch", "determinism"}


def test_what_catches_each_bug_is_a_check_a_run_makes():
    select(None)
    assert set(CATCHES.values()) <= set(INVARIANTS) | FAULT_FINDINGS | set(CHECKS)


# These run with --workers 1: in one process (the copy's), which a hang in a builtin would
# hang; nothing watches it from outside.
@pytest.mark.parametrize("bug", PER_TABLE)
def test_a_planted_bug_is_caught_dumped_stored_and_replayed(bug, tmp_path):
    out = tmp_path / "run"
    fault = CATALOGUE[bug].options
    # What a dump records: the bug's fault and the hand watchdog, on by default.
    recorded = [FAULTS[bug]] if bug in FAULTS else []
    recorded += [] if fault[:1] == ("--hand-timeout",) else ["hand_timeout=10"]
    result = invoke_cli("run", "--hands", RARE.get(bug, FEW.get(bug, HANDS)), *RUN,
                        "--plant-bug", bug, *fault, "--out", out)
    code = 4 if CATCHES[bug] == "liveness" else 1  # the exit codes of README
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert f"--plant-bug {bug}" in result.output  # the reproduce command keeps it

    dumps = sorted((out / "failures").glob("*.json"))
    assert dumps, f"{bug}: no dump under {out / 'failures'}"
    assert list((out / "failures").glob("*.tmp")) == []
    data = {dump: json.loads(dump.read_text()) for dump in dumps}
    caught = {d["finding"]["name"] for d in data.values()}
    assert CATCHES[bug] in caught, caught
    assert caught <= set(INVARIANTS) | FAULT_FINDINGS, caught

    # The store has one failures row per failing table, and says which tables failed; the
    # first DUMPS_PER_SIGNATURE tables of each signature (by table id) keep their dump.
    rows = query(out, "SELECT table_id, hand_no, invariant, message, planted_bugs, dump_path, "
                      "replay_command, signature FROM failures ORDER BY table_id")
    stored = {Path(path): (table_id, hand_no, invariant, message, planted, command)
              for table_id, hand_no, invariant, message, planted, path, command, _ in rows
              if path is not None}
    assert set(stored) == set(dumps)
    assert query(out, "SELECT status, failures FROM runs") == [("completed", len(rows))]
    assert sorted(t for t, in query(out, "SELECT table_id FROM tables WHERE failed")) == \
        [row[0] for row in rows]
    for signature in {row[-1] for row in rows}:
        tables = [(row[0], row[5] is not None) for row in rows if row[-1] == signature]
        kept = min(len(tables), DUMPS_PER_SIGNATURE)
        assert tables == [(t, i < kept) for i, (t, _) in enumerate(tables)], signature

    for dump, d in data.items():
        seeds = d["seeds"]
        assert d["planted_bugs"] == [bug]
        assert d["engine_version"] == ENGINE_VERSION
        assert seeds["run"] == SEED
        assert seeds["table"] == draw_table(SEED, seeds["table_id"]).seed
        finding = d["finding"]
        assert finding["kind"] == ("liveness" if finding["name"] == "liveness" else "invariant")
        assert d["faults"] == recorded
        assert finding["message"].strip()
        assert (finding["table_id"], finding["hand_no"]) == (seeds["table_id"], seeds["hand_no"])
        assert finding["dispatch"] == len(d["actions"])
        assert "Traceback (most recent call last)" in finding["trace"]
        assert finding["name"] in finding["trace"]
        assert d["describe"].startswith("table:")
        # The state after the failing dispatch: the broken hand, or a later one when that
        # dispatch ended it (the dealer starts the next hand in the same dispatch, and plays
        # through hands in which no one has a decision, such as blinds that put everyone
        # all-in).
        shown = re.search(r"^hand (\d+) ", d["describe"], flags=re.M)
        assert shown and int(shown[1]) >= seeds["hand_no"], d["describe"]
        assert d["hand"] is not None and d["hand"]["hand_no"] == seeds["hand_no"]
        assert d["config"] == draw_table(SEED, seeds["table_id"]).config.to_dict()
        assert stored[dump] == (seeds["table_id"], seeds["hand_no"], finding["name"],
                                finding["message"], [bug], f"sim replay {dump}")
        assert f"table{seeds['table_id']:06d}-hand{seeds['hand_no']:05d}" in dump.name

    # `sim replay` reproduces the first dump, from the CLI.
    first = dumps[0]
    replayed = invoke_cli("replay", first)
    assert replayed.exit_code == code, replayed.output
    assert "REPRODUCED at dispatch" in replayed.output
    assert f": {data[first]['finding']['name']}: " in replayed.output.split("REPRODUCED", 1)[1]

    # Every dump reproduces its own signature with its bug on, and with it off replays
    # clean or stops early at the junk the bug let in (the verdicts a CI acts on).
    loaded = [load(dump) for dump in dumps]
    cases = pickled([(recorded.finding, recorded.case) for recorded in loaded])
    judged = call_in_copy([bug], judged_with_the_bug, cases)
    assert len(judged) == len(dumps)
    for dump, recorded, (verdict, *lines) in zip(dumps, loaded, judged, strict=True):
        assert verdict == Verdict.REPRODUCED.name, (dump.name, lines)
        if recorded.finding.name == "determinism":
            continue  # the recorded deal came from the bug (see tests/test_regressions.py)
        off = judge_replay(recorded.finding, replay(replace(recorded.case, planted=())))
        assert off.verdict in (Verdict.CLEAN, Verdict.STOPPED), (dump.name, off.lines())
        assert off.result.checks > 0
    assert carried() == ()  # replay() ran the bug in its copy: this process has none


def judged_with_the_bug(cases: str) -> list[list[str]]:
    """(In the copy carrying the bug.) Each pickled (finding, case) replayed and judged:
    the verdict's name, then its lines."""
    judged = [judge_replay(finding, replay(case))
              for finding, case in unpickled(cases)]
    return [[one.verdict.name, *one.lines()] for one in judged]
