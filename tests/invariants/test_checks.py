"""Each invariant passes on real dispatches and fails, by name, on a corrupted state or event
list: proof that it looks at what it claims to."""

from __future__ import annotations

import random

import pytest
from invariant_cases import checked_table, deck, first, passes, replaced, variant, violation
from invariant_play import new_table, random_action

from sim.engine import bugs
from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, Fold, Leave, RaiseTo, Rebuy, Timeout
from sim.engine.animation import Animation, Animator, Step, play
from sim.engine.log import HandRecord
from sim.engine.state import BETTING, IDLE
from sim.finding import FindingError
from sim.invariants.base import INVARIANTS, run_all, select
from sim.invariants.steps import play_steps

NO_HELP_BOARD = "2c 3d 7h 9s Tc"  # pairs stay pairs: no straight, no flush


@pytest.fixture
def three(monkeypatch):
    """Three players, button 0, SB 1, BB 2; dealing order 1, 2, 0."""
    return checked_table({0: 100, 1: 100, 2: 100},
                         decks={1: deck(["Ks Kd", "Qs Qd", "As Ad"], NO_HELP_BOARD)})


def test_every_invariant_is_registered_with_a_description():
    names = [inv.name for inv in select(None)]
    assert names == ["chip_conservation", "no_negative", "pot_consistency", "cards_unique",
                     "action_legal", "valid_to_act", "legal_actions", "verify_agrees",
                     "round_closure",
                     "liveness", "button_and_blinds", "waiting_for_big_blind",
                     "awards_correct", "showdown_order",
                     "no_private_leak", "animation_sanity", "replay", "no_dead_decision"]


def test_a_whole_hand_passes_every_invariant(three):
    # CheckedTable runs every invariant after each dispatch, the opening included.
    three.dispatch(Call(0))
    three.dispatch(Call(1))
    ctx = three.dispatch(Check(2))
    assert ev.BoardDealt in {type(e) for e in ctx.events}
    for seat in (1, 2, 0, 1, 2, 0, 1, 2, 0):
        three.dispatch(Check(seat))
    assert three.log.finished == 1
    assert run_all(variant(three.last), select(None)) == len(INVARIANTS)


# -- chip_conservation -----------------------------------------------------------------------

def test_chip_conservation(three):
    ctx = three.dispatch(RaiseTo(0, 10))
    passes("chip_conservation", ctx)
    state = ctx.state.copy()
    state.stack[0] += 1
    message = violation("chip_conservation", variant(ctx, state=state))
    assert "The table holds 301 chips" in message
    # A rebuy in the events that the chip counts do not show.
    events = [*ctx.events, ev.RebuyApplied(1, 50, 50)]
    assert "bought in 50" in violation("chip_conservation", variant(ctx, events=events))


# -- no_negative -----------------------------------------------------------------------------

def test_no_negative(three):
    ctx = three.dispatch(Call(0))
    passes("no_negative", ctx)
    state = ctx.state.copy()
    state.bet[1] = -1
    assert violation("no_negative", variant(ctx, state=state)) == "Seat 1's bet is -1."


# -- pot_consistency -------------------------------------------------------------------------

def test_pot_consistency_flags_pot_and_contributions_that_disagree(three):
    ctx = three.dispatch(Call(0))
    passes("pot_consistency", ctx)
    state = ctx.state.copy()
    state.pot += 5
    assert "Pot 5 + bets 5 = 10" in violation("pot_consistency", variant(ctx, state=state))


def test_pot_consistency_rebuilds_pots_with_folded_players_not_eligible(three):
    three.dispatch(Fold(0))
    ctx = three.dispatch(Call(1))  # SB calls; BB still to act
    ctx = three.dispatch(Check(2))
    collected = first(ctx.events, ev.BetsCollected)
    assert collected.pots == ((4, (1, 2)),)
    passes("pot_consistency", ctx)
    wrong = ev.BetsCollected(((4, (0, 1, 2)),))  # the folded button made eligible
    events = replaced(ctx.events, ev.BetsCollected, wrong)
    message = violation("pot_consistency", variant(ctx, events=events))
    assert "make [(4, (1, 2))]" in message


def test_pot_consistency_flags_uncalled_chips_left_in_a_pot(three):
    three.dispatch(RaiseTo(0, 30))
    three.dispatch(Fold(1))
    ctx = three.dispatch(Fold(2))
    assert first(ctx.events, ev.BetReturned) == ev.BetReturned(0, 28)
    passes("pot_consistency", ctx)
    # The same dispatch had the engine kept the uncalled 28 in the pot.
    events = replaced(ctx.events, ev.BetReturned, None)
    events = replaced(events, ev.BetsCollected, ev.BetsCollected(((33, (0,)),)))
    message = violation("pot_consistency", variant(ctx, events=events))
    assert "the uncalled 28 should have gone back" in message


# -- cards_unique ----------------------------------------------------------------------------

def test_cards_unique_checks_the_deck_and_dealing_positions(three):
    opening = three.last
    passes("cards_unique", opening)
    started = first(opening.events, ev.HandStarted)
    doubled = started.deck[:51] + started.deck[:1]
    events = replaced(opening.events, ev.HandStarted, _with(started, deck=doubled))
    assert "not a permutation of 52" in violation("cards_unique", variant(opening, events=events))
    state = opening.state.copy()
    hole = state.hole
    state.hole = ((hole[0][0], hole[1][0]), *hole[1:])  # seat 0 holds seat 1's card
    assert "was dealt" in violation("cards_unique", variant(opening, state=state))


def test_cards_unique_flags_a_turn_dealt_from_the_burn(three):
    for action in (Call(0), Call(1), Check(2), Check(1), Check(2)):
        three.dispatch(action)
    ctx = three.dispatch(Check(0))
    turn = first(ctx.events, ev.BoardDealt)
    assert turn.street == 2
    passes("cards_unique", ctx)
    events = replaced(ctx.events, ev.BoardDealt, ev.BoardDealt(2, turn.burnt, (turn.burnt,)))
    assert "the deck gives burn" in violation("cards_unique", variant(ctx, events=events))


def _with(event, **changes):
    return event.replace(**changes)


# -- valid_to_act ----------------------------------------------------------------------------

def test_valid_to_act(three):
    ctx = three.dispatch(Call(0))
    assert ctx.state.to_act == 1
    passes("valid_to_act", ctx)
    skipped = ctx.state.copy()
    skipped.to_act = 2  # seat 1 (the small blind) still owes 1
    message = violation("valid_to_act", variant(ctx, state=skipped))
    assert "seat 1 comes first clockwise" in message
    folded = ctx.state.copy()
    folded.folded = (folded.folded[0], True, *folded.folded[2:])
    assert "has folded" in violation("valid_to_act", variant(ctx, state=folded))
    stuck = ctx.state.copy()
    stuck.to_act = None
    assert "no one is to act" in violation("valid_to_act", variant(ctx, state=stuck))


def test_valid_to_act_flags_a_turn_with_nothing_to_decide(three):
    three.dispatch(Call(0))
    ctx = three.dispatch(Call(1))
    assert ctx.state.to_act == 2
    again = ctx.state.copy()
    again.to_act = 0  # the button called 2 and owes nothing; the big blind has the option
    assert "already acted" in violation("valid_to_act", variant(ctx, state=again))


# -- legal_actions ---------------------------------------------------------------------------

def test_legal_actions_after_a_short_all_in_allow_only_call_or_fold(monkeypatch):
    # Button 0 raises to 10, SB 1 calls, BB 2 goes all-in to 13: 3 more is not a full raise.
    t = checked_table({0: 100, 1: 100, 2: 13})
    t.dispatch(RaiseTo(0, 10))
    t.dispatch(Call(1))
    ctx = t.dispatch(RaiseTo(2, 13))
    legal = t.controller.legal_actions()
    assert (legal.seat, legal.call, legal.max_raise_to) == (0, 3, 0)
    passes("legal_actions", ctx)
    with bugs.planted("short_all_in_reopens"):
        message = violation("legal_actions", variant(ctx))
    assert "min_raise_to is 21, the rules give 0" in message


def test_legal_actions_checks_the_engines_books_against_the_events(three):
    three.dispatch(RaiseTo(0, 10))
    ctx = three.dispatch(RaiseTo(1, 30))  # a raise of 20: the next must be to 50
    assert three.controller.legal_actions().min_raise_to == 50
    passes("legal_actions", ctx)
    state = ctx.state.copy()
    state.min_raise = 2
    message = violation("legal_actions", variant(ctx, state=state))
    assert "last full raise is 2 but the street's events give 20" in message
    with bugs.planted("min_raise_ignores_last_raise"):
        message = violation("legal_actions", variant(ctx))
    assert "min_raise_to is 32, the rules give 50" in message


def test_legal_actions_want_the_full_big_blind_called_after_a_short_one(monkeypatch):
    # BB 2 has 1 chip: it posts 1, all-in, and the others still owe the full big blind.
    t = checked_table({0: 100, 1: 100, 2: 1})
    ctx = t.last
    assert t.controller.legal_actions().call == 2
    passes("legal_actions", ctx)
    state = ctx.state.copy()
    state.current_bet = 1  # as if the call were only what the big blind posted
    assert "bet to match is 1" in violation("legal_actions", variant(ctx, state=state))


# -- round_closure ---------------------------------------------------------------------------

def test_round_closure_flags_a_street_dealt_while_a_player_owes(three):
    three.dispatch(RaiseTo(0, 10))
    ctx = three.dispatch(Call(1))  # the big blind still owes 8
    passes("round_closure", ctx)
    state = ctx.state
    flop = ev.BoardDealt(1, state.deck[6], state.deck[7:10])
    events = [*ctx.events[:1], ev.BetsCollected(((22, (0, 1, 2)),)), flop]
    message = violation("round_closure", variant(ctx, events=events))
    assert message == ("The preflop betting round closed (BetsCollected) while seat 2 had bet 2 "
                       "of 10 with chips behind.")


def test_round_closure_flags_a_round_closed_before_the_big_blind_acted(three):
    three.dispatch(Call(0))
    ctx = three.dispatch(Call(1))  # limped to the big blind, who has the option
    state = ctx.state
    flop = ev.BoardDealt(1, state.deck[6], state.deck[7:10])
    events = [*ctx.events[:1], ev.BetsCollected(((6, (0, 1, 2)),)), flop]
    message = violation("round_closure", variant(ctx, events=events))
    assert "before seat 2 acted" in message


# -- liveness --------------------------------------------------------------------------------

def test_liveness(three):
    ctx = three.dispatch(Call(0))
    passes("liveness", ctx)
    long = ctx.state.copy()
    long.hand_actions = 10_000
    assert "more than the bound" in violation("liveness", variant(ctx, state=long))
    idle = ctx.state.copy()
    idle.phase, idle.to_act = IDLE, None
    assert "could start a hand" in violation("liveness", variant(ctx, state=idle))


# -- button_and_blinds -----------------------------------------------------------------------

def test_button_and_blinds_follow_the_button(monkeypatch):
    t = checked_table({0: 100, 1: 100, 2: 100, 3: 100})
    for seat in (3, 0, 1):
        t.dispatch(Fold(seat))
    ctx = t.last  # the big blind won; hand 2 started in the same dispatch
    started = first(ctx.events, ev.HandStarted)
    assert (started.button, started.small_blind_seat, started.big_blind_seat) == (1, 2, 3)
    passes("button_and_blinds", ctx)
    skipped = _with(started, button=2, small_blind_seat=3, big_blind_seat=0,
                    dealt=(3, 0, 1, 2))
    events = replaced(ctx.events, ev.HandStarted, skipped)
    message = violation("button_and_blinds", variant(ctx, events=events))
    assert "the next seat sitting in with chips is seat 1" in message
    short = replaced(ctx.events, ev.BlindPosted, ev.BlindPosted(3, 1, "big"), nth=1)
    assert "posted" in violation("button_and_blinds", variant(ctx, events=short))


def test_heads_up_the_button_posts_the_small_blind(monkeypatch):
    t = checked_table({0: 100, 1: 100})
    ctx = t.last
    started = first(ctx.events, ev.HandStarted)
    assert (started.button, started.small_blind_seat, started.big_blind_seat) == (0, 0, 1)
    passes("button_and_blinds", ctx)
    swapped = _with(started, small_blind_seat=1, big_blind_seat=0)
    events = replaced(ctx.events, ev.HandStarted, swapped)
    assert "should be seats 0 and 1" in violation("button_and_blinds",
                                                  variant(ctx, events=events))


# -- awards_correct --------------------------------------------------------------------------

def test_awards_go_to_the_best_hand(three):
    for action in (Call(0), Call(1), Check(2)) + tuple(
            Check(s) for s in (1, 2, 0, 1, 2, 0, 1, 2)):
        three.dispatch(action)
    ctx = three.dispatch(Check(0))
    assert first(ctx.events, ev.PotAwarded) == ev.PotAwarded(0, 6, ((0, 6),))  # aces
    passes("awards_correct", ctx)
    wrong = replaced(ctx.events, ev.PotAwarded, ev.PotAwarded(0, 6, ((1, 6),)))
    assert "give [(0, 6, ((0, 6),))]" in violation("awards_correct", variant(ctx, events=wrong))


def test_odd_chips_go_first_left_of_the_button(monkeypatch):
    # Seats 2 and 0 (the button) split; SB 1 folded its 1 chip: 5 chips, the odd one to
    # seat 2, the first of the winners left of the button.
    t = checked_table({0: 100, 1: 100, 2: 100},
                      decks={1: deck(["2s 3s", "Kh Qd", "Kd Qh"], "Ah Kc Qc Jd Th")})
    t.dispatch(Call(0))
    t.dispatch(Fold(1))
    t.dispatch(Check(2))
    for seat in (2, 0, 2, 0, 2):
        t.dispatch(Check(seat))
    ctx = t.dispatch(Check(0))
    award = first(ctx.events, ev.PotAwarded)
    assert award == ev.PotAwarded(0, 5, ((2, 3), (0, 2)))
    passes("awards_correct", ctx)
    to_button = replaced(ctx.events, ev.PotAwarded, ev.PotAwarded(0, 5, ((0, 3), (2, 2))))
    assert "((2, 3), (0, 2))" in violation("awards_correct", variant(ctx, events=to_button))


def test_uncontested_pots_go_to_the_last_player_in(three):
    three.dispatch(Fold(0))
    ctx = three.dispatch(Fold(1))
    award = first(ctx.events, ev.PotAwarded)
    assert award == ev.PotAwarded(0, 2, ((2, 2),))  # the big blind's uncalled 1 went back
    passes("awards_correct", ctx)
    wrong = replaced(ctx.events, ev.PotAwarded, ev.PotAwarded(0, 2, ((1, 2),)))
    assert "give [(0, 2, ((2, 2),))]" in violation("awards_correct", variant(ctx, events=wrong))


# -- animation_sanity ------------------------------------------------------------------------

def showing(frame: Animation) -> Animator:
    """An animator whose last frame is ``frame`` (a forged one, for the checks to judge)."""
    animator = Animator()
    animator.frames.append(frame)
    return animator


def test_animation_sanity(three):
    opening = variant(three.last, animator=showing(three.animator.last))
    passes("animation_sanity", opening)
    # Where a hand starts the after-view is compared with the whole public view.
    state = opening.state.copy()
    state.player = (*state.player[:2], "someone else", *state.player[3:])
    message = violation("animation_sanity", variant(opening, state=state))
    assert "public view of the state in seat 2: player 'p2' vs 'someone else'" in message
    ctx = three.dispatch(Call(0))
    passes("animation_sanity", ctx)
    frame = ctx.animator.last
    no_chips = tuple(s for s in frame.steps if s.kind != "chips_to_bet")
    broken = showing(Animation(frame.before, no_chips, frame.after))
    message = violation("animation_sanity", variant(ctx, animator=broken))
    assert message == "The steps move seat 0 from 100 to 100 chips, but its stack became 98."
    no_turn = tuple(s for s in frame.steps if s.kind != "turn")
    broken = showing(Animation(frame.before, no_turn, frame.after))
    message = violation("animation_sanity", variant(ctx, animator=broken))
    assert "differs from the frame's after-view in to_act: None vs 1" in message
    # Elsewhere, the fields a dispatch changes.
    state = ctx.state.copy()
    state.pot = 7
    assert "is not the state's (1, 1, 7, 0," in violation("animation_sanity",
                                                         variant(ctx, state=state))


def test_animation_steps_must_move_the_chips_that_moved(three):
    ctx = three.dispatch(Call(0))
    frame = ctx.animator.last
    # Steps and after-view agree with each other but not with the real stacks.
    state = ctx.state.copy()
    state.stack[0] = 97
    state.bet[0] = 3
    broken = showing(Animation(frame.before, frame.steps, frame.after))
    message = violation("animation_sanity", variant(ctx, state=state, animator=broken))
    assert message == "The steps move seat 0 from 100 to 98 chips, but its stack became 97."


# -- no_private_leak -------------------------------------------------------------------------

def test_no_private_leak(three):
    ctx = three.last
    passes("no_private_leak", ctx)
    with bugs.planted("neighbour_sees_hole"):
        message = violation("no_private_leak", variant(ctx))
    # seat 1's cards, to its neighbour
    assert "Seat 0's view reveals Kd (seat 1's hole card), Ks (seat 1's hole card)" in message


def test_no_private_leak_in_animation_steps(three):
    ctx = three.dispatch(Call(0))
    frame = ctx.animator.last
    hole = ctx.state.hole[1]
    leaky = frame.steps + (Step("board", amount=1, cards=hole),)
    broken = showing(Animation(frame.before, leaky, frame.after))
    message = violation("no_private_leak", variant(ctx, animator=broken))
    assert "carries Kd Ks, which the table has not shown" in message
    # A burnt card, or one still in the deck, is as secret as a hole card.
    undealt = ctx.state.deck[-1]
    leaky = frame.steps + (Step("board", amount=1, cards=(undealt,)),)
    broken = showing(Animation(frame.before, leaky, frame.after))
    assert "which the table has not shown" in violation(
        "no_private_leak", variant(ctx, animator=broken))


def test_no_private_leak_in_player_feeds(three):
    ctx = three.dispatch(Call(0))
    ctx = three.dispatch(Call(1))
    ctx = three.dispatch(Check(2))  # the flop: a burnt card
    assert ev.BoardDealt in {type(e) for e in ctx.events}
    passes("no_private_leak", ctx)
    with bugs.planted("feed_shows_burnt"):
        assert "the burnt card is secret" in violation("no_private_leak", variant(ctx))
    started = three.controller.state  # a HandStarted in the events: the deck and its seed
    hand = three.log.current.started
    ctx = variant(ctx, events=[*ctx.events, hand])
    passes("no_private_leak", ctx)
    with bugs.planted("feed_shows_deck"):
        assert "feed shows hand 1's deck (52 cards)" in violation("no_private_leak", ctx)
    assert started.hand_no == 1


def test_no_private_leak_names_folded_cards_forever(three):
    with bugs.planted("folded_cards_shown"), pytest.raises(FindingError) as caught:
        three.dispatch(Fold(0))
    assert caught.value.finding.name == "no_private_leak"
    assert ("The public view reveals Ad (seat 0's hole card), As (seat 0's hole card)"
            in caught.value.finding.message)


# -- action_legal ----------------------------------------------------------------------------

def test_action_legal_judges_the_accepted_action(three):
    before = three.state
    ctx = three.dispatch(Call(0))
    passes("action_legal", ctx)
    # An action the rules forbid, as if the engine had accepted it.
    for action, why in ((Check(0), "may not check: 2 is owed"),
                        (RaiseTo(0, 3), "may raise to 4 to 100, not 3"),
                        (Call(1), "not seat 1's turn"),
                        (Rebuy(0, 10**6), "above the maximum buy-in"),
                        (RaiseTo(0, True), "True is not a positive whole number")):
        message = violation("action_legal", variant(ctx, action=action))
        assert "The engine accepted" in message and why in message, message
    # The events of a legal action: a call of the wrong amount.
    events = replaced(ctx.events, ev.Called, ev.Called(0, 1))
    assert "the rules give [Called(seat=0, amount=2)]" in violation(
        "action_legal", variant(ctx, events=events))
    assert before.to_act == 0


def test_action_legal_checks_what_a_timeout_does(three):
    ctx = three.dispatch(Timeout(0))  # owes 2: folds, and sits out from the next hand
    passes("action_legal", ctx)
    assert ctx.events[:2] == [ev.TimedOut(0), ev.Folded(0, "timeout")]
    forged = [ev.TimedOut(0), ev.Folded(0, "timeout")]
    three.dispatch(Call(1))
    ctx = three.dispatch(Timeout(2))  # the big blind may check: a timeout checks
    passes("action_legal", ctx)
    assert ctx.events[:2] == [ev.TimedOut(2), ev.Checked(2)]
    message = violation("action_legal",
                        variant(ctx, events=[forged[0], ev.Folded(2, "timeout")]))
    assert "the rules give [TimedOut(seat=2), Checked(seat=2)]" in message
    state = ctx.state.copy()
    state.pending_status = (0, 0, 0)
    assert "timed out but is not sitting out" in violation(
        "action_legal", variant(ctx, state=state))


def test_chaos_junk_accepted_fails_at_once(three):
    with bugs.planted("check_while_owing"):
        with pytest.raises(FindingError) as caught:
            three.offer(Check(0), junk=True)
    assert caught.value.finding.name == "action_legal"
    assert caught.value.finding.message.startswith("The engine accepted Check(seat=0) though ")


def test_an_offered_action_the_judge_finds_legal_must_be_accepted(three):
    assert three.offer(Check(0)) is None  # rightly rejected: 2 is owed
    three.dispatch(Call(0))
    three.dispatch(Call(1))  # the big blind may check, or fold
    with bugs.planted("fold_refused_when_free"), pytest.raises(FindingError) as caught:
        three.offer(Fold(2))
    assert caught.value.finding.name == "legal_action_rejected"
    assert "Fold(seat=2) is legal by the independent judge" in caught.value.finding.message


# -- showdown_order --------------------------------------------------------------------------

def test_showdown_order(three):
    three.dispatch(Call(0))
    three.dispatch(Call(1))
    three.dispatch(Check(2))
    for seat in (1, 2, 0, 1, 2, 0, 1):
        three.dispatch(Check(seat))
    three.dispatch(Bet(2, 4))  # seat 2 bets the river: it shows first
    three.dispatch(Call(0))
    ctx = three.dispatch(Call(1))
    assert ctx.ended is not None
    passes("showdown_order", ctx)
    shows = [e for e in ctx.ended.events if type(e) in (ev.CardsShown, ev.CardsMucked)]
    assert [e.seat for e in shows] == [2, 0, 1]
    with bugs.planted("showdown_ignores_aggressor"):
        table = checked_table({0: 100, 1: 100, 2: 100},
                              decks={1: deck(["Ks Kd", "Qs Qd", "As Ad"], NO_HELP_BOARD)})
        table_actions = [Call(0), Call(1), Check(2), *(Check(s) for s in (1, 2, 0, 1, 2, 0, 1)),
                         Bet(2, 4), Call(0)]
        for action in table_actions:
            table.dispatch(action)
        with pytest.raises(FindingError) as caught:
            table.dispatch(Call(1))
    assert caught.value.finding.name == "showdown_order"
    assert "the rules give 2, 0, 1" in caught.value.finding.message


def test_waiting_for_big_blind(three):
    three.dispatch(Fold(0))
    ctx = three.dispatch(Fold(1))  # hand 2 starts: everyone dealt in plays, owes nothing
    passes("waiting_for_big_blind", ctx)
    state = ctx.state.copy()
    state.missed_bb = (True, False, False)
    assert "missed big blinds [True, False, False] should be" in violation(
        "waiting_for_big_blind", variant(ctx, state=state))
    # A sit-in nobody asked for, between hands.
    events = [ev.HandEnded(1), ev.SatIn(2, waiting=False), *ctx.events]
    assert "Seat 2 sat in without asking to" in violation(
        "waiting_for_big_blind", variant(ctx, events=events))


def test_cards_unique_flags_a_deck_dealt_again(three):
    three.dispatch(Fold(0))
    ctx = three.dispatch(Fold(1))  # hand 2 starts
    passes("cards_unique", ctx)
    started = first(ctx.events, ev.HandStarted)
    again = replaced(ctx.events, ev.HandStarted, started.replace(deck=ctx.before.deck))
    assert "deck order of the hand before it" in violation(
        "cards_unique", variant(ctx, events=again))


# -- replay ----------------------------------------------------------------------------------

def test_replay(three):
    three.dispatch(Fold(0))
    ctx = three.dispatch(Fold(1))
    record = ctx.ended
    assert record is not None and record.hand_no == 1
    passes("replay", ctx)
    final = record.final.copy()
    final.stack[2] += 1
    forged = HandRecord(record.hand_no, record.snapshot, record.started, record.steps, final)
    message = violation("replay", variant(ctx, ended=forged, events=[]))
    assert "differs from the recorded final state in stack" in message
    steps = [(a, list(e)) for a, e in record.steps]
    steps[1][1][0] = ev.Folded(0, "timeout")
    forged = HandRecord(record.hand_no, record.snapshot, record.started, steps, record.final)
    message = violation("replay", variant(ctx, ended=forged, events=[]))
    assert "parted from the log at dispatch 1" in message


def test_a_player_leaving_at_their_turn_is_folded(three):
    ctx = three.dispatch(Leave(0))
    assert ev.Folded(0, "left") in ctx.events
    assert ctx.state.phase == BETTING and ctx.state.to_act == 1


def test_the_fast_step_player_agrees_with_animation_play():
    rng = random.Random(4)
    frames = 0
    for _ in range(12):
        table = new_table(rng)
        for _ in range(150):
            legal = table.controller.legal_actions()
            if legal is None:
                break
            table.dispatch(random_action(legal, rng))
            frame = table.animator.last
            assert play_steps(frame.before, frame.steps) == play(frame.before, frame.steps)
            frames += 1
    assert frames > 300
