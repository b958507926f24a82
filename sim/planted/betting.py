"""Planted bugs of the betting: whose turn, what is legal, when a round ends (RULES.md:
"Betting")."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

RULES = "engine/rules.py"
LEGAL = "engine/legal.py"
DEALER = "engine/dealer.py"

BUGS = (
    PlantedBug(
        "postflop_skips_small_blind", "After the flop, action starts left of the small blind "
        "instead of left of the button.",
        (Edit("engine/apply.py", '''    s.last_actor = s.button''',
              '''    s.last_actor = s.small_blind_seat'''),),
        caught_by="legal_actions", hands=33),
    PlantedBug(
        "check_while_owing", "A check is accepted from a player who owes chips.",
        (Edit(RULES, '''    if not legal.can_check:
        owed = state.current_bet - state.bet[action.seat]
        raise IllegalAction(f"Seat {action.seat} cannot check: {owed} is owed to call; "
                            f"legal: {legal.describe()}.")
''', ""),),
        caught_by="verify_agrees", hands=15),
    PlantedBug(
        "fold_refused_when_free", "A fold is refused when checking is free (as PokerKit does).",
        (Edit(RULES, '''    _turn(state, action.seat, "fold", legal)
''', '''    if _turn(state, action.seat, "fold", legal).can_check:
        raise IllegalAction(f"Seat {action.seat} cannot fold: checking is free.")
'''),),
        caught_by="verify_agrees", hands=715),
    PlantedBug(
        "min_raise_ignores_last_raise", "The minimum raise is always one big blind, ignoring "
        "the size of the last full raise.",
        (Edit(LEGAL, '''            increment = state.min_raise''',
              '''            increment = state.config.big_blind'''),),
        caught_by="legal_actions", hands=1),
    PlantedBug(
        "wager_below_minimum", "A bet or raise below the minimum is accepted.",
        (Edit(RULES, '''    if amount < legal.min_bet:
        raise IllegalAction(f"Bet of {amount} is below the minimum bet of {legal.min_bet}; "
                            f"legal: {legal.describe()}.")
''', ""),
         Edit(RULES, '''    if amount < legal.min_raise_to:
        raise IllegalAction(f"Raise to {amount} is below the minimum raise to "
                            f"{legal.min_raise_to}; legal: {legal.describe()}.")
''', "")),
        caught_by="verify_agrees", hands=15),
    PlantedBug(
        "short_all_in_reopens", "A short all-in raise reopens the betting for players who "
        "already acted.",
        (Edit(LEGAL, '''    if level != NOT_ACTED and state.current_bet - level < state.min_raise:
        return False
''', ""),),
        caught_by="legal_actions", hands=111),
    PlantedBug(
        "raise_against_all_ins", "A player may bet or raise when every other player still in "
        "the hand is all-in.",
        (Edit(LEGAL, '''            return True
    return False''', '''            return True
    return True'''),),
        caught_by="legal_actions", hands=3),
    PlantedBug(
        "asks_dead_decision", "A player whose every opponent is all-in for no more than it has "
        "put in is still asked to act, priced at the full big blind.",
        (Edit(DEALER, '''        room = contestable(state, last_able)
        assert room is not None
        if room <= 0:
            return None''', '''        if bet[last_able] >= current:
            return None'''),),
        caught_by="no_dead_decision", hands=1603),
    PlantedBug(
        "matched_skip_their_turn", "A player whose bet already matches is skipped before acting "
        "(the big blind loses its option; a street can close unchecked).",
        (Edit(DEALER, '''                and (acted[seat] == NOT_ACTED or bet[seat] < current)):''',
              '''                and bet[seat] < current):'''),),
        caught_by="round_closure", hands=2),
)
