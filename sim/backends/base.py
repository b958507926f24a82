"""The one interface every execution backend implements, and what the workers share.

A backend plays a run's tasks — each a list of ``(table_id, hands)`` — by calling the task
function the run gives it (``sim.run.play_task``) wherever its workers are, and hands each
task's records back to the run in the main process, which stores them. Backends know
nothing of the store, the summary or the progress bar.

    >>> with open_backend("pool", workers=2, log_queue=queue) as backend:
    ...     backend.play(settings, tasks, play_task, crashed_record, deliver, stop)
"""

from __future__ import annotations

import gc
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from sim.runner import RunSettings
from sim.store.writer import TableRecord

Task = list[tuple[int, int]]  # [(table_id, hands), ...]: the tables one task plays in turn
PlayTask = Callable[[RunSettings, Task], list[TableRecord]]
CrashedRecord = Callable[[RunSettings, int, int], TableRecord]
Deliver = Callable[[list[TableRecord]], None]


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

    @abstractmethod
    def play(self, settings: RunSettings, tasks: list[Task], play_task: PlayTask,
             crashed_record: CrashedRecord, deliver: Deliver, stop: StopRequest) -> None:
        """Play ``tasks`` (in any order, any number at once), calling ``deliver(records)``
        in this process once per finished task, until all are played or ``stop`` is set.
        A table whose worker dies is played again; one that kills its worker again is
        delivered as ``crashed_record(settings, table_id, hands)``."""

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


def settle_gc() -> None:
    """Tune the cyclic garbage collector for a process that plays tables.

    Nearly everything a hand allocates is freed by reference counting, so the collector's
    passes find little; with its default threshold (700) they took about 2.5% of a
    worker's time (measured with ``gc.callbacks`` over 4,000 hands), with 10,000 about
    0.5%. Cyclic garbage still goes, a little later. Called once per worker process, and
    for ``--workers 1``."""
    gc.set_threshold(10_000, 20, 10)
