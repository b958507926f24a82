"""The per-run DuckDB store: ``runs/NAME/stats.duckdb``.

Every table is keyed the same way: ``run_id``, ``table_id``, ``hand_no`` and ``seat`` where a
row is per player. Workers turn their rows into Arrow tables (column by column, in the
worker, so the conversion runs in parallel); one writer in the main process inserts each
finished table's rows in a single transaction, so a killed run leaves whole tables only,
and ``--resume`` replays exactly the tables that are missing. The columns are documented
in README.md ("The DuckDB store"); ``SCHEMA`` below is the source of truth.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

# (column, DuckDB type, Arrow type) per table. Order matters: rows are tuples in this order
# (without run_id, which the writer adds).
SCHEMA: dict[str, list[tuple[str, str, pa.DataType]]] = {
    "hands": [
        ("table_id", "INTEGER", pa.int32()), ("hand_no", "INTEGER", pa.int32()),
        ("hand_seed", "UBIGINT", pa.uint64()), ("players", "TINYINT", pa.int8()),
        ("button", "TINYINT", pa.int8()), ("small_blind_seat", "TINYINT", pa.int8()),
        ("big_blind_seat", "TINYINT", pa.int8()), ("board", "VARCHAR", pa.string()),
        ("pot", "BIGINT", pa.int64()), ("pots", "TINYINT", pa.int8()),
        ("winners", "VARCHAR", pa.string()), ("showdown", "BOOLEAN", pa.bool_()),
        ("actions", "INTEGER", pa.int32()), ("last_street", "VARCHAR", pa.string()),
    ],
    "actions": [
        ("table_id", "INTEGER", pa.int32()), ("hand_no", "INTEGER", pa.int32()),
        ("seq", "INTEGER", pa.int32()), ("seat", "TINYINT", pa.int8()),
        ("action", "VARCHAR", pa.string()), ("amount", "BIGINT", pa.int64()),
        ("street", "VARCHAR", pa.string()), ("pot_before", "BIGINT", pa.int64()),
        ("legal_count", "TINYINT", pa.int8()), ("bot", "VARCHAR", pa.string()),
        ("player", "VARCHAR", pa.string()),
    ],
    "results": [
        ("table_id", "INTEGER", pa.int32()), ("hand_no", "INTEGER", pa.int32()),
        ("seat", "TINYINT", pa.int8()), ("player", "VARCHAR", pa.string()),
        ("bot", "VARCHAR", pa.string()), ("start_stack", "BIGINT", pa.int64()),
        ("final_stack", "BIGINT", pa.int64()), ("net", "BIGINT", pa.int64()),
        ("showed_down", "BOOLEAN", pa.bool_()), ("won", "BIGINT", pa.int64()),
    ],
}

DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, seed UBIGINT, hands_requested BIGINT, hands_per_table INTEGER,
    workers INTEGER, planted_bugs VARCHAR[], invariants VARCHAR[], only_table INTEGER,
    engine_version VARCHAR,
    harness_version VARCHAR, command VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
    status VARCHAR, hands BIGINT, tables INTEGER, failures INTEGER, seconds DOUBLE,
    hands_per_s DOUBLE);
CREATE TABLE IF NOT EXISTS tables (
    run_id VARCHAR, table_id INTEGER, table_seed UBIGINT, seats TINYINT, small_blind BIGINT,
    big_blind BIGINT, ante BIGINT, min_buy_in BIGINT, max_buy_in BIGINT, bots VARCHAR,
    bot_kinds VARCHAR[], opening VARCHAR, hands_planned INTEGER, hands_played INTEGER,
    dispatches INTEGER, checks BIGINT, rejected INTEGER, stalled BOOLEAN, failed BOOLEAN,
    seconds DOUBLE, peak_rss_mb DOUBLE, PRIMARY KEY (run_id, table_id));
CREATE TABLE IF NOT EXISTS failures (
    run_id VARCHAR, table_id INTEGER, hand_no INTEGER, invariant VARCHAR, message VARCHAR,
    planted_bugs VARCHAR[], dump_path VARCHAR, replay_command VARCHAR);
CREATE TABLE IF NOT EXISTS coverage (
    run_id VARCHAR, table_id INTEGER, point VARCHAR, hits BIGINT);
""" + "".join(
    f"CREATE TABLE IF NOT EXISTS {name} (run_id VARCHAR, "
    + ", ".join(f"{column} {kind}" for column, kind, _ in columns) + ");\n"
    for name, columns in SCHEMA.items())


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema([(column, kind) for column, _, kind in SCHEMA[name]])


def to_arrow(name: str, rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    """Rows (tuples in SCHEMA order) to an Arrow table, converted column by column."""
    schema = arrow_schema(name)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(col, type=field.type) for col, field in zip(columns, schema,
                                                                            strict=True)],
                    schema=schema)


@dataclass(slots=True)
class TableRecord:
    """One finished table, ready for the writer: its settings, counters, rows and findings."""

    table_id: int
    table_seed: int
    config: dict[str, int]
    bots: dict[int, str]
    opening: dict[int, tuple[str, int]]
    hands_planned: int
    hands_played: int
    dispatches: int
    checks: int
    rejected: int
    stalled: bool
    seconds: float
    coverage: dict[str, int]
    failure: dict[str, Any] | None  # invariant, message, hand_no, dump_path, planted
    arrow: dict[str, pa.Table]
    peak_rss_mb: float | None = None  # the worker's peak memory when the table finished
    # The failure dump's JSON, on its way from a worker that could not write it into the
    # run folder (see sim.backends.dumps); never stored in the database.
    dump: str | None = None


class Store:
    """The single writer of one run's DuckDB file.

    >>> with Store(Path("runs/x/stats.duckdb")) as store:
    ...     store.start_run(run_id, settings, workers, command)
    ...     store.write_table(record)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One thread: the writer shares the machine with the workers, and a second DuckDB
        # thread cost it 30% more CPU per batch. A 256 MiB WAL before each checkpoint (the
        # default is 16 MiB) makes a commit cheaper; a killed run's WAL is replayed when the
        # file is next opened, so committed batches stay committed either way.
        self.con = duckdb.connect(str(self.path), config={
            "threads": 1, "checkpoint_threshold": "256MiB"})
        self.con.execute(DDL)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- runs -------------------------------------------------------------------------------
    def start_run(self, run_id: str, seed: int, hands: int, hands_per_table: int, workers: int,
                  planted: Iterable[str], invariants: Iterable[str] | None, command: str,
                  engine_version: str, harness_version: str,
                  only_table: int | None = None) -> None:
        self.con.execute(
            "INSERT INTO runs (run_id, seed, hands_requested, hands_per_table, workers, "
            "planted_bugs, invariants, only_table, engine_version, harness_version, command, "
            "started_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
            [run_id, seed, hands, hands_per_table, workers, list(planted),
             list(invariants) if invariants is not None else None, only_table,
             engine_version, harness_version, command, _now()])

    def run_row(self) -> dict[str, Any] | None:
        cursor = self.con.execute("SELECT * FROM runs ORDER BY started_at LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        return dict(zip(names, row, strict=True))

    def finish_run(self, run_id: str, status: str, seconds: float, workers: int) -> None:
        totals = self.con.execute(
            "SELECT (SELECT count(*) FROM hands WHERE run_id = $r), "
            "(SELECT count(*) FROM tables WHERE run_id = $r), "
            "(SELECT count(*) FROM failures WHERE run_id = $r)", {"r": run_id}).fetchone()
        assert totals is not None
        hands, tables, failures = totals
        self.con.execute(
            "UPDATE runs SET ended_at = ?, status = ?, hands = ?, tables = ?, failures = ?, "
            "seconds = coalesce(seconds, 0) + ?, workers = ?, "
            "hands_per_s = ? / nullif(coalesce(seconds, 0) + ?, 0) WHERE run_id = ?",
            [_now(), status, hands, tables, failures, seconds, workers, hands, seconds, run_id])

    def done_tables(self, run_id: str) -> set[int]:
        rows = self.con.execute("SELECT table_id FROM tables WHERE run_id = ?", [run_id])
        return {row[0] for row in rows.fetchall()}

    # -- tables -----------------------------------------------------------------------------
    def write_table(self, run_id: str, record: TableRecord) -> None:
        self.write_tables(run_id, [record])

    def write_tables(self, run_id: str, records: Sequence[TableRecord]) -> None:
        """Finished tables in one transaction: all of them land, or none of them.

        Batching several tables per transaction keeps the writer cheap (a commit costs
        milliseconds; a table's rows take microseconds to insert)."""
        if not records:
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._insert(run_id, "tables", _tables_arrow(records))
            for name in SCHEMA:
                self._insert(run_id, name, pa.concat_tables([r.arrow[name] for r in records]))
            self._insert(run_id, "coverage", pa.table({
                "table_id": pa.array([r.table_id for r in records for _ in r.coverage],
                                     pa.int32()),
                "point": pa.array([p for r in records for p in r.coverage], pa.string()),
                "hits": pa.array([h for r in records for h in r.coverage.values()],
                                 pa.int64())}))
            failed = [r for r in records if r.failure is not None]
            if failed:
                con.executemany("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [[run_id, r.table_id, r.failure["hand_no"],
                                  r.failure["invariant"], r.failure["message"],
                                  list(r.failure["planted"]), r.failure["dump_path"],
                                  r.failure["replay_command"]]
                                 for r in failed if r.failure is not None])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            try:
                con.unregister("batch")
            except duckdb.Error:
                pass  # nothing was registered
            raise

    def _insert(self, run_id: str, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.con.register("batch", table)
            # No finally: after a failed INSERT the transaction is aborted and unregister
            # would raise, hiding the real error; write_tables unregisters after ROLLBACK.
            self.con.execute(f"INSERT INTO {name} SELECT ?, * FROM batch", [run_id])
            self.con.unregister("batch")


def content_digest(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{"hands": "ROWS:SUM", "actions": ..., "results": ...}`` of a run's store: the row
    count and the sum of the rows' hashes (run_id left out), whatever order the rows were
    stored in; a row stored twice, or one changed, changes it. Two runs of one seed on any
    backend and any number of workers give the same digest (DuckDB's hash: compare digests
    made by one DuckDB version)."""
    return {name: str(con.execute(
        f"SELECT count(*) || ':' || coalesce(sum(hash(t)::HUGEINT), 0) "
        f"FROM (SELECT * EXCLUDE (run_id) FROM {name}) t").fetchone()[0])  # type: ignore[index]
        for name in ("hands", "actions", "results")}


def _tables_arrow(records: Sequence[TableRecord]) -> pa.Table:
    def column(values: list[Any], kind: pa.DataType) -> pa.Array:
        return pa.array(values, kind)

    r = records
    c = [x.config for x in r]
    return pa.table([
        column([x.table_id for x in r], pa.int32()),
        column([x.table_seed for x in r], pa.uint64()),
        column([x["seats"] for x in c], pa.int8()),
        column([x["small_blind"] for x in c], pa.int64()),
        column([x["big_blind"] for x in c], pa.int64()),
        column([x["ante"] for x in c], pa.int64()),
        column([x["min_buy_in"] for x in c], pa.int64()),
        column([x["max_buy_in"] for x in c], pa.int64()),
        column([json.dumps({str(k): v for k, v in sorted(x.bots.items())}) for x in r],
               pa.string()),
        column([sorted(set(x.bots.values())) for x in r], pa.list_(pa.string())),
        column([json.dumps({str(k): list(v) for k, v in sorted(x.opening.items())}) for x in r],
               pa.string()),
        column([x.hands_planned for x in r], pa.int32()),
        column([x.hands_played for x in r], pa.int32()),
        column([x.dispatches for x in r], pa.int32()), column([x.checks for x in r], pa.int64()),
        column([x.rejected for x in r], pa.int32()), column([x.stalled for x in r], pa.bool_()),
        column([x.failure is not None for x in r], pa.bool_()),
        column([x.seconds for x in r], pa.float64()),
        column([x.peak_rss_mb for x in r], pa.float64()),
    ], names=["table_id", "table_seed", "seats", "small_blind", "big_blind", "ante",
              "min_buy_in", "max_buy_in", "bots", "bot_kinds", "opening", "hands_planned",
              "hands_played", "dispatches", "checks", "rejected", "stalled", "failed",
              "seconds", "peak_rss_mb"])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
