"""Planted bugs of the table, its seats and its players: amounts, requests, starting a hand,
between hands and time (RULES.md: "Table and seats", "Starting a hand", "Between hands and
time")."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

RULES = "engine/rules.py"
DEALER = "engine/dealer.py"
APPLY = "engine/apply.py"

BUGS = (
    PlantedBug(
        "bool_amount_accepted", "True and False pass as amounts of chips (bool is an int).",
        (Edit(RULES, '''    if type(value) is not int:
        # bool is an int subclass, and not an amount''', '''    if not isinstance(value, int):'''),),
        caught_by="verify_agrees", hands=15),
    PlantedBug(
        "sit_in_twice_accepted", "A sit-in request is accepted from a player already sitting "
        "in.",
        (Edit(RULES, '''    if not _sitting_out(state, action.seat):
        raise IllegalAction(f"Seat {action.seat} is already sitting in "
                            f"({STATUS_NAMES[state.status[action.seat]]}); it may sit out.")
''', ""),),
        caught_by="verify_agrees", hands=15),
    PlantedBug(
        "rebuy_chips_uncounted", "A rebuy adds chips to the stack without counting them among "
        "the chips brought to the table.",
        (Edit(APPLY, '''    s.chips_in += e.added
''', ""),),
        caught_by="chip_conservation", hands=27),
    PlantedBug(
        "heads_up_never_starts", "A table down to two players sitting in deals no more hands.",
        (Edit(DEALER, '''    if len(regular) < 2:
        return None''', '''    if len(regular) < 2 or (len(regular) == 2 and state.hand_no > 0):
        return None'''),),
        caught_by="liveness", hands=28),
    PlantedBug(
        "button_skips_seat", "The button moves two dealt-in seats instead of one.",
        (Edit(DEALER, '''        button = _next_in(regular, state.button, n)
    small = _next_in(regular, button, n)''', '''        button = _next_in(regular, state.button, n)
        if state.button is not None and len(regular) > 2:
            button = _next_in(regular, button, n)
    small = _next_in(regular, button, n)'''),),
        caught_by="button_and_blinds", hands=1),
    PlantedBug(
        "heads_up_button_posts_big", "Heads-up, the button posts the big blind instead of the "
        "small blind (from the second hand on).",
        (Edit(DEALER, '''    if big == button:''', '''    if big == button and state.button is None:'''),),
        caught_by="button_and_blinds", hands=28),
    PlantedBug(
        "short_stack_posts_full_ante", "A player whose stack is smaller than the ante posts the "
        "full ante.",
        (Edit(DEALER, '''            amount = min(config.ante, state.stack[seat])''',
              '''            amount = config.ante'''),),
        caught_by="no_negative", hands=717),
    PlantedBug(
        "short_big_blind_sets_call", "A big blind all-in for less sets the amount to call at "
        "what it posted instead of the full big blind.",
        (Edit(APPLY, '''    level = e.amount if e.kind == "small" else s.config.big_blind''',
              '''    level = e.amount'''),),
        caught_by="legal_actions", hands=44),
    PlantedBug(
        "waiting_player_dealt_in", "A player waiting for the big blind is dealt in before it "
        "reaches them, without posting.",
        (Edit(DEALER, '''    dealt_in = regular + posters + [big]''',
              '''    dealt_in = regular + posters + [big] + waiters'''),),
        caught_by="button_and_blinds", hands=32),
    PlantedBug(
        "rebuy_ignores_pot_chips", "During a hand, the maximum buy-in of a rebuy leaves out the "
        "chips its player has in the pot.",
        (Edit(RULES, '''    if state.phase != IDLE and state.dealt[seat]:
        base += state.contrib[seat]
''', ""),),
        caught_by="verify_agrees", hands=15),
    PlantedBug(
        "leave_not_folded", "A player who leaves on their turn is not folded.",
        (Edit(RULES, '''        if kind is Leave and state.to_act == seat:
            yield Folded(seat, "left")
''', ""),),
        caught_by="action_legal", hands=27),
    PlantedBug(
        "timeout_folds_when_free", "A timeout folds even when checking is free.",
        (Edit(RULES, '''        if state.current_bet <= state.bet[seat]:
            yield Checked(seat)
        else:
            yield Folded(seat, "timeout")''', '''        yield Folded(seat, "timeout")'''),),
        caught_by="action_legal", hands=225),
    PlantedBug(
        "timeout_keeps_player_in", "A player who timed out is dealt into the next hand.",
        (Edit(APPLY, '''def _timed_out(s: TableState, e: TimedOut) -> None:
    s.pending_status = _put(s.pending_status, e.seat, GO_OUT)''', '''def _timed_out(s: TableState, e: TimedOut) -> None:
    pass  # the sit-out it asks for is never queued'''),),
        caught_by="action_legal", hands=128),
    PlantedBug(
        "left_player_stalls_hand", "When a player who left comes to act, they are neither "
        "folded nor asked: the hand stalls.",
        (Edit(DEALER, '''                    yield Folded(seat, "left")  # a player who left is folded at their turn''',
              '''                    return  # neither folded nor asked: no one is to act'''),),
        caught_by="valid_to_act", hands=30),
    PlantedBug(
        "blinds_before_antes", "The blinds are posted before the antes, so a short stack covers "
        "its blind first and antes what is left.",
        # The blinds' lines taken from after the antes and put before them (first out, then
        # in: each edit's text is there once when it applies).
        (Edit(DEALER, '''    small, big = state.small_blind_seat, state.big_blind_seat
    assert small is not None and big is not None
    amount = min(config.small_blind, state.stack[small])
    if amount:
        yield BlindPosted(small, amount, "small")
    # Posted even when the ante left nothing: it sets the full big blind to call.
    yield BlindPosted(big, min(config.big_blind, state.stack[big]), "big")
''', ""),
         Edit(DEALER, '''    order = state.order
    if config.ante:
''', '''    order = state.order
    small, big = state.small_blind_seat, state.big_blind_seat
    assert small is not None and big is not None
    amount = min(config.small_blind, state.stack[small])
    if amount:
        yield BlindPosted(small, amount, "small")
    yield BlindPosted(big, min(config.big_blind, state.stack[big]), "big")
    if config.ante:
''')),
        caught_by="button_and_blinds", hands=26),
    PlantedBug(
        "live_post_goes_dead", "A waiting player's post to come in goes into the pot as a dead "
        "blind instead of standing as their bet, so they pay the big blind again to call.",
        (Edit(APPLY, '''    s.stack[seat] = s.stack[seat] - e.amount
    s.bet[seat] = s.bet[seat] + e.amount
    s.contrib[seat] = s.contrib[seat] + e.amount
    # A short big blind''', '''    s.stack[seat] = s.stack[seat] - e.amount
    if e.kind == "live":  # into the pot, as an ante
        s.contrib[seat] = s.contrib[seat] + e.amount
        s.pot += e.amount
        return
    s.bet[seat] = s.bet[seat] + e.amount
    s.contrib[seat] = s.contrib[seat] + e.amount
    # A short big blind'''),),
        caught_by="legal_actions", hands=87),
    PlantedBug(
        "newcomer_skips_big_blind", "A player who sits down while a hand runs is dealt into the "
        "next hand without waiting for the big blind or posting.",
        (Edit(RULES, '''        yield PlayerSeated(seat, action.player, action.buy_in, waiting=running)''',
              '''        yield PlayerSeated(seat, action.player, action.buy_in, waiting=False)'''),),
        caught_by="waiting_for_big_blind", hands=29),
    PlantedBug(
        "missed_blind_forgiven", "A player who sat out while the big blind passed them is dealt "
        "straight back in when they sit in again, without waiting for it or posting.",
        (Edit(DEALER, '''            waiting = state.missed_bb[seat] or state.status[seat] == WAITING''',
              '''            waiting = state.status[seat] == WAITING'''),),
        caught_by="waiting_for_big_blind", hands=34),
    PlantedBug(
        "sit_out_mid_hand", "A sit-out asked for during a hand takes effect at once instead of "
        "when the hand ends.",
        (Edit(RULES, '''    elif running:
        request = ''', '''    elif kind is SitOut:
        yield SatOut(seat)
    elif running:
        request = '''),),
        caught_by="waiting_for_big_blind", hands=33),
    PlantedBug(
        "rebuy_applied_mid_hand", "A rebuy asked for during a hand goes on the stack at once "
        "instead of when the hand ends, so a player can buy chips in the middle of a hand.",
        (Edit(RULES, '''        yield RequestQueued(seat, request, action.amount if kind is Rebuy else 0)''',
              '''        if kind is Rebuy:  # the chips go on the stack at once
            room = max(0, state.config.max_buy_in - state.stack[seat])
            yield RebuyApplied(seat, action.amount, min(action.amount, room))
        else:
            yield RequestQueued(seat, request, 0)'''),),
        caught_by="waiting_for_big_blind", hands=27),
)
