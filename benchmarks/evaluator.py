"""Time evaluate7 on random seven-card hands, with the reference evaluator for scale.

    python benchmarks/evaluator.py                  # 200,000 hands, 5 repeats
    python benchmarks/evaluator.py --seed 7 --hands 50000

The last line is ``evaluator: N evals/s`` (the median of the repeats) for scripts to read.
"""

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

from sim.engine.cards import shuffled_deck
from sim.engine.evaluator import evaluate7, reference_evaluate
from sim.engine.seeds import derive_seed

Hand = tuple[int, ...]


def deal_hands(seed: int, count: int) -> list[Hand]:
    """Deal `count` seven-card hands, each from its own seeded deck."""
    return [shuffled_deck(derive_seed(seed, "hand", index))[:7] for index in range(count)]


def rate_per_s(evaluate: Callable[[Hand], object], hands: Sequence[Hand]) -> float:
    """Evaluate every hand once; return evaluations per second of wall time."""
    start_s = time.perf_counter()
    for hand in hands:
        evaluate(hand)
    return len(hands) / (time.perf_counter() - start_s)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="seed for the dealt hands")
    parser.add_argument("--hands", type=int, default=200_000, help="hands per repeat")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes; median reported")
    parser.add_argument(
        "--reference-hands", type=int, default=10_000, help="hands for the slow reference"
    )
    arguments = parser.parse_args()
    if arguments.hands < 1 or arguments.repeats < 1 or arguments.reference_hands < 1:
        parser.error("--hands, --repeats and --reference-hands must each be at least 1.")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    print(
        f"seed {arguments.seed}; reproduce with: python benchmarks/evaluator.py "
        f"--seed {arguments.seed} --hands {arguments.hands} --repeats {arguments.repeats} "
        f"--reference-hands {arguments.reference_hands}"
    )
    start_s = time.perf_counter()
    hands = deal_hands(arguments.seed, arguments.hands)
    deal_s = time.perf_counter() - start_s
    print(f"shuffled_deck + derive_seed: {deal_s / len(hands) * 1e6:.1f} us per deal")

    reference_hands = hands[: arguments.reference_hands]
    reference_rate = statistics.median(
        rate_per_s(reference_evaluate, reference_hands) for _ in range(3)
    )
    print(
        f"reference_evaluate: {reference_rate:,.0f} evals/s "
        f"(median of 3 passes over {len(reference_hands):,} hands)"
    )

    rate_per_s(evaluate7, hands[:20_000])  # Warm-up, untimed: the first pass runs slow.
    rates = [rate_per_s(evaluate7, hands) for _ in range(arguments.repeats)]
    rate = statistics.median(rates)
    print(f"evaluate7 passes: {', '.join(f'{each:,.0f}' for each in rates)} evals/s")
    print(f"evaluate7 is {rate / reference_rate:,.0f}x the reference")
    print(f"evaluator: {rate:.0f} evals/s")


if __name__ == "__main__":
    main()
