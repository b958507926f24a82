"""Harness speed: hands per second on one core with every invariant after every dispatch,
beside the same tables with no invariant and beside the engine alone, in one run.

The harness plays swarm-drawn tables (2-10 seats, short and deep stacks, every bot kind)
and collects the store's rows, as `sim run` does. Rounds alternate the variants and the
figures are medians, because the machine is shared and noisy.

    python benchmarks/harness.py [--hands 4000] [--rounds 3] [--seed 1]

Last line: ``harness: N hands/s, engine: M hands/s``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine import run_engine  # type: ignore[import-not-found]

from sim.bots import draw_table
from sim.run import settle_gc
from sim.runner import RunSettings, play_table, table_plan


def run_harness(hands: int, seed: int, invariants: tuple[str, ...] | None) -> float:
    settings = RunSettings(seed=seed, hands=hands, invariants=invariants)
    played, started = 0, time.perf_counter()
    for table_id, count in table_plan(settings):
        outcome = play_table(draw_table(seed, table_id), count, settings)
        assert outcome.finding is None, outcome.finding
        played += outcome.hands
    return played / (time.perf_counter() - started)


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
        engine.append(run_engine(args.hands, args.seed + round_no))
        print(f"round {round_no + 1}: all invariants {full[-1]:,.0f} hands/s, no invariant "
              f"{bare[-1]:,.0f} hands/s, engine alone {engine[-1]:,.0f} hands/s")
    print(f"swarm tables with no invariant: {statistics.median(bare):.0f} hands/s")
    print(f"harness: {statistics.median(full):.0f} hands/s, "
          f"engine: {statistics.median(engine):.0f} hands/s")


if __name__ == "__main__":
    main()
