"""Starting a hand: button movement, blinds, heads-up, antes, short blinds, posting order."""

import pytest
from scenario import Table, deck

from sim.engine import events as ev
from sim.engine.actions import Call, Check, Fold, RaiseTo
from sim.engine.cards import shuffled_deck
from sim.engine.seeds import derive_seed
from sim.engine.state import FLOP

NO_HELP_BOARD = "2c 3d 7h 9s Tc"


def positions(t: Table) -> tuple:
    s = t.state
    return s.button, s.small_blind_seat, s.big_blind_seat, s.to_act


def start_events(t: Table, hand_no: int) -> list[tuple]:
    """(event name, seat, amount) for the posting and dealing of a hand."""
    out = []
    for e in t.hand_events(hand_no)[1:]:
        if type(e) is ev.TurnStarted:
            out.append(("TurnStarted", e.seat))
            break
        amount = getattr(e, "amount", None)
        out.append((type(e).__name__, e.seat) + ((amount,) if amount is not None else ()))
    return out


# -- the button and the blinds ---------------------------------------------------------------

def test_button_and_blinds_move_one_dealt_in_seat_each_hand(monkeypatch):
    t = Table({0: 100, 2: 100, 3: 100, 5: 100}, seats=6)
    expected = [  # (button, small blind, big blind, first to act preflop)
        (0, 2, 3, 5), (2, 3, 5, 0), (3, 5, 0, 2), (5, 0, 2, 3), (0, 2, 3, 5)]
    for hand_no, where in enumerate(expected, start=1):
        assert t.state.hand_no == hand_no
        assert positions(t) == where
        started = t.hand_events(hand_no)[0]
        assert (started.button, started.small_blind_seat, started.big_blind_seat) == where[:3]
        # Dealing starts left of the button.
        button = where[0]
        assert started.dealt == tuple(sorted((0, 2, 3, 5), key=lambda s: (s - button - 1) % 6))
        t.fold_out()


def test_posting_order_is_antes_then_small_then_big_blind(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100}, ante=1)
    assert start_events(t, 1) == [
        ("AntePosted", 1, 1), ("AntePosted", 2, 1), ("AntePosted", 0, 1),
        ("BlindPosted", 1, 1), ("BlindPosted", 2, 2),
        ("HoleCardsDealt", 1), ("HoleCardsDealt", 2), ("HoleCardsDealt", 0),
        ("TurnStarted", 0)]
    assert t.stacks() == [99, 98, 97]
    assert t.state.pot == 3  # antes are in the middle; blinds are bets in front
    assert t.state.bet == [0, 1, 2]


def test_hole_cards_are_dealt_one_at_a_time_from_left_of_the_button(monkeypatch):
    d = deck(["As Ad", "Ks Kd", "Qs Qd"])
    t = Table({0: 100, 1: 100, 2: 100}, decks={1: d})
    dealt = t.of(ev.HoleCardsDealt)
    assert dealt == [ev.HoleCardsDealt(1, (d[0], d[3])), ev.HoleCardsDealt(2, (d[1], d[4])),
                     ev.HoleCardsDealt(0, (d[2], d[5]))]


# -- heads-up ---------------------------------------------------------------------------------

def test_heads_up_button_posts_small_blind_acts_first_preflop_and_last_after(monkeypatch):
    t = Table({2: 100, 5: 100}, seats=6)
    assert positions(t) == (2, 2, 5, 2)
    assert start_events(t, 1)[:2] == [("BlindPosted", 2, 1), ("BlindPosted", 5, 2)]
    assert t.legal().call == 1
    t.do(Call(2))
    assert t.state.to_act == 5  # the big blind's option
    t.do(Check(5))
    assert t.state.street == FLOP
    assert t.state.to_act == 5  # after the flop the big blind acts first
    t.do(Check(5))
    assert t.state.to_act == 2  # and the button last
    t.fold_out()
    # Hand 2: the button moves to seat 5, which now posts the small blind.
    assert t.final_stacks(1) == [0, 0, 98, 0, 0, 102]  # the button folded on the flop
    assert positions(t) == (5, 5, 2, 5)
    assert t.stacks() == [0, 0, 96, 0, 0, 101]  # after posting 2 and 1


def test_heads_up_betting_order_on_every_street(monkeypatch):
    t = Table({0: 100, 1: 100})
    seen = []
    for _ in range(4):
        street = t.state.street
        first = t.state.to_act
        t.do(Call(first) if t.legal().call else Check(first))
        second = t.state.to_act
        t.do(Check(second))
        seen.append((street, first, second))
    assert seen == [(0, 0, 1), (1, 1, 0), (2, 1, 0), (3, 1, 0)]


# -- antes ------------------------------------------------------------------------------------

def test_big_blind_all_in_from_the_ante_still_sets_the_full_big_blind(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 1}, ante=1,
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    assert start_events(t, 1)[:5] == [
        ("AntePosted", 1, 1), ("AntePosted", 2, 1), ("AntePosted", 0, 1),
        ("BlindPosted", 1, 1), ("BlindPosted", 2, 0)]
    assert t.state.stack[2] == 0
    assert t.legal().call == 2
    t.do(Call(0), Call(1))
    # Seat 2 is all-in from its ante: it does not act, and the round is over.
    assert t.state.street == FLOP
    assert t.state.pots == ((3, (0, 1, 2)), (4, (0, 1)))
    events = t.do(*[Check(s) for s in (1, 0) * 3])
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(1, 4, ((1, 4),)),
                                           ev.PotAwarded(0, 3, ((2, 3),))]
    assert t.final_stacks(1) == [97, 101, 3]


def test_small_blind_all_in_from_the_ante_posts_no_blind(monkeypatch):
    t = Table({0: 100, 1: 1, 2: 100}, ante=1,
              decks={1: deck(["As Ad", "Ks Kd", "Qs Qd"], NO_HELP_BOARD)})
    assert start_events(t, 1)[:4] == [
        ("AntePosted", 1, 1), ("AntePosted", 2, 1), ("AntePosted", 0, 1),
        ("BlindPosted", 2, 2)]
    t.do(Call(0), Check(2))
    t.do(*[Check(s) for s in (2, 0) * 3])
    # Seat 1 (aces) wins the main pot of 3 antes; seat 2's kings win the side pot of 4.
    assert t.final_stacks(1) == [97, 3, 101]


def test_a_stack_smaller_than_the_ante_posts_all_of_it(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 3}, small_blind=5, big_blind=10, ante=5)
    assert start_events(t, 1)[:5] == [
        ("AntePosted", 1, 5), ("AntePosted", 2, 3), ("AntePosted", 0, 5),
        ("BlindPosted", 1, 5), ("BlindPosted", 2, 0)]
    assert t.state.pot == 13
    assert t.legal().call == 10


# -- short blinds -----------------------------------------------------------------------------

@pytest.fixture
def short_big_blind(monkeypatch):
    # Blinds 5/10; the big blind (seat 2) has only 6. Dealing order 1, 2, 0.
    return Table({0: 100, 1: 100, 2: 6}, small_blind=5, big_blind=10,
                 decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})


def test_short_big_blind_sets_the_call_at_the_full_big_blind(short_big_blind):
    t = short_big_blind
    assert start_events(t, 1)[:2] == [("BlindPosted", 1, 5), ("BlindPosted", 2, 6)]
    assert t.state.current_bet == 10
    legal = t.legal()
    assert (legal.seat, legal.call, legal.min_raise_to) == (0, 10, 20)
    t.do(Call(0))
    assert t.legal().call == 5  # the small blind completes to the full big blind
    t.do(Call(1))
    assert t.state.street == FLOP
    assert t.state.pots == ((18, (0, 1, 2)), (8, (0, 1)))
    t.do(*[Check(s) for s in (1, 0) * 3])
    assert t.final_stacks(1) == [90, 98, 18]  # aces win 18; kings beat queens for 8


def test_short_big_blind_call_facing_only_it_is_priced_at_what_it_posted(short_big_blind):
    t = short_big_blind
    t.do(Fold(0))
    # Facing only the all-in big blind, the small blind's call goes no further than the 6
    # anyone can win: 1 more, not the 5 to the full big blind.
    assert t.legal().call == 1
    events = t.do(Call(1))
    assert t.of(ev.Called, events) == [ev.Called(1, 1)]
    assert t.of(ev.BetReturned, events) == []
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 12, ((2, 12),))]
    assert t.final_stacks(1) == [100, 94, 12]


def test_short_small_blind_posts_all_of_it(monkeypatch):
    t = Table({0: 100, 1: 3, 2: 100}, small_blind=5, big_blind=10,
              decks={1: deck(["As Ad", "Ks Kd", "Qs Qd"], NO_HELP_BOARD)})
    assert start_events(t, 1)[:2] == [("BlindPosted", 1, 3), ("BlindPosted", 2, 10)]
    assert t.state.stack[1] == 0
    events = t.do(Fold(0))
    # Seat 1 is all-in: the big blind, alone with chips and owing nothing, does not act;
    # 7 of its 10 are uncalled and the board runs out.
    ended = [type(e) for e in events].index(ev.HandEnded)
    assert ev.TurnStarted not in [type(e) for e in events[:ended]]
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(2, 7)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 6, ((1, 6),))]
    assert t.final_stacks(1) == [100, 6, 97]


def test_big_blind_gets_its_option_when_everyone_limps(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1))
    legal = t.legal()
    assert legal.seat == 2
    assert legal.can_check
    assert (legal.call, legal.min_raise_to, legal.max_raise_to) == (0, 4, 100)
    t.do(RaiseTo(2, 4))
    assert t.state.to_act == 0


def test_everyone_folds_to_a_player_all_in_from_a_partial_ante(monkeypatch):
    players = {0: 100, 1: 100, 2: 3}  # the big blind is all-in from its ante (3 of 5)
    t = Table(players, small_blind=5, big_blind=10, ante=5,
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    # Once the button folds, the small blind has put in more than the all-in big blind
    # can win from it: no decision is left, and the board runs out. Of the small blind's
    # 10, the 5 above the button's dead ante come back; seat 2's aces win the main pot of
    # 3 x 3, and the side pot (the button's 2 dead chips and the small blind's 2) is the
    # small blind's alone.
    events = t.do(Fold(0))
    assert t.of(ev.TurnStarted, t.hand_events(1)) == [ev.TurnStarted(0)]
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(1, 5)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(1, 4, ((1, 4),)),
                                           ev.PotAwarded(0, 9, ((2, 9),))]
    assert t.final_stacks(1) == [95, 99, 9]


def test_each_hand_is_dealt_from_its_own_seeded_deck(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100}, seed=777)
    for hand_no in (1, 2, 3):
        started = t.hand_events(hand_no)[0]
        assert started.seed == derive_seed(777, hand_no)
        assert started.deck == shuffled_deck(started.seed)
        assert sorted(started.deck) == list(range(52))
        t.fold_out()
    assert t.hand_events(1)[0].deck != t.hand_events(2)[0].deck
