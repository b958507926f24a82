"""A run's bookkeeping: ``runs/NAME/stats.duckdb``, and its single writer.

Every table is keyed the same way: ``run_id``, ``table_id``, ``hand_no`` and ``seat`` where a
row is per player. The hand rows (``hands``, ``actions``, ``results``) are not here: the
workers write them as Parquet shards beside it (``sim.store.shards``). This file keeps
the run, its tables' summaries, failures, coverage and counters, and which shard holds
each table's rows; one writer in the main process stores each batch of finished tables in
a single transaction, so a killed run leaves whole tables only, and ``--resume``
replays exactly the tables that are missing. The columns are documented in README.md
("The DuckDB store"); ``sim.store.schema`` defines the rows of hands, actions and
results (``ROWS_DDL``), the DDL below the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sim.finding import Finding
from sim.runner.record import TableRecord
from sim.store.schema import SCHEMA, ddl

DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, seed UBIGINT, hands_requested BIGINT, hands_per_table INTEGER,
    workers INTEGER, planted_bugs VARCHAR[], invariants VARCHAR[], only_table INTEGER,
    engine_version VARCHAR,
    harness_version VARCHAR, command VARCHAR, started_at TIMESTAMP, ended_at TIMESTAMP,
    status VARCHAR, hands BIGINT, tables INTEGER, failures INTEGER, seconds DOUBLE,
    hands_per_s DOUBLE, config VARCHAR, hand_timeout_s DOUBLE, stored_hands VARCHAR);
CREATE TABLE IF NOT EXISTS tables (
    run_id VARCHAR, table_id INTEGER, table_seed UBIGINT, seats TINYINT, small_blind BIGINT,
    big_blind BIGINT, ante BIGINT, min_buy_in BIGINT, max_buy_in BIGINT, bots VARCHAR,
    bot_kinds VARCHAR[], opening VARCHAR, hands_planned INTEGER, hands_played INTEGER,
    dispatches INTEGER, checks BIGINT, rejected INTEGER, stalled BOOLEAN, failed BOOLEAN,
    seconds DOUBLE, peak_rss_mb DOUBLE, PRIMARY KEY (run_id, table_id));
CREATE TABLE IF NOT EXISTS failures (
    run_id VARCHAR, table_id INTEGER, hand_no INTEGER, invariant VARCHAR, message VARCHAR,
    planted_bugs VARCHAR[], dump_path VARCHAR, replay_command VARCHAR, kind VARCHAR,
    dispatch INTEGER, signature VARCHAR);
CREATE TABLE IF NOT EXISTS coverage (
    run_id VARCHAR, table_id INTEGER, point VARCHAR, hits BIGINT);
CREATE TABLE IF NOT EXISTS counters (
    run_id VARCHAR, table_id INTEGER, name VARCHAR, count BIGINT);
-- Which shard holds each table's hand rows (sim.store.shards): what readers read.
CREATE TABLE IF NOT EXISTS shards (
    run_id VARCHAR, table_id INTEGER, shard VARCHAR);
-- Runs stored before a run said which hands it stored (all of them, then):
ALTER TABLE runs ADD COLUMN IF NOT EXISTS stored_hands VARCHAR;
"""
# The hand rows' tables: in the shards, and in the files of runs stored before them.
ROWS_DDL = "".join(ddl(name) for name in SCHEMA)

# Filled by triage (sim.failures.triage) after the run, one row per failure signature.
BUGS_DDL = """
CREATE TABLE IF NOT EXISTS bugs (
    run_id VARCHAR, signature VARCHAR, kind VARCHAR, invariant VARCHAR, message VARCHAR,
    failures INTEGER, first_table INTEGER, first_hand INTEGER, dump_path VARCHAR,
    shrunk_path VARCHAR, players_before INTEGER, actions_before INTEGER,
    players_after INTEGER, actions_after INTEGER, replay_command VARCHAR, repro VARCHAR,
    merged VARCHAR[]);
-- Stores triaged before the repro's verdict and the merged signatures were kept:
ALTER TABLE bugs ADD COLUMN IF NOT EXISTS repro VARCHAR;
ALTER TABLE bugs ADD COLUMN IF NOT EXISTS merged VARCHAR[];
"""


class Store:
    """The single writer of one run's bookkeeping.

    ``with Store(Path("runs/x/stats.duckdb")) as store:`` then ``store.start_run(run_id,
    seed, hands, hands_per_table, workers, planted, invariants, command, engine_version,
    harness_version)``, ``store.write_tables(run_id, records)`` for finished tables, and
    ``store.finish_run(run_id, "completed", seconds, workers)``.
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
        self.con.execute(DDL + BUGS_DDL)

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
                  only_table: int | None = None, config: str | None = None,
                  hand_timeout_s: float = 0.0, stored_hands: str = "all") -> None:
        """``stored_hands``: whose hand rows the run stores, "all" tables' or the "failing"
        ones' (``RunSettings.keep_hands``)."""
        self.con.execute(
            "INSERT INTO runs (run_id, seed, hands_requested, hands_per_table, workers, "
            "planted_bugs, invariants, only_table, engine_version, harness_version, command, "
            "started_at, status, config, hand_timeout_s, stored_hands) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)",
            [run_id, seed, hands, hands_per_table, workers, list(planted),
             list(invariants) if invariants is not None else None, only_table,
             engine_version, harness_version, command, _now(), config, hand_timeout_s,
             stored_hands])

    def run_row(self) -> dict[str, Any] | None:
        cursor = self.con.execute("SELECT * FROM runs ORDER BY started_at LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        return dict(zip(names, row, strict=True))

    def finish_run(self, run_id: str, status: str, seconds: float, workers: int) -> None:
        totals = self.con.execute(
            "SELECT (SELECT coalesce(sum(hands_played), 0) FROM tables WHERE run_id = $r), "
            "(SELECT count(*) FROM tables WHERE run_id = $r), "
            "(SELECT count(*) FROM failures WHERE run_id = $r)", {"r": run_id}).fetchone()
        assert totals is not None
        hands, tables, failures = totals
        self.con.execute(
            "UPDATE runs SET ended_at = ?, status = ?, hands = ?, tables = ?, failures = ?, "
            "seconds = coalesce(seconds, 0) + ?, workers = ?, "
            "hands_per_s = ? / nullif(coalesce(seconds, 0) + ?, 0) WHERE run_id = ?",
            [_now(), status, hands, tables, failures, seconds, workers, hands, seconds, run_id])

    def set_command(self, run_id: str, command: str, hands: int) -> None:
        """A fuzz knows the command that plays it again, and its hands, only at its end."""
        self.con.execute("UPDATE runs SET command = ?, hands_requested = ? WHERE run_id = ?",
                         [command, hands, run_id])

    def done_tables(self, run_id: str) -> set[int]:
        rows = self.con.execute("SELECT table_id FROM tables WHERE run_id = ?", [run_id])
        return {row[0] for row in rows.fetchall()}

    def failure_kinds(self, run_id: str) -> list[str]:
        """The kind of each failure stored for the run (``sim.finding.Kind`` values)."""
        return [kind for kind, in self.con.execute(
            "SELECT kind FROM failures WHERE run_id = ? ORDER BY ALL", [run_id]).fetchall()]

    def dumps_by_signature(self, run_id: str) -> dict[str | None, list[int]]:
        """The tables whose failure kept its dump, by signature."""
        rows = self.con.execute(
            "SELECT signature, list(table_id) FROM failures WHERE run_id = ? AND dump_path IS "
            "NOT NULL GROUP BY signature", [run_id]).fetchall()
        return {signature: list(tables) for signature, tables in rows}

    def drop_dump(self, run_id: str, table_id: int, rows_too: bool) -> str | None:
        """Table ``table_id``'s failure no longer keeps its dump (and, ``rows_too``, its
        hand rows: its shard is no longer listed); returns the dump's path it held."""
        row = self.con.execute("SELECT dump_path FROM failures WHERE run_id = ? AND "
                               "table_id = ?", [run_id, table_id]).fetchone()
        self.con.execute("UPDATE failures SET dump_path = NULL, replay_command = NULL "
                         "WHERE run_id = ? AND table_id = ?", [run_id, table_id])
        if rows_too:
            self.con.execute("DELETE FROM shards WHERE run_id = ? AND table_id = ?",
                             [run_id, table_id])
        return row[0] if row is not None else None

    def listed_shards(self, run_id: str) -> set[str]:
        """The shards the run stored (``sim.store.shards``): the ones readers read."""
        rows = self.con.execute("SELECT DISTINCT shard FROM shards WHERE run_id = ?", [run_id])
        return {row[0] for row in rows.fetchall()}

    # -- tables -----------------------------------------------------------------------------
    def write_table(self, run_id: str, record: TableRecord) -> None:
        self.write_tables(run_id, [record])

    def write_tables(self, run_id: str, records: Sequence[TableRecord]) -> None:
        """Finished tables' bookkeeping in one transaction: all of them land, or none.

        Batching several tables per transaction keeps the writer cheap (a commit costs
        milliseconds; a table's bookkeeping takes microseconds to insert)."""
        if not records:
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._insert(run_id, "tables", _tables_arrow(records))
            sharded = [r for r in records if r.shard is not None]
            self._insert(run_id, "shards", pa.table({
                "table_id": pa.array([r.table_id for r in sharded], pa.int32()),
                "shard": pa.array([r.shard for r in sharded], pa.string())}))
            self._insert(run_id, "coverage", pa.table({
                "table_id": pa.array([r.table_id for r in records for _ in r.coverage],
                                     pa.int32()),
                "point": pa.array([p for r in records for p in r.coverage], pa.string()),
                "hits": pa.array([h for r in records for h in r.coverage.values()],
                                 pa.int64())}))
            counted = [(r.table_id, name, count) for r in records
                       for name, count in r.counts.items()]
            if counted:
                self._insert(run_id, "counters", pa.table({
                    "table_id": pa.array([c[0] for c in counted], pa.int32()),
                    "name": pa.array([c[1] for c in counted], pa.string()),
                    "count": pa.array([c[2] for c in counted], pa.int64())}))
            failed = [(r, r.finding) for r in records if r.finding is not None]
            if failed:
                con.executemany("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [[run_id, r.table_id, f.hand_no, f.name, f.message,
                                  list(r.planted), r.dump_path, r.replay_command,
                                  f.kind.value, f.dispatch, r.signature] for r, f in failed])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            try:
                con.unregister("batch")
            except duckdb.Error:
                pass  # nothing was registered
            raise

    def write_run_finding(self, run_id: str, finding: Finding, planted: Iterable[str],
                          dump_path: str | None, replay_command: str | None,
                          signature: str) -> None:
        """A finding of the run as a whole (a run-level check's): a row of ``failures``
        with no table, hand or dispatch."""
        assert finding.table_id is None and finding.hand_no is None, finding
        self.con.execute("INSERT INTO failures VALUES (?, NULL, NULL, ?, ?, ?, ?, ?, ?, NULL, ?)",
                         [run_id, finding.name, finding.message, list(planted), dump_path,
                          replay_command, finding.kind.value, signature])

    def _insert(self, run_id: str, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self.con.register("batch", table)
            # No finally: after a failed INSERT the transaction is aborted and unregister
            # would raise, hiding the real error; write_tables unregisters after ROLLBACK.
            self.con.execute(f"INSERT INTO {name} SELECT ?, * FROM batch", [run_id])
            self.con.unregister("batch")


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
        column([x.finding is not None for x in r], pa.bool_()),
        column([x.seconds for x in r], pa.float64()),
        column([x.peak_rss_mb for x in r], pa.float64()),
    ], names=["table_id", "table_seed", "seats", "small_blind", "big_blind", "ante",
              "min_buy_in", "max_buy_in", "bots", "bot_kinds", "opening", "hands_planned",
              "hands_played", "dispatches", "checks", "rejected", "stalled", "failed",
              "seconds", "peak_rss_mb"])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
