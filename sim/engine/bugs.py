"""Planted bugs: realistic engine faults that can be switched on to prove the harness
catches them. Nothing here is active unless a run asks for it (``sim run --plant-bug``).

    >>> with planted("odd_chip_to_button"): ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Final

BUGS: Final[dict[str, str]] = {
    "odd_chip_to_button": "Odd chips of a split pot go to the winner nearest the button "
                          "instead of the first one left of it.",
    "short_all_in_reopens": "A short all-in raise reopens the betting for players who "
                            "already acted.",
    "uncalled_bet_kept": "The uncalled part of a bet stays in the pot instead of going back "
                         "to the bettor.",
    "side_pot_includes_folded": "Side pots count folded players as eligible to win them.",
    "neighbour_sees_hole": "A player's view shows the hole cards of the player on their left.",
    "animation_skips_chip_move": "The animation leaves out the chip movement of a call.",
    "button_skips_seat": "The button moves two dealt-in seats instead of one.",
    "replay_drops_event": "Replaying a hand from its log drops the hand's last event.",
    "deal_reuses_card": "The turn is dealt from the card that was burnt before it.",
    "min_raise_ignores_last_raise": "The minimum raise is always one big blind, ignoring the "
                                    "size of the last full raise.",
    "asks_dead_decision": "A player whose every opponent is all-in for no more than it has "
                          "put in is still asked to act, priced at the full big blind.",
    # Caught by the faults a run injects (sim run --fault), not by an invariant alone.
    "restore_misreads_last_actor": "A table restored from a snapshot reads the seat that acted "
                                   "last from the small blind's field, so its first turn goes "
                                   "to the wrong seat (caught by --fault crash_restore).",
    "check_skips_turn": "A check by a seat that owes nothing skips the turn check, so a repeated "
                        "or stale check is accepted out of turn (caught by --fault "
                        "duplicate_dispatch).",
    "shuffle_uses_global_random": "The deck shuffle mixes Python's global random state into the "
                                  "hand's seed, so a hand does not deal again from its seed "
                                  "(caught by --fault determinism).",
    "dealer_waits_for_leaver": "The dealer waits for a player who left mid-hand to act instead "
                               "of folding them, and the hand never ends (caught by --fault "
                               "hand_timeout).",
}

# Mutated in place, never rebound: compiled code then reads it without a module lookup,
# and ``active`` runs many times per dispatch.
_active: Final[set[str]] = set()


def active(name: str) -> bool:
    """Is planted bug ``name`` switched on? (Cheap: a set lookup.)"""
    return name in _active


def enabled() -> tuple[str, ...]:
    return tuple(sorted(_active))


def enable(names: Iterable[str]) -> None:
    """Switch on exactly ``names`` (and nothing else); unknown names raise ValueError."""
    names = frozenset(names)
    unknown = sorted(names - set(BUGS))
    if unknown:
        raise ValueError(f"Unknown planted bug {', '.join(unknown)}; known bugs are "
                         f"{', '.join(BUGS)}.")
    _active.clear()
    _active.update(names)


@contextmanager
def planted(*names: str) -> Iterator[None]:
    previous = frozenset(_active)
    enable(names)
    try:
        yield
    finally:
        enable(previous)
