"""One locked connection over many runs: run folders, folders of runs, or Parquet exports.

Every reader of a run's data opens it here (``sim query``, ``sim report``, ``sim export``,
``sim export-phh``, ``sim replay --hand``), so a question spans experiments the same way
it spans one run: every table keeps ``run_id``, and the statistics views
(``sim.store.views``) group by it.

    >>> con = open_dataset([run])          # runs, folders of runs, `sim export` folders
    >>> con.execute("SELECT count(*) FROM runs").fetchall()
    [(1,)]
    >>> con.execute("COPY hands TO 'hands.csv'")
    Traceback (most recent call last):
    _duckdb.PermissionException: Permission Error: Cannot access file "hands.csv" - ...

Each run's ``stats.duckdb`` is attached read-only, and its hand rows are read in place
from the shards it lists (``sim.store.shards``; runs stored before the shards keep them
in the file); the tables are views that put the runs' rows together (``UNION ALL BY
NAME``) with an empty table of today's columns, so runs stored before a column (or a
table) was added still read, with NULL there. A Parquet export (``sim export``) is read
with its Hive partitions (``run_id=NAME/``).

Once the runs are open the connection is locked (``lock``): DuckDB's external access is
off (no other file read or written, no database attached, no extension installed or
loaded) and its configuration cannot change again. The shards' files are its allowed
paths, exactly those files (never a folder), which DuckDB's Parquet reader reads in place;
but DuckDB lets a statement write an allowed path as well as read it (``COPY ... TO
'<shard>' (USE_TMP_FILE false)`` overwrites it, so does ``EXPLAIN ANALYZE COPY``). So SQL
from a user goes through ``read_only`` first, which runs it only if every statement in it
is a SELECT (a SELECT cannot write: ``query()`` inside one takes a SELECT only), and the
readers' own statements are fixed ones that read. A Parquet export (``sim export``) is
read by pyarrow as Arrow datasets and is not an allowed path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import duckdb

from sim.store.views import create_views

TABLES: Final = ("runs", "tables", "hands", "actions", "results", "failures", "coverage",
                  "counters", "bugs")
# The schema of today's empty tables: each table's view unions it, so every table and
# column exists whatever the runs stored.
EMPTY: Final = "sim_empty"
HEADER_BYTES: Final = 3 * 4096  # a DuckDB file's headers, before its blocks


class Refused(ValueError):
    """SQL from a user holding a statement other than a SELECT: the message names it."""


class NoRuns(ValueError):
    """A path that holds no run, or a run DuckDB cannot open: the message says which and
    what was looked for."""


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


def open_dataset(paths: Sequence[Path], write_to: Path | None = None
                 ) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose tables and views span every run in ``paths``,
    locked. ``write_to``: a folder the connection may also write (``sim export``'s, for
    its own fixed statements; never with SQL from a user)."""
    stores, exports = run_files(paths)
    con = _connect()
    try:
        parts = _empty_tables(con)
        shards: list[str] = []
        for i, path in enumerate(stores):
            _attach(con, path, f"run{i}", parts)
            shards += _register_shards(con, path, f"run{i}", parts)
        for i, folder in enumerate(exports):
            _register_export(con, folder, i, parts)
        for name, selects in parts.items():
            con.execute(f"CREATE VIEW {name} AS " + " UNION ALL BY NAME ".join(selects))
        create_views(con)
        from sim.reports.stats import register_intervals

        register_intervals(con)
        if shards:
            con.execute("SET allowed_paths = ?", [shards])
            # Reading the shards by name (union_by_name) opens each file's footer before the
            # scan opens it again: kept, the second read is free (the files never change).
            con.execute("SET parquet_metadata_cache = true")
        if write_to is not None:
            con.execute("SET allowed_directories = ?", [[str(write_to.resolve())]])
        lock(con)
    except BaseException:
        con.close()
        raise
    return con


def open_for_bugs(path: Path) -> duckdb.DuckDBPyConnection:
    """The run file ``path`` opened to write, locked: what ``sim triage`` keeps its
    ``bugs`` table with. It runs triage's own statements only, never a user's SQL."""
    try:
        con = duckdb.connect(str(path), config=_CONFIG)
    except duckdb.Error as error:
        raise NoRuns(_unreadable(path, error)) from None
    try:
        _checked_tables(con, path, con.execute("SELECT current_database()").fetchall()[0][0])
    except duckdb.Error as error:
        con.close()
        raise NoRuns(_unreadable(path, error)) from None
    except NoRuns:
        con.close()
        raise
    lock(con)
    return con


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """No file, database or extension from now on; and no setting can undo that."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def verify_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise ``Refused`` unless every statement in ``sql`` is a SELECT (``FROM t``,
    ``WITH``, ``VALUES``, ``DESCRIBE``, ``SHOW`` and ``SUMMARIZE`` are SELECTs too); SQL
    that does not parse raises DuckDB's own error."""
    for statement in con.extract_statements(sql):
        if statement.type not in READS:
            kind = statement.type.name.replace("_", " ")
            article = "an" if kind[0] in "AEIOU" else "a"
            raise Refused(f"it holds {article} {kind} statement, and only SELECT statements "
                          "are run (a query reads the runs' own data: it writes no file, "
                          "reads no other, attaches, installs and loads nothing, and changes "
                          "no setting)")


def read_only(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyConnection:
    """Run SQL from a user on a connection ``open_dataset`` opened: every entry of a
    user's SQL comes here, never to ``con.execute`` directly.

        >>> con = open_dataset([run])
        >>> read_only(con, "SELECT count(*) > 0 FROM hands").fetchall()
        [(True,)]
        >>> read_only(con, "COPY hands TO 'hands.csv'")
        Traceback (most recent call last):
        sim.store.dataset.Refused: it holds a COPY statement, and only SELECT statements ...
    """
    verify_read_only(con, sql)
    return con.execute(sql)


def repeated_runs(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Run ids that appear more than once (a run given with its own export): their rows
    count that many times."""
    counts = Counter(run_id for run_id, in con.execute("SELECT run_id FROM runs").fetchall())
    return sorted((run_id, n) for run_id, n in counts.items() if n > 1)


# The statements SQL from a user may hold. EXPLAIN is not one: EXPLAIN ANALYZE runs its
# statement, a COPY too.
READS: Final = frozenset({duckdb.StatementType.SELECT})
# Extensions are never fetched or loaded on their own: a query that needs one fails.
_CONFIG: Final[dict[str, str | bool | int | float | list[str]]] = {
    "autoload_known_extensions": False, "autoinstall_known_extensions": False}


def _connect() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(config=_CONFIG)


def _empty_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    from sim.store.writer import BUGS_DDL, DDL, ROWS_DDL

    con.execute(f"CREATE SCHEMA {EMPTY}")
    con.execute(f"USE memory.{EMPTY}")
    con.execute(DDL + ROWS_DDL + BUGS_DDL)
    con.execute("USE memory.main")
    return {name: [f"SELECT * FROM {EMPTY}.{name}"] for name in TABLES}


def _attach(con: duckdb.DuckDBPyConnection, path: Path, alias: str,
            parts: dict[str, list[str]]) -> None:
    try:
        con.execute(f"ATTACH '{_quoted(path)}' AS {alias} (READ_ONLY)")
        present = _checked_tables(con, path, alias)
    except duckdb.Error as error:
        raise NoRuns(_unreadable(path, error)) from None
    for name in TABLES:
        if name in present:
            parts[name].append(f"SELECT * FROM {alias}.main.{name}")


def _checked_tables(con: duckdb.DuckDBPyConnection, path: Path, alias: str) -> set[str]:
    """The store's tables in the database ``alias``; a file that is not a run's, or is cut
    short, fails here, at the door, not in the middle of a report."""
    present = {name for name, in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?",
        [alias]).fetchall()}
    if "runs" not in present:
        raise NoRuns(f"{path} is a DuckDB file with no runs table, not a run's database; "
                     "give the folder of a run made by `sim run` or `sim fuzz`.")
    # The blocks in use must fit in the file (the free ones need not: a checkpoint after
    # deletes may cut them off the end; counting them called a sound file cut short).
    sizes = con.execute("SELECT block_size * used_blocks FROM pragma_database_size() "
                        "WHERE database_name = ?", [alias]).fetchall()
    needed = HEADER_BYTES + sizes[0][0] if sizes else 0
    if path.stat().st_size < needed:
        raise NoRuns(f"{path} is cut short: {path.stat().st_size:,} bytes of the {needed:,} its "
                     "blocks take; it is damaged (copy it again, or play the run again).")
    return present


def _register_shards(con: duckdb.DuckDBPyConnection, path: Path, alias: str,
                     parts: dict[str, list[str]]) -> list[str]:
    """The hand rows of the run in ``path``'s folder from the shards its bookkeeping lists
    (none for a run stored before the shards), read in place by DuckDB's Parquet reader;
    returns the files, which the connection must be allowed to read (``lock``)."""
    from sim.store.shards import FOLDER, ROW_TABLES, shard_files

    present = con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                          "table_catalog = ? AND table_name = 'shards'", [alias]).fetchall()
    if not present[0][0]:
        return []
    listed = con.execute(f"SELECT DISTINCT s.run_id, s.shard FROM {alias}.main.shards s "
                         "ORDER BY ALL").fetchall()
    allowed: list[str] = []
    for run_id in sorted({run_id for run_id, _ in listed}):
        names = [shard for owner, shard in listed if owner == run_id]
        for table in ROW_TABLES:
            files = [str(f.resolve()) for f in shard_files(path.parent / FOLDER, names, table)]
            missing = [f for f in files if not Path(f).is_file()]
            if missing:
                raise NoRuns(f"{path.parent}: its hand rows cannot be read: {len(missing)} "
                             f"file(s) of the shards it lists are not there (first: "
                             f"{missing[0]}); the run's folder is damaged, or was copied "
                             "in part.")
            # The folders are named table_block=N: no Hive column is wanted from them.
            listing = ", ".join(f"'{_quoted_text(f)}'" for f in files)
            parts[table].append(f"SELECT '{_quoted_text(run_id)}' AS run_id, * FROM "
                                f"read_parquet([{listing}], hive_partitioning = false, "
                                "union_by_name = true)")
            allowed.extend(files)
    return allowed


def _quoted_text(text: str) -> str:
    return text.replace("'", "''")


def _register_export(con: duckdb.DuckDBPyConnection, folder: Path, index: int,
                     parts: dict[str, list[str]]) -> None:
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    partition = pa.schema([("run_id", pa.string())])
    for name in TABLES:
        files = sorted(str(p.resolve()) for p in (folder / name).glob("run_id=*/*.parquet"))
        if not files:
            continue
        try:
            schema = pa.unify_schemas([pq.read_schema(f) for f in files] + [partition],
                                      promote_options="permissive")
            data = ds.dataset(files, schema=schema, format="parquet",
                              partitioning=ds.partitioning(partition, flavor="hive"),
                              partition_base_dir=str((folder / name).resolve()))
        except (OSError, pa.ArrowException) as error:
            raise NoRuns(f"{folder / name} holds a Parquet file pyarrow cannot read: "
                         f"{_first_line(error)}") from None
        view = f"export{index}_{name}"
        con.register(view, data)
        parts[name].append(f"SELECT * FROM {view}")


def _unreadable(path: Path, error: BaseException) -> str:
    return (f"{path} cannot be opened as a run's database ({_first_line(error)}); it may be "
            "damaged, or not a DuckDB file.")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
