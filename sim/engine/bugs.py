"""Planted bugs: realistic engine faults that can be switched on to prove the harness
catches them. Nothing here is active unless a run asks for it (``sim run --plant-bug``).

    >>> with planted("odd_chip_to_button"):
    ...     active("odd_chip_to_button")
    True
    >>> active("odd_chip_to_button")
    False
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
    # Caught only by the parent's watchdog (sim run on the pool or Dask backend): the hang
    # never returns to the interpreter, so the in-process watchdog cannot stop it.
    "busted_seat_hangs_dealer": "While a busted player is still seated, the dealer finds the "
                                "next button by counting seat numbers up from the last one "
                                "without wrapping around the table: with no seat above it in "
                                "play, it counts forever, in builtins no timer signal "
                                "interrupts (caught by the parent's watchdog).",
    # -- issue 12: one bug per rule of RULES.md (the README's rule table) --------------------
    "bool_amount_accepted": "True and False pass as amounts of chips (bool is an int).",
    "sit_in_twice_accepted": "A sit-in request is accepted from a player already sitting "
                             "in.",
    "rebuy_chips_uncounted": "A rebuy adds chips to the stack without counting them among "
                             "the chips brought to the table.",
    "heads_up_never_starts": "A table down to two players sitting in deals no more hands.",
    "heads_up_button_posts_big": "Heads-up, the button posts the big blind instead of the "
                                 "small blind (from the second hand on).",
    "short_big_blind_sets_call": "A big blind all-in for less sets the amount to call at what "
                                 "it posted instead of the full big blind.",
    "deck_not_reshuffled": "Every hand is dealt from the same deck order.",
    "postflop_skips_small_blind": "After the flop, action starts left of the small blind "
                                  "instead of left of the button.",
    "check_while_owing": "A check is accepted from a player who owes chips.",
    "wager_below_minimum": "A bet or raise below the minimum is accepted.",
    "raise_against_all_ins": "A player may bet or raise when every other player still in the "
                             "hand is all-in.",
    "matched_skip_their_turn": "A player whose bet already matches is skipped before acting "
                               "(the big blind loses its option; a street can close unchecked).",
    "uncontested_winner_shows": "A player who wins because all others folded shows their "
                                "cards.",
    "showdown_ignores_river": "At showdown hands are ranked without the river card.",
    "showdown_ignores_aggressor": "At showdown the first player left of the button shows "
                                  "first even when someone bet or raised on the river.",
    "rebuy_ignores_pot_chips": "During a hand, the maximum buy-in of a rebuy leaves out the "
                               "chips its player has in the pot.",
    "leave_not_folded": "A player who leaves on their turn is not folded.",
    "timeout_folds_when_free": "A timeout folds even when checking is free.",
    "timeout_keeps_player_in": "A player who timed out is dealt into the next hand.",
    "feed_shows_deck": "Each player's feed gets the hand's deck order and seed.",
    "feed_shows_burnt": "Each player's feed gets the burnt cards.",
    "folded_cards_shown": "The public view shows a folded player's hole cards.",
    "short_stack_posts_full_ante": "A player whose stack is smaller than the ante posts the "
                                   "full ante.",
    "waiting_player_dealt_in": "A player waiting for the big blind is dealt in before it "
                               "reaches them, without posting.",
    "left_player_stalls_hand": "When a player who left comes to act, they are neither "
                               "folded nor asked: the hand stalls.",
    "fold_refused_when_free": "A fold is refused when checking is free (as PokerKit does).",
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
