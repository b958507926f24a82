"""One connection over many runs: run folders, folders of runs, or a Parquet export.

``sim query`` and ``sim report`` read through this, so a question spans experiments the
same way it spans one run: every table keeps ``run_id``, and the statistics views
(``sim.store.views``) group by it.

    >>> con = open_dataset([Path("runs/a"), Path("runs/b")])     # or Path("runs"), or
    >>> con.sql("SELECT run_id, bot, bb_per_100 FROM bot_stats")  # a `sim export` folder

Each run's ``stats.duckdb`` is attached read-only; the tables are views that put the
runs' rows together (``UNION ALL BY NAME``), so runs stored before a column was added
still read, with NULL there. A Parquet export (``sim export``) is read with its Hive
partitions (``run_id=NAME/``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import duckdb

from sim.store.views import create_views

TABLES: Final = ("runs", "tables", "hands", "actions", "results", "failures", "coverage",
                  "counters", "bugs")


class NoRuns(ValueError):
    """A path that holds no run: the message says what was looked for."""


def run_files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The ``stats.duckdb`` files and the Parquet exports that ``paths`` name."""
    stores: list[Path] = []
    exports: list[Path] = []
    for path in paths:
        if (path / "stats.duckdb").is_file():
            stores.append(path / "stats.duckdb")
        elif (path / "hands").is_dir() and any((path / "hands").glob("run_id=*")):
            exports.append(path)
        elif path.is_dir() and sorted(path.glob("*/stats.duckdb")):
            stores.extend(sorted(path.glob("*/stats.duckdb")))
        else:
            raise NoRuns(f"{path} holds no run: give a run folder (with stats.duckdb), a "
                         "folder of run folders, or a folder written by `sim export`.")
    return stores, exports


def open_dataset(paths: Sequence[Path]) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose tables and views span every run in ``paths``."""
    stores, exports = run_files(paths)
    con = duckdb.connect()
    parts: dict[str, list[str]] = {name: [] for name in TABLES}
    for i, path in enumerate(stores):
        con.execute(f"ATTACH '{_quoted(path)}' AS run{i} (READ_ONLY)")
        present = {name for name, in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?",
            [f"run{i}"]).fetchall()}
        for name in TABLES:
            if name in present:
                parts[name].append(f"SELECT * FROM run{i}.main.{name}")
    for folder in exports:
        for name in TABLES:
            if any((folder / name).glob("run_id=*/*.parquet")):
                parts[name].append(
                    f"SELECT * FROM read_parquet('{_quoted(folder / name)}/*/*.parquet', "
                    "hive_partitioning = true, union_by_name = true)")
    for name, selects in parts.items():
        if selects:
            con.execute(f"CREATE VIEW {name} AS " + " UNION ALL BY NAME ".join(selects))
    try:
        create_views(con)
    except duckdb.Error:
        pass  # runs stored before the statistics' columns existed: the tables still read
    return con


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
