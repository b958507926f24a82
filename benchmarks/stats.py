"""Statistics views over a big run: seconds per view, and bytes per hand stored.

Generate the run once (about 3 minutes on 2 idle cores, compiled), then time the views:

    sim run --hands 1e6 --seed 1 --out runs/million
    python benchmarks/stats.py runs/million [--rounds 3]

Each view is read whole (``SELECT * FROM view``, fetched), through the same connection
``sim query`` opens; so is the bootstrap behind ``sim report``'s intervals. Figures are
medians over rounds (the machine is shared and noisy). Then the bytes per hand of the
DuckDB file and of a Parquet export (``sim export``, written to a temporary folder), and
the views read over that export (``sim query`` reads Parquet through pyarrow).
Last line: ``all views: S s``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sim.reports.stats import bb_per_100
from sim.store.dataset import open_dataset
from sim.store.export import export_parquet

VIEWS = ("bot_stats", "position_stats", "hand_class_stats", "table_results", "pot_sizes",
         "hand_lengths")


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    con = open_dataset([args.run])
    hands = con.execute("SELECT count(*) FROM hands").fetchone()[0]  # type: ignore[index]
    print(f"{args.run}: {hands:,} hands; reproduce: python benchmarks/stats.py {args.run} "
          f"--rounds {args.rounds}")
    tasks = {view: (lambda v=view: con.execute(f"SELECT * FROM {v}").fetchall())
             for view in VIEWS}
    tasks["bootstrap by bot"] = lambda: bb_per_100(con, ("bot",))
    tasks["bootstrap by bot, position"] = lambda: bb_per_100(con, ("bot", "position"))
    seconds: dict[str, list[float]] = {name: [] for name in tasks}
    for _ in range(args.rounds):
        for name, task in tasks.items():
            seconds[name].append(timed(task))
    for name, values in seconds.items():
        print(f"{name:<28} {statistics.median(values):6.2f} s")
    stored = folder_bytes(args.run)  # the bookkeeping, the shards (or, before them, one file)
    print(f"bytes per hand: the run's folder {stored / hands:,.0f} ({stored / 2**20:,.0f} MiB)")
    with tempfile.TemporaryDirectory() as folder:
        export_s = timed(lambda: export_parquet([args.run], Path(folder)))
        parquet = folder_bytes(Path(folder))
        exported = open_dataset([Path(folder)])
        over_export = statistics.median(
            sum(timed(lambda v=view: exported.execute(f"SELECT * FROM {v}").fetchall())
                for view in VIEWS) for _ in range(args.rounds))
        exported.close()
    print(f"bytes per hand: Parquet {parquet / hands:,.0f} ({parquet / 2**20:,.0f} MiB, "
          f"exported in {export_s:.1f} s)")
    print(f"all views over the Parquet export: {over_export:.2f} s")
    views = sum(statistics.median(seconds[view]) for view in VIEWS)
    print(f"all views: {views:.2f} s")


if __name__ == "__main__":
    main()
