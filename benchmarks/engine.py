"""Engine speed: random legal hands through ``dispatch()`` with the log on, beside two
peers: OpenSpiel's C++ ``universal_poker`` and PokerKit.

Six players, 200 big blinds, blinds 1/2, one core. All three play the same uniform random
policy (uniform over fold-when-facing-a-bet, check/call, bet/raise; amounts uniform over
the legal range); OpenSpiel deals its cards as chance actions, drawn uniformly. Runs
alternate the engines round by round and quote medians, because the machine is shared and
noisy; each round prints the load average beside its figures, and each engine's rate by
CPU time too (steadier than wall time when other processes share the cores).

    python benchmarks/engine.py [--hands 3000] [--rounds 5]

OpenSpiel is a heavy optional (its wheel brings SciPy): ``pip install -e '.[openspiel]'``.
Last line: ``engine: N hands/s, openspiel: O hands/s, pokerkit: M hands/s, ratio to
openspiel: R, ratio to pokerkit: S`` (medians; the ratios by CPU time).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial

from sim.engine import Controller, LegalActions, TableConfig, actions
from sim.engine.log import TableLog

SEATS, STACK, SMALL, BIG = 6, 400, 1, 2


def engine_policy(legal: LegalActions, rng: random.Random) -> object:
    seat = legal.seat
    choices = ["passive"]
    if legal.call:
        choices.append("fold")
    if legal.max_bet or legal.max_raise_to:
        choices.append("aggressive")
    kind = rng.choice(choices)
    if kind == "fold":
        return actions.Fold(seat)
    if kind == "passive":
        return actions.Call(seat) if legal.call else actions.Check(seat)
    if legal.max_bet:
        return actions.Bet(seat, rng.randint(legal.min_bet, legal.max_bet))
    return actions.RaiseTo(seat, rng.randint(legal.min_raise_to, legal.max_raise_to))


Rate = tuple[float, float]  # hands per second of wall time, and of this process's CPU time


def timed(play: Callable[[], int]) -> Rate:
    """Hands per second of wall time and of CPU time of ``play()``, which returns hands."""
    started, cpu = time.perf_counter(), time.process_time()
    hands = play()
    return hands / (time.perf_counter() - started), hands / (time.process_time() - cpu)


def run_engine(hands: int, seed: int) -> float:
    """Hands per second; busted players rebuy to 200 big blinds between hands."""
    return timed(partial(play_engine, hands, seed))[0]


def play_engine(hands: int, seed: int) -> int:
    rng = random.Random(seed)
    log = TableLog()
    table = Controller(TableConfig(seats=SEATS, small_blind=SMALL, big_blind=BIG,
                                   min_buy_in=BIG, max_buy_in=STACK), seed=seed,
                       players={s: (f"p{s}", STACK) for s in range(SEATS)}, subscribers=[log])
    finished = 0
    while finished < hands:
        legal = table.legal_actions()
        if legal is not None:
            table.dispatch(engine_policy(legal, rng))
        if log.finished != finished or legal is None:  # between hands: rebuy the busted
            finished = log.finished
            state = table.state
            for seat in range(SEATS):
                if state.stack[seat] == 0 and not state.pending_rebuy[seat] and not (
                        state.dealt[seat] and state.phase):
                    table.dispatch(actions.Rebuy(seat, STACK))
    return hands


def openspiel_game() -> object:
    """The same table in OpenSpiel's universal_poker: every stack 200 big blinds each hand,
    the full game's bet sizes (not an abstraction)."""
    try:
        import pyspiel
    except ImportError:
        sys.exit("benchmarks/engine.py needs OpenSpiel: pip install -e '.[openspiel]'")
    return pyspiel.load_game("universal_poker", {
        "betting": "nolimit", "bettingAbstraction": "fullgame", "numPlayers": SEATS,
        "numRounds": 4, "blind": " ".join([str(SMALL), str(BIG)] + ["0"] * (SEATS - 2)),
        "firstPlayer": "3 1 1 1", "numSuits": 4, "numRanks": 13, "numHoleCards": 2,
        "numBoardCards": "0 3 1 1", "stack": " ".join([str(STACK)] * SEATS)})


def play_openspiel(game: object, hands: int, seed: int) -> int:
    """Hands of ``game`` (``openspiel_game()``) under the engine's random policy. Its
    actions: 0 folds, 1 checks or calls, a larger one bets or raises to that amount."""
    rng = random.Random(seed)
    for _ in range(hands):
        state = game.new_initial_state()  # type: ignore[attr-defined]
        while not state.is_terminal():
            legal = state.legal_actions()
            if state.is_chance_node():  # a card dealt: any card left, uniformly
                state.apply_action(legal[rng.randrange(len(legal))])
                continue
            choices = ["passive"]
            if legal[0] == 0:
                choices.append("fold")
            if legal[-1] > 1:
                choices.append("aggressive")
            kind = rng.choice(choices)
            if kind == "fold":
                state.apply_action(0)
            elif kind == "passive":
                state.apply_action(1)
            else:
                low = 2 if legal[0] == 0 else 1  # the first bet size's index
                state.apply_action(legal[rng.randrange(low, len(legal))])
    return hands


def play_pokerkit(hands: int, seed: int) -> int:
    from pokerkit import Automation, Mode, NoLimitTexasHoldem

    automations = (Automation.ANTE_POSTING, Automation.BET_COLLECTION,
                   Automation.BLIND_OR_STRADDLE_POSTING, Automation.CARD_BURNING,
                   Automation.HOLE_DEALING, Automation.BOARD_DEALING,
                   Automation.RUNOUT_COUNT_SELECTION, Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
                   Automation.HAND_KILLING, Automation.CHIPS_PUSHING, Automation.CHIPS_PULLING)
    rng = random.Random(seed)
    for _ in range(hands):
        state = NoLimitTexasHoldem.create_state(automations, True, 0, (SMALL, BIG), BIG,
                                                (STACK,) * SEATS, SEATS, mode=Mode.CASH_GAME)
        while state.status:
            choices = ["passive"]
            if state.checking_or_calling_amount:
                choices.append("fold")
            if state.can_complete_bet_or_raise_to():
                choices.append("aggressive")
            kind = rng.choice(choices)
            if kind == "fold":
                state.fold()
            elif kind == "passive":
                state.check_or_call()
            else:
                low = state.min_completion_betting_or_raising_to_amount
                high = state.max_completion_betting_or_raising_to_amount
                state.complete_bet_or_raise_to(rng.randint(low, high))
    return hands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=3000, help="engine hands per round")
    parser.add_argument("--openspiel-hands", type=int, default=3000,
                        help="OpenSpiel hands per round")
    parser.add_argument("--pokerkit-hands", type=int, default=300, help="PokerKit hands per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    game = openspiel_game()
    print(f"seed {args.seed}; reproduce: python benchmarks/engine.py --seed {args.seed} "
          f"--hands {args.hands} --openspiel-hands {args.openspiel_hands} "
          f"--pokerkit-hands {args.pokerkit_hands} --rounds {args.rounds}")
    rates: dict[str, list[Rate]] = {"engine": [], "openspiel": [], "pokerkit": []}
    for round_no in range(args.rounds):
        seed = args.seed + round_no
        rates["engine"].append(timed(partial(play_engine, args.hands, seed)))
        rates["openspiel"].append(timed(partial(play_openspiel, game, args.openspiel_hands,
                                                seed)))
        rates["pokerkit"].append(timed(partial(play_pokerkit, args.pokerkit_hands, seed)))
        figures = ", ".join(f"{name} {found[-1][0]:,.0f} ({found[-1][1]:,.0f} by CPU)"
                            for name, found in rates.items())
        print(f"round {round_no + 1}: hands/s {figures}; load average "
              f"{os.getloadavg()[0]:.2f}", flush=True)
    wall = {name: statistics.median(r[0] for r in found) for name, found in rates.items()}
    cpu = {name: statistics.median(r[1] for r in found) for name, found in rates.items()}
    print("by CPU time (medians): " + ", ".join(f"{name} {rate:.0f} hands/s"
                                                 for name, rate in cpu.items()))
    print(f"engine: {wall['engine']:.0f} hands/s, openspiel: {wall['openspiel']:.0f} hands/s, "
          f"pokerkit: {wall['pokerkit']:.0f} hands/s, ratio to openspiel: "
          f"{cpu['engine'] / cpu['openspiel']:.2f}, ratio to pokerkit: "
          f"{cpu['engine'] / cpu['pokerkit']:.1f}")


if __name__ == "__main__":
    main()
