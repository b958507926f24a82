"""A run: many tables played from one seed over worker processes, stored in DuckDB.

Tables are the unit of work. A task is "play these tables of this run and return their
records" (``play_task``); tasks go to a ``concurrent.futures.Executor`` — a process pool for
``--workers N``, an in-process one for ``--workers 1`` — so a distributed executor (Dask,
Ray) can run the same tasks later without a second code path. One writer in the main
process stores each finished table in a single DuckDB transaction.

    >>> summary = run(settings, out=Path("runs/demo"), workers=2, command="sim run ...")
"""

from __future__ import annotations

import gc
import logging
import logging.handlers
import multiprocessing as mp
import resource
import shlex
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim import __version__
from sim.engine import ENGINE_VERSION
from sim.finding import Finding, Kind
from sim.invariants.coverage import COVERAGE_POINTS
from sim.runner.player import TableOutcome, play_table
from sim.runner.settings import RunSettings, reproduce_command, table_plan
from sim.store.schema import to_arrow
from sim.store.writer import Store, TableRecord

log = logging.getLogger("sim.run")

# -- the task (runs in a worker) -------------------------------------------------------------

_stop_event: Any = None  # set in workers by _worker_init; checked between hands


def _stopping() -> bool:
    return _stop_event is not None and _stop_event.is_set()


def settle_gc() -> None:
    """Tune the cyclic garbage collector for a process that plays tables.

    Nearly everything a hand allocates is freed by reference counting, so the collector's
    passes find little; with its default threshold (700) they took about 2.5% of a
    worker's time (measured with ``gc.callbacks`` over 4,000 hands), with 10,000 about
    0.5%. Cyclic garbage still goes, a little later. Called once per worker process, and
    for ``--workers 1``."""
    gc.set_threshold(10_000, 20, 10)


def _worker_init(log_queue: Any, stop_event: Any) -> None:
    global _stop_event
    _stop_event = stop_event
    settle_gc()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)


def play_task(settings: RunSettings, tables: list[tuple[int, int]]) -> list[TableRecord]:
    """Play ``[(table_id, hands), ...]`` and return their records (rows as Arrow tables)."""
    records = []
    for table_id, hands in tables:
        outcome = play_table(settings.draw(table_id), hands, settings, stop=_stopping)
        if outcome.interrupted:
            break  # a table cut short is dropped whole; --resume plays it again
        records.append(to_record(outcome, hands, settings.planted))
        if outcome.finding is not None:
            log.warning("table %d failed at hand %s: %s", table_id, outcome.finding.hand_no,
                        outcome.finding)
    return records


def to_record(outcome: TableOutcome, hands_planned: int,
              planted: tuple[str, ...]) -> TableRecord:
    rows = outcome.rows
    dump = outcome.dump
    path = dump.path if dump is not None else None
    return TableRecord(
        outcome.table_id, outcome.table_seed, outcome.config, outcome.bots, outcome.opening,
        hands_planned, outcome.hands, outcome.dispatches, outcome.checks, outcome.rejected,
        outcome.stalled, outcome.seconds, outcome.coverage, outcome.finding,
        {"hands": to_arrow("hands", rows.hands), "actions": to_arrow("actions", rows.actions),
         "results": to_arrow("results", rows.results)},
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux reports KiB
        planted, str(path) if path else None,
        shlex.join(["sim", "replay", str(path)]) if path else None)


class InlineExecutor(Executor):
    """Runs each task in this process when submitted: ``--workers 1``, and tests."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - handed to the caller via the future
            future.set_exception(error)
        return future


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

    def add(self, record: TableRecord) -> None:
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


# -- the run (main process) -------------------------------------------------------------------

def run_id_for(out: Path) -> str:
    return out.name


def run(settings: RunSettings, out: Path, workers: int, command: str, resume: bool = False,
        progress: Progress | None = None, tables_per_task: int = 1) -> RunSummary:
    """Play (or, with ``resume``, finish) the run stored in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    listener, log_queue = _start_logging(out / "run.log")
    run_id = run_id_for(out)
    summary = RunSummary(settings, run_id, out, workers)
    started = time.perf_counter()
    try:
        with Store(out / "stats.duckdb") as store:
            done = store.done_tables(run_id) if resume else set()
            if not resume:
                store.start_run(run_id, settings.seed, settings.hands, settings.hands_per_table,
                                workers, settings.planted, settings.invariants, command,
                                ENGINE_VERSION, __version__, settings.only_table,
                                _config_json(settings))
            plan = [task for task in table_plan(settings) if task[0] not in done]
            summary.planned_tables = len(plan)
            log.info("run %s: seed %d, %d tables to play (%d already stored), %d workers",
                     run_id, settings.seed, len(plan), len(done), workers)
            progress = progress or Progress(sum(hands for _, hands in plan))
            status = _play(settings, plan, workers, store, summary, progress, log_queue,
                           tables_per_task)
            summary.seconds = time.perf_counter() - started
            store.finish_run(run_id, status, summary.seconds, workers)
            progress.close()
    finally:
        listener.stop()
    return summary


def _config_json(settings: RunSettings) -> str | None:
    return settings.experiment.to_json() if settings.experiment is not None else None


def _play(settings: RunSettings, plan: list[tuple[int, int]], workers: int, store: Store,
          summary: RunSummary, progress: Progress, log_queue: Any,
          tables_per_task: int) -> str:
    stop = StopRequest(mp.get_context("spawn").Event())
    tasks = [plan[i:i + tables_per_task] for i in range(0, len(plan), tables_per_task)]

    buffer: list[TableRecord] = []
    flushed = [time.perf_counter()]

    def flush() -> None:
        store.write_tables(summary.run_id, buffer)
        for record in buffer:
            summary.add(record)
            progress.update(record.hands_played, len(summary.failures))
        buffer.clear()
        flushed[0] = time.perf_counter()

    def store_records(records: list[TableRecord]) -> None:
        # Tables reach the database in batches: at most a second or 64 tables old.
        buffer.extend(records)
        if len(buffer) >= 64 or time.perf_counter() - flushed[0] >= 1.0:
            flush()

    with _ctrl_c_stops(stop):
        if workers == 1:
            _worker_init_inline(stop)
            executor = InlineExecutor()  # the same tasks any Executor could run
            for task in tasks:
                if stop.is_set():
                    break
                store_records(executor.submit(play_task, settings, task).result())
        else:
            _pooled(settings, tasks, workers, store_records, log_queue, stop)
        flush()
    if stop.is_set():
        summary.interrupted = True
        log.warning("interrupted: %d tables stored; `sim run --resume %s` finishes the run",
                    summary.tables, summary.out)
        return "interrupted"
    return "completed"


class StopRequest:
    """The run's stop request as the main process sees it.

    The SIGINT handler only counts Ctrl-Cs: it runs between two bytecodes of the main
    thread, which may be holding the stop event's lock at that moment (inside ``is_set``),
    so taking that lock, or any other, there can deadlock the run. The next ``is_set()``,
    from ordinary code, passes a counted Ctrl-C on to the event the workers watch.
    """

    def __init__(self, event: Any) -> None:
        self.event = event  # a multiprocessing Event, shared with the workers
        self.interrupts = 0

    def is_set(self) -> bool:
        if self.interrupts and not self.event.is_set():
            self.event.set()
            sys.stderr.write("\nstopping: finishing the tables in hand "
                             "(Ctrl-C again to quit now)\n")
        return bool(self.event.is_set())


@contextmanager
def _ctrl_c_stops(stop: StopRequest) -> Iterator[None]:
    """The first Ctrl-C asks for a clean stop: workers drop the table they are on, finished
    tables are stored, the run is marked interrupted. A second Ctrl-C stops at once."""
    def handler(signum: int, frame: Any) -> None:
        stop.interrupts += 1  # nothing that takes a lock: see StopRequest
        if stop.interrupts > 1:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread (e.g. inside a test runner's thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_init_inline(stop: StopRequest) -> None:
    global _stop_event
    _stop_event = stop
    settle_gc()


def _pooled(settings: RunSettings, tasks: list[list[tuple[int, int]]], workers: int,
            store_records: Callable[[list[TableRecord]], None], log_queue: Any,
            stop: StopRequest) -> None:
    """Keep at most 2 tasks per worker in flight (bounded memory); survive worker crashes."""
    context = mp.get_context("spawn")
    pending = list(reversed(tasks))
    while pending and not stop.is_set():
        suspects: list[list[tuple[int, int]]] = []
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                   initargs=(log_queue, stop.event))
        in_flight: dict[Future, list[tuple[int, int]]] = {}
        try:
            while (pending and not stop.is_set()) or in_flight:
                while pending and not stop.is_set() and len(in_flight) < 2 * workers:
                    future = pool.submit(play_task, settings, pending[-1])  # may find it broken
                    in_flight[future] = pending.pop()
                done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    try:
                        records = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    store_records(records)
                if suspects:
                    raise BrokenProcessPool("a worker died")
        except BrokenProcessPool:
            # Some worker died. Every task in flight is a suspect: run each alone below.
            suspects.extend(in_flight.values())
            log.error("a worker process died; re-running tables %s one by one",
                      ", ".join(str(table) for task in suspects for table, _ in task))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        _run_suspects(settings, suspects, store_records, log_queue, stop)


def _run_suspects(settings: RunSettings, suspects: list[list[tuple[int, int]]],
                  store_records: Callable[[list[TableRecord]], None],
                  log_queue: Any, stop: StopRequest) -> None:
    """Each suspect table in a fresh single-worker pool; one that kills it again is reported."""
    context = mp.get_context("spawn")
    for task in suspects:
        for table in task:
            stop.is_set()  # passes on a Ctrl-C: the table then stops at its next hand
            with ProcessPoolExecutor(1, mp_context=context, initializer=_worker_init,
                                     initargs=(log_queue, stop.event)) as pool:
                try:
                    store_records(pool.submit(play_task, settings, [table]).result())
                except BrokenProcessPool:
                    store_records([crashed_record(settings, *table)])
                    log.error("table %d crashed its worker twice; reported as a failure",
                              table[0])


def crashed_record(settings: RunSettings, table_id: int, hands: int) -> TableRecord:
    """A table whose worker died: stored as failed with no hands, so the run accounts for it
    and ``--resume`` does not play it again."""
    spec = settings.draw(table_id)
    finding = Finding(Kind.WORKER_CRASHED, "worker_crashed",
                      f"the worker process playing table {table_id} died (twice)", table_id)
    return TableRecord(
        table_id, spec.seed, spec.config.to_dict(),
        {seat: kind for seat, kind, _, _ in spec.bots},
        {seat: (name, buy_in) for seat, _, name, buy_in in spec.bots}, hands, 0, 0, 0, 0,
        False, 0.0, {}, finding,
        {name: to_arrow(name, []) for name in ("hands", "actions", "results")},
        planted=settings.planted,
        replay_command=reproduce_command(replace(settings, only_table=table_id), 1))


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

    def __init__(self, total: int, every_s: float = 10.0, stream: Any = None) -> None:
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
        left = (self.total - self.done) / rate if rate else float("inf")
        eta = f"{left:,.0f} s left" if left != float("inf") else "time left unknown"
        return (f"progress: {self.done:,}/{self.total:,} hands "
                f"({100 * self.done / max(self.total, 1):.0f}%), {rate:,.0f} hands/s, "
                f"{self.failures:,} failures, {eta}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
