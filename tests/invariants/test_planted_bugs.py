"""Each planted engine bug is caught by the invariant named for it, during random legal play.

Every case plays seeded random hands (all invariants after every dispatch) with the bug
switched on and expects the first violation to come from the named invariant; then it
plays the same hands with the bug off and expects none.

The bugs in FAULT_CASES hide from every invariant: each is caught by the fault written for
it (``sim run --fault``), on a table of the swarm.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from invariant_play import Mix, new_table, play

from sim.bots import draw_table
from sim.engine import bugs
from sim.finding import Finding, FindingError
from sim.runner import RunSettings, play_table
from sim.hooks.faults import parse

PASSIVE = Mix(aggression=0.0, fold=0.0, timeout=0.0, requests=0.0)  # to showdown, every hand
CASES = {
    # Three-way limped pots of 9 chips: a two-way tie leaves an odd chip.
    "odd_chip_to_button": ("awards_correct", dict(seats=3, players=3, small_blind=1,
                                                  big_blind=3, ante=0, stacks=(80, 300)),
                           PASSIVE),
    # Short stacks at a full table make short all-in raises.
    "short_all_in_reopens": ("legal_actions", dict(seats=8, players=8, stacks=(2, 12),
                                                   ante=0), Mix()),
    "uncalled_bet_kept": ("pot_consistency", dict(seats=4, players=4), Mix()),
    "side_pot_includes_folded": ("pot_consistency", dict(seats=6, players=6, stacks=(3, 30)),
                                 Mix()),
    "neighbour_sees_hole": ("no_private_leak", dict(seats=4, players=4), Mix()),
    "animation_skips_chip_move": ("animation_sanity", dict(seats=4, players=4), Mix()),
    "button_skips_seat": ("button_and_blinds", dict(seats=5, players=5), Mix()),
    "replay_drops_event": ("replay", dict(seats=4, players=4), Mix()),
    "deal_reuses_card": ("cards_unique", dict(seats=4, players=4), Mix()),
    "min_raise_ignores_last_raise": ("legal_actions", dict(seats=6, players=6), Mix()),
    # Short stacks with antes: blinds and antes put players all-in for less.
    "asks_dead_decision": ("no_dead_decision", dict(seats=3, players=3, stacks=(1, 4),
                                                    big_blind=4, ante=1), Mix()),
}
HANDS = 300
# bug -> (the finding's name, the fault that catches it)
FAULT_CASES = {
    "restore_misreads_last_actor": ("crash_restore", "crash_restore=1"),
    "check_skips_turn": ("duplicate_dispatch", "duplicate_dispatch=1"),
    "shuffle_uses_global_random": ("determinism", "determinism=1"),
    "dealer_waits_for_leaver": ("liveness", "hand_timeout=0.5"),
}
FAULT_TABLE = draw_table(5, 2)  # four seat hoppers: checks, and leaves in mid-hand


def test_every_planted_bug_has_a_case():
    assert set(CASES) | set(FAULT_CASES) == set(bugs.BUGS)
    assert not set(CASES) & set(FAULT_CASES)


def _first_violation(seed: int, settings: dict, mix: Mix,
                     hands: int = HANDS) -> tuple[Finding | None, int]:
    rng = random.Random(seed)
    table = None
    try:
        table = new_table(rng, **settings)
        play(table, rng, hands, mix)
    except FindingError as error:
        return error.finding, table.log.finished if table is not None else 0
    return None, table.log.finished


@pytest.mark.parametrize("bug", sorted(CASES))
def test_planted_bug_is_caught_by_its_invariant(bug):
    invariant, settings, mix = CASES[bug]
    with bugs.planted(bug):
        violation, hands = _first_violation(0, settings, mix)
    assert violation is not None, f"{bug} went unnoticed for {hands} hands"
    assert violation.name == invariant, str(violation)
    # The same seed with no bug planted plays past that point cleanly.
    clean, played = _first_violation(0, settings, mix, hands + 1)
    assert clean is None, str(clean)
    assert played == hands + 1


@pytest.mark.parametrize("bug", sorted(FAULT_CASES))
def test_planted_bug_is_caught_by_its_fault(bug):
    name, fault = FAULT_CASES[bug]
    settings = RunSettings(seed=5, hands=50, hands_per_table=50, planted=(bug,),
                           faults=(parse(fault),), collect_rows=False)
    caught = play_table(FAULT_TABLE, 50, settings)
    assert caught.finding is not None, f"{bug} went unnoticed for {caught.hands} hands"
    assert caught.finding.name == name, str(caught.finding)
    # The same table with the fault on and the bug off plays past that point cleanly.
    clean = play_table(FAULT_TABLE, caught.hands + 1, replace(settings, planted=()))
    assert clean.finding is None, str(clean.finding)
    assert clean.hands == caught.hands + 1
    if name != "liveness":  # (without its watchdog, that bug hangs for good)
        # Every invariant, without the fault, misses it: the fault is what finds it.
        unseen = play_table(FAULT_TABLE, 50, replace(settings, faults=()))
        assert unseen.finding is None, str(unseen.finding)
