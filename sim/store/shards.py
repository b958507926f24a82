"""A run's hand rows as Parquet shards that the workers write: ``runs/NAME/shards/``.

Each finished task writes its tables' rows of ``hands``, ``actions`` and ``results``, one
Parquet file each (zstd), Hive-partitioned by table range, and then its journal, the
task's records without their rows (what the run's bookkeeping is rebuilt from):

    shards/hands/table_block=0/task-0000000-0000007-1a2b3c4d.parquet
    shards/actions/table_block=0/task-0000000-0000007-1a2b3c4d.parquet
    shards/results/table_block=0/task-0000000-0000007-1a2b3c4d.parquet
    shards/tasks/table_block=0/task-0000000-0000007-1a2b3c4d.json

Every file is written under a temporary name in its folder and renamed when complete, the
journal last: a killed worker leaves no half-written file visible, and a journal means
its three row files are whole. The run's bookkeeping (``stats.duckdb``, table
``shards``) lists the shards the run stored; readers read those and no other
(``shard_files``), so a shard a dead worker renamed before its task came back (its tables
played again elsewhere) is never read twice. ``--resume`` rebuilds the bookkeeping of
the shards whose journal exists but which the run never listed (the main process was
killed) and removes the rest (``recover``).

A shard holds the row types of ``sim.store.schema`` as they are, without ``run_id``: a run
folder is one run, and readers add it (``sim.store.dataset``).
"""

from __future__ import annotations

import json
import os
import uuid
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from sim.runner.record import TableRecord, from_json, to_json
from sim.store.schema import ROW_TYPES, arrow_schema

FOLDER: Final = "shards"  # in the run's folder
ROW_TABLES: Final = tuple(ROW_TYPES)  # hands, actions, results
JOURNALS: Final = "tasks"
TABLES_PER_BLOCK: Final = 1000  # the table range of one Hive partition (table_block=N)
TEMPORARY: Final = ".tmp-"  # the prefix of a file being written


def shard_name(table_ids: Sequence[int]) -> str:
    """The shard of a task that played ``table_ids`` (its partition, then its name): the
    same tables give the same name, so a task a backend plays twice replaces its files.

        >>> shard_name([8, 9, 10])
        'table_block=0/task-0000008-0000010-012ad9d7'
    """
    assert table_ids, "a shard holds at least one table"
    first, last = min(table_ids), max(table_ids)
    crc = zlib.crc32(",".join(map(str, sorted(table_ids))).encode())
    return f"table_block={first // TABLES_PER_BLOCK}/task-{first:07d}-{last:07d}-{crc:08x}"


def write_shard(folder: Path, records: Sequence[TableRecord],
                rows: Mapping[str, Sequence[pa.Table]]) -> str:
    """Write a task's rows (``rows[table]``: one Arrow table per record) and then its
    journal into ``folder`` (the run's ``shards``); returns the shard's name."""
    name = shard_name([record.table_id for record in records])
    for table in ROW_TABLES:
        _write_atomically(folder / table / f"{name}.parquet",
                          lambda path, table=table: pq.write_table(
                              pa.concat_tables(rows[table]) if rows[table]
                              else arrow_schema(table).empty_table(),
                              path, compression="zstd"))
    journal = json.dumps([to_json(record) for record in records])
    _write_atomically(folder / JOURNALS / f"{name}.json",
                      lambda path: path.write_text(journal))
    return name


def _write_atomically(target: Path, write: object) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{TEMPORARY}{uuid.uuid4().hex}-{target.name}")
    try:
        write(temporary)  # type: ignore[operator]
        os.replace(temporary, target)  # atomic on one file system
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def shard_files(folder: Path, names: Sequence[str], table: str) -> list[Path]:
    """The files of table ``table`` of the shards ``names`` in ``folder``."""
    assert table in ROW_TABLES, table
    return [folder / table / f"{name}.parquet" for name in sorted(names)]


def journals(folder: Path) -> Iterator[tuple[str, list[TableRecord]]]:
    """Every shard whose journal is in ``folder``, with its records, in name order."""
    base = folder / JOURNALS
    for path in sorted(base.glob("table_block=*/task-*.json")):
        name = str(path.relative_to(base).with_suffix(""))
        yield name, [from_json(data) for data in json.loads(path.read_text())]


def remove(folder: Path, name: str) -> None:
    """Remove shard ``name`` from ``folder``: its journal first (it says the rest is whole)."""
    (folder / JOURNALS / f"{name}.json").unlink(missing_ok=True)
    for table in ROW_TABLES:
        (folder / table / f"{name}.parquet").unlink(missing_ok=True)


def unjournaled(folder: Path) -> list[Path]:
    """Files no journal vouches for: temporary ones, and row files of a task that died
    before its journal was written."""
    vouched = {name for name, _ in _journal_names(folder)}
    found = []
    for table in (*ROW_TABLES, JOURNALS):
        for path in sorted((folder / table).glob("table_block=*/*")):
            name = f"{path.parent.name}/{path.name.split('.')[0]}"
            if path.name.startswith(TEMPORARY) or name not in vouched:
                found.append(path)
    return found


def _journal_names(folder: Path) -> Iterator[tuple[str, Path]]:
    base = folder / JOURNALS
    for path in base.glob("table_block=*/task-*.json"):
        yield str(path.relative_to(base).with_suffix("")), path


def sweep(folder: Path, listed: set[str]) -> int:
    """Remove from ``folder`` every shard the run did not list and every file no journal
    vouches for (call it when no worker is writing); returns the files removed."""
    removed = 0
    for name, _ in list(_journal_names(folder)):
        if name not in listed:
            remove(folder, name)
            removed += 1
    for path in unjournaled(folder):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def recover(folder: Path, listed: set[str], stored: set[int]
            ) -> tuple[list[tuple[str, list[TableRecord]]], list[str]]:
    """What ``--resume`` does with the shards in ``folder``: the shards to adopt (journaled,
    unlisted, none of their tables in ``stored``, nor in an earlier one adopted) with their
    records, and the shards to remove (unlisted, and some table already stored)."""
    adopt: list[tuple[str, list[TableRecord]]] = []
    drop: list[str] = []
    taken = set(stored)
    for name, records in journals(folder):
        if name in listed:
            continue
        tables = {record.table_id for record in records}
        if tables & taken:
            drop.append(name)
        else:
            adopt.append((name, records))
            taken |= tables
    return adopt, drop
