"""Engine bugs the invariants found, kept as regression tests once fixed.

Folding to a player all-in for part of the ante made ``pots.build_pots`` fail its assertion
"a folded player put in more than any live one" (first heads-up, then with two folders):
the dispatch crashed and the table could not go on. Found by random play under
pot_consistency; fixed in the engine by returning folded chips no live player can win.
"""

from __future__ import annotations

from invariant_cases import checked_table

from sim.engine import events as ev
from sim.engine.actions import Fold


def test_folding_to_a_player_all_in_for_part_of_the_ante_heads_up(monkeypatch):
    # Ante 2, blinds 5/10. The big blind (seat 1) has 1 chip: its ante puts it all-in and
    # it posts no blind. The button folds: seat 1 wins 1 chip from it, the rest goes back.
    t = checked_table(monkeypatch, {0: 100, 1: 1}, small_blind=5, big_blind=10, ante=2)
    events = t.dispatch(Fold(0)).events
    assert ev.PotAwarded(0, 2, ((1, 2),)) in events
    assert _final_stacks(t, 1) == [99, 2]


def test_two_players_fold_to_a_player_all_in_for_part_of_the_ante(monkeypatch):
    # The same with a third player: seat 2 (the big blind) can win only 1 chip from each
    # folder, takes the pot of 3, and each folder gets back the chip no one could win.
    t = checked_table(monkeypatch, {0: 100, 1: 100, 2: 1}, small_blind=5, big_blind=10,
                      ante=2)
    t.dispatch(Fold(0))
    events = t.dispatch(Fold(1)).events  # every invariant held, the awards included
    assert events[:5] == [ev.Folded(1, "action"), ev.BetReturned(1, 6), ev.BetReturned(0, 1),
                          ev.BetsCollected(((3, (2,)),)), ev.PotAwarded(0, 3, ((2, 3),))]
    assert _final_stacks(t, 1) == [99, 99, 3]


def _final_stacks(t, hand_no):
    record = next(r for r in t.log.hands if r.hand_no == hand_no)
    return list(record.final.stack)
