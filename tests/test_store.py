"""sim.store: the schema (against SCHEMA and README.md), one transaction per batch of
tables' bookkeeping, the runs row's totals."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import call_in_copy, pickled, unpickled

from sim.bots import draw_table
from sim.invariants.coverage import COVERAGE_POINTS
from sim.runner import RunSettings, play_table
from sim.runner.record import TableRecord
from sim.runner.task import play_task, to_record
from sim.store.dataset import open_dataset
from sim.store.schema import SCHEMA, to_arrow
from sim.store.shards import shard_name
from sim.store.views import NAMES as VIEWS
from sim.store.writer import Store

README = Path(__file__).parents[1] / "README.md"
TABLES = ("runs", "tables", "hands", "actions", "results", "failures", "coverage",
          "counters", "bugs", "shards")
BOOKKEEPING = ("runs", "tables", "failures", "coverage", "counters", "bugs", "shards")
KEYS = {"run_id", "table_id", "hand_no", "seat"}  # documented once for all tables
SETTINGS = RunSettings(seed=8, hands=40, hands_per_table=20)


def record(table_id: int = 0, hands: int = 20, settings: RunSettings = SETTINGS) -> TableRecord:
    outcome = play_table(draw_table(settings.seed, table_id), hands, settings)
    # Its rows in a shard of its own (the store keeps which one).
    return replace(to_record(outcome, hands, settings.planted), shard=f"test/{table_id}")


@pytest.fixture(scope="module")
def records() -> list[TableRecord]:
    return [record(0), record(1)]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "r" / "stats.duckdb") as opened:
        opened.start_run("r", SETTINGS.seed, SETTINGS.hands, SETTINGS.hands_per_table, 1, (),
                         None, "sim run ...", "1.0.0", "0.1.0")
        yield opened


@pytest.fixture
def folder(tmp_path) -> Path:
    """A run folder whose file is closed, as readers find it."""
    with Store(tmp_path / "r" / "stats.duckdb") as opened:
        opened.start_run("r", SETTINGS.seed, SETTINGS.hands, SETTINGS.hands_per_table, 1, (),
                         None, "sim run ...", "1.0.0", "0.1.0")
    return tmp_path / "r"


def count(store: Store, table: str, where: str = "") -> int:
    row = store.con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()
    assert row is not None
    return int(row[0])


def db_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "AND table_schema = 'main' AND table_catalog = current_database() "
        "ORDER BY ordinal_position", [table]).fetchall()]


def readme_columns() -> dict[str, set[str]]:
    """Column names README.md documents for each table of the store."""
    text = README.read_text()
    section = text[text.index("## The DuckDB store"):]
    section = section[:section.index("\n## ", 1)]
    documented: dict[str, set[str]] = {}
    parts = re.split(r"^`(\w+)` — ", section, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        columns: set[str] = set()
        for line in body.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith("|") and cells[0] not in ("column", "---"):
                columns |= {c.strip() for c in cells[0].split(",")}
        if not columns:  # documented in prose: `failures` — ...: `hand_no`, `invariant`, ...
            paragraph = body.split("\n\n")[0]
            columns = set(re.findall(r"`(\w+)`", paragraph))
        documented[name] = columns
    return documented


# -- the schema ---------------------------------------------------------------------------------

def test_the_file_keeps_the_bookkeeping_and_readers_see_every_table(folder):
    with Store(folder / "stats.duckdb") as store:
        tables = {row[0] for row in store.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()}
    assert tables == set(BOOKKEEPING)  # the hand rows are in the shards
    con = open_dataset([folder])
    views = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'VIEW' "
        "AND table_catalog = 'memory' AND table_schema = 'main'").fetchall()}
    assert views == set(VIEWS) | set(TABLES) - {"shards"}
    for name, columns in SCHEMA.items():
        assert db_columns(con, name) == \
            [("run_id", "VARCHAR")] + [(column, kind) for column, kind, _ in columns]


def test_readme_documents_every_table():
    assert set(readme_columns()) == set(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_readme_columns_exist_and_every_column_is_documented(folder, table):
    documented = readme_columns()[table]
    if table in BOOKKEEPING:
        with Store(folder / "stats.duckdb") as store:
            stored = {name for name, _ in db_columns(store.con, table)}
    else:
        stored = {name for name, _ in db_columns(open_dataset([folder]), table)}
    assert documented, table
    assert documented - stored == set(), f"README documents columns {table} lacks"
    assert stored - documented - KEYS == set(), f"{table} has columns README leaves out"


def test_to_arrow_keeps_rows_and_types(records):
    for name in SCHEMA:
        rows = getattr(play_table(draw_table(8, 0), 5, SETTINGS).rows, name)
        table = to_arrow(name, rows)
        assert table.schema.names == [column for column, _, _ in SCHEMA[name]]
        assert [tuple(row.values()) for row in table.to_pylist()] == rows
    assert to_arrow("hands", []).num_rows == 0


# -- writing tables ----------------------------------------------------------------------------

def test_a_task_stores_every_row_of_its_tables(tmp_path):
    out = tmp_path / "r"
    settings = replace(SETTINGS, shards_dir=out / "shards")
    with Store(out / "stats.duckdb") as store:
        store.start_run("r", 8, 40, 20, 1, (), None, "sim run ...", "1.0.0", "0.1.0")
        records = play_task(settings, [(0, 20), (1, 20)])
        assert {r.shard for r in records} == {shard_name([0, 1])}
        store.write_tables("r", records)
    con = open_dataset([out])
    for table_id in (0, 1):
        outcome_rows = play_table(draw_table(8, table_id), 20, SETTINGS).rows
        for name in SCHEMA:
            stored = con.execute(f"SELECT * EXCLUDE (run_id) FROM {name} WHERE table_id = ? "
                                 "ORDER BY ALL", [table_id])
            assert stored.fetchall() == sorted(getattr(outcome_rows, name)), name
    assert con.execute("SELECT DISTINCT run_id FROM hands").fetchall() == [("r",)]


def test_write_table_stores_the_tables_bookkeeping(store, records):
    store.write_table("r", records[0])
    assert store.done_tables("r") == {0}
    assert store.listed_shards("r") == {"test/0"}
    assert store.con.execute("SELECT hands_played, hands_planned, failed FROM tables"
                             ).fetchall() == [(20, 20, False)]
    hits = dict(store.con.execute("SELECT point, hits FROM coverage").fetchall())
    assert set(hits) <= set(COVERAGE_POINTS)
    assert {p: h for p, h in hits.items() if h} == \
        {p: h for p, h in records[0].coverage.items() if h}


class FailingConnection:
    """A DuckDB connection that raises on the ``fail_at``-th INSERT (counting from 1)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, fail_at: int) -> None:
        self._con = con
        self._inserts = 0
        self._fail_at = fail_at

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT"):
            self._inserts += 1
            if self._inserts == self._fail_at:
                raise duckdb.IOException("disk full (test)")
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


@pytest.mark.parametrize("fail_at", [2, 3])  # tables, then shards, then coverage
def test_a_write_failing_midway_leaves_nothing_of_the_table(store, records, fail_at):
    store.write_table("r", records[0])
    before = {name: count(store, name) for name in BOOKKEEPING}
    real = store.con
    store.con = FailingConnection(real, fail_at)
    with pytest.raises(duckdb.IOException):
        store.write_table("r", records[1])
    assert store.con._inserts == fail_at  # it did fail after the first insert
    store.con = real
    assert {name: count(store, name) for name in BOOKKEEPING} == before
    assert store.done_tables("r") == {0}
    # The store is still usable, and the table can be written whole afterwards.
    store.write_table("r", records[1])
    assert store.done_tables("r") == {0, 1}
    assert count(store, "shards", "WHERE table_id = 1") == 1


def test_writing_a_table_twice_is_refused_whole(store, records):
    store.write_table("r", records[0])
    before = {name: count(store, name) for name in BOOKKEEPING}
    with pytest.raises(duckdb.Error):
        store.write_table("r", records[0])
    assert {name: count(store, name) for name in BOOKKEEPING} == before
    store.write_table("r", records[1])  # the store is usable afterwards
    assert store.done_tables("r") == {0, 1}


def test_a_refused_write_raises_the_real_error(store, records):
    # Found: unregistering the batch in the aborted transaction raised TransactionException
    # and hid the real error.
    store.write_table("r", records[0])
    with pytest.raises(duckdb.ConstraintException, match="(?i)duplicate key"):
        store.write_table("r", records[0])


def neighbour_record() -> str:
    """(In the copy carrying neighbour_sees_hole.) Table 0's record, pickled."""
    return pickled(record(0, 20, replace(SETTINGS, planted=("neighbour_sees_hole",))))


def test_a_table_that_reached_no_coverage_point_is_stored(store):
    # A table that fails on its first dispatch reaches no coverage point at all. (It plays
    # in the copy of the package that carries the bug; its record is stored here.)
    failed = unpickled(call_in_copy(["neighbour_sees_hole"], neighbour_record))
    assert failed.finding is not None
    assert not any(failed.coverage.values())
    store.write_table("r", failed)
    assert store.done_tables("r") == {0}
    assert store.con.execute("SELECT invariant, planted_bugs, kind, hand_no, dispatch "
                             "FROM failures").fetchall() == \
        [("no_private_leak", ["neighbour_sees_hole"], "invariant", 1, 0)]
    assert store.con.execute("SELECT failed FROM tables").fetchall() == [(True,)]


# -- the runs row ------------------------------------------------------------------------------

def test_runs_row_totals_and_seconds_over_sessions(store, records):
    row = store.run_row()
    assert row["status"] == "running"
    assert row["hands"] is None and row["ended_at"] is None
    store.write_table("r", records[0])
    store.finish_run("r", "interrupted", 2.0, 3)
    row = store.run_row()
    assert (row["status"], row["hands"], row["tables"], row["failures"], row["workers"]) == \
        ("interrupted", records[0].hands_played, 1, 0, 3)
    assert row["seconds"] == pytest.approx(2.0)
    store.write_table("r", records[1])
    store.finish_run("r", "completed", 3.0, 1)
    row = store.run_row()
    hands = records[0].hands_played + records[1].hands_played
    assert (row["status"], row["hands"], row["tables"], row["workers"]) == \
        ("completed", hands, 2, 1)
    assert row["seconds"] == pytest.approx(5.0)
    assert row["hands_per_s"] == pytest.approx(hands / 5.0)
    assert row["started_at"] <= row["ended_at"]
    assert (row["seed"], row["hands_requested"], row["hands_per_table"]) == (8, 40, 20)


def test_a_store_reopens_with_its_data(tmp_path, records):
    path = tmp_path / "stats.duckdb"
    with Store(path) as store:
        store.start_run("r", 8, 40, 20, 1, ("deal_reuses_card",), ("replay",), "c", "1", "2",
                        stored_hands="failing")
        store.write_table("r", records[0])
    with Store(path) as store:  # the DDL runs again on an existing file
        row = store.run_row()
        assert row["planted_bugs"] == ["deal_reuses_card"]
        assert row["invariants"] == ["replay"]
        assert row["stored_hands"] == "failing"
        assert store.done_tables("r") == {0}
