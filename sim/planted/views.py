"""Planted bugs of what players see: secrets in views and feeds, and the animations
(DESIGN.md: per-player views, animations)."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

VIEWS = "engine/views.py"

BUGS = (
    PlantedBug(
        "neighbour_sees_hole", "A player's view shows the hole cards of the player on their "
        "left.",
        (Edit(VIEWS, '''    return _reveal(seats, viewer, state.hole[viewer])''',
              '''    seats = _reveal(seats, viewer, state.hole[viewer])
    neighbour = (viewer + 1) % len(seats)
    return _reveal(seats, neighbour, state.hole[neighbour])'''),),
        caught_by="no_private_leak", hands=1),
    PlantedBug(
        "feed_shows_deck", "Each player's feed gets the hand's deck order and seed.",
        (Edit(VIEWS, '''    if type(event) is HandStarted:
''', '''    if type(event) is HandStarted:
        return event
'''),),
        caught_by="no_private_leak", hands=1),
    PlantedBug(
        "feed_shows_burnt", "Each player's feed gets the burnt cards.",
        (Edit(VIEWS, '''    if type(event) is BoardDealt:
        return BoardDealt(event.street, HIDDEN, event.cards)
''', ""),),
        caught_by="no_private_leak", hands=13),
    PlantedBug(
        "folded_cards_shown", "The public view shows a folded player's hole cards.",
        (Edit(VIEWS, '''        visible = cards if shown[s] else None''',
              '''        visible = cards if shown[s] or folded[s] else None'''),),
        caught_by="no_private_leak", hands=1),
    PlantedBug(
        "animation_skips_chip_move", "The animation leaves out the chip movement of a call.",
        (Edit("engine/animation.py", '''    if type(e) is Called:
        return [Step("chips_to_bet", e.seat, e.amount), Step("acted", e.seat)]''',
              '''    if type(e) is Called:
        return [Step("acted", e.seat)]'''),),
        caught_by="animation_sanity", hands=2),
    PlantedBug(
        "deal_animation_shows_cards", "The deal's animation steps carry each hole card face up, "
        "to every client.",
        (Edit("engine/animation.py", '''        return [Step("card_dealt", e.seat) for _ in e.cards]''',
              '''        return [Step("card_dealt", e.seat, cards=(card,)) for card in e.cards]'''),),
        caught_by="no_private_leak", hands=1),
    PlantedBug(
        "ante_animated_as_bet", "The animation moves an ante to a bet in front of the player "
        "instead of into the pot.",
        (Edit("engine/animation.py", '''        return [Step("chips_to_pot", e.seat, e.amount)]''',
              '''        return [Step("chips_to_bet", e.seat, e.amount)]'''),),
        caught_by="animation_sanity", hands=26),
)
