"""The statistics views over a run's shards against the same rows in one DuckDB file.

Takes a run folder that `sim run` wrote (shards and bookkeeping) and makes, in a temporary
folder, its twin with the hand rows in ``stats.duckdb`` (the layout before the shards;
``open_dataset`` reads both), checked to hold the same content (``sim.store.digest``).
``--regroup N``: also the same rows rewritten as shards of N tables each (what a run whose
tasks held N tables would have stored), to see what the shards' size does; ``--also RUN``:
other runs of the same seed as they were stored (an older task size, say), checked to
hold the same content too. Then every
standard view is read whole (``SELECT *``, fetched into Python) through this checkout's
reader, once per layout per round, the layouts one after the other in each round so the
machine's load falls on all; each figure is the median of the rounds, printed with the
load average (1 minute) over those rounds.

``--copies K``: the run made K times its size first (playing 10,000,000 hands takes this
2-core machine hours): K copies of its tables, each copy's table ids moved past the last
one's (bookkeeping, shards and rows; one file per shard as the run wrote them, so the
files are those a run K times the size would lay out); every layout is then made from
that, and checked by the row counts rather than the digest (which hashes every row in
Python).

    sim run --hands 200000 --seed 1 --workers 2 --out runs/v200k
    python benchmarks/views.py runs/v200k [--rounds 5] [--regroup 64 250] [--also runs/old]
    python benchmarks/views.py runs/v1m --copies 10 --rounds 3     # 10,000,000 hands
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from sim.store.dataset import open_dataset  # noqa: E402
from sim.store.digest import digest  # noqa: E402
from sim.store.schema import arrow_schema  # noqa: E402
from sim.store.shards import FOLDER, ROW_TABLES, shard_files, shard_name  # noqa: E402
from sim.store.writer import ROWS_DDL  # noqa: E402

VIEWS = ("bot_stats", "position_stats", "hand_class_stats", "table_results", "player_hands")
# With --copies: player_hands is left out (its result is a row per player and hand, tens of
# millions of Python tuples: the fetch, not the read, would be measured, in gigabytes).
GROUPED = VIEWS[:4]


def listed(run: Path) -> dict[str, list[int]]:
    """The run's shards, each with its tables."""
    con = duckdb.connect(str(run / "stats.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT shard, table_id FROM shards ORDER BY ALL").fetchall()
    finally:
        con.close()
    shards: dict[str, list[int]] = {}
    for shard, table_id in rows:
        shards.setdefault(shard, []).append(table_id)
    return shards


def one_file(run: Path, out: Path) -> Path:
    """``run``'s twin with its hand rows inside stats.duckdb, in the order of its shards."""
    out.mkdir()
    shutil.copy(run / "stats.duckdb", out / "stats.duckdb")
    names = sorted(listed(run))
    run_id = run.name
    con = duckdb.connect(str(out / "stats.duckdb"))
    try:
        con.execute(ROWS_DDL)
        for table in ROW_TABLES:
            files = [str(f) for f in shard_files(run / FOLDER, names, table)]
            con.execute(f"INSERT INTO {table} BY NAME SELECT ? AS run_id, * FROM "
                        "read_parquet(?, hive_partitioning = false)", [run_id, files])
        con.execute("DELETE FROM shards")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return out


def regrouped(run: Path, out: Path, tables_per_shard: int) -> Path:
    """``run``'s twin with the same rows as shards of ``tables_per_shard`` tables each,
    written as the workers write them (pyarrow, the shards' schema, zstd)."""
    out.mkdir()
    shutil.copy(run / "stats.duckdb", out / "stats.duckdb")
    shards = listed(run)
    tables = sorted(t for ids in shards.values() for t in ids)
    groups = [tables[start:start + tables_per_shard]
              for start in range(0, len(tables), tables_per_shard)]
    con = duckdb.connect(str(out / "stats.duckdb"))
    try:
        run_id = con.execute("SELECT run_id FROM runs").fetchall()[0][0]
        con.execute("DELETE FROM shards")
        for group in groups:
            con.executemany("INSERT INTO shards VALUES (?, ?, ?)",
                            [[run_id, table_id, shard_name(group)] for table_id in group])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    for table in ROW_TABLES:
        rows = pa.concat_tables(pq.read_table(f, schema=arrow_schema(table))
                                for f in shard_files(run / FOLDER, sorted(shards), table))
        # Sorted by table once (stable: each table's rows keep their order), then sliced.
        rows = rows.take(pc.sort_indices(rows, [("table_id", "ascending")]))
        ids = rows["table_id"].to_numpy()
        for group in groups:
            start = int(np.searchsorted(ids, group[0], side="left"))
            end = int(np.searchsorted(ids, group[-1], side="right"))
            target = out / FOLDER / table / f"{shard_name(group)}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(rows.slice(start, end - start), target, compression="zstd")
        del rows
    return out


def copied(run: Path, copies: int, out: Path) -> Path:
    """``run`` with its tables ``copies`` times over (see ``--copies``), in ``out``."""
    out.mkdir(parents=True)
    shutil.copy(run / "stats.duckdb", out / "stats.duckdb")
    shards = listed(run)
    count = max(t for ids in shards.values() for t in ids) + 1
    names = {(k, shard): shard_name([t + k * count for t in ids])
             for shard, ids in shards.items() for k in range(copies)}
    con = duckdb.connect(str(out / "stats.duckdb"))
    try:
        con.execute("BEGIN")
        for k in range(1, copies):
            for table in ("tables", "coverage", "counters", "failures"):
                con.execute(f"INSERT INTO {table} SELECT * REPLACE (table_id + {k * count} AS "
                            f"table_id) FROM {table} WHERE table_id < {count}")
            con.executemany("INSERT INTO shards SELECT run_id, table_id + ?, ? FROM shards "
                            "WHERE shard = ?",
                            [[k * count, names[k, shard], shard] for shard in shards])
        con.execute("COMMIT")
    finally:
        con.close()
    for table in ROW_TABLES:
        for shard in shards:
            rows = pq.read_table(run / FOLDER / table / f"{shard}.parquet",
                                 schema=arrow_schema(table))
            column = rows.schema.get_field_index("table_id")
            for k in range(copies):
                moved = rows.set_column(column, "table_id", pc.add(
                    rows["table_id"], pa.scalar(k * count, rows["table_id"].type)))
                target = out / FOLDER / table / f"{names[k, shard]}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(moved, target, compression="zstd")
    return out


def counts(folder: Path) -> list[int]:
    con = open_dataset([folder])
    try:
        return [con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in (*ROW_TABLES, "tables")]
    finally:
        con.close()


def read_seconds(folder: Path, view: str) -> float:
    con = open_dataset([folder])
    try:
        started = time.perf_counter()
        con.execute(f"SELECT * FROM {view}").fetchall()
        return time.perf_counter() - started
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--regroup", type=int, nargs="*", default=[])
    parser.add_argument("--also", type=Path, nargs="*", default=[])
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    regroup = " ".join(map(str, args.regroup))
    also = " ".join(map(str, args.also))
    print(f"reproduce: python benchmarks/views.py {args.run} --rounds {args.rounds}"
          + (f" --regroup {regroup}" if regroup else "") + (f" --also {also}" if also else "")
          + (f" --copies {args.copies}" if args.copies > 1 else ""))
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies > 1:
            args.run = copied(args.run, args.copies, Path(tmp) / "copied" / args.run.name)
        measure(args, Path(tmp))


def measure(args: argparse.Namespace, tmp: Path) -> None:
    for run in (args.run, *args.also):
        shards = listed(run)
        hands = sum(f.metadata.num_rows for f in map(pq.ParquetFile, shard_files(
            run / FOLDER, sorted(shards), "hands")))
        print(f"{run}: {hands:,} hands in {len(shards)} shards "
              f"({hands / len(shards):,.0f} hands a shard)")
    layouts = {"one file": one_file(args.run, tmp / args.run.name),
               f"shards of {args.run}": args.run}
    for run in args.also:
        layouts[f"shards of {run}"] = run
    for n in args.regroup:
        (tmp / f"g{n}").mkdir()
        layouts[f"shards of {n} tables"] = regrouped(args.run, tmp / f"g{n}" /
                                                     args.run.name, n)
    same = digest if args.copies == 1 else counts
    expected = same(args.run)
    for name, folder in layouts.items():
        assert same(folder) == expected, f"{name}: not the same content"
    views = VIEWS if args.copies == 1 else GROUPED
    times: dict[tuple[str, str], list[float]] = {}
    loads = []
    for _ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for view in views:
            for name, folder in layouts.items():
                times.setdefault((name, view), []).append(read_seconds(folder, view))
    load = f"load {min(loads):.2f} to {max(loads):.2f}"
    for view in (*views, "all"):
        figures = []
        for name in layouts:
            if view == "all":
                median = statistics.median(sum(times[name, v][r] for v in views)
                                           for r in range(args.rounds))
            else:
                median = statistics.median(times[name, view])
            figures.append((name, median))
        base = figures[0][1]
        print(f"{view:>16}: " + ", ".join(f"{name} {1000 * s:,.0f} ms ({s / base:.2f}x)"
                                           for name, s in figures) + f"; {load}")


if __name__ == "__main__":
    main()
