"""Side pots by all-in levels, folded chips, uncalled bets, and pots awarded one by one."""

from scenario import Table, deck

from sim.engine import events as ev
from sim.engine.actions import Bet, Call, Check, Fold, RaiseTo

NO_HELP_BOARD = "2c 3d 7h 9s Tc"  # pairs stay pairs: no straight, no flush


def test_three_all_ins_at_different_levels_make_three_pots(monkeypatch):
    # Button 0, SB 1, BB 2, UTG 3; dealing order 1, 2, 3, 0.
    t = Table({0: 100, 1: 50, 2: 20, 3: 200},
              decks={1: deck(["Ks Kd", "As Ad", "Js Jd", "Qs Qd"], NO_HELP_BOARD)})
    assert t.state.to_act == 3
    t.do(RaiseTo(3, 200), Call(0), Call(1))
    events = t.do(Call(2))

    # Seat 3's 200 is called only up to 100: 100 goes back before the pots are formed.
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(3, 100)]
    collected = t.of(ev.BetsCollected, events)
    assert collected == [ev.BetsCollected(((80, (0, 1, 2, 3)), (90, (0, 1, 3)), (100, (0, 3))))]
    # Side pots are awarded first; each pot goes to the best hand among its eligible seats.
    assert t.of(ev.PotAwarded, events) == [
        ev.PotAwarded(2, 100, ((0, 100),)),  # QQ beats JJ for the top side pot
        ev.PotAwarded(1, 90, ((1, 90),)),    # KK wins the middle pot
        ev.PotAwarded(0, 80, ((2, 80),)),    # AA, all-in for 20, wins only the main pot
    ]
    assert t.final_stacks(1) == [100, 90, 80, 100]


def test_folded_chips_stay_in_the_pots_and_folded_seats_are_not_eligible(monkeypatch):
    # Button 0, SB 1, BB 2, seats 3 and 4; dealing order 1, 2, 3, 4, 0.
    holes = ["7c 2d", "4c 4d", "As Ad", "Ks Kd", "Qs Qd"]
    t = Table({0: 300, 1: 300, 2: 40, 3: 80, 4: 150},
              decks={1: deck(holes, NO_HELP_BOARD)})
    t.do(RaiseTo(3, 10), Call(4), Call(0), Fold(1))
    t.do(RaiseTo(2, 40), RaiseTo(3, 80), RaiseTo(4, 150))
    events = t.do(Call(0))

    assert t.of(ev.BetReturned, events) == []
    assert t.of(ev.BetsCollected, events) == [ev.BetsCollected((
        (161, (0, 2, 3, 4)),  # 40 from each live seat and the small blind's folded chip
        (120, (0, 3, 4)),
        (140, (0, 4)),
    ))]
    # Only seat 0 has chips behind: the board runs out, every live hand shown from the
    # seat left of the button.
    shown = [e.seat for e in t.of(ev.CardsShown, events)]
    assert shown == [2, 3, 4, 0]
    assert t.of(ev.CardsMucked, events) == []
    assert t.of(ev.PotAwarded, events) == [
        ev.PotAwarded(2, 140, ((4, 140),)),
        ev.PotAwarded(1, 120, ((3, 120),)),
        ev.PotAwarded(0, 161, ((3, 161),)),
    ]
    assert t.final_stacks(1) == [150, 299, 0, 281, 140]


def test_side_pot_winner_is_not_the_main_pot_winner(monkeypatch):
    # The short stack wins the main pot; the best of the rest takes the side pot.
    t = Table({0: 100, 1: 100, 2: 30},
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    # Button 0, SB 1, BB 2 (all-in for 30 later).
    t.do(RaiseTo(0, 60), Call(1), Call(2))
    # Seat 2 could only call 28 more (all-in); seats 0 and 1 go on to the flop.
    assert t.state.stack == [40, 40, 0]
    assert t.state.pots == ((90, (0, 1, 2)), (60, (0, 1)))
    t.do(Check(1), Check(0), Check(1), Check(0), Check(1), Check(0))
    record = t.record(1)
    # No river bet: seat 1 (left of the button) shows first; seat 2 can win the main pot and
    # shows; seat 0's queens can win neither pot and are mucked.
    showdown = [e for e in record.events if type(e) in (ev.CardsShown, ev.CardsMucked)]
    assert [(type(e).__name__, e.seat) for e in showdown] == [
        ("CardsShown", 1), ("CardsShown", 2), ("CardsMucked", 0)]
    awarded = [e for e in record.events if type(e) is ev.PotAwarded]
    assert awarded == [ev.PotAwarded(1, 60, ((1, 60),)), ev.PotAwarded(0, 90, ((2, 90),))]
    assert t.final_stacks(1) == [40, 100, 90]


def test_uncalled_bet_is_returned_before_the_pots_are_formed(monkeypatch):
    # Seat 0 raises to 30; the big blind calls all-in for 12: 18 comes back to seat 0.
    t = Table({0: 100, 1: 100, 2: 12},
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    t.do(RaiseTo(0, 30), Fold(1))
    events = t.do(Call(2))
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(0, 18)]
    assert t.of(ev.BetsCollected, events)[0].pots == ((25, (0, 2)),)  # 12 + 12 + 1 dead
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 25, ((2, 25),))]
    assert t.final_stacks(1) == [88, 99, 25]


def test_uncalled_bet_on_a_later_street_is_returned_in_full(monkeypatch):
    t = Table({0: 100, 1: 100, 2: 100},
              decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], NO_HELP_BOARD)})
    t.do(Call(0), Call(1), Check(2))  # pot 6
    t.do(Check(1), Check(2), Check(0))  # flop
    events = t.do(Check(1), Bet(2, 37), Fold(0), Fold(1))  # turn
    assert t.of(ev.BetReturned, events) == [ev.BetReturned(2, 37)]
    assert t.of(ev.PotAwarded, events) == [ev.PotAwarded(0, 6, ((2, 6),))]
    assert t.of(ev.CardsShown, events) == []
    assert t.final_stacks(1) == [98, 98, 104]
