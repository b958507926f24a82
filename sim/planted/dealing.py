"""Planted bugs of the deck and the deal, and of the hand's log (RULES.md: "Dealing")."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

DEALER = "engine/dealer.py"

BUGS = (
    PlantedBug(
        "deck_not_reshuffled", "Every hand is dealt from the same deck order.",
        (Edit(DEALER, '''                       else deck_for(seed))''',
              '''                       else deck_for(hand_seed(state.table_seed, 1)))'''),),
        caught_by="cards_unique", hands=1),
    PlantedBug(
        "deal_reuses_card", "The turn is dealt from the card that was burnt before it.",
        (Edit(DEALER, '''    count = 3 if street == FLOP else 1
''', '''    count = 3 if street == FLOP else 1
    if street == FLOP + 1:
        return BoardDealt(street, state.deck[position], state.deck[position:position + 1])
'''),),
        caught_by="cards_unique", hands=13),
    PlantedBug(
        "replay_drops_event", "Replaying a hand from its log drops the hand's last event.",
        (Edit("engine/replay.py", '''            if keep_states:
                self.states.append(state.copy())''', '''            if index == len(steps) - 1 and derived:
                derived = derived[:-1]
            if keep_states:
                self.states.append(state.copy())'''),),
        caught_by="replay", hands=1),
    PlantedBug(
        "hole_cards_in_pairs", "Hole cards are dealt two at a time to each player instead of "
        "one at a time around the table.",
        (Edit(DEALER, '''        yield HoleCardsDealt(seat, (deck[k], deck[count + k]))''',
              '''        yield HoleCardsDealt(seat, (deck[2 * k], deck[2 * k + 1]))'''),),
        caught_by="cards_unique", hands=1),
)
