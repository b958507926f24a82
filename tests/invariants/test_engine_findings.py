"""Engine bugs the invariants found, kept as regression tests once fixed.

Folding to a player all-in for part of the ante made ``pots.build_pots`` fail its assertion
"a folded player put in more than any live one" (first heads-up, then with two folders):
the dispatch crashed and the table could not go on. Found by random play under
pot_consistency; fixed in the engine by returning folded chips no live player can win.
"""

from __future__ import annotations

from invariant_cases import checked_table, deck

from sim.engine import events as ev
from sim.engine.actions import Fold


def test_a_player_all_in_for_part_of_the_ante_heads_up(monkeypatch):
    # Ante 2, blinds 5/10. The big blind (seat 1) has 1 chip: its ante puts it all-in and
    # it posts no blind. Since the dead-decision rule the button is not asked to act: it
    # gets back the 6 no one can win, and the board runs out (every invariant checked).
    t = checked_table({0: 100, 1: 1}, small_blind=5, big_blind=10, ante=2,
                      decks={1: deck(["As Ad", "Ks Kd"], "2c 3d 7h 9s Tc")})
    events = t.last.events
    ended = events.index(ev.HandEnded(1))
    assert ev.TurnStarted not in [type(e) for e in events[:ended]]
    assert ev.BetReturned(0, 6) in events
    assert ev.PotAwarded(0, 2, ((1, 2),)) in events
    assert _final_stacks(t, 1) == [99, 2]


def test_one_player_folds_to_a_player_all_in_for_part_of_the_ante(monkeypatch):
    # The same with a third player: the button folds its ante; the small blind then faces
    # only the all-in big blind with more put in, so no one acts again. The small blind's
    # 5 above the folded ante come back; seat 2's aces win the 3 of the main pot and the
    # small blind alone is eligible for the side pot of 2 (1 of it the button's dead chip).
    t = checked_table({0: 100, 1: 100, 2: 1}, small_blind=5, big_blind=10,
                      ante=2, decks={1: deck(["Ks Kd", "As Ad", "Qs Qd"], "2c 3d 7h 9s Tc")})
    events = t.dispatch(Fold(0)).events  # every invariant held, the awards included
    assert events[:3] == [ev.Folded(0, "action"), ev.BetReturned(1, 5),
                          ev.BetsCollected(((3, (1, 2)), (2, (1,))))]
    assert _final_stacks(t, 1) == [98, 100, 3]


def _final_stacks(t, hand_no):
    record = next(r for r in t.log.hands if r.hand_no == hand_no)
    return list(record.final.stack)
