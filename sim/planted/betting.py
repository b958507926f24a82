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
    PlantedBug(
        "call_exceeds_stack", "A call facing more than the caller's stack is priced at the "
        "whole amount owed instead of the stack (the call all-in for less takes too much).",
        (Edit(LEGAL, '''    call = min(owed, state.stack[seat])
''', '''    call = owed
'''),),
        caught_by="legal_actions", hands=1),
    PlantedBug(
        "short_bet_reopens", "An all-in bet smaller than the big blind counts as a full bet: it "
        "reopens the betting for a player who checked and lowers the minimum raise.",
        (Edit(RULES, '''        yield BetMade(seat, amount, amount >= state.config.big_blind)''',
              '''        yield BetMade(seat, amount, True)'''),),
        caught_by="legal_actions", hands=67),
    PlantedBug(
        "raise_not_answered", "After a raise, players who already acted this street are not "
        "asked again: the round closes with their bets short of the raise.",
        (Edit(DEALER, '''    current = state.current_bet
    if able == 1:''', '''    current = 0  # a seat that acted has answered the bet
    if able == 1:'''),),
        caught_by="round_closure", hands=2),
    PlantedBug(
        "all_in_player_asked", "A player who is all-in is still asked to act when the betting "
        "comes round to them.",
        (Edit(DEALER, '''        if (state.dealt[seat] and not folded[seat] and stack[seat] > 0
''', '''        if (state.dealt[seat] and not folded[seat]
'''),),
        caught_by="valid_to_act", hands=26),
    PlantedBug(
        "pot_leaves_out_bets", "The pot offered for sizing a bet leaves out the bets in front of "
        "the players this street.",
        (Edit(LEGAL, '''                        state.pot + total(state.bet))''',
              '''                        state.pot)'''),),
        caught_by="legal_actions", hands=1),
    PlantedBug(
        "big_blind_cannot_check", "Checking is offered only when no one has bet this street, so "
        "in a limped pot the big blind may fold or raise but not check.",
        (Edit(LEGAL, '''    return LegalActions(seat, owed <= 0, call,''',
              '''    return LegalActions(seat, state.current_bet == 0, call,'''),),
        caught_by="legal_actions", hands=2),
)
