"""Engine speed: random legal hands through ``dispatch()`` with the log on, beside PokerKit.

Six players, 200 big blinds, blinds 1/2, one core. Both engines play the same uniform
random policy (uniform over fold-when-facing-a-bet, check/call, bet/raise; amounts uniform
over the legal range). Runs alternate engine/PokerKit rounds and quote medians, because
the machine is shared and noisy.

    python benchmarks/engine.py [--hands 3000] [--rounds 5]

Last line: ``engine: N hands/s, pokerkit: M hands/s, ratio: R``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

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


def run_engine(hands: int, seed: int) -> float:
    """Hands per second; busted players rebuy to 200 big blinds between hands."""
    rng = random.Random(seed)
    log = TableLog()
    table = Controller(TableConfig(seats=SEATS, small_blind=SMALL, big_blind=BIG,
                                   min_buy_in=BIG, max_buy_in=STACK), seed=seed,
                       players={s: (f"p{s}", STACK) for s in range(SEATS)}, subscribers=[log])
    finished = 0
    start = time.perf_counter()
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
    return hands / (time.perf_counter() - start)


def run_pokerkit(hands: int, seed: int) -> float:
    from pokerkit import Automation, Mode, NoLimitTexasHoldem

    automations = (Automation.ANTE_POSTING, Automation.BET_COLLECTION,
                   Automation.BLIND_OR_STRADDLE_POSTING, Automation.CARD_BURNING,
                   Automation.HOLE_DEALING, Automation.BOARD_DEALING,
                   Automation.RUNOUT_COUNT_SELECTION, Automation.HOLE_CARDS_SHOWING_OR_MUCKING,
                   Automation.HAND_KILLING, Automation.CHIPS_PUSHING, Automation.CHIPS_PULLING)
    rng = random.Random(seed)
    start = time.perf_counter()
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
    return hands / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=3000, help="engine hands per round")
    parser.add_argument("--pokerkit-hands", type=int, default=300, help="PokerKit hands per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"seed {args.seed}; reproduce: python benchmarks/engine.py --seed {args.seed} "
          f"--hands {args.hands} --pokerkit-hands {args.pokerkit_hands} --rounds {args.rounds}")
    engine_rates, pokerkit_rates = [], []
    for round_no in range(args.rounds):
        engine_rates.append(run_engine(args.hands, args.seed + round_no))
        pokerkit_rates.append(run_pokerkit(args.pokerkit_hands, args.seed + round_no))
        print(f"round {round_no + 1}: engine {engine_rates[-1]:,.0f} hands/s, "
              f"pokerkit {pokerkit_rates[-1]:,.0f} hands/s")
    engine, pokerkit = statistics.median(engine_rates), statistics.median(pokerkit_rates)
    print(f"engine: {engine:.0f} hands/s, pokerkit: {pokerkit:.0f} hands/s, "
          f"ratio: {engine / pokerkit:.1f}")


if __name__ == "__main__":
    main()
