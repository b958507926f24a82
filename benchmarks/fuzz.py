"""The fuzz's steering: coverage reached in a time-boxed fuzz, and its cost in hands/s.

Runs ``sim fuzz --minutes M`` (steered) and then ``sim run`` over the same number of hands
(the plain swarm, unsteered), each with W workers, and prints for each coverage point its
hits in both, the fewest hits of any point, and hands/s (and dispatches/s) of both.
Alternate rounds and medians, because the machine is shared.

    python benchmarks/fuzz.py [--minutes 2] [--workers 2] [--rounds 1] [--seed 1]

Last line: ``fuzz: fewest hits N (point), M hands/s steered vs K unsteered (ratio R)``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

SIM = str(Path(sys.executable).with_name("sim"))


def coverage(out: Path) -> tuple[dict[str, int], int, int]:
    con = duckdb.connect(str(out / "stats.duckdb"), read_only=True)
    try:
        hits = dict(con.execute("SELECT point, sum(hits) FROM coverage GROUP BY point")
                    .fetchall())
        hands, dispatches = con.execute("SELECT sum(hands_played), sum(dispatches) "
                                        "FROM tables").fetchone()
    finally:
        con.close()
    return {point: int(count) for point, count in hits.items()}, int(hands), int(dispatches)


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([SIM, *args], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"sim {' '.join(args)} failed ({done.returncode}):\n"
                         f"{done.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    steered_rates, plain_rates, fewest = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_no in range(args.rounds):
            seed = args.seed + round_no
            fuzz_out, run_out = Path(tmp) / f"fuzz{round_no}", Path(tmp) / f"run{round_no}"
            wall = timed(["fuzz", "--minutes", str(args.minutes), "--seed", str(seed),
                          "--workers", str(args.workers), "--out", str(fuzz_out),
                          "--shrink-seconds", "1"])
            steered, hands, steered_work = coverage(fuzz_out)
            run_wall = timed(["run", "--hands", str(hands), "--seed", str(seed), "--workers",
                              str(args.workers), "--out", str(run_out)])
            plain, _, plain_work = coverage(run_out)
            steered_rates.append(hands / wall)
            plain_rates.append(hands / run_wall)
            print(f"round {round_no + 1}: {hands:,} hands; steered {hands / wall:,.0f} hands/s, "
                  f"unsteered {hands / run_wall:,.0f} hands/s; dispatches/s steered "
                  f"{steered_work / wall:,.0f}, unsteered {plain_work / run_wall:,.0f} (the "
                  "fuzz's short tables have shorter hands)")
            print(f"  {'point':<26} {'steered':>9} {'unsteered':>9}")
            for point in sorted(steered, key=steered.get):
                print(f"  {point:<26} {steered[point]:>9,} {plain.get(point, 0):>9,}")
            point = min(steered, key=steered.get)
            fewest.append((steered[point], point))
    low = min(fewest)
    ratio = statistics.median(s / p for s, p in zip(steered_rates, plain_rates, strict=True))
    print(f"fuzz: fewest hits {low[0]:,} ({low[1]}), "
          f"{statistics.median(steered_rates):,.0f} hands/s steered vs "
          f"{statistics.median(plain_rates):,.0f} unsteered (ratio {ratio:.2f})")


if __name__ == "__main__":
    main()
