"""What the faults a fuzz injects cost: hands per second on one core with every invariant,
with no fault and with each engine fault at its fuzz rate (``FUZZ_FAULTS``), then all of
them together, on the same swarm tables in one run. ``--rate-one`` adds each fault on
every chance it gets (rate 1, every hand): its cost per hand it acts on.

Rounds alternate the variants and the figures are medians of CPU time (the process's, so
other processes on a shared machine count less), because the machine is shared and noisy.

    python benchmarks/faults.py [--hands 3000] [--rounds 3] [--seed 1] [--rate-one]

Per variant: ``NAME: N hands/s, X% below none, U us more a hand``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sim.bots import draw_table
from sim.hooks.faults import FUZZ_FAULTS, Fault
from sim.run import settle_gc
from sim.runner import RunSettings, play_table, table_plan


def hands_per_s(hands: int, seed: int, faults: tuple[Fault, ...]) -> float:
    settings = RunSettings(seed=seed, hands=hands, faults=faults)
    played, started = 0, time.process_time()
    for table_id, count in table_plan(settings):
        outcome = play_table(draw_table(seed, table_id), count, settings)
        assert outcome.finding is None, str(outcome.finding)
        played += outcome.hands
    return played / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate-one", action="store_true",
                        help="also each fault at rate 1 (every hand, every dispatch)")
    args = parser.parse_args()
    settle_gc()  # as sim run's workers do
    print(f"seed {args.seed}; reproduce: python benchmarks/faults.py --hands {args.hands} "
          f"--rounds {args.rounds} --seed {args.seed}{' --rate-one' if args.rate_one else ''}")
    variants: dict[str, tuple[Fault, ...]] = {"none": ()}
    variants.update({fault.spec(): (fault,) for fault in FUZZ_FAULTS})
    variants["all fuzz faults"] = FUZZ_FAULTS
    if args.rate_one:
        for name in ("crash_restore", "duplicate_dispatch", "determinism"):
            variants[f"{name}=1"] = (Fault(name, 1),)
    figures: dict[str, list[float]] = {name: [] for name in variants}
    for round_no in range(args.rounds):
        names = list(variants)
        shift = round_no % len(names)  # each round starts with another variant: no order wins
        for name in names[shift:] + names[:shift]:
            figures[name].append(hands_per_s(args.hands, args.seed, variants[name]))
        print(f"round {round_no + 1}: " + ", ".join(f"{name} {values[-1]:,.0f}"
                                                    for name, values in figures.items()))
    base = statistics.median(figures["none"])
    for name, values in figures.items():
        median = statistics.median(values)
        print(f"{name}: {median:.0f} hands/s, {100 * (1 - median / base):.1f}% below none, "
              f"{1e6 * (1 / median - 1 / base):.0f} us more a hand")


if __name__ == "__main__":
    main()
