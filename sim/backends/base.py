"""The one interface every execution backend implements, and what the workers share.

A backend plays a run's tasks — each a list of ``(table_id, hands)`` — by calling the task
function the run gives it (``sim.runner.task.play_task``) wherever its workers are, and hands each
task's records back to the run in the main process, which stores them. Backends know
nothing of the store, the summary or the progress bar. A run opens one and plays its
tasks (``sim.run``: it plays tables, so it is not an example here):

    with open_backend("pool", workers=2, log_queue=queue) as backend:
        backend.play(settings, tasks, play_task, crashed_record, deliver, stop)
"""

from __future__ import annotations

import gc
import sys
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, Final

from sim.failures.signature import signature
from sim.finding import Finding
from sim.runner import RunSettings
from sim.runner.record import TableRecord
from sim.runner.settings import reproduce_command

Task = list[tuple[int, int]]  # [(table_id, hands), ...]: the tables one task plays in turn
PlayTask = Callable[[RunSettings, Task], list[TableRecord]]
CrashedRecord = Callable[[RunSettings, int, int], TableRecord]
Deliver = Callable[[list[TableRecord]], None]
DONE: Final = "done"  # what a task source returns when it will make no more tasks
BUNDLES_PER_WORKER: Final = 4  # a bundle is at most this part of a worker's tables left
Source = Callable[[], "Task | None | str"]  # the next task, None (not yet) or DONE


class Tasks:
    """The tasks a backend plays, handed out one at a time: a fixed list (``sim run``), or
    tasks a source makes as the run goes (``sim fuzz``: each table chosen from what came
    back), or both; tasks to play again go back to the front.

        >>> tasks = Tasks([[(0, 200)], [(1, 200)]])
        >>> tasks.take(), tasks.take(), tasks.take(), tasks.finished()
        ([(0, 200)], [(1, 200)], None, True)
    """

    def __init__(self, fixed: Iterable[Task] = (), source: Source | None = None) -> None:
        self._fixed: deque[Task] = deque(fixed)
        self._source = source
        self._exhausted = source is None

    def take(self) -> Task | None:
        """The next task; None when there is none now (``finished()`` says if ever)."""
        if self._fixed:
            return self._fixed.popleft()
        if self._exhausted:
            return None
        assert self._source is not None
        task = self._source()
        if task == DONE:
            self._exhausted = True
            return None
        assert task is None or isinstance(task, list), task
        return task

    def put_back(self, tasks: Iterable[Task]) -> None:
        """Play these again, before any other."""
        self._fixed.extendleft(reversed(list(tasks)))

    def finished(self) -> bool:
        return not self._fixed and self._exhausted


def bundles(plan: list[tuple[int, int]], workers: int, most: int) -> list[Task]:
    """A fixed plan's tables as tasks of at most ``most`` tables each, the largest first.

    Each task takes ``1 / BUNDLES_PER_WORKER`` of a worker's share of the tables still left
    (at least 1, at most ``most``), so a backend that pays per task pays for few tasks,
    while the last tasks are single tables that end close together on every worker.
    Which tables go together changes nothing a run stores (each table plays from its id).

        >>> [len(task) for task in bundles([(t, 200) for t in range(100)], 2, 8)]
        [8, 8, 8, 8, 8, 7, 6, 5, 5, 4, 4, 3, ..., 1, 1]
    """
    assert workers >= 1 and most >= 1, (workers, most)
    tasks: list[Task] = []
    start = 0
    while start < len(plan):
        size = max(1, min(most, (len(plan) - start) // (BUNDLES_PER_WORKER * workers)))
        tasks.append(plan[start:start + size])
        start += size
    return tasks


def failed_record(settings: RunSettings, table_id: int, hands: int, finding: Finding,
                  dump: str | None = None) -> TableRecord:
    """The record of a table that failed with no outcome of its own (its worker died or
    hung): ``finding``, no hands, and the dump's JSON when there is one (``land_dumps``
    writes it). Stored, the run accounts for the table and ``--resume`` leaves it."""
    spec = settings.draw(table_id)
    return TableRecord(
        table_id=table_id, table_seed=spec.seed, config=spec.config.to_dict(),
        bots={seat: kind for seat, kind, _, _ in spec.bots},
        opening={seat: (name, buy_in) for seat, _, name, buy_in in spec.bots},
        hands_planned=hands, hands_played=0, dispatches=0, checks=0, rejected=0,
        stalled=False, seconds=0.0, coverage={}, finding=finding,
        planted=settings.planted,
        replay_command=reproduce_command(replace(settings, only_table=table_id), 1),
        signature=signature(finding), dump=dump)


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


class BackendUnavailable(RuntimeError):
    """The backend cannot run here: a missing extra, no scheduler, no worker. The message
    is one sentence that says what to do."""


class Backend(ABC):
    """Where a run's tables are played. Used as a context manager: ``__exit__`` releases
    the workers (and a cluster the backend started)."""

    name: str = ""
    workers: int = 1  # tables played at once
    # False: the workers may not share a file system with the main process, so failure
    # dumps travel back inside the records and the run writes them (see sim.backends.dumps).
    shares_files: bool = True
    # The most hands of a fixed plan one task plays (see ``bundles``; ``most_tables``).
    # A task writes one shard (sim.store.shards), and the statistics views scan a few
    # large shards about twice as fast as many small ones (benchmarks/README.md, "Bytes per
    # hand and the statistics views"): 10,000 hands, 50 tables of 200, make a run of
    # 200,000 hands on 2 workers 53 shards instead of 144 at 8 tables a task (the last
    # tasks stay single tables either way, so the workers finish together). What it
    # costs: a worker holds a task's rows until it writes them (tens of MB); the progress
    # line moves a task at a time; a dead pool worker's tables are played again one by
    # one, more of them. A Ctrl-C still ends each table at its next hand (the pool's; see
    # the Dask backend's). Tasks a source makes (``sim fuzz``) are played as made.
    task_hands: int = 10_000

    def most_tables(self, hands_per_table: int) -> int:
        """The most tables of ``hands_per_table`` hands one task plays (at least 1): 50 of
        200 hands with the default ``task_hands``."""
        return max(1, self.task_hands // hands_per_table)

    @abstractmethod
    def play(self, settings: RunSettings, tasks: Tasks, play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        """Play ``tasks`` (any number at once), calling ``deliver(records)`` in this
        process once per finished task, until they are finished or ``stop`` is set. A
        source that has no task ready is asked again after the next delivery. A table whose
        worker dies is played again; one that kills its worker again is delivered as
        ``crashed_record(settings, table_id, hands)``."""

    def close(self) -> None:  # noqa: B027 - a backend with nothing to release keeps this
        """Release the workers."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- what runs in every worker process -------------------------------------------------------

_stop_event: Any = None  # set in workers (and for --workers 1); checked between hands


def set_stop_event(event: Any) -> None:
    global _stop_event
    _stop_event = event


def stopping() -> bool:
    """True once the run asked its workers to stop (a table then ends at its next hand)."""
    return _stop_event is not None and _stop_event.is_set()


def die_with_parent(parent: int) -> None:
    """On Linux, have the kernel kill this process when its parent (pid ``parent``) dies:
    a worker stuck in a builtin that never returns can run no code of its own to notice.
    Call it in the child; the thread of the parent that started it must live as long as
    the child does (the kernel acts when that thread ends)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import os
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def settle_gc() -> None:
    """Tune the cyclic garbage collector for a process that plays tables.

    Nearly everything a hand allocates is freed by reference counting, so the collector's
    passes find little; with its default threshold (700) they took about 2.5% of a
    worker's time (measured with ``gc.callbacks`` over 4,000 hands), with 10,000 about
    0.5%. Cyclic garbage still goes, a little later. Called once per worker process, and
    for ``--workers 1``."""
    gc.set_threshold(10_000, 20, 10)
