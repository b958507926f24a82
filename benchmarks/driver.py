"""The main process of a run before and after the shards: CPU per hand, peak memory, and
the statistics views' speed over one file against the shards.

"Before" is the package at a git revision (default ``30a40d5``, the last with one writer
in the main process inserting every row into stats.duckdb), "after" at another (default
``HEAD``: workers write Parquet shards; the main process keeps the bookkeeping); each is
unpacked from git into a temporary folder. Both run as plain Python from their sources
(PYTHONPATH; a compiled checkout's modules are not used), the same seed and
workers, one after the other in each round, so the machine's load falls on both. The main
process's CPU seconds and peak memory come from its own ``getrusage(RUSAGE_SELF)`` (the
workers are other processes). Then every standard statistics view is read, through this
checkout's reader (``open_dataset``, which reads both layouts), over each round's two runs:
the same seed, so the same rows.

    python benchmarks/driver.py [--hands 200000] [--workers 2] [--rounds 1] [--before 30a40d5]
        [--after HEAD]

Prints the command, the load average before and after, one line per run and per view, and
ends with ``driver: CPU per hand after/before R, peak MB before B after A, views
shards/file Q``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from views import VIEWS  # the standard statistics views (this script's folder is on sys.path)

ROOT = Path(__file__).parents[1]

# Runs in a fresh interpreter whose sim package is the variant's.
PLAY = """
import json, resource, sys, time
from pathlib import Path
import sim
from sim.run import run
from sim.runner import RunSettings
hands, workers, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
run(RunSettings(seed=1, hands=hands), out, workers, "benchmarks/driver.py")
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "wall_s": wall, "package": sim.__file__}))
"""


def unpack(revision: str, folder: Path) -> Path:
    """The package at ``revision``, from git, under ``folder``."""
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "sim"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def play(source: Path, hands: int, workers: int, out: Path) -> dict[str, float | str]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, "-c", PLAY, str(hands), str(workers), str(out)],
                          capture_output=True, text=True, env=env, cwd=source)
    if done.returncode != 0:
        raise SystemExit(f"the run from {source} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    assert str(result["package"]).startswith(str(source)), result  # the variant's package
    return result


def view_seconds(folder: Path, view: str) -> float:
    """The best of three full reads of ``view`` over the run in ``folder``."""
    from sim.store.dataset import open_dataset

    con = open_dataset([folder])
    try:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            con.execute(f"SELECT * FROM {view}").fetchall()
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hands", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", default="30a40d5")
    parser.add_argument("--after", default="HEAD")
    args = parser.parse_args()
    print(f"reproduce: python benchmarks/driver.py --hands {args.hands} --workers "
          f"{args.workers} --rounds {args.rounds} --before {args.before} --after {args.after}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runs: dict[str, list[dict[str, float | str]]] = {"before": [], "after": []}
    views: dict[str, list[float]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {name: unpack(revision, Path(tmp) / f"{name}-package")
                   for name, revision in (("before", args.before), ("after", args.after))}
        for round_no in range(1, args.rounds + 1):
            outs = {}
            for name, source in sources.items():
                outs[name] = Path(tmp) / f"{name}-{round_no}"
                result = play(source, args.hands, args.workers, outs[name])
                runs[name].append(result)
                print(f"round {round_no} {name}: main process {result['cpu_s']:.1f} s CPU "
                      f"({1e6 * float(result['cpu_s']) / args.hands:.0f} us a hand), peak "
                      f"{result['peak_mb']:.0f} MB, {result['wall_s']:.0f} s wall "
                      f"({args.hands / float(result['wall_s']):,.0f} hands/s)", flush=True)
            for view in VIEWS:
                file_s, shards_s = (view_seconds(outs[n], view) for n in ("before", "after"))
                views["before"].append(file_s)
                views["after"].append(shards_s)
                print(f"round {round_no} view {view}: one file {1000 * file_s:.0f} ms, "
                      f"shards {1000 * shards_s:.0f} ms ({shards_s / file_s:.2f}x)", flush=True)
            sizes = {n: sum(p.stat().st_size for p in outs[n].rglob("*") if p.is_file())
                     for n in outs}
            print(f"round {round_no} folder: one file {sizes['before'] / 1e6:.1f} MB, "
                  f"shards and bookkeeping {sizes['after'] / 1e6:.1f} MB")
            for out in outs.values():
                shutil.rmtree(out)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def median(name: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[name])

    ratio = median("after", "cpu_s") / median("before", "cpu_s")
    print(f"driver: CPU per hand after/before {ratio:.3f}, peak MB before "
          f"{median('before', 'peak_mb'):.0f} after {median('after', 'peak_mb'):.0f}, views "
          f"shards/file {sum(views['after']) / sum(views['before']):.2f}")


if __name__ == "__main__":
    main()
