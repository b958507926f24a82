"""Run speed and memory: `sim run` with 1 and with 2 workers, every invariant on.

Times the real command (worker start-up, DuckDB writes and all), then reads throughput
from the run's database and each worker's peak memory from `tables.peak_rss_mb` (recorded
by the worker as each table finishes), comparing the first and last tenth of the tables to
show whether memory grows with the number of hands. The two runs use the same seed, so
they play the same hands. Rounds alternate 1 and 2 workers, and the figures are medians
(the speed-up is the median of the rounds' ratios), because the machine is shared and noisy.

    python benchmarks/run.py [--hands 100000] [--seed 1] [--rounds 3]

Last line: ``run: N hands/s with 2 workers, speed-up S, peak MB per worker P``.
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


def timed_run(hands: int, seed: int, workers: int, out: Path) -> tuple[float, float, float, float]:
    """Wall seconds, hands/s (wall), peak MB early, peak MB late."""
    started = time.perf_counter()
    done = subprocess.run([SIM, "run", "--hands", str(hands), "--seed", str(seed), "--workers",
                           str(workers), "--out", str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"sim run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    con = duckdb.connect(str(out / "stats.duckdb"), read_only=True)
    stored, tables = con.execute("SELECT sum(hands_played), count(*) FROM tables").fetchone()
    early, late = peak_by_tenth(con, tables)
    con.close()
    return wall, stored / wall, early, late


def peak_by_tenth(con: duckdb.DuckDBPyConnection, tables: int) -> tuple[float, float]:
    """The highest worker peak memory (MB) over the first and the last tenth of the tables."""
    tenth = max(1, tables // 10)
    early, late = con.execute(
        "SELECT max(peak_rss_mb) FILTER (WHERE table_id < $n), "
        "max(peak_rss_mb) FILTER (WHERE table_id >= $t - $n) FROM tables",
        {"n": tenth, "t": tables}).fetchone()
    return early, late


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"seed {args.seed}; reproduce: python benchmarks/run.py --hands {args.hands} "
          f"--seed {args.seed} --rounds {args.rounds}")
    rates, speedups, peaks = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        for round_no in range(1, args.rounds + 1):
            one = timed_run(args.hands, args.seed, 1, Path(folder) / f"one-{round_no}")
            two = timed_run(args.hands, args.seed, 2, Path(folder) / f"two-{round_no}")
            rates.append(two[1])
            speedups.append(two[1] / one[1])
            peaks.append(max(two[2], two[3]))
            print(f"round {round_no}: 1 worker {one[0]:,.1f} s ({one[1]:,.0f} hands/s), "
                  f"2 workers {two[0]:,.1f} s ({two[1]:,.0f} hands/s), speed-up "
                  f"{speedups[-1]:.2f}; peak MB per worker {two[2]:.0f} in the first tenth "
                  f"of tables, {two[3]:.0f} in the last", flush=True)
    rate = statistics.median(rates)
    print(f"1e6 hands at this rate with 2 workers: {1e6 / rate / 60:,.1f} minutes")
    print(f"run: {rate:.0f} hands/s with 2 workers, speed-up {statistics.median(speedups):.2f}, "
          f"peak MB per worker {max(peaks):.0f}")


if __name__ == "__main__":
    main()
