"""Planted bugs only the harness's faults find: no invariant sees them in a hand played
once; a fault that crashes and restores a table, sends a dispatch twice, deals a hand again
from its seed, or times a hand out does (README: "Faults injected on purpose")."""

from __future__ import annotations

from sim.planted.bug import Edit, PlantedBug

DEALER = "engine/dealer.py"

BUGS = (
    PlantedBug(
        "restore_misreads_last_actor", "A table restored from a snapshot reads the seat that "
        "acted last from the small blind's field, so its first turn goes to the wrong seat.",
        (Edit("engine/state.py", '''        for name in SCALAR_FIELDS:
            setattr(s, name, data[name])
''', '''        for name in SCALAR_FIELDS:
            setattr(s, name, data[name])
        s.last_actor = data["small_blind_seat"]
'''),),
        caught_by="crash_restore", hands=1, fault="crash_restore=1"),
    PlantedBug(
        "check_skips_turn", "A check by a seat that owes nothing skips the turn check, so a "
        "repeated or stale check is accepted out of turn.",
        (Edit("engine/rules.py", '''    legal = _turn(state, action.seat, "check", legal)''',
              '''    if state.phase == BETTING and state.bet[action.seat] == state.current_bet:
        return  # nothing owed: no need to ask whose turn it is
    legal = _turn(state, action.seat, "check", legal)'''),),
        caught_by="duplicate_dispatch", hands=2, fault="duplicate_dispatch=1"),
    PlantedBug(
        "shuffle_uses_global_random", "The deck shuffle mixes Python's global random state into "
        "the hand's seed, so a hand does not deal again from its seed.",
        (Edit(DEALER, '''    """The deck a hand with seed ``seed`` is dealt from."""
    return cards.shuffled_deck(seed)''', '''    """The deck a hand with seed ``seed`` is dealt from."""
    import random
    return cards.shuffled_deck(seed ^ random.getrandbits(16))'''),),
        caught_by="determinism", hands=1, fault="determinism=1"),
    PlantedBug(
        "dealer_waits_for_leaver", "The dealer waits for a player who left mid-hand to act "
        "instead of folding them, and the hand never ends.",
        (Edit(DEALER, '''                if state.pending_leave[seat]:
''', '''                if state.pending_leave[seat]:
                    import time
                    while True:  # waits, in time.sleep: a timer's signal can stop it
                        time.sleep(0.001)
'''),),
        caught_by="liveness", hands=30, fault="hand_timeout=0.5"),
    PlantedBug(
        "busted_seat_hangs_dealer", "While a busted player is still seated, the dealer finds the "
        "next button by counting seat numbers up from the last one without wrapping around the "
        "table: with no seat above it in play, it counts forever.",
        (Edit(DEALER, '''    if setup is not None and setup.button is not None:
        button = setup.button
''', '''    if ((setup is None or setup.button is None) and state.button is not None
            and state.player[(state.button + 1) % n] is not None
            and state.stack[(state.button + 1) % n] == 0):
        # Counts seat numbers up, never wrapping around the table, in builtins all through:
        # no Python code runs on the way, so no timer signal's handler can stop it.
        import itertools
        button = next(filter(regular.__contains__, itertools.count(state.button + 1)))
    elif setup is not None and setup.button is not None:
        button = setup.button
'''),),
        caught_by="liveness", hands=None, fault="hand_timeout=1", hangs_process=True),
    PlantedBug(
        "hand_seed_chained", "Each hand's seed is derived from the previous hand's seed instead "
        "of the table's, so a hand is not dealt again from its table's seed and its number.",
        (Edit(DEALER, '''    seed = hand_seed(state.table_seed, hand_no)''',
              '''    seed = hand_seed(state.hand_seed or state.table_seed, hand_no)'''),),
        caught_by="determinism", hands=2, fault="determinism=1"),
)
