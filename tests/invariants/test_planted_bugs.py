"""Each planted engine bug is caught by the invariant named for it, during random legal play.

Every case plays seeded random hands (all invariants after every dispatch) with the bug
switched on and expects the first violation to come from the named invariant; then it
plays the same hands with the bug off and expects none.

The bugs in FAULT_CASES hide from every invariant: each is caught by the fault written for
it (``sim run --fault``), on a table of the swarm. Those of CAUGHT_BY_PARENT hang the
process that plays them, where no watchdog of its own can stop them: only a run's main
process catches them (tests/backends/test_hangs.py).
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from invariant_play import Mix, new_table, play

from sim.bots import draw_table
from sim.engine import bugs
from sim.finding import Finding, FindingError
from sim.hooks.faults import CAUGHT_BY_FAULT, CAUGHT_BY_PARENT, parse
from sim.invariants.base import select
from sim.runner import RunSettings, play_table

PASSIVE = Mix(aggression=0.0, fold=0.0, timeout=0.0, requests=0.0)  # to showdown, every hand
JUNK = Mix(junk=0.3)  # the chaos bot's junk now and then: what a lax verify lets through
# A lax verify is caught by verify_agrees's probes as soon as a hand ends (on swarm tables:
# tests/test_planted_bugs_e2e.py); without it, action_legal must catch what gets accepted.
BUT_PROBES = ("verify_agrees",)
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
    # Issue 12: one bug per rule (README, "Every rule has a check that can fail").
    "bool_amount_accepted": ("action_legal", dict(seats=4, players=4, checks=BUT_PROBES), JUNK),
    "sit_in_twice_accepted": ("action_legal", dict(seats=4, players=4, checks=BUT_PROBES),
                              Mix(requests=0.3)),
    "rebuy_chips_uncounted": ("chip_conservation", dict(seats=4, players=4, stacks=(2, 12)),
                              Mix(aggression=0.6)),
    "heads_up_never_starts": ("liveness", dict(seats=2, players=2), Mix()),
    "heads_up_button_posts_big": ("button_and_blinds", dict(seats=2, players=2), Mix()),
    "short_big_blind_sets_call": ("legal_actions", dict(seats=3, players=3, stacks=(1, 4),
                                                        big_blind=4, ante=0), Mix()),
    "deck_not_reshuffled": ("cards_unique", dict(seats=4, players=4), Mix()),
    "postflop_skips_small_blind": ("valid_to_act", dict(seats=5, players=5), PASSIVE),
    "check_while_owing": ("action_legal", dict(seats=4, players=4, checks=BUT_PROBES), JUNK),
    "wager_below_minimum": ("action_legal", dict(seats=4, players=4, checks=BUT_PROBES), JUNK),
    "raise_against_all_ins": ("legal_actions", dict(seats=4, players=4, stacks=(2, 12)),
                              Mix(aggression=0.6)),
    "matched_skip_their_turn": ("round_closure", dict(seats=4, players=4), PASSIVE),
    "uncontested_winner_shows": ("awards_correct", dict(seats=4, players=4), Mix(fold=0.6)),
    "showdown_ignores_river": ("awards_correct", dict(seats=4, players=4), PASSIVE),
    "showdown_ignores_aggressor": ("showdown_order", dict(seats=4, players=4), Mix(fold=0.0)),
    "rebuy_ignores_pot_chips": ("action_legal", dict(seats=4, players=4, checks=BUT_PROBES),
                                Mix(requests=0.3)),
    "leave_not_folded": ("action_legal", dict(seats=4, players=4), Mix(requests=0.3, leave=0.5)),
    "timeout_folds_when_free": ("action_legal", dict(seats=4, players=4), Mix(timeout=0.2)),
    "timeout_keeps_player_in": ("action_legal", dict(seats=4, players=4), Mix(timeout=0.2)),
    "feed_shows_deck": ("no_private_leak", dict(seats=4, players=4), Mix()),
    "feed_shows_burnt": ("no_private_leak", dict(seats=4, players=4), PASSIVE),
    "folded_cards_shown": ("no_private_leak", dict(seats=4, players=4), Mix(fold=0.6)),
    "short_stack_posts_full_ante": ("no_negative", dict(seats=6, players=6, stacks=(1, 4),
                                                        big_blind=4, ante=3),
                                    Mix(aggression=0.6)),
    "waiting_player_dealt_in": ("button_and_blinds", dict(seats=6, players=3),
                                Mix(requests=0.3)),
    "left_player_stalls_hand": ("valid_to_act", dict(seats=4, players=4),
                                Mix(requests=0.3, leave=0.5)),
    "fold_refused_when_free": ("legal_action_rejected", dict(seats=4, players=4), Mix()),
}
HANDS = 300
# bug -> (the finding's name, the fault that catches it)
FINDING_OF = {"crash_restore": "crash_restore", "duplicate_dispatch": "duplicate_dispatch",
              "determinism": "determinism", "hand_timeout": "liveness"}  # fault -> finding
FAULT_CASES = {bug: (FINDING_OF[fault.partition("=")[0]], fault)
               for bug, fault in CAUGHT_BY_FAULT.items()}
# A fault-caught bug that an invariant also finds without its fault: an out-of-turn check
# accepted is one of verify_agrees's probes.
ALSO_CAUGHT_BY = {"check_skips_turn": "verify_agrees"}
FAULT_TABLE = draw_table(5, 2)  # four seat hoppers: checks, and leaves in mid-hand


def _all_but(left_out: tuple[str, ...]) -> list[str]:
    """Every invariant's name but those ``left_out``, in the order they run."""
    return [inv.name for inv in select(None) if inv.name not in left_out]


def _without_probes(settings: dict) -> dict:
    """``checks=BUT_PROBES`` means every invariant but those."""
    if settings.get("checks") is BUT_PROBES:
        return {**settings, "checks": _all_but(BUT_PROBES)}
    return settings


def test_every_planted_bug_has_a_case():
    assert set(CASES) | set(FAULT_CASES) | CAUGHT_BY_PARENT == set(bugs.BUGS)
    assert not set(CASES) & set(FAULT_CASES)
    assert not (set(CASES) | set(FAULT_CASES)) & CAUGHT_BY_PARENT


def _first_violation(seed: int, settings: dict, mix: Mix,
                     hands: int = HANDS) -> tuple[Finding | None, int]:
    rng = random.Random(seed)
    table = None
    try:
        table = new_table(rng, **_without_probes(settings))
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
        # Without the fault, the invariants miss it (but the one named in ALSO_CAUGHT_BY,
        # which finds it on its own): the fault is what finds it.
        unfaulted = replace(settings, faults=())
        also = ALSO_CAUGHT_BY.get(bug)
        if also is not None:
            seen = play_table(FAULT_TABLE, 50, unfaulted)
            assert seen.finding is not None and seen.finding.name == also, str(seen.finding)
            unfaulted = replace(unfaulted, invariants=tuple(_all_but((also,))))
        unseen = play_table(FAULT_TABLE, 50, unfaulted)
        assert unseen.finding is None, str(unseen.finding)
