"""``sim export``: runs as one Parquet dataset, Hive-partitioned by run.

    >>> export_parquet([Path("runs/a"), Path("runs/b")], Path("data"))
    {'runs': 2, 'tables': 200, 'hands': 40000, ...}

writes ``data/TABLE/run_id=NAME/data_0.parquet`` for each of the store's seven tables.
Exporting a run again replaces its partitions; other runs' partitions stay. DuckDB
(``read_parquet('data/hands/*/*.parquet', hive_partitioning = true)``), pyarrow, pandas
and Spark read it as it is, and ``sim query data "..."`` too.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from sim.store.dataset import TABLES, open_dataset


def export_parquet(paths: Sequence[Path], out: Path) -> dict[str, int]:
    """Write every table of the runs in ``paths`` under ``out``; returns rows per table."""
    con = open_dataset(paths)
    try:
        run_ids = [name for name, in con.execute("SELECT run_id FROM runs").fetchall()]
        written = {}
        for table in TABLES:
            folder = out / table
            for run_id in run_ids:
                shutil.rmtree(folder / f"run_id={run_id}", ignore_errors=True)
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row is not None
            written[table] = int(row[0])
            if written[table]:
                folder.mkdir(parents=True, exist_ok=True)
                target = str(folder).replace("'", "''")
                con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' (FORMAT parquet, "
                            "PARTITION_BY (run_id), OVERWRITE_OR_IGNORE true)")
        return written
    finally:
        con.close()
