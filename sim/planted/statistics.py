"""Planted bugs no hand shows: each hand is dealt a proper deck, and only the run's hands
together break a property (RULES.md, "Dealing": every card equally likely in every
position; hands do not repeat a deck order). The run-level checks (``sim.runlevel``)
catch them; ``hands`` is the smallest run, in steps of 1,000 hands of 200-hand tables,
that catches the bug in at least 99 of 100 run seeds (``benchmarks/runchecks.py
smallest``): for both, the 2,000 hands below which the checks test nothing."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

BUGS = (
    PlantedBug(
        "shuffle_skips_last_swap", "The shuffle stops one swap early (its spans run from 52 "
        "down to 3, not 2), so the deck's first two cards are never swapped at the end: "
        "which card lands at position 0 or 1 is not uniform.",
        (Edit("engine/cards.py", '''    for span in range(deck_size, 1, -1):''',
              '''    for span in range(deck_size, 2, -1):'''),),
        caught_by="position_cards", hands=2000),
    PlantedBug(
        "tables_share_decks", "A hand's seed is derived from its number alone, without its "
        "table's seed, so every table deals the same deck at the same hand number.",
        (Edit("engine/dealer.py", '''    return derive_seed(table_seed, hand_no)''',
              '''    return derive_seed(hand_no)'''),),
        caught_by="tables_independent", hands=2000),
)
