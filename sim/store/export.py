"""``sim export``: runs as one Parquet dataset, Hive-partitioned by run.

    >>> export_parquet([Path("runs/a"), Path("runs/b")], Path("data"))
    {'runs': 2, 'tables': 200, 'hands': 40000, ...}

writes ``data/TABLE/run_id=NAME/data_0.parquet`` for each of the store's tables
(``sim.store.dataset.TABLES``), an empty file where a run has no rows, so every table of
every run is there to query. Exporting a run again replaces its partitions; other runs'
partitions stay. DuckDB (``read_parquet('data/hands/*/*.parquet', hive_partitioning =
true)``), pyarrow, pandas and Spark read it as it is, and ``sim query data "..."`` too.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from sim.store.dataset import TABLES, open_dataset


def export_parquet(paths: Sequence[Path], out: Path) -> dict[str, int]:
    """Write every table of the runs in ``paths`` under ``out``; returns rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    con = open_dataset(paths, write_to=out)
    try:
        run_ids = sorted({name for name, in con.execute("SELECT run_id FROM runs").fetchall()})
        written = {}
        for table in TABLES:
            folder = out / table
            for run_id in run_ids:
                shutil.rmtree(folder / partition(run_id), ignore_errors=True)
            stored = dict(con.execute(f"SELECT run_id, count(*) FROM {table} GROUP BY ALL")
                          .fetchall())
            written[table] = sum(stored.values())
            folder.mkdir(parents=True, exist_ok=True)
            if written[table]:
                con.execute(f"COPY (SELECT * FROM {table}) TO '{_quoted(folder)}' (FORMAT "
                            "parquet, PARTITION_BY (run_id), OVERWRITE_OR_IGNORE true)")
            for run_id in run_ids:
                if not stored.get(run_id):  # an empty file: the table exists for this run
                    (folder / partition(run_id)).mkdir()
                    con.execute(f"COPY (SELECT * EXCLUDE (run_id) FROM {table} LIMIT 0) TO "
                                f"'{_quoted(folder / partition(run_id) / 'data_0.parquet')}' "
                                "(FORMAT parquet)")
        return written
    finally:
        con.close()


def partition(run_id: str) -> str:
    """The folder of ``run_id``'s rows: ``run_id=NAME``, NAME percent-encoded as DuckDB
    writes it."""
    return f"run_id={quote(run_id, safe='')}"


def _quoted(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
