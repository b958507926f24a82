"""Backends side by side: `sim run` on the local pool (1 and 2 workers) and on a Dask
LocalCluster (2 workers), the same seed, every invariant on.

Each round runs every variant once, in turn (the machine is shared and noisy), and the
figures are medians over rounds: hands/s (wall clock of the whole command: start-up,
cluster start, DuckDB writes and all), each variant's rate relative to the 2-worker pool,
the main process's CPU seconds (from run.log), the CPU seconds of every process of the run
(the main process, the workers and, on Dask, the cluster's: a measure that the load of
other programs on the machine does not change much), the workers' peak memory early and late in
the run (`tables.peak_rss_mb`, first and last tenth of the tables), and the spread of the
rates (min-max over rounds, a measure of the noise). Every run's content digest of hands,
actions and results must equal the others' (same seed, same results). The first run's
folder gives bytes per hand in DuckDB and, exported, in Parquet (zstd).

    python benchmarks/backends.py [--hands 200000] [--seed 1] [--rounds 3]
        [--variants pool1,pool2,dask2]

Last line: ``backends: dask/pool S, pool 2/1 speed-up P, ...``.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from run import peak_by_tenth  # type: ignore[import-not-found]

from sim.store.digest import digest

SIM = str(Path(sys.executable).with_name("sim"))
VARIANTS = {"pool1": ("--workers", "1"), "pool2": ("--workers", "2"),
            "dask2": ("--workers", "2", "--backend", "dask")}
CPU = re.compile(r"main process: ([0-9.]+) s CPU")


def timed_run(hands: int, seed: int, args: tuple[str, ...], out: Path) -> dict[str, float | str]:
    started, cpu_before = time.perf_counter(), _children_cpu()
    done = subprocess.run([SIM, "run", "--hands", str(hands), "--seed", str(seed), *args,
                           "--out", str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu_all = _children_cpu() - cpu_before
    if done.returncode not in (0, 1, 3, 4):
        raise SystemExit(f"sim run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    con = duckdb.connect(str(out / "stats.duckdb"), read_only=True)
    stored = digest(out)
    tables = con.execute("SELECT count(*) FROM tables").fetchone()[0]
    early, late = peak_by_tenth(con, tables)
    con.close()
    cpu = CPU.search((out / "run.log").read_text())
    return {"wall": wall, "rate": hands / wall, "early": early, "late": late,
            "cpu": float(cpu[1]) if cpu else float("nan"), "cpu_all": cpu_all,
            "digest": repr({k: stored[k] for k in ("hands", "actions", "results")})}


def _children_cpu() -> float:
    """CPU seconds of the processes this one waited for (the runs and, reaped by them,
    their workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bytes_per_hand(folder: Path, hands: int) -> tuple[float, float]:
    """Bytes per hand of the bookkeeping (stats.duckdb) and of the hand rows (the shards,
    zstd Parquet)."""
    duck = (folder / "stats.duckdb").stat().st_size / hands
    shards = sum(p.stat().st_size for p in (folder / "shards").rglob("*") if p.is_file())
    return duck, shards / hands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="pool1,pool2,dask2")
    args = parser.parse_args()
    variants = args.variants.split(",")
    print(f"seed {args.seed}; reproduce: python benchmarks/backends.py --hands {args.hands} "
          f"--seed {args.seed} --rounds {args.rounds} --variants {args.variants}")
    results: dict[str, list[dict[str, float | str]]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as folder:
        for round_no in range(1, args.rounds + 1):
            for name in variants:
                out = Path(folder) / f"{name}-{round_no}"
                result = timed_run(args.hands, args.seed, VARIANTS[name], out)
                results[name].append(result)
                print(f"round {round_no} {name}: {result['wall']:,.1f} s, "
                      f"{result['rate']:,.0f} hands/s, main process {result['cpu']:.1f} s "
                      f"CPU, all processes {result['cpu_all']:.1f} s CPU, peak MB per worker "
                      f"{result['early']:.0f} early, {result['late']:.0f} late", flush=True)
                if round_no == 1 and name == variants[0]:
                    duck, parquet = bytes_per_hand(out, args.hands)
                    print(f"bytes per hand: bookkeeping (DuckDB) {duck:,.0f}, hand rows "
                          f"(Parquet shards, zstd) {parquet:,.0f}")
                for other in (r for n in variants for r in results[n]):
                    assert other["digest"] == result["digest"], (name, "digest differs")
                if round_no > 1 or name != variants[-1]:
                    shutil.rmtree(out)  # keep the disk free
    for name, rs in results.items():
        rates = [float(r["rate"]) for r in rs]
        cpu = statistics.median(float(r["cpu"]) for r in rs)
        cpu_all = statistics.median(float(r["cpu_all"]) for r in rs)
        print(f"{name}: median {statistics.median(rates):,.0f} hands/s (min {min(rates):,.0f}, "
              f"max {max(rates):,.0f}), main process {cpu:.1f} s CPU, all processes "
              f"{cpu_all:.1f} s CPU ({cpu_all / args.hands * 1e6:.0f} us a hand), peak MB per "
              f"worker {max(float(r['late']) for r in rs):.0f}")
    print(f"digests identical across {sum(map(len, results.values()))} runs")
    ratios = [f"{label} {ratio(results, a, b):.2f}" for label, a, b in
              (("dask/pool", "dask2", "pool2"), ("pool 2/1 speed-up", "pool2", "pool1"))
              if a in results and b in results]
    print("backends: " + ", ".join(ratios))


def ratio(results: dict[str, list[dict[str, float | str]]], top: str, bottom: str) -> float:
    """The median over rounds of the rate of ``top`` over that of ``bottom``."""
    return statistics.median(float(a["rate"]) / float(b["rate"])
                             for a, b in zip(results[top], results[bottom], strict=True))

if __name__ == "__main__":
    main()
