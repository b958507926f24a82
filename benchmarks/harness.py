"""Harness speed: hands per second on one core with every invariant after every dispatch,
beside the same tables with no invariant and beside the engine alone, in one run.

The harness plays swarm-drawn tables (2-10 seats, short and deep stacks, every bot kind)
and collects the store's rows, with the hand watchdog on, as `sim run` does. Rounds
alternate the variants and the figures are medians, because the machine is shared and
noisy; each round prints the load average beside its figures, and every variant's rate by
CPU time (steadier than wall time when other processes share the cores).

    python benchmarks/harness.py [--hands 4000] [--rounds 3] [--seed 1]

The line before the last gives the harness by CPU time (``harness by CPU time: N hands/s``).
Last line: ``harness: N hands/s, engine: M hands/s``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from functools import partial

from engine import play_engine, timed  # type: ignore[import-not-found]

from sim.backends.base import settle_gc
from sim.bots import draw_table
from sim.hooks.watchdog import DEFAULT_S
from sim.runner import RunSettings, play_table, table_plan
from sim.runner.settings import with_hand_timeout


def run_harness(hands: int, seed: int, invariants: tuple[str, ...] | None
                ) -> tuple[float, float]:
    """Hands per second of wall time and of this process's CPU time."""
    settings = with_hand_timeout(RunSettings(seed=seed, hands=hands, invariants=invariants),
                                 DEFAULT_S)
    played, started, cpu = 0, time.perf_counter(), time.process_time()
    for table_id, count in table_plan(settings):
        outcome = play_table(draw_table(seed, table_id), count, settings)
        assert outcome.finding is None, outcome.finding
        played += outcome.hands
    return played / (time.perf_counter() - started), played / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settle_gc()  # as sim run's workers do
    print(f"seed {args.seed}; reproduce: python benchmarks/harness.py --hands {args.hands} "
          f"--rounds {args.rounds} --seed {args.seed}")
    full, bare, engine = [], [], []
    for round_no in range(args.rounds):
        full.append(run_harness(args.hands, args.seed, None))
        bare.append(run_harness(args.hands, args.seed, ()))
        engine.append(timed(partial(play_engine, args.hands, args.seed + round_no)))
        print(f"round {round_no + 1}: hands/s (by CPU time): all invariants {full[-1][0]:,.0f} "
              f"({full[-1][1]:,.0f}), no invariant {bare[-1][0]:,.0f} ({bare[-1][1]:,.0f}), "
              f"engine alone {engine[-1][0]:,.0f} ({engine[-1][1]:,.0f}); load average "
              f"{os.getloadavg()[0]:.2f}", flush=True)

    def median(rates: list[tuple[float, float]], which: int) -> float:
        return statistics.median(rate[which] for rate in rates)

    print(f"by CPU time (medians): all invariants {median(full, 1):.0f}, no invariant "
          f"{median(bare, 1):.0f}, engine alone {median(engine, 1):.0f} hands/s")
    print(f"swarm tables with no invariant: {median(bare, 0):.0f} hands/s")
    print(f"harness by CPU time: {median(full, 1):.0f} hands/s")
    print(f"harness: {median(full, 0):.0f} hands/s, engine: {median(engine, 0):.0f} hands/s")


if __name__ == "__main__":
    main()
