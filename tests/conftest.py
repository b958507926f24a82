"""Shared fixtures for the harness tests (runner, runs, store, CLI, failures, reports).

In-process runs (``sim run --workers 1`` through click's CliRunner, ``play_table``) change
process-wide state: the root logger's handlers and the SIGINT handler. Every test gets that
state back as it found it. (Planted bugs change none: they run in a patched copy of the
package, in a child process; ``in_copy`` runs a test's own code there.)
"""

from __future__ import annotations

import base64
import inspect
import json
import logging
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from sim.planted import transfer
from sim.planted.catalogue import CATALOGUE, RUN_LEVEL
from sim.planted.copy import patched_copy

# The planted bugs a run catches at a table: not those that hang the process that plays
# them (tests/backends/test_hangs.py), nor those only a run's hands together show
# (tests/runlevel).
PER_TABLE = [bug.name for bug in CATALOGUE.values()
             if not bug.hangs_process and bug.name not in RUN_LEVEL]


def sim_command() -> list[str]:
    """The `sim` console script of the interpreter running the tests (or `python -m`)."""
    script = shutil.which("sim", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "sim.cli"]


@contextmanager
def isolated() -> Iterator[None]:
    """Put back the root logger and the SIGINT handler on exit."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    sigint = signal.getsignal(signal.SIGINT)
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, sigint)


@pytest.fixture(autouse=True)
def _process_state_restored() -> Iterator[None]:
    with isolated():
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


def in_copy(planted: Any, code: str, **values: Any) -> Any:
    """Run ``code`` in the patched copy of the package that carries the planted bugs
    ``planted`` (a child Python, from the repository's root): it sees ``values`` (JSON)
    as names, and sets ``result``, which comes back (JSON)."""
    # The values on standard input: a pickled case can be longer than a command line may be.
    script = ("import json, sys\nsys.path.insert(0, sys.argv[1])\n"
              "globals().update(json.loads(sys.stdin.read()))\n" + textwrap.dedent(code)
              + "\nprint('\\0' + json.dumps(result))\n")
    done = subprocess.run([sys.executable, "-c", script, str(patched_copy(planted))],
                          input=json.dumps(values), capture_output=True, text=True,
                          cwd=Path(__file__).parents[1], check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.rsplit("\0", 1)[1])


def call_in_copy(planted: Any, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` run by ``in_copy`` in the copy that carries ``planted``:
    ``function`` is a module-level function of a test module (imported there by its
    module's name, from its folder and this one), its arguments and result JSON. A test
    writes its buggy scenario once, as a function, and asserts on what comes back."""
    folder = Path(inspect.getfile(function)).parent
    return in_copy(planted, f"sys.path[1:1] = [tests, folder]\n"
                            f"from {function.__module__} import {function.__name__} as function\n"
                            "result = function(*args)",
                   tests=str(Path(__file__).parent), folder=str(folder), args=list(args))


def pickled(value: Any) -> str:
    """``value`` as text that ``call_in_copy`` can carry either way: a case, a dump or a
    result goes to the copy, or comes back, as it was (never read again from a file by the
    other side's code), whichever build each side runs (``sim.planted.transfer``)."""
    return base64.b64encode(transfer.dumps(value)).decode()


def unpickled(text: str) -> Any:
    return pickle.loads(base64.b64decode(text))


def broken_table_dump(bug: str, folder: str, tables: int, actions: int) -> str | None:
    """(Run in the copy carrying ``bug``, by ``call_in_copy``.) The dump, written under
    ``folder``, of the first of tables 0 to ``tables - 1`` of run seed 5 (50 hands each)
    whose hand broke after at least ``actions`` actions; None when none did."""
    from sim.bots import draw_table
    from sim.runner import RunSettings, play_table

    settings = RunSettings(seed=5, hands=50, hands_per_table=50, planted=(bug,),
                           failures_dir=Path(folder))
    for table_id in range(tables):
        outcome = play_table(draw_table(5, table_id), 50, settings)
        if outcome.dump is not None and len(outcome.dump.case.actions) >= actions:
            assert outcome.dump.path is not None
            return str(outcome.dump.path)
    return None


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
