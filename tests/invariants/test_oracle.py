"""The independent rule computations the checks compare the engine against."""

from __future__ import annotations

import random

import pytest

from sim.engine.cards import cards_from_str
from sim.engine.evaluator import reference_evaluate
from sim.engine.state import PLAYING, SITTING_OUT, WAITING
from sim.invariants import oracle
from sim.invariants.handrank import rank7


def test_pots_by_levels_caps_a_pot_at_each_live_all_in():
    pots, stray = oracle.pots_by_levels([20, 50, 100, 100], [True] * 4,
                                        [True, True, False, False])
    assert pots == [(80, (0, 1, 2, 3)), (90, (1, 2, 3)), (100, (2, 3))]
    assert stray == 0


def test_folded_chips_stay_in_the_pots_but_folded_seats_are_not_eligible():
    pots, stray = oracle.pots_by_levels([10, 30, 30, 25], [True, True, True, False],
                                        [True, False, False, False])
    assert pots == [(40, (0, 1, 2)), (55, (1, 2))]
    assert stray == 0


def test_folded_chips_above_every_live_player_are_stray():
    pots, stray = oracle.pots_by_levels([2, 2, 1], [False, False, True], [False, False, True])
    assert pots == [(3, (2,))]
    assert stray == 2


def test_unmatched_top_contribution():
    assert oracle.unmatched_top([30, 10, 10]) == (0, 30, 10)
    assert oracle.unmatched_top([30, 30, 10]) is None
    assert oracle.unmatched_top([30, 0, 0]) is None  # the only contributor
    assert oracle.unmatched_top([0, 0]) is None


@pytest.mark.parametrize(("amount", "winners", "button", "shares"), [
    (7, [4, 1], 3, ((4, 4), (1, 3))),
    (5, [0, 2], 0, ((2, 3), (0, 2))),  # the button is the last to get an odd chip
    (11, [0, 1, 2], 2, ((0, 4), (1, 4), (2, 3))),
    (9, [5], 1, ((5, 9),)),
])
def test_split_shares_give_odd_chips_from_the_left_of_the_button(amount, winners, button,
                                                                 shares):
    assert oracle.split_shares(amount, winners, button, 6) == shares


def test_legal_set_short_all_in_does_not_reopen_for_a_player_who_acted():
    # Bet to match 13 after a short all-in; this player acted at 10; last full raise 8.
    assert oracle.legal_set(0, 90, 10, 13, 8, 10, True, 2, 33) == (0, False, 3, 0, 0, 0, 0, 33)
    # The same spot for a player who has not acted yet: raise to at least 21.
    assert oracle.legal_set(0, 90, 0, 13, 8, -1, True, 2, 33) == (0, False, 13, 0, 0, 21, 90, 33)


def test_legal_set_no_raise_against_all_ins_and_all_in_for_less():
    assert oracle.legal_set(1, 50, 0, 20, 18, -1, False, 2, 22) == (1, False, 20, 0, 0, 0, 0, 22)
    # A bet with fewer chips than the big blind is all-in for less.
    assert oracle.legal_set(1, 1, 0, 0, 2, -1, True, 2, 6) == (1, True, 0, 1, 1, 0, 0, 6)
    # Short of a call: call all-in, no raise.
    assert oracle.legal_set(1, 5, 0, 20, 18, -1, True, 2, 22) == (1, False, 5, 0, 0, 0, 0, 22)


def test_hand_action_bound_grows_with_chips_and_seats():
    assert oracle.hand_action_bound(200, 2, 2) < oracle.hand_action_bound(400, 2, 2)
    assert oracle.hand_action_bound(200, 2, 2) < oracle.hand_action_bound(200, 2, 6)


def test_dealable_seats_and_blinds():
    present = [True, True, True, True, False]
    stack = [100, 100, 0, 100, 0]
    status = [PLAYING, PLAYING, PLAYING, WAITING, 0]
    assert oracle.dealable(present, stack, status, [False] * 5, PLAYING, WAITING) == (
        [0, 1], [3], [])
    # Heads-up the button posts the small blind; a waiter the big blind reaches is dealt in.
    assert oracle.blind_seats(0, [0, 1], [3], 5) == (1, 3)
    assert oracle.blind_seats(1, [0, 1], [3], 5) == (1, 0)
    # With fewer than two sitting in, nobody waits.
    status = [PLAYING, SITTING_OUT, PLAYING, WAITING, 0]
    assert oracle.dealable(present, stack, status, [False] * 5, PLAYING, WAITING) == (
        [0, 3], [], [])


@pytest.mark.parametrize("cards", [
    "Ah 2c 3d 4s 5h Kc Kd",  # the wheel beats trips
    "9h Th Jh Qh Kh Ah 2c",  # the best straight flush
    "As 2s 3s 4s 5s 6d 7d",  # steel wheel
    "Kh Kd Kc Qh Qd Qc 2s",  # two trips make the best full house
    "As Ad Ac Ah 2d 3d 9c",  # quads of aces, nine kicker
    "7h 7d 7c 7s Ah Kd 2c",  # quads with the best kicker
    "2h 4h 6h 8h Th Qh 3c",  # six to a flush: the best five
    "Ah Ad Kh Kd Qh Qd 2c",  # three pairs: the third is the kicker
    "2c 3d 5h 7s 9c Jd Kh",
    "Tc Jd Qh Ks Ah 9c 8d",
])
def test_rank7_equals_the_reference_evaluator_on_edge_cases(cards):
    parsed = cards_from_str(cards)
    assert rank7(parsed) == reference_evaluate(parsed)


def test_rank7_equals_the_reference_evaluator_on_random_hands():
    rng = random.Random(11)
    for _ in range(3000):
        cards = rng.sample(range(52), rng.choice((5, 6, 7, 7)))
        assert rank7(cards) == reference_evaluate(cards), cards


def test_others_with_chips_counts_live_players_with_chips_other_than_the_seat():
    order = (0, 1, 2)
    # Seat 1 is all-in and seat 2 folded: no one but seat 0 could answer a raise.
    assert not oracle.others_with_chips(0, order, (False, False, True), [50, 0, 80])
    assert oracle.others_with_chips(1, order, (False, False, True), [50, 0, 80])
    assert oracle.others_with_chips(0, order, (False, False, False), [50, 0, 80])
    assert not oracle.others_with_chips(0, (0,), (False, False, False), [50, 20, 80])


# -- dead decisions ---------------------------------------------------------------------------

def test_answerable_is_unlimited_while_another_live_player_has_chips():
    # Seats 0, 1, 2 in; seat 2 still has chips behind.
    assert oracle.answerable(0, (0, 1, 2), (False, False, False), [50, 0, 7], [2, 1, 2]) is None


def test_answerable_counts_up_to_the_largest_all_in_contribution():
    order, folded = (0, 1, 2), (False, False, True)
    # Seat 1 is all-in for 3, seat 2 folded (its chips do not count): seat 0 put in 2.
    assert oracle.answerable(0, order, folded, [50, 0, 90], [2, 3, 9]) == 1
    assert not oracle.dead_decision(0, order, folded, [50, 0, 90], [2, 3, 9])
    assert oracle.dead_decision(0, order, folded, [50, 0, 90], [3, 3, 9])
    assert oracle.dead_decision(0, order, folded, [50, 0, 90], [10, 3, 9])


def test_legal_set_caps_a_call_at_what_someone_can_win():
    # Heads-up, blinds 2/4, the big blind all-in for 3: the button owes 2 but can lose 1.
    capped = oracle.legal_set(0, 98, 2, 4, 4, oracle.NOT_ACTED, False, 4, 5, room=1)
    assert capped[:3] == (0, False, 1)
    full = oracle.legal_set(0, 98, 2, 4, 4, oracle.NOT_ACTED, True, 4, 5)
    assert full[:3] == (0, False, 2)
