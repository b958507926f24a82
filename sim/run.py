"""A run: many tables played from one seed over worker processes, stored in DuckDB.

Tables are the unit of work. A task is "play these tables of this run and return their
records" (``sim.runner.task.play_task``, what a worker runs); an execution backend
(``sim.backends``: in this process, a local process pool, or a Dask cluster) plays the
tasks and hands the records back. The workers write the tables' hand rows into the run's
shards themselves (``sim.store.shards``); the main process keeps the bookkeeping only
(the run, its tables' summaries, failures, coverage, which shard holds which table), one
writer storing each finished table once, in batches of one DuckDB transaction each.

``run(settings, out=Path("runs/demo"), workers=2, command="sim run ...")`` plays the run
and returns its ``RunSummary``; ``backend="dask"`` plays it on Dask instead.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from sim import __version__
from sim.backends import Backend, open_backend
from sim.backends.base import StopRequest, Task, Tasks, bundles, failed_record
from sim.backends.dumps import DumpQuota, land_dumps
from sim.engine import ENGINE_VERSION
from sim.finding import Finding, Kind
from sim.invariants.coverage import COVERAGE_POINTS
from sim.limits import DUMPS_PER_SIGNATURE
from sim.runlevel.decks import RunDecks
from sim.runlevel.record import RunChecked, check_run
from sim.runner.record import TableRecord
from sim.runner.settings import RunSettings, table_plan
from sim.runner.task import play_task
from sim.signals import sigint_handled
from sim.store.shards import FOLDER, recover, remove, sweep
from sim.store.writer import Store

log = logging.getLogger("sim.run")

# -- the summary -----------------------------------------------------------------------------

@dataclass(slots=True)
class RunSummary:
    settings: RunSettings
    run_id: str = ""
    out: Path | None = None
    workers: int = 1
    planned_tables: int = 0
    hands: int = 0
    tables: int = 0
    dispatches: int = 0
    checks: int = 0
    rejected: int = 0
    stalled: int = 0
    seconds: float = 0.0
    coverage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COVERAGE_POINTS, 0))
    failures: list[TableRecord] = field(default_factory=list)  # the tables that failed
    interrupted: bool = False
    decks: RunDecks = field(default_factory=RunDecks)  # for the run-level checks
    checked: RunChecked | None = None  # the run-level checks, once the run has ended
    # The kinds of the failures a resumed run had stored before this session (recovered
    # ones included): its verdict is the whole run's, not this session's alone.
    earlier: list[Kind] = field(default_factory=list)

    def add(self, record: TableRecord) -> None:
        if record.decks is not None:
            self.decks.add(record.table_id, record.table_seed, record.decks)
        self.tables += 1
        self.hands += record.hands_played
        self.dispatches += record.dispatches
        self.checks += record.checks
        self.rejected += record.rejected
        self.stalled += record.stalled
        for name, count in record.coverage.items():
            self.coverage[name] = self.coverage.get(name, 0) + count
        if record.finding is not None:
            self.failures.append(record)

    @property
    def hands_per_s(self) -> float:
        return self.hands / self.seconds if self.seconds else 0.0

    def missing_coverage(self) -> list[str]:
        return [name for name, count in self.coverage.items() if not count]

    def findings(self) -> list[Finding]:
        """Every finding of the run: the failed tables', then the run-level checks'."""
        tables = [record.finding for record in self.failures if record.finding is not None]
        checked = self.checked.failed if self.checked is not None else ()
        return [*tables, *(failed.finding for failed in checked)]

    def kinds(self) -> list[Kind]:
        """The kinds of every failure of the run, stored before this session or found in it:
        what its exit code says (``sim.finding.exit_code``)."""
        return [*self.earlier, *(finding.kind for finding in self.findings())]


# -- the run (main process) -------------------------------------------------------------------

def run_id_for(out: Path) -> str:
    return out.name


class TaskSource(Protocol):
    """Tasks made as a run goes, instead of its table plan (the fuzz's steered tables)."""

    def next(self) -> Task | None | str:
        """The next task, None while none is ready (asked again after a delivery), DONE."""

    def observe(self, records: list[TableRecord]) -> None:
        """Tables that came back (each once)."""


def run(settings: RunSettings, out: Path, workers: int, command: str, resume: bool = False,
        progress: Progress | None = None, bundle: int | None = None, backend: str = "pool",
        scheduler: str | None = None, source: TaskSource | None = None,
        dumps_per_signature: int | None = DUMPS_PER_SIGNATURE) -> RunSummary:
    """Play (or, with ``resume``, finish) the run stored in ``out`` on ``backend`` (see
    ``sim.backends``; ``scheduler``: the address of a running Dask cluster). The tables
    are ``settings``' table plan, in tasks of at most ``bundle`` tables (None: the
    backend's choice, ``Backend.task_hands``; see ``sim.backends.base.bundles``), or those
    ``source`` makes as the run goes, one task each as made. The first
    ``dumps_per_signature`` failures of each signature keep their dump (None: every
    failure); ``out`` must be a folder every worker reaches (they write the shards
    there)."""
    out.mkdir(parents=True, exist_ok=True)
    shards = out.resolve() / FOLDER
    settings = replace(settings, shards_dir=shards)
    listener, log_queue = _start_logging(out / "run.log")
    run_id = run_id_for(out)
    started = time.perf_counter()
    try:
        with open_backend(backend, workers, log_queue, scheduler) as players, \
                Store(out / "stats.duckdb") as store:
            workers = players.workers
            summary = RunSummary(settings, run_id, out, workers)
            if resume:
                _recover(shards, store, run_id)
                summary.earlier = [Kind(kind) for kind in store.failure_kinds(run_id)]
            done = store.done_tables(run_id) if resume else set()
            if not resume:
                store.start_run(run_id, settings.seed, settings.hands, settings.hands_per_table,
                                workers, settings.planted, settings.invariants, command,
                                ENGINE_VERSION, __version__, settings.only_table,
                                _config_json(settings), settings.hand_timeout_s,
                                settings.keep_hands)
            plan = [] if source is not None else [
                task for task in table_plan(settings) if task[0] not in done]
            summary.planned_tables = len(plan)
            log.info("run %s: seed %d, %d tables to play (%d already stored), %d workers (%s)",
                     run_id, settings.seed, len(plan), len(done), workers, players.name)
            progress = progress or Progress(sum(hands for _, hands in plan) if plan else None)
            quota = DumpQuota(dumps_per_signature, store.dumps_by_signature(run_id))
            most = bundle or players.most_tables(settings.hands_per_table)
            status = _play(settings, bundles(plan, workers, most), players, store, summary,
                           progress, source, quota)
            sweep(shards, store.listed_shards(run_id))
            summary.checked = check_run(summary.decks, store, run_id, settings, command)
            summary.seconds = time.perf_counter() - started
            store.finish_run(run_id, status, summary.seconds, workers)
            cpu = resource.getrusage(resource.RUSAGE_SELF)
            log.info("main process: %.1f s CPU over %.1f s (storing, converting, scheduling)",
                     cpu.ru_utime + cpu.ru_stime, summary.seconds)
            progress.close()
    finally:
        listener.stop()
    return summary


def _config_json(settings: RunSettings) -> str | None:
    return settings.experiment.to_json() if settings.experiment is not None else None


def _recover(folder: Path, store: Store, run_id: str) -> None:
    """After a crash the shards are the truth: the bookkeeping of every whole shard the
    run never listed is stored (nothing is played again), and what is left over goes."""
    adopt, drop = recover(folder, store.listed_shards(run_id), store.done_tables(run_id))
    for name, records in adopt:
        for record in records:
            record.shard = name
            if record.dump_path is not None and not Path(record.dump_path).is_file():
                # A dump that went with its worker's temporary folder (sim.backends.dumps)
                record.dump_path = record.replay_command = None
        store.write_tables(run_id, records)
    for name in drop:
        remove(folder, name)
    if adopt or drop:
        log.info("resume: %d shards' tables recovered from their journals, %d shards "
                 "removed (their tables were stored from others)", len(adopt), len(drop))


def _play(settings: RunSettings, plan: list[Task], backend: Backend, store: Store,
          summary: RunSummary, progress: Progress, source: TaskSource | None,
          quota: DumpQuota) -> str:
    stop = StopRequest(mp.get_context("spawn").Event())
    tasks = Tasks(plan, source.next if source is not None else None)

    buffer: list[TableRecord] = []
    flushed = [time.perf_counter()]
    delivered: set[int] = set()
    dumps = _Dumps(settings, store, summary.run_id, quota)

    def flush() -> None:
        store.write_tables(summary.run_id, buffer)
        for record in buffer:
            summary.add(record)
            progress.update(record.hands_played, len(summary.failures))
        buffer.clear()
        flushed[0] = time.perf_counter()

    def store_records(records: list[TableRecord]) -> None:
        # A table is stored once, whatever a backend's retries delivered.
        twice = [record.table_id for record in records if record.table_id in delivered]
        if twice:
            log.warning("tables %s came back twice; stored once", ", ".join(map(str, twice)))
        fresh = [record for record in records if record.table_id not in delivered]
        assert not twice or not {r.shard for r in fresh} & {r.shard for r in records
                                                             if r.table_id in twice} - {None}, \
            f"a shard that holds tables {twice} again"  # each backend retries whole tasks
        delivered.update(record.table_id for record in fresh)
        dumps.admit(fresh, alone=len(records) == 1, flush=flush)
        land_dumps(fresh, settings.failures_dir)
        if source is not None:
            source.observe(fresh)
        # Tables reach the database in batches: at most a second or 64 tables old.
        buffer.extend(fresh)
        if len(buffer) >= 64 or time.perf_counter() - flushed[0] >= 1.0:
            flush()

    with _ctrl_c_stops(stop):
        backend.play(settings, tasks, play_task, crashed_record, store_records, stop)
        flush()
    if stop.is_set():
        summary.interrupted = True
        log.warning("interrupted: %d tables stored; `sim run --resume %s` finishes the run",
                    summary.tables, summary.out)
        return "interrupted"
    return "completed"


class _Dumps:
    """The quota of dumps (``DumpQuota``) applied to the tables as they come back: a failure
    past its signature's quota keeps its row in ``failures``, not its dump; in a run that
    stores the failing tables' hands only, not its hands either."""

    def __init__(self, settings: RunSettings, store: Store, run_id: str,
                 quota: DumpQuota) -> None:
        self.settings = settings
        self.store = store
        self.run_id = run_id
        self.quota = quota
        self.kept: dict[int, TableRecord] = {}  # this session's failures that keep a dump

    def admit(self, records: list[TableRecord], alone: bool, flush: Callable[[], None]
              ) -> None:
        """``records`` came back from one task (``alone``: of one table); ``flush`` stores
        the tables waiting to be stored."""
        for record in records:
            if record.finding is None:
                continue
            keep, evicted = self.quota.admit(record.signature, record.table_id)
            if not keep:
                self._drop(record, alone)
                continue
            if evicted is not None:
                flush()  # the evicted table's record is stored: change it there
                dropped = self.kept.pop(evicted, None)  # None: kept by an earlier session
                # Alone in its shard when it matters: a fuzz's tasks are one table each.
                rows_too = dropped is not None and self._drop(dropped, alone=True)
                path = self.store.drop_dump(self.run_id, evicted, rows_too)
                if path is not None:
                    Path(path).unlink(missing_ok=True)
            self.kept[record.table_id] = record

    def _drop(self, record: TableRecord, alone: bool) -> bool:
        """Drop ``record``'s dump, and its hands when the run keeps the failing tables'
        only and its shard holds no other table (``alone``); True if the hands went."""
        if record.dump_path is not None:
            Path(record.dump_path).unlink(missing_ok=True)
        record.dump_path = record.dump = record.replay_command = None
        if self.settings.keep_hands != "failing" or record.shard is None or not alone:
            return False
        assert self.settings.shards_dir is not None
        remove(self.settings.shards_dir, record.shard)
        record.shard = None
        return True


@contextmanager
def _ctrl_c_stops(stop: StopRequest) -> Iterator[None]:
    """The first Ctrl-C asks for a clean stop: workers drop the table they are on, finished
    tables are stored, the run is marked interrupted. A second Ctrl-C stops at once."""
    def handler(signum: int, frame: Any) -> None:
        stop.interrupts += 1  # nothing that takes a lock: see StopRequest
        if stop.interrupts > 1:
            raise KeyboardInterrupt

    with sigint_handled(handler):
        yield


def crashed_record(settings: RunSettings, table_id: int, hands: int) -> TableRecord:
    """A table whose worker died: stored as failed with no hands, so the run accounts for it
    and ``--resume`` does not play it again."""
    return failed_record(settings, table_id, hands, Finding(
        Kind.WORKER_CRASHED, "worker_crashed",
        f"the worker process playing table {table_id} died (twice)", table_id))


# -- logging and progress ------------------------------------------------------------------

def _start_logging(path: Path) -> tuple[logging.handlers.QueueListener, Any]:
    """Every process logs to a queue; one listener writes the console and run.log."""
    queue = mp.get_context("spawn").Queue()
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    file = logging.FileHandler(path)
    file.setFormatter(logging.Formatter("%(asctime)s %(processName)s %(levelname)s %(message)s"))
    listener = logging.handlers.QueueListener(queue, console, file, respect_handler_level=True)
    listener.start()
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(queue)]
    root.setLevel(logging.INFO)
    return listener, queue


class Progress:
    """A tqdm bar in a terminal; a plain line every ``every_s`` seconds otherwise (CI)."""

    def __init__(self, total: int | None, every_s: float = 10.0, stream: Any = None) -> None:
        """``total``: the hands to play, or None when not known beforehand (a fuzz)."""
        self.total = total
        self.done = 0
        self.failures = 0
        self.stream = stream or sys.stderr
        self.started = self.last = time.perf_counter()
        self.every_s = every_s
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="hand", unit_scale=True, file=self.stream,
                            dynamic_ncols=True)

    def update(self, hands: int, failures: int) -> None:
        self.done += hands
        self.failures = failures
        if self.bar is not None:
            self.bar.update(hands)
            self.bar.set_postfix(failures=failures, refresh=False)
            return
        now = time.perf_counter()
        if now - self.last >= self.every_s:
            self.last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        if self.total is None:  # a fuzz: played until its time is up
            return (f"progress: {self.done:,} hands in {elapsed:,.0f} s, {rate:,.0f} hands/s, "
                    f"{self.failures} failures")
        left = (self.total - self.done) / rate if rate else float("inf")
        eta = f"{left:,.0f} s left" if left != float("inf") else "time left unknown"
        return (f"progress: {self.done:,}/{self.total:,} hands "
                f"({100 * self.done / max(self.total, 1):.0f}%), {rate:,.0f} hands/s, "
                f"{self.failures:,} failures, {eta}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
