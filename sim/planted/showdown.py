"""Planted bugs of the end of a hand: uncalled bets, pots, showing and awards (RULES.md:
"Ending the hand")."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

DEALER = "engine/dealer.py"
POTS = "engine/pots.py"

BUGS = (
    PlantedBug(
        "uncalled_bet_kept", "The uncalled part of a bet stays in the pot instead of going back "
        "to the bettor.",
        (Edit(DEALER, '''    if contrib[top] > second and not folded[top]:
        yield BetReturned(top, contrib[top] - second)
''', ""),),
        caught_by="pot_consistency", hands=1),
    PlantedBug(
        "uncontested_winner_shows", "A player who wins because all others folded shows their "
        "cards.",
        (Edit(DEALER, '''def award_uncontested(state: TableState, winner: int) -> Iterator[Event]:
''', '''def award_uncontested(state: TableState, winner: int) -> Iterator[Event]:
    hole = state.hole[winner]
    if hole is not None:
        yield CardsShown(winner, hole)
'''),),
        caught_by="awards_correct", hands=1),
    PlantedBug(
        "side_pot_includes_folded", "Side pots count folded players as eligible to win them.",
        (Edit(POTS, '''        eligible = tuple([s for s in range(n) if live[s] and contrib[s] >= level])''',
              '''        eligible = tuple([s for s in range(n) if contrib[s] >= level])'''),),
        caught_by="pot_consistency", hands=1),
    PlantedBug(
        "showdown_ignores_river", "At showdown hands are ranked without the river card.",
        (Edit(DEALER, '''            strength[seat] = evaluate7((*hole, *board))''',
              '''            strength[seat] = evaluate7((*hole, *board[:4]))'''),),
        caught_by="awards_correct", hands=28),
    PlantedBug(
        "odd_chip_to_button", "Odd chips of a split pot go to the winner nearest the button "
        "instead of the first one left of it.",
        (Edit(POTS, '''    first = button + 1''', '''    first = button'''),),
        caught_by="awards_correct", hands=32),
    PlantedBug(
        "showdown_ignores_aggressor", "At showdown the first player left of the button shows "
        "first even when someone bet or raised on the river.",
        (Edit(DEALER, '''    if state.street != RIVER or first is None or state.folded[first]:
        assert state.button is not None
        first = _next_in(live, state.button, n)''', '''    assert state.button is not None
    first = _next_in(live, state.button, n)'''),),
        caught_by="showdown_order", hands=33),
    PlantedBug(
        "antes_not_contributed", "Antes go into the pot without counting among the players' "
        "contributions to the hand, which side pots are built from.",
        (Edit("engine/apply.py", '''    s.stack[e.seat] = s.stack[e.seat] - e.amount
    s.contrib[e.seat] = s.contrib[e.seat] + e.amount
    s.pot += e.amount''', '''    s.stack[e.seat] = s.stack[e.seat] - e.amount
    s.pot += e.amount'''),),
        caught_by="pot_consistency", hands=26),
    PlantedBug(
        "run_out_not_tabled", "When the board is run out with the betting over, the hands "
        "all-in are not tabled first: they show or muck at the showdown.",
        (Edit(DEALER, '''    for seat in showing_order(state):
        if not state.shown[seat]:
            hole = state.hole[seat]
            assert hole is not None
            yield CardsShown(seat, hole)
    while state.street < RIVER:''', '''    while state.street < RIVER:'''),),
        caught_by="showdown_order", hands=13),
    PlantedBug(
        "aggressor_kept_across_streets", "The last player to bet or raise is not forgotten when "
        "the next street is dealt, so with no bet on the river an earlier street's last bettor "
        "shows first.",
        (Edit("engine/apply.py", '''    s.to_act = None
    s.last_aggressor = None


def _shown(''', '''    s.to_act = None


def _shown('''),),
        caught_by="showdown_order", hands=63),
)
