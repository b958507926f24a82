"""The locked connections (sim.store.dataset): what `sim query`, `sim report`, `sim export`,
`sim export-phh --where`, `sim replay --hand` and `sim triage` read runs through.

Each statement that would write a file, read another, attach, install or load something,
or change a setting is refused on each of them, and leaves no file behind. On the
connections that read runs it goes through ``read_only``, the door of a user's SQL: their
shards are allowed paths, which DuckDB would let a COPY write."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import fingerprint, forget_tables, invoke_cli, query

from sim.store import dataset
from sim.store.dataset import (
    Refused,
    open_dataset,
    open_for_bugs,
    read_only,
    repeated_runs,
    verify_read_only,
)

REFUSED = {
    "copy to a file": "COPY (SELECT 1) TO '{work}/out.csv'",
    "copy onto a file of the run": "COPY (SELECT 1) TO '{target}' (FORMAT parquet, "
                                   "USE_TMP_FILE false)",
    "copy onto a shard": "COPY (SELECT 1) TO '{shard}' (FORMAT parquet, USE_TMP_FILE false)",
    "copy onto a shard, analyzed": "EXPLAIN ANALYZE COPY (SELECT 1) TO '{shard}' "
                                   "(FORMAT parquet, USE_TMP_FILE false)",
    "copy onto a shard after a select": "SELECT 1; COPY (SELECT 1) TO '{shard}' "
                                        "(FORMAT csv, USE_TMP_FILE false)",
    "copy onto a shard inside query()": "SELECT * FROM query('COPY (SELECT 1) TO ''{shard}'' "
                                        "(FORMAT parquet, USE_TMP_FILE false)')",
    "copy to a new file beside the shards": "COPY (SELECT 1) TO '{shard}.new.parquet'",
    "export database into the shards": "EXPORT DATABASE '{shard_folder}'",
    "attach a shard": "ATTACH '{shard}' AS shard",
    "export database": "EXPORT DATABASE '{work}/dump'",
    "attach a new database": "ATTACH '{work}/new.duckdb' AS other",
    "install an extension": "INSTALL httpfs",
    "load an extension": "LOAD httpfs",
    "read another file": "SELECT * FROM read_csv('/etc/hostname')",
    "sniff another file": "SELECT * FROM sniff_csv('/etc/hostname')",
    "read a blob": "SELECT * FROM read_blob('/etc/hostname')",
    "glob the disk": "SELECT * FROM glob('/etc/*')",
    "read a url": "SELECT * FROM 'https://example.com/x.csv'",
    "turn external access on": "SET enable_external_access = true",
    "unlock the configuration": "SET lock_configuration = false",
    "allow a folder": "SET allowed_directories = ['/']",
    "turn on profiling to a file": "SET profiling_output = '{work}/profile.json'",
}


def connection(kind: str, run_and_export: dict[str, Path]
               ) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A connection as each reader opens it, and a file of the data it reads."""
    run, export = run_and_export["run"], run_and_export["export"]
    if kind == "query, report, export-phh, replay --hand":
        return open_dataset([run]), run / "stats.duckdb"
    if kind == "query of an export":
        return open_dataset([export]), next(export.glob("hands/*/*.parquet"))
    assert kind == "triage"
    return open_for_bugs(run / "stats.duckdb"), run / "stats.duckdb"


KINDS = ("query, report, export-phh, replay --hand", "query of an export", "triage")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("what", REFUSED)
def test_each_locked_connection_refuses_what_reaches_outside(kind, what, run_and_export, tmp_path):
    before = fingerprint(run_and_export["run"], run_and_export["export"], tmp_path)
    con, target = connection(kind, run_and_export)
    shard = min((run_and_export["run"] / "shards" / "results").rglob("*.parquet"))
    sql = REFUSED[what].format(work=tmp_path, target=target, shard=shard,
                               shard_folder=shard.parent)
    # Triage runs its own statements only; the others take a user's SQL through read_only.
    execute = (lambda con, sql: con.execute(sql)) if kind == "triage" else read_only
    try:
        with pytest.raises((duckdb.Error, Refused)):
            execute(con, sql).fetchall()
        # Still locked after the refusal.
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone() \
            == (False,)
    finally:
        con.close()
    assert fingerprint(run_and_export["run"], run_and_export["export"], tmp_path) == before


READS = ["SELECT 1", "FROM hands", "WITH a AS (SELECT 1) SELECT * FROM a", "VALUES (1)",
         "DESCRIBE hands", "SHOW TABLES", "SUMMARIZE results", "TABLE hands",
         "(SELECT 1) UNION ALL (SELECT 2)", "SELECT 1; SELECT 2"]
NOT_READS = {"COPY hands TO 'x.csv'": "COPY", "EXPLAIN SELECT 1": "EXPLAIN",
             "EXPLAIN ANALYZE COPY hands TO 'x.csv'": "EXPLAIN", "PRAGMA version": "PRAGMA",
             "CALL pragma_version()": "CALL", "CHECKPOINT": "CALL", "SET threads = 1": "SET",
             "RESET threads": "SET", "USE memory": "SET", "ATTACH 'x.duckdb'": "ATTACH",
             "DETACH run0": "DETACH", "EXPORT DATABASE 'x'": "EXPORT", "INSTALL httpfs": "LOAD",
             "LOAD httpfs": "LOAD", "PREPARE p AS SELECT 1": "PREPARE", "EXECUTE p": "EXECUTE",
             "CREATE TABLE t (x INT)": "CREATE", "INSERT INTO hands SELECT * FROM hands": "INSERT",
             "DELETE FROM hands": "DELETE", "UPDATE hands SET pot = 0": "UPDATE",
             "BEGIN": "TRANSACTION", "VACUUM": "VACUUM", "DROP VIEW hands": "DROP",
             "SELECT 1; DROP VIEW hands": "DROP", "PIVOT hands ON seats": "MULTI"}


def test_read_only_runs_selects_and_refuses_every_other_statement(run_and_export):
    con = open_dataset([run_and_export["run"]])
    try:
        for sql in READS:
            verify_read_only(con, sql)
        for sql, kind in NOT_READS.items():
            with pytest.raises(Refused, match=f"holds an? {kind} statement"):
                read_only(con, sql)
        assert read_only(con, "SELECT count(*) > 0 FROM hands").fetchall() == [(True,)]
    finally:
        con.close()


def test_sim_query_takes_the_sql_through_read_only(run_and_export, monkeypatch):
    seen = []
    real = dataset.read_only
    monkeypatch.setattr(dataset, "read_only", lambda con, sql: (seen.append(sql),
                                                                real(con, sql))[1])
    result = invoke_cli("query", run_and_export["run"], "SELECT 41 + 1")
    assert result.exit_code == 0, result.output
    assert seen == ["SELECT 41 + 1"]
    assert "42" in result.output


def test_triage_writes_its_bugs_table_and_the_run_keeps_the_rest(run_and_export, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(run_and_export["run"], run)
    con = open_for_bugs(run / "stats.duckdb")
    try:
        con.execute("INSERT INTO bugs (run_id, signature) VALUES ('run', 'x: y')")
        assert con.execute("SELECT count(*) FROM bugs").fetchone() == (1,)
    finally:
        con.close()
    assert sorted(p.name for p in run.iterdir()) == sorted(
        p.name for p in run_and_export["run"].iterdir())
    assert query(run, "SELECT signature FROM bugs") == [("x: y",)]


def test_every_reader_opens_the_runs_through_the_one_lock(run_and_export, tmp_path, monkeypatch):
    locked = []
    real = dataset.lock
    monkeypatch.setattr(dataset, "lock", lambda con: (locked.append(con), real(con)))
    run = run_and_export["run"]
    for args in (("query", run, "SELECT 1"), ("report", run), ("export-phh", run,
                 tmp_path / "h.phhs"), ("replay", run, "--hand", "0:1"),
                 ("export", run, "--parquet", tmp_path / "pq"), ("triage", run)):
        before = len(locked)
        result = invoke_cli(*args)
        assert result.exit_code in (0, 1), result.output
        assert len(locked) > before, args


def test_export_phh_where_is_one_condition_and_runs_nothing_else(run_and_export, tmp_path,
                                                                monkeypatch):
    from sim.outside.export import export_run

    monkeypatch.chdir(tmp_path)
    for where in ("1=1; COPY hands TO 'x.csv'; --", "1=1) UNION ALL (SELECT 1, 1",
                  "pot > 0; SELECT 1"):
        with pytest.raises(ValueError, match="is not one SQL condition on the hands table"):
            export_run(run_and_export["run"], where, tmp_path / "h.phhs")
    assert list(tmp_path.iterdir()) == []
    written, _ = export_run(run_and_export["run"], "pot > (SELECT min(pot) FROM hands)",
                            tmp_path / "h.phhs")
    assert written > 0  # a condition may still hold a subquery of the run's own tables


def test_a_clean_runs_export_has_every_table_even_empty_ones(run_and_export):
    for table in dataset.TABLES:
        files = list((run_and_export["export"] / table).glob("run_id=run/*.parquet"))
        assert files, table
    con = open_dataset([run_and_export["export"]])
    try:
        for table in ("failures", "counters", "bugs"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM hands").fetchone()[0] > 0
    finally:
        con.close()


def test_a_run_missing_the_newer_tables_still_has_them_empty(run_and_export, tmp_path):
    run = tmp_path / "old"
    shutil.copytree(run_and_export["run"], run)
    con = duckdb.connect(str(run / "stats.duckdb"))
    con.execute("DROP TABLE counters")
    con.execute("DROP TABLE bugs")
    con.close()
    locked = open_dataset([run])
    try:
        assert locked.execute("SELECT count(*) FROM counters").fetchone() == (0,)
        assert locked.execute("SELECT count(*) FROM bugs").fetchone() == (0,)
    finally:
        locked.close()


def test_a_run_given_with_its_export_is_counted_twice_and_said(run_and_export):
    con = open_dataset([run_and_export["run"], run_and_export["export"]])
    try:
        assert repeated_runs(con) == [("run", 2)]
    finally:
        con.close()
    result = invoke_cli("query", run_and_export["run"], run_and_export["export"],
                        "SELECT count(*) FROM runs")
    assert result.exit_code == 0
    assert "warning: run run is in the data 2 times" in result.output
    alone = invoke_cli("query", run_and_export["run"], "SELECT count(*) FROM runs")
    assert "warning" not in alone.output


def test_query_json_prints_null_for_nan_and_infinity(run_and_export):
    result = invoke_cli("query", run_and_export["run"],
                        "SELECT 'nan'::DOUBLE AS a, 'inf'::DOUBLE AS b, -'inf'::DOUBLE AS c, "
                        "1.5::DOUBLE AS d", "--json")
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.output and "Infinity" not in result.output
    assert json.loads(result.output) == [{"a": None, "b": None, "c": None, "d": 1.5}]


def test_a_sound_run_after_deletes_is_not_called_cut_short(tmp_path):
    """The bug this guards: the door check counted the free blocks a checkpoint cuts off the
    file's end, and called a sound run "cut short" (found resuming a run whose table was
    dropped, as a killed run's is)."""
    run = tmp_path / "run"
    played = invoke_cli("run", "--hands", 40, "--hands-per-table", 20, "--seed", 2,
                        "--workers", 1, "--invariants", "chip_conservation", "--table", 0,
                        "--out", run)
    assert played.exit_code == 0, played.output
    forget_tables(run, {0}, shards_too=True)
    result = invoke_cli("query", run, "SELECT count(*) AS n FROM hands", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["n"] == 0
