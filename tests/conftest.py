"""Shared fixtures for the harness tests (runner, runs, store, CLI, failures, reports).

In-process runs (``sim run --workers 1`` through click's CliRunner, ``play_table``) change
process-wide state: the planted bugs they switch on, the root logger's handlers and the
SIGINT handler. Every test gets that state back as it found it, so a planted bug never
leaks into the engine tests that happen to run next in the same xdist worker.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from sim.engine import bugs


def sim_command() -> list[str]:
    """The `sim` console script of the interpreter running the tests (or `python -m`)."""
    script = shutil.which("sim", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "sim.cli"]


@contextmanager
def isolated() -> Iterator[None]:
    """Put back the planted bugs, the root logger and the SIGINT handler on exit."""
    planted = bugs.enabled()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    sigint = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        bugs.enable(planted)
        root.handlers[:] = handlers
        root.setLevel(level)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, sigint)


@pytest.fixture(autouse=True)
def _process_state_restored() -> Iterator[None]:
    with isolated():
        bugs.enable(())  # every test starts with the engine as shipped
        yield


def invoke_cli(*args: Any, input: str | None = None) -> Result:
    """Run `sim ARGS` in this process; exceptions are left in ``result.exception``."""
    with isolated():
        return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def invoke() -> Callable[..., Result]:
    return invoke_cli


def query(folder: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` against a run folder (its bookkeeping and its shards), as every
    reader opens it."""
    from sim.store.dataset import open_dataset

    con = open_dataset([Path(folder)])
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def db() -> Callable[..., list[tuple[Any, ...]]]:
    return query


# A small clean run shared by the report, query and replay tests: seed 4 draws chaos bots and
# seat-hoppers at its first tables, so its hands have rejected junk, Sit, Leave and Rebuy.
SMALL_RUN = ("--hands", 300, "--hands-per-table", 100, "--seed", 4, "--workers", 1)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "run"
    result = invoke_cli("run", *SMALL_RUN, "--out", out)
    assert result.exit_code == 0, result.output
    (out.parent / "output.txt").write_text(result.output)  # what `sim run` printed
    return out


@pytest.fixture(scope="session")
def run_and_export(small_run: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A copy of the small run (a test may hash it, or try to change it, without touching
    the shared one) and its Parquet export."""
    from sim.store.export import export_parquet

    root = tmp_path_factory.mktemp("copy")
    run = root / "run"
    shutil.copytree(small_run, run)
    export_parquet([run], root / "export")
    return {"run": run, "export": root / "export"}


def fingerprint(*folders: Path) -> dict[str, str]:
    """Every file and folder under ``folders`` by path, with its content's hash: equal
    fingerprints, nothing written, changed or removed."""
    import hashlib

    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file()
            else "folder" for folder in folders for path in sorted(folder.rglob("*"))}


def forget_tables(folder: Path, table_ids: set[int], shards_too: bool = False) -> set[int]:
    """Take the bookkeeping of the shards that hold ``table_ids`` out of ``folder``'s
    stats.duckdb, as a main process killed before storing them would have left it (and
    their shard files too with ``shards_too``: as if their worker had been killed); returns
    every table forgotten (a shard's tables go together)."""
    from sim.store.shards import FOLDER, remove

    con = duckdb.connect(str(Path(folder) / "stats.duckdb"))
    try:
        names = {name for name, in con.execute(
            "SELECT DISTINCT shard FROM shards WHERE list_contains(?, table_id)",
            [sorted(table_ids)]).fetchall()}
        forgotten = set(table_ids) | {t for t, in con.execute(
            "SELECT table_id FROM shards WHERE list_contains(?, shard)",
            [sorted(names)]).fetchall()}
        for table in ("tables", "coverage", "counters", "failures", "shards"):
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, table_id)",
                        [sorted(forgotten)])
    finally:
        con.close()
    if shards_too:
        for name in names:
            remove(Path(folder) / FOLDER, name)
    return forgotten
