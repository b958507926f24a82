"""Betting: minimum bets and raises, short all-ins and reopening, all-in caps, round closure."""

from scenario import Table, deck

from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, Fold, RaiseTo
from sim.engine.state import FLOP, PREFLOP, TURN

NO_HELP_BOARD = "2c 3d 7h 9s Tc"


def amounts(legal) -> tuple[int, int, int, int, int]:
    return legal.call, legal.min_bet, legal.max_bet, legal.min_raise_to, legal.max_raise_to


# -- minimum bets and raises ------------------------------------------------------------------

def test_min_raise_follows_the_last_full_raise(monkeypatch):
    t = Table({0: 1000, 1: 1000, 2: 1000}, small_blind=10, big_blind=20)
    # Preflop the blinds are the opening bet: the first wager is a raise, at least to 40.
    assert amounts(t.legal()) == (20, 0, 0, 40, 1000)
    t.reject(Bet(0, 60), "cannot bet", "already a bet of 20")
    t.reject(RaiseTo(0, 39), "Raise to 39", "minimum raise to 40")
    t.do(RaiseTo(0, 70))  # a raise of 50
    assert amounts(t.legal()) == (60, 0, 0, 120, 1000)
    t.reject(RaiseTo(1, 119), "Raise to 119 is below the minimum raise to 120")
    t.do(RaiseTo(1, 200))  # a raise of 130
    assert amounts(t.legal()) == (180, 0, 0, 330, 1000)
    t.do(Fold(2), Call(0))
    assert t.state.street == FLOP
    # A new street: the minimum bet is the big blind again.
    assert amounts(t.legal()) == (0, 20, 800, 0, 0)
    t.reject(Bet(1, 19), "Bet of 19 is below the minimum bet of 20")
    t.reject(RaiseTo(1, 40), "cannot raise", "bet instead")
    t.do(Bet(1, 30))
    assert amounts(t.legal()) == (30, 0, 0, 60, 800)  # a bet of 30 is raised by 30 or more
    t.reject(RaiseTo(0, 59), "minimum raise to 60")
    t.do(RaiseTo(0, 60))
    assert amounts(t.legal()) == (30, 0, 0, 90, 800)
    t.do(RaiseTo(1, 800))  # all-in
    assert amounts(t.legal()) == (740, 0, 0, 0, 0)  # nobody else has chips: call or fold


def test_all_in_for_less_than_the_minimum_is_allowed(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 17}, small_blind=5, big_blind=10)
    t.do(Call(0), Call(1), Check(2))
    t.do(Check(1))
    legal = t.legal()
    assert (legal.seat, legal.min_bet, legal.max_bet) == (2, 7, 7)  # all-in for less
    t.reject(Bet(2, 8), "Bet of 8 is above seat 2's stack of 7")
    events = t.do(Bet(2, 7))
    assert t.of(ev.BetMade, events) == [ev.BetMade(2, 7, False)]
    # Seat 0 has not acted: it may call or raise, the minimum raise being one big blind.
    assert amounts(t.legal()) == (7, 0, 0, 17, 90)


def test_raise_all_in_for_less_than_a_min_raise_is_allowed(monkeypatch):
    t = Table({0: 1000, 1: 1000, 2: 55}, small_blind=10, big_blind=20)
    t.do(RaiseTo(0, 40))
    t.do(Fold(1))
    assert amounts(t.legal()) == (20, 0, 0, 55, 55)  # the minimum would be 60
    events = t.do(RaiseTo(2, 55))
    assert t.of(ev.RaisedTo, events) == [ev.RaisedTo(2, 55, False)]


# -- short all-ins ----------------------------------------------------------------------------

def test_short_all_in_raise_does_not_reopen_the_betting(monkeypatch):
    # Blinds 10/20; button 0 has 130. Dealing order 1, 2, 3, 0.
    t = Table({0: 130, 1: 1000, 2: 1000, 3: 1000}, small_blind=10, big_blind=20,
              decks={1: deck(["4c 5d", "4h 6d", "Ks Kd", "As Ad"], NO_HELP_BOARD)})
    t.do(RaiseTo(3, 100))  # a full raise of 80
    events = t.do(RaiseTo(0, 130))  # all-in, 30 more: not a full raise
    assert t.of(ev.RaisedTo, events) == [ev.RaisedTo(0, 130, False)]
    # The blinds have not acted yet: they may still raise, by at least the last full raise.
    assert amounts(t.legal()) == (120, 0, 0, 210, 1000)
    t.do(Fold(1))
    assert amounts(t.legal()) == (110, 0, 0, 210, 1000)
    t.do(Fold(2))
    # Seat 3 has acted, and only 30 was added since: it may call or fold, not raise.
    legal = t.legal()
    assert legal.seat == 3
    assert amounts(legal) == (30, 0, 0, 0, 0)
    assert not legal.can_check
    message = t.reject(RaiseTo(3, 300), "Seat 3 cannot raise", "full raise of 80")
    assert "call 30" in message  # the hint lists what is legal
    t.reject(RaiseTo(3, 1000), "cannot raise")
    t.reject(Bet(3, 300), "cannot bet")
    events = t.do(Call(3))
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 290, ((0, 290),))]
    assert t.final_stacks(1) == [290, 990, 980, 870]


def setup_two_short_stacks(monkeypatch) -> Table:
    # Blinds 10/20: the small blind has 35 and the big blind 50 in all.
    t = Table({0: 1000, 1: 35, 2: 50, 3: 1000}, small_blind=10, big_blind=20)
    t.do(Call(3), Call(0))  # both have acted at 20
    events = t.do(RaiseTo(1, 35))  # all-in: 15 more, short of a full raise of 20
    assert t.of(ev.RaisedTo, events) == [ev.RaisedTo(1, 35, False)]
    return t


def test_one_short_all_in_leaves_the_limpers_closed(monkeypatch):
    t = setup_two_short_stacks(monkeypatch)
    t.do(Fold(2))
    assert t.legal().seat == 3
    assert amounts(t.legal()) == (15, 0, 0, 0, 0)
    t.reject(RaiseTo(3, 60), "cannot raise", "less than a full raise")
    t.do(Call(3))
    assert amounts(t.legal()) == (15, 0, 0, 0, 0)  # seat 0 too
    t.do(Call(0))
    assert t.state.street == FLOP


def test_short_all_ins_adding_up_to_a_full_raise_reopen_the_betting(monkeypatch):
    t = setup_two_short_stacks(monkeypatch)
    events = t.do(RaiseTo(2, 50))  # all-in: 15 more, short again; 30 since the limps
    assert t.of(ev.RaisedTo, events) == [ev.RaisedTo(2, 50, False)]
    legal = t.legal()
    assert legal.seat == 3
    assert amounts(legal) == (30, 0, 0, 70, 1000)
    t.do(RaiseTo(3, 70))
    assert amounts(t.legal()) == (50, 0, 0, 90, 1000)


def test_all_in_bet_below_the_big_blind_after_a_check_does_not_reopen(monkeypatch):
    t = Table({0: 1000, 1: 1000, 2: 25}, small_blind=10, big_blind=20)
    t.do(Call(0), Call(1), Check(2))
    t.do(Check(1))  # a check counts as acting
    events = t.do(Bet(2, 5))  # all-in, below the big blind
    assert t.of(ev.BetMade, events) == [ev.BetMade(2, 5, False)]
    assert amounts(t.legal()) == (5, 0, 0, 25, 980)  # seat 0 has not acted: open
    t.do(Call(0))
    legal = t.legal()
    assert legal.seat == 1
    assert amounts(legal) == (5, 0, 0, 0, 0)
    t.reject(RaiseTo(1, 50), "Seat 1 cannot raise")
    t.reject(Check(1), "cannot check", "5 is owed")
    t.do(Call(1))
    assert t.state.street == TURN
    assert t.state.pots == ((75, (0, 1, 2)),)


# -- no raise against all-ins ------------------------------------------------------------------

def test_no_raise_when_every_other_player_is_all_in_heads_up(monkeypatch):
    t = Table({0: 50, 1: 200})
    t.do(RaiseTo(0, 50))
    legal = t.legal()
    assert legal.seat == 1
    assert amounts(legal) == (48, 0, 0, 0, 0)
    message = t.reject(RaiseTo(1, 200), "Seat 1 cannot raise",
                       "every other player still in the hand is all-in")
    assert "call 48" in message


def test_no_raise_when_every_other_live_player_is_all_in_or_folded(monkeypatch):
    t = Table({0: 30, 1: 1000, 2: 40, 3: 1000})
    # Button 0, SB 1, BB 2, seat 3 first.
    t.do(Fold(3), RaiseTo(0, 30), Fold(1))
    # Seat 2 covers seat 0, but seat 0 is all-in and everyone else folded: call or fold.
    legal = t.legal()
    assert legal.seat == 2
    assert amounts(legal) == (28, 0, 0, 0, 0)
    t.reject(RaiseTo(2, 40), "Seat 2 cannot raise", "all-in")
    events = t.do(Call(2))
    assert ev.HandEnded in [type(e) for e in events]  # the board runs out
    assert t.state.hand_no == 2


def test_no_bet_after_the_flop_when_the_others_are_all_in(monkeypatch):
    t = Table({0: 1000, 1: 1000, 2: 20, 3: 20})
    t.do(RaiseTo(3, 20), Call(0), Call(1), Call(2))
    # Seats 2 and 3 are all-in preflop; seats 0 and 1 keep betting after the flop.
    assert t.state.street == FLOP
    t.do(Bet(1, 100), Call(0))
    assert t.state.street == TURN
    t.do(Bet(1, 880))  # all-in
    assert amounts(t.legal()) == (880, 0, 0, 0, 0)


# -- betting round closure ---------------------------------------------------------------------

def test_a_full_raise_makes_the_callers_act_again(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1))
    events = t.do(RaiseTo(2, 6))
    assert t.of(ev.TurnStarted, events) == [ev.TurnStarted(0)]
    t.do(Call(0))
    assert (t.state.street, t.state.to_act) == (PREFLOP, 1)
    events = t.do(Call(1))
    assert t.of(ev.BoardDealt, events)[0].street == FLOP
    assert t.of(ev.BetsCollected, events) == [ev.BetsCollected(((18, (0, 1, 2)),))]
    assert t.state.to_act == 1  # first live seat left of the button


def test_the_round_ends_when_all_have_checked(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1), Check(2))
    assert t.state.street == FLOP
    t.do(Check(1), Check(2))
    assert t.state.street == FLOP
    assert t.state.to_act == 0
    events = t.do(Check(0))
    assert t.of(ev.BoardDealt, events)[0].street == TURN
    assert t.of(ev.BetsCollected, events) == []  # nothing to collect: no event
    assert t.state.to_act == 1


def test_a_bet_is_answered_by_every_other_player_before_the_round_ends(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100, 3: 100})
    t.do(Call(3), Call(0), Call(1), Check(2))
    t.do(Check(1), Bet(2, 10), Call(3))
    assert t.state.to_act == 0
    t.do(Fold(0))
    assert t.state.to_act == 1  # the seat that checked must answer the bet
    t.do(Call(1))
    assert t.state.street == TURN
    assert t.state.pots == ((38, (1, 2, 3)),)


def test_fold_is_legal_even_when_checking_is_free(monkeypatch):
    # The rules allow it (PokerKit refuses it).
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(Call(0), Call(1))
    assert t.legal().can_check
    events = t.do(Fold(2))
    assert t.of(ev.Folded, events) == [ev.Folded(2, "action")]
    assert t.state.street == FLOP
    assert t.state.pots == ((6, (0, 1)),)


def test_after_the_flop_the_first_live_seat_left_of_the_button_acts_first(monkeypatch):
    # Seats 0..4; button 0, SB 1, BB 2. The small blind folds and seat 2 goes all-in.
    t = Table({0: 100, 1: 100, 2: 30, 3: 100, 4: 100})
    t.do(Call(3), Call(4), Call(0), Fold(1), RaiseTo(2, 30), Call(3), Call(4), Call(0))
    assert t.state.street == FLOP
    assert t.state.to_act == 3  # seat 1 folded, seat 2 is all-in
    t.do(Check(3), Check(4))
    assert t.state.to_act == 0  # the button acts last
    t.do(Check(0))
    assert t.state.to_act == 3


def test_a_call_is_capped_at_the_stack(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 25}, small_blind=5, big_blind=10)
    t.do(RaiseTo(0, 60), Fold(1))
    legal = t.legal()
    assert (legal.seat, legal.call) == (2, 15)  # owes 50, has 15
    events = t.do(Call(2))
    assert t.of(ev.Called, events) == [ev.Called(2, 15)]
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(0, 35)]
