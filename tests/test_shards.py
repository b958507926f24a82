"""sim.store.shards: a task's rows written whole or not at all, journals that rebuild the
bookkeeping, readers that read the listed shards only, and no hand row sent to the main
process."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import call_in_copy, forget_tables, query

from sim.run import run
from sim.runner import RunSettings
from sim.runner.record import TableRecord
from sim.runner.task import play_task
from sim.store import shards
from sim.store.dataset import NoRuns, open_dataset
from sim.store.digest import digest
from sim.store.shards import (
    FOLDER,
    JOURNALS,
    ROW_TABLES,
    journals,
    recover,
    remove,
    shard_name,
    sweep,
    unjournaled,
)
from sim.store.writer import Store

SETTINGS = RunSettings(seed=8, hands=60, hands_per_table=20)


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def played(folder: Path, tables: list[int], settings: RunSettings = SETTINGS) -> list:
    return play_task(replace(settings, shards_dir=folder), [(t, 20) for t in tables])


def test_a_task_writes_one_file_per_table_and_its_journal_last(tmp_path, monkeypatch):
    order: list[str] = []
    replace_file = shards.os.replace
    monkeypatch.setattr(shards.os, "replace",
                        lambda a, b: (order.append(Path(b).parts[-3]), replace_file(a, b)))
    records = played(tmp_path, [3, 4])
    name = shard_name([3, 4])
    assert {record.shard for record in records} == {name}
    assert order == [*ROW_TABLES, JOURNALS]
    assert files(tmp_path) == sorted([f"{table}/{name}.parquet" for table in ROW_TABLES]
                                     + [f"{JOURNALS}/{name}.json"])
    assert name.startswith("table_block=0/")
    hands = pq.read_table(tmp_path / "hands" / f"{name}.parquet")
    assert sorted(set(hands.column("table_id").to_pylist())) == [3, 4]
    assert pq.read_metadata(tmp_path / "hands" / f"{name}.parquet").row_group(0).column(
        0).compression == "ZSTD"


def test_a_write_that_fails_leaves_no_file_visible(tmp_path, monkeypatch):
    def broken(table, path, **options):
        Path(path).write_bytes(b"half a file")
        raise OSError("disk full (test)")

    monkeypatch.setattr(shards.pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        played(tmp_path, [0])
    assert files(tmp_path) == []


def test_journals_give_back_the_records(tmp_path):
    records = played(tmp_path, [0, 1])
    [(name, journaled)] = list(journals(tmp_path))
    assert name == records[0].shard
    # The decks are never stored: only the session that played them checks them.
    assert journaled == [replace(record, shard=None, decks=None) for record in records]


def sent(record: TableRecord) -> tuple[int, int]:
    """The bytes a worker sends back for ``record``: its bookkeeping, and the decks it
    dealt (for the run-level checks, sim.runlevel: a hand's deck and its fingerprint)."""
    return len(pickle.dumps(replace(record, decks=None))), len(pickle.dumps(record.decks))


def test_no_hand_row_reaches_the_main_process(tmp_path):
    # What a worker sends back: bookkeeping of a few hundred bytes a table, however many
    # hands it played (a table's rows take tens of kilobytes), and the decks it dealt:
    # 60 bytes a hand, beside a summary of 52 x 52 counts.
    for hands in (20, 200):
        records = play_task(replace(SETTINGS, shards_dir=tmp_path / str(hands)),
                            [(0, hands), (1, hands)])
        for record in records:
            bookkeeping, decks = sent(record)
            assert bookkeeping < 3000, bookkeeping
            assert record.decks.hands == hands
            assert decks < 60 * hands + 52 * 52 * 4 + 1000, decks
        rows = (tmp_path / str(hands) / "actions" / f"{records[0].shard}.parquet").stat().st_size
        assert rows > 10 * max(sent(record)[0] for record in records)
    assert not hasattr(records[0], "arrow")


def failing_task(folder: str) -> tuple[bool, bool]:
    """(In the copy carrying neighbour_sees_hole.) Whether a fuzz's task of one table failed,
    and whether it wrote a shard into ``folder``."""
    failing = replace(SETTINGS, planted=("neighbour_sees_hole",), keep_hands="failing")
    records = played(Path(folder), [0], failing)
    return all(record.finding is not None for record in records), bool(files(Path(folder)))


def test_a_fuzz_keeps_the_failing_tables_rows_only(tmp_path):
    # A failing table: its rows.
    assert call_in_copy(("neighbour_sees_hole",), failing_task, str(tmp_path / "f")) == [
        True, True]
    clean = replace(SETTINGS, keep_hands="failing")
    [record] = played(tmp_path / "c", [0], clean)
    assert record.finding is None and record.shard is None
    assert not (tmp_path / "c").exists()  # a clean table: nothing


def test_recover_adopts_unlisted_shards_and_drops_those_that_repeat_a_table(tmp_path):
    a = played(tmp_path, [0, 1])[0].shard
    b = played(tmp_path, [1])[0].shard  # table 1 again (its first worker died)
    c = played(tmp_path, [2])[0].shard
    adopt, drop = recover(tmp_path, listed={b}, stored={1})
    assert [name for name, _ in adopt] == [c] and drop == [a]
    adopt, drop = recover(tmp_path, listed=set(), stored=set())
    assert [name for name, _ in adopt] == [a, c] and drop == [b]  # name order: a first
    assert [r.table_id for r in adopt[0][1]] == [0, 1]


def test_sweep_removes_what_the_run_did_not_list(tmp_path):
    kept = played(tmp_path, [0])[0].shard
    gone = played(tmp_path, [1])[0].shard
    orphan = played(tmp_path, [2])[0].shard
    (tmp_path / JOURNALS / f"{orphan}.json").unlink()  # its worker died before the journal
    temporary = tmp_path / "hands" / "table_block=0" / ".tmp-123-task.parquet"
    temporary.write_bytes(b"")
    assert len(unjournaled(tmp_path)) == 4  # the orphan's three files and the temporary one
    assert sweep(tmp_path, {kept}) == 5
    assert [name for name, _ in journals(tmp_path)] == [kept]
    assert files(tmp_path) == sorted([f"{t}/{kept}.parquet" for t in ROW_TABLES]
                                     + [f"{JOURNALS}/{kept}.json"])
    remove(tmp_path, gone)  # removing what is gone is no error


def stored_run(out: Path, tables: list[list[int]]) -> None:
    with Store(out / "stats.duckdb") as store:
        store.start_run(out.name, 8, 60, 20, 1, (), None, "sim run ...", "1", "2")
        for task in tables:
            store.write_tables(out.name, played(out / FOLDER, task))


def test_readers_read_the_listed_shards_only(tmp_path):
    out = tmp_path / "run"
    stored_run(out, [[0, 1], [2]])
    played(out / FOLDER, [1])  # a shard the run never listed: table 1 again
    assert query(out, "SELECT count(*), count(DISTINCT (table_id, hand_no)) FROM hands") == \
        [(60, 60)]
    assert query(out, "SELECT DISTINCT run_id FROM actions") == [("run",)]


def test_a_listed_shard_that_is_gone_is_one_line(tmp_path):
    out = tmp_path / "run"
    stored_run(out, [[0]])
    (out / FOLDER / "hands" / f"{shard_name([0])}.parquet").unlink()
    with pytest.raises(NoRuns, match=r"1 file\(s\) of the shards it lists are not there"):
        open_dataset([out])


@pytest.mark.parametrize("shards_too", [False, True])
def test_resume_rebuilds_the_bookkeeping_from_the_shards_and_plays_nothing_twice(
        tmp_path, shards_too):
    # A main process killed before it stored two tasks (their shards are whole), or a
    # worker killed with them (their shards are gone too, and their tables are played).
    out = tmp_path / "run"
    settings = RunSettings(seed=8, hands=200, hands_per_table=20)
    run(settings, out, 1, "test", bundle=2)
    stored = digest(out)
    forgotten = forget_tables(out, {3, 8}, shards_too=shards_too)
    assert forgotten == {2, 3, 8}  # tables 2 and 3 were one task, one shard
    assert query(out, "SELECT count(*) FROM hands") == [(140,)]
    summary = run(settings, out, 1, "test", resume=True, bundle=2)
    assert summary.tables == (3 if shards_too else 0)  # tables played by the resume
    assert digest(out) == stored
    assert query(out, "SELECT count(*), count(DISTINCT (table_id, hand_no)) FROM hands") == \
        [(200, 200)]
    assert unjournaled(out / FOLDER) == []


def test_a_run_stored_before_the_shards_reads_the_same_and_digests_the_same(tmp_path):
    # The single file of earlier releases: every row in stats.duckdb, no shards.
    out = tmp_path / "sharded"
    run(RunSettings(seed=8, hands=100, hands_per_table=20), out, 1, "test")
    old = tmp_path / "single"
    old.mkdir()
    rows = {table: query(out, f"SELECT * FROM {table}") for table in ROW_TABLES}
    import duckdb

    from sim.store.writer import ROWS_DDL

    (old / "stats.duckdb").write_bytes((out / "stats.duckdb").read_bytes())
    con = duckdb.connect(str(old / "stats.duckdb"))
    con.execute("DROP TABLE shards")
    con.execute(ROWS_DDL)
    for table, values in rows.items():
        marks = ", ".join("?" * len(values[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    con.close()
    assert digest(old) == digest(out)
    for sql in ("SELECT * FROM bot_stats ORDER BY ALL", "SELECT * FROM hands ORDER BY ALL",
                "SELECT sum(hands) FROM position_stats"):
        assert query(old, sql) == query(out, sql)


def test_what_the_main_process_receives_holds_no_hand_row(tmp_path, monkeypatch):
    import sim.run

    received: list[int] = []
    land = sim.run.land_dumps
    monkeypatch.setattr(sim.run, "land_dumps", lambda records, folder: (
        received.extend(sent(r)[0] for r in records), land(records, folder)))
    out = tmp_path / "run"
    run(RunSettings(seed=8, hands=2000, hands_per_table=200), out, 2, "test")
    assert len(received) == 10
    rows = sum(p.stat().st_size for p in (out / FOLDER).rglob("*.parquet"))
    assert max(received) < 3000 and sum(received) < rows / 10, (received, rows)


def test_resume_keeps_the_recovered_failures_dumps_that_exist(tmp_path, invoke):
    out = tmp_path / "run"
    args = ("run", "--hands", 60, "--hands-per-table", 20, "--seed", 8, "--workers", 1,
            "--plant-bug", "neighbour_sees_hole", "--out", out)
    assert invoke(*args).exit_code == 1
    failed = dict(query(out, "SELECT table_id, dump_path FROM failures"))
    assert sorted(failed) == [0, 1, 2] and all(failed.values())
    forget_tables(out, {0, 1})
    Path(failed[1]).unlink()  # as a Dask worker's temporary folder took it
    # In the copy (the run names its bugs); table 2 was stored before, and 0 and 1 come
    # back from their shard: nothing is played, and the run's verdict is still its failures.
    resumed = invoke("run", "--resume", out)
    assert resumed.exit_code == 1, resumed.output
    assert "3 failures stored before this --resume" in resumed.output
    assert dict(query(out, "SELECT table_id, dump_path FROM failures")) == {
        0: failed[0], 1: None, 2: failed[2]}
