"""Showdown: split pots and odd chips, showing order, mucking, folds, and run-outs."""

from scenario import Table, deck

from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, Fold, RaiseTo
from sim.engine.cards import cards_from_str
from sim.engine.state import RIVER, TableState
from sim.engine.views import player_view, public_view

ROYAL_BOARD = "As Ks Qs Js Ts"  # the board plays: every live hand ties
NO_HELP_BOARD = "2c 3d 7h 9s Tc"


def check_down(t: Table, *order: int, streets: int = 3) -> list[ev.Event]:
    """Every seat in ``order`` checks on each of the next ``streets`` streets."""
    out: list[ev.Event] = []
    for _ in range(streets):
        out += t.do(*[Check(s) for s in order])
    return out


def show_order(events: list[ev.Event]) -> list[tuple[str, int]]:
    return [("shows" if type(e) is ev.CardsShown else "mucks", e.seat) for e in events
            if type(e) in (ev.CardsShown, ev.CardsMucked)]


# -- split pots and odd chips ---------------------------------------------------------------

def test_odd_chip_goes_to_the_tied_winner_left_of_the_button(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["2c 3c", "4c 5c", "6c 7c"], ROYAL_BOARD)})
    # Button 0, SB 1, BB 2. The small blind folds its chip: the pot is 5.
    t.do(Call(0), Fold(1), Check(2))
    events = check_down(t, 2, 0)
    # Seat 2 is the first winner left of the button (seat 1 folded), so it gets the odd chip.
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 5, ((2, 3), (0, 2)))]
    assert t.final_stacks(1) == [100, 99, 101]


def test_odd_chip_follows_the_button(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={2: deck(["2c 3c", "4c 5c", "6c 7c"], ROYAL_BOARD)})
    t.do(Fold(0), Fold(1))  # hand 1: the big blind (seat 2) wins the small blind
    assert t.final_stacks(1) == [100, 99, 101]
    # Hand 2: button 1, SB 2, BB 0; the button acts first preflop three-handed.
    assert (t.state.button, t.state.small_blind_seat, t.state.big_blind_seat) == (1, 2, 0)
    t.do(Call(1), Fold(2), Check(0))
    events = check_down(t, 0, 1)
    # Left of the button: seat 2 (folded), then seat 0: seat 0 gets the odd chip.
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 5, ((0, 3), (1, 2)))]
    assert t.final_stacks(2) == [101, 99, 100]


def test_two_odd_chips_go_one_each_to_the_first_two_winners(monkeypatch):
    # PokerKit gives a remainder of two to the first winner; the rules say one at a time.
    t = Table({0: 100, 1: 100, 2: 100, 3: 100},
              decks={1: deck(["2c 3c", "4c 5c", "6c 7c", "8c 9c"], ROYAL_BOARD)})
    t.do(Call(3), Call(0), Call(1), Check(2))  # pot 8
    t.do(Check(1), Check(2), Check(3), Bet(0, 2), Call(1), Call(2), Fold(3))  # pot 14
    events = check_down(t, 1, 2, 0, streets=2)
    # 14 = 3 * 4 + 2: seats 1 and 2 (first left of button 0) get one odd chip each.
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 14, ((1, 5), (2, 5), (0, 4)))]
    assert show_order(events) == [("shows", 1), ("shows", 2), ("shows", 0)]
    assert t.final_stacks(1) == [100, 101, 101, 98]


def test_each_pot_is_split_on_its_own_side_pot_first(monkeypatch):
    # PokerKit merges pots won by the same players; here each pot has its own odd chip.
    t = Table({0: 100, 1: 100, 2: 7, 3: 100},
              decks={1: deck(["2c 3c", "4c 5c", "6c 7c", "8c 9c"], ROYAL_BOARD)})
    t.do(Call(3), Call(0), Call(1), RaiseTo(2, 7), Call(3), Call(0), Call(1))  # seat 2 all-in
    t.do(Bet(1, 5), Call(3), Call(0))  # flop
    t.do(Bet(1, 10), Call(3), Fold(0))  # turn
    events = t.do(Check(1), Check(3))  # river
    assert t.of(ev.PotAwarded, events) == [
        ev.PotAwarded(1, 35, ((1, 18), (3, 17))),  # 5 + 15 + 15, seat 0's 5 is dead money
        ev.PotAwarded(0, 28, ((1, 10), (2, 9), (3, 9))),
    ]
    assert t.final_stacks(1) == [88, 106, 9, 104]


# -- showing order and mucking --------------------------------------------------------------

def test_last_river_bettor_shows_first_and_losers_who_cannot_win_muck(monkeypatch):
    # Dealing order 1, 2, 0: seat 1 kings, seat 2 fours, seat 0 aces.
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["Ks Kd", "4c 4d", "As Ad"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))
    check_down(t, 1, 2, 0, streets=2)
    assert t.state.street == RIVER
    events = t.do(Check(1), Bet(2, 10), Call(0), Call(1))
    # Seat 2 bet the river: it shows first, then clockwise. Seat 0's aces beat it and are
    # shown; seat 1's kings can no longer win and are mucked.
    assert show_order(events) == [("shows", 2), ("shows", 0), ("mucks", 1)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 36, ((0, 36),))]
    final = t.final(1)
    assert final["shown"] == [True, False, True]  # shown cards are public, mucked are not
    assert final["stack"] == [124, 88, 88]


def test_last_river_raiser_shows_before_the_bettor(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["Ks Kd", "4c 4d", "As Ad"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))
    check_down(t, 1, 2, 0, streets=2)
    events = t.do(Bet(1, 10), RaiseTo(2, 30), Fold(0), Call(1))
    assert show_order(events) == [("shows", 2), ("shows", 1)]  # kings beat fours: shown
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 66, ((1, 66),))]
    assert t.final_stacks(1) == [98, 134, 68]


def test_without_a_river_bet_the_first_seat_left_of_the_button_shows_first(monkeypatch):
    # Seat 1 fours, seat 2 aces, seat 0 kings.
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["4c 4d", "As Ad", "Ks Kd"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))
    events = check_down(t, 1, 2, 0)
    assert show_order(events) == [("shows", 1), ("shows", 2), ("mucks", 0)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 6, ((2, 6),))]
    assert t.final(1)["shown"] == [False, True, True]
    assert t.final_stacks(1) == [98, 98, 104]


def test_a_flop_bet_does_not_make_the_bettor_show_first(monkeypatch):
    # Only river aggression counts: seat 0 bet the flop, the river was checked.
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["4c 4d", "As Ad", "Ks Kd"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))
    t.do(Check(1), Check(2), Bet(0, 4), Call(1), Call(2))
    events = check_down(t, 1, 2, 0, streets=2)
    assert show_order(events) == [("shows", 1), ("shows", 2), ("mucks", 0)]


def test_the_wheel_is_a_straight(monkeypatch):
    # Seat 1 makes A-2-3-4-5; seat 2 makes trip kings.
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["Ah 2d", "Kh Qc", "7c 8d"], "3c 4d 5h Kd Ks")})
    t.do(Fold(0), Call(1), Check(2))
    events = check_down(t, 1, 2)
    assert show_order(events) == [("shows", 1), ("mucks", 2)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 4, ((1, 4),))]
    assert t.final_stacks(1) == [100, 102, 98]


# -- no showdown ----------------------------------------------------------------------------

def test_when_everyone_folds_no_cards_are_shown(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100})
    events = t.do(Fold(0), Fold(1))
    hand = t.hand_events(1)
    assert t.of(ev.CardsShown, hand) == []
    assert t.of(ev.CardsMucked, hand) == []
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(2, 1)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 2, ((2, 2),))]
    assert t.final(1)["shown"] == [False, False, False]
    assert t.final_stacks(1) == [100, 99, 101]


def test_a_fold_on_the_river_after_a_bet_shows_nothing(monkeypatch):
    t = Table({0: 100, 1: 100})
    # Heads-up: seat 0 is the button and small blind.
    t.do(Call(0), Check(1))
    t.do(Check(1), Check(0), Check(1), Check(0))
    events = t.do(Bet(1, 50), Fold(0))
    assert t.of(ev.CardsShown, t.hand_events(1)) == []
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(1, 50)]
    assert t.final_stacks(1) == [98, 102]


# -- run-outs -------------------------------------------------------------------------------

def test_all_in_preflop_runs_the_board_out_with_cards_shown(monkeypatch):
    d = deck(["Ks Kd", "As Ad"], NO_HELP_BOARD)
    t = Table({0: 100, 1: 100}, decks={1: d})
    # Heads-up: button 0 posts the small blind and acts first. Dealing starts left of the
    # button, so seat 1 gets the first hole (kings) and seat 0 the aces.
    t.do(RaiseTo(0, 100))
    events = t.do(Call(1))
    kinds = [type(e) for e in events]
    assert ev.TurnStarted not in kinds[:kinds.index(ev.HandEnded)]
    assert show_order(events) == [("shows", 1), ("shows", 0)]  # left of the button first
    boards = t.of(ev.BoardDealt, events)
    # Burn, flop, burn, turn, burn, river: deck positions 4, 5-7, 8, 9, 10, 11.
    assert boards == [ev.BoardDealt(1, d[4], d[5:8]), ev.BoardDealt(2, d[8], d[9:10]),
                      ev.BoardDealt(3, d[10], d[11:12])]
    assert kinds.index(ev.CardsShown) < kinds.index(ev.BoardDealt)  # tabled before the board
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 200, ((0, 200),))]
    assert t.final(1)["board"] == list(d[5:8]) + [d[9], d[11]]
    assert t.final_stacks(1) == [200, 0]


def test_all_in_on_the_flop_with_one_player_covering_runs_out_turn_and_river(monkeypatch):
    t = Table({0: 100, 1: 50, 2: 200},
              decks={1: deck(["As Ad", "Ks Kd", "Qs Qd"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))
    events = t.do(Bet(1, 48), Call(2), Fold(0))  # seat 1 all-in; seat 2 has 150 behind
    kinds = [type(e) for e in events]
    kinds = kinds[:kinds.index(ev.HandEnded) + 1]  # the next hand starts in the same dispatch
    assert kinds.count(ev.TurnStarted) == 2  # seat 2 and seat 0 were asked; no one after
    assert ev.TurnStarted not in kinds[kinds.index(ev.Folded):kinds.index(ev.HandEnded)]
    assert show_order(events) == [("shows", 1), ("shows", 2)]
    assert len(t.of(ev.BoardDealt, events)) == 2
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 102, ((1, 102),))]
    assert t.final_stacks(1) == [98, 102, 150]


def test_hole_cards_stay_private_until_shown_and_mucked_cards_stay_private(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["Ks Kd", "4c 4d", "As Ad"], NO_HELP_BOARD)})
    hole = {1: cards_from_str("Ks Kd"), 2: cards_from_str("4c 4d"), 0: cards_from_str("As Ad")}
    view = public_view(t.state)
    assert [s.cards for s in view.seats] == [None, None, None]
    assert [s.holding for s in view.seats] == [2, 2, 2]
    for seat in range(3):
        mine = player_view(t.state, seat)
        assert mine.hole == hole[seat]
        assert [s.cards for s in mine.public.seats] == [
            hole[seat] if other == seat else None for other in range(3)]
    t.do(Call(0), Call(1), Check(2))
    check_down(t, 1, 2, 0, streets=2)
    t.do(Check(1), Bet(2, 10), Call(0), Call(1))
    # Seat 2 showed (it bet), seat 0 showed (it wins), seat 1 mucked.
    final = public_view(TableState.from_snapshot(t.final(1)))
    assert [s.cards for s in final.seats] == [hole[0], None, hole[2]]
