"""``sim export``: runs as one Parquet dataset, Hive-partitioned by run.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as data:
    ...     written = export_parquet([run], Path(data))
    >>> written["runs"], written["failures"], sorted(written) == sorted(TABLES)
    (1, 0, True)

writes ``data/TABLE/run_id=NAME/data_0.parquet`` for each of the store's tables
(``sim.store.dataset.TABLES``), an empty file where a run has no rows, so every table of
every run is there to query. Exporting a run again replaces its partitions; other runs'
partitions stay. DuckDB (``read_parquet('data/hands/*/*.parquet', hive_partitioning =
true)``), pyarrow, pandas and Spark read it as it is, and ``sim query data "..."`` too.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import duckdb

from sim.store.dataset import TABLES, open_dataset


def export_parquet(paths: Sequence[Path], out: Path) -> dict[str, int]:
    """Write every table of the runs in ``paths`` under ``out``; returns rows per table.
    The files are written beside ``out``'s tables first and moved into place once every
    table is written, so an export that fails (a damaged store) leaves ``out`` as it was."""
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sim-export-", dir=out))
    try:
        con = open_dataset(paths, write_to=staging)
        try:
            run_ids = sorted({name for name, in con.execute("SELECT run_id FROM runs")
                              .fetchall()})
            written = {table: _write_table(con, table, run_ids, staging / table)
                       for table in TABLES}
        finally:
            con.close()
        for table in TABLES:
            for run_id in run_ids:
                target = out / table / partition(run_id)
                shutil.rmtree(target, ignore_errors=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                (staging / table / partition(run_id)).rename(target)
        return written
    except BaseException:
        if made:  # a folder this export made: gone again
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_table(con: duckdb.DuckDBPyConnection, table: str, run_ids: list[str],
                 folder: Path) -> int:
    """Table ``table`` of every run under ``folder``, an empty file for a run without
    rows; returns the rows written."""
    stored = dict(con.execute(f"SELECT run_id, count(*) FROM {table} GROUP BY ALL").fetchall())
    folder.mkdir(parents=True)
    if stored:
        con.execute(f"COPY (SELECT * FROM {table}) TO '{_quoted(folder)}' (FORMAT parquet, "
                    "PARTITION_BY (run_id))")
    for run_id in run_ids:
        if not stored.get(run_id):  # an empty file: the table exists for this run
            (folder / partition(run_id)).mkdir()
            con.execute(f"COPY (SELECT * EXCLUDE (run_id) FROM {table} LIMIT 0) TO "
                        f"'{_quoted(folder / partition(run_id) / 'data_0.parquet')}' "
                        "(FORMAT parquet)")
    return sum(stored.values())


def partition(run_id: str) -> str:
    """The folder of ``run_id``'s rows: ``run_id=NAME``, NAME percent-encoded as DuckDB
    writes it."""
    return f"run_id={quote(run_id, safe='')}"


def _quoted(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")
