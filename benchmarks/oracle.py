"""The PokerKit oracle: what it costs a run, and what it finds on many harness hands.

Cost (the default): the tables of a run (``draw_table(seed, table_id)``, 200 hands each,
every invariant on, rows collected, as a `sim run` worker plays them) are played without
the oracle and with it comparing 1 finished hand in RATE, in alternating rounds on one
core; the script also times ``compare_hand`` alone on the hands of a round. Medians.

    python benchmarks/oracle.py [--hands 2000] [--rounds 3] [--rate 100] [--seed 1]

Last line: ``compare_hand: N hands/s; run: M hands/s; oracle at 1 in RATE: X% of throughput
(measured Y%)``. X is computed from the two rates (time per hand of the run against the
compare time of one hand in RATE); Y is the throughput lost in the rounds with the oracle on,
noisier on a shared machine.

The long run: ``--minutes M`` plays table after table of the run seeded SEED with the oracle
comparing every hand (RATE 1), until M minutes have passed, then prints what it found: hands
compared, decisions, masks, and each unmasked difference with its table and hand (exit 1 if
there is one).

    python benchmarks/oracle.py --minutes 10 --seed 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from sim.bots import draw_table
from sim.driver.hooks import TableHook
from sim.engine.log import HandRecord
from sim.invariants.pipeline import CheckedTable
from sim.outside.pokerkit_oracle import OracleTally, compare_hand, require_pokerkit
from sim.runner import RunSettings, TablePlayer

HANDS_PER_TABLE = 200


def play_tables(seed: int, first: int, count: int,
                on_hand: Callable[[int, HandRecord], None] | None) -> tuple[int, float]:
    """Play tables ``first .. first + count - 1`` of the run; ``on_hand(table_id, record)``
    for each finished hand when given. Returns (hands, seconds)."""
    settings = RunSettings(seed=seed, hands=(first + count) * HANDS_PER_TABLE)
    hands, started = 0, time.perf_counter()
    for table_id in range(first, first + count):
        hooks = [OnHand(table_id, on_hand)] if on_hand is not None else []
        hands += TablePlayer(draw_table(seed, table_id), HANDS_PER_TABLE, settings,
                             hooks=hooks).play().hands
    return hands, time.perf_counter() - started


class OnHand(TableHook):
    """Hands each finished hand of one table to ``on_hand(table_id, record)``."""

    def __init__(self, table_id: int, on_hand: Callable[[int, HandRecord], None]) -> None:
        self.table_id, self.on_hand = table_id, on_hand

    def hand_ended(self, table: CheckedTable, record: HandRecord) -> None:
        self.on_hand(self.table_id, record)


class Sampler:
    """Compares every ``rate``-th finished hand, as a run's oracle would, and keeps every
    ``keep``-th one for timing compare_hand alone (keeping them all would slow the run
    down: the garbage collector walks every object kept)."""

    def __init__(self, rate: int, keep: int) -> None:
        self.rate, self.keep = rate, keep
        self.seen = 0
        self.records: list[HandRecord] = []

    def __call__(self, table_id: int, record: HandRecord) -> None:
        self.seen += 1
        if self.seen % self.rate == 0:
            compare_hand(record)
        if self.seen % self.keep == 0:
            self.records.append(record)


def cost(args: argparse.Namespace) -> None:
    tables = max(1, args.hands // HANDS_PER_TABLE)
    plain, sampled, compared = [], [], []
    for round_no in range(args.rounds):
        hands, seconds = play_tables(args.seed, 0, tables, None)
        plain.append(hands / seconds)
        sampler = Sampler(args.rate, max(1, hands // args.compare_hands))
        hands, seconds = play_tables(args.seed, 0, tables, sampler)
        sampled.append(hands / seconds)
        chosen = sampler.records
        started = time.perf_counter()
        for record in chosen:
            compare_hand(record)
        compared.append(len(chosen) / (time.perf_counter() - started))
        print(f"round {round_no + 1}: run {plain[-1]:,.0f} hands/s, with the oracle at 1 in "
              f"{args.rate} {sampled[-1]:,.0f} hands/s, compare_hand {compared[-1]:,.0f} "
              "hands/s", flush=True)
    run, with_oracle, oracle = (statistics.median(x) for x in (plain, sampled, compared))
    per_hand = 1 / run
    extra = 1 / (oracle * args.rate)
    estimate = 100 * extra / (per_hand + extra)
    measured = 100 * (1 - with_oracle / run)
    print(f"compare_hand: {oracle:,.0f} hands/s; run: {run:,.0f} hands/s; oracle at 1 in "
          f"{args.rate}: {estimate:.1f}% of throughput (measured {measured:.1f}%)")


def long_run(args: argparse.Namespace) -> int:
    tally = OracleTally()
    deadline = time.perf_counter() + 60 * args.minutes
    compare_seconds = [0.0]

    def check(table_id: int, record: HandRecord) -> None:
        started = time.perf_counter()
        tally.add(compare_hand(record), f"table {table_id} hand {record.hand_no}")
        compare_seconds[0] += time.perf_counter() - started

    table_id, started = 0, time.perf_counter()
    while time.perf_counter() < deadline:
        play_tables(args.seed, table_id, 1, check)
        table_id += 1
    seconds = time.perf_counter() - started
    print(f"seed {args.seed}, tables 0..{table_id - 1}, {seconds:,.0f} s: "
          f"{tally.hands / seconds:,.0f} hands/s played and compared "
          f"(compare_hand {tally.hands / compare_seconds[0]:,.0f} hands/s)")
    for difference in tally.differences[:50]:
        print(difference)
    print(tally.summary())
    return 1 if tally.differences else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=2000, help="run hands per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=int, default=100, help="compare 1 hand in RATE")
    parser.add_argument("--compare-hands", type=int, default=500,
                        help="about this many of the round's hands time compare_hand")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=0,
                        help="the long run instead: every hand compared for this long")
    args = parser.parse_args()
    require_pokerkit()
    if args.minutes:
        print(f"reproduce: python benchmarks/oracle.py --minutes {args.minutes} "
              f"--seed {args.seed}", flush=True)
        sys.exit(long_run(args))
    print(f"seed {args.seed}; reproduce: python benchmarks/oracle.py --seed {args.seed} "
          f"--hands {args.hands} --rounds {args.rounds} --rate {args.rate}", flush=True)
    cost(args)


if __name__ == "__main__":
    main()
