"""Every planted bug, end to end: `sim run --plant-bug NAME` catches it, exits 1, dumps each
failing table with everything a replay needs, records it in the store, and `sim replay`
reproduces each dump, which replays clean once the bug is switched off.

Swarm-drawn tables of 25 hands: most bugs break the first hand of nearly every table; the
rarest (a short all-in raise that reopens the betting) gets twice the tables and breaks about
one in four."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import invoke_cli, query

from sim.bots import draw_table
from sim.engine import ENGINE_VERSION, bugs
from sim.failures.dump import load
from sim.failures.replay import replay
from sim.failures.verdict import Verdict, judge_replay
from sim.hooks.faults import CAUGHT_BY_FAULT, CAUGHT_BY_PARENT
from sim.invariants.base import INVARIANTS, select
from sim.limits import DUMPS_PER_SIGNATURE

SEED = 5
RUN = ("--hands-per-table", 25, "--seed", SEED, "--workers", 1)
HANDS = 600  # 24 tables
RARE = {"short_all_in_reopens": 1200,  # 48 tables: a dozen of them break
        "asks_dead_decision": 2400,  # 96 tables: two of them meet a dead decision
        "short_stack_posts_full_ante": 1200,  # 48 tables: a stack below the ante is rare
        "fold_refused_when_free": 1200}  # probed every 8th hand; few bots fold for free
# The invariant written to catch each bug (as in tests/invariants/test_planted_bugs.py; on
# swarm tables postflop_skips_small_blind shows first in the betting books, and a lax
# verify in verify_agrees's probes as soon as a hand ends, before action_legal sees an
# accepted junk action).
CATCHES = {
    "odd_chip_to_button": "awards_correct",
    "short_all_in_reopens": "legal_actions",
    "uncalled_bet_kept": "pot_consistency",
    "side_pot_includes_folded": "pot_consistency",
    "neighbour_sees_hole": "no_private_leak",
    "animation_skips_chip_move": "animation_sanity",
    "button_skips_seat": "button_and_blinds",
    "replay_drops_event": "replay",
    "deal_reuses_card": "cards_unique",
    "min_raise_ignores_last_raise": "legal_actions",
    "asks_dead_decision": "no_dead_decision",
    "restore_misreads_last_actor": "crash_restore",
    "check_skips_turn": "duplicate_dispatch",
    "shuffle_uses_global_random": "determinism",
    "dealer_waits_for_leaver": "liveness",
    "bool_amount_accepted": "verify_agrees",
    "sit_in_twice_accepted": "verify_agrees",
    "rebuy_chips_uncounted": "chip_conservation",
    "heads_up_never_starts": "liveness",
    "heads_up_button_posts_big": "button_and_blinds",
    "short_big_blind_sets_call": "legal_actions",
    "deck_not_reshuffled": "cards_unique",
    "postflop_skips_small_blind": "legal_actions",
    "check_while_owing": "verify_agrees",
    "wager_below_minimum": "verify_agrees",
    "raise_against_all_ins": "legal_actions",
    "matched_skip_their_turn": "round_closure",
    "uncontested_winner_shows": "awards_correct",
    "showdown_ignores_river": "awards_correct",
    "showdown_ignores_aggressor": "showdown_order",
    "rebuy_ignores_pot_chips": "verify_agrees",
    "leave_not_folded": "action_legal",
    "timeout_folds_when_free": "action_legal",
    "timeout_keeps_player_in": "action_legal",
    "feed_shows_deck": "no_private_leak",
    "feed_shows_burnt": "no_private_leak",
    "folded_cards_shown": "no_private_leak",
    "short_stack_posts_full_ante": "no_negative",
    "waiting_player_dealt_in": "button_and_blinds",
    "left_player_stalls_hand": "valid_to_act",
    "fold_refused_when_free": "verify_agrees",
    "busted_seat_hangs_dealer": "liveness",  # on the pool and Dask: tests/backends/test_hangs.py
}
# The bugs only a fault finds (as in tests/invariants/test_planted_bugs.py), with it.
FAULTS = CAUGHT_BY_FAULT
FEW = {"dealer_waits_for_leaver": 150}  # each dump costs its timeout, twice: 6 tables
FAULT_FINDINGS = {"crash_restore", "duplicate_dispatch", "determinism"}
def test_every_planted_bug_has_a_case():
    assert set(CATCHES) == set(bugs.BUGS)
    select(None)
    assert set(CATCHES.values()) <= set(INVARIANTS) | FAULT_FINDINGS


def _fault(spec: str) -> tuple[str, str]:
    """The option that injects a fault spec (the watchdog has its own)."""
    name, _, value = spec.partition("=")
    return ("--hand-timeout", value) if name == "hand_timeout" else ("--fault", spec)


# These run here with --workers 1: in this process, which a hang in a builtin would hang.
@pytest.mark.parametrize("bug", [bug for bug in bugs.BUGS if bug not in CAUGHT_BY_PARENT])
def test_a_planted_bug_is_caught_dumped_stored_and_replayed(bug, tmp_path):
    out = tmp_path / "run"
    fault = _fault(FAULTS[bug]) if bug in FAULTS else ()
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
    for dump in dumps:
        recorded = load(dump)
        on = judge_replay(recorded.finding, replay(recorded.case))
        assert on.verdict is Verdict.REPRODUCED, (dump.name, on.lines())
        if recorded.finding.name == "determinism":
            continue  # the recorded deal came from the bug (see tests/test_regressions.py)
        off = judge_replay(recorded.finding, replay(replace(recorded.case, planted=())))
        assert off.verdict in (Verdict.CLEAN, Verdict.STOPPED), (dump.name, off.lines())
        assert off.result.checks > 0
    assert bugs.enabled() == ()  # replay() put the process back as it found it
