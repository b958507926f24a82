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
    workers INTEGER, planted_bugs VARCHAR[], invariants VARCHAR[], engine_version VARCHAR,
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


class Store:
    """The single writer of one run's DuckDB file.

    >>> with Store(Path("runs/x/stats.duckdb")) as store:
    ...     store.start_run(run_id, settings, workers, command)
    ...     store.write_table(record)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(str(self.path))
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
                  engine_version: str, harness_version: str) -> None:
        self.con.execute(
            "INSERT INTO runs (run_id, seed, hands_requested, hands_per_table, workers, "
            "planted_bugs, invariants, engine_version, harness_version, command, started_at, "
            "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')",
            [run_id, seed, hands, hands_per_table, workers, list(planted),
             list(invariants) if invariants is not None else None, engine_version,
             harness_version, command, _now()])

    def run_row(self) -> dict[str, Any] | None:
        cursor = self.con.execute("SELECT * FROM runs ORDER BY started_at LIMIT 1")
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        return dict(zip(names, row, strict=True))

    def finish_run(self, run_id: str, status: str, seconds: float, workers: int) -> None:
        hands, tables, failures = self.con.execute(
            "SELECT (SELECT count(*) FROM hands WHERE run_id = $r), "
            "(SELECT count(*) FROM tables WHERE run_id = $r), "
            "(SELECT count(*) FROM failures WHERE run_id = $r)", {"r": run_id}).fetchone()
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
        """Everything of one table in one transaction: all of it lands, or none of it."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            c = record.config
            con.execute(
                "INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?)",
                [run_id, record.table_id, record.table_seed, c["seats"], c["small_blind"],
                 c["big_blind"], c["ante"], c["min_buy_in"], c["max_buy_in"],
                 json.dumps({str(k): v for k, v in sorted(record.bots.items())}),
                 sorted(set(record.bots.values())),
                 json.dumps({str(k): list(v) for k, v in sorted(record.opening.items())}),
                 record.hands_planned, record.hands_played, record.dispatches, record.checks,
                 record.rejected, record.stalled, record.failure is not None, record.seconds,
                 record.peak_rss_mb])
            for name, table in record.arrow.items():
                if table.num_rows:
                    con.register("batch", table)
                    con.execute(f"INSERT INTO {name} SELECT ?, * FROM batch", [run_id])
                    con.unregister("batch")
            if record.coverage:
                con.executemany("INSERT INTO coverage VALUES (?, ?, ?, ?)",
                                [[run_id, record.table_id, point, hits]
                                 for point, hits in sorted(record.coverage.items()) if hits])
            if record.failure is not None:
                f = record.failure
                con.execute("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [run_id, record.table_id, f["hand_no"], f["invariant"],
                             f["message"], list(f["planted"]), f["dump_path"],
                             f["replay_command"]])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
