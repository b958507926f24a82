"""Seats between and during hands: timeouts, sitting out and in, waiting for the big blind,
posting, leaving, rebuys and busted players."""

from scenario import Table, as_snapshot, deck

from sim.engine import events as ev
from sim.engine.actions import (
    Bet,
    Call,
    Check,
    Fold,
    Leave,
    Post,
    RaiseTo,
    Rebuy,
    Sit,
    SitIn,
    SitOut,
    Timeout,
)
from sim.engine.state import FLOP, GO_OUT, IDLE, PLAYING, SITTING_OUT, WAITING

NO_HELP_BOARD = "2c 3d 7h 9s Tc"


def started(t: Table, hand_no: int) -> ev.HandStarted:
    event = t.hand_events(hand_no)[0]
    assert type(event) is ev.HandStarted
    return event


def where(t: Table, hand_no: int) -> tuple:
    """(button, small blind, big blind, dealt seats) of a hand."""
    e = started(t, hand_no)
    return e.button, e.small_blind_seat, e.big_blind_seat, e.dealt


def opening_stacks(t: Table, hand_no: int) -> list[int]:
    """Stacks right after HandStarted, before anything is posted."""
    return list(as_snapshot(t.record(hand_no).snapshot)["stack"])


# -- starting ---------------------------------------------------------------------------------

def test_a_hand_starts_only_when_two_players_can_be_dealt_in(monkeypatch):
    t = Table({0: 100}, seats=6)
    assert (t.state.phase, t.state.hand_no) == (IDLE, 0)
    events = t.do(Sit(3, "cy", 50))
    assert events[0] == ev.PlayerSeated(3, "cy", 50, waiting=False)
    assert started(t, 1).dealt == (3, 0)
    assert t.state.chips_in == 150


# -- timeouts ---------------------------------------------------------------------------------

def test_timeout_folds_when_owing_checks_when_free_and_sits_out_next_hand(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100, 3: 100})
    # Button 0, SB 1, BB 2; seat 3 acts first and owes the big blind.
    events = t.do(Timeout(3))
    assert events[:2] == [ev.TimedOut(3), ev.Folded(3, "timeout")]
    assert t.state.pending_status[3] == GO_OUT
    assert t.state.status[3] == PLAYING  # not until the hand ends
    t.do(Call(0), Call(1))
    events = t.do(Timeout(2))  # the big blind's option: checking is free
    assert events[:2] == [ev.TimedOut(2), ev.Checked(2)]
    assert t.state.street == FLOP
    assert not t.state.folded[2]
    t.do(Bet(1, 10), Fold(2), Fold(0))
    assert t.final_stacks(1) == [98, 104, 98, 100]
    # Hand 2: seats 2 and 3 sit out; seats 0 and 1 play heads-up.
    assert t.of(ev.SatOut, t.events) == [ev.SatOut(2), ev.SatOut(3)]
    assert t.state.status == (PLAYING, PLAYING, SITTING_OUT, SITTING_OUT)
    assert where(t, 2) == (1, 1, 0, (0, 1))


def test_a_table_with_everyone_else_timed_out_goes_idle_until_someone_sits_in(monkeypatch):
    t = Table({0: 100, 1: 100})
    t.do(Timeout(0))  # heads-up: the button owes 1, so it folds
    assert t.final_stacks(1) == [99, 101]
    assert t.state.status[0] == SITTING_OUT
    assert (t.state.phase, t.state.hand_no) == (IDLE, 1)
    events = t.do(SitIn(0))
    assert events[0] == ev.SatIn(0, waiting=False)
    assert t.state.hand_no == 2


# -- sitting out, sitting in, waiting for the big blind -----------------------------------------

def four_players_with_seat_3_missing_the_big_blind(monkeypatch) -> Table:
    t = Table({0: 100, 1: 100, 2: 100, 3: 100})
    events = t.do(SitOut(3))  # seat 3 is first to act in hand 1: the request waits
    assert events == [ev.RequestQueued(3, "sit_out", 0)]
    assert t.state.to_act == 3
    t.fold_out()
    # Hand 2: the big blind skips seat 3, which is marked as having missed it.
    assert where(t, 2) == (1, 2, 0, (2, 0, 1))
    assert started(t, 2).missed == (3,)
    assert t.state.missed_bb[3]
    events = t.do(SitIn(3))
    assert events == [ev.RequestQueued(3, "sit_in", 0)]
    t.fold_out()
    assert ev.SatIn(3, waiting=True) in t.events
    assert t.state.status[3] == WAITING
    return t


def test_a_player_who_missed_the_big_blind_waits_for_it(monkeypatch):
    t = four_players_with_seat_3_missing_the_big_blind(monkeypatch)
    # Hands 3 and 4 go on without seat 3; in hand 5 the big blind reaches it.
    assert where(t, 3) == (2, 0, 1, (0, 1, 2))
    t.fold_out()
    assert where(t, 4) == (0, 1, 2, (1, 2, 0))
    t.fold_out()
    assert where(t, 5) == (1, 2, 3, (2, 3, 0, 1))
    assert t.state.status[3] == PLAYING
    assert t.state.bet[3] == 2


def test_a_player_who_missed_the_big_blind_may_post_to_come_in(monkeypatch):
    t = four_players_with_seat_3_missing_the_big_blind(monkeypatch)
    events = t.do(Post(3))
    assert events == [ev.RequestQueued(3, "post", 0)]
    t.reject(Post(3), "already posted")
    t.fold_out()
    assert where(t, 4) == (0, 1, 2, (1, 2, 3, 0))
    assert started(t, 4).posters == (3,)
    assert ev.BlindPosted(3, 2, "live") in t.hand_events(4)
    # The live post is a big blind: seat 3 acts first and has the option to check.
    legal = t.legal()
    assert legal.seat == 3
    assert legal.can_check
    assert (legal.call, legal.min_raise_to) == (0, 4)
    t.do(Check(3), Call(0), Call(1), Check(2))
    assert t.state.street == FLOP
    assert t.state.pots == ((8, (0, 1, 2, 3)),)


def test_a_player_sitting_in_during_a_hand_may_post_for_the_next_hand(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100, 3: 100})
    t.do(SitOut(3))
    t.fold_out()
    assert started(t, 2).missed == (3,)
    t.reject(Post(3), "Seat 3 cannot post", "sitting out")  # not before asking to sit in
    t.do(SitIn(3), Post(3))  # RULES: "or choose to post one big blind (live) at the next hand"
    t.fold_out()
    assert ev.SatIn(3, waiting=True) in t.events
    assert where(t, 3) == (2, 0, 1, (3, 0, 1, 2))
    assert started(t, 3).posters == (3,)
    assert ev.BlindPosted(3, 2, "live") in t.hand_events(3)
    assert t.state.status[3] == PLAYING


def test_sitting_out_and_in_without_missing_the_big_blind_plays_at_once(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100, 3: 100})
    t.do(SitOut(0))
    t.fold_out()
    # Hand 2 without seat 0: the big blind moves from seat 2 to seat 3, not past seat 0.
    assert where(t, 2) == (1, 2, 3, (2, 3, 1))
    assert started(t, 2).missed == ()
    t.do(SitIn(0))
    t.fold_out()
    assert t.of(ev.SatIn)[-1] == ev.SatIn(0, waiting=False)
    assert where(t, 3) == (2, 3, 0, (3, 0, 1, 2))


def test_sit_out_and_sit_in_when_idle_take_effect_at_once(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(SitOut(2))
    t.fold_out()
    t.do(SitOut(1))
    t.fold_out()
    assert t.state.phase == IDLE  # only seat 0 sits in
    assert t.do(SitOut(0)) == [ev.SatOut(0)]
    events = t.do(SitIn(0))
    assert events == [ev.SatIn(0, waiting=False)]
    t.reject(SitIn(0), "already sitting in")
    events = t.do(SitIn(2))
    assert type(events[-1]) is ev.TurnStarted  # two can play: a hand starts
    assert set(started(t, 3).dealt) == {0, 2}


def test_a_player_joining_a_running_table_waits_for_the_big_blind(monkeypatch):
    t = Table({0: 100, 2: 100, 4: 100}, seats=6)
    events = t.do(Sit(1, "new", 80))
    assert events == [ev.PlayerSeated(1, "new", 80, waiting=True)]
    assert t.state.chips_in == 380
    assert t.state.status[1] == WAITING
    t.fold_out()
    assert where(t, 2) == (2, 4, 0, (4, 0, 2))
    t.fold_out()
    assert where(t, 3) == (4, 0, 1, (0, 1, 2, 4))
    assert t.state.bet[1] == 2


def test_a_player_joining_a_running_table_may_post_to_come_in(monkeypatch):
    t = Table({0: 100, 2: 100, 4: 100}, seats=6)
    t.do(Sit(1, "new", 80), Post(1))
    t.fold_out()
    assert where(t, 2) == (2, 4, 0, (4, 0, 1, 2))
    assert started(t, 2).posters == (1,)
    assert t.state.bet == [2, 2, 0, 0, 1, 0]
    assert t.state.to_act == 1


# -- leaving ----------------------------------------------------------------------------------

def test_leaving_on_your_turn_folds_and_cashes_out_at_the_end_of_the_hand(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    events = t.do(Leave(0))
    assert events == [ev.RequestQueued(0, "leave", 0), ev.Folded(0, "left"), ev.TurnStarted(1)]
    assert t.state.player[0] == "p0"  # still seated until the hand ends
    t.reject(Leave(0), "already leaving")
    t.reject(Rebuy(0, 10), "leaving")
    events = t.do(Fold(1))
    kinds = [type(e) for e in events]
    assert kinds.index(ev.HandEnded) < kinds.index(ev.PlayerLeft) < kinds.index(ev.HandStarted)
    assert t.of(ev.PlayerLeft, events) == [ev.PlayerLeft(0, "p0", 100)]
    assert t.state.chips_out == 100
    assert t.state.player[0] is None
    assert where(t, 2) == (1, 1, 2, (2, 1))  # heads-up between the others


def test_a_player_who_leaves_is_folded_when_their_turn_comes(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    events = t.do(Leave(2))  # the big blind, while seat 0 is to act
    assert events == [ev.RequestQueued(2, "leave", 0)]
    assert not t.state.folded[2]
    t.do(Call(0))
    events = t.do(Call(1))
    assert events[1:3] == [ev.Folded(2, "left"), ev.BetsCollected(((6, (0, 1)),))]
    assert t.state.street == FLOP
    t.do(Check(1), Bet(0, 10), Fold(1))
    assert t.final_stacks(1) == [104, 98, 98]
    assert t.state.chips_out == 98
    assert t.state.player[2] is None


def test_an_all_in_player_who_leaves_plays_on_and_cashes_out_the_winnings(monkeypatch):
    t = Table({0: 20, 1: 100, 2: 100},
              decks={1: deck(["Ks Kd", "Qs Qd", "As Ad"], NO_HELP_BOARD)})
    t.do(RaiseTo(0, 20), Call(1), Call(2))
    assert t.state.street == FLOP
    t.do(Leave(0))
    assert not t.state.folded[0]
    events = t.do(*[Check(s) for s in (1, 2) * 3])
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 60, ((0, 60),))]
    assert t.of(ev.PlayerLeft, events) == [ev.PlayerLeft(0, "p0", 60)]
    assert t.state.chips_out == 60
    assert t.state.table_chips() == 160


def test_leaving_when_no_hand_runs_cashes_out_at_once(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    t.do(SitOut(2))
    t.fold_out()
    t.do(SitOut(1))
    t.fold_out()
    assert t.state.phase == IDLE
    stack = t.state.stack[1]
    assert t.do(Leave(1)) == [ev.PlayerLeft(1, "p1", stack)]
    assert t.state.chips_out == stack


# -- rebuys and busted players ----------------------------------------------------------------

def test_rebuy_during_a_hand_is_applied_when_it_ends(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100}, max_buy_in=200)
    t.reject(Rebuy(0, 101), "Rebuy of 101", "maximum buy-in of 200", "at most 100 more")
    assert t.do(Rebuy(0, 60)) == [ev.RequestQueued(0, "rebuy", 60)]
    assert t.state.stack[0] == 100
    assert t.state.chips_in == 300
    t.reject(Rebuy(0, 41), "at most 40 more")
    t.do(Rebuy(0, 40))
    t.do(RaiseTo(0, 10))
    t.reject(Rebuy(1, 101), "at most 100 more")  # the small blind in the pot still counts
    t.do(Fold(1), Fold(2))
    assert t.final_stacks(1) == [103, 99, 98]
    # Seat 0 asked for 100 but has 103 now: only 97 fits under the maximum buy-in.
    assert t.of(ev.RebuyApplied) == [ev.RebuyApplied(0, 100, 97)]
    assert opening_stacks(t, 2) == [200, 99, 98]
    assert t.state.chips_in == 397
    assert t.state.table_chips() == 397


def test_busted_players_are_not_dealt_in_and_the_button_skips_them(monkeypatch):
    # Hand 1: seat 1 (the small blind) loses everything to seat 3.
    t = Table({0: 100, 1: 50, 2: 100, 3: 100},
              decks={1: deck(["Ks Kd", "Qs Qd", "As Ad", "2h 4h"], NO_HELP_BOARD)})
    t.do(RaiseTo(3, 50), Fold(0), Call(1), Fold(2))
    assert t.final_stacks(1) == [100, 0, 98, 152]
    # Hand 2: the button would go to seat 1, which has no chips: it goes to seat 2.
    assert where(t, 2) == (2, 3, 0, (3, 0, 2))
    assert t.state.status[1] == PLAYING  # still sitting in, just not dealt
    t.reject(Post(1), "cannot post")
    assert t.do(Rebuy(1, 40)) == [ev.RequestQueued(1, "rebuy", 40)]
    t.fold_out()
    assert ev.RebuyApplied(1, 40, 40) in t.events
    assert 1 in started(t, 3).dealt


def test_a_busted_heads_up_player_rebuys_and_play_resumes(monkeypatch):
    t = Table({0: 100, 1: 100},
              decks={1: deck(["Ks Kd", "As Ad"], NO_HELP_BOARD)})
    t.do(RaiseTo(0, 100), Call(1))
    assert t.final_stacks(1) == [200, 0]
    assert t.state.phase == IDLE  # one player with chips: no hand
    events = t.do(Rebuy(1, 150))
    assert events[0] == ev.RebuyApplied(1, 150, 150)
    assert t.state.hand_no == 2
    assert opening_stacks(t, 2) == [200, 150]
    assert t.state.chips_in == 350


def test_sitting_out_and_in_does_not_skip_waiting_for_the_big_blind(monkeypatch):
    t = Table({0: 100, 2: 100, 4: 100}, seats=6)
    t.do(Sit(1, "new", 80), SitOut(1), SitIn(1))
    t.fold_out()
    # As in test_a_player_joining_a_running_table_waits_for_the_big_blind: seat 1 waits.
    assert where(t, 2) == (2, 4, 0, (4, 0, 2))
    assert t.state.status[1] == WAITING


def test_a_newcomer_who_sits_out_still_owes_the_big_blind(monkeypatch):
    t = Table({0: 100, 2: 100, 4: 100}, seats=6)
    t.do(Sit(5, "new", 80), SitOut(5))  # joins, then sits out before ever posting
    t.fold_out()
    assert t.state.status[5] == SITTING_OUT
    t.do(SitIn(5))
    t.fold_out()
    assert ev.SatIn(5, waiting=True) in t.events
    # Hand 3: button 4; the small blind skips the waiting seat 5, the big blind is seat 2.
    assert where(t, 3) == (4, 0, 2, (0, 2, 4))
    assert t.state.status[5] == WAITING
